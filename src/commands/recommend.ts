import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, formatFlags, WIDE_FLAGS, flag, flagWithDefault, requiredFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { parseBudget, parseLabelCount, parsePositiveNumber, parseSlo } from '../shell/parse.js';
import { buildCurves } from '../compare/curves.js';
import { recommend } from '../compare/recommend.js';
import { groupComparableRuns, readResultFiles } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { expandFileArguments } from '../io/glob.js';
import { formatRecommendation, RECOMMEND_FORMATS, type RecommendFormat } from '../format/recommend-format.js';
import { makeStyle } from '../format/style.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { refuseOverwritingResults } from '../shell/output-dir.js';
import { stopOnSignals } from '../shell/interrupt.js';

const RECOMMEND_DEFAULTS = { labels: '3', format: 'table' } as const;

export const RECOMMEND_FLAGS = {
  slo: requiredFlag('--slo <objective>', 'latency objective at the label count, e.g. p95<150ms (mean, p50, p95 or p99; < or <=; ms or s)'),
  labels: flagWithDefault('--labels <n>', 'candidate labels per request', RECOMMEND_DEFAULTS.labels),
  qps: flag('--qps <n>', 'requests per second the deployment must serve (sizes the number of instances)'),
  budget: flag('--budget <usd>', 'most the deployment may cost, e.g. 2/h, 48/day or 1460/month (USD)'),
  ...formatFlags<RecommendFormat>(RECOMMEND_FORMATS, RECOMMEND_DEFAULTS.format),
  ...WIDE_FLAGS,
  out: flag('-o, --out <file>', 'write the output to a file (atomically) instead of stdout'),
};

export type RecommendFlags = FlagValues<typeof RECOMMEND_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program
    .command('recommend')
    .description('rank platforms for a deployment: latency SLO, instances for a request rate, cost (exit 1 when no platform meets every requirement)')
    .argument('<files...>', 'summary CSVs of `run` and, for behaviour under load, CSVs of `load` (globs allowed)');
  addFlags(command, RECOMMEND_FLAGS).action(async (files: string[], flags: RecommendFlags) => setExitCode(await stopOnSignals((step) => recommendCommand(files, flags, io, step))));
}

/** Exits 0 when the first-ranked platform meets every requirement, 1 when none does (as check does for a regression). */
export async function recommendCommand(patterns: readonly string[], flags: RecommendFlags, io: Io, step: () => Promise<void> = async () => {}): Promise<ExitCode> {
  const slo = parseSlo(flags.slo);
  const labels = parseLabelCount(flags.labels, '--labels');
  const qps = flags.qps === undefined ? undefined : parsePositiveNumber(flags.qps, '--qps');
  const budgetPerHour = flags.budget === undefined ? undefined : parseBudget(flags.budget);
  const files = expandFileArguments(patterns, 'recommend');
  if (flags.out !== undefined) refuseOverwritingResults(flags.out, files);
  const read = readResultFiles(files, { withSamples: false, kinds: ['summary', 'load'], command: 'recommend' });
  if (read.runs.length === 0) throw new UsageError(`recommend: no run results in ${files.join(' ')} (pass the summary CSVs of zsc-bench run; load CSVs only add curves to them)${read.notes.length > 0 ? `: ${read.notes.join('; ')}` : ''}`);
  if (flags.format !== 'json') for (const note of read.notes) io.err(`${io.errStyle.yellow(`note: ${note}`)}\n`);
  const curves = buildCurves(read.loadLevels);
  const recommendation = recommend(read.runs, curves.groups, { slo, labels, qps, budgetPerHour });
  // Ranking fp16 GPUs against int8 edge boards is the point; a different model or dataset is not.
  recommendation.warnings.push(...read.warnings, ...groupComparableRuns(read.runs).warnings, ...curves.warnings);
  const style = flags.out === undefined && flags.format === 'table' ? io.outStyle : makeStyle(false);
  const output = formatRecommendation(recommendation, flags.format, style, { wide: flags.wide === true });
  // Reading is synchronous: here a Ctrl-C that came meanwhile stops the command, before any output.
  await step();
  if (flags.format !== 'json') for (const warning of recommendation.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  const code = recommendation.candidates[0]?.passes === true ? EXIT.ok : EXIT.noneMeets;
  if (flags.out === undefined) {
    io.out(output);
    return code;
  }
  writeFileAtomic(flags.out, output);
  if (flags.format !== 'json') io.err(`${io.errStyle.dim(`wrote ${flags.out}`)}\n`);
  return code;
}
