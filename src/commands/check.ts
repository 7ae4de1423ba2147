import type { Io } from '../shell/io.js';
import { parseOpenUnitInterval, parsePercentage } from '../shell/parse.js';
import { checkRuns, DEFAULT_RUN_NOISE, pairRunSets, type CheckMetric } from '../compare/check.js';
import { readResultFiles, type Run } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { expandFileArguments } from '../io/glob.js';
import { formatCheck, type CheckFormat } from '../format/check-format.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

export interface CheckFlags {
  baseline: string[];
  current: string[];
  metric: CheckMetric;
  maxRegression: string;
  alpha: string;
  runNoise: string;
  format: CheckFormat;
}

export const CHECK_DEFAULTS = { metric: 'median', maxRegression: '10%', alpha: '0.05', runNoise: DEFAULT_RUN_NOISE, format: 'table' } as const;


/** Every run of one side, kept apart: the variation between runs is the evidence. */
function readSide(patterns: readonly string[], flag: string): { runs: Run[]; warnings: string[] } {
  const read = readResultFiles(expandFileArguments(patterns, flag), { withSamples: true });
  const load = read.loadLevels[0];
  if (load !== undefined) throw new UsageError(`${flag}: ${load.file} is a load-test CSV; check compares the results of zsc-bench run`);
  const page = read.webUi[0];
  if (page !== undefined) throw new UsageError(`${flag}: ${page.file} is a web UI CSV; check compares the results of zsc-bench run`);
  if (read.runs.length === 0) throw new UsageError(`${flag}: no run results in ${patterns.join(' ')} (pass the summary CSVs that zsc-bench run wrote)`);
  return { runs: read.runs, warnings: read.warnings };
}

/** Exits 0 without a regression, 1 with at least one (usage and input errors exit 2 upstream). */
export async function checkCommand(flags: CheckFlags, io: Io): Promise<ExitCode> {
  const settings = {
    metric: flags.metric,
    maxRegression: parsePercentage(flags.maxRegression, '--max-regression'),
    alpha: parseOpenUnitInterval(flags.alpha, '--alpha'),
    runNoise: parsePercentage(flags.runNoise, '--run-noise'),
  };
  if (settings.alpha >= 0.5) throw new UsageError(`--alpha: expected a number below 0.5 (the verdict uses a one-sided bound at 1 - alpha), got '${flags.alpha}'`);
  const baseline = readSide(flags.baseline, '--baseline');
  const current = readSide(flags.current, '--current');
  const { pairs, warnings } = pairRunSets(baseline.runs, current.runs);
  const report = checkRuns(pairs, settings, [...baseline.warnings, ...current.warnings, ...warnings]);
  io.out(formatCheck(report, flags.format, io.outStyle));
  for (const warning of report.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  return report.regressions > 0 ? EXIT.regression : EXIT.ok;
}
