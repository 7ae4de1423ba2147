import { describe, expect, it } from 'vitest';
import { blocksOf, compareRunSets, pairedRatio, runEstimate } from '../../src/stats/clustered.js';
import { medianOfSorted as median } from '../../src/stats/statistics.js';
import { mulberry32 } from '../../src/stats/random.js';
import { gaussian, lag1, machine, REAL_MACHINE } from '../helpers/noise.js';

// Reference values from scipy 1.17 / numpy 2.4 (stats.t, stats.norm, ttest_ind, ttest_1samp).

describe('blocksOf', () => {
  it('uses the passes when there are two or more, in pass order', () => {
    const samples = [{ pass: 1, ms: 3 }, { pass: 0, ms: 1 }, { pass: 1, ms: 4 }, { pass: 0, ms: 2 }];
    expect(blocksOf(samples)).toEqual([[1, 2], [3, 4]]);
  });
  it('falls back to runs of consecutive samples with one pass', () => {
    const samples = [1, 2, 3, 4, 5, 6, 7].map((ms) => ({ pass: 0, ms }));
    expect(blocksOf(samples, 3)).toEqual([[1, 2, 3], [4, 5], [6, 7]]);
    expect(blocksOf(samples.slice(0, 2), 5)).toEqual([[1], [2]]);
  });
});

describe('runEstimate', () => {
  it('is the ln statistic of the whole run, with the standard error of its ln block statistics', () => {
    const estimate = runEstimate([[10, 12, 11, 30], [13, 15, 14, 12], [9, 10, 11, 10]], median);
    expect(estimate.logValue).toBeCloseTo(2.4423470353692043, 12);
    expect(estimate.withinSe).toBeCloseTo(0.0867006127042915, 12);
    expect(estimate.blocks).toBe(3);
  });
});

describe('compareRunSets', () => {
  const run = (ms: number, withinSe = Number.NaN) => ({ logValue: Math.log(ms), withinSe, blocks: 5 });
  const options = { alpha: 0.05, threshold: 0.1, runNoise: Math.log(1.08) };

  it('several runs: a pooled two-sample t on the runs\' ln levels (scipy ttest_ind, equal_var)', () => {
    const result = compareRunSets([run(100), run(104), run(98)], [run(120), run(125), run(118), run(121)], options);
    expect(result.method).toBe('between-runs');
    expect(result.df).toBe(5);
    expect(result.ratio).toBeCloseTo(1.2020887170725556, 12);
    expect(result.pSlower).toBeCloseTo(0.00014111403268358868, 9);
    expect(result.standardError).toBeCloseTo(0.02044429559836145, 12);
    expect(result.interval[0]).toBeCloseTo(1.1535733626822675, 8);
    expect(result.interval[1]).toBeCloseTo(1.2526444615132366, 8);
    expect(result.detectableRatio).toBeCloseTo(1.1208749712754809, 8);
  });

  it('one run a side: the run noise is added to the runs\' own errors, normal reference', () => {
    const result = compareRunSets([run(100, 0.02)], [run(112, 0.03)], options);
    expect(result.method).toBe('allowance');
    expect(result.df).toBe(Number.POSITIVE_INFINITY);
    expect(result.standardError).toBeCloseTo(0.11465602341575297, 12);
    expect(result.pSlower).toBeCloseTo(0.16147268991869168, 9);
    expect(result.interval[0]).toBeCloseTo(0.9274988812875677, 8);
    expect(result.interval[1]).toBeCloseTo(1.3524544614637417, 8);
    expect(result.detectableRatio).toBeCloseTo(1.3298808075456494, 8);
  });

  it('identical runs give ratio 1 and no evidence either way', () => {
    const result = compareRunSets([run(100), run(100)], [run(100), run(100)], options);
    expect(result.ratio).toBe(1);
    expect(result.pSlower).toBe(1);
    expect(result.pFaster).toBe(1);
  });
});

describe('pairedRatio', () => {
  it('a t interval over the pass pairs\' ln ratios (scipy ttest_1samp)', () => {
    const a = [110, 112, 108, 115, 109];
    const b = [100, 101, 99, 103, 100];
    const result = pairedRatio(a.map((value, index) => ({ a: value, b: b[index] ?? 0 })), 0.95);
    expect(result.ratio).toBeCloseTo(1.101217239683225, 12);
    expect(result.interval[0]).toBeCloseTo(1.087081620387377, 8);
    expect(result.interval[1]).toBeCloseTo(1.1155366682985661, 8);
    expect(result.pSlower).toBeCloseTo(1.602613746580301e-5, 9);
  });
});

