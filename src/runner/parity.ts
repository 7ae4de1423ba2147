/**
 * Precision parity: what an fp16 or int8 run costs in answers. The same items and label sets run
 * on the low-precision model and on the fp32 reference, each text alone with the sweep's pairs
 * per run: top-label flips and absolute score differences. And int8's own effect: dynamic
 * quantization picks one activation scale per run, so a text's scores move with the texts it
 * shares a padded batch with; measured as the same text alone vs inside a batch.
 */
import type { Classifier, ClassifyResult } from '../core/classifier.js';
import type { BenchItem } from './workload.js';
import { labelSet } from './label-sets.js';

/** Scores of one (item, label set), in the label set's order. */
type ScoreVector = number[];

export interface ScoreComparison {
  /** % of items whose top label differs. */
  flipPercent: number;
  meanAbsDiff: number;
  maxAbsDiff: number;
  items: number;
}

export interface ParityAtLabelCount {
  labelCount: number;
  /** Low precision vs the fp32 reference. */
  reference: ScoreComparison;
  /** The same text alone vs inside a padded batch of `batchItems` texts, both at the run's precision. */
  batchComposition: ScoreComparison;
  batchItems: number;
}

function inLabelOrder(labels: readonly string[], result: ClassifyResult): ScoreVector {
  return labels.map((label) => result.scores[result.labels.indexOf(label)] ?? Number.NaN);
}

/** The index of the highest score (the first of equal ones). */
export function topIndex(scores: readonly number[]): number {
  return scores.reduce((best, score, index) => (score > (scores[best] ?? Number.NEGATIVE_INFINITY) ? index : best), 0);
}

/** Pure: flips and absolute differences between two sets of score vectors (same items, same label order). */
export function compareScores(a: readonly ScoreVector[], b: readonly ScoreVector[]): ScoreComparison {
  let flips = 0;
  let sum = 0;
  let count = 0;
  let max = 0;
  a.forEach((scores, item) => {
    const other = b[item] ?? [];
    if (topIndex(scores) !== topIndex(other)) flips += 1;
    scores.forEach((score, index) => {
      const diff = Math.abs(score - (other[index] ?? Number.NaN));
      sum += diff;
      count += 1;
      max = Math.max(max, diff);
    });
  });
  return { flipPercent: a.length === 0 ? Number.NaN : (flips / a.length) * 100, meanAbsDiff: count === 0 ? Number.NaN : sum / count, maxAbsDiff: count === 0 ? Number.NaN : max, items: a.length };
}

export interface ParityPlan {
  items: readonly BenchItem[];
  labelCounts: readonly number[];
  labelPool: readonly string[];
  template: string;
  seed: number;
  /** The sweep's pairs per run (undefined: all pairs of a text in one run). */
  pairsPerRun: number | undefined;
  /** Texts per padded batch for the batch-composition check. */
  batchItems: number;
  /** After each step (one label count alone, in batches, or at fp32): pairs done of the pass's total, for a progress display. */
  onProgress?: (pairsDone: number, pairsTotal: number) => void;
  /** Ctrl-C: checked before every classification. */
  signal?: AbortSignal;
}

async function scoresAlone(classifier: Classifier, plan: ParityPlan, labelCount: number): Promise<ScoreVector[]> {
  const vectors: ScoreVector[] = [];
  for (const item of plan.items) {
    plan.signal?.throwIfAborted();
    const labels = labelSet(item.label, plan.labelPool, labelCount, item.id, plan.seed);
    const options = { template: plan.template, ...(plan.pairsPerRun !== undefined ? { pairsPerRun: plan.pairsPerRun } : {}) };
    vectors.push(inLabelOrder(labels, await classifier.classify(item.text, labels, options)));
  }
  return vectors;
}

async function scoresInBatches(classifier: Classifier, plan: ParityPlan, labelCount: number): Promise<ScoreVector[]> {
  const requests = plan.items.map((item) => ({ text: item.text, labels: labelSet(item.label, plan.labelPool, labelCount, item.id, plan.seed), options: { template: plan.template } }));
  const vectors: ScoreVector[] = [];
  for (let start = 0; start < requests.length; start += plan.batchItems) {
    plan.signal?.throwIfAborted();
    const batch = requests.slice(start, start + plan.batchItems);
    const results = await classifier.classifyMany(batch);
    results.forEach((result, index) => vectors.push(inLabelOrder(batch[index]?.labels ?? [], result)));
  }
  return vectors;
}

/**
 * Runs the low-precision side (alone and in batches) on `classifier`, then asks for the fp32
 * reference classifier (opened only now, so the two models are never both needed during the
 * sweep) and runs the same items alone on it.
 */
export async function measureParity(classifier: Classifier, openReference: () => Promise<Classifier>, plan: ParityPlan): Promise<ParityAtLabelCount[]> {
  const low: ScoreVector[][] = [];
  const batched: ScoreVector[][] = [];
  // Three passes over every item at every label count: alone, in batches, and alone at fp32.
  const pairsTotal = 3 * plan.items.length * plan.labelCounts.reduce((sum, count) => sum + count, 0);
  let pairsDone = 0;
  const stepDone = (labelCount: number) => {
    pairsDone += plan.items.length * labelCount;
    plan.onProgress?.(pairsDone, pairsTotal);
  };
  plan.onProgress?.(0, pairsTotal);
  for (const labelCount of plan.labelCounts) {
    low.push(await scoresAlone(classifier, plan, labelCount));
    stepDone(labelCount);
    batched.push(await scoresInBatches(classifier, plan, labelCount));
    stepDone(labelCount);
  }
  const reference = await openReference();
  try {
    const results: ParityAtLabelCount[] = [];
    for (const [index, labelCount] of plan.labelCounts.entries()) {
      const fp32 = await scoresAlone(reference, plan, labelCount);
      stepDone(labelCount);
      const alone = low[index] ?? [];
      results.push({ labelCount, reference: compareScores(alone, fp32), batchComposition: compareScores(alone, batched[index] ?? []), batchItems: plan.batchItems });
    }
    return results;
  } finally {
    await reference.dispose();
  }
}
