/**
 * The result files zsc-bench writes, one declaration per kind (see src/schema/csv.ts for how
 * to add a column: one line here). File order is declaration order.
 *
 * Parts say who fills a field:
 *   summary: 'run' once per run (the command), 'measured' per label count (runner/summary.ts),
 *            'sweep' across label counts (runner/summary.ts);
 *   samples: 'run' (the command), 'sample' (the runner), 'derived' (the writer);
 *   load:    'context' once per run (the command), 'level' per level (load/csv.ts from the
 *            level summary), 'derived' (the writer).
 */
import { MAX_LABELS } from '../core/labels.js';
import { EXECUTION_MODES } from '../core/session.js';
import { above, between, boolean, column, optionalBoolean, csvKind, decimal, isoTime, MAX_PLAUSIBLE_MIB, mebibytes, metric, numberIn, oneOf, optionalDecimal, optionalNumberIn, required, text, wholeIn, type PartOf, type ReadRowOf, type RowOf } from './csv.js';
import { MAX_ITEMS, MAX_PAIRS_PER_RUN, MAX_PROFILE_THREADS, MAX_REPEATS, MAX_WARMUP, MAX_COST_PER_HOUR, MAX_PROCESSES } from './profile.js';

/** Bumped whenever a run column (summary or samples) changes meaning or goes away; `compare` refuses to mix versions. */
export const RESULT_SCHEMA_VERSION = 2;
/**
 * 2: peak_rss_mb is each label count's own peak, the 95% intervals come from passes
 * (ci_blocks), label_pool recorded, and the summary's `batching` (text/pair) became
 * `pairs_per_run_setting` (auto, all or N): the load CSV's `batching` (request merging on the
 * server, on/off) is now the only column of that name. Run results older than version 2 lack comparability
 * columns, and those two columns meant other things (peak since load; intervals from single samples).
 */
export const OLDEST_RUN_RESULTS = {
  version: 2,
  why: 'before zsc-bench recorded the label pool, measured peak RSS per label count and took intervals from passes',
};
/** Bumped whenever a load column changes meaning or goes away. */
export const LOAD_SCHEMA_VERSION = 1;

/**
 * Ranges shared by the result kinds (see Range in ./csv.ts). Each stops what cannot have been
 * measured, not what is merely unusual.
 */
/** No single classification, load or model build takes a day: anything longer is not a measurement. */
export const MAX_PLAUSIBLE_MS = 86_400_000;
/** A latency: above 0 (nothing takes no time) and under a day. */
export const LATENCY = above(0, MAX_PLAUSIBLE_MS);
/** A duration that can round to 0 (tokenizing a short text, a spread, a model already loaded). */
export const DURATION = between(0, MAX_PLAUSIBLE_MS);
/** A schema version: small whole numbers (the version check says which this zsc-bench reads). */
export const SCHEMA_VERSION = wholeIn(1, 1000);
export const LABEL_COUNT = wholeIn(1, MAX_LABELS);
/** A share of something, in %. */
export const PERCENT = between(0, 100);
/** Rates: 1e9 per second is beyond any machine (and any load generator) by orders of magnitude. */
export const RATE = between(0, 1e9);
/** Threads of one session, as a profile allows them. */
export const THREADS = wholeIn(1, MAX_PROFILE_THREADS);
/** Whole counts of requests or classifications: 1e12 is beyond any run that fits a day. */
const COUNT = wholeIn(0, 1e12);

const ms = decimal(3, LATENCY);
const msOrNaN = metric(3, LATENCY);
/**
 * Interval bounds of a latency: taken on the log scale (stats/clustered.ts), so always positive.
 * The check that low <= high is in compare/validate-results.ts.
 */
const bound = metric(3, DURATION);
/** 1e7 GFLOP/s is 10 PFLOP/s, several times the fastest single accelerator. */
const GFLOP_PER_S = between(0, 1e7);
const FIT_MS = between(-MAX_PLAUSIBLE_MS, MAX_PLAUSIBLE_MS);

