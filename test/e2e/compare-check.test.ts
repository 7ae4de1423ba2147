import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { RunComparison } from '../../src/compare/check.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { writeRun } from '../helpers/result-files.js';
import type { ComparisonJson } from '../helpers/json.js';
import { type Row, readCsv } from '../helpers/csv.js';


let work: string;
/** Summary CSV paths of the runs the tests compare, written as `run` writes them (test/helpers/result-files.ts). */
const runs: Record<'cpuA' | 'cpuB' | 'int8' | 't4Fallback' | 'oneThread' | 'misconfigured', string> = {
  cpuA: '', cpuB: '', int8: '', t4Fallback: '', oneThread: '', misconfigured: '',
};
/** The tiny model's latency shape: a fixed cost and a cost per label (pair). */
const tinyMs = (labels: number): number => 2 + 0.5 * labels;
/** Six items, three passes, 3 and 20 labels: what the real runs these files stand for used. */
const sweep = { labelCounts: [3, 20], overrides: { items: 6, repeats: 3 } };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'zsc-compare-'));
  // A profile done right (one thread, all pairs of a text in one run) and a misconfigured one
  // (a run per label, no graph optimizations): check compares them, naming the differences.
  const oneThread = join(work, 'cpu-one-thread.json');
  const longTemplate = `这是一篇关于{}的新闻。${'请仔细阅读上面的文章并判断它的主题是否与给出的类别一致，'.repeat(6)}`;
  writeFileSync(oneThread, JSON.stringify({ extends: 'cpu', name: 'cpu', intraOpThreads: 1, pairsPerRun: 'all', template: longTemplate }));
  const misconfigured = join(work, 'cpu-misconfigured.json');
  writeFileSync(misconfigured, JSON.stringify({ extends: oneThread, name: 'cpu', pairsPerRun: 1, graphOptimizationLevel: 'disabled' }));
  runs.cpuA = writeRun(join(work, 'cpuA'), { ...sweep, profile: 'cpu', timestamp: '2026-12-01T10:00:00.000Z', ms: tinyMs });
  // Another run of the same configuration: other noise, 2% slower, as a second real run may be.
  runs.cpuB = writeRun(join(work, 'cpuB'), { ...sweep, profile: 'cpu', timestamp: '2026-12-01T10:05:00.000Z', ms: (labels) => tinyMs(labels) * 1.02 });
  runs.int8 = writeRun(join(work, 'int8'), { ...sweep, profile: 'cpu-int8', timestamp: '2026-12-01T10:10:00.000Z', ms: (labels) => tinyMs(labels) * 0.7 });
  runs.t4Fallback = writeRun(join(work, 't4Fallback'), { ...sweep, profile: 't4', timestamp: '2026-12-01T10:15:00.000Z', ms: (labels) => tinyMs(labels) * 1.3, fallbackReason: 'CUDA execution provider unavailable' });
  // Twelve passes, as the regression case below slows copies of this run.
  runs.oneThread = writeRun(join(work, 'oneThread'), { profile: oneThread, labelCounts: [3, 20], overrides: { items: 6, repeats: 12 }, timestamp: '2026-12-01T10:20:00.000Z', ms: (labels) => tinyMs(labels) * 1.5 });
  runs.misconfigured = writeRun(join(work, 'misconfigured'), { ...sweep, profile: misconfigured, timestamp: '2026-12-01T10:25:00.000Z', ms: (labels) => tinyMs(labels) * 1.6 });
});

/** Every number in a text, as strings, in order of appearance. */
const numbers = (text: string): string[] => (text.match(/-?\d+\.\d+/g) ?? []).map((value) => String(Number(value)));

