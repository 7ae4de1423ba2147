/**
 * The regression gate, pure: per (profile, label count), is the current run slower than the
 * baseline, by more than the threshold, with statistical evidence? Both must hold.
 */
import {
  bootstrapRatioInterval,
  detectionPower,
  estimatorNoiseFactor,
  mannWhitneyU,
  minimumPValue,
  robustSpread,
  type Statistic,
} from '../stats/hypothesis.js';
import { percentileOfSorted } from '../stats/statistics.js';
import { UsageError } from '../base/errors.js';
import { hashString } from '../stats/random.js';
import type { ResultRow } from './read-results.js';
import { runLabel, type Run } from './runs.js';

export const CHECK_METRICS = ['median', 'mean', 'p95'] as const;
export type CheckMetric = (typeof CHECK_METRICS)[number];

export interface CheckSettings {
  metric: CheckMetric;
  /** Largest tolerated slowdown as a fraction: 0.1 for 10%. */
  maxRegression: number;
  alpha: number;
  seed: number;
  resamples: number;
}

export type Verdict = 'regression' | 'slower' | 'no change' | 'faster';

export interface SampleComparison {
  profile: string;
  labels: number;
  baselineSamples: number;
  currentSamples: number;
  baselineValueMs: number;
  currentValueMs: number;
  /** current / baseline of the metric: above 1 is slower. */
  ratio: number;
  /** Bootstrap interval of the ratio at confidence 1 - alpha. */
  ratioInterval: [number, number];
  /** One-sided Mann-Whitney p-values: current slower, current faster. */
  pSlower: number;
  pFaster: number;
  verdict: Verdict;
  /** Approximate chance of flagging a true slowdown of twice the threshold with these samples. */
  power: number;
  /** The smallest p-value these sample sizes can give: at or above alpha, nothing can be significant. */
  minimumP: number;
}

/** A statistic of a sorted sample for each metric. */
export const METRIC_STATISTICS: Readonly<Record<CheckMetric, Statistic>> = {
  median: (sorted) => percentileOfSorted(sorted, 50),
  p95: (sorted) => percentileOfSorted(sorted, 95),
  mean: (sorted) => {
    let sum = 0;
    for (let index = 0; index < sorted.length; index += 1) sum += sorted[index] ?? 0;
    return sum / sorted.length;
  },
};

const NOISE_FACTORS: Readonly<Record<CheckMetric, number>> = {
  mean: estimatorNoiseFactor('mean'),
  median: estimatorNoiseFactor(0.5),
  p95: estimatorNoiseFactor(0.95),
};

/** Power below this is reported as too few samples for the test. */
export const LOW_POWER = 0.8;

export function decideVerdict(input: { ratio: number; pSlower: number; pFaster: number; alpha: number; maxRegression: number }): Verdict {
  if (input.pSlower < input.alpha && input.ratio > 1) return input.ratio > 1 + input.maxRegression ? 'regression' : 'slower';
  if (input.pFaster < input.alpha && input.ratio < 1) return 'faster';
  return 'no change';
}

export function compareSamples(
  key: { profile: string; labels: number },
  baseline: readonly number[],
  current: readonly number[],
  settings: CheckSettings,
): SampleComparison {
  const statistic = METRIC_STATISTICS[settings.metric];
  const sortedBaseline = [...baseline].sort((a, b) => a - b);
  const sortedCurrent = [...current].sort((a, b) => a - b);
  const baselineValueMs = statistic(sortedBaseline);
  const currentValueMs = statistic(sortedCurrent);
  const ratio = currentValueMs / baselineValueMs;
  const test = mannWhitneyU(baseline, current);
  // Each key gets its own stream, so adding a profile does not change another's interval.
  const seed = (settings.seed ^ hashString(`${key.profile}\u0000${key.labels}`)) >>> 0;
  const ratioInterval = bootstrapRatioInterval(baseline, current, statistic, { level: 1 - settings.alpha, resamples: settings.resamples, seed });
  const logs = (values: readonly number[]) => values.map((value) => Math.log(value));
  const power = detectionPower({
    m: baseline.length,
    n: current.length,
    logSpreadX: robustSpread(logs(baseline)),
    logSpreadY: robustSpread(logs(current)),
    noiseFactor: NOISE_FACTORS[settings.metric],
    alpha: settings.alpha,
    threshold: settings.maxRegression,
    trueRatio: 1 + 2 * settings.maxRegression,
  });
  return {
    ...key,
    baselineSamples: baseline.length,
    currentSamples: current.length,
    baselineValueMs,
    currentValueMs,
    ratio,
    ratioInterval,
    pSlower: test.pGreater,
    pFaster: test.pLess,
    verdict: decideVerdict({ ratio, pSlower: test.pGreater, pFaster: test.pLess, alpha: settings.alpha, maxRegression: settings.maxRegression }),
    power,
    minimumP: minimumPValue(baseline.length, current.length),
  };
}

/** A one-line warning when the samples cannot support the verdict, else undefined. */
export function powerWarning(comparison: SampleComparison, settings: CheckSettings): string | undefined {
  const where = `${comparison.profile} at ${comparison.labels} labels (${comparison.baselineSamples} vs ${comparison.currentSamples} samples)`;
  if (comparison.minimumP >= settings.alpha) {
    return `${where}: too few samples: the smallest possible p-value is ${comparison.minimumP.toPrecision(2)}, not below alpha ${settings.alpha}, so no change can be detected; use more --items or --repeats`;
  }
  if (comparison.power < LOW_POWER) {
    const slowdown = Math.round(200 * settings.maxRegression);
    return `${where}: low power: about ${Math.round(comparison.power * 100)}% chance to flag a ${slowdown}% slowdown with this spread; use more --items or --repeats`;
  }
  return undefined;
}

