/** The A/B table: one row per label count, the ratio A / B with its interval and verdict. */
import type { AbComparison } from '../compare/ab.js';
import type { Verdict } from '../compare/check.js';
import type { Style } from './style.js';
import { renderTable } from './tables.js';
import { num, wrapText } from './text.js';

export interface AbReportView {
  a: string;
  b: string;
  metric: string;
  level: number;
  maxRegression: number | undefined;
  comparisons: readonly AbComparison[];
}

function verdictCell(verdict: Verdict, gated: boolean, style: Style): string {
  if (verdict === 'regression') return style.red(style.bold('REGRESSION'));
  if (verdict === 'slower') return style.yellow(gated ? 'slower (within threshold)' : 'A slower');
  if (verdict === 'faster') return style.green('A faster');
  return 'no change';
}

export function formatAbTable(view: AbReportView, style: Style, options: { wide?: boolean } = {}): string {
  const level = Math.round(view.level * 100);
  const head = ['labels', 'pass pairs', `${view.a} ${view.metric} ms`, `${view.b} ${view.metric} ms`, `ratio ${view.a}/${view.b}`, `${level}% CI`, 'pair ratios min–max', 'verdict'];
  const rows = view.comparisons.map((c) => [
    String(c.labels),
    String(c.pairs),
    num(c.aValueMs, 1),
    num(c.bValueMs, 1),
    num(c.ratio, 3),
    `${num(c.interval[0], 3)}–${num(c.interval[1], 3)}`,
    `${num(Math.min(...c.pairRatios), 3)}–${num(Math.max(...c.pairRatios), 3)}`,
    verdictCell(c.verdict, view.maxRegression !== undefined, style),
  ]);
  const regressions = view.comparisons.filter((c) => c.verdict === 'regression').length;
  const gate =
    view.maxRegression === undefined
      ? ''
      : regressions > 0
        ? style.red(`${regressions} regression(s): ${view.a} is slower than ${view.b} by more than ${Math.round(view.maxRegression * 1000) / 10}% with the whole interval above 1\n`)
        : style.green(`no regression beyond ${Math.round(view.maxRegression * 1000) / 10}%\n`);
  return wrapText(`${renderTable(head, rows, style, options)}\nratio above 1: ${view.a} is slower; ${level}% interval from a Student t over the pass pairs (passes alternate A B B A, so drift hits both sides)\n${gate}`);
}
