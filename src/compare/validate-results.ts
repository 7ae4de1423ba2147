/**
 * Range and consistency checks on result files read back. A number that cannot have been
 * measured (a negative latency, 1e308 ms, an accuracy of 2, a summary that counts 60 samples
 * beside a samples file with 10) means an edited, damaged or mismatched file: refused with the
 * file, line, column and what was expected, never compared. Pure functions.
 */
import { MIB } from '../schema/csv.js';
import { UsageError } from '../base/errors.js';
import type { LoadLevel, ResultRow, SampleRecord } from './read-results.js';

/** No single classification, load or model build takes a day: anything longer is not a measurement. */
export const MAX_PLAUSIBLE_MS = 86_400_000;
/** More memory than any machine has (1 PiB in MiB). */
const MAX_PLAUSIBLE_MIB = 1024 ** 3;
const MAX_LABEL_COUNT = 64;

interface Where {
  file: string;
  line: number;
}

function refuse(where: Where, column: string, value: number, expected: string): never {
  throw new UsageError(`${where.file}:${where.line}: column ${column}: ${value} is impossible; expected ${expected}`);
}

function inRange(where: Where, column: string, value: number, min: number, max: number, options: { open?: boolean; integer?: boolean; optional?: boolean } = {}): void {
  if (Number.isNaN(value) && options.optional === true) return;
  const low = options.open === true ? value > min : value >= min;
  const whole = options.integer !== true || Number.isInteger(value);
  if (!Number.isFinite(value) || !low || value > max || !whole) {
    const kind = options.integer === true ? 'a whole number' : 'a number';
    refuse(where, column, value, `${kind} ${options.open === true ? 'above' : 'from'} ${min} ${options.open === true ? 'up ' : ''}to ${max}`);
  }
}

const latency = (where: Where, column: string, value: number, optional = false) => inRange(where, column, value, 0, MAX_PLAUSIBLE_MS, { open: true, optional });

/** One summary row: every number within what a run can produce. */
export function checkSummaryRow(row: ResultRow): void {
  const where = { file: row.file, line: row.line };
  inRange(where, 'labels', row.labels, 1, MAX_LABEL_COUNT, { integer: true });
  inRange(where, 'items', row.items, 1, Number.MAX_SAFE_INTEGER, { integer: true });
  inRange(where, 'repeats', row.repeats, 1, Number.MAX_SAFE_INTEGER, { integer: true });
  inRange(where, 'samples', row.samples, 1, Number.MAX_SAFE_INTEGER, { integer: true });
  if (row.samples !== row.items * row.repeats) {
    refuse(where, 'samples', row.samples, `items × repeats = ${row.items} × ${row.repeats} = ${row.items * row.repeats}`);
  }
  latency(where, 'mean_ms', row.meanMs);
  latency(where, 'p50_ms', row.p50Ms);
  latency(where, 'p95_ms', row.p95Ms);
  latency(where, 'p99_ms', row.p99Ms);
  if (row.p95Ms < row.p50Ms) refuse(where, 'p95_ms', row.p95Ms, `at least p50_ms (${row.p50Ms})`);
  if (row.p99Ms < row.p95Ms) refuse(where, 'p99_ms', row.p99Ms, `at least p95_ms (${row.p95Ms})`);
  inRange(where, 'items_per_s', row.itemsPerSecond, 0, 1e9, { open: true });
  inRange(where, 'pairs_per_s', row.pairsPerSecond, 0, 1e9, { open: true });
  inRange(where, 'peak_rss_mb', row.peakRssBytes / MIB, 0, MAX_PLAUSIBLE_MIB);
  if (row.gpuMemoryMiB !== undefined) inRange(where, 'gpu_memory_mb', row.gpuMemoryMiB, 0, MAX_PLAUSIBLE_MIB);
  inRange(where, 'cpu_percent_one_core', row.cpuPercentOneCore, 0, 1e6, { optional: true });
  inRange(where, 'accuracy', row.accuracy, 0, 1, { optional: true });
  inRange(where, 'model_load_ms', row.modelLoadMs, 0, MAX_PLAUSIBLE_MS, { optional: true });
  inRange(where, 'first_inference_ms', row.firstInferenceMs, 0, MAX_PLAUSIBLE_MS, { optional: true });
  // R² of a least-squares fit is at most 1; it is negative only for a fit worse than the mean.
  inRange(where, 'fit_r2', row.fitR2, -1e12, 1 + 1e-9, { optional: true });
  if (row.costPerHour !== undefined) inRange(where, 'cost_per_hour_usd', row.costPerHour, 0, 10_000, { open: true });
  if (Number.isNaN(Date.parse(row.timestamp))) {
    throw new UsageError(`${row.file}:${row.line}: column timestamp: '${row.timestamp}' is not a date; expected an ISO time such as 2026-01-02T03:04:05.678Z`);
  }
}

