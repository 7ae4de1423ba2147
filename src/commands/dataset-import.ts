import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { parseIntegerInRange } from '../shell/parse.js';
import { BOUNDS } from '../shell/bounds.js';
import { importThucnews } from '../dataset/import-thucnews.js';
import { writeFileAtomic } from '../io/atomic.js';
import { formatDatasetCsv } from '../io/dataset.js';
import { refuseOverwritingInputs } from '../shell/output-dir.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { DEFAULT_SEED } from '../stats/random.js';

export interface DatasetImportFlags {
  perClass: string;
  seed: string;
  maxChars: string;
  out: string;
}

export const DATASET_IMPORT_DEFAULTS = { perClass: '10', seed: String(DEFAULT_SEED), maxChars: '128' } as const;

export async function datasetImportCommand(path: string, flags: DatasetImportFlags, io: Io): Promise<ExitCode> {
  const options = {
    perClass: parseIntegerInRange(flags.perClass, '--per-class', 1, BOUNDS.perClass),
    seed: parseIntegerInRange(flags.seed, '--seed', 0, BOUNDS.seed),
    maxChars: parseIntegerInRange(flags.maxChars, '--max-chars', 1, BOUNDS.maxChars),
  };
  const out = resolve(flags.out);
  refuseOverwritingInputs(out, [path]);
  const { items, stats } = importThucnews(path, options);
  writeFileAtomic(out, formatDatasetCsv(items));
  const lines = [`wrote ${items.length} items to ${out}`];
  for (const [label, count] of Object.entries(stats.counts)) lines.push(`  ${label}\t${count}`);
  lines.push(`length (characters): mean ${stats.meanChars.toFixed(1)}, median ${stats.medianChars}, min ${stats.minChars}, max ${stats.maxChars}`);
  io.out(`${lines.join('\n')}\n`);
  for (const warning of stats.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  return EXIT.ok;
}
