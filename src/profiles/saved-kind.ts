/**
 * The one thing profile.ts must know about the profile `run` saves beside a result: how to tell
 * such a file from a profile of one's own, so `--profile <stem>.profile.json` runs it again.
 * Its own module so that profile.ts and saved-profile.ts (which imports profile.ts) share it
 * without a cycle.
 */

import { UsageError } from '../base/errors.js';

/** The `kind` field of a saved profile, naming what the file is. */
export const SAVED_PROFILE_KIND = 'zsc-bench resolved profile';
/** Bumped when a field changes meaning; readers refuse versions they do not know. */
export const SAVED_PROFILE_VERSION = 1;

/**
 * The resolved profile inside a saved-profile file, or undefined when the JSON is something
 * else; a saved profile of a version this zsc-bench does not know is refused.
 */
export function savedProfileBody(raw: unknown, file: string): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  if (record['kind'] !== SAVED_PROFILE_KIND) return undefined;
  if (record['version'] !== SAVED_PROFILE_VERSION) {
    throw new UsageError(`${file}: field "version" is ${JSON.stringify(record['version']) ?? 'missing'}; this zsc-bench reads saved profiles of version ${SAVED_PROFILE_VERSION}`);
  }
  return record['profile'];
}
