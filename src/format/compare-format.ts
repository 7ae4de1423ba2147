/**
 * The comparison in four formats. The table and the Markdown round every number once, through
 * `rounded`; the CSV and the JSON are for machines and carry every statistic at the precision the
 * result files recorded (`exact`), so nothing downstream computes on rounded values.
 */
import { formatCsv } from '../io/csv-table.js';
import { fixed } from '../base/fixed.js';
import type { Curve, CurveGroup } from '../compare/curves.js';
import type { ComparisonGroup, ComparisonReport, PlatformEntry, SweepEntry } from '../compare/comparison.js';
import type { ComparabilityKey } from '../compare/runs.js';
import type { Style } from './style.js';
import { renderMarkdownTable, renderTable } from './tables.js';
import { batchingCell, providerCell } from './text.js';
import { webUiRows, WEBUI_RULE } from './webui-format.js';
import type { WebUiRecord } from '../compare/read-results.js';

export const COMPARE_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

type Value = string | number | boolean | null;

/** Digits each kind of number is shown with, in every format. */
const DIGITS = { ms: 1, qps: 2, memory: 0, cpu: 0, accuracy: 3, perDollar: 2, ratio: 2, percent: 1, msPerLabel: 2, r2: 3, pairsPerSecond: 1, batch: 2, scoreDiff: 4 } as const;

/** How numbers are carried: rounded for people, or exact for machines; null when there is none. */
type Precise = (value: number | undefined, digits: number) => number | null;

/** The one rounding of the human formats: the shared fixed-decimal text, read back as a number. */
const rounded: Precise = (value, digits) => {
  const text = fixed(digits)(value);
  return text === '' ? null : Number(text);
};

/** The machine formats: the value as recorded. */
const exact: Precise = (value) => (value === undefined || !Number.isFinite(value) ? null : value);

const show = (value: number | null, digits: number): string => fixed(digits)(value ?? undefined) || '-';

interface PlatformFields {
  profile: string;
  host: string;
  run: string;
  requested_provider: string;
  actual_provider: string;
  fallback: boolean;
  precision: string;
  labels: number;
  samples: number;
  mean_ms: number | null;
  p95_ms: number | null;
  single_stream_qps: number | null;
  offline_items_per_s: number | null;
  offline_pairs_per_s: number | null;
  offline_best_batch_items: number | null;
  mfu_percent: number | null;
  intra_op_threads: number | null;
  pairs_per_run: number | null;
  parity_flip_percent: number | null;
  parity_mean_abs_diff: number | null;
  parity_max_abs_diff: number | null;
  batch_composition_flip_percent: number | null;
  batch_composition_max_abs_diff: number | null;
  parity_weights: string;
  peak_memory_mib: number | null;
  peak_memory_kind: 'GPU' | 'RAM';
  cpu_percent_one_core: number | null;
  inter_op_threads: number | null;
  accuracy: number | null;
  synthetic: boolean;
  single_stream_qps_per_usd_hour: number | null;
  speed_vs_baseline: number | null;
  /** `smooth` or `not smooth` when the web page was measured against this platform's server. */
  web_ui: string | null;
  /** The largest p95 the page added, over the pages measured. */
  web_ui_added_p95_ms: number | null;
  std_ms: number | null;
  min_ms: number | null;
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  mean_ci95_low_ms: number | null;
  mean_ci95_high_ms: number | null;
  median_ci95_low_ms: number | null;
  median_ci95_high_ms: number | null;
  pairs_per_s: number | null;
  cpu_percent_all_cores: number | null;
  harness_overhead_percent: number | null;
  files: string;
}