/** `zsc-bench run`'s summary: one row per label count. */
export const SUMMARY_CSV = csvKind('zsc-bench result summary CSV (from `zsc-bench run`)', {
  schemaVersion: required('schema_version', numberIn(SCHEMA_VERSION), 'run'),
  /** Which result file this is; files written before it are known by their header. */
  kind: column('kind', oneOf(['summary']), 'derived'),
  toolVersion: required('tool_version', text, 'run'),
  gitCommit: column('git_commit', text, 'run'),
  timestamp: required('timestamp', isoTime, 'run'),
  profile: required('profile', text, 'run'),
  profileHash: required('profile_hash', text, 'run'),
  host: required('host', text, 'run'),
  os: column('os', text, 'run'),
  arch: column('arch', text, 'run'),
  /** Empty on the machine itself; else the CPU emulator it ran under (qemu-user): timings mean nothing, compare keeps such rows apart and recommend never ranks them. */
  emulated: column('emulated', text, 'run'),
  cpuModel: column('cpu_model', text, 'run'),
  /** The largest machines have a few thousand logical cores. */
  cpuCores: column('cpu_cores', numberIn(wholeIn(1, 65_536)), 'run'),
  cpuFlags: column('cpu_flags', text, 'run'),
  ramBytes: column('ram_mb', mebibytes, 'run'),
  gpuModel: column('gpu_model', text, 'run'),
  gpuDriver: column('gpu_driver', text, 'run'),
  cudaVersion: column('cuda_version', text, 'run'),
  nodeVersion: column('node_version', text, 'run'),
  onnxruntimeVersion: required('onnxruntime_version', text, 'run'),
  requestedProvider: required('requested_provider', text, 'run'),
  /** The provider that ran; for an accelerator with its share of kernel time, e.g. `cuda (97% of kernel time)`. */
  actualProvider: required('actual_provider', text, 'run'),
  /** From one profiled classification after load: `cpu 100.0%`, or `cuda 97.0%; cpu 3.0%`; empty if it could not be profiled. */
  providerTimeShares: column('provider_kernel_time_shares', text, 'run'),
  providerNodeShares: column('provider_node_shares', text, 'run'),
  fallback: required('fallback', boolean, 'run'),
  fallbackReason: required('fallback_reason', text, 'run'),
  precision: required('precision', text, 'run'),
  modelId: required('model_id', text, 'run'),
  modelSha256: required('model_sha256', text, 'run'),
  synthetic: required('synthetic', boolean, 'run'),
  dataset: required('dataset', text, 'run'),
  datasetHash: required('dataset_hash', text, 'run'),
  template: required('template', text, 'run'),
  /** The pool distractor labels are drawn from, joined with `|`: part of the workload (compare's key). */
  labelPool: required('label_pool', text, 'run'),
  /** The intra-op thread count the session ran with (decided by zsc-bench, never left to ONNX Runtime's guess). */
  intraOpThreads: required('intra_op_threads', numberIn(THREADS), 'run'),
  threadsReason: column('intra_op_threads_reason', text, 'run'),
  /** The profile's or flag's setting: auto, all or a number. */
  pairsPerRunSetting: required('pairs_per_run_setting', text, 'run'),
  /** The auto calibration's median ms per pair at each run size, e.g. `1:151.2 2:149.8`; empty otherwise. */
  pairsPerRunCalibration: column('pairs_per_run_calibration', text, 'run'),
  /** Where that calibration came from, as for the peak probe: `cached`, `measured`, `measured, busy: not cached`; empty without one. */
  pairsPerRunCalibrationSource: column('pairs_per_run_calibration_source', text, 'run'),
  interOpThreads: required('inter_op_threads', optionalNumberIn(THREADS), 'run'),
  graphOptimizationLevel: required('graph_optimization', text, 'run'),
  /** The session's execution mode and memory settings, ONNX Runtime's defaults filled in (absent in files before them: defaults). */
  executionMode: column('execution_mode', oneOf(EXECUTION_MODES), 'run'),
  prepacking: column('prepacking', boolean, 'run'),
  cpuMemArena: column('cpu_mem_arena', boolean, 'run'),
  memPattern: column('mem_pattern', boolean, 'run'),
  platformMatch: column('platform_match', boolean, 'run'),
  items: required('items', numberIn(wholeIn(1, MAX_ITEMS)), 'run'),
  repeats: required('repeats', numberIn(wholeIn(1, MAX_REPEATS)), 'run'),
  warmup: column('warmup', numberIn(wholeIn(0, MAX_WARMUP)), 'run'),
  labels: required('labels', numberIn(LABEL_COUNT), 'measured'),
  /** Pairs in each session.run at this label count (the last run of a text may hold fewer). */
  pairsPerRun: column('pairs_per_run', numberIn(wholeIn(1, MAX_PAIRS_PER_RUN)), 'measured'),
  /** items x repeats (checked against both when read). */
  samples: required('samples', numberIn(wholeIn(1, MAX_ITEMS * MAX_REPEATS)), 'measured'),
  meanMs: required('mean_ms', ms, 'measured'),
  stdMs: required('std_ms', metric(3, DURATION), 'measured'),
  minMs: required('min_ms', msOrNaN, 'measured'),
  p50Ms: required('p50_ms', ms, 'measured'),
  p90Ms: required('p90_ms', msOrNaN, 'measured'),
  p95Ms: required('p95_ms', ms, 'measured'),
  p99Ms: required('p99_ms', ms, 'measured'),
  maxMs: required('max_ms', msOrNaN, 'measured'),
  /** 95% intervals that describe the run: from its passes' spread (see ci_blocks), not from single samples. */
  meanCi95LowMs: required('mean_ci95_low_ms', bound, 'measured'),
  meanCi95HighMs: required('mean_ci95_high_ms', bound, 'measured'),
  medianCi95LowMs: required('median_ci95_low_ms', bound, 'measured'),
  medianCi95HighMs: required('median_ci95_high_ms', bound, 'measured'),
  /**
   * Where a rerun of the same command on this machine lands (95%): this run's figure with the
   * spread of the earlier runs of the same command in the results folder (stats/rerun.ts); empty
   * below 3 earlier runs.
   */
  rerunEarlierRuns: column('rerun_earlier_runs', optionalNumberIn(wholeIn(0, 1000)), 'rerun'),
  rerunMeanLowMs: column('rerun_mean_low_ms', bound, 'rerun'),
  rerunMeanHighMs: column('rerun_mean_high_ms', bound, 'rerun'),
  rerunMedianLowMs: column('rerun_median_low_ms', bound, 'rerun'),
  rerunMedianHighMs: column('rerun_median_high_ms', bound, 'rerun'),
  /** Standard deviation of ln(mean) and ln(median) over the earlier runs (x100: about % between runs); what `check` uses for one run a side. */
  rerunMeanSdLog: column('rerun_mean_sd_log', metric(5, between(0, 100)), 'rerun'),
  rerunMedianSdLog: column('rerun_median_sd_log', metric(5, between(0, 100)), 'rerun'),
  /** How many blocks the 95% intervals come from: the passes (repeats), or consecutive blocks with one pass. */
  ciBlocks: column('ci_blocks', numberIn(wholeIn(1, MAX_ITEMS * MAX_REPEATS)), 'measured'),
  /** What the intervals are over: `process` (several processes ran), `pass`, `block` (one pass: consecutive samples), or `run` (runs pooled by compare). */
  ciUnit: column('ci_unit', oneOf(['process', 'pass', 'block', 'run']), 'measured'),
  itemsPerSecond: required('items_per_s', decimal(4, above(0, 1e9)), 'measured'),
  pairsPerSecond: required('pairs_per_s', decimal(4, above(0, 1e9)), 'measured'),
  /** `single-stream`, or `single-stream+offline` when offline passes follow the sweep. */
  scenario: column('scenario', text, 'run'),
  /** Items per second of the best offline batch size (every item once per size); empty when not run. */
  offlineItemsPerSecond: column('offline_items_per_s', metric(4, above(0, 1e9)), 'offline'),
  offlinePairsPerSecond: column('offline_pairs_per_s', metric(4, above(0, 1e9)), 'offline'),
  offlineBestBatchItems: column('offline_best_batch_items', optionalNumberIn(wholeIn(1, MAX_ITEMS)), 'offline'),
  /** `batch items:items/s` for every size, e.g. `1:6.20 2:6.41 4:6.52`. */
  offlineByBatch: column('offline_items_per_s_by_batch', text, 'offline'),
  rssAfterLoadBytes: column('rss_after_load_mb', mebibytes, 'run'),
  /** The label count's own peak (the peak is reset before its warm-up). */
  peakRssBytes: required('peak_rss_mb', mebibytes, 'measured'),
  /** Measured only where a GPU reports it; empty otherwise. */
  gpuMemoryMiB: required('gpu_memory_mb', optionalDecimal(0, between(0, MAX_PLAUSIBLE_MIB)), 'measured'),
  /** CPU time over wall time: at most 100% per core (checked against cpu_cores when read). */
  cpuPercentOneCore: required('cpu_percent_one_core', metric(2, between(0, 100 * 65_536)), 'measured'),
  /**
   * One core's figure over the core count. Above 100 happens on short loops: the kernel accounts
   * CPU time in scheduler ticks (4 ms at HZ=250), and the tiny model's 2-item loops last a few ms
   * (measured 86-112% of 2 cores, once 159%). 400 leaves room for that and still refuses 5000.
   */
  cpuPercentAllCores: required('cpu_percent_all_cores', metric(2, between(0, 400)), 'measured'),
  modelLoadMs: required('model_load_ms', metric(3, DURATION), 'run'),
  /** Processes whose passes are in this file (1: the run's own process; see `run --processes`). */
  processes: column('processes', numberIn(wholeIn(1, MAX_PROCESSES)), 'run'),
  /** Processes that did not complete, with why, e.g. `3: killed by SIGKILL`: their passes are missing (the run is incomplete). */
  processesFailed: column('processes_failed', text, 'run'),
  /** Model load + first inference, the mean over the processes (each loads the model itself). */
  coldStartMsMean: column('cold_start_ms_mean', metric(3, DURATION), 'run'),
  /** Each process's cold start, `process:ms`, e.g. `1:812 2:790` (empty with one process). */
  coldStartsMs: column('process_cold_starts_ms', text, 'run'),
  firstInferenceMs: required('first_inference_ms', metric(3, DURATION), 'run'),
  /** Empty with random synthetic weights (chance level by construction), so that nobody plots it; kept for the known-answer model. */
  accuracy: required('accuracy', metric(4, between(0, 1)), 'measured'),
  accuracyMeaningful: required('accuracy_meaningful', boolean, 'derived'),
  /** Share of the timed loop's wall time spent outside session.run: tokenizing, scoring and the harness itself. */
  harnessOverheadPercent: required('harness_overhead_percent', metric(2, PERCENT), 'measured'),
  /** Mean model GFLOP per classification (padded run shapes). */
  /** BERT-base with 64 labels of 512 tokens is about 3,000 GFLOP: 1e6 is beyond any model zsc-bench runs. */
  gflopPerItem: column('gflop_per_item', metric(3, between(0, 1e6)), 'measured'),
  /** Model FLOPs over the time inside session.run, in GFLOP/s. */
  achievedGflopPerS: column('achieved_gflop_per_s', metric(2, GFLOP_PER_S), 'measured'),
  /** The peak probe's GFLOP/s on this machine at this precision, when measured. */
  peakGflopPerS: column('peak_gflop_per_s', optionalDecimal(2, above(0, GFLOP_PER_S.max)), 'run'),
  /** What the probe ran and when, e.g. `matmul 512x1024x4096 fp32, cpu, 2 thread(s), best of 8, 2026-12-02`. */
  peakProbe: column('peak_probe', text, 'run'),
  /**
   * Where the peak came from: `cached` (an earlier run's probe), `measured` (this run's, before the
   * model loaded), `measured, busy: not cached`; `, re-probed` when MFU came out above 100% and the
   * probe ran again after the sweep (the higher peak is used).
   */
  peakProbeSource: column('peak_probe_source', text, 'run'),
  /** achieved / peak, in %: model FLOPs utilisation. */
  /**
   * Above 100% happens (the peak probe can run slow on a busy machine), 5000% cannot: a probe
   * ten times too slow is no measurement of the machine's peak.
   */
  mfuPercent: column('mfu_percent', metric(2, between(0, 1000)), 'derived'),
  /** No CPU clocks above about 6 GHz: 20 GHz is impossible. */
  cpuMhzMin: column('cpu_mhz_min', metric(0, above(0, 20_000)), 'conditions'),
  cpuMhzMax: column('cpu_mhz_max', metric(0, above(0, 20_000)), 'conditions'),
  /** A chip colder than -60 C or above 150 C is not running. */
  maxTempC: column('max_temp_c', metric(1, between(-60, 150)), 'conditions'),
  /** Empty where nothing reports throttling (a VM). */
  throttled: column('throttled', optionalBoolean, 'conditions'),
  throttleReason: column('throttle_reason', text, 'conditions'),
  /** Mean ms of each pass over the items, e.g. `812.1 815.3 990.2`. */
  passMeansMs: column('pass_means_ms', text, 'conditions'),
  /** The last pass against the first: at best -100% (no time at all, excluded); 1e6% is 10,000 times slower. */
  driftPercent: column('drift_percent', metric(2, above(-100, 1e6)), 'conditions'),
  driftNoisePercent: column('drift_noise_percent', metric(2, between(0, 1e6)), 'conditions'),
  driftBeyondNoise: column('drift_beyond_noise', boolean, 'conditions'),
  /** 100 kW (a rack) for a day per classification, 1000 times: 8.64e12 J. */
  energyJoulesPer1000: column('energy_j_per_1000', metric(2, between(0, 1e13)), 'conditions'),
  energySource: column('energy_source', text, 'conditions'),
  /** 1-minute load average (/proc/loadavg) as the label count's timed loop started and ended; empty where not readable. */
  loadStart: column('load_start', optionalDecimal(2, between(0, 1e6)), 'conditions'),
  loadEnd: column('load_end', optionalDecimal(2, between(0, 1e6)), 'conditions'),
  /** CPU time the hypervisor gave to others (/proc/stat steal) during the timed loop, in % of all CPUs' time. */
  stealPercent: column('steal_percent', metric(2, PERCENT), 'conditions'),
  /** Other processes' CPU during the timed loop, in % of all CPUs' time: /proc/stat busy time minus this process's own. */
  othersCpuPercent: column('others_cpu_percent', metric(2, PERCENT), 'conditions'),
  /** cpufreq scaling_governor(s), e.g. `performance`; empty where not exposed (most VMs). */
  cpuGovernor: column('cpu_governor', text, 'conditions'),
  /** Turbo/boost on (intel_pstate no_turbo or cpufreq boost); empty where neither is visible. */
  cpuTurbo: column('cpu_turbo', optionalBoolean, 'conditions'),
  /** Why the machine was busy during this label count (load above the cores + 1, steal above 5%, others above 10%); empty: it was not. */
  machineBusy: column('machine_busy', text, 'derived'),
  /** The fp32 file the parity figures compare with. */
  parityReference: column('parity_reference', text, 'run'),
  /** `synthetic` or `real`: with synthetic weights the differences show the precision's arithmetic, not a trained model's answers. */
  parityWeights: column('parity_weights', text, 'derived'),
  parityItems: column('parity_items', optionalNumberIn(wholeIn(1, MAX_ITEMS)), 'parity'),
  parityFlipPercent: column('parity_flip_percent', metric(2, PERCENT), 'parity'),
  /** Differences of scores, which are probabilities: 0 to 1. */
  parityMeanAbsDiff: column('parity_mean_abs_diff', metric(6, between(0, 1)), 'parity'),
  parityMaxAbsDiff: column('parity_max_abs_diff', metric(6, between(0, 1)), 'parity'),
  batchCompositionItems: column('batch_composition_items', optionalNumberIn(wholeIn(1, MAX_ITEMS)), 'parity'),
  batchCompositionFlipPercent: column('batch_composition_flip_percent', metric(2, PERCENT), 'parity'),
  batchCompositionMaxAbsDiff: column('batch_composition_max_abs_diff', metric(6, between(0, 1)), 'parity'),
  increaseVsMinLabelsPercent: required('increase_vs_min_labels_percent', metric(2, above(-100, 1e6)), 'sweep'),
  /** A line through noisy points can slope down or start below 0. */
  fitMsPerLabel: required('fit_ms_per_label', metric(3, FIT_MS), 'sweep'),
  fitInterceptMs: required('fit_intercept_ms', metric(3, FIT_MS), 'sweep'),
  /** R² is at most 1; below 0 only for a fit worse than the mean. */
  fitR2: required('fit_r2', metric(4, between(-1e12, 1)), 'sweep'),
  costPerHour: required('cost_per_hour_usd', optionalNumberIn(above(0, MAX_COST_PER_HOUR)), 'run'),
  /** `on`: the hardware monitor sampled clocks and temperatures each second; `off`: `run --no-monitor`. */
  monitor: column('monitor', oneOf(['on', 'off']), 'run'),
  /** What the monitor read, e.g. `temp: coretemp x4; clock: cpufreq x8`; empty when off. */
  monitorSources: column('monitor_sources', text, 'run'),
});

