import { describe, expect, it } from 'vitest';
import type { LabelCountMeasurement, Sample } from '../../src/runner/runner.js';
import { latencyColumns, summarizeLabelCount, summarizeOffline, summaryRows, sweepFits, type RunContext } from '../../src/runner/summary.js';
import { summarize } from '../../src/stats/statistics.js';
import { runWarnings } from '../../src/format/run-table.js';
import { summaryRow } from '../helpers/result-row.js';

function sample(totalMs: number, inferenceMs: number, repeat: number, itemId: string, predicted: string, gold: string): Sample {
  return { labelCount: 3, itemId, repeat, totalMs, inferenceMs, tokenizeMs: 0.1, runs: 1, gflop: 2, predicted, gold, scores: '' };
}

const measurement: LabelCountMeasurement = {
  labelCount: 3,
  samples: [
    sample(100, 98, 0, 'a', '体育', '体育'),
    sample(200, 196, 0, 'b', '财经', '科技'),
    sample(300, 294, 1, 'a', '体育', '体育'),
    sample(400, 392, 1, 'b', '财经', '科技'),
  ],
  offline: [],
  startedAtMs: 0,
  endedAtMs: 1000,
  hardware: [],
  wallMs: 1000,
  cpuUserMs: 1500,
  cpuSystemMs: 100,
  peakRssBytes: 1024,
};

describe('summarizeLabelCount', () => {
  it('computes every figure from the samples', () => {
    const summary = summarizeLabelCount(measurement, 2, undefined);
    expect(summary).toMatchObject({ labels: 3, pairsPerRun: 3, samples: 4, meanMs: 250, minMs: 100, maxMs: 400, p50Ms: 250, itemsPerSecond: 4, pairsPerSecond: 12, peakRssBytes: 1024 });
    expect(summary.p90Ms).toBeCloseTo(370, 10);
    expect(summary.p95Ms).toBeCloseTo(385, 10);
    expect(summary.stdMs).toBeCloseTo(Math.sqrt(50000 / 3), 10);
    // CPU: 1600 ms of CPU in 1000 ms wall = 160% of one core, 80% of two.
    expect(summary.cpuPercentOneCore).toBeCloseTo(160, 10);
    expect(summary.cpuPercentAllCores).toBeCloseTo(80, 10);
    // accuracy over distinct items (first repeat): a right, b wrong
    expect(summary.accuracy).toBe(0.5);
    // 980 ms inside session.run of 1000 ms wall
    expect(summary.harnessOverheadPercent).toBeCloseTo(2, 10);
    expect(summary.gpuMemoryMiB).toBeUndefined();
  });
  it('model FLOPs over the time inside session.run: 8 GFLOP in 980 ms; MFU against the peak', () => {
    const summary = summarizeLabelCount(measurement, 2, undefined);
    expect(summary.gflopPerItem).toBe(2);
    expect(summary.achievedGflopPerS).toBeCloseTo(8 / 0.98, 10);
    const context = { cpuCores: 2, pairsPerRunResolved: undefined, peakGflopPerS: 10, parity: [] } as unknown as RunContext;
    expect(summaryRows(context, [measurement])[0]?.mfuPercent).toBeCloseTo((8 / 0.98 / 10) * 100, 10);
    expect(summaryRows({ ...context, peakGflopPerS: undefined }, [measurement])[0]?.mfuPercent).toBeNaN();
  });
  it('records the pairs per run of the label count: the resolved size, capped at the label count', () => {
    expect(summarizeLabelCount(measurement, 2, 2).pairsPerRun).toBe(2);
    expect(summarizeLabelCount(measurement, 2, 8).pairsPerRun).toBe(3);
  });

  it('takes its 95% intervals from the passes on the log scale, not the single samples (scipy t.ppf)', () => {
    const summary = summarizeLabelCount(measurement, 2, 1);
    // Pass means 150 and 350 (medians the same): 250 x exp(+- t.ppf(0.975, 1) x std(ln [150, 350], ddof=1) / sqrt(2)),
    // computed once with scipy 1.17. On raw ms (as before) the low end was -1020.6.
    expect(summary.ciBlocks).toBe(2);
    expect(summary.ciUnit).toBe('pass');
    expect(summary.meanCi95LowMs).toBeCloseTo(1.148539200597899, 9);
    expect(summary.meanCi95HighMs / 54416.949780611896).toBeCloseTo(1, 9);
    expect(summary.medianCi95LowMs).toBeCloseTo(1.148539200597899, 9);
  });
});

describe('summarizeOffline', () => {
  it('items/s and pairs/s at the best batch size, and every size tried', () => {
    const pass = (batchItems: number, wallMs: number) => ({ batchItems, items: 10, pairs: 30, runs: Math.ceil(10 / batchItems), wallMs });
    expect(summarizeOffline([pass(1, 2000), pass(2, 1600), pass(4, 1700)])).toEqual({
      offlineItemsPerSecond: 6.25,
      offlinePairsPerSecond: 18.75,
      offlineBestBatchItems: 2,
      offlineByBatch: '1:5.00 2:6.25 4:5.88',
    });
    expect(summarizeOffline([])).toEqual({ offlineItemsPerSecond: Number.NaN, offlinePairsPerSecond: Number.NaN, offlineBestBatchItems: undefined, offlineByBatch: '' });
  });
});

describe('sweepFits', () => {
  const row = (labels: number, meanMs: number) => ({ ...summarizeLabelCount(measurement, 2, undefined), labels, meanMs });
  it('gives % increase against the smallest count and one least-squares line', () => {
    const fits = sweepFits([row(3, 130), row(5, 190), row(10, 340), row(20, 640)]);
    expect(fits.map((fit) => fit.increaseVsMinLabelsPercent)).toEqual([0, (60 / 130) * 100, (210 / 130) * 100, (510 / 130) * 100]);
    expect(fits[0]).toMatchObject({ fitMsPerLabel: 30, fitInterceptMs: 40, fitR2: 1 });
  });
  it('a single label count has no line', () => {
    expect(sweepFits([row(3, 130)])[0]?.fitMsPerLabel).toBeNaN();
    expect(sweepFits([])).toEqual([]);
  });
});

describe('latencyColumns', () => {
  it('leaves an interval that reaches past a day empty (two units far apart), keeps the others, and the warning says why', () => {
    const stats = summarize([2, 32]);
    const columns = latencyColumns(stats, { meanCi95: [0.00002, 182_829_505.241], medianCi95: [1.5, 40] }, 3);
    expect([columns.meanCi95LowMs, columns.meanCi95HighMs]).toEqual([Number.NaN, Number.NaN]);
    expect([columns.medianCi95LowMs, columns.medianCi95HighMs]).toEqual([1.5, 40]);
    expect(latencyColumns(stats, { meanCi95: [1, 86_400_000], medianCi95: [1, 2] }, 3).meanCi95HighMs).toBe(86_400_000);
    expect(runWarnings([summaryRow({ machineBusy: '', samples: 2, meanCi95LowMs: Number.NaN, meanCi95HighMs: Number.NaN, ciBlocks: 2, ciUnit: 'process' })])).toEqual([
      'no 95% interval at 3 labels: its 2 process units differ so much that the interval would reach past a day; run more repeats or processes',
    ]);
  });
});
