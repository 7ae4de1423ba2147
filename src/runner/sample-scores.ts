/**
 * A sample's scores as one CSV cell and back: `体育:0.964663156|财经:0.0176684220|...` in the
 * label set's order. Labels never hold `|` (the label pool is joined with it in the summary);
 * a label may hold `:`, so a score is read after the last one.
 */
const SCORE_DIGITS = 9;

export function formatSampleScores(labels: readonly string[], result: { labels: readonly string[]; scores: readonly number[] }): string {
  return labels.map((label) => `${label}:${(result.scores[result.labels.indexOf(label)] ?? Number.NaN).toPrecision(SCORE_DIGITS)}`).join('|');
}

/** The cell as [label, score] pairs in its order; undefined for an empty cell or one that does not parse. */
export function parseSampleScores(cell: string): Array<[label: string, score: number]> | undefined {
  if (cell === '') return undefined;
  const pairs: Array<[string, number]> = [];
  for (const part of cell.split('|')) {
    const cut = part.lastIndexOf(':');
    const score = Number(part.slice(cut + 1));
    if (cut <= 0 || part.slice(cut + 1).trim() === '' || !Number.isFinite(score)) return undefined;
    pairs.push([part.slice(0, cut), score]);
  }
  return pairs;
}
