/**
 * How a CSV file kind is declared: one line per column, in file order. From that one
 * declaration come the row's TypeScript type, the writer's header and cells, the reader (each
 * cell parsed and checked, with `file:line: column NAME: expected ...` errors), the list of
 * columns a reader requires, and the column names other modules print (`columnName`).
 *
 * ADDING A COLUMN is one line in the kind's declaration (src/schema/results.ts for run, samples
 * and load CSVs): `fieldName: column('csv_name', cell, part)`. The row type then has the field,
 * the compiler points at the code that must fill it, and the writer, the reader and the
 * round-trip tests pick it up. A new column is optional when read (files written before it
 * existed still read, the field is `undefined`); use `required(...)` only for columns every
 * file of this schema version has. Renaming or changing a column's meaning bumps the kind's
 * schema version instead.
 *
 * zod (4.x) does the parsing: each cell is a `z.codec` between the CSV string and the typed
 * value, so one object holds both directions. Chosen over valibot and TypeBox because it has
 * two-way codecs (one declaration writes and reads), custom error messages per check, type
 * inference, no dependencies, and runs on Node 20; it is also used for profiles, datasets and
 * the HTTP request body (one schema library in the project).
 */
import * as z from 'zod';
import { UsageError } from '../base/errors.js';
import { fixed } from '../base/fixed.js';

/** A cell: parses the CSV text into a value and formats a value as CSV text. */
export type Cell<T> = z.ZodType<T, string>;

/** `part` says which producer fills a field (e.g. 'run' for once per run, 'measured' per label count). */
export interface ColumnSpec<T, Required extends boolean = boolean, Part extends string = string> {
  name: string;
  cell: Cell<T>;
  required: Required;
  part: Part;
}

/** A column a reader may find missing (files from before it existed): read as undefined. */
export function column<T, Part extends string>(name: string, cell: Cell<T>, part: Part): ColumnSpec<T, false, Part> {
  return { name, cell, required: false, part };
}

