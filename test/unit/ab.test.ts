import { describe, expect, it } from 'vitest';
import { compareAbPasses } from '../../src/compare/ab.js';

describe('compareAbPasses', () => {
  // Pass means of A: 110 112 108 115 109, of B: 100 101 99 103 100 (the pairedRatio reference, scipy ttest_1samp).
  const passes = [110, 112, 108, 115, 109].flatMap((a, pair) => {
    const b = [100, 101, 99, 103, 100][pair] ?? 0;
    return [
      { side: 'a' as const, pair, totalMs: [a - 5, a + 5] },
      { side: 'b' as const, pair, totalMs: [b - 1, b + 1] },
    ];
  });

  it('one ratio per pass pair, a t interval over them, geometric means per side', () => {
    const result = compareAbPasses(3, passes, { metric: 'mean', level: 0.95, maxRegression: undefined });
    expect(result.pairs).toBe(5);
    expect(result.ratio).toBeCloseTo(1.101217239683225, 12);
    expect(result.interval[0]).toBeCloseTo(1.087081620387377, 8);
    expect(result.interval[1]).toBeCloseTo(1.1155366682985661, 8);
    expect(result.pairRatios[0]).toBeCloseTo(1.1, 12);
    expect(result.aValueMs).toBeCloseTo(Math.exp((Math.log(110) + Math.log(112) + Math.log(108) + Math.log(115) + Math.log(109)) / 5), 10);
    expect(result.verdict).toBe('slower');
  });

  it('gates on the interval and the threshold', () => {
    expect(compareAbPasses(3, passes, { metric: 'mean', level: 0.95, maxRegression: 0.05 }).verdict).toBe('regression');
    expect(compareAbPasses(3, passes, { metric: 'mean', level: 0.95, maxRegression: 0.2 }).verdict).toBe('slower');
    const swapped = passes.map((pass) => ({ ...pass, side: pass.side === 'a' ? ('b' as const) : ('a' as const) }));
    expect(compareAbPasses(3, swapped, { metric: 'median', level: 0.95, maxRegression: 0.05 }).verdict).toBe('faster');
  });
});
