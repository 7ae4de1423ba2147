/**
 * How each of compare's tables is specified, once: its fields (a row's figures under their
 * machine names, the CSV columns and JSON keys, each number with the decimals people see) and its
 * columns (what people see: a header, the layouts that show it, how a row fills it from the
 * fields). Every format derives from these: CSV and JSON carry each field as recorded (`exact`),
 * so nothing downstream computes on rounded values; the table and the Markdown round each number
 * once (`rounded`), to its field's digits.
 */
import { fixed } from '../../base/fixed.js';

export type Json = string | number | boolean | null | Json[] | { [name: string]: Json };

/** How numbers are carried: rounded for people, or exact for machines; null when there is none. */
export type Precise = (value: number | undefined, digits: number) => number | null;

/** How the human formats (table, Markdown) round: the shared fixed-decimal text, read back as a number. */
export const rounded: Precise = (value, digits) => {
  const text = fixed(digits)(value);
  return text === '' ? null : Number(text);
};

/** The machine formats: the value as recorded. */
export const exact: Precise = (value) => (value === undefined || !Number.isFinite(value) ? null : value);

/** Digits each kind of number is shown with, in every format. */
export const DIGITS = { ms: 1, qps: 2, memory: 0, cpu: 0, accuracy: 3, perDollar: 2, ratio: 2, percent: 1, msPerLabel: 2, r2: 3, pairsPerSecond: 1, batch: 2, scoreDiff: 4 } as const;

/** A number, shown with `digits` decimals. (`read` takes what a fact's does, so one literal types both.) */
export interface Figure<Row> {
  digits: number;
  read: (row: Row, precise: Precise) => number | undefined;
}

/** Anything else, as the row has it; `precise` is for the figures of nested rows. */
export interface Fact<Row> {
  read: (row: Row, precise: Precise) => Json | undefined;
}

/** A table's fields by machine name, in the order JSON writes them. */
export type Fields<Row> = Readonly<Record<string, Figure<Row> | Fact<Row>>>;

/** A row's fields by name, in the specification's order: a JSON object, a CSV record. */
export function recordOf<Row, F extends Fields<Row>>(fields: F, row: Row, precise: Precise): { [K in keyof F]: Json } {
  const entries = Object.entries(fields).map(([name, field]) => [name, 'digits' in field ? precise(field.read(row, precise), field.digits) : (field.read(row, precise) ?? null)]);
  return Object.fromEntries(entries) as { [K in keyof F]: Json };
}

/** A figure as people see it: rounded once to its digits, '-' when there is none. */
export function shown<Row>(field: Figure<Row>, row: Row): string {
  return fixed(field.digits)(rounded(field.read(row, rounded), field.digits) ?? undefined) || '-';
}

/** The default terminal table fits about 100 columns; `wide` shows every column (as Markdown and the HTML report do). */
export type Layout = 'narrow' | 'wide';

/** A column people see: its header, the layouts that show it, and how a row fills it. */
export interface Column<Row, Context> {
  head: string | ((context: Context) => string);
  /** A shorter header for the narrow table. */
  narrowHead?: string;
  shownIn: Layout | 'both';
  /** Shown only when the rows have something to say there (a baseline, an offline run…). */
  when?: (context: Context) => boolean;
  cell: (row: Row, context: Context) => string;
}

export interface TableRows {
  head: string[];
  rows: string[][];
}

export function tableRows<Row, Context>(columns: ReadonlyArray<Column<Row, Context>>, rows: readonly Row[], context: Context, layout: Layout): TableRows {
  const shownHere = columns.filter((column) => (column.shownIn === 'both' || column.shownIn === layout) && (column.when?.(context) ?? true));
  const headOf = (column: Column<Row, Context>): string =>
    layout === 'narrow' && column.narrowHead !== undefined ? column.narrowHead : typeof column.head === 'string' ? column.head : column.head(context);
  return { head: shownHere.map(headOf), rows: rows.map((row) => shownHere.map((column) => column.cell(row, context))) };
}

/** Whether the narrow table needs a run column: runs that share profile and host need their time to be told apart; others do not. */
export interface RunContext {
  repeated: boolean;
}

export function repeatedPlatforms(entries: ReadonlyArray<{ profile: string; host: string }>): boolean {
  const platforms = entries.map((entry) => `${entry.profile}@${entry.host}`);
  return new Set(platforms).size < platforms.length;
}

/** `2026-11-25T00:26:57Z` -> `11-25 00:26:57`: enough to tell runs apart in a narrow table. */
const shortRun = (run: string): string => run.replace(/^\d{4}-(\d\d-\d\d)T(\d\d:\d\d:\d\d)Z$/, '$1 $2');

/** The run's time: in full in the wide table; shortened in the narrow one, and only where a platform ran twice. */
export function runColumns<Row, Context extends RunContext>(run: (row: Row) => string): Array<Column<Row, Context>> {
  return [
    { head: 'run', shownIn: 'wide', cell: run },
    { head: 'run', shownIn: 'narrow', when: (context) => context.repeated, cell: (row) => shortRun(run(row)) },
  ];
}

/** Which run a row is: `profile@host` in the narrow table, profile and host apart in the wide one, then the run. */
export function platformColumns<Row extends { profile: string; host: string; run: string }, Context extends RunContext>(): Array<Column<Row, Context>> {
  return [
    { head: 'platform', shownIn: 'narrow', cell: (row) => `${row.profile}@${row.host}` },
    { head: 'profile', shownIn: 'wide', cell: (row) => row.profile },
    { head: 'host', shownIn: 'wide', cell: (row) => row.host },
    ...runColumns<Row, Context>((row) => row.run),
  ];
}
