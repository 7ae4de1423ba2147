import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../base/errors.js';
import { decodeRecord, encodeRow, parseDecimal, type Columns, type CsvKind, type ReadRowOf, type RowOf } from '../schema/csv.js';

/** One data row of a CSV file: its cells by column name, and the line it ends on (for errors). */
export interface CsvRecord {
  line: number;
  cells: Readonly<Record<string, string>>;
}

export interface CsvTable {
  columns: string[];
  records: CsvRecord[];
}

/**
 * Parses CSV text with a header row. Missing required columns, an empty file and malformed
 * CSV are UsageErrors naming the file (and line); extra columns are allowed.
 */
export function parseCsvTable(text: string, file: string, required: readonly string[], what: string): CsvTable {
  const content = text.replace(/^\uFEFF/, '');
  if (content.trim() === '') throw new UsageError(`${file}: empty file; expected a ${what} with a header row and rows`);
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(content, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new UsageError(`${file}${line === undefined ? '' : `:${line}`}: malformed CSV (${(error as Error).message.split('\n')[0]})`);
  }
  const [header, ...rows] = parsed;
  const columns = (header?.record ?? []).map((column) => column.trim());
  requireColumns(columns, file, required, what);
  if (rows.length === 0) throw new UsageError(`${file}: no rows after the header; expected a ${what}`);
  return {
    columns,
    records: rows.map(({ record, info }) => ({
      line: info.lines,
      cells: Object.fromEntries(columns.map((column, index) => [column, record[index] ?? ''])),
    })),
  };
}

export function requireColumns(columns: readonly string[], file: string, required: readonly string[], what: string): void {
  const missing = required.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new UsageError(`${file}:1: missing column(s) ${missing.join(', ')}; expected a ${what}, found header: ${columns.join(',')}`);
  }
}

/** A numeric cell; empty is `undefined` when optional, else an error naming file, line and column. */
export function numberCell(record: CsvRecord, column: string, file: string): number;
export function numberCell(record: CsvRecord, column: string, file: string, optional: true): number | undefined;
export function numberCell(record: CsvRecord, column: string, file: string, optional = false): number | undefined {
  const raw = (record.cells[column] ?? '').trim();
  if (raw === '') {
    if (optional) return undefined;
    throw new UsageError(`${file}:${record.line}: column ${column} is empty; expected a number`);
  }
  const value = parseDecimal(raw);
  if (value === undefined) throw new UsageError(`${file}:${record.line}: column ${column}: expected a number, got '${raw}'`);
  return value;
}

export type CsvCell = string | number | boolean | undefined | null;

/** CSV text with a header row; undefined and null become empty cells. */
export function formatCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const cell = (value: CsvCell): string => (value === undefined || value === null ? '' : String(value));
  return stringify([[...header], ...rows.map((row) => row.map(cell))], { record_delimiter: '\n' });
}

/** A file of one declared kind (src/schema) as CSV text: the header, then one line per row. */
export function formatRows<C extends Columns>(kind: CsvKind<C>, rows: ReadonlyArray<RowOf<C>>): string {
  return formatCsv(kind.names, rows.map((row) => encodeRow(kind, row)));
}

/** CSV text read as rows of one declared kind: header checked, every cell parsed, errors with file and line. */
export function parseRows<C extends Columns>(kind: CsvKind<C>, text: string, file: string): Array<ReadRowOf<C> & { line: number }> {
  return readRows(kind, parseCsvTable(text, file, kind.requiredNames, kind.what), file);
}

/** A table already parsed, read as rows of one declared kind; each row knows its line. */
export function readRows<C extends Columns>(kind: CsvKind<C>, table: CsvTable, file: string): Array<ReadRowOf<C> & { line: number }> {
  requireColumns(table.columns, file, kind.requiredNames, kind.what);
  return table.records.map((record) => ({ ...decodeRecord(kind, record.cells, file, record.line), line: record.line }));
}
