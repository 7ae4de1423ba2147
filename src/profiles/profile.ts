import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { readInputFile } from '../base/input-file.js';
import type { Precision } from '../models/precision.js';
import { PAIRS_PER_RUN, PAIRS_PER_RUN_EXPECTED, PROFILE_FILE_FIELDS, PROFILE_NAME, REQUIRED_PROFILE_FIELDS, RESOLVED_PROFILE, SCENARIOS, type PairsPerRun, type Profile, type Scenario } from '../schema/profile.js';
import { packageRoot } from '../env/package.js';
import { savedProfileBody } from './saved-kind.js';
import { parseProfileJson } from './json-file.js';

export { jsonErrorPosition } from './json-file.js';

export { MAX_ITEMS, MAX_PROCESSES, MAX_REPEATS, PROFILE_NAME, SCENARIOS, type PairsPerRun, type Profile, type Scenario } from '../schema/profile.js';


/** Reads a pairs-per-run setting from a flag (string) or a profile (string or number). */
export function parsePairsPerRun(value: unknown, where = '--pairs-per-run'): PairsPerRun {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  const parsed = PAIRS_PER_RUN.safeParse(number);
  if (parsed.success) return parsed.data;
  throw new UsageError(`${where}: expected ${PAIRS_PER_RUN_EXPECTED}, got ${describeValue(value)}`);
}

export function parseScenario(value: string, where = '--scenario'): Scenario {
  if ((SCENARIOS as readonly string[]).includes(value)) return value as Scenario;
  throw new UsageError(`${where}: unknown scenario '${value}'; expected ${SCENARIOS.join(' or ')}`);
}

type Raw = Record<string, unknown>;

const describeValue = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** One line per problem: file, field, what was expected, what was found. */
export function profileProblems(raw: unknown, file: string): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`${file}: expected a JSON object`];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw as Raw)) {
    // Own fields only: "constructor" or "__proto__" would find Object's, not a profile field.
    const field = Object.hasOwn(PROFILE_FILE_FIELDS, name) ? PROFILE_FILE_FIELDS[name] : undefined;
    if (field === undefined) {
      problems.push(`${file}: unknown field "${name}"; known fields: ${Object.keys(PROFILE_FILE_FIELDS).join(', ')}`);
      continue;
    }
    const result = field.schema.safeParse(value);
    if (result.success) continue;
    const issues = result.error.issues;
    const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
    problems.push(`${file}: field "${name}": expected ${field.expected ?? issue?.message ?? 'a valid value'}, got ${describeValue(value)}`);
  }
  return problems;
}

export function bundledProfilesDir(): string {
  return join(packageRoot(), 'profiles');
}

function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.endsWith('.json');
}

function readProfileFile(file: string): Raw {
  let bytes: Buffer;
  try {
    bytes = readInputFile(file, 'profile', '--profile');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--profile: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const raw = parseProfileJson(bytes, file);
  // A profile saved beside a result holds the resolved profile under "profile": it runs again as it is.
  const body = savedProfileBody(raw, file) ?? raw;
  const problems = profileProblems(body, file);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return body as Raw;
}

function knownNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => basename(file, '.json'))
    .sort();
}

/** The file a --profile value names: a bundled profile's, or the path given. */
export function profileFile(reference: string): string {
  return locate(reference, undefined);
}

/** True when a --profile value is a path rather than a bundled profile's name. */
export const isProfilePath = (reference: string): boolean => looksLikePath(reference);

function locate(reference: string, from: string | undefined): string {
  if (looksLikePath(reference)) return isAbsolute(reference) ? reference : resolve(from ?? '.', reference);
  const file = join(bundledProfilesDir(), `${reference}.json`);
  if (!existsSync(file)) {
    const names = knownNames(bundledProfilesDir()).filter((name) => name !== 'base');
    throw new UsageError(`--profile: unknown profile '${reference}'; known profiles: ${names.join(', ')} (or pass a path to a profile JSON file)`);
  }
  return file;
}

