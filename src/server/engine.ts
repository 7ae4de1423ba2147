import type { Classifier, ClassifyRequest, ClassifyResult } from '../core/classifier.js';
import type { EngineResult, OnAnswered } from './batcher.js';
import { isUsageError } from '../base/errors.js';

/**
 * Padding a merged batch to its longest text may cost at most this much extra work (3% more
 * token positions than running each text alone); beyond it, the batch is split by length.
 * On a compute-bound CPU, merging gains at most a few percent (int8: 4% going from 3 to 6 rows
 * of StructBERT-base on 2 cores), so padding waste must stay below that.
 */
export const MAX_PADDING_OVERHEAD = 0.03;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs one batch on a classifier: a lone request exactly as `zsc-bench classify` does; merged
 * requests through classifyMany. If a merged run fails, each request is retried alone so one
 * bad request cannot fail the others. `onAnswered` hears of each merged result as soon as its
 * run is done, so when padding splits a batch the short texts need not wait for the long ones.
 */
export async function runBatch(classifier: Classifier, requests: readonly ClassifyRequest[], merge: boolean, onAnswered: OnAnswered = () => {}): Promise<EngineResult> {
  const started = performance.now();
  if (merge && requests.length > 1) {
    const answered = new Map<number, ClassifyResult>();
    try {
      const results = await classifier.classifyMany(requests, {
        maxPaddingOverhead: MAX_PADDING_OVERHEAD,
        onRunDone: (completed) => {
          for (const { index, result } of completed) {
            answered.set(index, result);
            onAnswered(index, result);
          }
        },
      });
      const inferenceMs = Math.max(0, ...results.map((result) => result.timings.inferenceMs));
      return { results, runs: results[0]?.timings.runs ?? 0, inferenceMs };
    } catch {
      // Run each alone and report the ones that fail; those a completed run answered keep
      // their answers and are not run again.
      return runAlone(classifier, requests, answered, started);
    }
  }
  return runAlone(classifier, requests, new Map(), started);
}

/** Runs each request not answered yet on its own, as `zsc-bench classify` would. */
async function runAlone(
  classifier: Classifier,
  requests: readonly ClassifyRequest[],
  answered: ReadonlyMap<number, ClassifyResult>,
  started: number,
): Promise<EngineResult> {
  const results: EngineResult['results'] = [];
  let inferenceMs = 0;
  let runs = 0;
  for (const [index, request] of requests.entries()) {
    const early = answered.get(index);
    if (early !== undefined) {
      results.push(early);
      continue;
    }
    try {
      const result = await classifier.classify(request.text, request.labels, request.options);
      inferenceMs += result.timings.inferenceMs;
      runs += result.timings.runs;
      results.push(result);
    } catch (error) {
      results.push({ error: message(error), ...(isUsageError(error) ? { refused: true } : {}) });
    }
  }
  return { results, runs, inferenceMs: runs > 0 ? inferenceMs : performance.now() - started };
}
