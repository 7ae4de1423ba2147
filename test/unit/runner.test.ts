import { beforeEach, describe, expect, it, vi } from 'vitest';

// The memory marks are the process's own; the runner's part is to reset the peak before each label count.
const calls: string[] = [];
let peak = 0;
vi.mock('../../src/env/memory.js', () => ({
  resetPeakRss: () => {
    calls.push('reset');
    peak = 0;
    return true;
  },
  peakRssBytes: () => {
    calls.push('read');
    return peak;
  },
}));

// The unit tier shares modules between files (isolate: false): load the runner afresh, over the mock.
vi.resetModules();
const { BenchmarkRunner } = await import('../../src/runner/runner.js');
const { runStages } = await import('../../src/runner/stages.js');

/** A classifier whose every call raises the peak by the label count, in MiB. */
const classifier = {
  model: { dims: undefined, classes: 3 },
  classify: async (_text: string, labels: readonly string[]) => {
    peak += labels.length * 1024 * 1024;
    calls.push(`classify ${labels.length}`);
    return { labels: [...labels], scores: labels.map(() => 1 / labels.length), multiLabel: false, timings: { tokenizeMs: 0, inferenceMs: 1, totalMs: 1, runs: 1 }, runShapes: [] };
  },
};

describe('BenchmarkRunner', () => {
  beforeEach(() => {
    calls.length = 0;
    peak = 0;
  });

  it('resets the peak-RSS mark before each label count, so each peak is that count\'s own', async () => {
    const runner = new BenchmarkRunner(classifier as never);
    const items = [{ id: '1', label: '体育', text: '比赛' }];
    const outcome = await runStages(runner.stages({ items, labelCounts: [3, 5], labelPool: ['体育', '财经', '科技', '教育', '游戏'], repeats: 2, warmup: 1, template: '{}', pairsPerRun: 'all', seed: 1, measureGpuMemory: false, offlineBatchSizes: [] }), new AbortController().signal);
    expect(outcome.state).toBe('completed');
    // Cold start (3 labels), then per count: reset, warm-up, two timed runs, read.
    expect(calls).toEqual(['classify 3', 'reset', 'classify 3', 'classify 3', 'classify 3', 'read', 'reset', 'classify 5', 'classify 5', 'classify 5', 'read']);
    expect(runner.measurements.map((measurement) => measurement.peakRssBytes / 1024 ** 2)).toEqual([9, 15]);
  });

  it('reports the offline passes as their own phase: items done of every pass, from 0', async () => {
    const withBatches = { ...classifier, classifyMany: async (requests: ReadonlyArray<{ labels: readonly string[] }>) => Promise.all(requests.map((request) => classifier.classify('', request.labels))) };
    const runner = new BenchmarkRunner(withBatches as never);
    const items = [{ id: '1', label: '体育', text: '比赛' }, { id: '2', label: '财经', text: '股市' }];
    const reports: Array<[number, number, number, number]> = [];
    runner.on('offlineProgress', (state) => reports.push([state.labelCount, state.batchItems, state.itemsDone, state.itemsTotal]));
    const outcome = await runStages(runner.stages({ items, labelCounts: [3, 5], labelPool: ['体育', '财经', '科技', '教育', '游戏'], repeats: 1, warmup: 0, template: '{}', pairsPerRun: 'all', seed: 1, measureGpuMemory: false, offlineBatchSizes: [1, 2] }), new AbortController().signal);
    expect(outcome.state).toBe('completed');
    // 2 label counts x 2 batch sizes x 2 items = 8 items in all; a report before the first pass.
    expect(reports).toEqual([[3, 1, 0, 8], [3, 1, 2, 8], [3, 2, 4, 8], [5, 1, 6, 8], [5, 2, 8, 8]]);
  });
});
