import type { Sample } from './runner.js';
import type { SummaryRow } from './summary.js';
import { formatCsv, type CsvCell } from '../io/csv-table.js';

/** Bumped whenever a column changes meaning or goes away; `compare` refuses to mix versions. */
export const RESULT_SCHEMA_VERSION = 1;

export type Column<T> = readonly [name: string, value: (row: T) => CsvCell];

/** A number with fixed decimals; empty for missing or non-finite values (never 'NaN'). */
export const fixed = (digits: number) => (value: number | undefined): string =>
  value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);
const ms = fixed(3);
const pct = fixed(2);
const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

export const SUMMARY_COLUMNS: readonly Column<SummaryRow>[] = [
  ['schema_version', (r) => r.schemaVersion],
  ['tool_version', (r) => r.toolVersion],
  ['git_commit', (r) => r.gitCommit],
  ['timestamp', (r) => r.timestamp],
  ['profile', (r) => r.profile],
  ['profile_hash', (r) => r.profileHash],
  ['host', (r) => r.host],
  ['os', (r) => r.os],
  ['arch', (r) => r.arch],
  ['cpu_model', (r) => r.cpuModel],
  ['cpu_cores', (r) => r.cpuCores],
  ['cpu_flags', (r) => r.cpuFlags],
  ['ram_mb', (r) => mib(r.ramBytes)],
  ['gpu_model', (r) => r.gpuModel],
  ['gpu_driver', (r) => r.gpuDriver],
  ['cuda_version', (r) => r.cudaVersion],
  ['node_version', (r) => r.nodeVersion],
  ['onnxruntime_version', (r) => r.onnxruntimeVersion],
  ['requested_provider', (r) => r.requestedProvider],
  ['actual_provider', (r) => r.actualProvider],
  ['fallback', (r) => r.fallback],
  ['fallback_reason', (r) => r.fallbackReason],
  ['precision', (r) => r.precision],
  ['model_id', (r) => r.modelId],
  ['model_sha256', (r) => r.modelSha256],
  ['synthetic', (r) => r.synthetic],
  ['dataset', (r) => r.dataset],
  ['dataset_hash', (r) => r.datasetHash],
  ['template', (r) => r.template],
  ['intra_op_threads', (r) => r.intraOpThreads],
  ['intra_op_threads_reason', (r) => r.threadsReason],
  ['pairs_per_run_setting', (r) => r.pairsPerRunSetting],
  ['pairs_per_run_calibration', (r) => r.pairsPerRunCalibration],
  ['inter_op_threads', (r) => r.interOpThreads],
  ['graph_optimization', (r) => r.graphOptimizationLevel],
  ['platform_match', (r) => r.platformMatch],
  ['items', (r) => r.items],
  ['repeats', (r) => r.repeats],
  ['warmup', (r) => r.warmup],
  ['labels', (r) => r.labels],
  ['pairs_per_run', (r) => r.pairsPerRun],
  ['samples', (r) => r.samples],
  ['mean_ms', (r) => ms(r.meanMs)],
  ['std_ms', (r) => ms(r.stdMs)],
  ['min_ms', (r) => ms(r.minMs)],
  ['p50_ms', (r) => ms(r.p50Ms)],
  ['p90_ms', (r) => ms(r.p90Ms)],
  ['p95_ms', (r) => ms(r.p95Ms)],
  ['p99_ms', (r) => ms(r.p99Ms)],
  ['max_ms', (r) => ms(r.maxMs)],
  ['mean_ci95_low_ms', (r) => ms(r.meanCi95LowMs)],
  ['mean_ci95_high_ms', (r) => ms(r.meanCi95HighMs)],
  ['median_ci95_low_ms', (r) => ms(r.medianCi95LowMs)],
  ['median_ci95_high_ms', (r) => ms(r.medianCi95HighMs)],
  ['items_per_s', (r) => fixed(4)(r.itemsPerSecond)],
  ['pairs_per_s', (r) => fixed(4)(r.pairsPerSecond)],
  ['rss_after_load_mb', (r) => mib(r.rssAfterLoadBytes)],
  ['peak_rss_mb', (r) => mib(r.peakRssBytes)],
  ['gpu_memory_mb', (r) => (r.gpuMemoryMiB === undefined ? '' : r.gpuMemoryMiB.toFixed(0))],
  ['cpu_percent_one_core', (r) => pct(r.cpuPercentOneCore)],
  ['cpu_percent_all_cores', (r) => pct(r.cpuPercentAllCores)],
  ['model_load_ms', (r) => ms(r.modelLoadMs)],
  ['first_inference_ms', (r) => ms(r.firstInferenceMs)],
  // Synthetic weights make accuracy meaningless by construction: the cell stays empty so that
  // nobody plots it, and accuracy_meaningful says why.
  ['accuracy', (r) => (r.synthetic ? '' : fixed(4)(r.accuracy))],
  ['accuracy_meaningful', (r) => !r.synthetic],
  ['harness_overhead_percent', (r) => pct(r.harnessOverheadPercent)],
  ['increase_vs_min_labels_percent', (r) => pct(r.increaseVsMinLabelsPercent)],
  ['fit_ms_per_label', (r) => ms(r.fitMsPerLabel)],
  ['fit_intercept_ms', (r) => ms(r.fitInterceptMs)],
  ['fit_r2', (r) => fixed(4)(r.fitR2)],
  ['cost_per_hour_usd', (r) => r.costPerHour],
];

export interface SampleContext {
  profile: string;
  host: string;
  timestamp: string;
  actualProvider: string;
  precision: string;
}

type SampleRow = Sample & SampleContext;

export const SAMPLE_COLUMNS: readonly Column<SampleRow>[] = [
  ['schema_version', () => RESULT_SCHEMA_VERSION],
  ['profile', (r) => r.profile],
  ['host', (r) => r.host],
  ['timestamp', (r) => r.timestamp],
  ['actual_provider', (r) => r.actualProvider],
  ['precision', (r) => r.precision],
  ['labels', (r) => r.labelCount],
  ['item_id', (r) => r.itemId],
  ['repeat', (r) => r.repeat],
  ['total_ms', (r) => ms(r.totalMs)],
  ['inference_ms', (r) => ms(r.inferenceMs)],
  ['tokenize_ms', (r) => ms(r.tokenizeMs)],
  ['session_runs', (r) => r.runs],
  ['predicted', (r) => r.predicted],
  ['gold', (r) => r.gold],
  ['correct', (r) => r.predicted === r.gold],
];

/** One header line of column names, then one line per row (RFC 4180 quoting). */
export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  return formatCsv(columns.map(([name]) => name), rows.map((row) => columns.map(([, value]) => value(row))));
}

export function formatSummaryCsv(rows: readonly SummaryRow[]): string {
  return toCsv(SUMMARY_COLUMNS, rows);
}

export function formatSamplesCsv(samples: readonly Sample[], context: SampleContext): string {
  return toCsv(SAMPLE_COLUMNS, samples.map((sample) => ({ ...sample, ...context })));
}
