/**
 * The regression gate, pure: per (profile, label count), are the current runs slower than the
 * baseline runs, by more than the threshold, with evidence that holds on a noisy machine? The
 * unit of evidence is the run (its blocks give its own error), never the single sample.
 */
import { compareRunSets, runEstimate, unitsOf, type RunEstimate, type RunSetComparison } from '../stats/clustered.js';
import type { RerunSpread } from '../stats/rerun.js';
import type { Statistic } from '../stats/hypothesis.js';
import { medianOfSorted, percentileOfSorted } from '../stats/statistics.js';
import { UsageError } from '../base/errors.js';
import { providerName } from '../core/placement.js';
import type { ResultRow } from './read-results.js';
import { sessionSettingsText, type Run } from './runs.js';
import { configurationsByHash, describeConfigurations, savedProfileOf, type Configuration } from './profile-diff.js';
import type { SavedProfile } from '../profiles/saved-profile.js';

export const CHECK_METRICS = ['median', 'mean', 'p95'] as const;
export type CheckMetric = (typeof CHECK_METRICS)[number];

export interface CheckSettings {
  metric: CheckMetric;
  /** Largest tolerated slowdown as a fraction: 0.1 for 10%. */
  maxRegression: number;
  alpha: number;
  /**
   * With one run a side: how much a run's level moves between back-to-back runs beyond what its
   * own passes show, as a fraction (0.06 for 6%). Measured on the development VM by bench:check.
   */
  runNoise: number;
  /** False when the user gave --run-noise: their figure then wins over the spread a file recorded. */
  useRecordedSpread: boolean;
}

/**
 * The default run noise: bench:check on the 2-core development VM (structbert-base int8,
 * 10 items x 5 passes, 3 labels, 8 back-to-back runs, shared with other jobs) measured the
 * standard deviation of run medians beyond their passes' spread; see README "CI regression gate".
 */
export const DEFAULT_RUN_NOISE = '8%';

export type Verdict = 'regression' | 'slower' | 'no change' | 'faster';

export interface RunComparison {
  profile: string;
  labels: number;
  baselineRuns: number;
  currentRuns: number;
  baselineSamples: number;
  currentSamples: number;
  /** Geometric mean over runs of each run's metric. */
  baselineValueMs: number;
  currentValueMs: number;
  /** current / baseline of the metric: above 1 is slower. */
  ratio: number;
  /** Two-sided (1 - 2 alpha) interval; its lower end is the one-sided bound the verdict uses. */
  ratioInterval: [number, number];
  pSlower: number;
  pFaster: number;
  /**
   * `between-runs` when several runs show their variation; with one run a side `history` when a
   * file recorded the spread between earlier runs of its command (rerun_* columns), `processes`
   * when both ran several processes, `allowance` otherwise (run noise assumed).
   */
  method: RunSetComparison['method'];
  df: number;
  /** The smallest slowdown (fraction) this data flags with 80% chance. */
  detectableSlowdown: number;
  verdict: Verdict;
}

/** A statistic of a sorted sample for each metric. */
export const METRIC_STATISTICS: Readonly<Record<CheckMetric, Statistic>> = {
  median: medianOfSorted,
  p95: (sorted) => percentileOfSorted(sorted, 95),
  mean: (sorted) => {
    let sum = 0;
    for (let index = 0; index < sorted.length; index += 1) sum += sorted[index] ?? 0;
    return sum / sorted.length;
  },
};

/**
 * A regression needs both: evidence (the one-sided interval's lower bound above 1, which is
 * pSlower < alpha) and an estimated slowdown beyond the threshold.
 */
export function decideVerdict(input: { ratio: number; pSlower: number; pFaster: number; alpha: number; maxRegression: number }): Verdict {
  if (input.pSlower < input.alpha && input.ratio > 1) return input.ratio > 1 + input.maxRegression ? 'regression' : 'slower';
  if (input.pFaster < input.alpha && input.ratio < 1) return 'faster';
  return 'no change';
}

/**
 * One run's samples at one label count as an estimate: its processes (when two or more ran), else
 * its passes, are its blocks; `rerunSpread`: the spread between earlier runs its file recorded.
 */