/** The platform fields after the run's identity (profile, host, run), in CSV column order. */
const PLATFORM_CSV_FIELDS = [
  'files', 'requested_provider', 'actual_provider', 'fallback', 'precision', 'labels', 'samples', 'mean_ms', 'std_ms', 'min_ms', 'p50_ms',
  'p90_ms', 'p95_ms', 'p99_ms', 'max_ms', 'mean_ci95_low_ms', 'mean_ci95_high_ms', 'median_ci95_low_ms', 'median_ci95_high_ms', 'single_stream_qps',
  'pairs_per_s', 'offline_items_per_s', 'offline_pairs_per_s', 'offline_best_batch_items', 'mfu_percent', 'intra_op_threads', 'inter_op_threads', 'pairs_per_run', 'parity_flip_percent',
  'parity_mean_abs_diff', 'parity_max_abs_diff', 'batch_composition_flip_percent', 'batch_composition_max_abs_diff', 'parity_weights', 'peak_memory_mib',
  'peak_memory_kind', 'cpu_percent_one_core', 'cpu_percent_all_cores', 'harness_overhead_percent', 'accuracy', 'synthetic', 'single_stream_qps_per_usd_hour', 'speed_vs_baseline',
  'web_ui', 'web_ui_added_p95_ms',
] as const satisfies ReadonlyArray<keyof PlatformFields>;

/** Columns only load rows use (p95_ms and the provider columns are shared with run rows). */
const LOAD_CSV_FIELDS = [
  'batching', 'inexact_batching', 'max_batch_pairs', 'mode', 'level', 'requests', 'ok', 'errors', 'throughput_rps', 'pairs_per_s',
  'p50_ms', 'p99_ms', 'mean_batch_requests',
] as const;

/** The rest of a group's comparability key, as CSV columns and JSON fields. */
const KEY_CSV_FIELDS = ['items', 'label_pool', 'template', 'pairs_per_run_setting', 'graph_optimization', 'onnxruntime_version'] as const;

function keyFields(key: ComparabilityKey): Record<(typeof KEY_CSV_FIELDS)[number], string | number> {
  return {
    items: key.items,
    label_pool: key.labelPool,
    template: key.template,
    pairs_per_run_setting: key.pairsPerRunSetting,
    graph_optimization: key.graphOptimizationLevel,
    onnxruntime_version: key.onnxruntimeVersion,
  };
}

