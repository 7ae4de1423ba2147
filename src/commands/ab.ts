import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, choiceFlag, described, flag, flagWithDefault, outputOnly, requiredFlag, formatFlags, WIDE_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { PROFILE_FIELD_FLAGS, PROFILE_FLAG } from '../shell/profile-flags.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';
import { parsePercentage, parsePositiveInteger } from '../shell/parse.js';
import { checkWritable } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadProfile } from '../profiles/profile.js';
import { AB_METRICS, type AbMetric } from '../compare/ab.js';
import { AB_LEVEL, AbBenchmark } from '../compare/ab-run.js';
import { formatAbTable } from '../format/ab-format.js';

const AB_DEFAULTS = { items: '10', pairs: '6', metric: 'mean', out: 'results' } as const;

/** ab's flags; --profile, --dataset and --labels are run's (the same name, field and parser). */
export const AB_FLAGS = {
  profile: described(PROFILE_FLAG, 'side A: a profile name or JSON file'),
  versus: requiredFlag('--versus <name|path>', 'side B, the reference: a different profile'),
  dataset: described(PROFILE_FIELD_FLAGS.dataset, "dataset CSV with id,label,text (default: A's)"),
  items: flagWithDefault('--items <n>', 'items per pass (spread across labels)', AB_DEFAULTS.items),
  pairs: flagWithDefault('--pairs <n>', 'pass pairs per label count (2 or more)', AB_DEFAULTS.pairs),
  labels: described(PROFILE_FIELD_FLAGS.labels, "label counts, e.g. 3,10 (default: A's sweep)"),
  metric: choiceFlag<AbMetric>('--metric <metric>', 'latency statistic of each pass', AB_METRICS, AB_DEFAULTS.metric),
  maxRegression: flag('--max-regression <percent>', 'gate: exit 1 when A is slower than B beyond this, with the whole 95% interval above 1'),
  out: outputOnly(flagWithDefault('-o, --out <dir>', 'results folder', AB_DEFAULTS.out)),
  ...WIDE_FLAGS,
  ...formatFlags(['table', 'json'] as const, 'table', 'table (with progress) or json (JSON only: no table, no progress)'),
};

export type AbFlags = FlagValues<typeof AB_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program.command('ab').description('A/B on this machine: alternate passes of two profiles (A B B A ...) and report the latency ratio A/B per label count');
  addFlags(command, AB_FLAGS).action(async (flags: AbFlags) => {
    setExitCode(await abCommand(flags, io));
  });
}

export async function abCommand(flags: AbFlags, io: Io): Promise<ExitCode> {
  const a = loadProfile(flags.profile);
  const b = loadProfile(flags.versus);
  AbBenchmark.refuseSides(a, b);
  const items = parsePositiveInteger(flags.items, '--items');
  const pairs = parsePositiveInteger(flags.pairs, '--pairs');
  if (pairs < 2) throw new UsageError(`--pairs: expected 2 or more pass pairs (an interval needs at least two), got '${flags.pairs}'`);
  const maxRegression = flags.maxRegression === undefined ? undefined : parsePercentage(flags.maxRegression, '--max-regression');
  const labelCounts = flags.labels === undefined ? undefined : AB_FLAGS.labels.parse(flags.labels, '--labels');
  const outDir = resolve(flags.out);
  const ab = new AbBenchmark({ a, b, ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}), items, pairs, ...(labelCounts !== undefined ? { labelCounts } : {}), metric: flags.metric, maxRegression, outDir });
  checkWritable(outDir);
  const json = flags.json === true;
  ab.on('model', (message) => io.err(`${io.errStyle.dim(message)}\n`));
  if (!json) {
    ab.on('note', (text) => io.err(`${io.errStyle.yellow(`note: ${text}`)}\n`));
    ab.on('labelCount', ({ comparison, passes }) => io.err(`${io.errStyle.dim(`labels ${comparison.labels}: ${passes} passes done`)}\n`));
  }
  await ab.open();
  const outcome = await withInterrupt((signal) => ab.measure(signal));
  const { comparisons, context, file } = outcome;
  const regressions = comparisons.filter((comparison) => comparison.verdict === 'regression').length;
  if (json) {
    const settings = { metric: flags.metric, level: AB_LEVEL, maxRegression };
    io.out(`${JSON.stringify({ state: outcome.state, file: file ?? null, a: context.sides.a, b: context.sides.b, settings, comparisons, result: regressions > 0 ? 'regression' : 'pass' }, null, 2)}\n`);
  } else if (comparisons.length > 0) {
    io.out(formatAbTable({ a: a.name, b: b.name, metric: flags.metric, level: AB_LEVEL, maxRegression, comparisons }, io.outStyle, { wide: flags.wide === true }));
    io.err(`${io.errStyle.dim(`results: ${file}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted at ${outcome.abortedAt} labels: kept ${comparisons.length} completed label count(s)${file !== undefined ? ` in ${file}` : ''}\n`);
    return EXIT.interrupted;
  }
  return regressions > 0 ? EXIT.regression : EXIT.ok;
}
