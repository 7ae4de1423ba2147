/**
 * Consistency checks on result files read back. Each column's own range is declared with the
 * column (src/schema/results.ts, ab.ts, webui.ts) and checked as the cell is read; here are the
 * checks between columns of one row (min <= mean <= max, low <= high, ok + errors = requests)
 * and between files (a summary that counts 60 samples beside a samples file with 10). A row
 * that fails one was edited, damaged or mismatched: refused with the file, line, column and
 * what was expected, never compared. Pure functions.
 */
import { UsageError } from '../base/errors.js';
import type { LoadLevel, ResultRow, SampleRecord, WebUiRecord } from './read-results.js';

interface Where {
  file: string;
  line: number;
}

function refuse(where: Where, column: string, value: number, expected: string): never {
  throw new UsageError(`${where.file}:${where.line}: column ${column}: ${value} is impossible; expected ${expected}`);
}

/**
 * Columns that must not decrease from left to right, e.g. min, p50, p95, max; empty cells (NaN
 * or undefined, a figure not measured) are skipped.
 */
function ascending(where: Where, columns: ReadonlyArray<readonly [string, number | undefined]>): void {
  let previous: readonly [string, number] | undefined;
  for (const [column, value] of columns) {
    if (value === undefined || Number.isNaN(value)) continue;
    if (previous !== undefined && value < previous[1]) refuse(where, column, value, `at least ${previous[0]} (${previous[1]})`);
    previous = [column, value];
  }
}

/** One summary row: its columns agree with each other. */
export function checkSummaryRow(row: ResultRow): void {
  const where = { file: row.file, line: row.line };
  if (row.samples !== row.items * row.repeats) {
    refuse(where, 'samples', row.samples, `items × repeats = ${row.items} × ${row.repeats} = ${row.items * row.repeats}`);
  }
  ascending(where, [['min_ms', row.minMs], ['p50_ms', row.p50Ms], ['p90_ms', row.p90Ms], ['p95_ms', row.p95Ms], ['p99_ms', row.p99Ms], ['max_ms', row.maxMs]]);
  ascending(where, [['min_ms', row.minMs], ['mean_ms', row.meanMs], ['max_ms', row.maxMs]]);
  ascending(where, [['mean_ci95_low_ms', row.meanCi95LowMs], ['mean_ci95_high_ms', row.meanCi95HighMs]]);
  ascending(where, [['median_ci95_low_ms', row.medianCi95LowMs], ['median_ci95_high_ms', row.medianCi95HighMs]]);
  ascending(where, [['rerun_mean_low_ms', row.rerunMeanLowMs], ['rerun_mean_high_ms', row.rerunMeanHighMs]]);
  ascending(where, [['rerun_median_low_ms', row.rerunMedianLowMs], ['rerun_median_high_ms', row.rerunMedianHighMs]]);
  ascending(where, [['cpu_mhz_min', row.cpuMhzMin], ['cpu_mhz_max', row.cpuMhzMax]]);
  ascending(where, [['parity_mean_abs_diff', row.parityMeanAbsDiff], ['parity_max_abs_diff', row.parityMaxAbsDiff]]);
  // A run holds at most one text's pairs: as many as its labels.
  if (row.pairsPerRun !== undefined && row.pairsPerRun > row.labels) refuse(where, 'pairs_per_run', row.pairsPerRun, `at most labels (${row.labels})`);
}

/** One samples row: its parts within its whole (rounding to 3 decimals aside). */
export function checkSampleRecord(sample: SampleRecord, file: string, line: number): void {
  const where = { file, line };
  if (sample.runs !== undefined && sample.runs > sample.labelCount) refuse(where, 'session_runs', sample.runs, `at most labels (${sample.labelCount})`);
  for (const [column, value] of [['inference_ms', sample.inferenceMs], ['tokenize_ms', sample.tokenizeMs]] as const) {
    if (value !== undefined && value > sample.totalMs + 0.001) refuse(where, column, value, `at most total_ms (${sample.totalMs})`);
  }
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

/** One level of a load run: counts that add up, percentiles in order. */
export function checkLoadLevel(level: LoadLevel, line: number): void {
  const where = { file: level.file, line };
  if (level.ok > level.requests) refuse(where, 'ok', level.ok, `at most requests (${level.requests})`);
  if (level.ok + level.errors !== level.requests) refuse(where, 'errors', level.errors, `requests - ok = ${level.requests - level.ok}`);
  const byKind = [level.errorsConnection, level.errorsTimeout, level.errorsHttp4xx, level.errorsHttp503, level.errorsHttp5xx, level.errorsOther].reduce<number>((sum, count) => sum + (count ?? 0), 0);
  if (byKind > level.errors) refuse(where, 'errors', level.errors, `at least the errors by kind (${byKind})`);
  ascending(where, [['p50_ms', level.p50Ms], ['p90_ms', level.p90Ms], ['p95_ms', level.p95Ms], ['p99_ms', level.p99Ms], ['max_ms', level.maxMs]]);
  ascending(where, [['mean_ms', level.meanMs], ['max_ms', level.maxMs]]);
}

/** One page of a web UI measurement: percentiles in order, the longest task within the total. */
export function checkWebUiRecord(page: WebUiRecord, line: number): void {
  const where = { file: page.file, line };
  for (const [name, figures] of [['dom_content_loaded', page.domContentLoadedMs], ['load', page.loadMs], ['bars', page.barsMs], ['server', page.serverMs], ['added', page.addedMs], ['render', page.renderMs]] as const) {
    ascending(where, [[`${name}_p50_ms`, figures.p50], [`${name}_p95_ms`, figures.p95], [`${name}_max_ms`, figures.max]]);
  }
  ascending(where, [['long_task_max_ms', page.longTaskMaxMs], ['long_task_total_ms', page.longTaskTotalMs]]);
}
