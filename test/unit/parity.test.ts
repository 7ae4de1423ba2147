import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parityReferenceDir } from '../../src/model-store/parity-reference.js';
import { compareScores, measureParity } from '../../src/runner/parity.js';
import { testModel } from '../helpers/models.js';

describe('compareScores', () => {
  it('counts top-label flips per item and absolute differences over every score', () => {
    const low = [
      [0.6, 0.3, 0.1],
      [0.2, 0.5, 0.3],
    ];
    const fp32 = [
      [0.5, 0.4, 0.1],
      [0.2, 0.3, 0.5],
    ];
    const result = compareScores(low, fp32);
    expect(result.flipPercent).toBe(50);
    expect(result.items).toBe(2);
    expect(result.meanAbsDiff).toBeCloseTo((0.1 + 0.1 + 0 + 0 + 0.2 + 0.2) / 6, 12);
    expect(result.maxAbsDiff).toBeCloseTo(0.2, 12);
    expect(compareScores(low, low)).toEqual({ flipPercent: 0, meanAbsDiff: 0, maxAbsDiff: 0, items: 2 });
    expect(compareScores([], []).flipPercent).toBeNaN();
  });
});

describe('parityReferenceDir', () => {
  let tiny: string;
  let overlap: string;
  beforeAll(async () => {
    tiny = await testModel('tiny');
    overlap = await testModel('overlap');
  });
  it('defaults to the run\'s own folder when it holds the fp32 file; nothing for an fp32 run', () => {
    expect(parityReferenceDir(tiny, 'int8', undefined)).toBe(tiny);
    expect(parityReferenceDir(tiny, 'fp32', undefined)).toBeUndefined();
    const int8Only = mkdtempSync(join(tmpdir(), 'zsc-int8only-'));
    mkdirSync(join(int8Only, 'onnx'));
    expect(parityReferenceDir(int8Only, 'int8', undefined)).toBeUndefined();
  });
  it('refuses a folder without the fp32 file, of another shape, or an fp32 run, in one line each', () => {
    const empty = mkdtempSync(join(tmpdir(), 'zsc-noref-'));
    writeFileSync(join(empty, 'config.json'), '{}');
    expect(() => parityReferenceDir(tiny, 'int8', empty)).toThrow(`--parity-reference: '${empty}' has no onnx/model.onnx; expected the fp32 file of the same model`);
    expect(() => parityReferenceDir(tiny, 'int8', overlap)).toThrow(
      `--parity-reference: '${overlap}' is another model shape (unknown dimensions, 3 classes (entailment/neutral/contradiction); this run's model: 2 layers, hidden 64, intermediate 128, 3 classes (entailment/neutral/contradiction)); expected the same model at fp32`,
    );
    expect(() => parityReferenceDir(tiny, 'fp32', tiny)).toThrow('--parity-reference: this run is already fp32');
    expect(() => parityReferenceDir(tiny, 'int8', '/nonexistent/x')).toThrow("--parity-reference: no such folder '/nonexistent/x'");
    expect(parityReferenceDir(tiny, 'fp16', tiny)).toBe(tiny);
  });
});

describe('measureParity progress', () => {
  it('reports pairs done of its three passes (alone, in batches, at fp32), from 0 to the total', async () => {
    const result = (labels: readonly string[]) => ({ labels: [...labels], scores: labels.map(() => 1 / labels.length), multiLabel: false, timings: { tokenizeMs: 0, inferenceMs: 1, totalMs: 1, runs: 1 }, runShapes: [] });
    const fake = {
      classify: async (_text: string, labels: readonly string[]) => result(labels),
      classifyMany: async (requests: ReadonlyArray<{ labels: readonly string[] }>) => requests.map((request) => result(request.labels)),
      dispose: async () => undefined,
    };
    const reports: Array<[number, number]> = [];
    const items = [{ id: '1', label: 'a', text: 'x' }, { id: '2', label: 'b', text: 'y' }];
    await measureParity(fake as never, async () => fake as never, { items, labelCounts: [2, 3], labelPool: ['a', 'b', 'c'], template: '{}', seed: 1, pairsPerRun: undefined, batchItems: 8, onProgress: (done, total) => reports.push([done, total]) });
    // 2 items x (2 + 3) labels = 10 pairs per pass, 3 passes: 30. Per label count: alone, batches; then fp32 per count.
    expect(reports).toEqual([[0, 30], [4, 30], [8, 30], [14, 30], [20, 30], [24, 30], [30, 30]]);
  });
});
