import { describe, expect, it } from 'vitest';
import { normalCdf, robustSpread } from '../../src/stats/hypothesis.js';

// Reference values from scipy 1.17 (stats.norm.cdf).
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

describe('robustSpread', () => {
  it('is 1.4826 x the median absolute deviation', () => {
    expect(robustSpread([1, 2, 3, 4, 100])).toBeCloseTo(1.482602218505602, 14);
  });
});
