import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  bootstrapRatioInterval,
  detectionPower,
  estimatorNoiseFactor,
  exactUDistribution,
  mannWhitneyU,
  minimumPValue,
  normalCdf,
  robustSpread,
} from '../../src/stats/hypothesis.js';
import { medianOfSorted as median } from '../../src/stats/statistics.js';

// Reference values from scipy 1.17 (stats.norm.cdf, stats.mannwhitneyu).
describe('normalCdf', () => {
  it('matches scipy to 1e-14', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 14);
    expect(normalCdf(0.5)).toBeCloseTo(0.6914624612740131, 14);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-5) / 2.866515718791933e-7).toBeCloseTo(1, 10);
  });
});

describe('averageRanks', () => {
  it('gives ties their mean rank and reports tie sizes', () => {
    expect(averageRanks([30, 10, 20, 20, 10, 10])).toEqual({ ranks: [6, 2, 4.5, 4.5, 2, 2], tieSizes: [3, 2] });
  });
});

describe('exactUDistribution', () => {
  it('counts arrangements: Gaussian binomial coefficients over C(m+n, m)', () => {
    expect(exactUDistribution(2, 2).map((p) => p * 6)).toEqual([1, 1, 2, 1, 1]);
    expect(exactUDistribution(3, 3).map((p) => Math.round(p * 20))).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
    const big = exactUDistribution(30, 40);
    expect(big).toHaveLength(1201);
    expect(big.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
  });
});

describe('mannWhitneyU', () => {
  it('exact, no overlap: p = 1/C(6,3)', () => {
    const result = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(result).toEqual({ u: 9, pGreater: 0.05, pLess: 1, method: 'exact' });
  });

  it('exact, interleaved samples', () => {
    const result = mannWhitneyU([1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7], [2.5, 4.1, 6.3, 8.8, 9.9]);
    expect(result.u).toBe(24);
    expect(result.pGreater).toBeCloseTo(0.17171717171717174, 12);
    expect(result.pLess).toBeCloseTo(0.8661616161616161, 12);
  });

  it('exact up to 2500 pairs (30 x 40)', () => {
    const x = [1.035162, 1.085631, 1.033596, 0.877818, 1.09476, 1.045649, 0.947721, 1.059833, 1.03713, 1.02985, 1.002846, 1.056193, 0.929001, 0.983841, 0.952932, 1.061714, 1.00398, 0.971178, 0.924788, 0.974609, 1.000815, 0.972816, 1.138153, 1.105914, 0.762528, 0.827868, 0.982675, 0.95866, 1.021594, 1.02197];
    const y = [1.299246, 0.940633, 1.012315, 1.289529, 1.121504, 1.12334, 0.9986, 0.891538, 1.069024, 1.062794, 0.929847, 0.981844, 1.043725, 0.956499, 1.040991, 1.061357, 1.055019, 0.999371, 1.11558, 1.149258, 1.085548, 0.968678, 1.131071, 0.999856, 1.147879, 0.944425, 1.151939, 1.049164, 0.92786, 1.018784, 1.056974, 1.080344, 0.952925, 0.94107, 1.072464, 1.003331, 1.076323, 1.134228, 0.891474, 1.078357];
    const result = mannWhitneyU(x, y);
    expect(result.method).toBe('exact');
    expect(result.u).toBe(764);
    expect(result.pGreater).toBeCloseTo(0.02596076025390516, 12);
  });

  it('normal approximation with ties and continuity correction', () => {
    const x = [10.1, 12.3, 9.8, 11.0, 10.5, 12.3, 13.1, 9.9, 10.0, 11.7];
    const y = [11.2, 12.3, 14.0, 12.8, 10.5, 13.3, 12.9, 15.1, 11.9, 12.2, 13.0];
    const result = mannWhitneyU(x, y);
    expect(result.method).toBe('normal');
    expect(result.u).toBe(89.5);
    expect(result.pGreater).toBeCloseTo(0.00824009092753366, 12);
    expect(result.pLess).toBeCloseTo(0.9932185552877789, 12);
  });

  it('identical constant samples: no evidence either way', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5])).toEqual({ u: 4.5, pGreater: 1, pLess: 1, method: 'normal' });
  });
});

describe('minimumPValue', () => {
  it('is 1 / C(m+n, m)', () => {
    expect(minimumPValue(3, 3)).toBeCloseTo(1 / 20, 14);
    expect(minimumPValue(2, 2)).toBeCloseTo(1 / 6, 14);
    expect(minimumPValue(4, 4)).toBeCloseTo(1 / 70, 14);
  });
});

describe('bootstrapRatioInterval', () => {
  it('is reproducible for a seed and brackets the observed ratio', () => {
    const x = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const y = x.map((value) => value * 1.5);
    const options = { level: 0.95, resamples: 1000, seed: 7 };
    const first = bootstrapRatioInterval(x, y, median, options);
    expect(bootstrapRatioInterval(x, y, median, options)).toEqual(first);
    expect(first[0]).toBeLessThanOrEqual(1.5);
    expect(first[1]).toBeGreaterThanOrEqual(1.5);
    expect(bootstrapRatioInterval(x, y, median, { ...options, seed: 8 })).not.toEqual(first);
  });

  it('collapses to the ratio when samples do not vary', () => {
    expect(bootstrapRatioInterval([2, 2, 2], [3, 3, 3], median, { level: 0.9, resamples: 50, seed: 1 })).toEqual([1.5, 1.5]);
  });
});

describe('power helpers', () => {
  it('robustSpread: 1.4826 x MAD', () => {
    expect(robustSpread([1, 2, 3, 4, 100])).toBeCloseTo(1.482602218505602, 14);
  });

  it('estimatorNoiseFactor: mean 1, median sqrt(pi/2), p95 from the normal density', () => {
    expect(estimatorNoiseFactor('mean')).toBe(1);
    expect(estimatorNoiseFactor(0.5)).toBeCloseTo(Math.sqrt(Math.PI / 2), 9);
    // sqrt(0.95 * 0.05) / phi(1.6448536269514722)
    expect(estimatorNoiseFactor(0.95)).toBeCloseTo(Math.sqrt(0.0475) / 0.10313564037537128, 7);
  });

  it('detectionPower: high with 25 samples at 10% spread for a 20% slowdown, low with 3', () => {
    const common = { logSpreadX: 0.1, logSpreadY: 0.1, noiseFactor: estimatorNoiseFactor(0.5), alpha: 0.05, threshold: 0.1, trueRatio: 1.2 };
    expect(detectionPower({ ...common, m: 25, n: 25 })).toBeGreaterThan(0.95);
    expect(detectionPower({ ...common, m: 3, n: 3 })).toBeLessThan(0.8);
    // No noise at all: certain above the threshold, impossible below it.
    expect(detectionPower({ ...common, m: 3, n: 3, logSpreadX: 0, logSpreadY: 0 })).toBe(1);
    expect(detectionPower({ ...common, m: 3, n: 3, logSpreadX: 0, logSpreadY: 0, trueRatio: 1.05 })).toBe(0);
  });
});
