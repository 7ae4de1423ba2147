import { describe, expect, it } from 'vitest';
import { resultRow } from '../helpers/result-row.js';
import type { LoadLevel, ResultRow, SampleRecord } from '../../src/compare/read-results.js';
import { checkLoadLevel, checkSampleRecord, checkSamplesMatchSummary, checkSummaryRow } from '../../src/compare/validate-results.js';

/** The shared row as a synthetic tiny-model run at 3 labels, one-label sweep (no fit). */
function row(overrides: Partial<ResultRow> = {}): ResultRow {
  return resultRow({
    modelId: 'synthetic:tiny', dataset: 'd.csv', increaseVsMinLabelsPercent: Number.NaN, fitMsPerLabel: Number.NaN, fitInterceptMs: Number.NaN, fitR2: Number.NaN,
    stdMs: 5, minMs: 90, p90Ms: 108, maxMs: 115, meanCi95LowMs: 95, meanCi95HighMs: 105, medianCi95LowMs: 95, medianCi95HighMs: 105,
    ...overrides,
  });
}

const sample = (labels: number, itemId: string, repeat: number, totalMs = 100): SampleRecord => ({ schemaVersion: 2, profile: 'cpu', timestamp: 't', labelCount: labels, itemId, repeat, totalMs, correct: false });
const fourSamples = (labels = 3) => [sample(labels, 'a', 0), sample(labels, 'a', 1), sample(labels, 'b', 0), sample(labels, 'b', 1)];

function level(overrides: Partial<LoadLevel> = {}): LoadLevel {
  return {
    file: 'load.csv', schemaVersion: 1, kind: 'load', concurrency: 1, targetRateRps: undefined, timestamp: '2026-11-24T10:00:00.000Z', clientHost: 'c', labels: 3, dataset: 'd', datasetHash: 'h', serverHost: 's',
    serverProfile: '', modelId: 'm', modelSha256: 'x', precision: 'fp32', requestedProvider: 'cpu', actualProvider: 'cpu', fallback: false,
    synthetic: true, batching: 'on', inexactBatching: false, maxBatchPairs: 8, mode: 'closed', level: 4, requests: 100, ok: 98, errors: 2,
    throughputRps: 9.8, meanMs: 350, pairsPerSecond: 29.4, p50Ms: 300, p95Ms: 400, p99Ms: 450, meanBatchRequests: 2,
    ...overrides,
  };
}

describe('summary rows: every number within what a run can produce', () => {
  it('accepts a plausible row', () => {
    expect(() => checkSummaryRow(row())).not.toThrow();
  });
  // Each column's own range is checked as the cell is read (test/unit/result-ranges.test.ts); here, columns against each other.
  const cases: Array<[string, Partial<ResultRow>, string]> = [
    ['samples not items x repeats', { samples: 60 }, 'r.csv:2: column samples: 60 is impossible; expected items × repeats = 2 × 2 = 4'],
    ['p95 below p50', { p95Ms: 90, p90Ms: Number.NaN }, 'r.csv:2: column p95_ms: 90 is impossible; expected at least p50_ms (100)'],
    ['mean above max', { meanMs: 200 }, 'r.csv:2: column max_ms: 115 is impossible; expected at least mean_ms (200)'],
    ['min above p50', { minMs: 101 }, 'r.csv:2: column p50_ms: 100 is impossible; expected at least min_ms (101)'],
    ['inverted mean interval', { meanCi95LowMs: 106, meanCi95HighMs: 94 }, 'r.csv:2: column mean_ci95_high_ms: 94 is impossible; expected at least mean_ci95_low_ms (106)'],
    ['inverted median interval', { medianCi95LowMs: 106, medianCi95HighMs: 94 }, 'r.csv:2: column median_ci95_high_ms: 94 is impossible; expected at least median_ci95_low_ms (106)'],
    ['clock min above max', { cpuMhzMin: 3000, cpuMhzMax: 2000 }, 'r.csv:2: column cpu_mhz_max: 2000 is impossible; expected at least cpu_mhz_min (3000)'],
    ['parity mean above max', { parityMeanAbsDiff: 0.5, parityMaxAbsDiff: 0.1 }, 'r.csv:2: column parity_max_abs_diff: 0.1 is impossible; expected at least parity_mean_abs_diff (0.5)'],
    ['more pairs per run than labels', { pairsPerRun: 4 }, 'r.csv:2: column pairs_per_run: 4 is impossible; expected at most labels (3)'],
  ];
  for (const [name, overrides, message] of cases) {
    it(name, () => expect(() => checkSummaryRow(row(overrides))).toThrow(message));
  }
  it('figures not measured (empty cells) are skipped', () => {
    expect(() => checkSummaryRow(row({ minMs: Number.NaN, maxMs: Number.NaN, p90Ms: Number.NaN, meanCi95LowMs: Number.NaN }))).not.toThrow();
  });
});