export type SummaryColumns = (typeof SUMMARY_CSV)['columns'];
export type SummaryRow = RowOf<SummaryColumns>;
/** What stays the same for every row of one run: where, what and how it ran. */
export type RunContext = PartOf<SummaryColumns, 'run'>;
/** The figures of one label count. */
export type LatencySummary = PartOf<SummaryColumns, 'measured'>;
/** The label sweep: each count against the smallest, and a line through all counts. */
export type SweepFit = PartOf<SummaryColumns, 'sweep'>;
/** The offline scenario at one label count: the best batch size and every size tried. */
export type OfflineSummary = PartOf<SummaryColumns, 'offline'>;
/** Precision parity at one label count (NaN or undefined, so empty cells, when no parity ran). */
export type ParitySummary = PartOf<SummaryColumns, 'parity'>;
/** Throttling, drift and energy of one label count (empty where nothing could be read). */
export type ConditionsSummary = PartOf<SummaryColumns, 'conditions'>;
/** Where a rerun of the command on this machine lands, from the earlier runs in the results folder. */
export type RerunSummary = PartOf<SummaryColumns, 'rerun'>;
/** Cells computed from other fields when the row is assembled. */
export type DerivedCells = PartOf<SummaryColumns, 'derived'>;
/** One summary row read back. */
export type SummaryReadRow = ReadRowOf<SummaryColumns>;

