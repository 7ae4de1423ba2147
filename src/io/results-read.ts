/** Parses the result CSVs that `run` writes back into typed rows: pure string functions. */
import { UsageError } from '../core/errors.js';
import { booleanCell, numberCell, parseCsvTable, requireColumns, type CsvRecord, type CsvTable } from './csv-table.js';
import { RESULT_SCHEMA_VERSION } from './results-csv.js';

/** One summary row: one (run, label count), with what `compare` and `check` need. */
export interface ResultRow {
  file: string;
  line: number;
  schemaVersion: number;
  toolVersion: string;
  timestamp: string;
  profile: string;
  profileHash: string;
  host: string;
  requestedProvider: string;
  actualProvider: string;
  fallback: boolean;
  fallbackReason: string;
  precision: string;
  modelId: string;
  modelSha256: string;
  synthetic: boolean;
  dataset: string;
  datasetHash: string;
  items: number;
  repeats: number;
  labels: number;
  samples: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  itemsPerSecond: number;
  pairsPerSecond: number;
  peakRssMb: number;
  gpuMemoryMb: number | undefined;
  cpuPercentOneCore: number;
  accuracy: number;
  accuracyMeaningful: boolean;
  increaseVsMinLabelsPercent: number;
  fitMsPerLabel: number;
  fitInterceptMs: number;
  fitR2: number;
  costPerHour: number | undefined;
  modelLoadMs: number;
  firstInferenceMs: number;
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
] as const;

const SAMPLES_REQUIRED = ['schema_version', 'profile', 'timestamp', 'labels', 'item_id', 'repeat', 'total_ms', 'correct'] as const;

const SUMMARY_WHAT = 'zsc-bench result summary CSV (from `zsc-bench run`)';
const SAMPLES_WHAT = 'zsc-bench samples CSV (the -samples.csv beside a result)';

export type ParsedResultFile =
  | { kind: 'summary'; schemaVersion: number; rows: ResultRow[] }
  | { kind: 'samples'; schemaVersion: number; samples: SampleRecord[] }
  | { kind: 'load'; schemaVersion: number; table: CsvTable };

/** Parses any result CSV zsc-bench writes, telling the kinds apart by their header. */
export function parseResultCsv(content: string, file: string): ParsedResultFile {
  const table = parseCsvTable(content, file, [], 'zsc-bench result CSV');
  const schemaVersion = schemaVersionOf(table, file);
  if (table.columns.includes('kind') && table.records[0]?.cells['kind'] === 'load') return { kind: 'load', schemaVersion, table };
  if (table.columns.includes('total_ms')) return { kind: 'samples', schemaVersion, samples: sampleRecords(table, file) };
  return { kind: 'summary', schemaVersion, rows: summaryRows(table, file) };
}

/**
 * The file's result schema version; every row must carry the same one, and it must be one this
 * version of zsc-bench reads (a newer file may have renamed columns).
 */
export function schemaVersionOf(table: CsvTable, file: string): number {
  requireColumns(table.columns, file, ['schema_version'], 'zsc-bench result CSV');
  let version: number | undefined;
  for (const record of table.records) {
    const value = numberCell(record, 'schema_version', file);
    if (version !== undefined && value !== version) {
      throw new UsageError(`${file}:${record.line}: result schema version ${value} differs from version ${version} on earlier rows`);
    }
    version = value;
  }
  if (version === undefined || version < 1 || version > RESULT_SCHEMA_VERSION || !Number.isInteger(version)) {
    throw new UsageError(`${file}: result schema version ${String(version)}; this zsc-bench reads version ${RESULT_SCHEMA_VERSION} (upgrade zsc-bench to read newer results)`);
  }
  return version;
}

const text = (record: CsvRecord, column: string): string => (record.cells[column] ?? '').trim();
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
    modelLoadMs: metric(record, 'model_load_ms', file),
    firstInferenceMs: metric(record, 'first_inference_ms', file),
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
