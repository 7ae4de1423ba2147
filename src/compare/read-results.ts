/** Parses the result CSVs that `run` writes back into typed rows: pure string functions. */
import { UsageError } from '../base/errors.js';
import { booleanCell, numberCell, parseCsvTable, requireColumns, type CsvRecord, type CsvTable } from '../io/csv-table.js';
import type { RunContext, SummaryRow } from '../runner/summary.js';
import { LOAD_SCHEMA_VERSION, type LoadContext } from '../load/csv.js';
import { RESULT_SCHEMA_VERSION } from '../runner/results-csv.js';
import { WEBUI_PAGES, WEBUI_SCHEMA_VERSION, type WebUiContext, type WebUiMeasurement } from '../load/webui-csv.js';

/** The fields of a summary row that `run` writes as they are (same names, same meaning). */
type WrittenRunFields = Pick<
  RunContext,
  | 'schemaVersion' | 'toolVersion' | 'timestamp' | 'profile' | 'profileHash' | 'host' | 'requestedProvider' | 'actualProvider'
  | 'fallback' | 'fallbackReason' | 'precision' | 'modelId' | 'modelSha256' | 'synthetic' | 'dataset' | 'datasetHash' | 'items'
  | 'repeats' | 'costPerHour' | 'modelLoadMs' | 'firstInferenceMs' | 'template' | 'pairsPerRunSetting' | 'labelPool' | 'intraOpThreads'
  | 'interOpThreads' | 'graphOptimizationLevel' | 'onnxruntimeVersion'
> &
  Pick<
    SummaryRow,
    | 'labels' | 'samples' | 'meanMs' | 'p50Ms' | 'p95Ms' | 'p99Ms' | 'itemsPerSecond' | 'pairsPerSecond' | 'cpuPercentOneCore'
    | 'accuracy' | 'increaseVsMinLabelsPercent' | 'fitMsPerLabel' | 'fitInterceptMs' | 'fitR2'
    | 'stdMs' | 'minMs' | 'p90Ms' | 'maxMs' | 'meanCi95LowMs' | 'meanCi95HighMs' | 'medianCi95LowMs' | 'medianCi95HighMs'
    | 'cpuPercentAllCores' | 'harnessOverheadPercent'
  >;

/** One summary row read back: one (run, label count), with what `compare` and `check` need. */
export interface ResultRow extends WrittenRunFields {
  file: string;
  line: number;
  /** Memory as the CSV stores it, in MiB. */
  peakRssMb: number;
  gpuMemoryMb: number | undefined;
  accuracyMeaningful: boolean;
  /** Columns added after the first results: empty (undefined) in older files. */
  pairsPerRun?: number | undefined;
  mfuPercent?: number | undefined;
  offlineItemsPerSecond?: number | undefined;
  offlinePairsPerSecond?: number | undefined;
  offlineBestBatchItems?: number | undefined;
  parityFlipPercent?: number | undefined;
  parityMeanAbsDiff?: number | undefined;
  parityMaxAbsDiff?: number | undefined;
  batchCompositionFlipPercent?: number | undefined;
  batchCompositionMaxAbsDiff?: number | undefined;
  parityWeights?: string;
  /**
   * Every cell of the row by column name, for columns shown only when a file has them (the
   * environment, intervals, and measurements newer files add); nothing here is required.
   */
  cells: Readonly<Record<string, string>>;
}

/** One timed classification from a `-samples.csv` file. */
export interface SampleRecord {
  profile: string;
  timestamp: string;
  labels: number;
  itemId: string;
  repeat: number;
  totalMs: number;
  correct: boolean;
}

const SUMMARY_REQUIRED = [
  'schema_version', 'tool_version', 'timestamp', 'profile', 'profile_hash', 'host', 'requested_provider', 'actual_provider',
  'fallback', 'fallback_reason', 'precision', 'model_id', 'model_sha256', 'synthetic', 'dataset', 'dataset_hash', 'items',
  'repeats', 'labels', 'samples', 'mean_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'items_per_s', 'pairs_per_s', 'peak_rss_mb',
  'gpu_memory_mb', 'cpu_percent_one_core', 'accuracy', 'accuracy_meaningful', 'increase_vs_min_labels_percent',
  'fit_ms_per_label', 'fit_intercept_ms', 'fit_r2', 'cost_per_hour_usd', 'model_load_ms', 'first_inference_ms',
  // What else makes two runs comparable (the comparability key): read back, never assumed.
  'template', 'pairs_per_run_setting', 'label_pool', 'intra_op_threads', 'inter_op_threads', 'graph_optimization', 'onnxruntime_version',
] as const;

