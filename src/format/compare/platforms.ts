/** The platforms table: each run's figures at the reference label count. */
import type { ComparisonGroup, PlatformEntry } from '../../compare/comparison.js';
import { providerCell } from '../text.js';
import { DIGITS, platformColumns, repeatedPlatforms, shown, tableRows, type Column, type Fields, type Layout, type RunContext, type TableRows } from './columns.js';
import { webUiCell } from './web-ui.js';

export const PLATFORM_FIELDS = {
  profile: { read: (entry) => entry.profile },
  host: { read: (entry) => entry.host },
  run: { read: (entry) => entry.run },
  requested_provider: { read: (entry) => entry.requestedProvider },
  actual_provider: { read: (entry) => entry.actualProvider },
  fallback: { read: (entry) => entry.fallback },
  precision: { read: (entry) => entry.precision },
  items: { read: (entry) => entry.items },
  labels: { read: (entry) => entry.labels },
  samples: { read: (entry) => entry.samples },
  mean_ms: { digits: DIGITS.ms, read: (entry) => entry.meanMs },
  p95_ms: { digits: DIGITS.ms, read: (entry) => entry.p95Ms },
  single_stream_qps: { digits: DIGITS.qps, read: (entry) => entry.singleStreamQps },
  offline_items_per_s: { digits: DIGITS.qps, read: (entry) => entry.offlineItemsPerSecond },
  offline_pairs_per_s: { digits: DIGITS.pairsPerSecond, read: (entry) => entry.offlinePairsPerSecond },
  offline_best_batch_items: { read: (entry) => entry.offlineBestBatchItems },
  mfu_percent: { digits: DIGITS.percent, read: (entry) => entry.mfuPercent },
  intra_op_threads: { read: (entry) => entry.intraOpThreads },
  pairs_per_run: { read: (entry) => entry.pairsPerRun },
  session_settings: { read: (entry) => entry.sessionSettings },
  parity_flip_percent: { digits: DIGITS.percent, read: (entry) => entry.parity.parityFlipPercent },
  parity_mean_abs_diff: { digits: DIGITS.scoreDiff, read: (entry) => entry.parity.parityMeanAbsDiff },
  parity_max_abs_diff: { digits: DIGITS.scoreDiff, read: (entry) => entry.parity.parityMaxAbsDiff },
  batch_composition_flip_percent: { digits: DIGITS.percent, read: (entry) => entry.parity.batchCompositionFlipPercent },
  batch_composition_max_abs_diff: { digits: DIGITS.scoreDiff, read: (entry) => entry.parity.batchCompositionMaxAbsDiff },
  parity_weights: { read: (entry) => entry.parity.parityWeights ?? '' },
  peak_memory_mib: { digits: DIGITS.memory, read: (entry) => entry.memoryMiB },
  peak_memory_kind: { read: (entry) => entry.memoryKind },
  cpu_percent_one_core: { digits: DIGITS.cpu, read: (entry) => entry.cpuPercentOneCore },
  inter_op_threads: { read: (entry) => entry.interOpThreads },
  accuracy: { digits: DIGITS.accuracy, read: (entry) => entry.accuracy },
  synthetic: { read: (entry) => entry.synthetic },
  single_stream_qps_per_usd_hour: { digits: DIGITS.perDollar, read: (entry) => entry.qpsPerDollarHour },
  speed_vs_baseline: { digits: DIGITS.ratio, read: (entry) => entry.speedVsBaseline },
  /** `smooth` or `not smooth` when the web page was measured against this platform's server. */
  web_ui: { read: (entry) => (entry.webUi.length === 0 ? null : entry.webUi.every((page) => page.smooth) ? 'smooth' : 'not smooth') },
  /** The largest p95 the page added, over the pages measured. */
  web_ui_added_p95_ms: { digits: DIGITS.ms, read: (entry) => (entry.webUi.length === 0 ? undefined : Math.max(...entry.webUi.map((page) => page.addedMs.p95))) },
  std_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.std },
  min_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.min },
  p50_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.p50 },
  p90_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.p90 },
  p99_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.p99 },
  max_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.max },
  mean_ci95_low_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.meanCi95[0] },
  mean_ci95_high_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.meanCi95[1] },
  median_ci95_low_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.medianCi95[0] },
  median_ci95_high_ms: { digits: DIGITS.ms, read: (entry) => entry.latency.medianCi95[1] },
  pairs_per_s: { digits: DIGITS.pairsPerSecond, read: (entry) => entry.pairsPerSecond },
  cpu_percent_all_cores: { digits: DIGITS.cpu, read: (entry) => entry.cpuPercentAllCores },
  harness_overhead_percent: { digits: DIGITS.percent, read: (entry) => entry.harnessOverheadPercent },
  files: { read: (entry) => entry.files.join(' + ') },
} satisfies Fields<PlatformEntry>;

