import { describe, expect, it } from 'vitest';
import { compareSamples, decideVerdict, METRIC_STATISTICS, powerWarning, type CheckSettings } from '../../src/compare/check.js';
import { mulberry32 } from '../../src/stats/random.js';

const SETTINGS: CheckSettings = { metric: 'median', maxRegression: 0.1, alpha: 0.05, seed: 1, resamples: 1000 };

/** Lognormal latencies around `medianMs` with log-spread sigma (Box-Muller on a seeded generator). */
function lognormalSamples(random: () => number, count: number, medianMs: number, sigma: number): number[] {
  return Array.from({ length: count }, () => {
    const u = 1 - random();
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return medianMs * Math.exp(sigma * z);
  });
}

describe('decideVerdict', () => {
  const base = { alpha: 0.05, maxRegression: 0.1 };
  it('needs both evidence and a slowdown beyond the threshold for a regression', () => {
    expect(decideVerdict({ ...base, ratio: 1.25, pSlower: 0.001, pFaster: 0.999 })).toBe('regression');
    expect(decideVerdict({ ...base, ratio: 1.05, pSlower: 0.001, pFaster: 0.999 })).toBe('slower');
    expect(decideVerdict({ ...base, ratio: 1.1, pSlower: 0.001, pFaster: 0.999 })).toBe('slower');
    expect(decideVerdict({ ...base, ratio: 1.5, pSlower: 0.2, pFaster: 0.8 })).toBe('no change');
    expect(decideVerdict({ ...base, ratio: 0.8, pSlower: 0.999, pFaster: 0.001 })).toBe('faster');
    expect(decideVerdict({ ...base, ratio: 0.99, pSlower: 0.01, pFaster: 0.99 })).toBe('no change');
  });
});

describe('METRIC_STATISTICS', () => {
  it('median, mean and p95 of a sorted sample', () => {
    const sorted = [1, 2, 3, 4, 10];
    expect(METRIC_STATISTICS.median(sorted)).toBe(3);
    expect(METRIC_STATISTICS.mean(sorted)).toBe(4);
    expect(METRIC_STATISTICS.p95(sorted)).toBeCloseTo(8.8, 12);
  });
});

describe('compareSamples', () => {
  it('reports the ratio, its interval, the test and a verdict', () => {
    const baseline = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109];
    const current = baseline.map((value) => value * 1.3);
    const result = compareSamples({ profile: 'cpu', labels: 3 }, baseline, current, SETTINGS);
    expect(result.baselineValueMs).toBe(104.5);
    expect(result.currentValueMs).toBeCloseTo(135.85, 10);
    expect(result.ratio).toBeCloseTo(1.3, 12);
    expect(result.ratioInterval[0]).toBeLessThanOrEqual(1.3);
    expect(result.ratioInterval[1]).toBeGreaterThanOrEqual(1.3);
    // No overlap at all: the exact one-sided p-value is 1 / C(20, 10).
    expect(result.pSlower).toBeCloseTo(1 / 184756, 12);
    expect(result.verdict).toBe('regression');
    expect(compareSamples({ profile: 'cpu', labels: 3 }, baseline, current, SETTINGS)).toEqual(result);
  });

  it('a run compared with itself is no change', () => {
    const samples = [5.1, 4.9, 5.3, 5.0, 5.2, 4.8, 5.05];
    const result = compareSamples({ profile: 'cpu', labels: 5 }, samples, samples, SETTINGS);
    expect(result.ratio).toBe(1);
    expect(result.verdict).toBe('no change');
  });

  it('warns when samples are too few to ever be significant, or the power is low', () => {
    const tiny = compareSamples({ profile: 'cpu', labels: 3 }, [10, 11], [12, 13], SETTINGS);
    expect(tiny.minimumP).toBeCloseTo(1 / 6, 12);
    expect(powerWarning(tiny, SETTINGS)).toMatch(/^cpu at 3 labels \(2 vs 2 samples\): too few samples: the smallest possible p-value is 0\.17/);
    const random = mulberry32(3);
    const noisy = compareSamples({ profile: 'cpu', labels: 3 }, lognormalSamples(random, 6, 100, 0.4), lognormalSamples(random, 6, 100, 0.4), SETTINGS);
    expect(noisy.power).toBeLessThan(0.8);
    expect(powerWarning(noisy, SETTINGS)).toMatch(/low power: about \d+% chance to flag a 20% slowdown/);
    const random2 = mulberry32(4);
    const plenty = compareSamples({ profile: 'cpu', labels: 3 }, lognormalSamples(random2, 50, 100, 0.1), lognormalSamples(random2, 50, 100, 0.1), SETTINGS);
    expect(powerWarning(plenty, SETTINGS)).toBeUndefined();
  });
});

// The gate's error rates, measured rather than assumed: seeded, so the counts are reproducible.
describe('error rates over 200 seeded trials (lognormal, 10% spread, 25 samples)', () => {
  const TRIALS = 200;
  function countRegressions(slowdown: number, metric: CheckSettings['metric']): number {
    const random = mulberry32(20261124 + Math.round(slowdown * 1000));
    let regressions = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const baseline = lognormalSamples(random, 25, 100, 0.1);
      const current = lognormalSamples(random, 25, 100 * slowdown, 0.1);
      const result = compareSamples({ profile: 'cpu', labels: 3 }, baseline, current, { ...SETTINGS, metric, resamples: 200 });
      if (result.verdict === 'regression') regressions += 1;
    }
    return regressions;
  }

  for (const metric of ['median', 'mean'] as const) {
    it(`${metric}: identical distributions are called a regression in at most 5% of trials`, () => {
      expect(countRegressions(1, metric)).toBeLessThanOrEqual(TRIALS * 0.05);
    });
    it(`${metric}: a 20% slowdown is caught in at least 95% of trials`, () => {
      expect(countRegressions(1.2, metric)).toBeGreaterThanOrEqual(TRIALS * 0.95);
    });
  }
});
