import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { MAX_LABELS, TEMPLATE_PLACEHOLDER } from '../core/labels.js';
import { PRECISIONS, type Precision } from '../models/precision.js';
import { EXECUTION_PROVIDERS, GRAPH_OPTIMIZATION_LEVELS, type ExecutionProvider, type GraphOptimizationLevel, type ProviderOptions } from '../core/session.js';
import { packageRoot } from '../env/package.js';
import { savedProfileBody } from './saved-kind.js';

/**
 * Most (text, label) pairs per session.run: `auto` measures at load which size is fastest on
 * this hardware (cached), `all` puts every pair of a text into one run, N splits into runs of N.
 */
export type PairsPerRun = 'auto' | 'all' | number;

/** More pairs than any batch holds (64 labels per text, 4096 pairs per merged server batch). */
const MAX_PAIRS_PER_RUN = 4096;
const PAIRS_PER_RUN_EXPECTED = `"auto", "all" or a positive integer up to ${MAX_PAIRS_PER_RUN}`;

/** Reads a pairs-per-run setting from a flag (string) or a profile (string or number). */
export function parsePairsPerRun(value: unknown, where = '--pairs-per-run'): PairsPerRun {
  if (value === 'auto' || value === 'all') return value;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (isPositiveInteger(number) && number <= MAX_PAIRS_PER_RUN) return number;
  throw new UsageError(`${where}: expected ${PAIRS_PER_RUN_EXPECTED}, got ${describeValue(value)}`);
}