function platformFields(entry: PlatformEntry, round: Precise = rounded): PlatformFields {
  const latency = entry.latency;
  return {
    profile: entry.profile,
    host: entry.host,
    run: entry.run,
    requested_provider: entry.requestedProvider,
    actual_provider: entry.actualProvider,
    fallback: entry.fallback,
    precision: entry.precision,
    labels: entry.labels,
    samples: entry.samples,
    mean_ms: round(entry.meanMs, DIGITS.ms),
    p95_ms: round(entry.p95Ms, DIGITS.ms),
    single_stream_qps: round(entry.singleStreamQps, DIGITS.qps),
    offline_items_per_s: round(entry.offlineItemsPerSecond, DIGITS.qps),
    offline_pairs_per_s: round(entry.offlinePairsPerSecond, DIGITS.pairsPerSecond),
    offline_best_batch_items: entry.offlineBestBatchItems ?? null,
    mfu_percent: round(entry.mfuPercent, DIGITS.percent),
    intra_op_threads: entry.intraOpThreads ?? null,
    pairs_per_run: entry.pairsPerRun ?? null,
    parity_flip_percent: round(entry.parity.parityFlipPercent, DIGITS.percent),
    parity_mean_abs_diff: round(entry.parity.parityMeanAbsDiff, DIGITS.scoreDiff),
    parity_max_abs_diff: round(entry.parity.parityMaxAbsDiff, DIGITS.scoreDiff),
    batch_composition_flip_percent: round(entry.parity.batchCompositionFlipPercent, DIGITS.percent),
    batch_composition_max_abs_diff: round(entry.parity.batchCompositionMaxAbsDiff, DIGITS.scoreDiff),
    parity_weights: entry.parity.parityWeights ?? '',
    peak_memory_mib: round(entry.memoryMiB, DIGITS.memory),
    peak_memory_kind: entry.memoryKind,
    cpu_percent_one_core: round(entry.cpuPercentOneCore, DIGITS.cpu),
    inter_op_threads: entry.interOpThreads ?? null,
    accuracy: round(entry.accuracy, DIGITS.accuracy),
    synthetic: entry.synthetic,
    single_stream_qps_per_usd_hour: round(entry.qpsPerDollarHour, DIGITS.perDollar),
    speed_vs_baseline: round(entry.speedVsBaseline, DIGITS.ratio),
    web_ui: entry.webUi.length === 0 ? null : entry.webUi.every((page) => page.smooth) ? 'smooth' : 'not smooth',
    web_ui_added_p95_ms: entry.webUi.length === 0 ? null : round(Math.max(...entry.webUi.map((page) => page.addedMs.p95)), DIGITS.ms),
    std_ms: round(latency.std, DIGITS.ms),
    min_ms: round(latency.min, DIGITS.ms),
    p50_ms: round(latency.p50, DIGITS.ms),
    p90_ms: round(latency.p90, DIGITS.ms),
    p99_ms: round(latency.p99, DIGITS.ms),
    max_ms: round(latency.max, DIGITS.ms),
    mean_ci95_low_ms: round(latency.meanCi95[0], DIGITS.ms),
    mean_ci95_high_ms: round(latency.meanCi95[1], DIGITS.ms),
    median_ci95_low_ms: round(latency.medianCi95[0], DIGITS.ms),
    median_ci95_high_ms: round(latency.medianCi95[1], DIGITS.ms),
    pairs_per_s: round(entry.pairsPerSecond, DIGITS.pairsPerSecond),
    cpu_percent_all_cores: round(entry.cpuPercentAllCores, DIGITS.cpu),
    harness_overhead_percent: round(entry.harnessOverheadPercent, DIGITS.percent),
    files: entry.files.join(' + '),
  };
}

/** `smooth (normal +42.0 ms, lite +30.1 ms at p95)`: the web UI column, by the rule in WEBUI_RULE. */
function webUiCell(pages: readonly WebUiRecord[]): string {
  if (pages.length === 0) return '-';
  const verdict = pages.every((page) => page.smooth) ? 'smooth' : 'NOT smooth';
  const parts = pages.map((page) => `${page.page}${page.cpuSlowdown > 1 ? ` CPU/${page.cpuSlowdown}` : ''} ${page.smooth ? '' : '(slow) '}+${show(rounded(page.addedMs.p95, DIGITS.ms), DIGITS.ms)} ms`);
  return `${verdict} (${parts.join(', ')} at p95)`;
}

interface SweepFields {
  profile: string;
  host: string;
  run: string;
  points: Array<{ labels: number; mean_ms: number | null; increase_percent: number | null }>;
  fit_ms_per_label: number | null;
  fit_intercept_ms: number | null;
  fit_r2: number | null;
}

function sweepFields(entry: SweepEntry, round: Precise = rounded): SweepFields {
  return {
    profile: entry.profile,
    host: entry.host,
    run: entry.run,
    points: entry.points.map((point) => ({
      labels: point.labels,
      mean_ms: round(point.meanMs, DIGITS.ms),
      increase_percent: round(point.increasePercent, DIGITS.percent),
    })),
    fit_ms_per_label: round(entry.fitMsPerLabel, DIGITS.msPerLabel),
    fit_intercept_ms: round(entry.fitInterceptMs, DIGITS.ms),
    fit_r2: round(entry.fitR2, DIGITS.r2),
  };
}

interface CurvePointFields {
  mode: 'closed' | 'open';
  level: number;
  requests: number;
  ok: number;
  errors: number;
  throughput_rps: number | null;
  pairs_per_s: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  mean_batch_requests: number | null;
}

