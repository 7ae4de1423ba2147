import { describe, expect, it } from 'vitest';
import { candidatesFor, changedFields, decideDimension, describeSettings, flipPercent, screeningScore, violations, type Constraints, type Screening, type TuneSettings } from '../../src/compare/tune.js';
import { tunedProfileDocument } from '../../src/compare/tuned-profile.js';
import type { Tried } from '../../src/compare/tune-run.js';
import type { AbComparison } from '../../src/compare/ab.js';
import { parseMemorySize } from '../../src/shell/parse.js';
import { sessionVariant } from '../../src/core/session.js';

const MIB = 2 ** 20;
const start: TuneSettings = { precision: 'fp32', intraOpThreads: 2, pairsPerRun: 'auto', executionMode: 'sequential', prepacking: true, cpuMemArena: true, memPattern: true, graphOptimizationLevel: 'all' };
const space = { precisions: ['fp32', 'int8'] as const, maxThreads: 2 };
const none: Constraints = { maxFlipPercent: 1, memoryBudgetBytes: undefined, slo: undefined };

const screening = (settings: Partial<TuneSettings>, meanMs: [number, number], extra: Partial<Screening> = {}): Screening => ({
  settings: { ...start, ...settings },
  labelCounts: [
    { labels: 3, meanMs: meanMs[0], sloMs: meanMs[0] * 1.5 },
    { labels: 10, meanMs: meanMs[1], sloMs: meanMs[1] * 1.5 },
  ],
  peakRssBytes: 700 * MIB,
  flipPercent: 0,
  ...extra,
});

describe('tune search space', () => {
  it('changes one dimension at a time, never repeating the current setting', () => {
    expect(candidatesFor('precision', start, space).map((s) => s.precision)).toEqual(['int8']);
    expect(candidatesFor('threads', start, space).map((s) => s.intraOpThreads)).toEqual([1]);
    expect(candidatesFor('pairs/run', start, space).map((s) => s.pairsPerRun)).toEqual(['all', 1, 2]);
    expect(candidatesFor('pairs/run', { ...start, pairsPerRun: 1 }, space).map((s) => s.pairsPerRun)).toEqual(['all', 2]);
    expect(candidatesFor('memory', start, space).map((s) => [s.prepacking, s.cpuMemArena, s.memPattern])).toEqual([
      [false, true, true],
      [true, false, true],
      [true, true, false],
    ]);
    expect(candidatesFor('graph', start, space).map((s) => s.graphOptimizationLevel)).toEqual(['extended', 'basic']);
    expect(candidatesFor('exec mode', start, space).map((s) => s.executionMode)).toEqual(['parallel']);
  });

  it('names a setting by what differs from the start, and lists the changed profile fields', () => {
    const tuned = { ...start, precision: 'int8' as const, intraOpThreads: 1, prepacking: false };
    expect(describeSettings(start, start)).toBe('start');
    expect(describeSettings(tuned, start)).toBe('int8, 1 thr, no prepacking');
    expect(changedFields(start, tuned)).toEqual({ precision: 'int8', intraOpThreads: 1, prepacking: false });
  });
});

describe('tune constraints', () => {
  it('scores a setting by the geometric mean of its label counts', () => {
    expect(screeningScore(screening({}, [100, 400]))).toBeCloseTo(200, 10);
  });

  it('rules out flips above the maximum, a peak above the budget, a missed SLO', () => {
    const constraints: Constraints = { maxFlipPercent: 10, memoryBudgetBytes: 600 * MIB, slo: { text: 'p95<500ms', limitMs: 500, inclusive: false } };
    // p95 450 ms at 10 labels meets p95<500ms.
    expect(violations(screening({}, [100, 300], { flipPercent: 20 }), constraints).map((v) => v.text)).toEqual(['flips 20.0% > --max-flips 10%', 'peak 700.0 MiB > --memory-budget 600.0 MiB']);
    expect(violations(screening({}, [100, 400], { flipPercent: 10, peakRssBytes: 600 * MIB }), constraints).map((v) => v.text)).toEqual(['misses p95<500ms at 10 labels (600 ms)']);
    expect(violations(screening({}, [100, 300], { flipPercent: 10, peakRssBytes: 600 * MIB }), constraints)).toEqual([]);
  });

  it('counts flips against the fp32 answers on the same (label count, item)', () => {
    const reference = new Map([
      ['3|a', '体育'],
      ['3|b', '财经'],
      ['10|a', '体育'],
      ['10|b', '科技'],
    ]);
    expect(flipPercent(reference, new Map([...reference]))).toBe(0);
    expect(flipPercent(reference, new Map([...reference, ['10|b', '财经']]))).toBe(25);
    expect(flipPercent(new Map(), reference)).toBeNaN();
  });
});

