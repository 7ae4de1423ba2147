import { describe, expect, it } from 'vitest';
import { resultRow } from '../helpers/result-row.js';
import { recommend, type RecommendOptions } from '../../src/compare/recommend.js';
import { parseBudget, parseSlo } from '../../src/shell/parse.js';
import { buildCurves } from '../../src/compare/curves.js';
import type { LoadLevel, ResultRow } from '../../src/compare/read-results.js';
import type { Run } from '../../src/compare/runs.js';
import { formatRecommendation } from '../../src/format/recommend-format.js';
import { makeStyle } from '../../src/format/style.js';

/** The shared row as a real (not synthetic) fp32 run at 10 labels with a cost per hour. */
function row(overrides: Partial<ResultRow>): ResultRow {
  return resultRow({
    synthetic: false, items: 10, repeats: 5, labels: 10, samples: 50, meanMs: 80, p50Ms: 78, p95Ms: 100, p99Ms: 110, itemsPerSecond: 12.5,
    pairsPerSecond: 125, accuracy: 0.9, accuracyMeaningful: true, fitMsPerLabel: 5, fitInterceptMs: 30, costPerHour: 0.5,
    stdMs: 5, minMs: 90, p90Ms: 108, maxMs: 115, meanCi95LowMs: 95, meanCi95HighMs: 105, medianCi95LowMs: 95, medianCi95HighMs: 105,
    ...overrides,
  });
}

const run = (overrides: Partial<ResultRow>): Run => {
  const only = row(overrides);
  return { file: only.file, profile: only.profile, host: only.host, timestamp: only.timestamp, rows: [only], pooled: 1 };
};

function level(overrides: Partial<LoadLevel>): LoadLevel {
  return {
    file: 'load.csv', schemaVersion: 1, kind: 'load', concurrency: 1, targetRateRps: undefined, timestamp: '2026-11-24T12:00:00.000Z', clientHost: 'client', labels: 10, dataset: 'd.csv', datasetHash: 'd'.repeat(64),
    serverHost: 'vm', serverProfile: 'cheap', modelId: 'synthetic:structbert-base', modelSha256: 'a'.repeat(64), precision: 'fp32',
    requestedProvider: 'cpu', actualProvider: 'cpu', fallback: false, synthetic: false, batching: 'on', inexactBatching: false, maxBatchPairs: 8,
    mode: 'closed', level: 1, requests: 100, ok: 100, errors: 0, throughputRps: 10, meanMs: 90, pairsPerSecond: 100, p50Ms: 90, p95Ms: 120,
    p99Ms: 130, meanBatchRequests: 1,
    ...overrides,
  };
}

const SLO = parseSlo('p95<150ms');
const options = (overrides: Partial<RecommendOptions> = {}): RecommendOptions => ({ slo: SLO, labels: 10, qps: 20, budgetPerHour: undefined, ...overrides });

/** The known answer: `slow` misses the SLO, `cheap` needs two instances and still costs least, `fast` needs one. */
const PLATFORMS = [
  run({ profile: 'slow', p95Ms: 300, meanMs: 250, itemsPerSecond: 4, costPerHour: 0.1 }),
  run({ profile: 'fast', p95Ms: 20, meanMs: 18, itemsPerSecond: 55.5, costPerHour: 1.2 }),
  run({ profile: 'cheap', p95Ms: 100, meanMs: 80, itemsPerSecond: 12.5, costPerHour: 0.5 }),
];

