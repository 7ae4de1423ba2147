/**
 * The library's entries that the CLI's commands are made of: a classifier that splits as `classify`
 * does, and a benchmark from a profile name, file or object with overrides.
 */
import type { Classifier } from '../core/classifier.js';
import { loadClassifier as openModelClassifier, type OpenClassifierOptions } from '../model-store/source.js';
import { UsageError } from '../base/errors.js';
import { loadProfile, profileProblems, type Profile } from '../profiles/profile.js';
import { Benchmark, type BenchmarkSpec } from './benchmark.js';
import { SessionSplitClassifier, type SessionSplitOptions } from './session-split.js';

export type LoadClassifierOptions = OpenClassifierOptions & SessionSplitOptions;

/**
 * Resolves the model (building or downloading it when needed) and opens a classifier whose
 * classify() uses the calibrated pairs per run by default, as the CLI does.
 */
export async function loadClassifier(options: LoadClassifierOptions = {}): Promise<Classifier> {
  const { pairsPerRun, calibrationCacheFile, ...open } = options;
  return new SessionSplitClassifier(await openModelClassifier(open), {
    ...(pairsPerRun !== undefined ? { pairsPerRun } : {}),
    ...(calibrationCacheFile !== undefined ? { calibrationCacheFile } : {}),
  });
}

export interface BenchmarkOptions extends Omit<BenchmarkSpec, 'profile' | 'spreadOverProcesses'> {
  /** A bundled profile's name, a profile file, or a profile object. */
  profile: string | Profile;
  /** Fields that replace the profile's for this run (recorded: the profile hash changes). */
  overrides?: Partial<Omit<Profile, 'extends'>>;
}

/**
 * A benchmark ready to run, as `zsc-bench run` runs it: listen to its events, then
 * `await bench.run(signal)` for the outcome (rows, files). The workload is checked here.
 */
export function benchmark(options: BenchmarkOptions): Benchmark {
  const { profile, overrides, ...spec } = options;
  const base = typeof profile === 'string' ? loadProfile(profile) : profile;
  const problems = profileProblems(overrides ?? {}, 'overrides');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return new Benchmark({ ...spec, profile: { ...base, ...overrides } });
}