/** A column every file of this schema version has; a file without it is refused. */
export function required<T, Part extends string>(name: string, cell: Cell<T>, part: Part): ColumnSpec<T, true, Part> {
  return { name, cell, required: true, part };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any column, whatever its value type
type AnyColumn = ColumnSpec<any>;
export type Columns = Record<string, AnyColumn>;

type ValueOf<C> = C extends ColumnSpec<infer T> ? T : never;

/** The row as written: every field. */
export type RowOf<C extends Columns> = { [K in keyof C]: ValueOf<C[K]> };

/** The fields one part of the program fills. */
export type PartOf<C extends Columns, P extends string> = { [K in keyof C as C[K]['part'] extends P ? K : never]: ValueOf<C[K]> };

/** The row as read back: required columns always there, the others when the file has them. */
export type ReadRowOf<C extends Columns> = { [K in keyof C as C[K]['required'] extends true ? K : never]: ValueOf<C[K]> } & {
  [K in keyof C as C[K]['required'] extends true ? never : K]?: ValueOf<C[K]> | undefined;
};

export interface CsvKind<C extends Columns> {
  /** What the file is, for errors: "expected a ${what}". */
  what: string;
  columns: C;
  /** Column names in file order. */
  names: readonly string[];
  /** Columns a reader refuses a file without, in file order. */
  requiredNames: readonly string[];
  writer: z.ZodType<Record<string, string>, RowOf<C>>;
  reader: z.ZodType<ReadRowOf<C>, Record<string, string>>;
}

export function csvKind<C extends Columns>(what: string, columns: C): CsvKind<C> {
  const entries = Object.entries(columns);
  return {
    what,
    columns,
    names: entries.map(([, spec]) => spec.name),
    requiredNames: entries.filter(([, spec]) => spec.required).map(([, spec]) => spec.name),
    writer: z.object(Object.fromEntries(entries.map(([key, spec]) => [key, spec.cell]))) as unknown as CsvKind<C>['writer'],
    reader: z.object(Object.fromEntries(entries.map(([key, spec]) => [key, spec.required ? spec.cell : spec.cell.optional()]))) as unknown as CsvKind<C>['reader'],
  };
}

/** The CSV name of a field, for code that prints or matches column names. */
export function columnName<C extends Columns>(kind: CsvKind<C>, field: keyof C & string): string {
  return (kind.columns[field] as AnyColumn).name;
}

/** One row as CSV cells in file order. A value of the wrong type is a bug: it throws. */
export function encodeRow<C extends Columns>(kind: CsvKind<C>, row: RowOf<C>): string[] {
  const cells = z.encode(kind.writer, row);
  return Object.keys(kind.columns).map((key) => cells[key] ?? '');
}

/** One record (cells by column name) as a typed row; a bad cell is a UsageError naming file, line and column. */
export function decodeRecord<C extends Columns>(kind: CsvKind<C>, cells: Readonly<Record<string, string>>, file: string, line: number): ReadRowOf<C> {
  const input: Record<string, string> = {};
  for (const [key, spec] of Object.entries(kind.columns)) {
    const value = cells[spec.name];
    if (value !== undefined) input[key] = value;
  }
  const result = z.safeDecode(kind.reader, input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path[0];
  const name = typeof field === 'string' ? (kind.columns[field]?.name ?? field) : '?';
  throw new UsageError(`${file}:${line}: column ${name}${issue?.message ?? ': invalid'}`);
}

// ---- Cells. Each message is what follows "column NAME" in the error. ----

function fail(ctx: { issues: unknown[] }, raw: string, message: string): never {
  (ctx.issues as Array<{ code: 'custom'; message: string; input: string }>).push({ code: 'custom', message, input: raw });
  return z.NEVER;
}

/**
 * The values a numeric column can hold. Every numeric column declares one: a bound stops what
 * cannot have been measured (a negative latency, an MFU of 5000%), never what is merely
 * surprising; the declaration says briefly why each bound is where it is.
 */
export interface Range {
  min: number;
  max: number;
  /** min itself is impossible too (a latency of 0 ms). */
  above?: boolean;
  integer?: boolean;
}

/** Numbers from min to max, both included. */
export const between = (min: number, max: number): Range => ({ min, max });
/** Numbers above min (excluded) up to max. */
export const above = (min: number, max: number): Range => ({ min, max, above: true });
/** Whole numbers from min to max. */
export const wholeIn = (min: number, max: number): Range => ({ min, max, integer: true });

/** "a whole number from 1 to 64", "a number above 0 up to 86400000": what the error says was expected. */
export function rangeInWords(range: Range): string {
  const kind = range.integer === true ? 'a whole number' : 'a number';
  return range.above === true ? `${kind} above ${range.min} up to ${range.max}` : `${kind} from ${range.min} to ${range.max}`;
}

/** Whether a value lies in a range (NaN and infinities never do). */
export function inRange(value: number, range: Range): boolean {
  if (!Number.isFinite(value) || value > range.max) return false;
  if (range.above === true ? value <= range.min : value < range.min) return false;
  return range.integer !== true || Number.isInteger(value);
}

/** Decimal notation only, as zsc-bench writes numbers: no hex (0x10), binary, octal, Infinity or inner spaces. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number written in decimal, finite, or undefined: the one strict number parser of result files. */
export function parseDecimal(raw: string): number | undefined {
  const trimmed = raw.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function parseNumber(raw: string, ctx: { issues: unknown[] }, range: Range): number {
  const trimmed = raw.trim();
  if (trimmed === '') return fail(ctx, raw, ` is empty; expected ${rangeInWords(range)}`);
  const value = parseDecimal(trimmed);
  if (value === undefined || !inRange(value, range)) return fail(ctx, raw, `: expected ${rangeInWords(range)}, got '${trimmed}'`);
  return value;
}

const anyNumber = z.custom<number>((value) => typeof value === 'number');

/** Text, trimmed when read. */
export const text: Cell<string> = z.codec(z.string(), z.string(), { decode: (raw) => raw.trim(), encode: (value) => value });

/**
 * A time as zsc-bench writes it (`Date.toISOString()`): a four-digit year, valid date and time,
 * UTC. Text, so that it round-trips exactly; `garbage` or year 275760 is refused when read.
 */
export const isoTime: Cell<string> = z.codec(z.string(), z.string(), {
  decode: (raw, ctx) => {
    const trimmed = raw.trim();
    const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/.test(trimmed) && !Number.isNaN(Date.parse(trimmed));
    return valid ? trimmed : fail(ctx, raw, `: expected an ISO time such as 2026-01-02T03:04:05.678Z, got '${trimmed}'`);
  },
  encode: (value) => value,
});

/** A number written as JavaScript prints it; required when read. */
export const numberIn = (range: Range): Cell<number> =>
  z.codec(z.string(), anyNumber, { decode: (raw, ctx) => parseNumber(raw, ctx, range), encode: (value) => String(value) });

/** A number or nothing (empty cell). */
export const optionalNumberIn = (range: Range): Cell<number | undefined> =>
  z.codec(z.string(), anyNumber.optional(), {
    decode: (raw, ctx) => (raw.trim() === '' ? undefined : parseNumber(raw, ctx, range)),
    encode: (value) => (value === undefined ? '' : String(value)),
  });

/** A measurement with fixed decimals that must be there when read. */
export const decimal = (digits: number, range: Range): Cell<number> =>
  z.codec(z.string(), anyNumber, { decode: (raw, ctx) => parseNumber(raw, ctx, range), encode: fixed(digits) });

/** A measurement with fixed decimals that may be undefined (empty cell), e.g. GPU memory on a CPU-only machine. */
export const optionalDecimal = (digits: number, range: Range): Cell<number | undefined> =>
  z.codec(z.string(), anyNumber.optional(), {
    decode: (raw, ctx) => (raw.trim() === '' ? undefined : parseNumber(raw, ctx, range)),
    encode: fixed(digits),
  });

/** A measurement that can be undefined-by-nature (NaN, e.g. a fit with one point): empty cell <-> NaN. */
export const metric = (digits: number, range: Range): Cell<number> =>
  z.codec(z.string(), anyNumber, {
    decode: (raw, ctx) => (raw.trim() === '' ? Number.NaN : parseNumber(raw, ctx, range)),
    encode: fixed(digits),
  });

/** Numbers with fixed decimals separated by spaces, e.g. `1.02000 0.98000`; an empty cell is no numbers. */
export const numberList = (digits: number, range: Range): Cell<number[]> =>
  z.codec(z.string(), z.array(anyNumber), {
    decode: (raw, ctx) => {
      const trimmed = raw.trim();
      return trimmed === '' ? [] : trimmed.split(/\s+/).map((item) => parseNumber(item, ctx, range));
    },
    encode: (values) => values.map(fixed(digits)).join(' '),
  });

/** Memory is kept in bytes and written in MiB. */
export const MIB = 1024 * 1024;
/** More memory than any machine has: 1 PiB, in MiB. */
export const MAX_PLAUSIBLE_MIB = 1024 ** 3;

/** Bytes in the program, MiB with one decimal in the file: above 0 (a process has memory) up to 1 PiB. */
export const mebibytes: Cell<number> = z.codec(z.string(), anyNumber, {
  decode: (raw, ctx) => parseNumber(raw, ctx, above(0, MAX_PLAUSIBLE_MIB)) * MIB,
  encode: (bytes) => fixed(1)(bytes / MIB),
});

export const boolean: Cell<boolean> = z.codec(z.string(), z.boolean(), {
  decode: (raw, ctx) => {
    const trimmed = raw.trim();
    if (trimmed === 'true') return true;
    if (trimmed === 'false') return false;
    return fail(ctx, raw, `: expected true or false, got '${trimmed}'`);
  },
  encode: (value) => String(value),
});

/** true, false or nothing (empty cell): a reading not every machine offers, e.g. throttling. */
export const optionalBoolean: Cell<boolean | undefined> = z.codec(z.string(), z.boolean().optional(), {
  decode: (raw, ctx) => {
    const trimmed = raw.trim();
    if (trimmed === '') return undefined;
    if (trimmed === 'true') return true;
    if (trimmed === 'false') return false;
    return fail(ctx, raw, `: expected true, false or nothing, got '${trimmed}'`);
  },
  encode: (value) => (value === undefined ? '' : String(value)),
});

/** One of a few words, e.g. on/off. */
export function oneOf<const T extends readonly [string, ...string[]]>(options: T): Cell<T[number]> {
  const listed = options.length === 2 ? `${options[0]} or ${options[1]}` : `one of ${options.join(', ')}`;
  return z.codec(z.string(), z.enum(options), {
    decode: (raw, ctx) => {
      const trimmed = raw.trim();
      return (options as readonly string[]).includes(trimmed) ? trimmed : fail(ctx, raw, `: expected ${listed}, got '${trimmed}'`);
    },
    encode: (value) => value,
  });
}
