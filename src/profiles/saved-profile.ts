/**
 * The resolved profile saved beside every result of `run` (`<stem>.profile.json` next to
 * `<stem>.csv` and `<stem>-samples.csv`): the profile after `extends` and every command-line
 * override, exactly the object whose hash the rows record as `profile_hash`. `profile_hash`
 * cannot be turned back into settings; this file can, so compare and check name what differs.
 */
import { basename } from 'node:path';
import { UsageError } from '../base/errors.js';
import { readInputFile } from '../base/input-file.js';
import { canonicalJson, loadProfile, profileHash, type Profile } from './profile.js';
import { parseProfileJson } from './json-file.js';
import { SAVED_PROFILE_KIND, SAVED_PROFILE_VERSION } from './saved-kind.js';

export { SAVED_PROFILE_VERSION } from './saved-kind.js';

export const SAVED_PROFILE_SUFFIX = '.profile.json';

/** What was asked for: the --profile argument and the run flags that shaped what ran, as given. */
export interface RunCommand {
  profile: string;
  flags: Record<string, string | boolean>;
}

export interface SavedProfile {
  file: string;
  profileHash: string;
  /** The summary CSV it was written with (its file name, in the same folder). */
  summary: string;
  command: RunCommand;
  profile: Profile;
}

/** `results/cpu-vm-20261124T221650Z.csv` -> `results/cpu-vm-20261124T221650Z.profile.json`. */
export function savedProfilePathFor(summaryPath: string): string {
  return summaryPath.replace(/\.csv$/i, '') + SAVED_PROFILE_SUFFIX;
}

/** `….profile.json` -> the summary CSV it belongs to. */
export function summaryPathForSavedProfile(path: string): string {
  return path.slice(0, path.length - SAVED_PROFILE_SUFFIX.length) + '.csv';
}

export const isSavedProfilePath = (path: string): boolean => path.toLowerCase().endsWith(SAVED_PROFILE_SUFFIX);

/** The file's text: keys sorted (the order profile_hash hashes them in), one field a line. */
export function formatSavedProfile(profile: Profile, provenance: { summary: string; command: RunCommand }): string {
  const document = {
    kind: SAVED_PROFILE_KIND,
    version: SAVED_PROFILE_VERSION,
    profile_hash: profileHash(profile),
    summary: basename(provenance.summary),
    command: provenance.command,
    profile: JSON.parse(canonicalJson(profile)) as unknown,
  };
  // A list of plain values on one line (the label pool would take twenty): the JSON is the same.
  const text = JSON.stringify(document, null, 2).replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g, (_list, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`);
  return `${text}\n`;
}

const EXPECTED = `the resolved profile zsc-bench run saves beside a result ({"kind": "${SAVED_PROFILE_KIND}", "version": ${SAVED_PROFILE_VERSION}, "profile_hash": …, "profile": {…}})`;

function refuse(file: string, what: string): never {
  throw new UsageError(`${file}: ${what}; expected ${EXPECTED}`);
}

function readCommand(value: unknown, file: string): RunCommand {
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const flags = record?.['flags'];
  if (record === undefined || typeof record['profile'] !== 'string' || typeof flags !== 'object' || flags === null || Array.isArray(flags)) {
    refuse(file, `field "command" is ${JSON.stringify(value) ?? 'missing'}, not {"profile": "…", "flags": {…}}`);
  }
  const entries = Object.entries(flags as Record<string, unknown>);
  const bad = entries.find(([, flag]) => typeof flag !== 'string' && typeof flag !== 'boolean');
  if (bad !== undefined) refuse(file, `field "command": flag ${bad[0]} is ${JSON.stringify(bad[1])}, not a string or true/false`);
  return { profile: record['profile'], flags: Object.fromEntries(entries) as Record<string, string | boolean> };
}

/**
 * Reads a saved profile; undefined when the file does not exist (results written before
 * zsc-bench saved it). Anything else that is wrong with it is a UsageError naming the file:
 * unreadable, not JSON, not a saved profile, a profile that fails the profile rules, or a
 * profile_hash that is not its profile's (an edited file).
 */
export function readSavedProfile(file: string): SavedProfile | undefined {
  let bytes: Buffer;
  try {
    bytes = readInputFile(file, 'profile');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`${file}: cannot read (${code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = parseProfileJson(bytes, file);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; expected ${EXPECTED}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) refuse(file, `not a JSON object`);
  const document = raw as Record<string, unknown>;
  if (document['kind'] !== SAVED_PROFILE_KIND) refuse(file, `field "kind" is ${JSON.stringify(document['kind']) ?? 'missing'}`);
  if (document['version'] !== SAVED_PROFILE_VERSION) refuse(file, `field "version" is ${JSON.stringify(document['version']) ?? 'missing'}, this zsc-bench reads version ${SAVED_PROFILE_VERSION}`);
  const recorded = document['profile_hash'];
  if (typeof recorded !== 'string' || !/^[0-9a-f]{64}$/.test(recorded)) refuse(file, `field "profile_hash" is ${JSON.stringify(recorded) ?? 'missing'}, not a sha256 in hex`);
  if (typeof document['summary'] !== 'string') refuse(file, `field "summary" is ${JSON.stringify(document['summary']) ?? 'missing'}, not a file name`);
  const command = readCommand(document['command'], file);
  const body = document['profile'];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) refuse(file, `field "profile" is ${JSON.stringify(body) ?? 'missing'}, not an object`);
  if ('extends' in body) refuse(file, 'the saved profile has "extends"; a resolved profile has nothing left to extend');
  // The profile rules of --profile, so a saved profile is exactly what run accepts.
  const profile = loadProfile(file);
  const hash = profileHash(profile);
  if (hash !== recorded) {
    throw new UsageError(`${file}: its profile hashes to ${hash.slice(0, 12)}…, not to the profile_hash ${recorded.slice(0, 12)}… it records: the file was edited; restore it or delete it`);
  }
  return { file, profileHash: recorded, summary: document['summary'], command, profile };
}
