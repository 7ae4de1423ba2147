import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { serverFields } from '../../src/load/server-info.js';
import { batchingDecision } from '../../src/server/serve-setup.js';
import { parseLevels, parsePort, parseServerUrl } from '../../src/shell/parse.js';
import { formatLoadCsv, loadRows, type LoadContext } from '../../src/load/csv.js';
import { parseResultCsv } from '../../src/compare/read-results.js';
import { errorKindOfStatus } from '../../src/load/client.js';
import { summarizeLevel, type RequestSample } from '../../src/load/summary.js';
import { buildWorkload } from '../../src/load/workload.js';
import { formatLoadTable } from '../../src/format/load-table.js';
import { makeStyle } from '../../src/format/style.js';

const ok = (latencyMs: number, extra: Partial<RequestSample> = {}): RequestSample => ({ outcome: 'ok', latencyMs, pairs: 3, ...extra });

describe('summarizeLevel', () => {
  it('computes throughput, pairs/s and percentiles of ok responses only', () => {
    const samples: RequestSample[] = [
      ok(10, { serverMs: 8, batchRequests: 1, batchRuns: 1 }),
      ok(20, { serverMs: 18, batchRequests: 3, batchRuns: 2 }),
      ok(30, { serverMs: 28, batchRequests: 2, batchRuns: 1 }),
      ok(40, { serverMs: 38, batchRequests: 2, batchRuns: 2 }),
      { outcome: 'http_503', latencyMs: 1, pairs: 3 },
      { outcome: 'timeout', latencyMs: 5000, pairs: 3 },
    ];
    const summary = summarizeLevel({ mode: 'closed', concurrency: 2 }, samples, 2000, 2);
    expect(summary.requests).toBe(6);
    expect(summary.ok).toBe(4);
    expect(summary.errors).toBe(2);
    expect(summary.errorsByKind).toEqual({ connection: 0, timeout: 1, http_4xx: 0, http_503: 1, http_5xx: 0, other: 0 });
    expect(summary.throughputRps).toBe(2);
    expect(summary.pairsPerS).toBe(6);
    expect(summary.wallS).toBe(2);
    // numpy linear percentiles of [10, 20, 30, 40]
    expect(summary.latencyMs).toEqual({ mean: 25, p50: 25, p90: 37, p95: 38.5, p99: 39.7, max: 40 });
    expect(summary.meanServerMs).toBe(23);
    expect(summary.meanBatchRequests).toBe(2);
    expect(summary.meanBatchRuns).toBe(1.5);
    expect(summary.peakInFlight).toBe(2);
  });

  it('reports NaN latency (empty CSV cells) when nothing succeeded', () => {
    const summary = summarizeLevel({ mode: 'open', rateRps: 5 }, [{ outcome: 'connection', latencyMs: 1, pairs: 3 }], 1000, 1);
    expect(summary.throughputRps).toBe(0);
    expect(Number.isNaN(summary.latencyMs.p95)).toBe(true);
    expect(Number.isNaN(summary.meanBatchRequests)).toBe(true);
  });
});

describe('errorKindOfStatus', () => {
  it('sorts status codes into the CSV error kinds', () => {
    expect([200, 204, 400, 413, 429, 500, 502, 503, 302].map(errorKindOfStatus)).toEqual([
      undefined,
      undefined,
      'http_4xx',
      'http_4xx',
      'http_4xx',
      'http_5xx',
      'http_5xx',
      'http_503',
      'other',
    ]);
  });
});

const info = {
  tool: 'zsc-bench',
  toolVersion: '0.1.0',
  host: 'box',
  profile: 'cpu-int8',
  model: { id: 'synthetic:structbert-base', sha256: 'ab'.repeat(32) },
  precision: 'int8',
  provider: 'cpu',
  requestedProvider: 'cuda',
  fallback: { from: 'cuda', reason: 'no GPU' },
  synthetic: true,
  batching: { enabled: false, inexact: false, maxBatchPairs: 64, maxWaitMs: 5 },
  limits: { maxQueue: 64 },
};

describe('serverFields', () => {
  it('flattens /api/info into the CSV columns, fallback and all', () => {
    expect(serverFields(info, 'http://x')).toEqual({
      serverHost: 'box',
      serverProfile: 'cpu-int8',
      serverToolVersion: '0.1.0',
      modelId: 'synthetic:structbert-base',
      modelSha256: 'ab'.repeat(32),
      precision: 'int8',
      requestedProvider: 'cuda',
      actualProvider: 'cpu',
      fallback: true,
      fallbackReason: 'no GPU',
      synthetic: true,
      batching: 'off',
      inexactBatching: false,
      maxBatchPairs: 64,
      maxWaitMs: 5,
      maxQueue: 64,
    });
  });
  it('refuses a server that is not zsc-bench serve', () => {
    expect(() => serverFields({ hello: 'world' }, 'http://x')).toThrow('--url: http://x/api/info does not look like zsc-bench serve');
  });
});

const context: LoadContext = {
  toolVersion: '0.1.0',
  timestamp: '2025-01-02T03:04:05.000Z',
  clientHost: 'client',
  url: 'http://127.0.0.1:7860',
  sameMachine: true,
  durationS: 10,
  warmupS: 2,
  timeoutS: 30,
  labels: 3,
  dataset: 'datasets/thucnews-style-100.csv',
  datasetHash: 'cd'.repeat(32),
  ...serverFields(info, 'http://x'),
};

