import { describe, expect, it } from 'vitest';
import { mergeMeasurements, splitRepeats, type ProcessResult } from '../../src/runner/processes.js';
import { intervalUnitsNote, type Run } from '../../src/compare/runs.js';
import type { LabelCountMeasurement } from '../../src/runner/runner.js';

describe('splitRepeats', () => {
  it('spreads the passes evenly, the first processes taking the remainder', () => {
    expect(splitRepeats(5, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(splitRepeats(7, 3)).toEqual([3, 2, 2]);
    expect(splitRepeats(6, 1)).toEqual([6]);
  });
  it('never more processes than passes', () => {
    expect(splitRepeats(2, 5)).toEqual([1, 1]);
    expect(splitRepeats(1, 64)).toEqual([1]);
  });
});

describe('mergeMeasurements', () => {
  const measurement = (labelCount: number, process: number, ms: number, extra: Partial<LabelCountMeasurement> = {}): LabelCountMeasurement => ({
    labelCount,
    samples: [{ labelCount, itemId: 'a', repeat: process - 1, process, totalMs: ms, inferenceMs: ms, tokenizeMs: 0, runs: 1, gflop: 1, predicted: 'x', gold: 'x', scores: '' }],
    offline: [],
    startedAtMs: 1000 * process,
    endedAtMs: 1000 * process + 500,
    hardware: [],
    wallMs: 500,
    cpuUserMs: 400,
    cpuSystemMs: 50,
    peakRssBytes: 100 * process,
    raplJoules: 2,
    ...extra,
  });
  const result = (process: number, measurements: LabelCountMeasurement[]): ProcessResult => ({ process, modelLoadMs: 10, firstInferenceMs: 5, rssAfterLoadBytes: 1, peakRssAfterLoadBytes: 2, measurements });
  it('one measurement per label count: samples in process order, times summed, the largest peak, energy only where every process read it', () => {
    const merged = mergeMeasurements([result(1, [measurement(3, 1, 10), measurement(5, 1, 20)]), result(2, [measurement(3, 2, 12), measurement(5, 2, 22, { raplJoules: undefined })])]);
    expect(merged.map((entry) => entry.labelCount)).toEqual([3, 5]);
    const [three, five] = merged as [LabelCountMeasurement, LabelCountMeasurement];
    expect(three.samples.map((sample) => [sample.process, sample.repeat, sample.totalMs])).toEqual([[1, 0, 10], [2, 1, 12]]);
    expect(three).toMatchObject({ wallMs: 1000, cpuUserMs: 800, cpuSystemMs: 100, peakRssBytes: 200, raplJoules: 4, startedAtMs: 1000, endedAtMs: 2500 });
    expect(five.raplJoules).toBeUndefined();
  });
});

describe('intervalUnitsNote', () => {
  const run = (ciUnit: 'process' | 'pass' | undefined) => ({ file: 'x.csv', profile: 'cpu', host: 'vm', timestamp: '', rows: [{ ciUnit }], pooled: 1 }) as unknown as Run;
  it('says what the intervals are over when a run has processes', () => {
    expect(intervalUnitsNote([run('process'), run('pass'), run(undefined)])).toBe("95% intervals (ci_unit): over passes in 2 run(s), over processes in 1 run(s); intervals over processes come nearest to a rerun, but miss the machine's drift between runs; the rerun_* columns, from earlier runs of the same command, say where a rerun lands (README: Where a rerun lands)");
  });
  it('says nothing for one-process files', () => {
    expect(intervalUnitsNote([run('pass'), run(undefined)])).toBeUndefined();
  });
});
