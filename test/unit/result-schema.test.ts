import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseResultCsv } from '../../src/compare/read-results.js';
import { formatSamplesCsv, formatSummaryCsv } from '../../src/runner/results-csv.js';
import { parseCsvTable, readRows } from '../../src/io/csv-table.js';
import { MIB, type ColumnSpec } from '../../src/schema/csv.js';
import { SAMPLES_CSV, SUMMARY_CSV, type ProcessSample, type SampleContext, type SummaryRow } from '../../src/schema/results.js';
import { summaryRow } from '../helpers/result-row.js';

const summary = summaryRow();

const context: SampleContext = { profile: 'cpu', host: 'vm', timestamp: '2026-11-25T00:26:57.018Z', actualProvider: 'cpu', precision: 'fp32' };
const samples: ProcessSample[] = [
  { labelCount: 3, itemId: 'thn-001', repeat: 0, process: 1, totalMs: 332.264, inferenceMs: 331.636, tokenizeMs: 0.607, runs: 1, gflop: 69.8123, predicted: '体育', gold: '体育', scores: '体育:0.964663156|财经:0.0176684220|科技:0.0176684220' },
  { labelCount: 5, itemId: 'id,with,commas', repeat: 4, process: 2, totalMs: 1, inferenceMs: 0.5, tokenizeMs: 0, runs: 5, gflop: Number.NaN, predicted: '娱乐', gold: '房产', scores: '' },
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
      [SUMMARY_CSV, join('results', 'baseline', 'cpu-vm-20261204T144252Z.csv')],
      [SAMPLES_CSV, join('results', 'baseline', 'cpu-vm-20261204T144252Z-samples.csv')],
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
    expect(() => parseResultCsv(text, 'r.csv')).toThrow("r.csv:3: column mean_ms: expected a number above 0 up to 86400000, got 'fast'");
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
    expect(parsed.samples).toEqual(samples.map((sample) => ({ ...sample, ...context, schemaVersion: 2, kind: 'samples', correct: sample.predicted === sample.gold })));
  });
});