/** `zsc-bench run`'s samples (the `-samples.csv` beside the summary): one row per timed classification. */
export const SAMPLES_CSV = csvKind('zsc-bench samples CSV (the -samples.csv beside a result)', {
  schemaVersion: required('schema_version', numberIn(SCHEMA_VERSION), 'derived'),
  kind: column('kind', oneOf(['samples']), 'derived'),
  profile: required('profile', text, 'run'),
  host: column('host', text, 'run'),
  timestamp: required('timestamp', isoTime, 'run'),
  actualProvider: column('actual_provider', text, 'run'),
  precision: column('precision', text, 'run'),
  labelCount: required('labels', numberIn(LABEL_COUNT), 'sample'),
  itemId: required('item_id', text, 'sample'),
  repeat: required('repeat', numberIn(wholeIn(0, MAX_REPEATS - 1)), 'sample'),
  /** Which process of the run measured it, 1..N (1 when the run had one process). */
  process: column('process', numberIn(wholeIn(1, MAX_PROCESSES)), 'process'),
  totalMs: required('total_ms', ms, 'sample'),
  inferenceMs: column('inference_ms', decimal(3, DURATION), 'sample'),
  tokenizeMs: column('tokenize_ms', decimal(3, DURATION), 'sample'),
  /** At least one run, at most one per pair. */
  runs: column('session_runs', numberIn(LABEL_COUNT), 'sample'),
  /** Model GFLOP of this classification (padded run shapes). */
  gflop: column('gflop', metric(4, between(0, 1e6)), 'sample'),
  predicted: column('predicted', text, 'sample'),
  gold: column('gold', text, 'sample'),
  correct: required('correct', boolean, 'derived'),
  /**
   * Every candidate's score, `label:score` joined by `|` in the label set's order, 9 significant
   * digits (x64 and arm64 fp32 differ by ~1e-9): what `zsc-bench parity` compares across machines.
   * Empty in files written before it.
   */
  scores: column('scores', text, 'sample'),
});