const SAMPLES_REQUIRED = ['schema_version', 'profile', 'timestamp', 'labels', 'item_id', 'repeat', 'total_ms', 'correct'] as const;

const SUMMARY_WHAT = 'zsc-bench result summary CSV (from `zsc-bench run`)';
const SAMPLES_WHAT = 'zsc-bench samples CSV (the -samples.csv beside a result)';

export type ParsedResultFile =
  | { kind: 'summary'; schemaVersion: number; rows: ResultRow[] }
  | { kind: 'samples'; schemaVersion: number; samples: SampleRecord[] }
  | { kind: 'load'; schemaVersion: number; levels: LoadLevel[] }
  | { kind: 'webui'; schemaVersion: number; pages: WebUiRecord[] };

/** Parses any result CSV zsc-bench writes, telling the kinds apart by their header. */
export function parseResultCsv(content: string, file: string): ParsedResultFile {
  const table = parseCsvTable(content, file, [], 'zsc-bench result CSV');
  if (table.columns.includes('kind') && table.records[0]?.cells['kind'] === 'load') {
    return { kind: 'load', schemaVersion: schemaVersionOf(table, file, LOAD_SCHEMA_VERSION), levels: loadLevels(table, file) };
  }
  if (table.columns.includes('kind') && table.records[0]?.cells['kind'] === 'webui') {
    return { kind: 'webui', schemaVersion: schemaVersionOf(table, file, WEBUI_SCHEMA_VERSION), pages: webUiRecords(table, file) };
  }
    const schemaVersion = schemaVersionOf(table, file, RESULT_SCHEMA_VERSION, OLDEST_RUN_RESULTS);
  if (table.columns.includes('total_ms')) return { kind: 'samples', schemaVersion, samples: sampleRecords(table, file) };
  return { kind: 'summary', schemaVersion, rows: summaryRows(table, file) };
}

/** One level of a `zsc-bench load` run read back: a point of a server's throughput-latency curve. */
export interface LoadLevel
  extends Pick<
    LoadContext,
    | 'timestamp' | 'clientHost' | 'labels' | 'dataset' | 'datasetHash' | 'serverHost' | 'serverProfile' | 'modelId' | 'modelSha256'
    | 'precision' | 'requestedProvider' | 'actualProvider' | 'fallback' | 'synthetic' | 'batching' | 'inexactBatching' | 'maxBatchPairs'
  > {
  file: string;
  mode: 'closed' | 'open';
  /** Clients (closed loop) or requests per second (open loop). */
  level: number;
  requests: number;
  ok: number;
  errors: number;
  throughputRps: number;
  meanMs: number;
  pairsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanBatchRequests: number;
}

const LOAD_REQUIRED = [
  'schema_version', 'kind', 'timestamp', 'client_host', 'mode', 'concurrency', 'target_rate_rps', 'labels', 'dataset', 'dataset_hash',
  'requests', 'ok', 'errors', 'throughput_rps', 'pairs_per_s', 'p50_ms', 'p95_ms', 'p99_ms', 'mean_batch_requests',
  'server_host', 'server_profile', 'model_id', 'model_sha256', 'precision', 'requested_provider', 'actual_provider',
  'fallback', 'synthetic', 'batching', 'inexact_batching', 'max_batch_pairs',
] as const;

