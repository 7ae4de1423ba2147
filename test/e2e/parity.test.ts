/** `zsc-bench parity`: two real runs' answers side by side, and its refusals. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli } from '../helpers/cli.js';
import { summaryOf } from '../helpers/csv.js';
import { testModel } from '../helpers/models.js';

const root = mkdtempSync(join(tmpdir(), 'zsc-parity-'));
let tiny: string;

async function run(name: string, ...extra: string[]): Promise<string> {
  const out = join(root, name);
  const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '4', '--repeats', '1', '--processes', '1', '--labels', '3,5', '--no-parity', '--out', out, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return summaryOf(out);
}

let oneThread: string;
let twoThreads: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
  oneThread = await run('one', '--threads', '1');
  twoThreads = await run('two', '--threads', '2');
});

describe('zsc-bench parity', () => {
  it('fp32 on one machine with 1 and 2 threads: the same top labels, per label count, summary or samples file alike', async () => {
    const result = await runCli(['parity', oneThread, twoThreads.replace(/\.csv$/, '-samples.csv'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { b: { file: string }; by_label_count: Array<{ labels: number; items: number; flips: number; max_abs_diff: number }>; unpaired_items: number };
    expect(report.b.file).toBe(twoThreads);
    expect(report.by_label_count.map((row) => [row.labels, row.items, row.flips])).toEqual([
      [3, 4, 0],
      [5, 4, 0],
    ]);
    for (const row of report.by_label_count) expect(row.max_abs_diff).toBeLessThan(1e-6);
    expect(report.unpaired_items).toBe(0);
    const table = await runCli(['parity', oneThread, twoThreads]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^3 labels: the same top label for all 4 items; scores differ by at most /m);
    expect(Math.max(...table.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('refuses another precision, a samples file without scores, and a missing file with one line and exit 2', async () => {
    const int8 = await run('int8', '--precision', 'int8');
    const other = await runCli(['parity', oneThread, int8]);
    expect(other.code).toBe(2);
    expect(oneLineError(other)).toBe(`error: ${int8}: precision 'int8' differs from ${oneThread}'s 'fp32'; parity compares the same workload on two machines`);

    // A samples file as older versions wrote it: no scores column (the last one).
    const oldSummary = await run('old');
    const samples = oldSummary.replace(/\.csv$/, '-samples.csv');
    const lines = readFileSync(samples, 'utf8').trimEnd().split('\n');
    expect((lines[0] ?? '').endsWith(',scores')).toBe(true);
    writeFileSync(samples, `${lines.map((line) => line.replace(/,[^,]*$/, '')).join('\n')}\n`);
    const unscored = await runCli(['parity', oneThread, oldSummary]);
    expect(unscored.code).toBe(2);
    expect(oneLineError(unscored)).toBe(`error: ${oldSummary}: its samples have no scores column (written before zsc-bench recorded scores); run it again with this version`);

    const missing = await runCli(['parity', oneThread, join(root, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toMatch(/^error: .*nope\.csv: cannot read \(ENOENT\)/);
  });
});
