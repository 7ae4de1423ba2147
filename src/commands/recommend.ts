import type { Io } from '../shell/io.js';
import { parsePositiveInteger, parsePositiveNumber } from '../shell/parse.js';
import { buildCurves } from '../compare/curves.js';
import { parseBudget, parseSlo, recommend } from '../compare/recommend.js';
import { groupComparableRuns, readResultFiles } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { expandFileArguments } from '../io/glob.js';
import { formatRecommendation, type RecommendFormat } from '../format/recommend-format.js';
import { makeStyle } from '../format/style.js';

export interface RecommendFlags {
  slo: string;
  labels: string;
  qps?: string;
  budget?: string;
  format: RecommendFormat;
  out?: string;
}

export const RECOMMEND_DEFAULTS = { labels: '3', format: 'table' } as const;

export async function recommendCommand(patterns: readonly string[], flags: RecommendFlags, io: Io): Promise<void> {
  const slo = parseSlo(flags.slo);
  const labels = parsePositiveInteger(flags.labels, '--labels');
  const qps = flags.qps === undefined ? undefined : parsePositiveNumber(flags.qps, '--qps');
  const budgetPerHour = flags.budget === undefined ? undefined : parseBudget(flags.budget);
  const files = expandFileArguments(patterns, 'recommend');
  const read = readResultFiles(files, { withSamples: false, kinds: ['summary', 'load'], command: 'recommend' });
  if (read.runs.length === 0) throw new UsageError(`recommend: no run results in ${files.join(' ')} (pass the summary CSVs of zsc-bench run; load CSVs only add curves to them)${read.notes.length > 0 ? `: ${read.notes.join('; ')}` : ''}`);
  if (flags.format !== 'json') for (const note of read.notes) io.err(`${io.errStyle.yellow(`note: ${note}`)}\n`);
  const curves = buildCurves(read.loadLevels);
  const recommendation = recommend(read.runs, curves.groups, { slo, labels, qps, budgetPerHour });
  // Ranking fp16 GPUs against int8 edge boards is the point; a different model or dataset is not.
  recommendation.warnings.push(...read.warnings, ...groupComparableRuns(read.runs).warnings, ...curves.warnings);
  const style = flags.out === undefined && flags.format === 'table' ? io.outStyle : makeStyle(false);
  const output = formatRecommendation(recommendation, flags.format, style);
  if (flags.format !== 'json') for (const warning of recommendation.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  if (flags.out === undefined) {
    io.out(output);
    return;
  }
  writeFileAtomic(flags.out, output);
  if (flags.format !== 'json') io.err(`${io.errStyle.dim(`wrote ${flags.out}`)}\n`);
}
