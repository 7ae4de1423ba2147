import type { Classifier, ClassifyRequest } from '../core/classifier.js';
import type { EngineResult } from './batcher.js';

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
 * bad request cannot fail the others.
 */
export async function runBatch(classifier: Classifier, requests: readonly ClassifyRequest[], merge: boolean): Promise<EngineResult> {
  const started = performance.now();
  if (merge && requests.length > 1) {
    try {
      const results = await classifier.classifyMany(requests, { maxPaddingOverhead: MAX_PADDING_OVERHEAD });
      return { results, runs: results[0]?.timings.runs ?? 0, inferenceMs: results[0]?.timings.inferenceMs ?? 0 };
    } catch {
      // fall through: run each alone and report the ones that fail
    }
  }
  const results: EngineResult['results'] = [];
  let inferenceMs = 0;
  let runs = 0;
  for (const request of requests) {
    try {
      const result = await classifier.classify(request.text, request.labels, request.options);
      inferenceMs += result.timings.inferenceMs;
      runs += result.timings.runs;
      results.push(result);
    } catch (error) {
      results.push({ error: message(error) });
    }
  }
  return { results, runs, inferenceMs: runs > 0 ? inferenceMs : performance.now() - started };
}
