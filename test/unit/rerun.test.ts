import { describe, expect, it } from 'vitest';
import { chooseRerunSpread, MIN_EARLIER_RUNS, rerunInterval } from '../../src/stats/rerun.js';
import { compareRunSets } from '../../src/stats/clustered.js';
import { mulberry32 } from '../../src/stats/random.js';
import { gaussian, itemCosts, machine, REAL_MACHINE, simulateRun } from '../helpers/noise.js';

// t quantiles from scipy.stats.t.ppf: t(0.975, 2) = 4.302652729911275, t(0.975, 3) = 3.182446305284263,
// t(0.95, 4) = 2.1318467863266504. Expected bounds: current * exp(±t * sd(ln earlier runs) * sqrt(2)),
// sd by Python's statistics.stdev.

describe('rerunInterval', () => {
  it('needs three earlier runs: below that it says how many there are', () => {
    expect(MIN_EARLIER_RUNS).toBe(3);
    expect(rerunInterval(100, [])).toEqual({ state: 'too-few-runs', earlierRuns: 0 });
    expect(rerunInterval(100, [90, 110])).toEqual({ state: 'too-few-runs', earlierRuns: 2 });
  });

  it('is centred on this run, t(df = earlier runs - 1) times the earlier runs\' ln spread times sqrt 2 wide', () => {
    const three = rerunInterval(100, [90, 110, 100]);
    expect(three.state).toBe('interval');
    if (three.state !== 'interval') return;
    expect(three.earlierRuns).toBe(3);
    expect(three.df).toBe(2);
    expect(three.sdLog).toBeCloseTo(0.10037728548770339, 12);
    expect(three.low).toBeCloseTo(54.29257452006856, 6);
    expect(three.high).toBeCloseTo(184.18725006867427, 6);
    const four = rerunInterval(200, [180, 220, 210, 200]);
    if (four.state !== 'interval') throw new Error('expected an interval');
    expect(four.df).toBe(3);
    expect(four.sdLog).toBeCloseTo(0.08600417660247482, 12);
    expect(four.low).toBeCloseTo(135.80797216735965, 6);
    expect(four.high).toBeCloseTo(294.53351936296474, 6);
  });

  it('leaves this run out of the spread: a run far from the earlier ones does not widen its own interval', () => {
    const steady = rerunInterval(100, [100, 101, 99]);
    const jumped = rerunInterval(150, [100, 101, 99]);
    if (steady.state !== 'interval' || jumped.state !== 'interval') throw new Error('expected intervals');
    expect(jumped.sdLog).toBe(steady.sdLog);
    expect(jumped.high).toBeLessThan(100 * 2);
    expect(jumped.low).toBeGreaterThan(101);
  });

  it('is positive and symmetric on the log scale however wide', () => {
    const wide = rerunInterval(10, [1, 100, 10]);
    if (wide.state !== 'interval') throw new Error('expected an interval');
    expect(wide.low).toBeGreaterThan(0);
    expect(wide.low * wide.high).toBeCloseTo(100, 6);
  });

  it('is a point when every run gave the same value', () => {
    expect(rerunInterval(50, [50, 50, 50])).toMatchObject({ state: 'interval', sdLog: 0, low: 50, high: 50 });
  });
});

describe('chooseRerunSpread', () => {
  it('takes the baseline\'s spread, else the current run\'s, and ignores spreads from fewer than three runs', () => {
    expect(chooseRerunSpread(undefined, undefined)).toBeUndefined();
    expect(chooseRerunSpread({ sdLog: 0.5, df: 1 }, undefined)).toBeUndefined();
    expect(chooseRerunSpread({ sdLog: 0.1, df: 2 }, { sdLog: 0.2, df: 9 })).toEqual({ sdLog: 0.1, df: 2 });
    expect(chooseRerunSpread({ sdLog: 0.1, df: 1 }, { sdLog: 0.2, df: 4 })).toEqual({ sdLog: 0.2, df: 4 });
    expect(chooseRerunSpread({ sdLog: Number.NaN, df: 9 }, { sdLog: 0.2, df: 2 })).toEqual({ sdLog: 0.2, df: 2 });
  });
});

describe('compareRunSets with a recorded rerun spread', () => {
  const options = { alpha: 0.05, threshold: 0.1, runNoise: Math.log(1.08) };
  const se = 0.1 * Math.SQRT2;
  const q = 2.1318467863266504;
  const run = (logValue: number, rerunSpread?: { sdLog: number; df: number }) => ({ logValue, withinSe: 0.01, blocks: 5, unit: 'process' as const, ...(rerunSpread !== undefined ? { rerunSpread } : {}) });

  it('one run a side: the spread between earlier runs, twice a run\'s variance, with their df', () => {
    // A difference of exactly t(0.95, 4) standard errors: p (slower) is alpha.
    const difference = q * se;
    const result = compareRunSets([run(Math.log(100), { sdLog: 0.1, df: 4 })], [run(Math.log(100) + difference)], options);
    expect(result.method).toBe('history');
    expect(result.df).toBe(4);
    expect(result.standardError).toBeCloseTo(se, 12);
    expect(result.pSlower).toBeCloseTo(0.05, 8);
    expect(result.interval[0]).toBeCloseTo(1, 8);
    expect(result.interval[1]).toBeCloseTo(Math.exp(2 * difference), 8);
  });

  it('without a usable recorded spread, one run a side falls back to the processes and the assumed noise', () => {
    const result = compareRunSets([run(Math.log(100), { sdLog: 0.1, df: 1 })], [run(Math.log(110))], options);
    expect(result.method).toBe('processes');
  });

  it('several runs a side measure the spread themselves: a recorded one is not used', () => {
    const result = compareRunSets([run(Math.log(100), { sdLog: 0.1, df: 9 }), run(Math.log(104))], [run(Math.log(110))], options);
    expect(result.method).toBe('between-runs');
  });
});

describe('rerun intervals on drifting runs (simulation)', () => {
  it('hold the next run about as often as they claim when run levels drift from run to run', () => {
    // Run levels as measured by bench:rerun: sd about 0.1 in ln units, and correlated from one run
    // to the next (neighbouring rounds were fast or slow together): AR(1) with phi 0.5 across runs,
    // on top of the correlated, drifting samples inside each run.
    const trials = 300;
    const runsPerTrial = 8;
    const z = gaussian(mulberry32(7));
    const items = itemCosts(10, 3);
    let hits = 0;
    let cases = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const noise = machine(1000 + trial, REAL_MACHINE);
      let level = z() * 0.1;
      const means: number[] = [];
      for (let run = 0; run < runsPerTrial; run += 1) {
        level = 0.5 * level + Math.sqrt(1 - 0.25) * 0.1 * z();
        const samples = simulateRun(noise, items, 5, Math.exp(level));
        means.push(samples.reduce((sum, sample) => sum + sample.totalMs, 0) / samples.length);
      }
      for (let run = MIN_EARLIER_RUNS; run < runsPerTrial - 1; run += 1) {
        const interval = rerunInterval(means[run] as number, means.slice(0, run));
        if (interval.state !== 'interval') throw new Error('expected an interval');
        const next = means[run + 1] as number;
        cases += 1;
        if (interval.low <= next && next <= interval.high) hits += 1;
      }
    }
    const coverage = hits / cases;
    expect(cases).toBe(trials * (runsPerTrial - MIN_EARLIER_RUNS - 1));
    // Claimed 95%; 0.962-0.965 with seeds 7 to 10. On real runs (bench:rerun) intervals from inside one run held 7-33%.
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.995);
  });
});