describe('tune decisions', () => {
  const current: [Screening, Screening] = [screening({}, [100, 400]), screening({}, [104, 400])];

  it('adopts a candidate only when faster by more than the noise between the two runs of the current setting', () => {
    // The current runs differ by 1.98%: the margin is the 3% floor. 2.2% faster is noise; 10.9% is adopted.
    const noise = decideDimension(current, [screening({ intraOpThreads: 1 }, [98.5, 396])], none);
    expect(noise.margin).toBeCloseTo(0.03, 10);
    expect(noise.winner).toBe(current[1]);
    expect(noise.verdicts[0]?.reason).toBe('2.2% faster, within noise (3.0%)');
    const faster = screening({ intraOpThreads: 1 }, [90, 360]);
    const decided = decideDimension(current, [faster], none);
    expect(decided.winner).toBe(faster);
    expect(decided.verdicts[0]?.reason).toBe('ADOPTED: 10.9% faster (noise 3.0%)');
  });

  it('widens the margin to what the current setting itself moved', () => {
    const noisy: [Screening, Screening] = [screening({}, [100, 400]), screening({}, [120, 480])];
    const decided = decideDimension(noisy, [screening({ intraOpThreads: 1 }, [95, 380])], none);
    expect(decided.margin).toBeCloseTo(0.2, 10);
    expect(decided.winner).toBe(noisy[1]);
  });

  it('never adopts a setting that breaks a constraint, however fast', () => {
    const int8 = screening({ precision: 'int8' }, [30, 120], { flipPercent: 20 });
    const decided = decideDimension(current, [int8], none);
    expect(decided.winner).toBe(current[1]);
    expect(decided.verdicts[0]?.reason).toBe('flips 20.0% > --max-flips 1%');
  });

  it('replaces a current setting over the budget with a feasible one even when slower', () => {
    const budget: Constraints = { ...none, memoryBudgetBytes: 600 * MIB };
    const small = screening({ prepacking: false }, [110, 430], { peakRssBytes: 550 * MIB });
    const decided = decideDimension(current, [small], budget);
    expect(decided.winner).toBe(small);
    expect(decided.verdicts[0]?.reason).toMatch(/^ADOPTED: \d+\.\d% slower; meets the constraints the current setting breaks$/);
  });

  it('moves towards the budget when nothing fits it, never towards more flips', () => {
    const budget: Constraints = { ...none, memoryBudgetBytes: 100 * MIB };
    const smaller = screening({ prepacking: false }, [110, 430], { peakRssBytes: 550 * MIB });
    const flipping = screening({ precision: 'int8' }, [30, 120], { peakRssBytes: 300 * MIB, flipPercent: 50 });
    const decided = decideDimension(current, [flipping, smaller], budget);
    expect(decided.winner).toBe(smaller);
  });
});

describe('the tuned profile file', () => {
  it('extends the start with only the changed fields, each with its screening gain, and the proof', () => {
    const winner = { ...start, precision: 'int8' as const };
    const adopted = screening({ precision: 'int8' }, [50, 200], { peakRssBytes: 300 * MIB });
    const tried: Tried[] = [
      { index: 1, dimension: 'start', role: 'current', description: 'start', screening: screening({}, [150, 600]), verdict: 'the starting profile' },
      { index: 2, dimension: 'precision', role: 'candidate', description: 'int8', screening: adopted, verdict: 'ADOPTED: 66.7% faster (noise 3.0%)' },
    ];
    const proof = [{ labels: 3, ratio: 0.3456, interval: [0.31, 0.38] } as AbComparison];
    const document = tunedProfileDocument({ extendsRef: 'cpu', name: 'cpu-tuned', startName: 'cpu', versus: 'cpu', host: 'vm', date: '2026-12-04', start, winner, tried, proof, proofItems: 10, adoptedFor: undefined });
    expect(document).toEqual({
      extends: 'cpu',
      name: 'cpu-tuned',
      description: 'cpu tuned by zsc-bench tune on vm (2026-12-04): only the fields that changed; "tuned" says what each gained',
      precision: 'int8',
      tuned: {
        precision: 'screening (precision): 66.7% faster (noise 3.0%); peak 300 MiB; flips 0.0%',
        proof: 'A/B against cpu on vm 2026-12-04 (mean latency, tuned/cpu, 10 items per pass): 3 labels 0.346x (95% 0.310-0.380)',
      },
    });
  });
});

describe('parseMemorySize', () => {
  it('reads decimal and binary units', () => {
    expect(parseMemorySize('600MB', '--memory-budget')).toBe(600_000_000);
    expect(parseMemorySize('600 MiB', '--memory-budget')).toBe(600 * MIB);
    expect(parseMemorySize('1.5GB', '--memory-budget')).toBe(1_500_000_000);
  });
  it.each(['0', '0MB', '600', 'lots', '-5MB', '2000GiB'])('refuses %s with one line naming the flag', (value) => {
    expect(() => parseMemorySize(value, '--memory-budget')).toThrow(/^--memory-budget: expected a memory size above 0 such as 600MB/);
  });
});

describe('sessionVariant: what a cached calibration must match besides threads', () => {
  it('is empty for ONNX Runtime defaults, given or left unset, and names every other setting', () => {
    expect(sessionVariant({})).toBe('');
    expect(sessionVariant({ graphOptimizationLevel: 'all', executionMode: 'sequential', memory: { prepacking: true, cpuMemArena: true, memPattern: true } })).toBe('');
    expect(sessionVariant({ graphOptimizationLevel: 'basic', executionMode: 'parallel', memory: { prepacking: false, cpuMemArena: false, memPattern: false } })).toBe('graph=basic,parallel,no-prepacking,no-arena,no-mem-pattern');
  });
});
