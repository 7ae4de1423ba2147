/** `zsc-bench parity`: answers of two machines side by side, as a terminal table or JSON. */
import type { AnswerComparison, AnswersReport } from '../compare/answers.js';
import type { Style } from './style.js';
import { renderTable } from './tables.js';
import { num, terminalSafe, wrapText } from './text.js';

export const PARITY_FORMATS = ['table', 'json'] as const;
export type ParityFormat = (typeof PARITY_FORMATS)[number];

/** Score differences span 0 to ~1e-1 and matter at every scale: two significant digits, exponent form. */
export function scoreDiff(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value === 0 ? '0' : value.toExponential(1);
}

function side(name: string, run: AnswersReport['a']): string {
  const where = [run.host, run.arch ?? '', run.emulated !== undefined && run.emulated !== '' ? `emulated: ${run.emulated}` : '', run.actualProvider].filter((part) => part !== '');
  return `${name}: ${run.file} (${where.join(', ')})`;
}

export function parityVerdict(row: AnswerComparison): string {
  if (row.flips === 0) return `${row.labels} labels: the same top label for all ${row.items} items; scores differ by at most ${scoreDiff(row.maxAbsDiff)}`;
  return `${row.labels} labels: ${row.flips} of ${row.items} items changed their top label (${num(row.flipPercent, 1)}%); the widest top-two margin among them was ${scoreDiff(row.flipMarginMax)} against score differences up to ${scoreDiff(row.maxAbsDiff)}`;
}

export function formatParity(report: AnswersReport, format: ParityFormat, style: Style, options: { wide?: boolean } = {}): string {
  if (format === 'json') {
    const rows = report.byLabelCount.map((row) => ({
      labels: row.labels,
      items: row.items,
      flips: row.flips,
      flip_percent: row.flipPercent,
      mean_abs_diff: row.meanAbsDiff,
      max_abs_diff: row.maxAbsDiff,
      flip_margin_max: row.flipMarginMax ?? null,
    }));
    const run = (r: AnswersReport['a']) => ({ file: r.file, host: r.host, arch: r.arch ?? '', emulated: r.emulated ?? '', actual_provider: r.actualProvider, precision: r.precision, model_id: r.modelId });
    return `${JSON.stringify({ a: run(report.a), b: run(report.b), by_label_count: rows, unpaired_items: report.unpaired }, null, 2)}\n`;
  }
  const head = ['labels', 'items', 'flips', 'flip %', 'mean |Δ| score', 'max |Δ| score', 'widest flipped margin'];
  const rows = report.byLabelCount.map((row) => [String(row.labels), String(row.items), String(row.flips), num(row.flipPercent, 1), scoreDiff(row.meanAbsDiff), scoreDiff(row.maxAbsDiff), scoreDiff(row.flipMarginMax)]);
  const lines = [
    `Answers of ${report.a.modelId} at ${report.a.precision}, B against A`,
    side('A', report.a),
    side('B', report.b),
  ].map((line) => wrapText(terminalSafe(line)));
  const verdicts = report.byLabelCount.map((row) => wrapText(parityVerdict(row)));
  const unpaired = report.unpaired > 0 ? [wrapText(`${report.unpaired} (item, label count) pairs ran on one side only and are left out`)] : [];
  return `${[...lines, renderTable(head, rows, style, options), ...verdicts, ...unpaired].join('\n')}\n`;
}
