import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';
import { parseList, parsePercentage, parsePositiveInteger } from '../shell/parse.js';
import { checkWritable } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadProfile } from '../profiles/profile.js';
import type { AbMetric } from '../compare/ab.js';
import { AB_LEVEL, AbBenchmark } from '../compare/ab-run.js';
import { formatAbTable } from '../format/ab-format.js';

export interface AbFlags {
  profile: string;
  versus: string;
  dataset?: string;
  items: string;
  pairs: string;
  labels?: string;
  metric: AbMetric;
  maxRegression?: string;
  out: string;
  json?: boolean;
}

export const AB_DEFAULTS = { items: '10', pairs: '6', metric: 'mean', out: 'results' } as const;

export async function abCommand(flags: AbFlags, io: Io): Promise<ExitCode> {
  const a = loadProfile(flags.profile);
  const b = loadProfile(flags.versus);
  AbBenchmark.refuseSides(a, b);
  const items = parsePositiveInteger(flags.items, '--items');
  const pairs = parsePositiveInteger(flags.pairs, '--pairs');
  if (pairs < 2) throw new UsageError(`--pairs: expected 2 or more pass pairs (an interval needs at least two), got '${flags.pairs}'`);
  const maxRegression = flags.maxRegression === undefined ? undefined : parsePercentage(flags.maxRegression, '--max-regression');
  const labelCounts = flags.labels === undefined ? undefined : [...new Set(parseList(flags.labels, '--labels', parsePositiveInteger))].sort((x, y) => x - y);
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
    io.out(formatAbTable({ a: a.name, b: b.name, metric: flags.metric, level: AB_LEVEL, maxRegression, comparisons }, io.outStyle));
    io.err(`${io.errStyle.dim(`results: ${file}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted at ${outcome.abortedAt} labels: kept ${comparisons.length} completed label count(s)${file !== undefined ? ` in ${file}` : ''}\n`);
    return EXIT.interrupted;
  }
  return regressions > 0 ? EXIT.failure : EXIT.ok;
}