function loadLevels(table: CsvTable, file: string): LoadLevel[] {
  requireColumns(table.columns, file, LOAD_REQUIRED, 'zsc-bench load CSV (from `zsc-bench load`)');
  return table.records.map((record) => {
    const mode = text(record, 'mode');
    if (mode !== 'closed' && mode !== 'open') throw new UsageError(`${file}:${record.line}: column mode: expected closed or open, got '${mode}'`);
    return {
      file,
      timestamp: text(record, 'timestamp'),
      clientHost: text(record, 'client_host'),
      mode,
      level: numberCell(record, mode === 'closed' ? 'concurrency' : 'target_rate_rps', file),
      labels: numberCell(record, 'labels', file),
      dataset: text(record, 'dataset'),
      datasetHash: text(record, 'dataset_hash'),
      requests: numberCell(record, 'requests', file),
      ok: numberCell(record, 'ok', file),
      errors: numberCell(record, 'errors', file),
      throughputRps: metric(record, 'throughput_rps', file),
      meanMs: metric(record, 'mean_ms', file),
      pairsPerSecond: metric(record, 'pairs_per_s', file),
      p50Ms: metric(record, 'p50_ms', file),
      p95Ms: metric(record, 'p95_ms', file),
      p99Ms: metric(record, 'p99_ms', file),
      meanBatchRequests: metric(record, 'mean_batch_requests', file),
      serverHost: text(record, 'server_host'),
      serverProfile: text(record, 'server_profile'),
      modelId: text(record, 'model_id'),
      modelSha256: text(record, 'model_sha256'),
      precision: text(record, 'precision'),
      requestedProvider: text(record, 'requested_provider'),
      actualProvider: text(record, 'actual_provider'),
      fallback: booleanCell(record, 'fallback', file),
      synthetic: booleanCell(record, 'synthetic', file),
      batching: onOff(record, 'batching', file),
      inexactBatching: booleanCell(record, 'inexact_batching', file),
      maxBatchPairs: numberCell(record, 'max_batch_pairs', file),
    };
  });
}

/** One page of a web UI measurement read back (`zsc-bench webui`). */
export interface WebUiRecord extends WebUiMeasurement, Omit<WebUiContext, 'toolVersion' | 'url' | 'modelSha256' | 'requestedProvider'> {
  file: string;
  smooth: boolean;
  smoothLimitMs: number;
}

const WEBUI_REQUIRED = [
  'schema_version', 'kind', 'timestamp', 'client_host', 'browser', 'page', 'page_path', 'cpu_slowdown', 'loads', 'classifications',
  'dom_content_loaded_p50_ms', 'dom_content_loaded_p95_ms', 'load_p50_ms', 'load_p95_ms', 'bars_p50_ms', 'bars_p95_ms',
  'server_p50_ms', 'server_p95_ms', 'added_p50_ms', 'added_p95_ms', 'added_max_ms', 'long_tasks', 'long_task_total_ms',
  'long_task_max_ms', 'smooth_limit_ms', 'smooth', 'server_host', 'server_profile', 'model_id', 'precision', 'actual_provider',
  'fallback', 'synthetic',
] as const;

function webUiRecords(table: CsvTable, file: string): WebUiRecord[] {
  requireColumns(table.columns, file, WEBUI_REQUIRED, 'zsc-bench web UI CSV (from `zsc-bench webui`)');
  return table.records.map((record) => {
    const page = text(record, 'page');
    if (!(WEBUI_PAGES as readonly string[]).includes(page)) throw new UsageError(`${file}:${record.line}: column page: expected ${WEBUI_PAGES.join(' or ')}, got '${page}'`);
    const spread = (name: string, withMax = false) => ({
      p50: metric(record, `${name}_p50_ms`, file),
      p95: metric(record, `${name}_p95_ms`, file),
      max: withMax ? metric(record, `${name}_max_ms`, file) : Number.NaN,
    });
    return {
      file,
      timestamp: text(record, 'timestamp'),
      clientHost: text(record, 'client_host'),
      browser: text(record, 'browser'),
      page: page as WebUiRecord['page'],
      path: text(record, 'page_path'),
      cpuSlowdown: numberCell(record, 'cpu_slowdown', file),
      loads: numberCell(record, 'loads', file),
      classifications: numberCell(record, 'classifications', file),
      domContentLoadedMs: spread('dom_content_loaded'),
      loadMs: spread('load'),
      barsMs: spread('bars'),
      serverMs: spread('server'),
      addedMs: spread('added', true),
      // Optional: files from before the column existed still read.
      renderMs: { p50: numberCell(record, 'render_p50_ms', file, true) ?? Number.NaN, p95: numberCell(record, 'render_p95_ms', file, true) ?? Number.NaN, max: Number.NaN },
      longTasks: numberCell(record, 'long_tasks', file),
      longTaskTotalMs: metric(record, 'long_task_total_ms', file),
      longTaskMaxMs: metric(record, 'long_task_max_ms', file),
      smoothLimitMs: numberCell(record, 'smooth_limit_ms', file),
      smooth: booleanCell(record, 'smooth', file),
      serverHost: text(record, 'server_host'),
      serverProfile: text(record, 'server_profile'),
      modelId: text(record, 'model_id'),
      precision: text(record, 'precision'),
      actualProvider: text(record, 'actual_provider'),
      fallback: booleanCell(record, 'fallback', file),
      synthetic: booleanCell(record, 'synthetic', file),
    };
  });
}