describe('samples: positive latencies, and exactly what the summary counts', () => {
  it('accepts the samples of the summary', () => {
    expect(() => checkSamplesMatchSummary([row()], fourSamples(), 's.csv')).not.toThrow();
  });
  it('refuses parts larger than the whole', () => {
    expect(() => checkSampleRecord({ ...sample(3, 'a', 0, 10), inferenceMs: 10.001, tokenizeMs: 0.5, runs: 3 }, 's.csv', 5)).not.toThrow();
    expect(() => checkSampleRecord({ ...sample(3, 'a', 0, 10), inferenceMs: 12 }, 's.csv', 5)).toThrow('s.csv:5: column inference_ms: 12 is impossible; expected at most total_ms (10)');
    expect(() => checkSampleRecord({ ...sample(3, 'a', 0, 10), runs: 4 }, 's.csv', 5)).toThrow('s.csv:5: column session_runs: 4 is impossible; expected at most labels (3)');
  });
  it('a summary that says 60 beside a samples file with 10 is not one run', () => {
    const samples = Array.from({ length: 10 }, (_, index) => sample(3, `i${index}`, 0));
    expect(() => checkSamplesMatchSummary([row({ items: 60, repeats: 1, samples: 60 })], samples, 's.csv')).toThrow(
      'r.csv:2: says 60 samples at 3 labels, but s.csv holds 10; the two files are not one complete run',
    );
  });
  it('a duplicated row', () => {
    expect(() => checkSamplesMatchSummary([row()], [...fourSamples(), sample(3, 'a', 1)], 's.csv')).toThrow('s.csv: item a, repeat 1 at 3 labels appears twice');
  });
  it('samples of a label count the summary lacks (a summary ahead of or behind its samples)', () => {
    expect(() => checkSamplesMatchSummary([row()], [...fourSamples(), ...fourSamples(20)], 's.csv')).toThrow('s.csv: has samples for 20 labels, but r.csv has no row for 20 labels');
    expect(() => checkSamplesMatchSummary([row(), row({ labels: 20, line: 3 })], fourSamples(), 's.csv')).toThrow('r.csv:3: says 4 samples at 20 labels, but s.csv holds 0');
  });
  it('a repeat index beyond the summary repeats', () => {
    expect(() => checkSamplesMatchSummary([row()], [sample(3, 'a', 0), sample(3, 'a', 2), sample(3, 'b', 0), sample(3, 'b', 1)], 's.csv')).toThrow('s.csv: repeat 2 of item a at 3 labels, but r.csv says 2 repeats (0 to 1)');
  });
});

describe('load levels: counts that add up, rates and latencies that exist', () => {
  it('accepts a plausible level, and one where nothing answered', () => {
    expect(() => checkLoadLevel(level(), 2)).not.toThrow();
    expect(() => checkLoadLevel(level({ ok: 0, errors: 100, throughputRps: 0, pairsPerSecond: 0, p50Ms: Number.NaN, p95Ms: Number.NaN, p99Ms: Number.NaN, meanBatchRequests: Number.NaN }), 2)).not.toThrow();
  });
  const cases: Array<[string, Partial<LoadLevel>, string]> = [
    ['ok + errors differ from requests', { ok: 50 }, 'load.csv:2: column errors: 2 is impossible; expected requests - ok = 50'],
    ['more ok than requests', { ok: 200, errors: 0 }, 'load.csv:2: column ok: 200 is impossible; expected at most requests (100)'],
    ['more errors by kind than errors', { errorsTimeout: 2, errorsOther: 1 }, 'load.csv:2: column errors: 2 is impossible; expected at least the errors by kind (3)'],
    ['p99 below p95', { p99Ms: 399 }, 'load.csv:2: column p99_ms: 399 is impossible; expected at least p95_ms (400)'],
    ['mean above max', { maxMs: 300 }, 'load.csv:2: column max_ms: 300 is impossible; expected at least p99_ms (450)'],
  ];
  for (const [name, overrides, message] of cases) {
    it(name, () => expect(() => checkLoadLevel(level(overrides), 2)).toThrow(message));
  }
});
