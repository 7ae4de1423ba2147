/**
 * What a new user found (issue 24, "A new user", points 2 and 4-7): compare groups runs of
 * different sizes, run and compare print what a run found, progress adds up to the plan, a
 * missing provider is refused before any model build, and the report's charts speak words.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { missingProviderLibrary } from '../../src/core/session.js';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { readCsv, summaryOf } from '../helpers/csv.js';
import type { ComparisonJson } from '../helpers/json.js';
import { testModel } from '../helpers/models.js';
import { writeRun } from '../helpers/result-files.js';

const work = mkdtempSync(join(tmpdir(), 'zsc-new-user-'));
const ms = (labels: number): number => 20 + 2 * labels;
let overlap: string;

beforeAll(async () => {
  overlap = await testModel('overlap');
});

describe('compare keeps together what a newcomer runs', () => {
  it('runs of 10 and 20 items share a group: an items column, a note, and --baseline figures for both', async () => {
    const ten = writeRun(join(work, 'ten'), { profile: 'cpu', labelCounts: [3, 5], overrides: { items: 10, repeats: 1 }, timestamp: '2026-12-04T09:00:00.000Z', ms, host: 'vm-a' });
    const twenty = writeRun(join(work, 'twenty'), { profile: 'cpu', labelCounts: [3, 5], overrides: { items: 20, repeats: 1 }, timestamp: '2026-12-04T09:10:00.000Z', ms: (labels) => ms(labels) * 2, host: 'vm-b' });
    const result = await runCli(['compare', ten, twenty, '--baseline', 'cpu@vm-a']);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).not.toContain('kept apart');
    expect(unwrap(result.stderr)).toContain('warning: group 1: runs of 10, 20 items side by side: per-item figures (mean and p95 ms, QPS) compare');
    // The same profile name with another item count, in one group: no settings warning for what the note already says.
    expect(unwrap(result.stderr)).not.toContain("the profile's settings differ");
    const table = result.stdout.split('\n');
    const header = table.find((line) => line.includes('platform') && line.includes('speed (x)')) ?? '';
    expect(header).toMatch(/│ items +│/);
    const rowB = table.find((line) => line.includes('cpu@vm-b')) ?? '';
    expect(rowB).toMatch(/│ 20 +│/);
    // Half as fast as the baseline: a figure, not "-".
    expect(rowB).toMatch(/│ 0\.\d\d +│$/);
    const json = JSON.parse((await runCli(['compare', ten, twenty, '--baseline', 'cpu@vm-a', '--format', 'json'])).stdout) as ComparisonJson;
    expect(json.groups).toHaveLength(1);
    expect(json.groups[0]?.platforms.map((entry) => [entry['items'], entry['speed_vs_baseline'] === null])).toEqual([[10, false], [20, false]]);
  });

  it('a profile run at two precisions is two groups, and the same-name settings warning does not repeat that', async () => {
    const fp32 = writeRun(join(work, 'fp32'), { profile: 'cpu', labelCounts: [3], overrides: { items: 10, repeats: 1 }, timestamp: '2026-12-04T09:20:00.000Z', ms });
    const int8 = writeRun(join(work, 'int8'), { profile: 'cpu', labelCounts: [3], overrides: { items: 10, repeats: 1, precision: 'int8' }, timestamp: '2026-12-04T09:30:00.000Z', ms });
    const result = await runCli(['compare', fp32, int8]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain('kept apart in 2 groups because the precision, model file (sha256) differ');
    expect(unwrap(result.stderr)).not.toContain("the profile's settings differ");
  });
});

describe('compare says what the runs found', () => {
  it('a CPU-fallback a10g row is not priced as a GPU, with a warning saying so', async () => {
    const fallback = writeRun(join(work, 'a10g'), { profile: 'a10g', labelCounts: [3], overrides: { items: 4, repeats: 1 }, timestamp: '2026-12-04T09:40:00.000Z', ms, fallbackReason: 'CUDA execution provider unavailable' });
    const result = await runCli(['compare', fallback, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const entry = (JSON.parse(result.stdout) as ComparisonJson).groups[0]?.platforms[0];
    expect(entry?.['fallback']).toBe(true);
    expect(entry?.['single_stream_qps_per_usd_hour']).toBeNull();
    expect(unwrap(result.stderr)).toContain("asked for cuda but ran on cpu (fallback): its numbers are not cuda's, and its QPS per $/h is left out ($1.006/h is the price of cuda)");
  });

  it('a sweep whose fitted slope is negative (5 labels faster than 3) is warned about', async () => {
    const falling = writeRun(join(work, 'falling'), { profile: 'cpu', labelCounts: [3, 5], overrides: { items: 4, repeats: 1 }, timestamp: '2026-12-04T09:50:00.000Z', ms: (labels) => 400 - 60 * labels, noise: 0 });
    const result = await runCli(['compare', falling]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toMatch(/warning: cpu@\S+ \(2026-12-04T09:50:00Z\): -60\.00 ms per label: the fitted slope is negative \(more labels ran faster\)/);
  });
});

describe('run and classify print what they found', () => {
  it('an int8 run prints a parity line per label count, the known-answer model\'s accuracy, and progress that adds up to its plan', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-new-user-run-'));
    const result = await runCli(['run', '--profile', 'cpu-int8', '--model', overlap, '--items', '3', '--repeats', '1', '--labels', '3,5', '--progress-interval', '0.01', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stdout)).toMatch(/^parity at 3 labels: top label changed for 0\.0% of 3 items vs fp32 \(max score diff \d\.\d{4}\); in batches 0\.0% \(max \d\.\d{4}\)$/m);
    expect(unwrap(result.stdout)).toMatch(/^parity at 5 labels: top label changed for 0\.0% of 3 items vs fp32/m);
    // Known answers: the accuracy is meaningful and printed; the note says it is no real NLI model.
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => row['accuracy_meaningful'])).toEqual(['true', 'true']);
    expect(rows.every((row) => /^(0|1)(\.\d+)?$/.test(row['accuracy'] ?? ''))).toBe(true);
    expect(result.stdout).toMatch(/│ accuracy │/);
    expect(unwrap(result.stdout)).toContain('it is not a real NLI model');
    // The plan's total is what progress counts to; the calibrate stage is named while it runs.
    const plan = /progress counts (\d+) \(text, label\) pairs: (\d+) timed, (\d+) in the cold start/.exec(unwrap(result.stderr));
    expect(plan).not.toBeNull();
    const [total, timed, untimed] = [Number(plan?.[1]), Number(plan?.[2]), Number(plan?.[3])];
    expect(timed).toBe(3 * (3 + 5));
    expect(total).toBe(timed + untimed);
    // The sweep's lines (samples and pairs); the parity pass counts its own pairs, and says so.
    const totals = [...unwrap(result.stderr).matchAll(/^progress: .*? samples, (\d+)\/(\d+) pairs/gm)].map((match) => Number(match[2]));
    expect(totals.length).toBeGreaterThan(0);
    expect(new Set(totals)).toEqual(new Set([total]));
    expect(unwrap(result.stderr)).toContain('calibrating: the cold start, then the pairs-per-run setting');
    expect(unwrap(result.stderr)).toContain('measuring: the label sweep');
  });

  it('classify notes a tie instead of naming a winner', async () => {
    const result = await runCli(['classify', '体育新闻', '--labels', '财经,科技,娱乐', '--model', overlap]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain('note: tie: 财经, 科技, 娱乐 score the same (0.3333); no label wins');
    const sole = await runCli(['classify', '体育新闻', '--labels', '体育,财经', '--model', overlap]);
    expect(unwrap(sole.stderr)).not.toContain('tie:');
  });

  it('a profile with more threads than this machine has cores gets a note', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-new-user-threads-'));
    const threads = availableParallelism() + 1;
    const result = await runCli(['run', '--profile', 'cpu', '--model', overlap, '--threads', String(threads), '--items', '2', '--repeats', '1', '--labels', '3', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toMatch(new RegExp(`note: cpu runs ${threads} intra-op threads, but this machine gives \\d+ \\(`));
  });
});

describe('a provider that cannot load is refused before any model is built', () => {
  it.skipIf(missingProviderLibrary('cuda') === undefined)('run --profile a10g without CUDA: exit 3, one line, no model in the cache', async () => {
    const home = mkdtempSync(join(tmpdir(), 'zsc-new-user-home-'));
    const result = await runCli(['run', '--profile', 'a10g', '--items', '2', '--repeats', '1', '--labels', '3', '--out', join(work, 'never')], { ZSC_BENCH_HOME: home });
    expect(result.code).toBe(3);
    expect(oneLineError(result)).toMatch(/^error: CUDA execution provider unavailable \(libonnxruntime_providers_cuda\.so is not installed; .*\); pass --allow-fallback to run on CPU$/);
    expect(existsSync(join(home, 'models'))).toBe(false);
    expect(unwrap(result.stderr)).not.toContain('building');
  });

  it.skipIf(missingProviderLibrary('cuda') === undefined)('classify and serve --provider cuda without CUDA: exit 3 before building the default model', async () => {
    const home = mkdtempSync(join(tmpdir(), 'zsc-new-user-home-'));
    for (const args of [['classify', '体育新闻', '--labels', '体育,财经', '--provider', 'cuda'], ['serve', '--provider', 'cuda', '--port', '0']]) {
      const result = await runCli(args, { ZSC_BENCH_HOME: home });
      expect(result.code, args[0]).toBe(3);
      expect(oneLineError(result)).toMatch(/^error: CUDA execution provider unavailable \(libonnxruntime_providers_cuda\.so is not installed; /);
    }
    expect(existsSync(join(home, 'models'))).toBe(false);
  });
});

describe('the report speaks words', () => {
  it('extra charts are titled in Chinese and English, counts are not charted, a one-count sweep is skipped with a line', async () => {
    const one = writeRun(join(work, 'report-one'), { profile: 'cpu', labelCounts: [3], overrides: { items: 4, repeats: 3 }, timestamp: '2026-12-04T10:00:00.000Z', ms });
    const html = join(work, 'report.html');
    const result = await runCli(['report', one, '--out', html]);
    expect(result.code, result.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    const ids = [...page.matchAll(/<canvas id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids).not.toContain('g1-sweep');
    expect(ids.some((id) => id?.endsWith('_items'))).toBe(false);
    expect(page).toContain('No label sweep chart: every run here measured one label count (3)');
    expect(page).toContain('噪声 Pass-to-pass noise of the mean latency (3 labels)');
    expect(page).not.toMatch(/"text":"drift_noise_percent at/);
  });
});