/**
 * The file's schema version; every row must carry the same one, and it must be one this version
 * of zsc-bench reads (a newer file may have renamed columns). Run results and load results are
 * versioned separately.
 */
export function schemaVersionOf(table: CsvTable, file: string, known: number, oldest?: { version: number; why: string }): number {
  requireColumns(table.columns, file, ['schema_version'], 'zsc-bench result CSV');
  let version: number | undefined;
  for (const record of table.records) {
    const value = numberCell(record, 'schema_version', file);
    if (version !== undefined && value !== version) {
      throw new UsageError(`${file}:${record.line}: result schema version ${value} differs from version ${version} on earlier rows`);
    }
    version = value;
  }
  if (oldest !== undefined && version !== undefined && version >= 1 && version < oldest.version) {
    throw new UsageError(`${file}: result schema version ${version}, written ${oldest.why}; this zsc-bench reads version ${known}: re-run the benchmark to compare it`);
  }
  if (version === undefined || version < 1 || version > known || !Number.isInteger(version)) {
    throw new UsageError(`${file}: result schema version ${String(version)}; this zsc-bench reads version ${known} (upgrade zsc-bench to read newer results)`);
  }
  return version;
}

/** Run results older than version 2 lack comparability columns, and two columns meant other things. */
const OLDEST_RUN_RESULTS = {
  version: 2,
  why: 'before zsc-bench recorded the label pool, measured peak RSS per label count and took intervals from passes',
};

const text = (record: CsvRecord, column: string): string => (record.cells[column] ?? '').trim();
function onOff(record: CsvRecord, column: string, file: string): 'on' | 'off' {
  const value = text(record, column);
  if (value !== 'on' && value !== 'off') throw new UsageError(`${file}:${record.line}: column ${column}: expected on or off, got '${value}'`);
  return value;
}
const metric = (record: CsvRecord, column: string, file: string): number => numberCell(record, column, file, true) ?? Number.NaN;

