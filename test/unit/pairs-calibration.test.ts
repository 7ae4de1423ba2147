import { describe, expect, it } from 'vitest';
import { runSizes } from '../../src/core/classifier.js';
import { calibratePairsPerRun, calibrationSizes, choosePairsPerRun, perPairCost } from '../../src/runner/pairs-calibration.js';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('runSizes', () => {
  it('splits into balanced runs of at most N, all pairs in one run without N', () => {
    expect(runSizes(20, undefined)).toEqual([20]);
    expect(runSizes(20, 8)).toEqual([7, 7, 6]);
    expect(runSizes(5, 1)).toEqual([1, 1, 1, 1, 1]);
    expect(runSizes(3, 10)).toEqual([3]);
    expect(() => runSizes(3, 0)).toThrow('pairsPerRun: expected a positive integer, got 0');
  });
});

describe('calibration sizes', () => {
  it('powers of two not too close to the largest count, then the count', () => {
    expect(calibrationSizes(20)).toEqual([1, 2, 4, 8, 20]);
    expect(calibrationSizes(3)).toEqual([1, 2, 3]);
    expect(calibrationSizes(1)).toEqual([1]);
    expect(calibrationSizes(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });
});

describe('choosing pairs per run', () => {
  const costs = (entries: Array<[number, number]>) => new Map(entries);
  it('interpolates per-pair cost linearly between measured sizes, flat outside', () => {
    const measured = costs([[1, 100], [4, 70], [20, 90]]);
    expect(perPairCost(measured, 1)).toBe(100);
    expect(perPairCost(measured, 2)).toBe(90);
    expect(perPairCost(measured, 12)).toBe(80);
    expect(perPairCost(measured, 40)).toBe(90);
  });
  it('GPU-like costs (big runs far cheaper per pair): all pairs of the largest count', () => {
    expect(choosePairsPerRun(costs([[1, 10], [2, 5.5], [4, 3], [8, 1.8], [20, 1]]), [3, 5, 10, 20])).toBe(20);
  });
  it('one-thread CPU-like costs (a U shape): the size at the bottom, so 20 labels run as 2 x 10', () => {
    expect(choosePairsPerRun(costs([[1, 160], [2, 156], [4, 153], [8, 140], [20, 170]]), [3, 5, 10, 20])).toBe(10);
  });
  it('one pair per run when that is cheapest per pair', () => {
    expect(choosePairsPerRun(costs([[1, 100], [2, 120], [4, 130], [8, 140], [20, 150]]), [3, 5, 10, 20])).toBe(1);
  });
  it('all pairs per run unless a split is predicted more than 3% faster', () => {
    expect(choosePairsPerRun(costs([[1, 100], [2, 98], [4, 98]]), [4])).toBe(4);
    expect(choosePairsPerRun(costs([[1, 100], [2, 95], [4, 100]]), [4])).toBe(2);
  });
  it('flat costs: the largest size (fewest runs)', () => {
    expect(choosePairsPerRun(costs([[1, 100], [2, 100], [3, 100]]), [3])).toBe(3);
  });
});

describe('calibratePairsPerRun and Ctrl-C', () => {
  it('stops at the next timed run once the signal aborts, without caching a partial measurement', async () => {
    const abort = new AbortController();
    let runs = 0;
    const dir = mkdtempSync(join(tmpdir(), 'zsc-calibration-'));
    const onnxFile = join(dir, 'model.onnx');
    writeFileSync(onnxFile, 'stand-in');
    const cacheFile = join(dir, 'pairs.json');
    const classifier = {
      model: { onnxFile, precision: 'fp32' },
      provider: 'cpu',
      intraOpThreads: 1,
      encode: (_text: string, labels: readonly string[]) => ({ batch: { rows: labels.length, sequence: 8 } }),
      run: async () => {
        runs += 1;
        if (runs === 3) abort.abort();
        return new Float32Array(0);
      },
    };
    await expect(
      calibratePairsPerRun(classifier as never, { text: 't', labels: ['a', 'b', 'c', 'd'], labelCounts: [4], template: '{}', cacheFile, signal: abort.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(runs).toBe(3);
    expect(existsSync(cacheFile)).toBe(false);
  });
});
