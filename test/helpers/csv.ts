import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** A CSV row by column name, as the tests read result files back. */
export type Row = Record<string, string>;

export const readCsv = (file: string): Row[] => parse<Row>(readFileSync(file, 'utf8'), { columns: true });

/** The one run's summary CSV in a results folder ('missing' when there is none, so the read fails loudly). */
export const summaryOf = (dir: string): string => join(dir, readdirSync(dir).find((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv')) ?? 'missing');

export const samplesOf = (dir: string): string => join(dir, readdirSync(dir).find((file) => file.endsWith('-samples.csv')) ?? 'missing');