describe('zsc-bench compare', () => {
  it('merges runs from many files, keeps different precisions apart and marks fallback rows', async () => {
    const result = await runCli(['compare', runs.cpuA, runs.cpuB, runs.int8, runs.t4Fallback]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Group 1 of 3: fp16');
    expect(result.stdout).toContain('Group 2 of 3: fp32');
    expect(result.stdout).toContain('Group 3 of 3: int8');
    expect(result.stdout).toContain('cpu (FALLBACK)');
    for (const line of result.stdout.split('\n').filter((text) => /^[│┌├└]/.test(text))) expect([...line].length).toBeLessThanOrEqual(100);
    const wide = await runCli(['compare', runs.cpuA, runs.cpuB, runs.int8, runs.t4Fallback, '--wide']);
    expect(wide.stdout).toContain('cpu (FALLBACK from cuda)');
    expect(wide.stdout).toMatch(/CPU % \(1 core\)/);
    expect(unwrap(result.stderr)).toMatch(/warning: results kept apart in 3 groups because the precision, model file \(sha256\) differ/);
    expect(unwrap(result.stderr)).toMatch(/warning: t4 on .* asked for cuda but ran on cpu \(fallback\)/);
    // Two runs of cpu on this host stay two rows until pooled.
    const json = JSON.parse((await runCli(['compare', runs.cpuA, runs.cpuB, '--format', 'json'])).stdout) as ComparisonJson;
    expect(json.groups[0]?.platforms.map((entry) => entry['profile'])).toEqual(['cpu', 'cpu']);
  });

  it('pools repeated runs with --merge-repeats, from their samples', async () => {
    const result = await runCli(['compare', runs.cpuA, runs.cpuB, '--merge-repeats', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const [entry] = (JSON.parse(result.stdout) as ComparisonJson).groups[0]?.platforms ?? [];
    expect(entry?.['run']).toBe('2 runs pooled');
    expect(entry?.['samples']).toBe(36);
    const pooled = [runs.cpuA, runs.cpuB].flatMap((file) => readCsv(file.replace(/\.csv$/, '-samples.csv'))).filter((row) => row['labels'] === '3');
    const mean = pooled.reduce((sum, row) => sum + Number(row['total_ms']), 0) / pooled.length;
    expect(entry?.['mean_ms']).toBeCloseTo(mean, 1);
  });

  it('is deterministic, whatever the order of the files', async () => {
    const forward = await runCli(['compare', runs.cpuA, runs.int8, runs.cpuB, '--format', 'csv']);
    const backward = await runCli(['compare', runs.cpuB, runs.int8, runs.cpuA, '--format', 'csv']);
    expect(forward.code).toBe(0);
    expect(backward.stdout).toBe(forward.stdout);
  });

  it('carries the same numbers in every format', async () => {
    const files = [runs.cpuA, runs.int8, '--baseline', `cpu@${readCsv(runs.cpuA)[0]?.['host']}`];
    const json = JSON.parse((await runCli(['compare', ...files, '--format', 'json'])).stdout) as ComparisonJson;
    const fromJson = json.groups.flatMap((group) =>
      group.platforms.flatMap((entry) => [entry['mean_ms'], entry['p95_ms'], entry['single_stream_qps']].map(String)),
    );
    const csvRows = readCsvText((await runCli(['compare', ...files, '--format', 'csv'])).stdout);
    const fromCsv = csvRows.flatMap((row) => [row['mean_ms'], row['p95_ms'], row['single_stream_qps']].map((value) => String(Number(value))));
    expect(fromCsv).toEqual(fromJson);
    // Machine formats at the precision the result file has (3 decimals for ms), not rounded for display.
    const summaryMean = Number(readCsv(runs.cpuA).find((row) => row['labels'] === '3')?.['mean_ms']);
    expect(json.groups.find((group) => group.precision === 'fp32')?.platforms[0]?.['mean_ms']).toBe(summaryMean);
    expect(Object.keys(json.groups[0]?.platforms[0] ?? {})).toEqual(expect.arrayContaining(['std_ms', 'min_ms', 'p50_ms', 'p90_ms', 'p99_ms', 'max_ms', 'mean_ci95_low_ms', 'mean_ci95_high_ms', 'median_ci95_low_ms', 'median_ci95_high_ms']));
    // People's formats show the same numbers, rounded once: ms to 0.1, QPS to 0.01.
    const rounded = json.groups.flatMap((group) =>
      group.platforms.flatMap((entry) => [Number(entry['mean_ms']).toFixed(1), Number(entry['p95_ms']).toFixed(1), Number(entry['single_stream_qps']).toFixed(2)].map((value) => String(Number(value)))),
    );
    for (const format of ['table', 'markdown']) {
      const text = (await runCli(['compare', ...files, '--format', format])).stdout;
      const shown = numbers(text);
      for (const value of rounded) expect(shown).toContain(value);
    }
    // The relative column is against the baseline itself in its group: 1.
    expect(json.groups.find((group) => group.precision === 'fp32')?.platforms[0]?.['speed_vs_baseline']).toBe(1);
  });

  it('--baseline names one of two runs of a platform by file or by time, exactly as its error suggests', async () => {
    const ambiguous = await runCli(['compare', runs.cpuA, runs.cpuB, '--baseline', 'cpu']);
    expect(ambiguous.code).toBe(2);
    const message = oneLineError(ambiguous);
    expect(message).toMatch(/--baseline: cpu matches 2 runs: .*; name one by its file \(--baseline .*\) or by time \(--baseline cpu@.*@.*\), or pool repeats of one configuration with --merge-repeats$/);
    const suggestions = [...message.matchAll(/\(--baseline ([^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(suggestions).toHaveLength(2);
    for (const suggestion of suggestions) {
      const chosen = await runCli(['compare', runs.cpuA, runs.cpuB, '--baseline', suggestion, '--format', 'json']);
      expect(chosen.code, chosen.stderr).toBe(0);
      const speeds = (JSON.parse(chosen.stdout) as ComparisonJson).groups[0]?.platforms.map((entry) => entry['speed_vs_baseline']) ?? [];
      // The first run (cpuA) is the baseline: 1 against itself, and a ratio for the other.
      expect(speeds[0]).toBe(1);
      expect(speeds[1]).toBeGreaterThan(0);
    }
    // By file even when the patterns do not name it: it joins the comparison.
    const joined = await runCli(['compare', runs.cpuB, '--baseline', runs.cpuA, '--format', 'json']);
    expect(joined.code, joined.stderr).toBe(0);
    expect((JSON.parse(joined.stdout) as ComparisonJson).groups[0]?.platforms).toHaveLength(2);
    // The third suggestion, pooling, works too when the runs share one configuration.
    const pooled = await runCli(['compare', runs.cpuA, runs.cpuB, '--merge-repeats', '--baseline', 'cpu', '--format', 'json']);
    expect(pooled.code, pooled.stderr).toBe(0);
    const unknown = await runCli(['compare', runs.cpuA, '--baseline', 'h100']);
    expect(oneLineError(unknown)).toMatch(/--baseline: no results for h100 .*these are compared: cpu@/);
    const markdown = await runCli(['compare', runs.cpuA, runs.cpuB, '--merge-repeats', '--baseline', 'cpu', '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/\| speed vs cpu \(x\) \|/);
  });

  it('writes --out atomically and takes globs', async () => {
    const out = join(work, 'report', 'compare.md');
    const result = await runCli(['compare', join(work, 'cpu?', '*.csv'), '--format', 'markdown', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^## zsc-bench comparison/);
    expect(readdirSync(join(work, 'report'))).toEqual(['compare.md']);
  });

  describe('bad input: one line, exit 2', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'zsc-compare-bad-'));
      writeFileSync(join(dir, 'empty.csv'), '');
      writeFileSync(join(dir, 'columns.csv'), 'schema_version,profile,host\n2,cpu,vm\n');
      const [header, ...lines] = readFileSync(runs.cpuA, 'utf8').trim().split('\n');
      writeFileSync(join(dir, 'future.csv'), [header, ...lines.map((line) => line.replace(/^2,/, '3,'))].join('\n'));
      writeFileSync(join(dir, 'old.csv'), [header, ...lines.map((line) => line.replace(/^2,/, '1,'))].join('\n'));
    });
    const cases: Array<[string, () => string[], RegExp]> = [
      ['missing file', () => ['compare', join(dir, 'nope.csv')], /nope\.csv: cannot read \(ENOENT\)/],
      ['empty CSV', () => ['compare', join(dir, 'empty.csv')], /empty\.csv: skipped, not a zsc-bench result file \(empty\)/],
      ['missing columns, named', () => ['compare', join(dir, 'columns.csv')], /columns\.csv:1: missing column\(s\) tool_version, timestamp, profile_hash, onnxruntime_version, requested_provider.*found header: schema_version,profile,host/],
      ['a newer schema version', () => ['compare', join(dir, 'future.csv')], /future\.csv: result schema version 3; this zsc-bench reads version 2/],
      ['a file from before the comparability columns', () => ['compare', join(dir, 'old.csv')], /old\.csv: result schema version 1, written before zsc-bench recorded the label pool, measured peak RSS per label count and took intervals from passes; this zsc-bench reads version 2: re-run the benchmark to compare it/],
      ['a glob matching nothing', () => ['compare', join(dir, '*.nothing')], /compare: no files match '.*\*\.nothing'/],
      ['--labels not a number', () => ['compare', runs.cpuA, '--labels', 'x'], /--labels: expected a whole number from 1 to 64, got 'x'/],
      ['unknown format', () => ['compare', runs.cpuA, '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are table, markdown, csv, json/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const result = await runCli(args());
        expect(result.code, result.stderr).toBe(2);
        expect(oneLineError(result)).toMatch(message);
      });
    }
  });
});

/**
 * A copy of a run (summary and samples) with every timing multiplied by `factor` and the
 * timestamp moved by `shift` seconds, so it reads as another run. Returns the summary's path.
 */
function slowedCopy(summary: string, factor: number, dir: string, shift = 0): string {
  mkdirSync(dir, { recursive: true });
  const rows = readCsv(summary);
  const samples = readCsv(summary.replace(/\.csv$/, '-samples.csv'));
  const old = rows[0]?.['timestamp'] ?? '';
  const timestamp = new Date(Date.parse(old) + 1000 * (shift + 1)).toISOString();
  const write = (file: string, records: Row[]) => writeFileSync(file, stringify(records, { header: true, columns: Object.keys(records[0] ?? {}) }));
  const target = join(dir, 'run.csv');
  write(target, rows.map((row) => ({ ...row, timestamp })));
  write(join(dir, 'run-samples.csv'), samples.map((row) => ({ ...row, timestamp, total_ms: (Number(row['total_ms']) * factor).toFixed(3) })));
  return target;
}

function readCsvText(text: string): Row[] {
  return parse<Row>(text, { columns: true });
}

/** A comparison as `check --format json` prints it: the same fields as the report type. */
type CheckComparison = Pick<RunComparison, 'labels' | 'method' | 'baselineRuns' | 'currentRuns' | 'baselineSamples' | 'currentSamples' | 'baselineValueMs' | 'currentValueMs' | 'ratio' | 'ratioInterval' | 'pSlower' | 'pFaster' | 'verdict'>;
interface CheckJson {
  result: string;
  regressions: number;
  comparisons: CheckComparison[];
}

/** The exit code and the report's result follow the verdicts: 1 exactly when one is a regression. */
function expectExitFollowsVerdicts(result: { code: number | null; stderr: string }, report: CheckJson): void {
  const regressions = report.comparisons.filter((comparison) => comparison.verdict === 'regression').length;
  expect(report.regressions).toBe(regressions);
  expect(result.code, result.stderr).toBe(regressions > 0 ? 1 : 0);
  expect(report.result).toBe(regressions > 0 ? 'regression' : 'pass');
}

/** The median of one run's samples at one label count, as the check's default metric reads it. */
function sampleMedian(summary: string, labels: number): number {
  const values = readCsv(summary.replace(/\.csv$/, '-samples.csv'))
    .filter((row) => row['labels'] === String(labels))
    .map((row) => Number(row['total_ms']))
    .sort((a, b) => a - b);
  const middle = Math.floor(values.length / 2);
  return values.length % 2 === 1 ? (values[middle] ?? Number.NaN) : ((values[middle - 1] ?? Number.NaN) + (values[middle] ?? Number.NaN)) / 2;
}

describe('zsc-bench check', () => {
  it('a run against itself: no change, exit 0', async () => {
    const result = await runCli(['check', '--baseline', runs.cpuA, '--current', runs.cpuA]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no change/);
    expect(result.stdout).toMatch(/no regression in 2 comparison\(s\) \(median, threshold 10%, alpha 0\.05/);
  });

  it('a run whose every timing is 1.6x the baseline\'s: a regression, exit 1; the other way round: faster', async () => {
    // The current run is the real baseline run with every sample slowed 1.6x: the slowdown is
    // known exactly, whatever the neighbours on this machine do (bench:check shows real ones).
    const slowed = slowedCopy(runs.oneThread, 1.6, join(work, 'slowed'));
    const result = await runCli(['check', '--baseline', runs.oneThread, '--current', slowed, '--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report.result).toBe('regression');
    for (const comparison of report.comparisons) {
      expect(comparison.ratio).toBeCloseTo(1.6, 2);
      expect(comparison.method).toBe('allowance');
      expect(comparison.verdict).toBe('regression');
    }
    const reverse = JSON.parse((await runCli(['check', '--baseline', slowed, '--current', runs.oneThread, '--format', 'json'])).stdout) as CheckJson;
    expect(reverse.comparisons.map((comparison: { verdict: string }) => comparison.verdict)).toEqual(['faster', 'faster']);
    // Three runs a side, each 1.6x: measured between runs, still a regression.
    const more = await runCli(['check', '--baseline', runs.oneThread, slowedCopy(runs.oneThread, 1.0, join(work, 'again1'), 1), slowedCopy(runs.oneThread, 1.02, join(work, 'again2'), 2),
      '--current', slowed, slowedCopy(runs.oneThread, 1.62, join(work, 'slowed1'), 1), slowedCopy(runs.oneThread, 1.58, join(work, 'slowed2'), 2), '--format', 'json']);
    expect(more.code, more.stderr).toBe(1);
    expect((JSON.parse(more.stdout) as CheckJson).comparisons.every((comparison: { method: string; baselineRuns: number }) => comparison.method === 'between-runs' && comparison.baselineRuns === 3)).toBe(true);
  });

  it('a misconfigured profile (a run per label, no graph optimizations) is compared, with the differences named', async () => {
    const result = await runCli(['check', '--baseline', runs.oneThread, '--current', runs.misconfigured, '--format', 'json']);
    // Compared, not refused: a verdict at every label count, whichever way the noise went.
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report.comparisons.map((comparison) => [comparison.labels, comparison.baselineRuns, comparison.currentRuns])).toEqual([[3, 1, 1], [20, 1, 1]]);
    expectExitFollowsVerdicts(result, report);
    // Named from the profiles saved beside the results (the misconfigured run has 3 repeats, the other 12).
    expect(unwrap(result.stderr)).toContain("warning: cpu: the profile's settings differ between the runs, --baseline vs --current: graphOptimizationLevel: all vs disabled; pairsPerRun: all vs 1; repeats: 12 vs 3\n");
    expect(unwrap(result.stderr)).toMatch(/warning: cpu: pairs per run setting differ \(--baseline all; --current 1\)/);
    expect(unwrap(result.stderr)).toMatch(/warning: cpu: graph optimization level differ \(--baseline all; --current disabled\)/);
  });

  it('one run a side says so and what it can catch; several runs a side use the spread between them', async () => {
    const one = await runCli(['check', '--baseline', runs.cpuA, '--current', runs.cpuB]);
    // Either verdict may happen on a shared machine; the exit code must be the one the table shows.
    expect(one.code, one.stderr).toBe(/REGRESSION/.test(one.stdout) ? 1 : 0);
    expect(one.stdout).toMatch(one.code === 1 ? /regression\(s\) in 2 comparison\(s\)/ : /no regression in 2 comparison\(s\)/);
    expect(unwrap(one.stderr)).toMatch(/warning: cpu at 3 labels \(1 vs 1 run\(s\)\): one run a side with one process cannot show how much a second run would differ; the interval assumes a run-to-run noise of 8%/);
    // The header wraps onto two lines in the default 100-column table.
    expect(one.stdout).toMatch(/│ catches │[^\n]*\n[^\n]*│ \(80%\) +│/);
    const several = await runCli(['check', '--baseline', runs.cpuA, runs.cpuB, '--current', runs.cpuA, runs.cpuB, '--format', 'json']);
    expect(several.code, several.stderr).toBe(0);
    const report = JSON.parse(several.stdout) as CheckJson;
    expect(report.comparisons.map((comparison: { method: string; baselineRuns: number; ratio: number }) => [comparison.method, comparison.baselineRuns, comparison.ratio])).toEqual([
      ['between-runs', 2, 1],
      ['between-runs', 2, 1],
    ]);
    expect(several.stderr).not.toMatch(/one run a side/);
  });

  it('two runs of the same configuration: each run read from its own samples, the same reading both ways, an exit code that follows the verdicts', async () => {
    // Noise may make either run look slower, so the verdict is not fixed; what is fixed is what
    // the check reads (each run's median) and that swapping the sides swaps the reading.
    const forward = await runCli(['check', '--baseline', runs.cpuA, '--current', runs.cpuB, '--format', 'json']);
    const backward = await runCli(['check', '--baseline', runs.cpuB, '--current', runs.cpuA, '--format', 'json']);
    const [there, back] = [JSON.parse(forward.stdout) as CheckJson, JSON.parse(backward.stdout) as CheckJson];
    // 6 items x 3 passes per label count, one run a side.
    expect(there.comparisons.map((c) => [c.labels, c.method, c.baselineRuns, c.currentRuns, c.baselineSamples, c.currentSamples])).toEqual([
      [3, 'allowance', 1, 1, 18, 18],
      [20, 'allowance', 1, 1, 18, 18],
    ]);
    for (const comparison of there.comparisons) {
      expect(comparison.baselineValueMs).toBeCloseTo(sampleMedian(runs.cpuA, comparison.labels), 6);
      expect(comparison.currentValueMs).toBeCloseTo(sampleMedian(runs.cpuB, comparison.labels), 6);
      expect(comparison.ratio).toBeCloseTo(comparison.currentValueMs / comparison.baselineValueMs, 9);
      expect(comparison.ratioInterval[0]).toBeLessThan(comparison.ratio);
      expect(comparison.ratioInterval[1]).toBeGreaterThan(comparison.ratio);
    }
    // Reversed: the reciprocal ratio and the opposite reading, never slower both ways.
    const opposite: Record<string, string[]> = { regression: ['faster'], slower: ['faster'], faster: ['slower', 'regression'], 'no change': ['no change'] };
    expect(back.comparisons.map((comparison) => comparison.labels)).toEqual([3, 20]);
    there.comparisons.forEach((comparison, index) => {
      const reverse = back.comparisons[index] as CheckComparison;
      expect(comparison.ratio * reverse.ratio).toBeCloseTo(1, 9);
      expect(reverse.pSlower).toBeCloseTo(comparison.pFaster, 9);
      expect(opposite[comparison.verdict]).toContain(reverse.verdict);
    });
    expectExitFollowsVerdicts(forward, there);
    expectExitFollowsVerdicts(backward, back);
    // The Markdown a CI job summary shows says the same.
    const markdown = await runCli(['check', '--baseline', runs.cpuA, '--current', runs.cpuB, '--format', 'markdown']);
    expect(markdown.code).toBe(forward.code);
    expect(markdown.stdout).toMatch(/^## zsc-bench check/);
    expect(markdown.stdout).toContain(there.regressions > 0 ? `**${there.regressions} regression(s) in 2 comparison(s)` : '**no regression in 2 comparison(s)');
  });

  describe('bad input: one line, exit 2', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'zsc-check-bad-'));
      mkdirSync(join(dir, 'lonely'));
      copyFileSync(runs.cpuA, join(dir, 'lonely', 'cpu.csv'));
    });
    const cases: Array<[string, () => string[], RegExp]> = [
      // What differs here is the profile set (cpu vs cpu-int8); another precision under one profile is tested below.
      ['different profile sets', () => ['check', '--baseline', runs.cpuA, '--current', runs.int8], /the files cover different profiles \(only in --baseline: cpu; only in --current: cpu-int8\)/],
      ['a samples file missing', () => ['check', '--baseline', join(dir, 'lonely', 'cpu.csv'), '--current', runs.cpuA], /cpu\.csv: its samples file .*cpu-samples\.csv is missing or unreadable/],
      ['a threshold that is not a percentage', () => ['check', '--baseline', runs.cpuA, '--current', runs.cpuA, '--max-regression', 'ten'], /--max-regression: expected a percentage such as 10%/],
      ['--alpha 0', () => ['check', '--baseline', runs.cpuA, '--current', runs.cpuA, '--alpha', '0'], /--alpha: expected a number between 0 and 1 \(exclusive\)/],
      ['--alpha 1.5', () => ['check', '--baseline', runs.cpuA, '--current', runs.cpuA, '--alpha', '1.5'], /--alpha: expected a number between 0 and 1/],
      ['missing file', () => ['check', '--baseline', join(dir, 'nope.csv'), '--current', runs.cpuA], /nope\.csv: cannot read \(ENOENT\)/],
      ['unknown metric', () => ['check', '--baseline', runs.cpuA, '--current', runs.cpuA, '--metric', 'p42'], /argument 'p42' is invalid/],
      ['--run-noise not a percentage', () => ['check', '--baseline', runs.cpuA, '--current', runs.cpuA, '--run-noise', 'lots'], /--run-noise: expected a percentage such as 10%/],
      ['--alpha 0.5: no one-sided bound', () => ['check', '--baseline', runs.cpuA, '--current', runs.cpuA, '--alpha', '0.5'], /--alpha: expected a number below 0\.5/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const result = await runCli(args());
        expect(result.code, result.stderr).toBe(2);
        expect(oneLineError(result)).toMatch(message);
      });
    }

    it('the same profile with another template is refused, naming it', async () => {
      const otherTemplate = join(dir, 'other-template.json');
      writeFileSync(otherTemplate, JSON.stringify({ extends: 'cpu', name: 'cpu', template: '{}' }));
      const out = join(dir, 'other-template');
      const summary = writeRun(out, { profile: otherTemplate, labelCounts: [3], overrides: { items: 6, repeats: 1 }, timestamp: '2026-12-01T11:00:00.000Z', ms: tinyMs });
      const result = await runCli(['check', '--baseline', runs.cpuA, '--current', summary]);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toMatch(/^error: cpu: template differs \(--baseline .*: 这是一篇关于\{\}的新闻。; --current .*: \{\}\); these runs measure different things$/);
      rmSync(out, { recursive: true, force: true });
    });

    it('the same profile at another precision is refused, naming it', async () => {
      // A cpu-named profile at int8: same profile set, different precision.
      const int8AsCpu = join(dir, 'int8-as-cpu.json');
      writeFileSync(int8AsCpu, JSON.stringify({ extends: 'cpu-int8', name: 'cpu' }));
      const out = join(dir, 'int8-as-cpu');
      const summary = writeRun(out, { profile: int8AsCpu, labelCounts: [3], overrides: { items: 2, repeats: 1 }, timestamp: '2026-12-01T11:05:00.000Z', ms: tinyMs });
      const result = await runCli(['check', '--baseline', runs.cpuA, '--current', summary]);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toMatch(/^error: cpu: precision differs \(--baseline .*: fp32; --current .*: int8\); these runs measure different things$/);
      rmSync(out, { recursive: true, force: true });
    });
  });
});
