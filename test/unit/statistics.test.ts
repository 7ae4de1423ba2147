import { describe, expect, it } from 'vitest';
import {
  binomialHalfCdf,
  fitLine,
  mean,
  meanConfidenceInterval,
  medianConfidenceInterval,
  normalQuantile,
  percentIncrease,
  percentile,
  standardDeviation,
  studentTQuantile,
  summarize,
} from '../../src/stats/statistics.js';

describe('basic statistics', () => {
  it('mean and sample standard deviation', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 14);
    expect(standardDeviation([5])).toBe(0);
    expect(() => mean([])).toThrow('statistics: no samples');
  });
  it('percentiles interpolate linearly like numpy', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 40)).toBe(29); // h = 1.6: 20 + 0.6 * 15
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([3, 1, 2], 25)).toBe(1.5);
    expect(percentile([7], 99)).toBe(7);
  });
  it('percent increase', () => {
    expect(percentIncrease(200, 250)).toBe(25);
    expect(percentIncrease(200, 150)).toBe(-25);
  });
});

describe('distribution quantiles', () => {
  it('Student t quantiles match tables to 1e-4', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452, 4);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.95996, 5);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.2622, 4);
  });
  it('normal quantiles', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
  });
  it('binomial(n, 1/2) CDF', () => {
    expect(binomialHalfCdf(0, 1)).toBeCloseTo(0.5, 12);
    expect(binomialHalfCdf(2, 4)).toBeCloseTo(11 / 16, 12);
    expect(binomialHalfCdf(-1, 4)).toBe(0);
  });
});

describe('confidence intervals', () => {
  it('mean CI uses t with n - 1 degrees of freedom', () => {
    const [low, high] = meanConfidenceInterval([10, 12, 14, 16, 18]);
    // mean 14, sd sqrt(10), t(0.975, 4) = 2.776445
    const half = (2.7764451051977987 * Math.sqrt(10)) / Math.sqrt(5);
    expect(low).toBeCloseTo(14 - half, 6);
    expect(high).toBeCloseTo(14 + half, 6);
    expect(meanConfidenceInterval([3])).toEqual([Number.NaN, Number.NaN]);
  });
  it('median CI picks order statistics from the binomial', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    // n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so j = 2: [x_(2), x_(9)]
    expect(medianConfidenceInterval(values)).toEqual({ interval: [2, 9], covered: true });
    // n = 6: P(B <= 0) = 1/64 <= 0.025: j = 1: [min, max]
    expect(medianConfidenceInterval([6, 1, 5, 2, 4, 3])).toEqual({ interval: [1, 6], covered: true });
    // n = 5 cannot reach 95%
    expect(medianConfidenceInterval([1, 2, 3, 4, 5])).toEqual({ interval: [1, 5], covered: false });
  });
  it('summarize puts it together', () => {
    const summary = summarize([5, 1, 4, 2, 3]);
    expect(summary).toMatchObject({ n: 5, mean: 3, min: 1, p50: 3, max: 5, medianCi95: [1, 5], medianCi95Covered: false });
    expect(summary.p90).toBeCloseTo(4.6, 12);
    expect(summary.p95).toBeCloseTo(4.8, 12);
    expect(summary.p99).toBeCloseTo(4.96, 12);
    expect(summary.std).toBeCloseTo(Math.sqrt(2.5), 14);
  });
});

describe('fitLine', () => {
  it('recovers an exact line with R² = 1', () => {
    expect(fitLine([3, 5, 10, 20], [130, 190, 340, 640])).toEqual({ intercept: 40, slope: 30, r2: 1 });
  });
  it('computes R² for noisy points', () => {
    const fit = fitLine([1, 2, 3], [1, 3, 2]);
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.r2).toBeCloseTo(0.25, 12);
  });
  it('a flat exact line has R² = 1', () => {
    expect(fitLine([1, 2], [5, 5]).r2).toBe(1);
  });
  it('rejects too few points', () => {
    expect(() => fitLine([1], [1])).toThrow('two or more');
  });
});
