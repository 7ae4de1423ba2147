/**
 * Answers across machines: two runs of the same model, items and label sets (say x64 and arm64)
 * compared on their samples' scores, per label count: top-label flips and score differences.
 * Pure: reading is in runs.ts, formatting in src/format.
 */
import { UsageError } from '../base/errors.js';
import { compareScores, topIndex } from '../runner/parity.js';
import { parseSampleScores } from '../runner/sample-scores.js';
import type { ResultRow, SampleRecord } from './read-results.js';

/** One side: its summary file, first summary row (the workload) and samples. */
export interface AnswerSide {
  file: string;
  row: Pick<ResultRow, 'precision' | 'modelId' | 'modelSha256' | 'datasetHash' | 'template' | 'host' | 'arch' | 'emulated' | 'actualProvider'>;
  samples: readonly SampleRecord[];
}

export interface AnswerComparison {
  labels: number;
  /** (item, label set) pairs found on both sides. */
  items: number;
  flips: number;
  flipPercent: number;
  meanAbsDiff: number;
  maxAbsDiff: number;
  /** The widest top-two score margin (side A) among flipped items: small means the flips were near ties. */
  flipMarginMax: number | undefined;
}

export interface AnswersReport {
  a: AnswerSide['row'] & { file: string };
  b: AnswerSide['row'] & { file: string };
  byLabelCount: AnswerComparison[];
  /** Items on one side only, per label count (a shorter run): compared where both have them. */
  unpaired: number;
}

const WORKLOAD: ReadonlyArray<[keyof AnswerSide['row'], string]> = [
  ['precision', 'precision'],
  ['modelSha256', 'model file (model_sha256)'],
  ['datasetHash', 'dataset (dataset_hash)'],
  ['template', 'template'],
];

type Scored = Map<string, Array<[string, number]>>;

/**
 * The first scored sample of each (label count, item): within one run a text's scores at a label
 * count do not change between passes or processes (same label set, same model), so later ones
 * would only weight items unequally.
 */
function firstScores(side: AnswerSide): Scored {
  const scored: Scored = new Map();
  let unscored = 0;
  for (const sample of side.samples) {
    const key = `${sample.labelCount}\u0000${sample.itemId}`;
    if (scored.has(key)) continue;
    const scores = parseSampleScores(sample.scores ?? '');
    if (scores === undefined) unscored += 1;
    else scored.set(key, scores);
  }
  if (scored.size === 0 && unscored > 0) {
    throw new UsageError(`${side.file}: its samples have no scores column (written before zsc-bench recorded scores); run it again with this version`);
  }
  return scored;
}

function topMargin(scores: readonly number[]): number {
  const [first = Number.NaN, second = Number.NaN] = [...scores].sort((x, y) => y - x);
  return first - second;
}

export function compareAnswers(a: AnswerSide, b: AnswerSide): AnswersReport {
  for (const [field, name] of WORKLOAD) {
    if (a.row[field] !== b.row[field]) {
      throw new UsageError(`${b.file}: ${name} '${String(b.row[field])}' differs from ${a.file}'s '${String(a.row[field])}'; parity compares the same workload on two machines`);
    }
  }
  const [scoresA, scoresB] = [firstScores(a), firstScores(b)];
  const byCount = new Map<number, { items: string[]; a: number[][]; b: number[][]; margins: number[] }>();
  let unpaired = 0;
  for (const [key, pairsA] of scoresA) {
    const pairsB = scoresB.get(key);
    if (pairsB === undefined) {
      unpaired += 1;
      continue;
    }
    const [countText = '', itemId = ''] = key.split('\u0000');
    const labelsA = pairsA.map(([label]) => label);
    const valuesB = new Map(pairsB);
    if (pairsB.length !== pairsA.length || labelsA.some((label) => !valuesB.has(label))) {
      throw new UsageError(
        `${b.file}: item ${itemId} at ${countText} labels was scored against ${pairsB.map(([label]) => label).join('|')}, in ${a.file} against ${labelsA.join('|')}: not the same label sets (another label pool or seed)`,
      );
    }
    const count = Number(countText);
    const entry = byCount.get(count) ?? { items: [], a: [], b: [], margins: [] };
    entry.items.push(itemId);
    entry.a.push(pairsA.map(([, score]) => score));
    entry.b.push(labelsA.map((label) => valuesB.get(label) ?? Number.NaN));
    entry.margins.push(topMargin(pairsA.map(([, score]) => score)));
    byCount.set(count, entry);
  }
  unpaired += [...scoresB.keys()].filter((key) => !scoresA.has(key)).length;
  if (byCount.size === 0) throw new UsageError(`${b.file}: no item at any label count is also in ${a.file}; parity needs runs of the same items`);
  const byLabelCount = [...byCount.entries()]
    .sort(([x], [y]) => x - y)
    .map(([labels, entry]) => {
      const scores = compareScores(entry.a, entry.b);
      const flipped = entry.a.map((scoresOfA, index) => topIndex(scoresOfA) !== topIndex(entry.b[index] ?? [])).map((flip, index) => (flip ? (entry.margins[index] ?? Number.NaN) : undefined));
      const margins = flipped.filter((margin): margin is number => margin !== undefined);
      return {
        labels,
        items: scores.items,
        flips: margins.length,
        flipPercent: scores.flipPercent,
        meanAbsDiff: scores.meanAbsDiff,
        maxAbsDiff: scores.maxAbsDiff,
        flipMarginMax: margins.length === 0 ? undefined : Math.max(...margins),
      };
    });
  return { a: { ...a.row, file: a.file }, b: { ...b.row, file: b.file }, byLabelCount, unpaired };
}
