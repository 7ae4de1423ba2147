import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { addFlags, flagWithDefault, JSON_FLAGS, requiredFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { BOUNDS, parseIntegerInRange } from '../shell/parse.js';
import { importThucnews } from '../dataset/import-thucnews.js';
import { writeFileAtomic } from '../io/atomic.js';
import { formatDatasetCsv } from '../io/dataset.js';
import { refuseOverwritingInputs } from '../shell/output-dir.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { DEFAULT_SEED } from '../stats/random.js';

const DATASET_IMPORT_DEFAULTS = { perClass: '10', seed: String(DEFAULT_SEED), maxChars: '128' } as const;

export const DATASET_IMPORT_FLAGS = {
  perClass: flagWithDefault('--per-class <n>', 'items per category', DATASET_IMPORT_DEFAULTS.perClass),
  seed: flagWithDefault('--seed <n>', 'sampling seed', DATASET_IMPORT_DEFAULTS.seed),
  maxChars: flagWithDefault('--max-chars <n>', 'cut each text at the sentence end nearest this length', DATASET_IMPORT_DEFAULTS.maxChars),
  out: requiredFlag('-o, --out <file>', 'output CSV (id,label,text)'),
  ...JSON_FLAGS,
};

export type DatasetImportFlags = FlagValues<typeof DATASET_IMPORT_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program
    .command('dataset')
    .description('prepare datasets')
    .command('import-thucnews')
    .description('draw a stratified sample from a THUCNews folder or cnews-style files')
    .argument('<path>', 'THUCNews root (category/NNN.txt) or cnews file/folder (label<TAB>text)');
  addFlags(command, DATASET_IMPORT_FLAGS).action(async (path: string, flags: DatasetImportFlags) => setExitCode(await datasetImportCommand(path, flags, io)));
}

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
  if (flags.json === true) {
    io.out(`${JSON.stringify({ file: out, items: items.length, ...stats }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`wrote ${items.length} items to ${out}`];
  for (const [label, count] of Object.entries(stats.counts)) lines.push(`  ${label}\t${count}`);
  lines.push(`length (characters): mean ${stats.meanChars.toFixed(1)}, median ${stats.medianChars}, min ${stats.minChars}, max ${stats.maxChars}`);
  io.out(`${lines.join('\n')}\n`);
  for (const warning of stats.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  return EXIT.ok;
}
