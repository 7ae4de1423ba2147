/**
 * The one thing profile.ts must know about the profile `run` saves beside a result: how to tell
 * such a file from a profile of one's own, so `--profile <stem>.profile.json` runs it again.
 * Its own module so that profile.ts and saved-profile.ts (which imports profile.ts) share it
 * without a cycle.
 */

/** The `kind` field of a saved profile, naming what the file is. */
export const SAVED_PROFILE_KIND = 'zsc-bench resolved profile';

/** The resolved profile inside a saved-profile file, or undefined when the JSON is something else. */
export function savedProfileBody(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  return record['kind'] === SAVED_PROFILE_KIND ? record['profile'] : undefined;
}