/** `single-stream`: one text at a time (latency, QPS); `offline`: that, then batches of many texts per run (throughput). */
export const SCENARIOS = ['single-stream', 'offline'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function parseScenario(value: string, where = '--scenario'): Scenario {
  if ((SCENARIOS as readonly string[]).includes(value)) return value as Scenario;
  throw new UsageError(`${where}: unknown scenario '${value}'; expected ${SCENARIOS.join(' or ')}`);
}

/** A resolved execution profile: what runs where, and how it is measured. */
export interface Profile {
  name: string;
  description: string;
  platform: { arch?: 'x64' | 'arm64'; gpuNamePattern?: string };
  executionProviders: ExecutionProvider[];
  providerOptions: ProviderOptions;
  precision: Precision;
  intraOpThreads?: number;
  interOpThreads?: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  model: string;
  dataset: string;
  items: number;
  repeats: number;
  warmup: number;
  labelCounts: number[];
  labelPool: string[];
  template: string;
  pairsPerRun: PairsPerRun;
  scenario: Scenario;
  /** Items per session.run tried by the offline scenario. */
  offlineBatchSizes: number[];
  costPerHour?: number;
}

/** Fields every resolved profile must have; base.json supplies them, so a profile normally extends it. */
const REQUIRED_FIELDS = ['executionProviders', 'precision', 'graphOptimizationLevel', 'model', 'dataset', 'items', 'repeats', 'warmup', 'labelCounts', 'labelPool', 'template', 'pairsPerRun', 'scenario', 'offlineBatchSizes'] as const;

type Raw = Record<string, unknown>;
type Check = (value: unknown) => string | undefined;

const describeValue = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isPositiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const oneOf = (options: readonly string[]): Check => (value) =>
  typeof value === 'string' && options.includes(value) ? undefined : `one of ${options.join(', ')}`;
/** A whole number in [min, max]: every numeric field has a range, like every numeric flag. */
const integerIn = (min: number, max: number): Check => (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? undefined : min === 1 ? `a positive integer up to ${max}` : `a whole number from ${min} to ${max}`;
/** Threads per session; the machine's own limit (4 per logical core) is checked when a session opens. */
const MAX_PROFILE_THREADS = 1024;
const MAX_WARMUP = 1000;
/** Items drawn from a dataset and timed runs per item: the run flags share these bounds. */
export const MAX_ITEMS = 1_000_000;
export const MAX_REPEATS = 10_000;
const MAX_COST_PER_HOUR = 10_000;
/** A profile's name becomes part of result file names: letters, digits, dot, dash, underscore. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const nonEmptyString: Check = (value) => (typeof value === 'string' && value.trim() !== '' ? undefined : 'a non-empty string');

const FIELD_CHECKS: Readonly<Record<string, Check>> = {
  extends: nonEmptyString,
  name: (value) => (typeof value === 'string' && PROFILE_NAME.test(value) ? undefined : 'a name of letters, digits, ., - and _ (up to 64, no slashes: it becomes part of file names)'),
  description: (value) => (typeof value === 'string' ? undefined : 'a string'),
  platform: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an object like {"arch": "x64", "gpuNamePattern": "A10G"}';
    const platform = value as Raw;
    const unknown = Object.keys(platform).find((key) => key !== 'arch' && key !== 'gpuNamePattern');
    if (unknown !== undefined) return `only "arch" and "gpuNamePattern" (found "${unknown}")`;
    if (platform['arch'] !== undefined && platform['arch'] !== 'x64' && platform['arch'] !== 'arm64') return '"arch" x64 or arm64';
    if (platform['gpuNamePattern'] !== undefined) {
      if (typeof platform['gpuNamePattern'] !== 'string') return '"gpuNamePattern" as a regular expression string';
      try {
        new RegExp(platform['gpuNamePattern']);
      } catch {
        return '"gpuNamePattern" as a valid regular expression';
      }
    }
    return undefined;
  },
  executionProviders: (value) =>
    Array.isArray(value) && value.length > 0 && value.every((item) => (EXECUTION_PROVIDERS as readonly unknown[]).includes(item))
      ? undefined
      : `a non-empty list of ${EXECUTION_PROVIDERS.join(', ')} (ONNX Runtime has no Hailo provider)`,
  providerOptions: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an object keyed by provider';
    for (const [provider, options] of Object.entries(value as Raw)) {
      if (!(EXECUTION_PROVIDERS as readonly string[]).includes(provider)) return `provider names as keys (found "${provider}")`;
      if (typeof options !== 'object' || options === null || Array.isArray(options)) return `an object of options for "${provider}"`;
      if (!Object.values(options as Raw).every((option) => ['string', 'number', 'boolean'].includes(typeof option))) {
        return `string, number or boolean option values for "${provider}"`;
      }
    }
    return undefined;
  },
  precision: oneOf(PRECISIONS),
  intraOpThreads: integerIn(1, MAX_PROFILE_THREADS),
  interOpThreads: integerIn(1, MAX_PROFILE_THREADS),
  graphOptimizationLevel: oneOf(GRAPH_OPTIMIZATION_LEVELS),
  model: nonEmptyString,
  dataset: nonEmptyString,
  items: integerIn(1, MAX_ITEMS),
  repeats: integerIn(1, MAX_REPEATS),
  warmup: integerIn(0, MAX_WARMUP),
  labelCounts: (value) =>
    Array.isArray(value) && value.length > 0 && value.every(isPositiveInteger) && value.every((item, index) => index === 0 || item > (value[index - 1] as number)) && (value[value.length - 1] as number) <= MAX_LABELS
      ? undefined
      : `an ascending list of distinct positive integers up to ${MAX_LABELS}`,
  labelPool: (value) =>
    Array.isArray(value) && value.length >= 2 && value.every((item) => typeof item === 'string' && item.trim() !== '') && new Set(value).size === value.length
      ? undefined
      : 'a list of two or more distinct non-empty labels',
  template: (value) => (typeof value === 'string' && value.includes(TEMPLATE_PLACEHOLDER) ? undefined : `a string containing ${TEMPLATE_PLACEHOLDER}`),
  pairsPerRun: (value) => {
    try {
      parsePairsPerRun(value);
      return undefined;
    } catch {
      return PAIRS_PER_RUN_EXPECTED;
    }
  },
  scenario: oneOf(SCENARIOS),
  offlineBatchSizes: (value) =>
    Array.isArray(value) && value.length > 0 && value.every(isPositiveInteger) && value.every((item, index) => index === 0 || item > (value[index - 1] as number))
      ? undefined
      : 'an ascending list of distinct positive integers (items per session.run)',
  // Older profiles' name for the same choice: "text" is "all", "pair" is 1 (read, never written).
  batching: oneOf(['text', 'pair']),
  costPerHour: (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_COST_PER_HOUR ? undefined : `a positive number (USD per hour) up to ${MAX_COST_PER_HOUR}`),
};

/** One line per problem: file, field, what was expected, what was found. */
export function profileProblems(raw: unknown, file: string): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`${file}: expected a JSON object`];
  const problems: string[] = [];
  for (const [field, value] of Object.entries(raw as Raw)) {
    const check = FIELD_CHECKS[field];
    if (check === undefined) {
      problems.push(`${file}: unknown field "${field}"; known fields: ${Object.keys(FIELD_CHECKS).join(', ')}`);
      continue;
    }
    const expected = check(value);
    if (expected !== undefined) problems.push(`${file}: field "${field}": expected ${expected}, got ${describeValue(value)}`);
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
  let text: string;
  try {
    // Editors on Windows save JSON with a byte-order mark; datasets accept one, so profiles do too.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new UsageError(`--profile: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: malformed JSON ${jsonErrorPosition(text, error as Error)}(${(error as Error).message})`);
  }
  // A profile saved beside a result holds the resolved profile under "profile": it runs again as it is.
  const body = savedProfileBody(raw) ?? raw;
  const problems = profileProblems(body, file);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return body as Raw;
}

/** Turns V8's "at position N" into line:column, which editors understand. */
export function jsonErrorPosition(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  if (match?.[1] === undefined) return '';
  const offset = Number(match[1]);
  const before = text.slice(0, offset).split('\n');
  return `at line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1} `;
}

function knownNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => basename(file, '.json'))
    .sort();
}

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
    const { extends: _parent, ...fields } = raw;
    const providerOptions: Raw = { ...(merged['providerOptions'] as Raw) };
    for (const [provider, options] of Object.entries((fields['providerOptions'] as Raw | undefined) ?? {})) {
      providerOptions[provider] = { ...((providerOptions[provider] as Raw | undefined) ?? {}), ...(options as Raw) };
    }
    merged = { ...merged, ...fields, providerOptions };
  }
  const leaf = chain[chain.length - 1];
  const missing = REQUIRED_FIELDS.filter((field) => merged[field] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`${leaf?.file ?? reference}: missing field(s) ${missing.join(', ')}; set them or add "extends": "base"`);
  }
  if (typeof merged['name'] !== 'string') {
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
  return merged as unknown as Profile;
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
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { extends?: unknown };
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
