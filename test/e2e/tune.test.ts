import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

let work: string;
let start: string;
let int8Start: string;

interface TuneJson {
  state: 'tuned' | 'kept' | 'infeasible' | 'aborted';
  tried: Array<{ index: number; dimension: string; role: string; description: string; verdict: string; screening: { peakRssBytes: number; flipPercent: number; labelCounts: Array<{ labels: number; meanMs: number; sloMs: number }> } }>;
  file: string | null;
  tunedProfile: Record<string, unknown> | null;
  proof?: { comparisons: Array<{ labels: number; ratio: number; interval: [number, number] }>; proven: boolean };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'zsc-tune-'));
  const tiny = await testModel('tiny');
  start = join(work, 'start.json');
  writeFileSync(start, JSON.stringify({ extends: 'cpu', name: 'tiny-start', model: tiny, intraOpThreads: 1 }));
  // int8 of the tiny model flips most top labels against fp32 (deterministic: same weights, same
  // items); with --max-flips 0% the start breaks a constraint and fp32 must be adopted. Speed
  // differences on the tiny model are too small for this noisy machine to decide a test.
  int8Start = join(work, 'int8.json');
  writeFileSync(int8Start, JSON.stringify({ extends: 'cpu', name: 'tiny-int8', model: tiny, intraOpThreads: 1, precision: 'int8' }));
});

describe('zsc-bench tune: bad input', () => {
  it.each([
    [['--memory-budget', '0'], /^error: --memory-budget: expected a memory size above 0 such as 600MB/],
    [['--max-flips', '200%'], /^error: --max-flips: expected a percentage from 0% to 100% .*got '200%'$/],
    [['--slo', 'fast'], /^error: --slo: expected METRIC<LIMIT/],
    [['--pairs', '1'], /^error: --pairs: expected 2 or more pass pairs/],
    [['--precisions', 'fp64'], /^error: --precisions: unknown precision 'fp64'/],
  ])('%s: one line, exit 2', async (flags, expected) => {
    const result = await runCli(['tune', '--profile', start, '--out', join(work, 'never.json'), ...flags]);
    expect(result.code, result.stderr).toBe(2);
    expect(oneLineError(result)).toMatch(expected);
    expect(existsSync(join(work, 'never.json'))).toBe(false);
  });

  it('never writes over the starting profile', async () => {
    const before = readFileSync(start, 'utf8');
    const result = await runCli(['tune', '--profile', start, '--out', start]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: --out: .*start\.json is the starting profile \(--profile\)/);
    expect(readFileSync(start, 'utf8')).toBe(before);
  });
});