export function estimateRun(samples: ReadonlyArray<{ repeat: number; totalMs: number; process?: number | undefined }>, metric: CheckMetric, rerunSpread?: RerunSpread): RunEstimate {
  const units = unitsOf(samples.map((sample) => ({ ...(sample.process !== undefined ? { process: sample.process } : {}), pass: sample.repeat, ms: sample.totalMs })));
  return { ...runEstimate(units.blocks, METRIC_STATISTICS[metric], units.unit), ...(rerunSpread !== undefined ? { rerunSpread } : {}) };
}

/** The spread between runs a summary row recorded for the metric (mean or median; none for p95). */
export function recordedSpread(row: Pick<ResultRow, 'rerunEarlierRuns' | 'rerunMeanSdLog' | 'rerunMedianSdLog'> | undefined, metric: CheckMetric): RerunSpread | undefined {
  const sdLog = metric === 'mean' ? row?.rerunMeanSdLog : metric === 'median' ? row?.rerunMedianSdLog : undefined;
  const runs = row?.rerunEarlierRuns;
  return sdLog === undefined || !Number.isFinite(sdLog) || runs === undefined ? undefined : { sdLog, df: runs - 1 };
}

export function compareRuns(
  key: { profile: string; labels: number },
  baseline: readonly RunEstimate[],
  current: readonly RunEstimate[],
  sampleCounts: { baseline: number; current: number },
  settings: CheckSettings,
): RunComparison {
  const result = compareRunSets(baseline, current, { alpha: settings.alpha, threshold: settings.maxRegression, runNoise: Math.log(1 + settings.runNoise) });
  const geometric = (runs: readonly RunEstimate[]) => Math.exp(runs.reduce((sum, run) => sum + run.logValue, 0) / runs.length);
  return {
    ...key,
    baselineRuns: baseline.length,
    currentRuns: current.length,
    baselineSamples: sampleCounts.baseline,
    currentSamples: sampleCounts.current,
    baselineValueMs: geometric(baseline),
    currentValueMs: geometric(current),
    ratio: result.ratio,
    ratioInterval: result.interval,
    pSlower: result.pSlower,
    pFaster: result.pFaster,
    method: result.method,
    df: result.df,
    detectableSlowdown: result.detectableRatio - 1,
    verdict: decideVerdict({ ratio: result.ratio, pSlower: result.pSlower, pFaster: result.pFaster, alpha: settings.alpha, maxRegression: settings.maxRegression }),
  };
}

const percent = (fraction: number): string => `${Math.round(fraction * 1000) / 10}%`;

/** Warnings about what the data can and cannot show, else nothing. */
export function evidenceWarnings(comparison: RunComparison, settings: CheckSettings): string[] {
  const where = `${comparison.profile} at ${comparison.labels} labels (${comparison.baselineRuns} vs ${comparison.currentRuns} run(s))`;
  const warnings: string[] = [];
  if (comparison.method === 'allowance') {
    warnings.push(
      `${where}: one run a side with one process cannot show how much a second run would differ; the interval assumes a run-to-run noise of ${percent(settings.runNoise)} (--run-noise, measured on the development VM); run with --processes 2 or more, or give several runs a side, to measure it`,
    );
  }
  if (comparison.method === 'history') {
    warnings.push(
      `${where}: one run a side: the spread between ${comparison.df + 1} earlier runs of this command on its machine, recorded in the files (rerun_*_sd_log; the baseline's when it has one), stands for the drift between runs; several runs a side measure it for this comparison itself`,
    );
  }
  if (comparison.method === 'processes') {
    warnings.push(
      `${where}: one run a side: its processes show the spread within the run, not the drift between runs minutes apart, so a run-to-run noise of ${percent(settings.runNoise)} is added (--run-noise); give several runs a side to measure it`,
    );
  }
  if (comparison.detectableSlowdown > 2 * settings.maxRegression) {
    warnings.push(
      `${where}: this data reliably (80%) catches only slowdowns of +${percent(comparison.detectableSlowdown)} or more (threshold +${percent(settings.maxRegression)}); add runs on each side`,
    );
  }
  return warnings;
}

export interface RunSetPair {
  profile: string;
  baseline: Run[];
  current: Run[];
  labelCounts: number[];
}

/** The workload: what must be equal for two runs to measure the same thing. Names of the fields as users see them. */
const WORKLOAD_FIELDS: ReadonlyArray<[label: string, value: (row: ResultRow) => string | number]> = [
  ['precision', (row) => row.precision],
  ['model file', (row) => `${row.modelId} sha256 ${row.modelSha256.slice(0, 12)}`],
  ['dataset', (row) => `${row.dataset} sha256 ${row.datasetHash.slice(0, 12)}`],
  ['item count', (row) => row.items],
  ['label pool', (row) => row.labelPool],
  ['template', (row) => row.template],
];