interface PlatformContext extends RunContext {
  baseline: string | undefined;
  withWebUi: boolean;
  /** Some run measured the offline scenario (batches). */
  offline: boolean;
  /** Some run's accuracy means something (real weights, or a known-answer model). */
  accurate: boolean;
  /** Runs of different item counts sit in this group. */
  mixedItems: boolean;
  /** Runs with different threads, execution mode or memory settings sit in this group (a tuned profile beside its start). */
  mixedSessions: boolean;
}

const F = PLATFORM_FIELDS;
/** A shown figure and what it is in, unless there is none. */
const unit = (figure: string, what: string): string => (figure === '-' ? figure : `${figure}${what}`);
const accuracyCell = (entry: PlatformEntry): string => (entry.accuracy === undefined && entry.synthetic ? 'synthetic' : shown(F.accuracy, entry));

/**
 * The narrow table (the default, within about 100 columns) shows platform, provider, precision,
 * mean and p95 latency, QPS, memory, and the run's time, accuracy and speed only when they say
 * something; the wide one every column. Which QPS is which: single-stream (one text at a time)
 * always; offline (batches) when a run measured it.
 */
const PLATFORM_COLUMNS: ReadonlyArray<Column<PlatformEntry, PlatformContext>> = [
  ...platformColumns<PlatformEntry, PlatformContext>(),
  { head: 'provider', shownIn: 'wide', cell: providerCell },
  // What it fell back from is in the warnings and the wide table.
  { head: 'provider', shownIn: 'narrow', cell: (entry) => (entry.fallback ? `${entry.actualProvider} (FALLBACK)` : entry.actualProvider) },
  { head: 'precision', shownIn: 'both', cell: (entry) => entry.precision },
  { head: 'items', shownIn: 'both', when: (context) => context.mixedItems, cell: (entry) => String(entry.items) },
  { head: 'session', shownIn: 'both', when: (context) => context.mixedSessions, cell: (entry) => `${entry.intraOpThreads ?? '?'} thr${entry.sessionSettings === 'defaults' ? '' : `, ${entry.sessionSettings}`}` },
  { head: 'labels', shownIn: 'wide', cell: (entry) => String(entry.labels) },
  { head: 'samples', shownIn: 'wide', cell: (entry) => String(entry.samples) },
  { head: 'mean ms', shownIn: 'both', cell: (entry) => shown(F.mean_ms, entry) },
  { head: 'p95 ms', shownIn: 'both', cell: (entry) => shown(F.p95_ms, entry) },
  { head: 'single-stream QPS', narrowHead: 'QPS', shownIn: 'both', cell: (entry) => shown(F.single_stream_qps, entry) },
  { head: 'offline items/s (batch)', shownIn: 'wide', when: (context) => context.offline, cell: (entry) => unit(shown(F.offline_items_per_s, entry), ` (${entry.offlineBestBatchItems ?? '?'})`) },
  { head: 'peak memory', shownIn: 'wide', cell: (entry) => unit(shown(F.peak_memory_mib, entry), ` MiB ${entry.memoryKind}`) },
  { head: 'peak MiB', shownIn: 'narrow', cell: (entry) => unit(shown(F.peak_memory_mib, entry), entry.memoryKind === 'GPU' ? ' GPU' : '') },
  { head: 'CPU % (1 core)', shownIn: 'wide', cell: (entry) => shown(F.cpu_percent_one_core, entry) },
  { head: 'accuracy', shownIn: 'wide', cell: accuracyCell },
  { head: 'accuracy', shownIn: 'narrow', when: (context) => context.accurate, cell: accuracyCell },
  { head: 'single-stream QPS per $/h', shownIn: 'wide', cell: (entry) => shown(F.single_stream_qps_per_usd_hour, entry) },
  { head: (context) => `speed vs ${context.baseline} (x)`, narrowHead: 'speed (x)', shownIn: 'both', when: (context) => context.baseline !== undefined, cell: (entry) => shown(F.speed_vs_baseline, entry) },
  { head: 'web UI', shownIn: 'wide', when: (context) => context.withWebUi, cell: (entry) => webUiCell(entry.webUi) },
];

export function platformRows(group: ComparisonGroup, baseline: string | undefined, withWebUi = false, layout: Layout = 'wide'): TableRows {
  const context: PlatformContext = {
    repeated: repeatedPlatforms(group.platforms),
    baseline,
    withWebUi,
    offline: group.platforms.some((entry) => entry.offlineItemsPerSecond !== undefined),
    accurate: group.platforms.some((entry) => entry.accuracy !== undefined),
    mixedItems: new Set(group.platforms.map((entry) => entry.items)).size > 1,
    mixedSessions: new Set(group.platforms.map((entry) => `${entry.intraOpThreads ?? ''}|${entry.sessionSettings}`)).size > 1,
  };
  return tableRows(PLATFORM_COLUMNS, group.platforms, context, layout);
}
