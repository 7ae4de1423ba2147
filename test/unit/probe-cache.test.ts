import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busyMachineWarnings, pairRunSets } from '../../src/compare/check.js';
import type { Run } from '../../src/compare/runs.js';
import { parseProcStat, type MachineReading } from '../../src/env/machine-state.js';
import { mfuAbove100Note, runWarnings } from '../../src/format/run-table.js';
import { formatRunNote } from '../../src/format/run-listener.js';
import { calibratePairsPerRun } from '../../src/runner/pairs-calibration.js';
import { resultRow, summaryRow } from '../helpers/result-row.js';

/** Readings that alternate start, end: the window between them had `othersTicks` of 1000 ticks from others. */
function machineReadings(othersTicks: number): () => MachineReading {
  let calls = 0;
  return () => {
    calls += 1;
    const start = calls % 2 === 1;
    return start
      ? { load: { load1: 0.5, load5: 0.5, load15: 0.5 }, ticks: parseProcStat('cpu  0 0 0 0 0 0 0 0\n'), ownCpuMs: 0 }
      : { load: { load1: 0.9, load5: 0.5, load15: 0.5 }, ticks: parseProcStat(`cpu  ${200 + othersTicks} 0 0 ${800 - othersTicks} 0 0 0 0\n`), ownCpuMs: 2000 };
  };
}

function fakeClassifier(): { classifier: never; runs: () => number; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-probe-cache-'));
  const onnxFile = join(dir, 'model.onnx');
  writeFileSync(onnxFile, 'stand-in');
  let runs = 0;
  const classifier = {
    model: { onnxFile, precision: 'fp32' },
    provider: 'cpu',
    intraOpThreads: 1,
    encode: (_text: string, labels: readonly string[]) => ({ batch: { rows: labels.length, sequence: 8 } }),
    run: async () => {
      runs += 1;
      return new Float32Array(0);
    },
  };
  return { classifier: classifier as never, runs: () => runs, dir };
}

const request = { text: 't', labels: ['a', 'b', 'c'], labelCounts: [3], template: '{}', rounds: 1 };

describe('the pairs-per-run calibration knows when it ran', () => {
  it('a busy machine (others 20% of the CPUs): used for this run, not cached, and says why', async () => {
    const { classifier, dir } = fakeClassifier();
    const cacheFile = join(dir, 'pairs.json');
    const result = await calibratePairsPerRun(classifier, { ...request, cacheFile, readMachine: machineReadings(200) });
    expect(result.cached).toBe(false);
    expect(result.notCached).toBe(true);
    expect(result.machine?.busy).toEqual(['other processes 20.0% of the CPUs, above 10%']);
    expect(existsSync(cacheFile)).toBe(false);
  });

  it('a quiet machine: cached with its load and steal; the next run reads it; fresh (--reprobe) measures again', async () => {
    const { classifier, runs, dir } = fakeClassifier();
    const cacheFile = join(dir, 'pairs.json');
    const first = await calibratePairsPerRun(classifier, { ...request, cacheFile, readMachine: machineReadings(0) });
    expect(first.notCached).toBeUndefined();
    const entry = Object.values(JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, { machine: unknown }>)[0];
    expect(entry?.machine).toEqual({ load: 0.9, stealPercent: 0, othersCpuPercent: 0, busy: [] });
    const measuredRuns = runs();
    const second = await calibratePairsPerRun(classifier, { ...request, cacheFile });
    expect(second.cached).toBe(true);
    expect(runs()).toBe(measuredRuns);
    const fresh = await calibratePairsPerRun(classifier, { ...request, cacheFile, fresh: true, readMachine: machineReadings(0) });
    expect(fresh.cached).toBe(false);
    expect(runs()).toBe(2 * measuredRuns);
  });
});

