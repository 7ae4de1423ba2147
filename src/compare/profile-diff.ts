/**
 * Which settings differ between runs, read from the resolved profile saved beside each result
 * (`<stem>.profile.json`). Rows only carry `profile_hash`, which says that settings differ but
 * not which; results written before the file existed fall back to saying just that.
 */
import { UsageError } from '../base/errors.js';
import { readSavedProfile, savedProfilePathFor, type SavedProfile } from '../profiles/saved-profile.js';
import type { Profile } from '../profiles/profile.js';
import { groupBy, sortRuns, type Run } from './runs.js';

/** One setting that is not the same everywhere: its dotted path and its value in each configuration. */
export interface SettingDifference {
  field: string;
  values: string[];
}

export const NOT_SET = '(not set)';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Nested objects (platform, providerOptions) become dotted paths, so a difference names the exact option. Values as JSON. */
function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (isPlainObject(value)) {
    for (const key of Object.keys(value).sort()) flatten(value[key], path === '' ? key : `${path}.${key}`, into);
    return;
  }
  if (value !== undefined) into.set(path, JSON.stringify(value));
}

/** A value as people write it: strings bare; lists and numbers as JSON, unambiguous even when a label holds a comma. */
const bare = (json: string): string => (json.startsWith('"') ? (JSON.parse(json) as string) : json);

/** The fields whose values are not all equal, sorted by name; a field one profile lacks is NOT_SET there. */
export function diffProfiles(profiles: ReadonlyArray<Profile | Readonly<Record<string, unknown>>>): SettingDifference[] {
  const flat = profiles.map((profile) => {
    const fields = new Map<string, string>();
    flatten(profile, '', fields);
    return fields;
  });
  const fields = [...new Set(flat.flatMap((fields) => [...fields.keys()]))].sort();
  return fields.flatMap((field) => {
    const values = flat.map((fields) => fields.get(field));
    if (new Set(values).size < 2) return [];
    const shown = values.map((value) => (value === undefined ? NOT_SET : bare(value)));
    // Bare strings hide a type: "4" and 4 hash differently, so they are shown as JSON then.
    const ambiguous = new Set(shown).size < new Set(values).size;
    return [{ field, values: ambiguous ? values.map((value) => value ?? NOT_SET) : shown }];
  });
}

/** `precision: fp32 vs int8; pairsPerRun: auto vs 4`. */
export function formatDifferences(differences: readonly SettingDifference[]): string {
  return differences.map((difference) => `${difference.field}: ${difference.values.join(' vs ')}`).join('; ');
}

/**
 * The saved profile beside a run's summary, checked against the run: its hash must be the one
 * the rows record, else it belongs to another run. Undefined when there is none.
 */
export function savedProfileOf(run: Pick<Run, 'file' | 'rows'>): SavedProfile | undefined {
  const path = savedProfilePathFor(run.file);
  const saved = readSavedProfile(path);
  const recorded = run.rows[0]?.profileHash;
  if (saved !== undefined && recorded !== undefined && saved.profileHash !== recorded) {
    throw new UsageError(`${path}: saved profile with profile_hash ${saved.profileHash.slice(0, 12)}…, but ${run.file} records ${recorded.slice(0, 12)}…; expected the profile of that run (keep each result's files together)`);
  }
  return saved;
}

/** Runs that share one profile_hash, and what to call them in a message. */
export interface Configuration {
  label: string;
  runs: Run[];
}

/** Runs grouped by profile_hash, in the order given, each group named by number and its files. */
export function configurationsByHash(runs: readonly Run[]): Configuration[] {
  return [...groupBy(runs, (run) => run.rows[0]?.profileHash ?? '').values()].map((members, index) => ({ label: `[${index + 1}] ${members.map((run) => run.file).join(', ')}`, runs: members }));
}

/**
 * What differs between configurations of one profile: each setting with its value per
 * configuration, or, when a configuration has no saved profile, the profile_hash message and
 * which file is missing. Undefined when they differ only in the `ignore`d fields.
 */
export function describeConfigurations(configurations: readonly Configuration[], readSaved: (run: Run) => SavedProfile | undefined = savedProfileOf, ignore: readonly string[] = []): string | undefined {
  const labels = configurations.map((configuration) => configuration.label).join(' vs ');
  const profiles: Profile[] = [];
  const missing: string[] = [];
  for (const configuration of configurations) {
    let found: SavedProfile | undefined;
    for (const run of configuration.runs) {
      found = readSaved(run);
      if (found !== undefined) break;
    }
    if (found === undefined) missing.push(...configuration.runs.map((run) => savedProfilePathFor(run.file)));
    else profiles.push(found.profile);
  }
  if (missing.length > 0) {
    return `differ between the runs (profile_hash); which settings cannot be said: the saved profile is missing (${missing.join(', ')}; results written before zsc-bench saved one)`;
  }
  const differences = diffProfiles(profiles).filter((difference) => !ignore.includes(difference.field));
  // Without `ignore` two hashes always differ in something; with it, nothing may be left to say.
  if (differences.length === 0) return undefined;
  return `differ between the runs, ${labels}: ${formatDifferences(differences)}`;
}

/** Settings the grouping already speaks of (runs of different sizes, repeats): not named again. */
export const NOTED_ELSEWHERE: readonly string[] = ['items', 'repeats'];

/**
 * Compare's warning, per comparable group: one per profile name whose runs in that group ran
 * with more than one configuration (a plain run beside one with --pairs-per-run 1, say), naming
 * the settings that differ. Runs in different groups are already told apart by the group
 * warning, and differences only in `NOTED_ELSEWHERE` are not repeated.
 */
export function profileSettingWarnings(groups: ReadonlyArray<readonly Run[]>, readSaved: (run: Run) => SavedProfile | undefined = savedProfileOf): string[] {
  const warnings: string[] = [];
  for (const runs of groups) {
    // In time order, so the same files give the same words in any order.
    for (const [profile, members] of groupBy(sortRuns(runs), (run) => run.profile)) {
      const configurations = configurationsByHash(members);
      if (configurations.length < 2) continue;
      const described = describeConfigurations(configurations, readSaved, NOTED_ELSEWHERE);
      if (described !== undefined) warnings.push(`${profile}: the profile's settings ${described}`);
    }
  }
  return warnings;
}
