/** Parses the result CSVs that `run`, `ab`, `load` and `webui` write back into typed rows, by kind: pure string functions. */
import { UsageError } from '../base/errors.js';
import { numberCell, parseCsvTable, readRows, requireColumns, type CsvTable } from '../io/csv-table.js';
import { columnName } from '../schema/csv.js';
import { LOAD_CSV, LOAD_SCHEMA_VERSION, OLDEST_RUN_RESULTS, RESULT_SCHEMA_VERSION, SAMPLES_CSV, SUMMARY_CSV, type LoadReadRow, type SampleReadRow, type SummaryReadRow } from '../schema/results.js';
import { WEBUI_CSV, WEBUI_SCHEMA_VERSION, type WebUiReadRow } from '../schema/webui.js';
import { AB_CSV, AB_SCHEMA_VERSION, type AbReadRow } from '../schema/ab.js';
import type { WebUiMeasurement } from '../load/webui-csv.js';

/**
 * One summary row read back: one (run, label count), with the file and line it came from, and
 * every cell by column name for what is shown only when a file has it (columns newer files add).
 */
export type ResultRow = SummaryReadRow & { file: string; line: number; cells: Readonly<Record<string, string>> };

/** One page of a web UI measurement read back (`zsc-bench webui`). */
export type WebUiRecord = WebUiMeasurement &
  Pick<WebUiReadRow, 'timestamp' | 'clientHost' | 'browser' | 'cpuSlowdown' | 'smoothLimitMs' | 'smooth' | 'serverHost' | 'serverProfile' | 'modelId' | 'precision' | 'actualProvider' | 'fallback' | 'synthetic'> & {
    file: string;
  };

/** One timed classification from a `-samples.csv` file. */
export type SampleRecord = SampleReadRow;

/** One level of a `zsc-bench load` run read back: a point of a server's throughput-latency curve. */
export type LoadLevel = LoadReadRow & {
  file: string;
  /** Clients (closed loop) or requests per second (open loop). */
  level: number;
};

