/**
 * The comparison across machines as data: per comparable group, the platforms table at the
 * reference label count and the label sweep. Pure: formatting lives in src/format.
 */
import { basename, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import type { SampleSummary } from '../stats/statistics.js';
import type { ResultRow, WebUiRecord } from './read-results.js';
import { MIB } from '../schema/csv.js';
import type { CurveGroup } from './curves.js';
import { describeKey, runLabel, sessionSettingsText, type ComparabilityKey, type Run, type RunGroup } from './runs.js';

/** Every latency statistic of a row, in ms, as recorded (or recomputed from pooled samples). */
export type LatencyStatistics = Omit<SampleSummary, 'n' | 'medianCi95Covered'>;

export interface PlatformEntry {
  profile: string;
  host: string;
  /** The summary CSV(s) the run came from (several when pooled). */
  files: string[];
  /** The run's timestamp, or how many runs were pooled. */
  run: string;
  requestedProvider: string;
  actualProvider: string;
  fallback: boolean;
  precision: string;
  /** Texts the run classified (runs of different sizes share a group: per-item figures compare). */
  items: number;
  labels: number;
  /** Timed classifications behind the statistics. */
  samples: number;
  meanMs: number;
  p95Ms: number;
  /** Single-stream QPS: items per second, one text at a time (the run's items_per_s). */
  singleStreamQps: number;
  /** Offline scenario: items per second at the best batch size, when it ran. */
  offlineItemsPerSecond: number | undefined;
  offlinePairsPerSecond: number | undefined;
  offlineBestBatchItems: number | undefined;
  /** Model FLOPs utilisation against the host's MatMul peak, when measured. */
  mfuPercent: number | undefined;
  intraOpThreads: number | undefined;
  pairsPerRun: number | undefined;
  /** Execution mode and memory settings that differ from ONNX Runtime's defaults, in words (`defaults` when none). */
  sessionSettings: string;
  /** Precision parity against fp32 (fp16/int8 runs), and whether the weights behind it were synthetic. */
  parity: Pick<ResultRow, 'parityFlipPercent' | 'parityMeanAbsDiff' | 'parityMaxAbsDiff' | 'batchCompositionFlipPercent' | 'batchCompositionMaxAbsDiff' | 'parityWeights'>;
  /** GPU memory where it was measured, else peak RSS. */
  memoryMiB: number;
  memoryKind: 'GPU' | 'RAM';
  cpuPercentOneCore: number;
  /** Inter-op threads the run recorded (undefined: ONNX Runtime's default). */
  interOpThreads: number | undefined;
  /** Undefined when the weights are random synthetic ones: accuracy would be meaningless. */
  accuracy: number | undefined;
  synthetic: boolean;
  /** Single-stream QPS per dollar-hour of the profile's cost, when it names one and the run did not fall back. */
  qpsPerDollarHour: number | undefined;
  /** The profile's price per hour, as recorded (for what the profile asked for). */
  costPerHour: number | undefined;
  /** Baseline mean latency / this mean latency: above 1 is faster than the baseline. */
  speedVsBaseline: number | undefined;
  /** The web page measured against a server of this profile, host and precision (`zsc-bench webui`), latest per page. */
  webUi: WebUiRecord[];
  latency: LatencyStatistics;
  pairsPerSecond: number;
  cpuPercentAllCores: number;
  /** % of the timed loop spent outside session.run: zsc-bench's own cost. */
  harnessOverheadPercent: number;
}

export interface SweepPoint {
  labels: number;
  meanMs: number;
  increasePercent: number;
}

export interface SweepEntry {
  profile: string;
  host: string;
  run: string;
  points: SweepPoint[];
  fitMsPerLabel: number;
  fitInterceptMs: number;
  fitR2: number;
}

export interface ComparisonGroup {
  key: ComparabilityKey;
  title: string;
  labelCounts: number[];
  platforms: PlatformEntry[];
  sweep: SweepEntry[];
}

export interface ComparisonReport {
  referenceLabels: number;
  baseline: string | undefined;
  groups: ComparisonGroup[];
  /** Throughput-latency curves of `zsc-bench load` files, when any were given. */
  curves: CurveGroup[];
  /** Web page measurements of `zsc-bench webui` files, when any were given. */
  webUi: WebUiRecord[];
  warnings: string[];
}

function platformEntry(run: Run, row: ResultRow): PlatformEntry {
  const gpu = row.gpuMemoryMiB;
  return {
    profile: run.profile,
    host: run.host,
    run: runLabel(run),
    files: run.file.split(' + '),
    requestedProvider: row.requestedProvider,
    actualProvider: row.actualProvider,
    fallback: row.fallback,
    precision: row.precision,
    items: row.items,
    labels: row.labels,
    samples: row.samples,
    meanMs: row.meanMs,
    p95Ms: row.p95Ms,
    singleStreamQps: row.itemsPerSecond,
    offlineItemsPerSecond: row.offlineItemsPerSecond,
    offlinePairsPerSecond: row.offlinePairsPerSecond,
    offlineBestBatchItems: row.offlineBestBatchItems,
    mfuPercent: row.mfuPercent,
    intraOpThreads: row.intraOpThreads,
    pairsPerRun: row.pairsPerRun,
    sessionSettings: sessionSettingsText(row),
    parity: {
      parityFlipPercent: row.parityFlipPercent,
      parityMeanAbsDiff: row.parityMeanAbsDiff,
      parityMaxAbsDiff: row.parityMaxAbsDiff,
      batchCompositionFlipPercent: row.batchCompositionFlipPercent,
      batchCompositionMaxAbsDiff: row.batchCompositionMaxAbsDiff,
      parityWeights: row.parityWeights ?? '',
    },
    memoryMiB: gpu ?? row.peakRssBytes / MIB,
    memoryKind: gpu === undefined ? 'RAM' : 'GPU',
    cpuPercentOneCore: row.cpuPercentOneCore,
    interOpThreads: row.interOpThreads,
    accuracy: row.accuracyMeaningful ? row.accuracy : undefined,
    synthetic: row.synthetic,
    // A fallback ran on the CPU, not on what the price is for: it is left unpriced (and warned about).
    qpsPerDollarHour: row.fallback || row.costPerHour === undefined || row.costPerHour <= 0 ? undefined : row.itemsPerSecond / row.costPerHour,
    costPerHour: row.costPerHour,
    speedVsBaseline: undefined,
    webUi: [],
    latency: {
      mean: row.meanMs,
      std: row.stdMs,
      min: row.minMs,
      p50: row.p50Ms,
      p90: row.p90Ms,
      p95: row.p95Ms,
      p99: row.p99Ms,
      max: row.maxMs,
      meanCi95: [row.meanCi95LowMs, row.meanCi95HighMs],
      medianCi95: [row.medianCi95LowMs, row.medianCi95HighMs],
    },
    pairsPerSecond: row.pairsPerSecond,
    cpuPercentAllCores: row.cpuPercentAllCores,
    harnessOverheadPercent: row.harnessOverheadPercent,
  };
}

/** The latest measurement of each page against a server of this platform (same profile, host and precision). */
function webUiOf(entry: PlatformEntry, pages: readonly WebUiRecord[]): WebUiRecord[] {
  const mine = pages.filter((page) => page.serverProfile === entry.profile && page.serverHost === entry.host && page.precision === entry.precision);
  const latest = new Map<string, WebUiRecord>();
  for (const page of mine) {
    const key = `${page.page}\u0000${page.cpuSlowdown}`;
    const known = latest.get(key);
    if (known === undefined || page.timestamp > known.timestamp) latest.set(key, page);
  }
  return [...latest.values()].sort((a, b) => (a.page < b.page ? 1 : a.page > b.page ? -1 : a.cpuSlowdown - b.cpuSlowdown));
}

function sweepEntry(run: Run): SweepEntry {
  const last = run.rows[run.rows.length - 1];
  return {
    profile: run.profile,
    host: run.host,
    run: runLabel(run),
    points: run.rows.map((row) => ({ labels: row.labels, meanMs: row.meanMs, increasePercent: row.increaseVsMinLabelsPercent })),
    fitMsPerLabel: last?.fitMsPerLabel ?? Number.NaN,
    fitInterceptMs: last?.fitInterceptMs ?? Number.NaN,
    // Through two points any line fits exactly: R² would be 1 whatever the data.
    fitR2: run.rows.length >= 3 ? (last?.fitR2 ?? Number.NaN) : Number.NaN,
  };
}

/**
 * Which run the relative column is against: a platform (`cpu`, `cpu@host`, and when that host
 * has several runs, `cpu@host@2026-11-25T00:26:57Z`: a time or its leading part), or a summary
 * CSV file (`results/cpu-host-20261125T002657Z.csv`).
 */
export type BaselineSpec =
  | { kind: 'platform'; profile: string; host: string | undefined; time: string | undefined }
  | { kind: 'file'; file: string };

export function describeBaseline(spec: BaselineSpec): string {
  if (spec.kind === 'file') return basename(spec.file);
  return [spec.profile, spec.host, spec.time].filter((part) => part !== undefined).join('@');
}

/** Times compare without separators, so 2026-11-25T00:26, 20261125T0026 and the file stamp all match. */
const compactTime = (time: string): string => time.replace(/[-:.]/g, '');

function matchesBaseline(entry: PlatformEntry, spec: BaselineSpec): boolean {
  if (spec.kind === 'file') return entry.files.some((file) => resolve(file) === spec.file);
  if (entry.profile !== spec.profile || (spec.host !== undefined && entry.host !== spec.host)) return false;
  return spec.time === undefined || compactTime(entry.run).startsWith(compactTime(spec.time));
}

/** Sample counts this far apart make a ratio much less certain on one side than the other. */
export const SAMPLE_RATIO_WARNING = 3;

/**
 * Speed relative to the baseline, in every comparable group that has it: `--baseline cpu` with an
 * fp32 and an int8 cpu run (two groups) gives each group its own cpu baseline. Refused only when
 * one group holds more than one match, since ratios there would depend on which was meant.
 */
function applyBaseline(groups: ComparisonGroup[], spec: BaselineSpec, warnings: string[], merged: boolean): void {
  const name = describeBaseline(spec);
  const matchesByGroup = groups.map((group) => group.platforms.filter((entry) => matchesBaseline(entry, spec)));
  if (matchesByGroup.every((matches) => matches.length === 0)) {
    const known = [...new Set(groups.flatMap((group) => group.platforms.map((entry) => `${entry.profile}@${entry.host}`)))].sort();
    throw new UsageError(`--baseline: no results for ${name} at the reference label count; these are compared: ${known.join(', ')}`);
  }
  const ambiguous = matchesByGroup.find((matches) => matches.length > 1);
  if (ambiguous !== undefined) {
    const list = ambiguous.map((entry) => `${entry.profile}@${entry.host}@${entry.run} (${entry.files.join(' + ')})`).join(', ');
    const example = ambiguous[0];
    const byTime = example === undefined ? '' : ` or by time (--baseline ${example.profile}@${example.host}@${example.run})`;
    const byFile = example === undefined ? '' : ` (--baseline ${example.files[0] ?? ''})`;
    const pool = merged
      ? '; --merge-repeats did not pool them: they differ in profile settings, item count or the provider that ran'
      : ', or pool repeats of one configuration with --merge-repeats';
    throw new UsageError(`--baseline: ${name} matches ${ambiguous.length} runs: ${list}; name one by its file${byFile}${byTime}${pool}`);
  }
  groups.forEach((group, index) => {
    const baseline = matchesByGroup[index]?.[0];
    if (baseline === undefined) return;
    for (const entry of group.platforms) entry.speedVsBaseline = baseline.meanMs / entry.meanMs;
    const uneven = group.platforms.filter((entry) => Math.max(entry.samples, baseline.samples) >= SAMPLE_RATIO_WARNING * Math.min(entry.samples, baseline.samples));
    if (uneven.length > 0) {
      warnings.push(
        `speed vs ${name}: the baseline has ${baseline.samples} samples, but ${uneven.map((entry) => `${entry.profile}@${entry.host} (${entry.run}) has ${entry.samples}`).join(', ')}: ` +
          'a ratio between so different sample counts is only as certain as the smaller one; run both with the same --items and --repeats',
      );
    }
  });
  const withBaseline = groups.filter((_group, index) => (matchesByGroup[index]?.length ?? 0) > 0).map((group) => groups.indexOf(group) + 1);
  const without = groups.filter((_group, index) => (matchesByGroup[index]?.length ?? 0) === 0).map((group) => groups.indexOf(group) + 1);
  if (without.length > 0) {
    const others = without.length > 1 ? `groups ${without.join(', ')} get` : `group ${without.join('')} gets`;
    warnings.push(`--baseline ${name} is in group${withBaseline.length > 1 ? 's' : ''} ${withBaseline.join(', ')}; ${others} no relative figures (not comparable)`);
  }
}

/** Above this share of the timed loop, zsc-bench's own time dominates the figures. */
export const HARNESS_WARNING_PERCENT = 10;

/**
 * Builds the report. A run without a row at the reference label count stays in the sweep but
 * not in the platforms table, with a warning.
 */
export function buildComparison(
  groups: readonly RunGroup[],
  curves: readonly CurveGroup[],
  options: { referenceLabels: number; baseline?: BaselineSpec; webUi?: readonly WebUiRecord[]; merged?: boolean },
): ComparisonReport {
  const webUi = [...(options.webUi ?? [])];
  const warnings: string[] = [];
  const comparisonGroups = groups.map((group): ComparisonGroup => {
    const platforms: PlatformEntry[] = [];
    for (const run of group.runs) {
      const row = run.rows.find((candidate) => candidate.labels === options.referenceLabels);
      if (row === undefined) {
        warnings.push(`${run.file}: ${run.profile} on ${run.host} has no ${options.referenceLabels}-label row, so it is only in the sweep table (choose another with --labels)`);
        continue;
      }
      const entry = platformEntry(run, row);
      entry.webUi = webUiOf(entry, webUi);
      platforms.push(entry);
    }
    for (const entry of platforms) {
      if (entry.harnessOverheadPercent > HARNESS_WARNING_PERCENT) {
        warnings.push(`${entry.profile} on ${entry.host} (${entry.run}): ${entry.harnessOverheadPercent.toFixed(1)}% of the timed loop is zsc-bench's own time (harness %): the model is so fast that the tool's overhead dominates these figures`);
      }
      if (entry.fallback) {
        warnings.push(
          `${entry.profile} on ${entry.host} asked for ${entry.requestedProvider} but ran on ${entry.actualProvider} (fallback): its numbers are not ${entry.requestedProvider}'s` +
            (entry.costPerHour !== undefined && entry.costPerHour > 0 ? `, and its QPS per $/h is left out ($${entry.costPerHour}/h is the price of ${entry.requestedProvider})` : ''),
        );
      }
    }
    return {
      key: group.key,
      title: describeKey(group.key),
      labelCounts: [...new Set(group.runs.flatMap((run) => run.rows.map((row) => row.labels)))].sort((a, b) => a - b),
      platforms,
      sweep: group.runs.map(sweepEntry),
    };
  });
  for (const group of comparisonGroups) {
    const twoPoint = group.sweep.filter((entry) => entry.points.length === 2);
    if (twoPoint.length > 0) {
      warnings.push(`${twoPoint.map((entry) => `${entry.profile}@${entry.host}`).join(', ')}: two label counts only, so the fitted line passes through both points and R² is 1 by construction (not shown); sweep three or more counts for a meaningful fit`);
    }
  }
  for (const group of comparisonGroups) {
    const falling = group.sweep.filter((entry) => entry.fitMsPerLabel < 0);
    if (falling.length > 0) {
      warnings.push(
        `${falling.map((entry) => `${entry.profile}@${entry.host} (${entry.run}): ${entry.fitMsPerLabel.toFixed(2)} ms per label`).join(', ')}: ` +
          'the fitted slope is negative (more labels ran faster), so noise outweighs the cost of a label here; repeat with more --items or --repeats',
      );
    }
  }
  if (options.baseline !== undefined) applyBaseline(comparisonGroups, options.baseline, warnings, options.merged === true);
  return {
    referenceLabels: options.referenceLabels,
    baseline: options.baseline === undefined ? undefined : describeBaseline(options.baseline),
    groups: comparisonGroups,
    curves: [...curves],
    webUi,
    warnings,
  };
}