/**
 * Settings that change the cost but not the workload: what a regression gate exists to catch
 * (an onnxruntime upgrade, a thread count that changed), so they are compared, with a warning.
 */
const SETTING_FIELDS: ReadonlyArray<[label: string, value: (row: ResultRow) => string]> = [
  ['pairs per run setting', (row) => row.pairsPerRunSetting],
  ['intra/inter-op threads', (row) => `${row.intraOpThreads ?? 'default'}/${row.interOpThreads ?? 'default'}`],
  ['graph optimization level', (row) => row.graphOptimizationLevel],
  ['execution mode and memory settings', (row) => sessionSettingsText(row)],
  ['onnxruntime version', (row) => row.onnxruntimeVersion],
  ['repeats', (row) => String(row.repeats)],
  ['hardware monitor', (row) => row.monitor ?? 'on'],
];

/** The runs that ran on a busy machine (their machine_busy cells), a sentence each: their figures may be slow for that reason alone. */
export function busyMachineWarnings(profile: string, runs: readonly Run[]): string[] {
  return runs.flatMap((run) => {
    const busy = run.rows.filter((row) => (row.machineBusy ?? '') !== '');
    if (busy.length === 0) return [];
    return [`${profile}: ${run.file} ran on a busy machine (${busy.map((row) => `${row.labels} labels: ${row.machineBusy ?? ''}`).join('; ')}): its figures may be slower for that alone`];
  });
}

/** One configuration a side when each side is uniform (the usual case), else one per profile_hash, named by files. */
function configurationsOf(base: Run[], cur: Run[]): Configuration[] {
  const hashes = (runs: readonly Run[]) => new Set(runs.map((run) => run.rows[0]?.profileHash));
  if (hashes(base).size === 1 && hashes(cur).size === 1) return [{ label: '--baseline', runs: base }, { label: '--current', runs: cur }];
  return configurationsByHash([...base, ...cur]);
}

function groupByProfile(runs: readonly Run[]): Map<string, Run[]> {
  const byProfile = new Map<string, Run[]>();
  for (const run of runs) byProfile.set(run.profile, [...(byProfile.get(run.profile) ?? []), run]);
  return byProfile;
}

/**
 * Pairs baseline and current runs by profile (several runs a side allowed). Runs that do not
 * describe the same measurement (profile sets, model file, precision, dataset, item count,
 * label pool, template) are refused with the difference named; differences that are the point
 * of a check (host, provider, pairs per run, threads, graph optimization, onnxruntime version) are
 * warnings.
 */
