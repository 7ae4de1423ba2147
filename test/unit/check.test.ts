import { describe, expect, it } from 'vitest';
import { compareRuns, decideVerdict, estimateRun, evidenceWarnings, METRIC_STATISTICS, type CheckSettings } from '../../src/compare/check.js';
import { itemCosts, machine, REAL_MACHINE, simulateRun } from '../helpers/noise.js';

const SETTINGS: CheckSettings = { metric: 'median', maxRegression: 0.1, alpha: 0.05, runNoise: 0.08, useRecordedSpread: true };

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

const runOf = (ms: number, withinSe: number) => ({ logValue: Math.log(ms), withinSe, blocks: 5 });

describe('estimateRun', () => {
  it('reduces a run to its ln metric and the standard error of its passes', () => {
    const samples = [100, 110, 120, 130, 140, 150].map((totalMs, index) => ({ repeat: index % 2, totalMs }));
    const estimate = estimateRun(samples, 'median');
    expect(estimate.logValue).toBeCloseTo(Math.log(125), 12);
    // Pass medians 120 and 130 (ln), sd / sqrt(2).
    expect(estimate.withinSe).toBeCloseTo(Math.abs(Math.log(130) - Math.log(120)) / 2, 12);
    expect(estimate.blocks).toBe(2);
  });
});

describe('compareRuns', () => {
  it('one run a side: the run noise widens the interval, and the output says what it can catch', () => {
    const result = compareRuns({ profile: 'cpu', labels: 3 }, [runOf(100, 0.02)], [runOf(112, 0.03)], { baseline: 50, current: 50 }, { ...SETTINGS, runNoise: 0.08 });
    expect(result.method).toBe('allowance');
    expect(result.ratio).toBeCloseTo(1.12, 12);
    expect(result.verdict).toBe('no change');
    expect(result.detectableSlowdown).toBeCloseTo(0.3298808075456494, 8);
    const warnings = evidenceWarnings(result, { ...SETTINGS, runNoise: 0.08 });
    expect(warnings[0]).toMatch(/^cpu at 3 labels \(1 vs 1 run\(s\)\): one run a side with one process cannot show how much a second run would differ; the interval assumes a run-to-run noise of 8%/);
    expect(warnings[1]).toMatch(/reliably \(80%\) catches only slowdowns of \+33% or more \(threshold \+10%\)/);
  });

  it('several runs a side: the spread between runs decides', () => {
    const result = compareRuns({ profile: 'cpu', labels: 3 }, [runOf(100, 0.01), runOf(104, 0.01), runOf(98, 0.01)], [runOf(120, 0.01), runOf(125, 0.01), runOf(118, 0.01), runOf(121, 0.01)], { baseline: 150, current: 200 }, SETTINGS);
    expect(result.method).toBe('between-runs');
    expect(result.verdict).toBe('regression');
    expect(result.baselineValueMs).toBeCloseTo(Math.cbrt(100 * 104 * 98), 9);
    expect(evidenceWarnings(result, SETTINGS)).toEqual([]);
  });
});

// The gate on sample-level noise like the development VM's (AR(1) lag-1 0.7, drift, run levels):
// the old per-sample Mann-Whitney flagged a fifth of unchanged pairs there.
describe('error rates over 200 seeded trials on machine-like noise (10 items x 5 passes)', () => {
  const TRIALS = 200;
  const items = itemCosts(10, 5);
  function regressions(slowdown: number, runsPerSide: number): number {
    const noise = machine(20261202 + Math.round(slowdown * 1000) + runsPerSide, REAL_MACHINE);
    let count = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const side = (factor: number) => Array.from({ length: runsPerSide }, () => estimateRun(simulateRun(noise, items, 5, factor), 'median'));
      const baseline = side(1);
      const current = side(slowdown);
      const result = compareRuns({ profile: 'cpu', labels: 3 }, baseline, current, { baseline: 50, current: 50 }, { ...SETTINGS, runNoise: 0.08 });
      if (result.verdict === 'regression') count += 1;
    }
    return count;
  }
  it('one run a side: unchanged runs flagged in at most 5%', () => {
    expect(regressions(1, 1)).toBeLessThanOrEqual(TRIALS * 0.05);
  });
  it('four runs a side: unchanged runs flagged in at most 5%, a 25% slowdown caught in at least 90%', () => {
    expect(regressions(1, 4)).toBeLessThanOrEqual(TRIALS * 0.05);
    expect(regressions(1.25, 4)).toBeGreaterThanOrEqual(TRIALS * 0.9);
  });
});