// Coverage on machine-like noise: AR(1) between consecutive samples, slow drift, run levels.
describe('interleaved pass pairs cover the true ratio on drifting, correlated noise', () => {
  const TRIALS = 1000;
  const ITEMS = 10;
  const PAIRS = 6;
  const TRUE_RATIO = 1.3;

  it('the simulated noise has the lag-1 correlation real runs show (0.6-0.8)', () => {
    const noise = machine(7, REAL_MACHINE);
    noise.newRun();
    const series = Array.from({ length: 2000 }, () => Math.log(noise.next()));
    const correlation = lag1(series);
    expect(correlation).toBeGreaterThan(0.6);
    expect(correlation).toBeLessThan(0.85);
  });

  it('A B B A order, t over pairs: 95% intervals cover the true ratio in 93-97% of 1000 trials', () => {
    const items = Array.from({ length: ITEMS }, (_, index) => 100 * Math.exp(0.2 * Math.sin(index + 1)));
    let covered = 0;
    let coveredNaive = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const noise = machine(1000 + trial, REAL_MACHINE);
      noise.newRun();
      const pass = (factor: number) => items.map((cost) => cost * factor * noise.next());
      const pairs: Array<{ a: number; b: number }> = [];
      const allA: number[] = [];
      const allB: number[] = [];
      for (let k = 0; k < PAIRS; k += 1) {
        const [first, second] = k % 2 === 0 ? [pass(TRUE_RATIO), pass(1)] : [pass(1), pass(TRUE_RATIO)];
        const a = k % 2 === 0 ? first : second;
        const b = k % 2 === 0 ? second : first;
        allA.push(...a);
        allB.push(...b);
        pairs.push({ a: a.reduce((sum, value) => sum + value, 0) / ITEMS, b: b.reduce((sum, value) => sum + value, 0) / ITEMS });
      }
      const result = pairedRatio(pairs, 0.95);
      if (result.interval[0] <= TRUE_RATIO && TRUE_RATIO <= result.interval[1]) covered += 1;
      // The naive interval treats every sample as independent (Welch on ln samples): too narrow here.
      const logs = (values: number[]) => values.map(Math.log);
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      const variance = (values: number[]) => values.reduce((sum, value) => sum + (value - mean(values)) ** 2, 0) / (values.length - 1);
      const la = logs(allA);
      const lb = logs(allB);
      const half = 1.96 * Math.sqrt(variance(la) / la.length + variance(lb) / lb.length);
      const centre = Math.log(mean(allA) / mean(allB));
      if (Math.abs(centre - Math.log(TRUE_RATIO)) <= half) coveredNaive += 1;
    }
    console.log(`coverage ${covered / TRIALS}, naive ${coveredNaive / TRIALS}`);
    expect(covered / TRIALS).toBeGreaterThanOrEqual(0.93);
    expect(covered / TRIALS).toBeLessThanOrEqual(0.97);
    // Not a requirement, a contrast: what the independent-sample view would claim.
    expect(coveredNaive).toBeGreaterThan(0);
  });
});

describe('the check on run levels keeps its false-alarm rate on machine-like noise', () => {
  it('4 runs against 4 unchanged runs: significance near alpha, regressions (both conditions) under 5% over 500 trials; a 25% slowdown caught in 90%', () => {
    const z = gaussian(mulberry32(99));
    const levels = (count: number, shift: number) =>
      Array.from({ length: count }, () => ({ logValue: Math.log(100) + shift + REAL_MACHINE.runSd * z() + 0.03 * z(), withinSe: 0.03, blocks: 5 }));
    let significant = 0;
    let falseAlarms = 0;
    let caught = 0;
    const options = { alpha: 0.05, threshold: 0.1, runNoise: Math.log(1.08) };
    for (let trial = 0; trial < 500; trial += 1) {
      const unchanged = compareRunSets(levels(4, 0), levels(4, 0), options);
      if (unchanged.pSlower < 0.05) significant += 1;
      if (unchanged.pSlower < 0.05 && unchanged.ratio > 1.1) falseAlarms += 1;
      const slowed = compareRunSets(levels(4, 0), levels(4, Math.log(1.25)), options);
      if (slowed.pSlower < 0.05 && slowed.ratio > 1.1) caught += 1;
    }
    // The evidence condition alone errs at its nominal rate (binomial spread of 500 trials: +-2%).
    expect(significant / 500).toBeLessThanOrEqual(0.07);
    expect(falseAlarms / 500).toBeLessThanOrEqual(0.05);
    expect(caught / 500).toBeGreaterThanOrEqual(0.9);
  });
});