/** The result files zsc-bench writes, by their `kind` column. */
export const RESULT_KINDS = ['summary', 'samples', 'load', 'webui', 'ab'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

export type ParsedResultFile =
  | { kind: 'summary'; schemaVersion: number; rows: ResultRow[] }
  | { kind: 'samples'; schemaVersion: number; samples: SampleRecord[] }
  | { kind: 'load'; schemaVersion: number; levels: LoadLevel[] }
  | { kind: 'webui'; schemaVersion: number; pages: WebUiRecord[] }
  | { kind: 'ab'; schemaVersion: number; rows: AbReadRow[] };

/** A result CSV as a table, header and cells, not yet read as any kind. */
export function parseResultTable(content: string, file: string): CsvTable {
  return parseCsvTable(content, file, [], 'zsc-bench result CSV');
}

/**
 * Which kind of result a table holds: its `kind` cell; summary and samples files written before
 * they had one are told apart by their header (samples have total_ms).
 */
export function resultKindOf(table: CsvTable, file: string): ResultKind {
  const first = table.records[0];
  const kind = (first?.cells['kind'] ?? '').trim();
  if (kind === '') return table.columns.includes('total_ms') ? 'samples' : 'summary';
  if ((RESULT_KINDS as readonly string[]).includes(kind)) return kind as ResultKind;
  throw new UsageError(`${file}:${first?.line ?? 2}: kind '${kind}' is not a result kind this zsc-bench reads (${RESULT_KINDS.join(', ')}); upgrade zsc-bench to read it`);
}

/** A table read as rows of its kind, all of one schema version this zsc-bench reads. */
export function readResultTable(table: CsvTable, kind: ResultKind, file: string): ParsedResultFile {
  switch (kind) {
    case 'load':
      return { kind, schemaVersion: schemaVersionOf(table, file, LOAD_SCHEMA_VERSION), levels: loadLevels(table, file) };
    case 'webui':
      return { kind, schemaVersion: schemaVersionOf(table, file, WEBUI_SCHEMA_VERSION), pages: webUiRecords(table, file) };
    case 'ab':
      return { kind, schemaVersion: schemaVersionOf(table, file, AB_SCHEMA_VERSION), rows: readRows(AB_CSV, table, file).map(({ line: _line, ...row }) => row) };
    case 'samples':
      return { kind, schemaVersion: schemaVersionOf(table, file, RESULT_SCHEMA_VERSION, OLDEST_RUN_RESULTS), samples: readRows(SAMPLES_CSV, table, file).map(({ line: _line, ...sample }) => sample) };
    case 'summary':
      return { kind, schemaVersion: schemaVersionOf(table, file, RESULT_SCHEMA_VERSION, OLDEST_RUN_RESULTS), rows: readRows(SUMMARY_CSV, table, file).map((row, index) => ({ ...row, file, cells: table.records[index]?.cells ?? {} })) };
  }
}

/** Parses any result CSV zsc-bench writes, by its kind. */
export function parseResultCsv(content: string, file: string): ParsedResultFile {
  const table = parseResultTable(content, file);
  return readResultTable(table, resultKindOf(table, file), file);
}

function webUiRecords(table: CsvTable, file: string): WebUiRecord[] {
  return readRows(WEBUI_CSV, table, file).map((row) => ({
    file,
    timestamp: row.timestamp,
    clientHost: row.clientHost,
    browser: row.browser,
    cpuSlowdown: row.cpuSlowdown,
    smoothLimitMs: row.smoothLimitMs,
    smooth: row.smooth,
    serverHost: row.serverHost,
    serverProfile: row.serverProfile,
    modelId: row.modelId,
    precision: row.precision,
    actualProvider: row.actualProvider,
    fallback: row.fallback,
    synthetic: row.synthetic,
    page: row.page,
    path: row.path,
    loads: row.loads,
    classifications: row.classifications,
    domContentLoadedMs: { p50: row.domContentLoadedP50Ms, p95: row.domContentLoadedP95Ms, max: Number.NaN },
    loadMs: { p50: row.loadP50Ms, p95: row.loadP95Ms, max: Number.NaN },
    barsMs: { p50: row.barsP50Ms, p95: row.barsP95Ms, max: Number.NaN },
    serverMs: { p50: row.serverP50Ms, p95: row.serverP95Ms, max: Number.NaN },
    addedMs: { p50: row.addedP50Ms, p95: row.addedP95Ms, max: row.addedMaxMs },
    renderMs: { p50: row.renderP50Ms ?? Number.NaN, p95: row.renderP95Ms ?? Number.NaN, max: Number.NaN },
    longTasks: row.longTasks,
    longTaskTotalMs: row.longTaskTotalMs,
    longTaskMaxMs: row.longTaskMaxMs,
  }));
}

function loadLevels(table: CsvTable, file: string): LoadLevel[] {
  return readRows(LOAD_CSV, table, file).map(({ line, ...row }) => {
    // The level is required for the row's own mode only: the other mode's cell is empty.
    const level = row.mode === 'closed' ? row.concurrency : row.targetRateRps;
    if (level === undefined) throw new UsageError(`${file}:${line}: column ${columnName(LOAD_CSV, row.mode === 'closed' ? 'concurrency' : 'targetRateRps')} is empty; expected a number`);
    return { ...row, file, level };
  });
}

/**
 * The file's schema version; every row must carry the same one, and it must be one this version
 * of zsc-bench reads (a newer file may have renamed columns). Run results (summary and samples),
 * load, web UI and A/B results are versioned separately.
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

/** `results/cpu-host-20261124T221650Z.csv` -> `results/cpu-host-20261124T221650Z-samples.csv`. */
export function samplesPathFor(summaryPath: string): string {
  return summaryPath.replace(/\.csv$/i, '') + '-samples.csv';
}
