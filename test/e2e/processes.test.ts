import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, spawnCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import { readCsv, samplesOf, summaryOf } from '../helpers/csv.js';

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});

/** Several processes each load the model: on a shared 2-core machine a run of three took over a minute. */
const SLOW_MS = 300_000;

const runArgs = (out: string, extra: readonly string[]) => ['run', '--profile', 'cpu', '--model', tiny, '--items', '3', '--labels', '3,5', '--warmup', '1', '--out', out, ...extra];

describe('zsc-bench run --processes', () => {
  it('spreads the passes over fresh processes: one summary, one samples file with the process, intervals over processes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-processes-'));
    const result = await runCli(runArgs(out, ['--repeats', '3', '--processes', '3']));
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain('note: 3 processes, one after another, each loading the model (passes per process: 1, 1, 1): the intervals are over processes');
    expect(readdirSync(out).filter((file) => file.endsWith('.csv'))).toHaveLength(2);
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      expect(row['processes']).toBe('3');
      expect(row['processes_failed']).toBe('');
      expect(row['ci_unit']).toBe('process');
      expect(row['ci_blocks']).toBe('3');
      expect(row['samples']).toBe('9');
      expect(row['process_cold_starts_ms']).toMatch(/^1:\d+ 2:\d+ 3:\d+$/);
      expect(Number(row['cold_start_ms_mean'])).toBeGreaterThan(0);
      // On the log scale: positive, and around the run's own figure.
      const [low, mean, high] = [row['mean_ci95_low_ms'], row['mean_ms'], row['mean_ci95_high_ms']].map(Number) as [number, number, number];
      expect(low).toBeGreaterThan(0);
      expect(low).toBeLessThanOrEqual(mean);
      expect(high).toBeGreaterThanOrEqual(mean);
      expect(Number(row['median_ci95_low_ms'])).toBeGreaterThan(0);
    }
    const samples = readCsv(samplesOf(out));
    expect(samples).toHaveLength(18);
    // Process k ran pass k - 1 of every label count.
    expect(new Set(samples.map((sample) => `${sample['process']}/${sample['repeat']}`))).toEqual(new Set(['1/0', '2/1', '3/2']));
   }, SLOW_MS);

  it('more processes than repeats: one process per pass', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-processes-few-'));
    const result = await runCli(runArgs(out, ['--repeats', '2', '--processes', '5', '--labels', '3']));
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain('(passes per process: 1, 1)');
    expect(readCsv(summaryOf(out))[0]?.['processes']).toBe('2');
  });

  it('a child killed with SIGKILL is named in the output and the CSV; the others are kept; exit 4', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-processes-kill-'));
    // Test-only hook: child 2 kills itself after its first label count.
    const result = await runCli(runArgs(out, ['--repeats', '3', '--processes', '3']), { ZSC_BENCH_TEST_KILL_PROCESS: '2' });
    expect(result.code, result.stderr).toBe(4);
    expect(unwrap(result.stderr)).toContain('note: process 2 of 3 failed (killed by SIGKILL): its passes are not in the results, the run is incomplete');
    expect(unwrap(result.stderr)).toContain('incomplete: process 2 (killed by SIGKILL) failed; the results hold the other processes only');
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => [row['labels'], row['processes'], row['processes_failed'], row['samples']])).toEqual([
      ['3', '2', '2: killed by SIGKILL', '6'],
      ['5', '2', '2: killed by SIGKILL', '6'],
    ]);
    expect(new Set(readCsv(samplesOf(out)).map((sample) => sample['process']))).toEqual(new Set(['1', '3']));
   }, SLOW_MS);

  it('Ctrl-C stops the child in progress and keeps the completed processes; exit 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-processes-sigint-'));
    const child = spawnCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '20', '--repeats', '30', '--processes', '3', '--labels', '3,20', '--out', out]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Process 1 is done (its label counts reported and written; not a `progress: labels 20:` line): interrupt process 2.
      if (/^labels 20: /m.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
    expect(code, stderr).toBe(130);
    expect(unwrap(stderr)).toMatch(/interrupted at \d+ labels: kept 2 completed label count\(s\) in .*\.csv/);
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => [row['labels'], row['processes'], row['samples']])).toEqual([
      ['3', '1', '200'],
      ['20', '1', '200'],
    ]);
    expect(readdirSync(out).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  }, SLOW_MS);

  it.each(['0', '-1', '1000', 'abc', '1.5'])('--processes %s: one line, exit 2', async (value) => {
    const result = await runCli(['run', '--profile', 'cpu', `--processes=${value}`, '--out', mkdtempSync(join(tmpdir(), 'zsc-processes-bad-'))]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe(`error: --processes: expected a whole number from 1 to 64, got '${value}'`);
  });
});

describe('zsc-bench check and compare on files with processes', () => {
  it('uses the spread between processes plus the assumed run noise between runs, and says so', async () => {
    const work = mkdtempSync(join(tmpdir(), 'zsc-processes-check-'));
    for (const side of ['a', 'b']) {
      const result = await runCli(runArgs(join(work, side), ['--repeats', '3', '--processes', '3', '--labels', '3']));
      expect(result.code, result.stderr).toBe(0);
    }
    const check = await runCli(['check', '--baseline', summaryOf(join(work, 'a')), '--current', summaryOf(join(work, 'b')), '--max-regression', '999%']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/1\/1 †/);
    expect(unwrap(check.stdout)).toContain('† one run a side with several processes: the spread between processes measured, plus run-to-run drift of 8% assumed (--run-noise)');
    expect(unwrap(check.stderr)).toContain('one run a side: its processes show the spread within the run, not the drift between runs minutes apart, so a run-to-run noise of 8% is added (--run-noise)');
    const compare = await runCli(['compare', summaryOf(join(work, 'a')), summaryOf(join(work, 'b'))]);
    expect(compare.code, compare.stderr).toBe(0);
    expect(unwrap(compare.stderr)).toContain("note: 95% intervals (ci_unit): over processes in 2 run(s); intervals over processes come nearest to a rerun, but miss the machine's drift between runs; the rerun_* columns, from earlier runs of the same command, say where a rerun lands (README: Where a rerun lands)");
  }, SLOW_MS);
});
