import { readFileSync } from 'node:fs';
import { UsageError } from '../base/errors.js';
import { formatCsv, parseCsvTable } from './csv-table.js';

export interface DatasetItem {
  id: string;
  label: string;
  text: string;
}

const REQUIRED_COLUMNS = ['id', 'label', 'text'] as const;

/** Parses a dataset CSV (id,label,text; extra columns allowed); errors name the file and line. */
export function parseDatasetCsv(text: string, file: string): DatasetItem[] {
  const { records } = parseCsvTable(text, file, REQUIRED_COLUMNS, 'dataset (id,label,text)');
  const seen = new Map<string, number>();
  return records.map(({ cells, line }) => {
    const id = (cells['id'] ?? '').trim();
    const label = (cells['label'] ?? '').trim();
    const text = (cells['text'] ?? '').trim();
    if (id === '') throw new UsageError(`${file}:${line}: empty id`);
    if (label === '') throw new UsageError(`${file}:${line}: empty label for id ${id}`);
    if (text === '') throw new UsageError(`${file}:${line}: empty text for id ${id}`);
    const previous = seen.get(id);
    if (previous !== undefined) throw new UsageError(`${file}:${line}: duplicate id '${id}' (first on line ${previous})`);
    seen.set(id, line);
    return { id, label, text };
  });
}

/** Reads a dataset file, refusing bytes that are not UTF-8 rather than guessing. */
export function readDataset(file: string): DatasetItem[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`--dataset: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseDatasetCsv(decodeUtf8(bytes, file), file);
}

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lineOf = firstInvalidUtf8Line(bytes);
    throw new UsageError(`${file}:${lineOf}: not valid UTF-8; save the file as UTF-8 (GBK/GB18030 files need converting, e.g. iconv -f gb18030 -t utf-8)`);
  }
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let index = 0; index <= bytes.length; index += 1) {
    if (index === bytes.length || bytes[index] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, index));
      } catch {
        return line;
      }
      line += 1;
      start = index + 1;
    }
  }
  return line;
}

export function formatDatasetCsv(items: readonly DatasetItem[]): string {
  return formatCsv(['id', 'label', 'text'], items.map((item) => [item.id, item.label, item.text]));
}
