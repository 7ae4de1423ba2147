/**
 * Every numeric column of every result kind declares its range (src/schema): values at the
 * bounds are read, values just beyond are refused with the column and the expected range, and
 * numbers are decimal only.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { inRange, parseDecimal, rangeInWords, above, between, wholeIn } from '../../src/schema/csv.js';
import { SUMMARY_CSV, SAMPLES_CSV, LOAD_CSV } from '../../src/schema/results.js';
import { WEBUI_CSV } from '../../src/schema/webui.js';
import { AB_CSV } from '../../src/schema/ab.js';
import type { Columns, CsvKind } from '../../src/schema/csv.js';

/** Reads one column's cell alone, as decodeRecord words its error: 'ok' or the message. */
function read<C extends Columns>(kind: CsvKind<C>, column: string, value: string): string {
  const spec = Object.values(kind.columns).find((candidate) => candidate.name === column);
  if (spec === undefined) throw new Error(`no column ${column}`);
  const result = z.safeDecode(spec.cell, value);
  return result.success ? 'ok' : `f.csv:2: column ${column}${result.error.issues[0]?.message ?? ''}`;
}

describe('ranges', () => {
  it('words and membership', () => {
    expect(rangeInWords(wholeIn(1, 64))).toBe('a whole number from 1 to 64');
    expect(rangeInWords(above(0, 100))).toBe('a number above 0 up to 100');
    expect(rangeInWords(between(-60, 150))).toBe('a number from -60 to 150');
    expect([inRange(0, above(0, 1)), inRange(1e-9, above(0, 1)), inRange(1, above(0, 1)), inRange(1.0000001, above(0, 1))]).toEqual([false, true, true, false]);
    expect([inRange(1.5, wholeIn(1, 2)), inRange(Number.NaN, between(0, 1)), inRange(Infinity, between(0, Infinity))]).toEqual([false, false, false]);
  });

  it('decimal notation only', () => {
    expect(['1', '-2.5', '.5', '5.', '1e-7', '2E+3', ' 7 '].map(parseDecimal)).toEqual([1, -2.5, 0.5, 5, 1e-7, 2000, 7]);
    expect(['0x10', '0b1', '0o7', 'Infinity', '1 000', '', '1e400', '9'.repeat(400), '--1'].map(parseDecimal)).toEqual(Array(9).fill(undefined));
  });
});

