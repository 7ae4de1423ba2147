import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseResultCsv } from '../../src/compare/read-results.js';
import { formatSamplesCsv, formatSummaryCsv } from '../../src/runner/results-csv.js';
import { parseCsvTable, readRows } from '../../src/io/csv-table.js';
import { MIB, type ColumnSpec } from '../../src/schema/csv.js';
import { SAMPLES_CSV, SUMMARY_CSV, type Sample, type SampleContext, type SummaryRow } from '../../src/schema/results.js';

/** Every field set, with values the file holds exactly (so reading back must give them unchanged). */
const summary: SummaryRow = {
  schemaVersion: 2, toolVersion: '0.1.0', gitCommit: 'abc123', timestamp: '2026-11-25T00:26:57.018Z', profile: 'cpu', profileHash: 'f'.repeat(64),
  host: 'vm', os: 'linux 6.1', arch: 'x64', cpuModel: 'Xeon, "quoted"', cpuCores: 2, cpuFlags: 'avx avx2', ramBytes: 23999.5 * MIB,
  gpuModel: '', gpuDriver: '', cudaVersion: '', nodeVersion: 'v20.20.0', onnxruntimeVersion: '1.30.0', requestedProvider: 'cuda',
  actualProvider: 'cpu', providerTimeShares: 'cpu 100.0%', providerNodeShares: 'cpu 100.0%', labelPool: '体育|财经', ciBlocks: 5, fallback: true, fallbackReason: 'cuda unavailable\nsecond line', precision: 'int8', modelId: 'synthetic:structbert-base',
  modelSha256: 'a'.repeat(64), synthetic: true, dataset: 'datasets/x.csv', datasetHash: 'd'.repeat(64), template: '这是一篇关于{}的新闻。',
  intraOpThreads: 2, threadsReason: 'auto: 2 physical cores', pairsPerRunSetting: 'auto', pairsPerRunCalibration: '1:151.2 3:149.8', interOpThreads: undefined, graphOptimizationLevel: 'all', platformMatch: false, items: 10, repeats: 5, warmup: 2,
  labels: 3, pairsPerRun: 3, samples: 50, meanMs: 101.125, stdMs: 3.5, minMs: 95.001, p50Ms: 100.5, p90Ms: 104.25, p95Ms: 105.75, p99Ms: 110.125, maxMs: 111,
  meanCi95LowMs: 100.25, meanCi95HighMs: 102, medianCi95LowMs: 99.5, medianCi95HighMs: 101.5, itemsPerSecond: 9.8765, pairsPerSecond: 29.6295,
  rssAfterLoadBytes: 400.5 * MIB, peakRssBytes: 812.5 * MIB, gpuMemoryMiB: 1234, cpuPercentOneCore: 190.25, cpuPercentAllCores: 95.13,
  modelLoadMs: 1500.5, firstInferenceMs: 120.125, accuracy: 0.5, accuracyMeaningful: false, harnessOverheadPercent: 0.35,
  increaseVsMinLabelsPercent: 0, fitMsPerLabel: 50.5, fitInterceptMs: -49.75, fitR2: 0.9999, costPerHour: 1.006,
  scenario: 'single-stream+offline', offlineItemsPerSecond: 12.3456, offlinePairsPerSecond: 37.0368, offlineBestBatchItems: 4, offlineByBatch: '1:10.00 4:12.35',
  gflopPerItem: 69.812, achievedGflopPerS: 180.25, peakGflopPerS: 193.5, peakProbe: 'matmul 512x1024x4096 fp32, cpu, 2 thread(s), best of 8, 2026-12-02', mfuPercent: 93.15,
  cpuMhzMin: 2400, cpuMhzMax: 3100, maxTempC: 61.5, throttled: false, throttleReason: '', passMeansMs: '101.1 100.9 101.4', driftPercent: 0.25, driftNoisePercent: 1.5, driftBeyondNoise: false,
  energyJoulesPer1000: 812.25, energySource: 'rapl', parityReference: 'models/x/onnx/model.onnx', parityWeights: 'synthetic', parityItems: 10, parityFlipPercent: 10,
  parityMeanAbsDiff: 0.001234, parityMaxAbsDiff: 0.012345, batchCompositionItems: 8, batchCompositionFlipPercent: 0, batchCompositionMaxAbsDiff: 0.000123,
};

const context: SampleContext = { profile: 'cpu', host: 'vm', timestamp: '2026-11-25T00:26:57.018Z', actualProvider: 'cpu', precision: 'fp32' };
const samples: Sample[] = [
  { labelCount: 3, itemId: 'thn-001', repeat: 0, totalMs: 332.264, inferenceMs: 331.636, tokenizeMs: 0.607, runs: 1, gflop: 69.8123, predicted: '体育', gold: '体育' },
  { labelCount: 5, itemId: 'id,with,commas', repeat: 4, totalMs: 1, inferenceMs: 0.5, tokenizeMs: 0, runs: 5, gflop: Number.NaN, predicted: '娱乐', gold: '房产' },
];

