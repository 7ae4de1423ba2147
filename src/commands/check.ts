import type { Io } from '../shell/io.js';
import { parseIntegerInRange, parseOpenUnitInterval, parsePercentage } from '../shell/parse.js';
import { BOUNDS } from '../shell/bounds.js';
import { checkRuns, pairRuns, type CheckMetric } from '../compare/check.js';
import { poolRepeatedRuns, readResultFiles, type Run } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { expandFileArguments } from '../io/glob.js';
import { formatCheck, type CheckFormat } from '../format/check-format.js';

export interface CheckFlags {
  baseline: string[];
  current: string[];
  metric: CheckMetric;
  maxRegression: string;
  alpha: string;
  seed: string;
  resamples: string;
  format: CheckFormat;
}

export const CHECK_DEFAULTS = { metric: 'median', maxRegression: '10%', alpha: '0.05', seed: '1', resamples: '2000', format: 'table' } as const;

/** Exit codes: 0 no regression, 1 at least one regression; usage and input errors exit 2 upstream. */
export const CHECK_EXIT = { pass: 0, regression: 1 } as const;

function readSide(patterns: readonly string[], flag: string): { runs: Run[]; warnings: string[] } {
  const read = readResultFiles(expandFileArguments(patterns, flag), { withSamples: true });
  const load = read.loadLevels[0];
  if (load !== undefined) throw new UsageError(`${flag}: ${load.file} is a load-test CSV; check compares the results of zsc-bench run`);
  if (read.runs.length === 0) throw new UsageError(`${flag}: no run results in ${patterns.join(' ')} (pass the summary CSVs that zsc-bench run wrote)`);
  return { runs: poolRepeatedRuns(read.runs).runs, warnings: read.warnings };
}

export async function checkCommand(flags: CheckFlags, io: Io): Promise<number> {
  const settings = {
    metric: flags.metric,
    maxRegression: parsePercentage(flags.maxRegression, '--max-regression'),
    alpha: parseOpenUnitInterval(flags.alpha, '--alpha'),
    seed: parseIntegerInRange(flags.seed, '--seed', 0, BOUNDS.seed),
    resamples: parseIntegerInRange(flags.resamples, '--resamples', BOUNDS.resamplesMin, BOUNDS.resamplesMax),
  };
  const baseline = readSide(flags.baseline, '--baseline');
  const current = readSide(flags.current, '--current');
  const { pairs, warnings } = pairRuns(baseline.runs, current.runs);
  const report = checkRuns(pairs, settings, [...baseline.warnings, ...current.warnings, ...warnings]);
  io.out(formatCheck(report, flags.format, io.outStyle));
  for (const warning of report.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  return report.regressions > 0 ? CHECK_EXIT.regression : CHECK_EXIT.pass;
}