describe('every numeric column has a range', () => {
  // [kind, column, highest accepted, lowest refused above, lowest accepted, highest refused below]
  const cases: Array<[string, CsvKind<Columns>, string, string, string, string, string]> = [
    ['summary', SUMMARY_CSV, 'mean_ms', '86400000', '86400000.001', '0.001', '0'],
    ['summary', SUMMARY_CSV, 'std_ms', '86400000', '86400001', '0', '-0.001'],
    ['summary', SUMMARY_CSV, 'min_ms', '86400000', '86400001', '0.001', '0'],
    // Intervals are taken on the log scale: a bound is never below 0.
    ['summary', SUMMARY_CSV, 'mean_ci95_low_ms', '86400000', '86400001', '0', '-0.001'],
    ['summary', SUMMARY_CSV, 'processes', '64', '65', '1', '0'],
    ['summary', SUMMARY_CSV, 'cold_start_ms_mean', '86400000', '86400001', '0', '-0.001'],
    ['summary', SUMMARY_CSV, 'load_start', '1000000', '1000000.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'steal_percent', '100', '100.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'others_cpu_percent', '100', '100.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'labels', '64', '65', '1', '0'],
    ['summary', SUMMARY_CSV, 'items', '1000000', '1000001', '1', '0'],
    ['summary', SUMMARY_CSV, 'repeats', '10000', '10001', '1', '0'],
    ['summary', SUMMARY_CSV, 'intra_op_threads', '1024', '1025', '1', '0'],
    ['summary', SUMMARY_CSV, 'cpu_percent_all_cores', '400', '400.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'harness_overhead_percent', '100', '100.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'mfu_percent', '1000', '1000.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'accuracy', '1', '1.0001', '0', '-0.0001'],
    ['summary', SUMMARY_CSV, 'parity_flip_percent', '100', '100.01', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'parity_max_abs_diff', '1', '1.000001', '0', '-0.000001'],
    ['summary', SUMMARY_CSV, 'energy_j_per_1000', '10000000000000', '10000000000001', '0', '-0.01'],
    ['summary', SUMMARY_CSV, 'offline_items_per_s', '1000000000', '1000000001', '0.0001', '0'],
    ['summary', SUMMARY_CSV, 'drift_percent', '1000000', '1000000.01', '-99.99', '-100'],
    ['summary', SUMMARY_CSV, 'max_temp_c', '150', '150.1', '-60', '-60.1'],
    ['summary', SUMMARY_CSV, 'cpu_mhz_max', '20000', '20001', '1', '0'],
    ['summary', SUMMARY_CSV, 'fit_ms_per_label', '86400000', '86400001', '-86400000', '-86400001'],
    ['summary', SUMMARY_CSV, 'fit_r2', '1', '1.0001', '-1000000000000', '-1000000000001'],
    ['summary', SUMMARY_CSV, 'cost_per_hour_usd', '10000', '10000.01', '0.01', '0'],
    ['summary', SUMMARY_CSV, 'peak_rss_mb', '1073741824', '1073741825', '0.1', '0'],
    ['samples', SAMPLES_CSV, 'total_ms', '86400000', '86400001', '0.001', '0'],
    ['samples', SAMPLES_CSV, 'repeat', '9999', '10000', '0', '-1'],
    ['samples', SAMPLES_CSV, 'session_runs', '64', '65', '1', '0'],
    ['load', LOAD_CSV, 'concurrency', '1000', '1001', '1', '0'],
    ['load', LOAD_CSV, 'target_rate_rps', '10000', '10001', '0.1', '0'],
    ['load', LOAD_CSV, 'requests', '1000000000000', '1000000000001', '0', '-1'],
    ['load', LOAD_CSV, 'p95_ms', '86400000', '86400001', '0.001', '0'],
    ['load', LOAD_CSV, 'max_batch_pairs', '4096', '4097', '1', '0'],
    ['load', LOAD_CSV, 'wall_s', '90000', '90001', '0', '-1'],
    ['webui', WEBUI_CSV, 'cpu_slowdown', '1000000', '1000001', '1', '0.99'],
    ['webui', WEBUI_CSV, 'added_p95_ms', '86400000', '86400001', '0', '-0.1'],
    ['webui', WEBUI_CSV, 'loads', '1000000', '1000001', '1', '0'],
    ['ab', AB_CSV, 'ratio_a_over_b', '1000000', '1000001', '0.00001', '0'],
    ['ab', AB_CSV, 'ci_level', '1', '1.01', '0.01', '0'],
    ['ab', AB_CSV, 'max_regression', '10', '10.01', '0', '-0.01'],
  ];
  for (const [kind, csv, column, high, aboveHigh, low, belowLow] of cases) {
    it(`${kind} ${column}: ${low} to ${high}`, () => {
      expect([read(csv, column, high), read(csv, column, low)]).toEqual(['ok', 'ok']);
      expect(read(csv, column, aboveHigh)).toMatch(new RegExp(`^f\\.csv:2: column ${column}: expected a (whole )?number .*, got '${aboveHigh.replace('.', '\\.')}'$`));
      expect(read(csv, column, belowLow)).toMatch(new RegExp(`^f\\.csv:2: column ${column}: expected a (whole )?number .*, got '${belowLow.replace('.', '\\.')}'$`));
    });
  }

  it('the message names the range exactly', () => {
    expect(read(SUMMARY_CSV, 'mfu_percent', '5000')).toBe("f.csv:2: column mfu_percent: expected a number from 0 to 1000, got '5000'");
    expect(read(SUMMARY_CSV, 'items', '0x10')).toBe("f.csv:2: column items: expected a whole number from 1 to 1000000, got '0x10'");
    expect(read(LOAD_CSV, 'timestamp', 'garbage')).toBe("f.csv:2: column timestamp: expected an ISO time such as 2026-01-02T03:04:05.678Z, got 'garbage'");
    expect(read(SUMMARY_CSV, 'timestamp', '+275760-09-13T00:00:00.000Z')).toMatch(/expected an ISO time/);
    expect(read(SUMMARY_CSV, 'timestamp', '2026-02-30T00:00:00.000Z')).toBe('ok');
  });

  it('every numeric cell of every kind refuses 400 digits (Number() reads them as Infinity)', () => {
    for (const kind of [SUMMARY_CSV, SAMPLES_CSV, LOAD_CSV, WEBUI_CSV, AB_CSV] as Array<CsvKind<Columns>>) {
      for (const spec of Object.values(kind.columns)) {
        const verdict = read(kind, spec.name, `-${'9'.repeat(400)}`);
        // Text columns take anything; numeric ones (and booleans, enums) refuse it.
        const textual = read(kind, spec.name, 'some words') === 'ok';
        if (!textual) expect(verdict, spec.name).not.toBe('ok');
      }
    }
  });
});
