import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { parseNonNegativeInteger, parsePositiveInteger } from '../shell/parse.js';
import { importThucnews } from '../dataset/import-thucnews.js';
import { writeFileAtomic } from '../io/atomic.js';
import { formatDatasetCsv } from '../io/dataset.js';

export interface DatasetImportFlags {
  perClass: string;
  seed: string;
  maxChars: string;
  out: string;
}

export const DATASET_IMPORT_DEFAULTS = { perClass: '10', seed: '42', maxChars: '128' } as const;

export async function datasetImportCommand(path: string, flags: DatasetImportFlags, io: Io): Promise<void> {
  const options = {
    perClass: parsePositiveInteger(flags.perClass, '--per-class'),
    seed: parseNonNegativeInteger(flags.seed, '--seed'),
    maxChars: parsePositiveInteger(flags.maxChars, '--max-chars'),
  };
  const { items, stats } = importThucnews(path, options);
  const out = resolve(flags.out);
  writeFileAtomic(out, formatDatasetCsv(items));
  const lines = [`wrote ${items.length} items to ${out}`];
  for (const [label, count] of Object.entries(stats.counts)) lines.push(`  ${label}\t${count}`);
  lines.push(`length (characters): mean ${stats.meanChars.toFixed(1)}, median ${stats.medianChars}, min ${stats.minChars}, max ${stats.maxChars}`);
  io.out(`${lines.join('\n')}\n`);
  for (const warning of stats.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
}