interface CurveFields {
  server_host: string;
  server_profile: string;
  run: string;
  requested_provider: string;
  actual_provider: string;
  fallback: boolean;
  synthetic: boolean;
  batching: string;
  inexact_batching: boolean;
  max_batch_pairs: number;
  points: CurvePointFields[];
}

function curveFields(curve: Curve, round: Precise = rounded): CurveFields {
  return {
    server_host: curve.serverHost,
    server_profile: curve.serverProfile,
    run: curve.run,
    requested_provider: curve.requestedProvider,
    actual_provider: curve.actualProvider,
    fallback: curve.fallback,
    synthetic: curve.synthetic,
    batching: curve.batching,
    inexact_batching: curve.inexactBatching,
    max_batch_pairs: curve.maxBatchPairs,
    points: curve.points.map((point) => ({
      mode: point.mode,
      level: point.level,
      requests: point.requests,
      ok: point.ok,
      errors: point.errors,
      throughput_rps: round(point.throughputRps, DIGITS.qps),
      pairs_per_s: round(point.pairsPerSecond, DIGITS.pairsPerSecond),
      p50_ms: round(point.p50Ms, DIGITS.ms),
      p95_ms: round(point.p95Ms, DIGITS.ms),
      p99_ms: round(point.p99Ms, DIGITS.ms),
      mean_batch_requests: round(point.meanBatchRequests, DIGITS.batch),
    })),
  };
}

const levelText = (point: CurvePointFields): string =>
  point.mode === 'closed' ? `${point.level} client${point.level === 1 ? '' : 's'}` : `${point.level} req/s sent`;

