import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import { readCsv } from '../helpers/csv.js';

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});

const summaries = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv')).sort().map((file) => join(dir, file));

describe('rerun intervals from the runs already in the results folder', () => {
  it('fill from the fourth run of a command, and check uses their spread for one run a side', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-rerun-'));
    const args = ['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '2', '--labels', '3', '--no-parity', '--out', out];
    const outputs: string[] = [];
    for (let run = 0; run < 4; run += 1) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      outputs.push(result.stdout);
      // Result files are stamped to the second: a second run in the same second would share the stamp's order.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    expect(unwrap(outputs[0] ?? '')).toContain('rerun: 0 earlier run(s) of this command');
    expect(unwrap(outputs[2] ?? '')).toContain('rerun: 2 earlier run(s) of this command');
    expect(unwrap(outputs[3] ?? '')).toMatch(/rerun: a rerun here lands, 95%, at a mean of 3 labels [\d.]+-[\d.]+ ms .*from the spread of 3 earlier runs/);
    const files = summaries(out);
    expect(files).toHaveLength(4);
    const rows = files.map((file) => readCsv(file)[0] ?? {});
    expect(rows.map((row) => row['rerun_earlier_runs'])).toEqual(['0', '1', '2', '3']);
    expect(rows[2]?.['rerun_mean_low_ms']).toBe('');
    const third = rows[3] ?? {};
    const [low, high, mean] = [Number(third['rerun_mean_low_ms']), Number(third['rerun_mean_high_ms']), Number(third['mean_ms'])];
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThanOrEqual(mean);
    expect(high).toBeGreaterThanOrEqual(mean);
    expect(Number(third['rerun_median_sd_log'])).toBeGreaterThanOrEqual(0);

    // Another command (a different item count) in the same folder starts its own history.
    const other = await runCli([...args.slice(0, 5), '--items', '3', ...args.slice(7)]);
    expect(other.code, other.stderr).toBe(0);
    expect(unwrap(other.stdout)).toContain('rerun: 0 earlier run(s) of this command');

    // --history reads the earlier runs from another folder (a CI job's cached history) and writes to --out.
    const elsewhere = mkdtempSync(join(tmpdir(), 'zsc-rerun-out-'));
    const withHistory = await runCli([...args.slice(0, -1), elsewhere, '--history', out]);
    expect(withHistory.code, withHistory.stderr).toBe(0);
    expect(readCsv(summaries(elsewhere)[0] ?? '')[0]?.['rerun_earlier_runs']).toBe('4');
    const notFolder = await runCli([...args.slice(0, -1), elsewhere, '--history', files[0] ?? '']);
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toMatch(/^error: --history: .* is not a folder/m);

    const check = async (extra: string[]) => {
      const result = await runCli(['check', '--baseline', files[0] ?? '', '--current', files[3] ?? '', '--max-regression', '999%', '--format', 'json', ...extra]);
      expect(result.code, result.stderr).toBe(0);
      return { json: JSON.parse(result.stdout) as { comparisons: Array<{ method: string; df: number }> }, stderr: result.stderr };
    };
    const recorded = await check([]);
    expect(recorded.json.comparisons.map((comparison) => [comparison.method, comparison.df])).toEqual([['history', 2]]);
    expect(unwrap(recorded.stderr)).toContain('the spread between 3 earlier runs of this command on its machine');
    const assumed = await check(['--run-noise', '8%']);
    expect(assumed.json.comparisons.map((comparison) => comparison.method)).toEqual(['processes']);
  });
});
