import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../bench/serve-process.js';
import { LOAD_CSV } from '../../src/schema/results.js';
import type { LevelSummary } from '../../src/load/summary.js';
import { oneLineError, runCli, spawnCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import type { ComparisonJson } from '../helpers/json.js';
import { type Row, readCsv } from '../helpers/csv.js';

const home = { ZSC_BENCH_HOME: mkdtempSync(join(tmpdir(), 'zsc-load-home-')) };

function onlyCsv(dir: string): string {
  const files = readdirSync(dir).filter((file) => file.endsWith('.csv'));
  if (files.length !== 1 || files[0] === undefined) throw new Error(`expected one CSV in ${dir}, found: ${files.join(', ')}`);
  return join(dir, files[0]);
}

describe('zsc-bench load against serve on the tiny model', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServe(['--model', await testModel('tiny')], home);
  });
  afterAll(() => server.stop());

  it('sweeps concurrency levels and writes a CSV row per level with the server\'s info', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-load-'));
    const result = await runCli(['load', '--url', server.url, '--concurrency', '1,4', '--duration', '1', '--warmup', '0.5', '--labels', '5', '--out', out, '--progress-interval', '0.2']);
    expect(result.code, result.stderr).toBe(0);
    // The same reporter as run: the plan, then lines at the interval (stderr is not a terminal here).
    expect(unwrap(result.stderr)).toContain('plan: 2 level(s) (concurrency 1, concurrency 4), each 0.5 s warm-up + 1 s measured: 3 s');
    expect(unwrap(result.stderr)).toMatch(/^progress: concurrency [14] · (warm-up|measuring) \d\/[01] s · \d+ ok: level [12]\/2, \d\/3 s of the schedule \(\d+%\), \d+s elapsed, ETA \d+s$/m);
    // The server is on this machine: said in the output and the CSV.
    expect(unwrap(result.stderr)).toContain('note: the server runs on this machine: the load generator and the server compete for the same cores');
    expect(result.stdout).toContain('same machine: load generator and server shared the cores');
    expect(result.stdout).toContain('concurrency 4');
    expect(result.stdout).toMatch(/server .*: synthetic:tiny \(fp32\) · provider cpu · batching on/);
    expect(unwrap(result.stderr)).toMatch(/concurrency 1: \d+\/\d+ ok, [\d.]+ req\/s, p95 [\d.]+ ms/);
    const file = onlyCsv(out);
    expect(file).toMatch(/load-.+-\d{8}T\d{6}Z\.csv$/);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(LOAD_CSV.names.join(','));
    const rows = readCsv(file);
    expect(rows.map((row) => row['concurrency'])).toEqual(['1', '4']);
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { model: { sha256: string } };
    for (const row of rows) {
      const n = (column: string) => Number(row[column]);
      expect(row).toMatchObject({ schema_version: '1', kind: 'load', mode: 'closed', target_rate_rps: '', labels: '5', errors: '0', actual_provider: 'cpu', requested_provider: 'cpu', fallback: 'false', synthetic: 'true', batching: 'on', precision: 'fp32', model_id: 'synthetic:tiny', model_sha256: info.model.sha256, dataset: 'datasets/thucnews-style-100.csv', max_batch_pairs: '8', max_wait_ms: '2', url: server.url, same_machine: 'true' });
      expect(n('ok')).toBeGreaterThan(0);
      expect(n('requests')).toBe(n('ok'));
      expect(Math.abs(n('throughput_rps') * n('wall_s') - n('ok'))).toBeLessThan(0.01 * n('ok') + 0.01);
      expect(Math.abs(n('pairs_per_s') / n('throughput_rps') - 5)).toBeLessThan(1e-3);
      expect(n('p50_ms')).toBeLessThanOrEqual(n('p90_ms'));
      expect(n('p90_ms')).toBeLessThanOrEqual(n('p95_ms'));
      expect(n('p95_ms')).toBeLessThanOrEqual(n('p99_ms'));
      expect(n('p99_ms')).toBeLessThanOrEqual(n('max_ms'));
      expect(n('mean_batch_requests')).toBeGreaterThanOrEqual(1);
      expect(row['dataset_hash']).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(Number(rows[0]?.['mean_batch_requests'])).toBe(1);
  });

  it('runs the open loop at fixed rates with --json printing JSON only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-load-open-'));
    const result = await runCli(['load', '--url', server.url, '--rate', '20', '--duration', '1', '--warmup', '0', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as { state: string; file: string; levels: LevelSummary[] };
    expect(parsed.state).toBe('completed');
    expect(parsed.levels[0]?.spec).toEqual({ mode: 'open', rateRps: 20 });
    expect(parsed.levels[0]?.requests).toBe(20);
    expect(parsed.levels[0]?.errors).toBe(0);
    expect(readCsv(parsed.file)[0]).toMatchObject({ mode: 'open', concurrency: '', target_rate_rps: '20', requests: '20' });
  });

  it('Ctrl-C keeps the levels that completed and exits 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-load-int-'));
    const child = spawnCli(['load', '--url', server.url, '--concurrency', '1,2', '--duration', '1.5', '--warmup', '0', '--out', out]);
    let stderr = '';
    let interrupted = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!interrupted && stderr.includes('concurrency 1:')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(unwrap(stderr)).toMatch(/interrupted at concurrency 2: kept 1 completed level\(s\) in .*load-.*\.csv/);
    expect(readCsv(onlyCsv(out)).map((row) => row['concurrency'])).toEqual(['1']);
  });

  it('compare merges the load CSVs of two servers into throughput-latency curves, next to run results', async () => {
    const unbatched = await startServe(['--model', await testModel('tiny'), '--no-batching'], home);
    try {
      const out = mkdtempSync(join(tmpdir(), 'zsc-load-compare-'));
      for (const url of [server.url, unbatched.url]) {
        const result = await runCli(['load', '--url', url, '--concurrency', '1,2', '--duration', '0.5', '--warmup', '0', '--out', join(out, url.replace(/\W+/g, '-')), '--json']);
        expect(result.code, result.stderr).toBe(0);
      }
      const runOut = join(out, 'run');
      const run = await runCli(['run', '--profile', 'cpu', '--model', await testModel('tiny'), '--items', '2', '--repeats', '1', '--labels', '3', '--out', runOut]);
      expect(run.code, run.stderr).toBe(0);
      const table = await runCli(['compare', join(out, '**', '*.csv'), '--wide']);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toContain('Platforms at 3 labels');
      expect(unwrap(table.stdout)).toMatch(/Throughput-latency curves: fp32 · model synthetic:tiny .* · 3 labels per request/);
      expect(table.stdout).toContain('on (≤ 8 pairs)');
      expect(table.stdout).toContain('2 clients');
      expect(table.stdout).toContain('1 client ');
      const json = JSON.parse((await runCli(['compare', join(out, '**', '*.csv'), '--format', 'json'])).stdout) as ComparisonJson;
      const curves = json.load_curves[0]?.curves ?? [];
      expect(curves.map((curve) => curve.batching).sort()).toEqual(['off', 'on']);
      for (const curve of curves) {
        expect(curve.points.map((point) => point.level)).toEqual([1, 2]);
        for (const point of curve.points) expect(point.errors).toBe(0);
      }
      const csv = parse<Row>((await runCli(['compare', join(out, '**', '*.csv'), '--format', 'csv'])).stdout, { columns: true });
      expect(csv.map((row) => row['section'])).toEqual(['run', 'load', 'load', 'load', 'load']);
      const loadRows = csv.filter((row) => row['section'] === 'load');
      expect(loadRows.map((row) => Number(row['throughput_rps']))).toEqual(curves.flatMap((curve) => curve.points.map((point) => point.throughput_rps)));
    } finally {
      await unbatched.stop();
    }
  });

  it('refuses an unreachable server and conflicting flags with one line, exit 2', async () => {
    const down = await runCli(['load', '--url', 'http://127.0.0.1:1', '--duration', '1']);
    expect(down.code).toBe(2);
    expect(oneLineError(down)).toBe('error: --url: cannot get http://127.0.0.1:1/api/info (ECONNREFUSED); is zsc-bench serve running there?');
    const both = await runCli(['load', '--url', server.url, '--rate', '5', '--concurrency', '2']);
    expect(both.code).toBe(2);
    expect(oneLineError(both)).toBe('error: --rate: the open loop sends at fixed rates and --concurrency sets closed-loop clients; give one of them');
    const duration = await runCli(['load', '--url', server.url, '--duration', '0']);
    expect(oneLineError(duration)).toBe("error: --duration: expected a number above 0 up to 86400 seconds, got '0'");
    const labels = await runCli(['load', '--url', server.url, '--labels', '25']);
    expect(oneLineError(labels)).toMatch(/^error: --labels: 25 labels need 24 distractors besides '.+', but the label pool has 19$/);
  });
});