/** Turns the old `batching` field into `pairsPerRun`, so a child's `batching` overrides a parent's `pairsPerRun`. */
function withPairsPerRun(raw: Raw, file: string): Raw {
  const { batching, ...rest } = raw;
  if (batching === undefined) return raw;
  if (rest['pairsPerRun'] !== undefined) throw new UsageError(`${file}: both "batching" and "pairsPerRun"; keep only "pairsPerRun" ("batching" is its old name)`);
  return { ...rest, pairsPerRun: batching === 'pair' ? 1 : 'all' };
}

/** Resolves `extends` chains (parents by name or by path relative to the child); fields override, providerOptions merge per provider. */
export function loadProfile(reference: string): Profile {
  const chain: Array<{ file: string; raw: Raw }> = [];
  let file = locate(reference, undefined);
  for (;;) {
    if (chain.some((entry) => entry.file === file)) {
      throw new UsageError(`${file}: "extends" forms a cycle (${[...chain.map((entry) => basename(entry.file)), basename(file)].join(' -> ')})`);
    }
    const raw = withPairsPerRun(readProfileFile(file), file);
    chain.push({ file, raw });
    const parent = raw['extends'];
    if (typeof parent !== 'string') break;
    file = locate(parent, dirname(file));
  }
  let merged: Raw = { platform: {}, providerOptions: {} };
  for (const { raw } of chain.reverse()) {
    const { extends: _parent, tuned: _tuned, ...fields } = raw;
    const providerOptions: Raw = { ...(merged['providerOptions'] as Raw) };
    for (const [provider, options] of Object.entries((fields['providerOptions'] as Raw | undefined) ?? {})) {
      providerOptions[provider] = { ...(providerOptions[provider] ?? {}), ...(options as Raw) };
    }
    merged = { ...merged, ...fields, providerOptions };
  }
  const leaf = chain[chain.length - 1];
  const missing = REQUIRED_PROFILE_FIELDS.filter((field) => merged[field] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`${leaf?.file ?? reference}: missing field(s) ${missing.join(', ')}; set them or add "extends": "base"`);
  }
  // A profile without "name" is named after its own file, never after the parent it extends.
  if (typeof leaf?.raw['name'] !== 'string') {
    const fromFile = basename(leaf?.file ?? reference, '.json');
    if (!PROFILE_NAME.test(fromFile)) {
      throw new UsageError(`${leaf?.file ?? reference}: no "name" field, and the file name '${fromFile}' cannot name result files; add "name" (letters, digits, ., - and _)`);
    }
    merged['name'] = fromFile;
  }
  // The same check as run's, so `profiles show` never accepts a profile `run` refuses.
  const labelCounts = merged['labelCounts'] as number[];
  const labelPool = merged['labelPool'] as string[];
  const largest = labelCounts[labelCounts.length - 1] ?? 0;
  if (largest > labelPool.length) {
    throw new UsageError(`${leaf?.file ?? reference}: field "labelCounts": ${largest} labels exceed the label pool of ${labelPool.length} labels`);
  }
  if (typeof merged['description'] !== 'string') merged['description'] = '';
  return RESOLVED_PROFILE.parse(merged);
}

export interface ProfileSummary {
  name: string;
  /** The profile it extends (its own "extends" field), or null for base. */
  extends: string | null;
  description: string;
  precision: Precision;
  providers: string;
}

/** Every bundled profile, base first (it holds the defaults the others extend), then by name. */
export function listProfiles(dir = bundledProfilesDir()): ProfileSummary[] {
  const names = knownNames(dir);
  return [...names.filter((name) => name === 'base'), ...names.filter((name) => name !== 'base')].map((name) => {
    const file = join(dir, `${name}.json`);
    const profile = loadProfile(file);
    const raw = JSON.parse(readInputFile(file, 'profile').toString('utf8')) as { extends?: unknown };
    return {
      name: profile.name,
      extends: typeof raw.extends === 'string' ? raw.extends : null,
      description: profile.description,
      precision: profile.precision,
      providers: profile.executionProviders.join('+'),
    };
  });
}

/** sha256 of the profile as canonical JSON (sorted keys), stored with every result row. */
export function profileHash(profile: Profile): string {
  return createHash('sha256').update(canonicalJson(profile)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Raw)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