export interface RunPair {
  profile: string;
  baseline: Run;
  current: Run;
  labelCounts: number[];
}

function onePerProfile(runs: readonly Run[], side: string): Map<string, Run> {
  const byProfile = new Map<string, Run>();
  for (const run of runs) {
    const other = byProfile.get(run.profile);
    if (other !== undefined) {
      throw new UsageError(`${side}: two runs of profile ${run.profile} that cannot be pooled (${other.host} ${runLabel(other)} in ${other.file}; ${run.host} ${runLabel(run)} in ${run.file}); give one run per profile`);
    }
    byProfile.set(run.profile, run);
  }
  return byProfile;
}

/**
 * Pairs baseline and current runs by profile. Files that do not describe the same measurement
 * (profile sets, model file, precision, dataset, item count) are refused with the difference
 * named; differences that are the point of a check (host, provider, configuration) are warnings.
 */
export function pairRuns(baselineRuns: readonly Run[], currentRuns: readonly Run[]): { pairs: RunPair[]; warnings: string[] } {
  const baseline = onePerProfile(baselineRuns, '--baseline');
  const current = onePerProfile(currentRuns, '--current');
  const onlyBaseline = [...baseline.keys()].filter((profile) => !current.has(profile)).sort();
  const onlyCurrent = [...current.keys()].filter((profile) => !baseline.has(profile)).sort();
  if (onlyBaseline.length > 0 || onlyCurrent.length > 0) {
    const parts = [onlyBaseline.length > 0 ? `only in --baseline: ${onlyBaseline.join(', ')}` : '', onlyCurrent.length > 0 ? `only in --current: ${onlyCurrent.join(', ')}` : ''].filter(Boolean);
    throw new UsageError(`the files cover different profiles (${parts.join('; ')}); check compares the same profiles`);
  }
  const warnings: string[] = [];
  const pairs = [...baseline.keys()].sort().map((profile): RunPair => {
    const base = baseline.get(profile) as Run;
    const cur = current.get(profile) as Run;
    const b = base.rows[0] as ResultRow;
    const c = cur.rows[0] as ResultRow;
    const refuse = (what: string, baseValue: string | number, currentValue: string | number) => {
      throw new UsageError(`${profile}: ${what} differs (--baseline ${base.file}: ${baseValue}; --current ${cur.file}: ${currentValue}); these runs measure different things`);
    };
    if (b.precision !== c.precision) refuse('precision', b.precision, c.precision);
    if (b.modelSha256 !== c.modelSha256) refuse('model file', `${b.modelId} sha256 ${b.modelSha256.slice(0, 12)}`, `${c.modelId} sha256 ${c.modelSha256.slice(0, 12)}`);
    if (b.datasetHash !== c.datasetHash) refuse('dataset', `${b.dataset} sha256 ${b.datasetHash.slice(0, 12)}`, `${c.dataset} sha256 ${c.datasetHash.slice(0, 12)}`);
    if (b.items !== c.items) refuse('item count', b.items, c.items);
    if (b.host !== c.host) warnings.push(`${profile}: baseline ran on ${b.host}, current on ${c.host}: the difference includes the machine`);
    if (b.actualProvider !== c.actualProvider || b.fallback !== c.fallback) {
      warnings.push(`${profile}: baseline ran on ${b.actualProvider}${b.fallback ? ' (fallback)' : ''}, current on ${c.actualProvider}${c.fallback ? ' (fallback)' : ''}`);
    }
    if (b.profileHash !== c.profileHash) warnings.push(`${profile}: the profile's settings differ between the runs (profile_hash)`);
    const currentCounts = new Set(cur.rows.map((row) => row.labels));
    const labelCounts = base.rows.map((row) => row.labels).filter((count) => currentCounts.has(count));
    const unmatched = [...new Set([...base.rows, ...cur.rows].map((row) => row.labels))].filter((count) => !labelCounts.includes(count));
    if (labelCounts.length === 0) throw new UsageError(`${profile}: no label count is in both runs (--baseline ${base.file}, --current ${cur.file})`);
    if (unmatched.length > 0) warnings.push(`${profile}: ${unmatched.join(', ')} labels measured in only one of the runs, not checked`);
    return { profile, baseline: base, current: cur, labelCounts };
  });
  return { pairs, warnings };
}

export interface CheckReport {
  settings: CheckSettings;
  comparisons: SampleComparison[];
  warnings: string[];
  regressions: number;
}

/** Runs the test for every paired (profile, label count) on the runs' raw samples. */
export function checkRuns(pairs: readonly RunPair[], settings: CheckSettings, warnings: readonly string[]): CheckReport {
  const comparisons: SampleComparison[] = [];
  const allWarnings = [...warnings];
  for (const pair of pairs) {
    for (const labels of pair.labelCounts) {
      const totals = (run: Run) => (run.samples ?? []).filter((sample) => sample.labels === labels).map((sample) => sample.totalMs);
      const baseline = totals(pair.baseline);
      const current = totals(pair.current);
      if (baseline.length === 0 || current.length === 0) {
        throw new UsageError(`${pair.profile} at ${labels} labels: no samples in ${baseline.length === 0 ? pair.baseline.file : pair.current.file}'s samples file`);
      }
      const comparison = compareSamples({ profile: pair.profile, labels }, baseline, current, settings);
      comparisons.push(comparison);
      const warning = powerWarning(comparison, settings);
      if (warning !== undefined) allWarnings.push(warning);
    }
  }
  return { settings, comparisons, warnings: allWarnings, regressions: comparisons.filter((comparison) => comparison.verdict === 'regression').length };
}