describe('load CSV', () => {
  it('reads back every column as it was written, one row per level (what compare merges on)', () => {
    const closed = summarizeLevel({ mode: 'closed', concurrency: 4 }, [ok(100, { serverMs: 90, batchRequests: 2, batchRuns: 1 }), ok(200, { serverMs: 150, batchRequests: 1, batchRuns: 1 })], 1000, 4);
    const open = summarizeLevel({ mode: 'open', rateRps: 2.5 }, [{ outcome: 'http_503', latencyMs: 1, pairs: 3 }], 2000, 1);
    const written = loadRows([closed, open], context);
    const parsed = parseResultCsv(formatLoadCsv([closed, open], context), 'load.csv');
    expect(parsed.kind).toBe('load');
    if (parsed.kind !== 'load') return;
    expect(parsed.levels).toEqual([
      { ...written[0], file: 'load.csv', level: 4 },
      { ...written[1], file: 'load.csv', level: 2.5 },
    ]);
  });

  it('writes closed and open levels with their own empty cells', () => {
    const closed = summarizeLevel({ mode: 'closed', concurrency: 4 }, [ok(100), ok(200)], 1000, 4);
    const open = summarizeLevel({ mode: 'open', rateRps: 2.5 }, [{ outcome: 'http_503', latencyMs: 1, pairs: 3 }], 1000, 1);
    const rows = parse<Record<string, string>>(formatLoadCsv([closed, open], context), { columns: true });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ same_machine: 'true', schema_version: '1', kind: 'load', mode: 'closed', concurrency: '4', target_rate_rps: '', throughput_rps: '2.0000', pairs_per_s: '6.0000', p50_ms: '150.000', errors: '0', fallback: 'true', actual_provider: 'cpu', requested_provider: 'cuda', batching: 'off', synthetic: 'true', precision: 'int8' });
    expect(rows[1]).toMatchObject({ mode: 'open', concurrency: '', target_rate_rps: '2.5', ok: '0', errors: '1', errors_http_503: '1', p95_ms: '', mean_batch_requests: '' });
  });
});

describe('load table', () => {
  it('shows each level and says what ran, fallback included', () => {
    const level = summarizeLevel({ mode: 'closed', concurrency: 8 }, [ok(100, { batchRequests: 4 }), { outcome: 'timeout', latencyMs: 1, pairs: 3 }], 1000, 8);
    // Notes wrap at 100 columns; joined again here to read them whole.
    const text = formatLoadTable([level], context, makeStyle(false)).replace(/\n +/g, ' ');
    expect(text).toContain('concurrency 8');
    expect(text).toContain('1 (timeout 1)');
    expect(text).toContain('server box: synthetic:structbert-base (int8) · provider cpu (FALLBACK from cuda) · batching off · synthetic weights');
    expect(text).toContain('FALLBACK: cuda unavailable (no GPU)');
    expect(text).toContain('same machine: load generator and server shared the cores');
  });
});

describe('load flags', () => {
  it('parses levels for the closed and the open loop, not both', () => {
    expect(parseLevels({}, '1,2,4,8,16')).toEqual([1, 2, 4, 8, 16].map((concurrency) => ({ mode: 'closed', concurrency })));
    expect(parseLevels({ concurrency: '2，4' }, '1,2,4,8,16')).toEqual([{ mode: 'closed', concurrency: 2 }, { mode: 'closed', concurrency: 4 }]);
    expect(parseLevels({ rate: '0.5,3' }, '1,2,4,8,16')).toEqual([{ mode: 'open', rateRps: 0.5 }, { mode: 'open', rateRps: 3 }]);
    expect(() => parseLevels({ rate: '1', concurrency: '2' }, '1,2,4,8,16')).toThrow(/^--rate: the open loop sends at fixed rates and --concurrency sets closed-loop clients; give one of them$/);
    expect(() => parseLevels({ concurrency: '0' }, '1,2,4,8,16')).toThrow("--concurrency: expected a whole number from 1 to 1000, got '0'");
    expect(() => parseLevels({ rate: 'fast' }, '1,2,4,8,16')).toThrow("--rate: expected a number above 0 up to 10000 requests per second, got 'fast'");
  });
  it('accepts an http URL of the server only', () => {
    expect(parseServerUrl('http://127.0.0.1:7860/').href).toBe('http://127.0.0.1:7860/');
    expect(() => parseServerUrl('127.0.0.1:7860')).toThrow(/--url: /);
    expect(() => parseServerUrl('ftp://host')).toThrow("--url: expected an http:// URL of zsc-bench serve, got 'ftp://host'");
  });
});

describe('buildWorkload', () => {
  it('gives every item its gold label plus distractors, the same on every run', () => {
    const items = [{ id: '1', label: '体育', text: 'a' }, { id: '2', label: '财经', text: 'b' }];
    const pool = ['体育', '财经', '科技', '教育', '游戏'];
    const first = buildWorkload(items, pool, 3);
    expect(first).toEqual(buildWorkload(items, pool, 3));
    expect(first.map((entry) => entry.labels.length)).toEqual([3, 3]);
    expect(first[0]?.labels).toContain('体育');
    expect(first[1]?.labels).toContain('财经');
  });
});

describe('serve settings', () => {
  it('merges requests by default only where it is exact (fp32)', () => {
    expect(batchingDecision(true, 'fp32', false).merge).toBe(true);
    expect(batchingDecision(true, 'int8', false)).toEqual({ merge: false, note: 'off at int8: merged requests would change each other\'s scores (one activation scale per batch); pass --inexact-batching to merge anyway' });
    expect(batchingDecision(true, 'fp16', false).merge).toBe(false);
    expect(batchingDecision(true, 'int8', true).merge).toBe(true);
    expect(batchingDecision(false, 'fp32', true).merge).toBe(false);
  });
  it('takes ports 0 to 65535', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('7860')).toBe(7860);
    expect(() => parsePort('65536')).toThrow("--port: expected 0 to 65535 (0 picks a free port), got '65536'");
    expect(() => parsePort('http')).toThrow("--port: expected a whole number >= 0, got 'http'");
  });
});
