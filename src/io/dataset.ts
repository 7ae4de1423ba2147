import { existsSync } from 'node:fs';
import { readInputFile } from '../base/input-file.js';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { packageRoot } from '../env/package.js';
import { UsageError } from '../base/errors.js';
import { formatRows, parseRows } from './csv-table.js';
import { DATASET_CSV, type DatasetItem } from '../schema/dataset.js';

export type { DatasetItem } from '../schema/dataset.js';

/** Parses a dataset CSV (id,label,text; extra columns allowed); errors name the file and line. */
export function parseDatasetCsv(text: string, file: string): DatasetItem[] {
  const seen = new Map<string, number>();
  return parseRows(DATASET_CSV, text, file).map(({ id, label, text, line }) => {
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
    bytes = readInputFile(file, 'dataset', '--dataset');
  } catch (error) {
    if (error instanceof UsageError) throw error;
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
  return formatRows(DATASET_CSV, items);
}

export function resolveDataset(path: string): string {
  // Bundled datasets are named relative to the package; a user's own path relative to the cwd.
  if (isAbsolute(path) || existsSync(path)) return resolve(path);
  const bundled = join(packageRoot(), path);
  return existsSync(bundled) ? bundled : resolve(path);
}

/** How a result row names its dataset: relative to the package when bundled, else the full path. */
export function datasetName(path: string): string {
  const inPackage = relative(packageRoot(), path);
  return inPackage.startsWith('..') || isAbsolute(inPackage) ? path : inPackage;
}
