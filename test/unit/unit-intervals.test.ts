import { describe, expect, it } from 'vitest';
import { compareRunSets, logScaleInterval, unitIntervals, unitsOf } from '../../src/stats/clustered.js';

// Reference values computed once with scipy 1.17.1 / numpy 2.4:
//   c = stat(all values); l = log([stat(unit) for unit in units]); n = len(l)
//   h = stats.t.ppf(0.975, n - 1) * np.std(l, ddof=1) / np.sqrt(n)
//   interval = (exp(log(c) - h), exp(log(c) + h))   with stat = np.mean or np.median.

describe('unitIntervals', () => {
  const passes = [[10, 12, 11, 30], [13, 15, 14, 12], [9, 10, 11, 10]];
  it('the mean and median intervals on the log scale over the units (df = units - 1), as scipy', () => {
    const result = unitIntervals(passes);
    expect(result.units).toBe(3);
    expect(result.meanCi95[0]).toBeCloseTo(7.370584606400673, 9);
    expect(result.meanCi95[1]).toBeCloseTo(23.22388524818813, 9);
    expect(result.medianCi95[0]).toBeCloseTo(7.919312586662422, 9);
    expect(result.medianCi95[1]).toBeCloseTo(16.699681765653914, 9);
  });
  it('stays positive with two far-apart units (t with one df), where a raw-ms t interval went below zero', () => {
    const result = unitIntervals([[400, 420, 380], [900, 1000, 950]]);
    expect(result.meanCi95[0]).toBeCloseTo(2.7712415212031885, 9);
    expect(result.meanCi95[1] / 164411.86973922857).toBeCloseTo(1, 9);
    expect(result.medianCi95[0]).toBeCloseTo(2.709658376287561, 9);
    expect(result.medianCi95[1] / 160758.27263391245).toBeCloseTo(1, 9);
  });
  it('is hierarchical with processes of several passes: one value per process, df = processes - 1', () => {
    // Three processes of two passes each; the process means are 105.5, 121.5 and 98.75 (the means of their pass means).
    const processes = [[[100, 110], [104, 108]], [[120, 118], [122, 126]], [[98, 101], [99, 97]]];
    const samples = processes.flatMap((passesOf, process) => passesOf.flatMap((pass, index) => pass.map((ms) => ({ process: process + 1, pass: process * 2 + index, ms }))));
    const units = unitsOf(samples);
    expect(units.unit).toBe('process');
    expect(units.blocks.map((unit) => unit.reduce((sum, ms) => sum + ms, 0) / unit.length)).toEqual([105.5, 121.5, 98.75]);
    const result = unitIntervals(units.blocks);
    expect(result.units).toBe(3);
    expect(result.meanCi95[0]).toBeCloseTo(83.46603423183429, 9);
    expect(result.meanCi95[1]).toBeCloseTo(141.259140754538, 9);
    expect(result.medianCi95[0]).toBeCloseTo(81.81233374162919, 9);
    expect(result.medianCi95[1]).toBeCloseTo(137.338705377655, 9);
  });
  it('has no interval with one unit', () => {
    const result = unitIntervals([[1, 2, 3]]);
    expect(result.units).toBe(1);
    expect([...result.meanCi95, ...result.medianCi95].every(Number.isNaN)).toBe(true);
  });
});

describe('logScaleInterval', () => {
  it('is empty below two values or with a value that is not positive', () => {
    expect(logScaleInterval([5], 5).every(Number.isNaN)).toBe(true);
    expect(logScaleInterval([5, 0], 5).every(Number.isNaN)).toBe(true);
  });
  it('is the centre alone when the units agree', () => {
    expect(logScaleInterval([4, 4, 4], 4)).toEqual([4, 4]);
  });
});

describe('unitsOf', () => {
  it('uses processes when two or more ran, passes with one, blocks with one pass', () => {
    expect(unitsOf([{ process: 2, pass: 1, ms: 3 }, { process: 1, pass: 0, ms: 1 }, { process: 2, pass: 1, ms: 4 }])).toEqual({ unit: 'process', blocks: [[1], [3, 4]] });
    expect(unitsOf([{ pass: 1, ms: 3 }, { pass: 0, ms: 1 }])).toEqual({ unit: 'pass', blocks: [[1], [3]] });
    expect(unitsOf([1, 2, 3].map((ms) => ({ process: 1, pass: 0, ms })), 3)).toEqual({ unit: 'block', blocks: [[1], [2], [3]] });
  });
});

describe('compareRunSets with processes', () => {
  const options = { alpha: 0.05, threshold: 0.1, runNoise: Math.log(1.08) };
  const run = (ms: number, withinSe: number, unit?: 'process' | 'pass') => ({ logValue: Math.log(ms), withinSe, blocks: 5, ...(unit !== undefined ? { unit } : {}) });
  it('one run a side, five processes each: the spread over processes plus the run noise between runs (Welch over the measured parts, scipy stats.t)', () => {
    // scipy 1.17: total = 0.02**2 + 0.03**2 + 2 * log(1.08)**2; se = sqrt(total);
    // df = total**2 / (0.02**4 / 4 + 0.03**4 / 4); p = stats.t.sf(log(1.12) / se, df);
    // interval = exp(log(1.12) -+ stats.t.ppf(0.95, df) * se).
    const result = compareRunSets([run(100, 0.02, 'process')], [run(112, 0.03, 'process')], options);
    expect(result.method).toBe('processes');
    expect(result.standardError).toBeCloseTo(0.11465602341575297, 12);
    expect(result.df).toBeCloseTo(712.649127527339, 8);
    expect(result.pSlower).toBeCloseTo(0.16164042342985332, 9);
    expect(result.interval[0]).toBeCloseTo(0.9272712308163661, 8);
    expect(result.interval[1]).toBeCloseTo(1.3527864968868184, 8);
  });
  it('keeps the assumed run noise when either side has one process', () => {
    expect(compareRunSets([run(100, 0.02, 'process')], [run(112, 0.03, 'pass')], options).method).toBe('allowance');
  });
});