export function curveRows(group: CurveGroup): { head: string[]; rows: string[][] } {
  const head = ['server', 'profile', 'run', 'provider', 'batching', 'load', 'req/s', 'pairs/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'requests/batch'];
  const rows = group.curves.flatMap((curve) => {
    const f = curveFields(curve);
    const provider = providerCell(curve);
    return f.points.map((point) => [
      f.server_host,
      f.server_profile === '' ? '-' : f.server_profile,
      f.run,
      provider,
      batchingCell(curve),
      levelText(point),
      show(point.throughput_rps, DIGITS.qps),
      show(point.pairs_per_s, DIGITS.pairsPerSecond),
      show(point.p50_ms, DIGITS.ms),
      show(point.p95_ms, DIGITS.ms),
      show(point.p99_ms, DIGITS.ms),
      `${point.errors}/${point.requests}`,
      show(point.mean_batch_requests, DIGITS.batch),
    ]);
  });
  return { head, rows };
}

export function curveHeading(group: CurveGroup, index: number, count: number): string {
  const title = `${group.precision} · model ${group.modelId} (sha256 ${group.modelSha256.slice(0, 12)}) · dataset ${group.dataset} (sha256 ${group.datasetHash.slice(0, 12)}) · ${group.labels} labels per request`;
  return `Throughput-latency curves${count > 1 ? ` ${index + 1} of ${count}` : ''}: ${title}`;
}

export function platformRows(group: ComparisonGroup, baseline: string | undefined, withWebUi = false): { head: string[]; rows: string[][] } {
  // Which QPS is which: single-stream (one text at a time) always; offline (batches) when a run measured it.
  const offline = group.platforms.some((entry) => entry.offlineItemsPerSecond !== undefined);
  const head = ['profile', 'host', 'run', 'provider', 'precision', 'labels', 'samples', 'mean ms', 'p95 ms', 'single-stream QPS', ...(offline ? ['offline items/s (batch)'] : []), 'peak memory', 'CPU % (1 core)', 'accuracy', 'single-stream QPS per $/h'];
  if (baseline !== undefined) head.push(`speed vs ${baseline} (x)`);
  if (withWebUi) head.push('web UI');
  const rows = group.platforms.map((entry) => {
    const f = platformFields(entry);
    const row = [
      f.profile,
      f.host,
      f.run,
      providerCell(entry),
      f.precision,
      String(f.labels),
      String(f.samples),
      show(f.mean_ms, DIGITS.ms),
      show(f.p95_ms, DIGITS.ms),
      show(f.single_stream_qps, DIGITS.qps),
      ...(offline ? [f.offline_items_per_s === null ? '-' : `${show(f.offline_items_per_s, DIGITS.qps)} (${f.offline_best_batch_items ?? '?'})`] : []),
      f.peak_memory_mib === null ? '-' : `${show(f.peak_memory_mib, DIGITS.memory)} MiB ${f.peak_memory_kind}`,
      show(f.cpu_percent_one_core, DIGITS.cpu),
      f.synthetic ? 'synthetic' : show(f.accuracy, DIGITS.accuracy),
      show(f.single_stream_qps_per_usd_hour, DIGITS.perDollar),
    ];
    if (baseline !== undefined) row.push(show(f.speed_vs_baseline, DIGITS.ratio));
    if (withWebUi) row.push(webUiCell(entry.webUi));
    return row;
  });
  return { head, rows };
}

export function sweepRows(group: ComparisonGroup): { head: string[]; rows: string[][] } {
  const smallest = group.labelCounts[0];
  const head = ['profile', 'host', 'run', ...group.labelCounts.map((count) => `${count} labels ms`), 'ms per label', 'R²'];
  const rows = group.sweep.map((entry) => {
    const f = sweepFields(entry);
    const cells = group.labelCounts.map((count) => {
      const point = f.points.find((candidate) => candidate.labels === count);
      if (point === undefined) return '-';
      const mean = show(point.mean_ms, DIGITS.ms);
      if (count === smallest || point.increase_percent === null) return mean;
      return `${mean} (${point.increase_percent >= 0 ? '+' : ''}${show(point.increase_percent, DIGITS.percent)}%)`;
    });
    return [f.profile, f.host, f.run, ...cells, show(f.fit_ms_per_label, DIGITS.msPerLabel), show(f.fit_r2, DIGITS.r2)];
  });
  return { head, rows };
}

/** Runs that share profile and host need their time to be told apart; others do not. */
function needsRunColumn(entries: ReadonlyArray<{ profile: string; host: string }>): boolean {
  const platforms = entries.map((entry) => `${entry.profile}@${entry.host}`);
  return new Set(platforms).size < platforms.length;
}

/** `2026-11-25T00:26:57Z` -> `11-25 00:26:57`: enough to tell runs apart in a narrow table. */
const shortRun = (run: string): string => run.replace(/^\d{4}-(\d\d-\d\d)T(\d\d:\d\d:\d\d)Z$/, '$1 $2');

/**
 * The default terminal table, within about 100 columns: platform, provider, precision, mean and
 * p95 latency, QPS, memory, and the run's time, accuracy and speed only when they say something.
 * `--wide` (and Markdown) show every column.
 */
function narrowPlatformRows(group: ComparisonGroup, baseline: string | undefined): { head: string[]; rows: string[][] } {
  const withRun = needsRunColumn(group.platforms);
  const withAccuracy = group.platforms.some((entry) => !entry.synthetic && entry.accuracy !== undefined);
  const head = ['platform', ...(withRun ? ['run'] : []), 'provider', 'precision', 'mean ms', 'p95 ms', 'QPS', 'peak MiB', ...(withAccuracy ? ['accuracy'] : [])];
  if (baseline !== undefined) head.push('speed (x)');
  const rows = group.platforms.map((entry) => {
    const f = platformFields(entry);
    const row = [
      `${f.profile}@${f.host}`,
      ...(withRun ? [shortRun(f.run)] : []),
      // What it fell back from is in the warnings and the wide table.
      entry.fallback ? `${entry.actualProvider} (FALLBACK)` : entry.actualProvider,
      f.precision,
      show(f.mean_ms, DIGITS.ms),
      show(f.p95_ms, DIGITS.ms),
      show(f.single_stream_qps, DIGITS.qps),
      f.peak_memory_mib === null ? '-' : `${show(f.peak_memory_mib, DIGITS.memory)}${f.peak_memory_kind === 'GPU' ? ' GPU' : ''}`,
      ...(withAccuracy ? [f.synthetic ? 'synthetic' : show(f.accuracy, DIGITS.accuracy)] : []),
    ];
    if (baseline !== undefined) row.push(show(f.speed_vs_baseline, DIGITS.ratio));
    return row;
  });
  return { head, rows };
}

function narrowSweepRows(group: ComparisonGroup): { head: string[]; rows: string[][] } {
  const withRun = needsRunColumn(group.sweep);
  const head = ['platform', ...(withRun ? ['run'] : []), ...group.labelCounts.map((count) => `${count} labels`), 'ms/label', 'R²'];
  const rows = group.sweep.map((entry) => {
    const f = sweepFields(entry);
    const cells = group.labelCounts.map((count) => show(f.points.find((point) => point.labels === count)?.mean_ms ?? null, DIGITS.ms));
    return [`${f.profile}@${f.host}`, ...(withRun ? [shortRun(f.run)] : []), ...cells, show(f.fit_ms_per_label, DIGITS.msPerLabel), show(f.fit_r2, DIGITS.r2)];
  });
  return { head, rows };
}

function narrowCurveRows(group: CurveGroup): { head: string[]; rows: string[][] } {
  const withRun = needsRunColumn(group.curves.map((curve) => ({ profile: curve.serverProfile, host: curve.serverHost })));
  const head = ['server', ...(withRun ? ['run'] : []), 'batching', 'load', 'req/s', 'p95 ms', 'p99 ms', 'errors', 'req/batch'];
  const rows = group.curves.flatMap((curve) => {
    const f = curveFields(curve);
    return f.points.map((point) => [
      f.server_host,
      ...(withRun ? [shortRun(f.run)] : []),
      batchingCell(curve),
      levelText(point),
      show(point.throughput_rps, DIGITS.qps),
      show(point.p95_ms, DIGITS.ms),
      show(point.p99_ms, DIGITS.ms),
      `${point.errors}/${point.requests}`,
      show(point.mean_batch_requests, DIGITS.batch),
    ]);
  });
  return { head, rows };
}

export function groupHeading(group: ComparisonGroup, index: number, count: number): string {
  return count > 1 ? `Group ${index + 1} of ${count}: ${group.title}` : group.title;
}

function formatTable(report: ComparisonReport, style: Style, wide: boolean): string {
  const sections = report.groups.map((group, index) => {
    const platforms = wide ? platformRows(group, report.baseline, report.webUi.length > 0) : narrowPlatformRows(group, report.baseline);
    const sweep = wide ? sweepRows(group) : narrowSweepRows(group);
    return [
      style.bold(groupHeading(group, index, report.groups.length)),
      `Platforms at ${report.referenceLabels} labels`,
      platforms.rows.length > 0 ? renderTable(platforms.head, platforms.rows, style) : `(no run has a ${report.referenceLabels}-label row)`,
      wide ? 'Label sweep: mean latency (increase against the smallest count) and fitted ms per label' : 'Label sweep: mean latency in ms at each label count and fitted ms per label (--wide adds the increases)',
      renderTable(sweep.head, sweep.rows, style),
    ].join('\n');
  });
  const curveSections = report.curves.map((group, index) => {
    const curves = wide ? curveRows(group) : narrowCurveRows(group);
    return [style.bold(curveHeading(group, index, report.curves.length)), renderTable(curves.head, curves.rows, style)].join('\n');
  });
  const webUi = report.webUi.length === 0 ? [] : [[style.bold('Web UI responsiveness (zsc-bench webui)'), renderTable(webUiRows(report.webUi).head, webUiRows(report.webUi).rows, style), WEBUI_RULE].join('\n')];
  return `${[...sections, ...curveSections, ...webUi].join('\n\n')}\n`;
}

function formatMarkdown(report: ComparisonReport): string {
  const parts: string[] = ['## zsc-bench comparison', ''];
  report.groups.forEach((group, index) => {
    const platforms = platformRows(group, report.baseline, report.webUi.length > 0);
    const sweep = sweepRows(group);
    parts.push(`### ${groupHeading(group, index, report.groups.length)}`, '');
    parts.push(`Platforms at ${report.referenceLabels} labels:`, '');
    parts.push(platforms.rows.length > 0 ? renderMarkdownTable(platforms.head, platforms.rows) : `(no run has a ${report.referenceLabels}-label row)\n`);
    parts.push('Label sweep (mean ms, increase against the smallest count, fitted ms per label):', '');
    parts.push(renderMarkdownTable(sweep.head, sweep.rows));
  });
  report.curves.forEach((group, index) => {
    const curves = curveRows(group);
    parts.push(`### ${curveHeading(group, index, report.curves.length)}`, '', renderMarkdownTable(curves.head, curves.rows));
  });
  if (report.webUi.length > 0) {
    const rows = webUiRows(report.webUi);
    parts.push('### Web UI responsiveness (zsc-bench webui)', '', renderMarkdownTable(rows.head, rows.rows), WEBUI_RULE, '');
  }
  if (report.warnings.length > 0) parts.push('**Notes**', '', ...report.warnings.map((warning) => `- ${warning}`), '');
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * One wide row per run (`section` run: the group, the platform figures, then the sweep) and one
 * per load level (`section` load: a point of a throughput-latency curve). Columns a section does
 * not use stay empty.
 */
function formatCsvReport(report: ComparisonReport): string {
  const labelCounts = [...new Set(report.groups.flatMap((group) => group.labelCounts))].sort((a, b) => a - b);
  const sweepColumns = labelCounts.flatMap((count) => [`mean_ms_${count}_labels`, `increase_percent_${count}_labels`]);
  const header = [
    'section', 'group', 'precision_group', 'model_id', 'model_sha256', 'dataset', 'dataset_hash', ...KEY_CSV_FIELDS, 'profile', 'host', 'run',
    ...PLATFORM_CSV_FIELDS,
    ...sweepColumns, 'fit_ms_per_label', 'fit_intercept_ms', 'fit_r2',
    // Columns run and load rows share (p50_ms, pairs_per_s…) appear once.
    ...LOAD_CSV_FIELDS.filter((name) => !(PLATFORM_CSV_FIELDS as readonly string[]).includes(name)),
  ];
  const records: Array<Record<string, Value>> = [];
  report.groups.forEach((group, index) => {
    for (const sweepEntry of group.sweep) {
      const sweep = sweepFields(sweepEntry, exact);
      const platform = group.platforms.find((entry) => entry.profile === sweep.profile && entry.host === sweep.host && entry.run === sweep.run);
      const record: Record<string, Value> = {
        section: 'run', group: index + 1, precision_group: group.key.precision, model_id: group.key.modelId, model_sha256: group.key.modelSha256,
        dataset: group.key.dataset, dataset_hash: group.key.datasetHash, ...keyFields(group.key), profile: sweep.profile, host: sweep.host, run: sweep.run,
        fit_ms_per_label: sweep.fit_ms_per_label, fit_intercept_ms: sweep.fit_intercept_ms, fit_r2: sweep.fit_r2,
      };
      if (platform !== undefined) {
        const fields = platformFields(platform, exact);
        for (const name of PLATFORM_CSV_FIELDS) record[name] = fields[name];
      }
      for (const point of sweep.points) {
        record[`mean_ms_${point.labels}_labels`] = point.mean_ms;
        record[`increase_percent_${point.labels}_labels`] = point.increase_percent;
      }
      records.push(record);
    }
  });
  report.curves.forEach((group, index) => {
    for (const curve of group.curves.map((member) => curveFields(member, exact))) {
      for (const point of curve.points) {
        records.push({
          section: 'load', group: index + 1, precision_group: group.precision, model_id: group.modelId, model_sha256: group.modelSha256,
          dataset: group.dataset, dataset_hash: group.datasetHash, profile: curve.server_profile, host: curve.server_host, run: curve.run,
          requested_provider: curve.requested_provider, actual_provider: curve.actual_provider, fallback: curve.fallback, precision: group.precision,
          labels: group.labels, synthetic: curve.synthetic, p95_ms: point.p95_ms, batching: curve.batching, inexact_batching: curve.inexact_batching,
          max_batch_pairs: curve.max_batch_pairs, mode: point.mode, level: point.level, requests: point.requests, ok: point.ok, errors: point.errors,
          throughput_rps: point.throughput_rps, pairs_per_s: point.pairs_per_s, p50_ms: point.p50_ms, p99_ms: point.p99_ms,
          mean_batch_requests: point.mean_batch_requests,
        });
      }
    }
  });
  return formatCsv(header, records.map((record) => header.map((name) => record[name] ?? null)));
}

function formatJson(report: ComparisonReport): string {
  return `${JSON.stringify(
    {
      reference_labels: report.referenceLabels,
      baseline: report.baseline ?? null,
      groups: report.groups.map((group, index) => ({
        group: index + 1,
        precision: group.key.precision,
        model_id: group.key.modelId,
        model_sha256: group.key.modelSha256,
        dataset: group.key.dataset,
        dataset_hash: group.key.datasetHash,
        ...keyFields(group.key),
        platforms: group.platforms.map((entry) => platformFields(entry, exact)),
        sweep: group.sweep.map((entry) => sweepFields(entry, exact)),
      })),
      load_curves: report.curves.map((group, index) => ({
        group: index + 1,
        precision: group.precision,
        model_id: group.modelId,
        model_sha256: group.modelSha256,
        dataset: group.dataset,
        dataset_hash: group.datasetHash,
        labels: group.labels,
        curves: group.curves.map((curve) => curveFields(curve, exact)),
      })),
      web_ui: report.webUi.map((page) => ({
        server_host: page.serverHost,
        server_profile: page.serverProfile,
        precision: page.precision,
        actual_provider: page.actualProvider,
        timestamp: page.timestamp,
        browser: page.browser,
        page: page.page,
        cpu_slowdown: page.cpuSlowdown,
        loads: page.loads,
        classifications: page.classifications,
        dom_content_loaded_p50_ms: rounded(page.domContentLoadedMs.p50, DIGITS.ms),
        load_p50_ms: rounded(page.loadMs.p50, DIGITS.ms),
        bars_p95_ms: rounded(page.barsMs.p95, DIGITS.ms),
        server_p95_ms: rounded(page.serverMs.p95, DIGITS.ms),
        added_p50_ms: rounded(page.addedMs.p50, DIGITS.ms),
        added_p95_ms: rounded(page.addedMs.p95, DIGITS.ms),
        long_tasks: page.longTasks,
        long_task_max_ms: rounded(page.longTaskMaxMs, DIGITS.ms),
        smooth: page.smooth,
      })),
      web_ui_rule: report.webUi.length > 0 ? WEBUI_RULE : null,
      warnings: report.warnings,
    },
    null,
    2,
  )}\n`;
}

export function formatComparison(report: ComparisonReport, format: CompareFormat, style: Style, options: { wide?: boolean } = {}): string {
  switch (format) {
    case 'table':
      return formatTable(report, style, options.wide === true);
    case 'markdown':
      return formatMarkdown(report);
    case 'csv':
      return formatCsvReport(report);
    case 'json':
      return formatJson(report);
  }
}