describe('zsc-bench tune', () => {
  it('refuses a memory budget no setting fits with one line naming the smallest peak seen (exit 1), writing nothing', async () => {
    const out = join(work, 'budget.json');
    const result = await runCli(['tune', '--profile', start, '--labels', '3', '--precisions', 'fp32', '--items', '2', '--memory-budget', '1MB', '--out', out, '--results', join(work, 'budget-results'), '--json']);
    expect(result.code, result.stderr).toBe(1);
    const line = oneLineError(result);
    const report = JSON.parse(result.stdout) as TuneJson;
    expect(report.state).toBe('infeasible');
    const smallest = Math.min(...report.tried.map((entry) => entry.screening.peakRssBytes)) / 2 ** 20;
    expect(line).toBe(line.replace(/\d+\.\d MiB \(/, `${smallest.toFixed(1)} MiB (`));
    expect(line).toMatch(/^error: no setting fits --memory-budget 1 MiB: the smallest peak seen was \d+\.\d MiB \(.+\)$/);
    // Every dimension was searched: precision has no candidate with --precisions fp32 (threads has none on a 1-core runner).
    expect([...new Set(report.tried.map((entry) => entry.dimension))]).toEqual(expect.arrayContaining(['start', 'pairs/run', 'memory', 'graph', 'exec mode']));
    expect(report.tried.some((entry) => entry.dimension === 'precision')).toBe(false);
    expect(report.tried.every((entry) => entry.screening.peakRssBytes > 1e6)).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('an SLO no setting meets: the table, then "no setting meets ...; best: ..." and exit 1', async () => {
    const result = await runCli(['tune', '--profile', start, '--labels', '3', '--precisions', 'fp32', '--items', '2', '--slo', 'p95<0.001ms', '--out', join(work, 'slo.json'), '--results', join(work, 'slo-results'), '--wide']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/misses p95<0\.001ms at 3 labels/);
    expect(result.stderr.trim().split('\n').pop()).toMatch(/^error: no setting meets p95<0\.001ms; best: p95 \d+ ms \(.+\)$/);
    expect(existsSync(join(work, 'slo.json'))).toBe(false);
  });

  it('adopts fp32 when int8 breaks --max-flips, proves what that costs with an A/B, and writes a profile that run uses', async () => {
    const out = join(work, 'tuned.json');
    const results = join(work, 'tuned-results');
    const result = await runCli(['tune', '--profile', int8Start, '--labels', '3', '--max-flips', '0%', '--items', '3', '--pairs', '2', '--out', out, '--results', results, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as TuneJson;
    expect(report.state, JSON.stringify(report.tried.map((entry) => [entry.description, entry.verdict]))).toBe('tuned');
    // The fp32 reference ran first; the start (int8) broke the flips limit; fp32 was adopted for it.
    expect(report.tried[0]?.role).toBe('reference');
    expect(report.tried[1]?.screening.flipPercent).toBeGreaterThan(0);
    expect(report.tried.find((entry) => entry.dimension === 'precision' && entry.role === 'candidate')?.verdict).toMatch(/^ADOPTED: .*meets the constraints the current setting breaks$/);
    expect(report.proof?.comparisons.map((comparison) => comparison.labels)).toEqual([3]);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { extends: string; name: string; precision?: string; tuned: Record<string, string> };
    expect(written).toEqual(report.tunedProfile);
    expect(written.extends).toBe('./int8.json');
    expect(written.name).toBe('tiny-int8-tuned');
    expect(written.precision).toBe('fp32');
    expect(written.tuned['precision']).toMatch(/^screening \(precision\): .*; flips 0\.0%$/);
    // Later dimensions move by the tiny model's noise: either the proof compares their winner with
    // the start, or (further changes unproven) with fp32 alone, which is then what is written.
    expect(written.tuned['proof']).toMatch(/^A\/B against tiny-int8(-fixed)? on .* 3 labels \d+\.\d{3}x \(95% .*; adopted because the starting profile breaks the constraints \(flips \d+\.\d% > --max-flips 0%\)/);
    for (const field of Object.keys(written).filter((key) => !['extends', 'name', 'description', 'tuned'].includes(key))) expect(written.tuned[field]).toMatch(/^screening \(/);
    // The A/B CSV of the proof is kept beside the other results.
    expect(readdirSync(results).some((file) => file.startsWith('ab-tiny-int8-tuned-vs-tiny-int8'))).toBe(true);

    const runOut = join(work, 'run');
    const run = await runCli(['run', '--profile', out, '--items', '2', '--repeats', '1', '--processes', '1', '--labels', '3', '--out', runOut]);
    expect(run.code, run.stderr).toBe(0);
    const summary = readdirSync(runOut).find((file) => /^tiny-int8-tuned-.*Z\.csv$/.test(file));
    const rows = parse<Record<string, string>>(readFileSync(join(runOut, summary ?? ''), 'utf8'), { columns: true });
    expect(rows[0]?.['precision']).toBe('fp32');
    expect([rows[0]?.['execution_mode'], rows[0]?.['cpu_mem_arena'], rows[0]?.['mem_pattern']]).toEqual(['sequential', 'true', 'true']);
    expect(['true', 'false']).toContain(rows[0]?.['prepacking']);
  });
});
