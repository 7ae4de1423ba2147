import type { Sample } from './runner.js';
import type { SummaryRow } from './summary.js';
import { formatCsv, type CsvCell } from '../io/csv-table.js';
import { fixed } from '../io/fixed.js';

/**
 * Bumped whenever a column changes meaning or goes away; `compare` refuses to mix versions.
 * 2: peak_rss_mb is each label count's own peak, the 95% intervals come from passes
 * (ci_blocks), label_pool recorded.
 */
export const RESULT_SCHEMA_VERSION = 2;

export type Column<T> = readonly [name: string, value: (row: T) => CsvCell];

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
  ['provider_kernel_time_shares', (r) => r.providerTimeShares],
  ['provider_node_shares', (r) => r.providerNodeShares],
  ['fallback', (r) => r.fallback],
  ['fallback_reason', (r) => r.fallbackReason],
  ['precision', (r) => r.precision],
  ['model_id', (r) => r.modelId],
  ['model_sha256', (r) => r.modelSha256],
  ['synthetic', (r) => r.synthetic],
  ['dataset', (r) => r.dataset],
  ['dataset_hash', (r) => r.datasetHash],
  ['template', (r) => r.template],
  ['label_pool', (r) => r.labelPool],
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
  ['ci_blocks', (r) => r.ciBlocks],
  ['items_per_s', (r) => fixed(4)(r.itemsPerSecond)],
  ['pairs_per_s', (r) => fixed(4)(r.pairsPerSecond)],
  ['scenario', (r) => r.scenario],
  ['offline_items_per_s', (r) => fixed(4)(r.offlineItemsPerSecond)],
  ['offline_pairs_per_s', (r) => fixed(4)(r.offlinePairsPerSecond)],
  ['offline_best_batch_items', (r) => r.offlineBestBatchItems],
  ['offline_items_per_s_by_batch', (r) => r.offlineByBatch],
  ['rss_after_load_mb', (r) => mib(r.rssAfterLoadBytes)],
  ['peak_rss_mb', (r) => mib(r.peakRssBytes)],
  ['gpu_memory_mb', (r) => fixed(0)(r.gpuMemoryMiB)],
  ['cpu_percent_one_core', (r) => pct(r.cpuPercentOneCore)],
  ['cpu_percent_all_cores', (r) => pct(r.cpuPercentAllCores)],
  ['model_load_ms', (r) => ms(r.modelLoadMs)],
  ['first_inference_ms', (r) => ms(r.firstInferenceMs)],
  // Synthetic weights make accuracy meaningless by construction: the cell stays empty so that
  // nobody plots it, and accuracy_meaningful says why.
  ['accuracy', (r) => (r.synthetic ? '' : fixed(4)(r.accuracy))],
  ['accuracy_meaningful', (r) => !r.synthetic],
  ['harness_overhead_percent', (r) => pct(r.harnessOverheadPercent)],
  ['gflop_per_item', (r) => fixed(3)(r.gflopPerItem)],
  ['achieved_gflop_per_s', (r) => fixed(2)(r.achievedGflopPerS)],
  ['peak_gflop_per_s', (r) => fixed(2)(r.peakGflopPerS)],
  ['peak_probe', (r) => r.peakProbe],
  ['mfu_percent', (r) => pct(r.mfuPercent)],
  ['cpu_mhz_min', (r) => fixed(0)(r.cpuMhzMin)],
  ['cpu_mhz_max', (r) => fixed(0)(r.cpuMhzMax)],
  ['max_temp_c', (r) => fixed(1)(r.maxTempC)],
  ['throttled', (r) => (r.throttled === undefined ? '' : r.throttled)],
  ['throttle_reason', (r) => r.throttleReason],
  ['pass_means_ms', (r) => r.passMeansMs],
  ['drift_percent', (r) => pct(r.driftPercent)],
  ['drift_noise_percent', (r) => pct(r.driftNoisePercent)],
  ['drift_beyond_noise', (r) => r.driftBeyondNoise],
  ['energy_j_per_1000', (r) => fixed(2)(r.energyJoulesPer1000)],
  ['energy_source', (r) => r.energySource],
  ['parity_reference', (r) => r.parityReference],
  // Synthetic weights: the differences show the precision's arithmetic, not a trained model's answers.
  ['parity_weights', (r) => (r.parityItems === undefined ? '' : r.synthetic ? 'synthetic' : 'real')],
  ['parity_items', (r) => r.parityItems],
  ['parity_flip_percent', (r) => pct(r.parityFlipPercent)],
  ['parity_mean_abs_diff', (r) => fixed(6)(r.parityMeanAbsDiff)],
  ['parity_max_abs_diff', (r) => fixed(6)(r.parityMaxAbsDiff)],
  ['batch_composition_items', (r) => r.batchCompositionItems],
  ['batch_composition_flip_percent', (r) => pct(r.batchCompositionFlipPercent)],
  ['batch_composition_max_abs_diff', (r) => fixed(6)(r.batchCompositionMaxAbsDiff)],
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
  ['gflop', (r) => fixed(4)(r.gflop)],
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
