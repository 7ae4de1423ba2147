import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, choiceFlag, flag, formatFlags, WIDE_FLAGS, flagWithDefault, requiredFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { parseOpenUnitInterval, parsePercentage } from '../shell/parse.js';
import { CHECK_METRICS, checkRuns, DEFAULT_RUN_NOISE, pairRunSets, type CheckMetric } from '../compare/check.js';
import { readResultFiles, type Run } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { expandFileArguments } from '../io/glob.js';
import { CHECK_FORMATS, formatCheck, type CheckFormat } from '../format/check-format.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

const CHECK_DEFAULTS = { metric: 'median', maxRegression: '10%', alpha: '0.05', format: 'table' } as const;

export const CHECK_FLAGS = {
  baseline: requiredFlag('--baseline <files...>', 'baseline summary CSV(s): one or more runs per profile (samples beside them)'),
  current: requiredFlag('--current <files...>', 'current summary CSV(s): one or more runs of the same profiles'),
  metric: choiceFlag<CheckMetric>('--metric <metric>', 'latency statistic compared', CHECK_METRICS, CHECK_DEFAULTS.metric),
  maxRegression: flagWithDefault('--max-regression <percent>', 'largest tolerated slowdown, e.g. 10%', CHECK_DEFAULTS.maxRegression),
  alpha: flagWithDefault('--alpha <p>', 'one-sided error level: a regression needs the (1 - alpha) lower bound of the ratio above 1', CHECK_DEFAULTS.alpha),
  runNoise: flag('--run-noise <percent>', `with one run a side: run-to-run variation to assume (default: the spread between earlier runs the files recorded, else ${DEFAULT_RUN_NOISE}, measured on the development VM)`),
  ...formatFlags<CheckFormat>(CHECK_FORMATS, CHECK_DEFAULTS.format),
  ...WIDE_FLAGS,
};

export type CheckFlags = FlagValues<typeof CHECK_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program.command('check').description('CI regression gate: exit 1 when the current run is slower, significantly and beyond the threshold');
  addFlags(command, CHECK_FLAGS).action(async (flags: CheckFlags) => setExitCode(await checkCommand(flags, io)));
}


/** Every run of one side, kept apart: the variation between runs is the evidence. */
function readSide(patterns: readonly string[], flag: string): { runs: Run[]; warnings: string[]; notes: string[] } {
  const read = readResultFiles(expandFileArguments(patterns, flag), { withSamples: true, kinds: ['summary'], command: 'check' });
  if (read.runs.length === 0) throw new UsageError(`${flag}: no run results in ${patterns.join(' ')} (pass the summary CSVs that zsc-bench run wrote)${read.notes.length > 0 ? `: ${read.notes.join('; ')}` : ''}`);
  return { runs: read.runs, warnings: read.warnings, notes: read.notes };
}

/** Exits 0 without a regression, 1 with at least one (usage and input errors exit 2 upstream). */
export async function checkCommand(flags: CheckFlags, io: Io): Promise<ExitCode> {
  const settings = {
    metric: flags.metric,
    maxRegression: parsePercentage(flags.maxRegression, '--max-regression'),
    alpha: parseOpenUnitInterval(flags.alpha, '--alpha'),
    runNoise: parsePercentage(flags.runNoise ?? DEFAULT_RUN_NOISE, '--run-noise'),
    useRecordedSpread: flags.runNoise === undefined,
  };
  if (settings.alpha >= 0.5) throw new UsageError(`--alpha: expected a number below 0.5 (the verdict uses a one-sided bound at 1 - alpha), got '${flags.alpha}'`);
  const baseline = readSide(flags.baseline, '--baseline');
  const current = readSide(flags.current, '--current');
  // A file given on both sides is noted once.
  for (const note of new Set([...baseline.notes, ...current.notes])) io.err(`${io.errStyle.yellow(`note: ${note}`)}\n`);
  const { pairs, warnings } = pairRunSets(baseline.runs, current.runs);
  const report = checkRuns(pairs, settings, [...baseline.warnings, ...current.warnings, ...warnings]);
  io.out(formatCheck(report, flags.format, io.outStyle, { wide: flags.wide === true }));
  for (const warning of report.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  return report.regressions > 0 ? EXIT.regression : EXIT.ok;
}
