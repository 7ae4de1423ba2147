import { describe, expect, it } from 'vitest';
import type { Classifier, ClassifyResult } from '../../src/core/classifier.js';
import { BenchmarkRunner, type LabelCountMeasurement } from '../../src/runner/runner.js';
import { summarizeConditions } from '../../src/runner/summary.js';
import { runStages } from '../../src/runner/stages.js';

/** A classifier whose later passes are slowed down on purpose: the injected delay doubles after `slowAfter` calls. */
function slowingClassifier(fastMs: number, slowMs: number, slowAfter: number): Classifier {
  let calls = 0;
  const classify = async (_text: string, labels: readonly string[]): Promise<ClassifyResult> => {
    calls += 1;
    const delay = calls > slowAfter ? slowMs : fastMs;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, delay));
    const elapsed = performance.now() - started;
    return { labels: [...labels], scores: labels.map(() => 1 / labels.length), multiLabel: false, timings: { tokenizeMs: 0, inferenceMs: elapsed, totalMs: elapsed, runs: 1 }, runShapes: [{ rows: labels.length, sequence: 8 }] };
  };
  return { classify, model: { dims: undefined, classes: 3 } } as unknown as Classifier;
}

describe('drift: a run whose later passes are slowed down on purpose', () => {
  const items = Array.from({ length: 8 }, (_, index) => ({ id: String(index), label: 'a', text: `text ${index}` }));
  const plan = { items, labelCounts: [3], labelPool: ['a', 'b', 'c', 'd'], repeats: 3, warmup: 0, template: '{}', pairsPerRun: 'all' as const, seed: 1, offlineBatchSizes: [], measureGpuMemory: false };

  it('is flagged: the last pass is about 3x the first, far beyond the pass-to-pass noise', async () => {
    // 1 cold start call, then passes of 8: the third pass (calls 18-25) is slowed.
    const runner = new BenchmarkRunner(slowingClassifier(10, 30, 17));
    await runStages(runner.stages(plan), new AbortController().signal);
    const conditions = summarizeConditions(runner.measurements[0] as LabelCountMeasurement);
    expect(conditions.driftBeyondNoise).toBe(true);
    expect(conditions.driftPercent).toBeGreaterThan(100);
    expect(conditions.passMeansMs.split(' ')).toHaveLength(3);
  });

  it('an unchanged run is not', async () => {
    const runner = new BenchmarkRunner(slowingClassifier(10, 10, 0));
    await runStages(runner.stages(plan), new AbortController().signal);
    expect(summarizeConditions(runner.measurements[0] as LabelCountMeasurement).driftBeyondNoise).toBe(false);
  });
});