function summaryRows(table: CsvTable, file: string): ResultRow[] {
  requireColumns(table.columns, file, SUMMARY_REQUIRED, SUMMARY_WHAT);
  return table.records.map((record) => ({
    file,
    line: record.line,
    schemaVersion: numberCell(record, 'schema_version', file),
    toolVersion: text(record, 'tool_version'),
    timestamp: text(record, 'timestamp'),
    profile: text(record, 'profile'),
    profileHash: text(record, 'profile_hash'),
    host: text(record, 'host'),
    requestedProvider: text(record, 'requested_provider'),
    actualProvider: text(record, 'actual_provider'),
    fallback: booleanCell(record, 'fallback', file),
    fallbackReason: text(record, 'fallback_reason'),
    precision: text(record, 'precision'),
    modelId: text(record, 'model_id'),
    modelSha256: text(record, 'model_sha256'),
    synthetic: booleanCell(record, 'synthetic', file),
    dataset: text(record, 'dataset'),
    datasetHash: text(record, 'dataset_hash'),
    items: numberCell(record, 'items', file),
    repeats: numberCell(record, 'repeats', file),
    labels: numberCell(record, 'labels', file),
    samples: numberCell(record, 'samples', file),
    meanMs: numberCell(record, 'mean_ms', file),
    p50Ms: numberCell(record, 'p50_ms', file),
    // Every statistic the file has, for compare's CSV and JSON (NaN where an older file lacks one).
    stdMs: metric(record, 'std_ms', file),
    minMs: metric(record, 'min_ms', file),
    p90Ms: metric(record, 'p90_ms', file),
    maxMs: metric(record, 'max_ms', file),
    meanCi95LowMs: metric(record, 'mean_ci95_low_ms', file),
    meanCi95HighMs: metric(record, 'mean_ci95_high_ms', file),
    medianCi95LowMs: metric(record, 'median_ci95_low_ms', file),
    medianCi95HighMs: metric(record, 'median_ci95_high_ms', file),
    cpuPercentAllCores: metric(record, 'cpu_percent_all_cores', file),
    harnessOverheadPercent: metric(record, 'harness_overhead_percent', file),
    p95Ms: numberCell(record, 'p95_ms', file),
    p99Ms: numberCell(record, 'p99_ms', file),
    itemsPerSecond: numberCell(record, 'items_per_s', file),
    pairsPerSecond: numberCell(record, 'pairs_per_s', file),
    peakRssMb: numberCell(record, 'peak_rss_mb', file),
    gpuMemoryMb: numberCell(record, 'gpu_memory_mb', file, true),
    cpuPercentOneCore: metric(record, 'cpu_percent_one_core', file),
    accuracy: metric(record, 'accuracy', file),
    accuracyMeaningful: booleanCell(record, 'accuracy_meaningful', file),
    increaseVsMinLabelsPercent: metric(record, 'increase_vs_min_labels_percent', file),
    fitMsPerLabel: metric(record, 'fit_ms_per_label', file),
    fitInterceptMs: metric(record, 'fit_intercept_ms', file),
    fitR2: metric(record, 'fit_r2', file),
    costPerHour: numberCell(record, 'cost_per_hour_usd', file, true),
    template: (record.cells['template'] ?? ''),
    pairsPerRunSetting: text(record, 'pairs_per_run_setting'),
    labelPool: text(record, 'label_pool'),
    intraOpThreads: numberCell(record, 'intra_op_threads', file),
    interOpThreads: numberCell(record, 'inter_op_threads', file, true),
    graphOptimizationLevel: text(record, 'graph_optimization'),
    onnxruntimeVersion: text(record, 'onnxruntime_version'),
    modelLoadMs: metric(record, 'model_load_ms', file),
    firstInferenceMs: metric(record, 'first_inference_ms', file),
    pairsPerRun: numberCell(record, 'pairs_per_run', file, true),
    mfuPercent: numberCell(record, 'mfu_percent', file, true),
    offlineItemsPerSecond: numberCell(record, 'offline_items_per_s', file, true),
    offlinePairsPerSecond: numberCell(record, 'offline_pairs_per_s', file, true),
    offlineBestBatchItems: numberCell(record, 'offline_best_batch_items', file, true),
    parityFlipPercent: numberCell(record, 'parity_flip_percent', file, true),
    parityMeanAbsDiff: numberCell(record, 'parity_mean_abs_diff', file, true),
    parityMaxAbsDiff: numberCell(record, 'parity_max_abs_diff', file, true),
    batchCompositionFlipPercent: numberCell(record, 'batch_composition_flip_percent', file, true),
    batchCompositionMaxAbsDiff: numberCell(record, 'batch_composition_max_abs_diff', file, true),
    parityWeights: text(record, 'parity_weights'),
    cells: record.cells,
  }));
}

function sampleRecords(table: CsvTable, file: string): SampleRecord[] {
  requireColumns(table.columns, file, SAMPLES_REQUIRED, SAMPLES_WHAT);
  return table.records.map((record) => ({
    profile: text(record, 'profile'),
    timestamp: text(record, 'timestamp'),
    labels: numberCell(record, 'labels', file),
    itemId: text(record, 'item_id'),
    repeat: numberCell(record, 'repeat', file),
    totalMs: numberCell(record, 'total_ms', file),
    correct: booleanCell(record, 'correct', file),
  }));
}

/** `results/cpu-host-20261124T221650Z.csv` -> `results/cpu-host-20261124T221650Z-samples.csv`. */
export function samplesPathFor(summaryPath: string): string {
  return summaryPath.replace(/\.csv$/i, '') + '-samples.csv';
}