export type SamplesColumns = (typeof SAMPLES_CSV)['columns'];
export type SampleCsvRow = RowOf<SamplesColumns>;
/** One timed classification, as the runner measures it. */
export type Sample = PartOf<SamplesColumns, 'sample'>;
/** A sample with the process that measured it (1..N); absent: the run's only process. */
export type ProcessSample = Sample & { process?: number };
/** The run's fields repeated on every sample row. */
export type SampleContext = PartOf<SamplesColumns, 'run'>;
/** One sample row read back. */
export type SampleReadRow = ReadRowOf<SamplesColumns>;

const loadMs = metric(3, LATENCY);
/** The load and serve flags' ceilings (src/shell/parse.ts BOUNDS takes them from here): what a load CSV can hold. */
export const LOAD_LIMITS = { concurrency: 1_000, rateRps: 10_000, durationS: 86_400, warmupS: 3_600, timeoutS: 3_600, maxBatchPairs: 4_096, maxWaitMs: 10_000, maxQueue: 100_000 } as const;

/** `zsc-bench load`'s results: one row per level, a point of a server's throughput-latency curve. */
export const LOAD_CSV = csvKind('zsc-bench load CSV (from `zsc-bench load`)', {
  schemaVersion: required('schema_version', numberIn(SCHEMA_VERSION), 'derived'),
  kind: required('kind', oneOf(['load']), 'derived'),
  toolVersion: column('tool_version', text, 'context'),
  timestamp: required('timestamp', isoTime, 'context'),
  clientHost: required('client_host', text, 'context'),
  url: column('url', text, 'context'),
  /**
   * The load generator ran on the server's machine (same host name, or a loopback URL): the two
   * competed for the same cores, so the server's figures are lower than it would reach alone.
   */
  sameMachine: column('same_machine', boolean, 'context'),
  mode: required('mode', oneOf(['closed', 'open']), 'level'),
  /** Closed loop only. */
  concurrency: required('concurrency', optionalNumberIn(wholeIn(1, LOAD_LIMITS.concurrency)), 'level'),
  /** Open loop only. */
  targetRateRps: required('target_rate_rps', optionalNumberIn(above(0, LOAD_LIMITS.rateRps)), 'level'),
  durationS: column('duration_s', numberIn(above(0, LOAD_LIMITS.durationS)), 'context'),
  warmupS: column('warmup_s', numberIn(between(0, LOAD_LIMITS.warmupS)), 'context'),
  timeoutS: column('timeout_s', numberIn(above(0, LOAD_LIMITS.timeoutS)), 'context'),
  /** Wall time from the first send to the last answer. */
  /** A level lasts its duration plus the last answers' timeout. */
  wallS: column('wall_s', metric(3, between(0, LOAD_LIMITS.durationS + LOAD_LIMITS.timeoutS)), 'level'),
  labels: required('labels', numberIn(LABEL_COUNT), 'context'),
  dataset: required('dataset', text, 'context'),
  datasetHash: required('dataset_hash', text, 'context'),
  requests: required('requests', numberIn(COUNT), 'level'),
  ok: required('ok', numberIn(COUNT), 'level'),
  errors: required('errors', numberIn(COUNT), 'level'),
  errorsConnection: column('errors_connection', numberIn(COUNT), 'level'),
  errorsTimeout: column('errors_timeout', numberIn(COUNT), 'level'),
  errorsHttp4xx: column('errors_http_4xx', numberIn(COUNT), 'level'),
  errorsHttp503: column('errors_http_503', numberIn(COUNT), 'level'),
  errorsHttp5xx: column('errors_http_5xx', numberIn(COUNT), 'level'),
  errorsOther: column('errors_other', numberIn(COUNT), 'level'),
  throughputRps: required('throughput_rps', metric(4, RATE), 'level'),
  pairsPerSecond: required('pairs_per_s', metric(4, RATE), 'level'),
  meanMs: column('mean_ms', loadMs, 'level'),
  p50Ms: required('p50_ms', loadMs, 'level'),
  p90Ms: column('p90_ms', loadMs, 'level'),
  p95Ms: required('p95_ms', loadMs, 'level'),
  p99Ms: required('p99_ms', loadMs, 'level'),
  maxMs: column('max_ms', loadMs, 'level'),
  meanServerMs: column('mean_server_ms', metric(3, DURATION), 'level'),
  /** A merged batch holds at most the queue. */
  meanBatchRequests: required('mean_batch_requests', metric(3, between(0, LOAD_LIMITS.maxQueue)), 'level'),
  meanBatchRuns: column('mean_batch_runs', metric(3, between(0, LOAD_LIMITS.maxQueue * MAX_LABELS)), 'level'),
  peakInFlight: column('peak_in_flight', numberIn(COUNT), 'level'),
  /** From the server's /api/info. */
  serverHost: required('server_host', text, 'context'),
  serverProfile: required('server_profile', text, 'context'),
  serverToolVersion: column('server_tool_version', text, 'context'),
  modelId: required('model_id', text, 'context'),
  modelSha256: required('model_sha256', text, 'context'),
  precision: required('precision', text, 'context'),
  requestedProvider: required('requested_provider', text, 'context'),
  actualProvider: required('actual_provider', text, 'context'),
  fallback: required('fallback', boolean, 'context'),
  fallbackReason: column('fallback_reason', text, 'context'),
  synthetic: required('synthetic', boolean, 'context'),
  /** Whether different requests were really merged into shared session.runs. */
  batching: required('batching', oneOf(['on', 'off']), 'context'),
  inexactBatching: required('inexact_batching', boolean, 'context'),
  maxBatchPairs: required('max_batch_pairs', numberIn(wholeIn(1, LOAD_LIMITS.maxBatchPairs)), 'context'),
  maxWaitMs: column('max_wait_ms', numberIn(wholeIn(0, LOAD_LIMITS.maxWaitMs)), 'context'),
  maxQueue: column('max_queue', numberIn(wholeIn(1, LOAD_LIMITS.maxQueue)), 'context'),
});

export type LoadColumns = (typeof LOAD_CSV)['columns'];
export type LoadCsvRow = RowOf<LoadColumns>;
/** Everything about a load run that is the same on every row: the client, the workload, the server. */
export type LoadContext = PartOf<LoadColumns, 'context'>;
/** One level's figures as they are written. */
export type LoadLevelCells = PartOf<LoadColumns, 'level'>;
/** One load row read back. */
export type LoadReadRow = ReadRowOf<LoadColumns>;