export function pairRunSets(
  baselineRuns: readonly Run[],
  currentRuns: readonly Run[],
  readSaved: (run: Run) => SavedProfile | undefined = savedProfileOf,
): { pairs: RunSetPair[]; warnings: string[] } {
  const baseline = groupByProfile(baselineRuns);
  const current = groupByProfile(currentRuns);
  const onlyBaseline = [...baseline.keys()].filter((profile) => !current.has(profile)).sort();
  const onlyCurrent = [...current.keys()].filter((profile) => !baseline.has(profile)).sort();
  if (onlyBaseline.length > 0 || onlyCurrent.length > 0) {
    const parts = [onlyBaseline.length > 0 ? `only in --baseline: ${onlyBaseline.join(', ')}` : '', onlyCurrent.length > 0 ? `only in --current: ${onlyCurrent.join(', ')}` : ''].filter(Boolean);
    throw new UsageError(`the files cover different profiles (${parts.join('; ')}); check compares the same profiles`);
  }
  const warnings: string[] = [];
  const pairs = [...baseline.keys()].sort().map((profile): RunSetPair => {
    const base = baseline.get(profile) as Run[];
    const cur = current.get(profile) as Run[];
    const reference = base[0] as Run;
    const referenceRow = reference.rows[0] as ResultRow;
    for (const [side, runs] of [['--baseline', base], ['--current', cur]] as const) {
      for (const run of runs) {
        const row = run.rows[0] as ResultRow;
        for (const [label, value] of WORKLOAD_FIELDS) {
          if (value(row) !== value(referenceRow)) {
            throw new UsageError(`${profile}: ${label} differs (--baseline ${reference.file}: ${value(referenceRow)}; ${side} ${run.file}: ${value(row)}); these runs measure different things`);
          }
        }
      }
    }
    const all = [...base, ...cur];
    const differing = (what: (row: ResultRow) => string) => new Set(all.map((run) => what(run.rows[0] as ResultRow))).size > 1;
    if (differing((row) => row.host)) warnings.push(`${profile}: the runs come from different hosts (${[...new Set(all.map((run) => run.host))].sort().join(', ')}): the difference includes the machine`);
    if (differing((row) => `${providerName(row.actualProvider)}${row.fallback ? ' (fallback)' : ''}`)) {
      warnings.push(`${profile}: the runs ran on different providers (${[...new Set(all.map((run) => `${run.rows[0]?.actualProvider}${run.rows[0]?.fallback ? ' (fallback)' : ''}`))].join(', ')})`);
    }
    if (differing((row) => row.profileHash)) warnings.push(`${profile}: the profile's settings ${describeConfigurations(configurationsOf(base, cur), readSaved) ?? 'differ between the runs (profile_hash)'}`);
    for (const [label, value] of SETTING_FIELDS) {
      if (differing(value)) {
        const side = (runs: Run[]) => [...new Set(runs.map((run) => value(run.rows[0] as ResultRow)))].join(', ');
        warnings.push(`${profile}: ${label} differ (--baseline ${side(base)}; --current ${side(cur)}): part of any difference may be that`);
      }
    }
    warnings.push(...busyMachineWarnings(profile, all));
    const countsOf = (run: Run) => new Set(run.rows.map((row) => row.labels));
    const everywhere = [...countsOf(reference)].filter((count) => all.every((run) => countsOf(run).has(count))).sort((a, b) => a - b);
    const anywhere = [...new Set(all.flatMap((run) => run.rows.map((row) => row.labels)))].sort((a, b) => a - b);
    if (everywhere.length === 0) throw new UsageError(`${profile}: no label count is in every run (${all.map((run) => run.file).join(', ')})`);
    const unmatched = anywhere.filter((count) => !everywhere.includes(count));
    if (unmatched.length > 0) warnings.push(`${profile}: ${unmatched.join(', ')} labels not measured in every run, not checked`);
    return { profile, baseline: base, current: cur, labelCounts: everywhere };
  });
  return { pairs, warnings };
}

export interface CheckReport {
  settings: CheckSettings;
  comparisons: RunComparison[];
  warnings: string[];
  regressions: number;
}

function samplesAt(run: Run, labels: number, profile: string): Array<{ repeat: number; totalMs: number; process?: number | undefined }> {
  const samples = (run.samples ?? []).filter((sample) => sample.labelCount === labels);
  if (samples.length === 0) throw new UsageError(`${profile} at ${labels} labels: no samples in ${run.file}'s samples file`);
  return samples;
}

/** Compares every paired (profile, label count): each run reduced to its level and its own error. */
export function checkRuns(pairs: readonly RunSetPair[], settings: CheckSettings, warnings: readonly string[]): CheckReport {
  const comparisons: RunComparison[] = [];
  const allWarnings = [...warnings];
  for (const pair of pairs) {
    for (const labels of pair.labelCounts) {
      const side = (runs: readonly Run[]) => runs.map((run) => samplesAt(run, labels, pair.profile));
      const baseline = side(pair.baseline);
      const current = side(pair.current);
      const estimates = (runs: readonly Run[], samples: ReturnType<typeof side>) =>
        runs.map((run, index) => estimateRun(samples[index] ?? [], settings.metric, settings.useRecordedSpread ? recordedSpread(run.rows.find((row) => row.labels === labels), settings.metric) : undefined));
      const comparison = compareRuns(
        { profile: pair.profile, labels },
        estimates(pair.baseline, baseline),
        estimates(pair.current, current),
        { baseline: baseline.reduce((sum, samples) => sum + samples.length, 0), current: current.reduce((sum, samples) => sum + samples.length, 0) },
        settings,
      );
      comparisons.push(comparison);
      allWarnings.push(...evidenceWarnings(comparison, settings));
    }
  }
  return { settings, comparisons, warnings: allWarnings, regressions: comparisons.filter((comparison) => comparison.verdict === 'regression').length };
}
