/**
 * `zsc-bench ab`'s results: one row per label count, A's latency over B's from interleaved pass
 * pairs, declared once like the other result kinds (see src/schema/csv.ts). Parts: 'context'
 * once per A/B run (the command: both sides, the workload, the gate), 'comparison' per label
 * count (compare/ab.ts), 'derived' (the writer).
 */
import { above, between, boolean, csvKind, isoTime, metric, numberIn, numberList, oneOf, optionalNumberIn, required, text, wholeIn, type PartOf, type ReadRowOf, type RowOf } from './csv.js';
import { MAX_ITEMS, MAX_REPEATS } from './profile.js';
import { LABEL_COUNT, LATENCY, SCHEMA_VERSION, THREADS } from './results.js';

/** Bumped whenever an A/B column changes meaning or goes away. */
export const AB_SCHEMA_VERSION = 1;

const ms = metric(3, LATENCY);
/** A / B of two latencies: above 0; a million times faster or slower is no real comparison. */
const RATIO = above(0, 1e6);
const ratio = metric(5, RATIO);

export const AB_CSV = csvKind('zsc-bench A/B CSV (from `zsc-bench ab`)', {
  schemaVersion: required('schema_version', numberIn(SCHEMA_VERSION), 'derived'),
  kind: required('kind', oneOf(['ab']), 'derived'),
  toolVersion: required('tool_version', text, 'context'),
  timestamp: required('timestamp', isoTime, 'context'),
  host: required('host', text, 'context'),
  onnxruntimeVersion: required('onnxruntime_version', text, 'context'),
  profileA: required('profile_a', text, 'context'),
  profileHashA: required('profile_hash_a', text, 'context'),
  precisionA: required('precision_a', text, 'context'),
  actualProviderA: required('actual_provider_a', text, 'context'),
  modelIdA: required('model_id_a', text, 'context'),
  modelSha256A: required('model_sha256_a', text, 'context'),
  syntheticA: required('synthetic_a', boolean, 'context'),
  templateA: required('template_a', text, 'context'),
  /** The profile's setting; `auto: N` once auto resolved to N pairs per run. */
  pairsPerRunA: required('pairs_per_run_a', text, 'context'),
  intraOpThreadsA: required('intra_op_threads_a', numberIn(THREADS), 'context'),
  profileB: required('profile_b', text, 'context'),
  profileHashB: required('profile_hash_b', text, 'context'),
  precisionB: required('precision_b', text, 'context'),
  actualProviderB: required('actual_provider_b', text, 'context'),
  modelIdB: required('model_id_b', text, 'context'),
  modelSha256B: required('model_sha256_b', text, 'context'),
  syntheticB: required('synthetic_b', boolean, 'context'),
  templateB: required('template_b', text, 'context'),
  pairsPerRunB: required('pairs_per_run_b', text, 'context'),
  intraOpThreadsB: required('intra_op_threads_b', numberIn(THREADS), 'context'),
  dataset: required('dataset', text, 'context'),
  datasetHash: required('dataset_hash', text, 'context'),
  items: required('items', numberIn(wholeIn(1, MAX_ITEMS)), 'context'),
  labels: required('labels', numberIn(LABEL_COUNT), 'comparison'),
  pairs: required('pass_pairs', numberIn(wholeIn(1, MAX_REPEATS)), 'comparison'),
  metric: required('metric', oneOf(['mean', 'median']), 'context'),
  /** Geometric mean over passes of each pass's metric, per side. */
  aMs: required('a_ms', ms, 'comparison'),
  bMs: required('b_ms', ms, 'comparison'),
  /** A / B: above 1, A is slower. */
  ratio: required('ratio_a_over_b', ratio, 'comparison'),
  /** A confidence level, a probability such as 0.95. */
  level: required('ci_level', numberIn(above(0, 1)), 'context'),
  ciLow: required('ci_low', ratio, 'comparison'),
  ciHigh: required('ci_high', ratio, 'comparison'),
  /** A's ratio to B in each pass pair, in order, separated by spaces. */
  pairRatios: required('pair_ratios', numberList(5, RATIO), 'comparison'),
  /** The gate, e.g. 0.1 for --max-regression 10%; empty without one. */
  /** --max-regression takes up to 999%. */
  maxRegression: required('max_regression', optionalNumberIn(between(0, 10)), 'context'),
  verdict: required('verdict', oneOf(['regression', 'slower', 'no change', 'faster']), 'comparison'),
});

export type AbColumns = (typeof AB_CSV)['columns'];
export type AbCsvRow = RowOf<AbColumns>;
/** What stays the same for every row of one A/B run, as written. */
export type AbContextCells = PartOf<AbColumns, 'context'>;
/** One label count's comparison, as written. */
export type AbComparisonCells = PartOf<AbColumns, 'comparison'>;
/** One A/B row read back. */
export type AbReadRow = ReadRowOf<AbColumns>;