describe('parseSlo and parseBudget', () => {
  it('reads metric, limit and units, and refuses anything else with the flag named', () => {
    expect(parseSlo('p95<150ms')).toEqual({ metric: 'p95', limitMs: 150, inclusive: false, text: 'p95<150ms' });
    expect(parseSlo(' P99 <= 0.2s ')).toEqual({ metric: 'p99', limitMs: 200, inclusive: true, text: 'p99<=200ms' });
    expect(parseSlo('mean<80')).toMatchObject({ metric: 'mean', limitMs: 80 });
    for (const bad of ['p95<abc', 'p95>150ms', 'p90<150ms', 'p95<0ms', '150ms', '']) {
      expect(() => parseSlo(bad)).toThrow(/^--slo: expected METRIC<LIMIT .* got '/);
    }
    expect(parseBudget('2/h')).toBe(2);
    expect(parseBudget('$48/day')).toBe(2);
    expect(parseBudget('1460 usd/month')).toBe(2);
    for (const bad of ['2', '0/h', 'abc/h', '2/week']) expect(() => parseBudget(bad)).toThrow(/^--budget: expected USD per hour/);
  });
});

describe('recommend', () => {
  it('ranks the cheapest passing platform first, sizes instances from single-stream throughput, and says why the slow one fails', () => {
    const answer = recommend(PLATFORMS, [], options());
    expect(answer.candidates.map((c) => [c.rank, c.profile, c.passes, c.instances, c.fleetCostPerHour])).toEqual([
      [1, 'cheap', true, 2, 1],
      [2, 'fast', true, 1, 1.2],
      [3, 'slow', false, 5, 0.5],
    ]);
    const [cheap, fast, slow] = answer.candidates;
    // 1 USD/h for 20 requests/s: 1 / 72000 * 1e6.
    expect(cheap?.costPerMillion).toBeCloseTo(13.8889, 4);
    expect(cheap?.capacity).toEqual({ kind: 'single-stream' });
    expect(cheap?.reason).toBe(
      'cheapest that meets everything; p95 100.0 ms single stream; 2 instances for 20 QPS (12.50 req/s per instance from single-stream throughput, not verified under load); 1.00 USD/h, 13.89 USD per million',
    );
    expect(fast?.reason).toMatch(/^meets everything, 1\.20x the cost of place 1; p95 20\.0 ms single stream; 1 instance for 20 QPS/);
    expect(slow?.reason).toBe('fails: p95 300.0 ms single stream, over the p95<150ms limit');
  });

  it('lets the budget decide: a fleet over it fails, naming the cost', () => {
    const answer = recommend(PLATFORMS, [], options({ budgetPerHour: 1.1 }));
    expect(answer.candidates.map((c) => [c.profile, c.passes])).toEqual([['cheap', true], ['fast', false], ['slow', false]]);
    expect(answer.candidates[1]?.failures).toEqual(['1 instance cost 1.20 USD/h, over the 1.10 USD/h budget']);
  });

  it('takes capacity from the load curve of the same platform: the highest throughput that met the SLO without errors', () => {
    const curves = buildCurves([
      level({ level: 1, throughputRps: 10, p95Ms: 110 }),
      level({ level: 2, throughputRps: 15, p95Ms: 140 }),
      level({ level: 4, throughputRps: 18, p95Ms: 260 }),
      level({ level: 8, throughputRps: 19, p95Ms: 120, errors: 3 }),
    ]).groups;
    const answer = recommend(PLATFORMS, curves, options());
    const cheap = answer.candidates.find((c) => c.profile === 'cheap');
    expect(cheap?.capacityRps).toBe(15);
    expect(cheap?.instances).toBe(2);
    expect(cheap?.capacity?.kind).toBe('load');
    expect(cheap?.reason).toContain('p95 140.0 ms at 2 clients under load; 2 instances for 20 QPS (15.00 req/s per instance within the SLO at 2 clients');
    // A curve of another labels count or precision is not this platform's.
    expect(recommend(PLATFORMS, buildCurves([level({ labels: 3 })]).groups, options()).candidates[0]?.capacity?.kind).toBe('single-stream');
  });

  it('fails a platform that meets the SLO alone but at no load level', () => {
    const curves = buildCurves([level({ level: 1, throughputRps: 11, p95Ms: 160 }), level({ level: 2, throughputRps: 12, p95Ms: 290 })]).groups;
    const cheap = recommend(PLATFORMS, curves, options()).candidates.find((c) => c.profile === 'cheap');
    expect(cheap?.passes).toBe(false);
    expect(cheap?.failures).toEqual(['under load no level met p95<150ms without errors (1 client: p95 160.0 ms, 0 errors)']);
  });

  it('marks fallback and synthetic rows instead of hiding them; a fallback measurement cannot pass for the platform', () => {
    const answer = recommend(
      [run({ profile: 'a10g', requestedProvider: 'cuda', actualProvider: 'cpu', fallback: true, costPerHour: 1.006 }), run({ profile: 'cpu', synthetic: true, accuracyMeaningful: false })],
      [],
      options({ qps: undefined }),
    );
    const [cpu, a10g] = answer.candidates;
    expect(cpu?.profile).toBe('cpu');
    expect(cpu?.notes).toEqual(['synthetic weights: latency is real, accuracy meaningless']);
    expect(cpu?.instances).toBe(1);
    expect(cpu?.costPerMillion).toBeCloseTo((0.5 / (12.5 * 3600)) * 1e6, 6);
    expect(a10g?.passes).toBe(false);
    expect(a10g?.failures[0]).toBe("fallback: asked for cuda but ran on cpu, so these are not cuda's numbers");
    // --wide: every cell on one line.
    const table = formatRecommendation(answer, 'table', makeStyle(false), { wide: true });
    expect(table).toContain('FAILS (FALLBACK)');
    expect(table).toContain('meets (synthetic)');
    expect(table).toContain('Deploy on cpu (vm, fp32, cpu).');
  });

  it('never ranks an emulated run, however fast it looks', () => {
    const answer = recommend([run({ profile: 'pi5-hailo8', emulated: 'qemu-aarch64 -cpu cortex-a76', p95Ms: 10, itemsPerSecond: 100 }), ...PLATFORMS], [], options());
    const pi = answer.candidates.find((candidate) => candidate.profile === 'pi5-hailo8');
    expect(pi?.passes).toBe(false);
    expect(pi?.failures).toEqual(["emulated (qemu-aarch64 -cpu cortex-a76): timings are the emulator's, not the machine's; run it on the machine itself"]);
    expect(answer.candidates.filter((candidate) => candidate.passes).map((candidate) => candidate.profile)).toEqual(['cheap', 'fast']);
  });

  it('fails a run without a row at the label count, and one without a cost when a budget is set', () => {
    const answer = recommend([run({ profile: 'nocost', costPerHour: undefined }), run({ profile: 'three', labels: 3 })], [], options({ budgetPerHour: 5 }));
    expect(answer.candidates.map((c) => [c.profile, c.failures])).toEqual([
      ['nocost', ['the profile names no costPerHour, so the budget cannot be checked']],
      ['three', ['no 10-label result (this run measured 3 labels)']],
    ]);
  });

  it('writes the same ranking as Markdown and JSON', () => {
    const answer = recommend(PLATFORMS, [], options());
    const markdown = formatRecommendation(answer, 'markdown', makeStyle(false));
    expect(markdown).toContain('**Deploy on cheap (vm, fp32, cpu) x 2.**');
    expect(markdown).toContain('| 1 | cheap | vm | 2026-11-24T10:00:00Z | cpu | fp32 | 100.0 | 12.50 | 2 | 1.000 | 13.89 | meets |');
    const json = JSON.parse(formatRecommendation(answer, 'json', makeStyle(false))) as { ranking: Array<Record<string, unknown>> };
    expect(json.ranking.map((entry) => [entry['profile'], entry['instances'], entry['cost_per_million_usd']])).toEqual([
      ['cheap', 2, 13.89],
      ['fast', 1, 16.67],
      ['slow', 5, 6.94],
    ]);
  });
});
