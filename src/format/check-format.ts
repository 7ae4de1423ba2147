/** The regression gate's verdict table: terminal, Markdown (CI job summaries) or JSON. */
import type { CheckReport, RunComparison, Verdict } from '../compare/check.js';
import { makeStyle, type Style } from './style.js';
import { renderMarkdownTable, renderTable } from './tables.js';
import { markdownSafe, num, wrapText } from './text.js';

export const CHECK_FORMATS = ['table', 'markdown', 'json'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '-';
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}

function verdictCell(verdict: Verdict, style: Style): string {
  if (verdict === 'regression') return style.red(style.bold('REGRESSION'));
  if (verdict === 'slower') return style.yellow(verdict);
  if (verdict === 'faster') return style.green(verdict);
  return verdict;
}

function percentCell(fraction: number): string {
  return Number.isFinite(fraction) ? `+${num(fraction * 100, 1)}%` : '-';
}

/** Full headers with `wide` (and in Markdown); short ones keep the terminal table within about 100 columns. */
function rows(report: CheckReport, style: Style, wide: boolean): { head: string[]; rows: string[][] } {
  const metric = report.settings.metric;
  const level = Math.round((1 - 2 * report.settings.alpha) * 1000) / 10;
  const head = wide
    ? ['profile', 'labels', 'runs (base/cur)', `baseline ${metric} ms`, `current ${metric} ms`, 'ratio', `${level}% CI of ratio`, 'p (slower)', 'catches (80%)', 'verdict']
    : ['profile', 'labels', 'runs', 'base ms', 'cur ms', 'ratio', `${level}% CI`, 'p', 'catches (80%)', 'verdict'];
  return {
    head,
    rows: report.comparisons.map((c: RunComparison) => [
      c.profile,
      String(c.labels),
      `${c.baselineRuns}/${c.currentRuns}${c.method === 'allowance' ? ' *' : c.method === 'processes' ? ' †' : c.method === 'history' ? ' ‡' : ''}`,
      num(c.baselineValueMs, 1),
      num(c.currentValueMs, 1),
      num(c.ratio, 3),
      `${num(c.ratioInterval[0], 3)}–${num(c.ratioInterval[1], 3)}`,
      formatPValue(c.pSlower),
      percentCell(c.detectableSlowdown),
      verdictCell(c.verdict, style),
    ]),
  };
}

export function verdictLine(report: CheckReport): string {
  const { settings } = report;
  const oneRun = report.comparisons.some((comparison) => comparison.method === 'allowance');
  const processes = report.comparisons.some((comparison) => comparison.method === 'processes');
  const history = report.comparisons.some((comparison) => comparison.method === 'history');
  const how =
    `${settings.metric}, threshold ${Math.round(settings.maxRegression * 1000) / 10}%, alpha ${settings.alpha}; ` +
    `a regression needs the one-sided ${Math.round((1 - settings.alpha) * 1000) / 10}% bound above 1 and the ratio above the threshold; ` +
    `runs compared by their pass-level spread and the spread between runs` +
    (history ? '; ‡ one run a side: the spread between earlier runs of the command on its machine, recorded in the files (rerun_* columns)' : '') +
    (processes ? `; † one run a side with several processes: the spread between processes measured, plus run-to-run drift of ${Math.round(settings.runNoise * 1000) / 10}% assumed (--run-noise)` : '') +
    (oneRun ? `; * one run a side: run-to-run noise of ${Math.round(settings.runNoise * 1000) / 10}% assumed (--run-noise)` : '');
  const count = report.comparisons.length;
  return report.regressions > 0
    ? `${report.regressions} regression(s) in ${count} comparison(s) (${how})`
    : `no regression in ${count} comparison(s) (${how})`;
}

export function formatCheck(report: CheckReport, format: CheckFormat, style: Style, options: { wide?: boolean } = {}): string {
  if (format === 'json') {
    return `${JSON.stringify({ ...report, result: report.regressions > 0 ? 'regression' : 'pass' }, null, 2)}\n`;
  }
  const table = rows(report, format === 'markdown' ? makeStyle(false) : style, format === 'markdown' || options.wide === true);
  if (format === 'markdown') {
    const notes = report.warnings.length > 0 ? `\n**Notes**\n\n${report.warnings.map((warning) => `- ${markdownSafe(warning)}`).join('\n')}\n` : '';
    return `## zsc-bench check\n\n${renderMarkdownTable(table.head, table.rows)}\n**${markdownSafe(verdictLine(report))}**\n${notes}`;
  }
  const line = report.regressions > 0 ? style.red(verdictLine(report)) : style.green(verdictLine(report));
  return wrapText(`${renderTable(table.head, table.rows, style, options)}\n${line}\n`);
}