describe('summary CSV schema', () => {
  it('reads back every row as it was written', () => {
    const second: SummaryRow = { ...summary, labels: 5, gpuMemoryMiB: undefined, interOpThreads: 1, costPerHour: undefined, accuracy: Number.NaN, fitR2: Number.NaN, throttled: undefined, offlineBestBatchItems: undefined, parityItems: undefined, mfuPercent: Number.NaN, peakGflopPerS: undefined };
    const parsed = parseResultCsv(formatSummaryCsv([summary, second]), 'r.csv');
    expect(parsed.kind).toBe('summary');
    if (parsed.kind !== 'summary') return;
    expect(parsed.rows.map(({ cells: _cells, ...row }) => row)).toEqual([
      // A row's line is the one it ends on: the quoted newline in fallback_reason makes each row two lines long.
      { ...summary, file: 'r.csv', line: 3 },
      { ...second, file: 'r.csv', line: 5 },
    ]);
  });

  it('rounds as the file does: milliseconds to 3 decimals, rates to 4, memory to 0.1 MiB', () => {
    const parsed = parseResultCsv(formatSummaryCsv([{ ...summary, meanMs: 101.12345, itemsPerSecond: 9.876543, peakRssBytes: 812.3456 * MIB }]), 'r.csv');
    if (parsed.kind !== 'summary') throw new Error(parsed.kind);
    expect(parsed.rows[0]).toMatchObject({ meanMs: 101.123, itemsPerSecond: 9.8765, peakRssBytes: 812.3 * MIB });
  });

  it('writes back the committed baseline result cell for cell, in both files', () => {
    // The baseline predates some optional columns (MFU, offline, parity...): the ones it has come back unchanged.
    const files = [
      [SUMMARY_CSV, join('results', 'baseline', 'cpu-vm-20261202T005811Z.csv')],
      [SAMPLES_CSV, join('results', 'baseline', 'cpu-vm-20261202T005811Z-samples.csv')],
    ] as const;
    for (const [kind, path] of files) {
      const original = parseCsvTable(readFileSync(path, 'utf8'), path, [], 'x');
      const rows = readRows(kind as typeof SUMMARY_CSV, original, path);
      let compared = 0;
      rows.forEach((row, index) => {
        for (const [field, spec] of Object.entries<ColumnSpec<unknown>>(kind.columns)) {
          const cell = original.records[index]?.cells[spec.name];
          if (cell === undefined) continue;
          expect([spec.name, z.encode(spec.cell, (row as Record<string, unknown>)[field])]).toEqual([spec.name, cell]);
          compared += 1;
        }
      });
      expect(compared).toBe(original.columns.length * rows.length);
    }
  });

  it('refuses a bad cell naming file, line, column and what was expected', () => {
    const text = formatSummaryCsv([summary]).replace(',101.125,', ',fast,');
    expect(() => parseResultCsv(text, 'r.csv')).toThrow("r.csv:3: column mean_ms: expected a number, got 'fast'");
    expect(() => parseResultCsv(formatSummaryCsv([summary]).replace(',true,"cuda unavailable', ',yes,"cuda unavailable'), 'r.csv')).toThrow("r.csv:3: column fallback: expected true or false, got 'yes'");
  });

  it('reads a file without the columns that are optional when read', () => {
    const header = SUMMARY_CSV.requiredNames;
    const full = parseCsvTable(formatSummaryCsv([summary]), 'r.csv', [], 'x').records[0]?.cells ?? {};
    const text = `${header.join(',')}\n${header.map((name) => JSON.stringify(full[name] ?? '')).join(',')}\n`;
    const parsed = parseResultCsv(text, 'old.csv');
    if (parsed.kind !== 'summary') throw new Error(parsed.kind);
    expect(parsed.rows[0]?.cpuModel).toBeUndefined();
    expect(parsed.rows[0]?.meanMs).toBe(101.125);
  });
});

describe('samples CSV schema', () => {
  it('reads back every row as it was written', () => {
    const parsed = parseResultCsv(formatSamplesCsv(samples, context), 's.csv');
    expect(parsed.kind).toBe('samples');
    if (parsed.kind !== 'samples') return;
    expect(parsed.samples).toEqual(samples.map((sample) => ({ ...sample, ...context, schemaVersion: 2, correct: sample.predicted === sample.gold })));
  });
});
