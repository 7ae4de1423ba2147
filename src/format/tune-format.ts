/** `tune`'s output: every screened setting with speed, memory, flips and what became of it; then the proof. */
import type { Tried, TuneOutcome } from '../compare/tune-run.js';
import { formatAbTable } from './ab-format.js';
import type { Style } from './style.js';
import { renderTable } from './tables.js';
import { num, wrapText } from './text.js';

export interface TuneView {
  outcome: Exclude<TuneOutcome, { state: 'aborted' }> | (TuneOutcome & { state: 'aborted' });
  profile: string;
  tunedName: string;
  sloMetric: string;
  /** Where the tuned profile was written, when it was. */
  file: string | undefined;
}

const roleCell = (entry: Tried): string => (entry.role === 'reference' ? 'fp32 ref' : entry.role === 'current' && entry.dimension !== 'start' ? `${entry.dimension} again` : entry.dimension);

export function formatTriedTable(tried: readonly Tried[], sloMetric: string, style: Style, options: { wide?: boolean } = {}): string {
  const counts = tried[0]?.screening.labelCounts.map((count) => count.labels) ?? [];
  const head = ['#', 'step', 'setting', ...counts.map((labels) => `${labels}L mean ms`), ...(options.wide === true ? counts.map((labels) => `${labels}L ${sloMetric} ms`) : []), 'peak MiB', 'flips %', 'verdict'];
  const rows = tried.map((entry) => [
    String(entry.index),
    roleCell(entry),
    entry.description,
    ...entry.screening.labelCounts.map((count) => num(count.meanMs, 1)),
    ...(options.wide === true ? entry.screening.labelCounts.map((count) => num(count.sloMs, 1)) : []),
    num(entry.screening.peakRssBytes / 2 ** 20, 0),
    num(entry.screening.flipPercent, 1),
    entry.verdict.startsWith('ADOPTED') ? style.green(entry.verdict) : entry.verdict,
  ]);
  return renderTable(head, rows, style, options);
}

export function formatTune(view: TuneView, style: Style, options: { wide?: boolean } = {}): string {
  const { outcome } = view;
  const lines: string[] = [formatTriedTable(outcome.tried, view.sloMetric, style, options)];
  const processes = outcome.tried.length;
  lines.push(`${processes} settings screened, each in a fresh process (${outcome.screeningSeconds.toFixed(0)} s); not searched: ${outcome.notSearched.join('; ')}`);
  if (outcome.state === 'tuned' || (outcome.state === 'kept' && outcome.proof !== undefined)) {
    const proof = outcome.proof;
    const versus = outcome.state === 'tuned' ? outcome.versus : view.profile;
    if (proof !== undefined && proof.comparisons.length > 0) {
      lines.push('', `Proof: ${view.tunedName} (A) against ${versus} (B), interleaved passes`);
      lines.push(formatAbTable({ a: view.tunedName, b: versus, metric: 'mean', level: 0.95, maxRegression: undefined, comparisons: proof.comparisons }, style, options).trimEnd());
      if (proof.file !== undefined) lines.push(style.dim(`A/B results: ${proof.file}`));
    }
  }
  if (outcome.state === 'tuned') {
    const why = outcome.adoptedFor !== undefined ? ` (adopted because ${outcome.adoptedFor})` : ' (faster with the 95% interval below 1 at every label count)';
    lines.push(style.green(`winner: ${outcome.tried.find((entry) => entry.screening.settings === outcome.winner)?.description ?? view.tunedName}${why}`));
    if (view.file !== undefined) lines.push(`wrote ${view.file}: run --profile ${view.file} and serve --profile ${view.file} use it`);
  } else if (outcome.state === 'kept') {
    lines.push(style.yellow(`the profile ${view.profile} is kept: ${outcome.reason}; nothing written`));
  }
  return wrapText(`${lines.join('\n')}\n`);
}
