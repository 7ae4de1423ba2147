import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';

const BASELINE = 'results/baseline/cpu-vm-20261204T144252Z.csv';
type Row = Record<string, string>;

let work: string;
const files: Record<'slow' | 'cheap' | 'fast' | 'newer', string> = { slow: '', cheap: '', fast: '', newer: '' };

/**
 * A real summary CSV of `run`, with one platform's figures at 10 labels changed by hand: the
 * right answer is then known (slow misses the SLO, cheap needs two instances for 20 QPS and still
 * costs least, fast needs one).
 */
function platformFile(name: string, figures: { p95: number; mean: number; cost: number }, schemaVersion = '2'): string {
  const rows = parse<Row>(readFileSync(BASELINE, 'utf8'), { columns: true });
  const edited = rows.map((row) => ({
    ...row,
    schema_version: schemaVersion,
    profile: name,
    host: `${name}-host`,
    // Every latency statistic consistent with the edited mean and p95 (readers refuse impossible rows).
    min_ms: String(Math.min(figures.mean, figures.p95) * 0.9),
    p50_ms: String(Math.min(figures.mean, figures.p95)),
    p90_ms: String(figures.p95),
    p95_ms: String(figures.p95),
    p99_ms: String(figures.p95),
    max_ms: String(Math.max(figures.mean, figures.p95)),
    mean_ms: String(figures.mean),
    mean_ci95_low_ms: String(figures.mean),
    mean_ci95_high_ms: String(figures.mean),
    median_ci95_low_ms: String(Math.min(figures.mean, figures.p95)),
    median_ci95_high_ms: String(Math.min(figures.mean, figures.p95)),
    items_per_s: String(1000 / figures.mean),
    cost_per_hour_usd: String(figures.cost),
  }));
  const file = join(work, `${name}-${schemaVersion}.csv`);
  writeFileSync(file, stringify(edited, { header: true, columns: Object.keys(rows[0] as Row) }));
  return file;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'zsc-recommend-'));
  files.slow = platformFile('slow', { p95: 300, mean: 250, cost: 0.1 });
  files.cheap = platformFile('cheap', { p95: 100, mean: 80, cost: 0.5 });
  files.fast = platformFile('fast', { p95: 20, mean: 18, cost: 1.2 });
  files.newer = platformFile('newer', { p95: 20, mean: 18, cost: 1.2 }, '3');
});

describe('zsc-bench recommend', () => {
  it('ranks the platforms with a reason per place, in a table, Markdown and JSON', async () => {
    const args = ['recommend', files.slow, files.cheap, files.fast, '--slo', 'p95<150ms', '--labels', '10', '--qps', '20'];
    const table = await runCli(args);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Deploy on cheap (cheap-host, fp32, cpu) x 2.');
    expect(unwrap(table.stdout)).toMatch(/1\. cheap@cheap-host: cheapest that meets everything; p95 100\.0 ms single stream; 2 instances for 20 QPS/);
    expect(unwrap(table.stdout)).toMatch(/3\. slow@slow-host: fails: p95 300\.0 ms single stream, over the p95<150ms limit; synthetic weights/);
    expect(unwrap(table.stdout)).toContain('Instances = ceil(20 QPS / capacity per instance)');

    const json = await runCli([...args, '--format', 'json', '--budget', '1.1/h']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    const ranking = (JSON.parse(json.stdout) as { ranking: Array<Record<string, unknown>> }).ranking;
    expect(ranking.map((entry) => [entry['profile'], entry['passes'], entry['instances'], entry['synthetic']])).toEqual([
      ['cheap', true, 2, true],
      ['fast', false, 1, true],
      ['slow', false, 5, true],
    ]);

    const out = join(work, 'answer.md');
    const markdown = await runCli([...args, '--format', 'markdown', '--out', out]);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('**Deploy on cheap (cheap-host, fp32, cpu) x 2.**');
  });

  it.each([
    [['--slo', 'p95<abc'], /^error: --slo: expected METRIC<LIMIT .* got 'p95<abc'$/],
    [['--slo', 'p95<150ms', '--qps', '0'], /^error: --qps: expected a positive number, got '0'$/],
    [['--slo', 'p95<150ms', '--budget', 'lots'], /^error: --budget: expected USD per hour/],
  ])('refuses %j with one line and exit 2', async (flags, message) => {
    const result = await runCli(['recommend', files.cheap, ...flags]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(message);
  });

  it('refuses no files, a missing file and files of different schema versions with one line and exit 2', async () => {
    const none = await runCli(['recommend', '--slo', 'p95<150ms']);
    expect(none.code).toBe(2);
    expect(oneLineError(none)).toMatch(/missing required argument 'files'/);
    const glob = await runCli(['recommend', join(work, 'nothing-*.csv'), '--slo', 'p95<150ms']);
    expect(glob.code).toBe(2);
    expect(oneLineError(glob)).toMatch(/^error: recommend: no files match '.*nothing-\*\.csv'$/);
    const versions = await runCli(['recommend', files.cheap, files.newer, '--slo', 'p95<150ms']);
    expect(versions.code).toBe(2);
    expect(oneLineError(versions)).toMatch(/newer-3\.csv: result schema version 3/);
  });
});