describe('MFU above 100%: the note says which probe was beaten', () => {
  const beaten = (peakProbeSource: string) => [summaryRow({ labels: 3, mfuPercent: 80, peakProbeSource }), summaryRow({ labels: 5, mfuPercent: 121.4, peakProbeSource })];

  it('no note at or below 100%', () => {
    expect(mfuAbove100Note([summaryRow({ mfuPercent: 100 })])).toBeUndefined();
  });

  it('a cached probe, not probed again (the run stopped): blames the cached probe, points at --reprobe', () => {
    expect(mfuAbove100Note(beaten('cached'))).toBe('MFU above 100% (121% at 5 labels): the cached peak probe ran slower than this run (a busy machine?); `run --reprobe` measures it again');
  });

  it("this run's own probe, then probed again and still beaten: says both, and never blames a cache", () => {
    const note = mfuAbove100Note(beaten('measured, re-probed')) ?? '';
    expect(note).toContain('even after probing again after the sweep (the peak probe measured in this run before the model loaded was beaten first)');
    expect(note).not.toContain('cached');
  });
});

describe('check repeats the busy-machine warning of the files it compares', () => {
  it('one sentence per busy run, naming the file and the label counts', () => {
    const run = (file: string, busy: string[]): Run => ({ file, profile: 'cpu', host: 'vm', timestamp: 't', rows: busy.map((machineBusy, index) => resultRow({ file, labels: 3 + 2 * index, machineBusy })) }) as Run;
    expect(busyMachineWarnings('cpu', [run('a.csv', ['', '']), run('b.csv', ['load 2.61 above 2 cores', ''])])).toEqual([
      'cpu: b.csv ran on a busy machine (3 labels: load 2.61 above 2 cores): its figures may be slower for that alone',
    ]);
  });

  it('pairing the runs for check carries the warning', () => {
    const run = (file: string, machineBusy: string): Run => ({ file, profile: 'cpu', host: 'vm', timestamp: file, rows: [resultRow({ file, machineBusy })] }) as Run;
    const { warnings } = pairRunSets([run('base.csv', '')], [run('cur.csv', 'steal 7.5% above 5%')]);
    expect(warnings).toEqual(['cpu: cur.csv ran on a busy machine (3 labels: steal 7.5% above 5%): its figures may be slower for that alone']);
  });
});

describe('what run says about the machine', () => {
  it('a busy label count is a warning that names the reasons', () => {
    expect(runWarnings([summaryRow({ labels: 5, machineBusy: 'load 3.10 above 2 cores' })])).toEqual([
      'the machine was busy at 5 labels (load 3.10 above 2 cores): the figures may be slower for that alone; `check` repeats this',
    ]);
    expect(runWarnings([summaryRow({ machineBusy: '' })])).toEqual([]);
    expect(runWarnings([summaryRow({ machineBusy: '', emulated: 'qemu-aarch64 -cpu cortex-a76' }), summaryRow({ labels: 5, machineBusy: '', emulated: 'qemu-aarch64 -cpu cortex-a76' })])).toEqual([
      "emulated CPU (qemu-aarch64 -cpu cortex-a76): the timings are the emulator's, not the machine's; the answers are the emulated architecture's",
    ]);
  });

  it("a probe measured on a busy machine: the note gives the machine's state and says it was not cached", () => {
    const machine = { load: 3.1, stealPercent: 0, othersCpuPercent: 40, busy: ['load 3.10 above 2 cores', 'other processes 40.0% of the CPUs, above 10%'] };
    const peak = { gflopPerS: 62.2, description: 'matmul 512x1024x4096 fp32, cpu, 2 thread(s), best of 8', provider: 'cpu', intraOpThreads: 2, measuredAt: '2026-12-04T11:00:00.000Z', cached: false, machine, notCached: true };
    expect(formatRunNote({ kind: 'peak', peak })).toBe(
      'peak 62.2 GFLOP/s (matmul 512x1024x4096 fp32, cpu, 2 thread(s), best of 8; measured now; load 3.10, steal 0.0%, others 40.0%; machine busy (load 3.10 above 2 cores, other processes 40.0% of the CPUs, above 10%): used for this run only, not cached)',
    );
    expect(formatRunNote({ kind: 'reprobed', before: { ...peak, cached: true, notCached: undefined, machine: undefined }, after: { ...peak, gflopPerS: 80, machine: { ...machine, busy: [] }, notCached: undefined }, maxMfuPercent: 131.4 })).toBe(
      'MFU 131% with the cached peak probe (2026-12-04): probed again after the sweep, 80.0 GFLOP/s; load 3.10, steal 0.0%, others 40.0%; MFU uses the higher of 62.2 and 80.0',
    );
  });
});
