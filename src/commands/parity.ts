import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, formatFlags, WIDE_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { compareAnswers, type AnswerSide } from '../compare/answers.js';
import { readResultFiles } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { formatParity, PARITY_FORMATS, type ParityFormat } from '../format/parity-format.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

export const PARITY_FLAGS = {
  ...formatFlags<ParityFormat>(PARITY_FORMATS, 'table'),
  ...WIDE_FLAGS,
};

export type ParityFlags = FlagValues<typeof PARITY_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program
    .command('parity')
    .description("answers across machines: two runs of the same model and items (say x64 and arm64), each text's scores compared per label count (a report: exit 0)")
    .argument('<a>', 'summary CSV of one run (its -samples.csv beside it), or that samples file')
    .argument('<b>', 'summary CSV of the other run, or its samples file');
  addFlags(command, PARITY_FLAGS).action(async (a: string, b: string, flags: ParityFlags) => setExitCode(await parityCommand(a, b, flags, io)));
}

/** A run given by its summary or its samples file: the summary holds the workload, the samples the scores. */
function readSide(file: string): AnswerSide {
  const summary = file.replace(/-samples\.csv$/i, '.csv');
  const read = readResultFiles([summary], { withSamples: true, kinds: ['summary'], command: 'parity' });
  const [run, ...more] = read.runs;
  if (run === undefined) throw new UsageError(`${file}: not a run's summary CSV (${read.notes.concat(read.warnings).join('; ') || 'no rows'}); pass what zsc-bench run wrote`);
  if (more.length > 0) throw new UsageError(`${file}: holds ${read.runs.length} runs; parity compares one run with one`);
  const [row] = run.rows;
  if (row === undefined) throw new UsageError(`${file}: no summary rows`);
  return { file: summary, row, samples: run.samples ?? [] };
}

export async function parityCommand(a: string, b: string, flags: ParityFlags, io: Io): Promise<ExitCode> {
  const report = compareAnswers(readSide(a), readSide(b));
  io.out(formatParity(report, flags.format, io.outStyle, { wide: flags.wide === true }));
  return Promise.resolve(EXIT.ok);
}