/** One samples row: a positive latency, a label count and repeat index that exist. */
export function checkSampleRecord(sample: SampleRecord, file: string, line: number): void {
  const where = { file, line };
  latency(where, 'total_ms', sample.totalMs);
  inRange(where, 'labels', sample.labelCount, 1, MAX_LABEL_COUNT, { integer: true });
  inRange(where, 'repeat', sample.repeat, 0, Number.MAX_SAFE_INTEGER, { integer: true });
}

/**
 * A summary and its samples describe the same measurements: for every label count the summary
 * counts exactly as many samples as the file holds, no sample belongs to a label count the
 * summary lacks, repeat indexes stay below the summary's repeats, and no (label count, item,
 * repeat) appears twice.
 */
export function checkSamplesMatchSummary(rows: readonly ResultRow[], samples: readonly SampleRecord[], samplesFile: string): void {
  const summaryFile = rows[0]?.file ?? samplesFile;
  const byLabels = new Map(rows.map((row) => [row.labels, row]));
  const counts = new Map<number, number>();
  const seen = new Set<string>();
  for (const sample of samples) {
    const row = byLabels.get(sample.labelCount);
    if (row === undefined) {
      throw new UsageError(`${samplesFile}: has samples for ${sample.labelCount} labels, but ${summaryFile} has no row for ${sample.labelCount} labels; the two files are not one run`);
    }
    if (sample.repeat >= row.repeats) {
      throw new UsageError(`${samplesFile}: repeat ${sample.repeat} of item ${sample.itemId} at ${sample.labelCount} labels, but ${summaryFile} says ${row.repeats} repeats (0 to ${row.repeats - 1})`);
    }
    const key = `${sample.labelCount}\u0000${sample.itemId}\u0000${sample.repeat}`;
    if (seen.has(key)) throw new UsageError(`${samplesFile}: item ${sample.itemId}, repeat ${sample.repeat} at ${sample.labelCount} labels appears twice; a samples file has each once`);
    seen.add(key);
    counts.set(sample.labelCount, (counts.get(sample.labelCount) ?? 0) + 1);
  }
  for (const row of rows) {
    const count = counts.get(row.labels) ?? 0;
    if (count !== row.samples) {
      throw new UsageError(`${summaryFile}:${row.line}: says ${row.samples} samples at ${row.labels} labels, but ${samplesFile} holds ${count}; the two files are not one complete run`);
    }
  }
}

/** One level of a load run: counts that add up, rates and latencies that can exist. */
export function checkLoadLevel(level: LoadLevel, line: number): void {
  const where = { file: level.file, line };
  inRange(where, level.mode === 'closed' ? 'concurrency' : 'target_rate_rps', level.level, 0, 1e9, { open: true, integer: level.mode === 'closed' });
  inRange(where, 'labels', level.labels, 1, MAX_LABEL_COUNT, { integer: true });
  inRange(where, 'requests', level.requests, 0, Number.MAX_SAFE_INTEGER, { integer: true });
  inRange(where, 'ok', level.ok, 0, level.requests, { integer: true });
  inRange(where, 'errors', level.errors, 0, level.requests, { integer: true });
  if (level.ok + level.errors !== level.requests) refuse(where, 'errors', level.errors, `requests - ok = ${level.requests - level.ok}`);
  inRange(where, 'throughput_rps', level.throughputRps, 0, 1e9, { optional: level.ok === 0 });
  inRange(where, 'pairs_per_s', level.pairsPerSecond, 0, 1e9, { optional: level.ok === 0 });
  for (const [column, value] of [['p50_ms', level.p50Ms], ['p95_ms', level.p95Ms], ['p99_ms', level.p99Ms]] as const) {
    latency(where, column, value, level.ok === 0);
  }
  if (level.p95Ms < level.p50Ms) refuse(where, 'p95_ms', level.p95Ms, `at least p50_ms (${level.p50Ms})`);
  if (level.p99Ms < level.p95Ms) refuse(where, 'p99_ms', level.p99Ms, `at least p95_ms (${level.p95Ms})`);
  inRange(where, 'mean_batch_requests', level.meanBatchRequests, 0, 1e9, { optional: true });
  inRange(where, 'max_batch_pairs', level.maxBatchPairs, 1, 1e9, { integer: true, optional: true });
}
