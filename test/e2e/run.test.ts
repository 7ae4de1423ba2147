import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import type { RunJson } from '../helpers/json.js';
import { readCsv } from '../helpers/csv.js';

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});


function resultFiles(dir: string): { summary: string; samples: string } {
  const files = readdirSync(dir).sort();
  const samples = files.find((file) => file.endsWith('-samples.csv'));
  const summary = files.find((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv'));
  if (samples === undefined || summary === undefined) throw new Error(`no result files in ${dir}: ${files.join(', ')}`);
  return { summary: join(dir, summary), samples: join(dir, samples) };
}

describe('zsc-bench run', () => {
  it('runs the sweep on the tiny model and writes sane summary and sample CSVs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-run-'));
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '2', '--labels', '3,5', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('labels');
    expect(result.stdout).toMatch(/fit: latency ≈ .* ms \+ .* ms × labels/);
    const { summary, samples } = resultFiles(out);
    expect(summary).toMatch(/cpu-.+-\d{8}T\d{6}Z\.csv$/);
    const rows = readCsv(summary);
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      // A number, never an empty cell: Number('') is 0, which passes every 'at least 0' below.
      const n = (column: string) => {
        expect(row[column], column).toMatch(/^-?\d+(\.\d+)?$/);
        return Number(row[column]);
      };
      expect(row['profile']).toBe('cpu');
      expect(row['requested_provider']).toBe('cpu');
      expect(row['actual_provider']).toBe('cpu');
      // Where the model really ran, from one profiled classification after load.
      expect(row['provider_kernel_time_shares']).toBe('cpu 100.0%');
      expect(row['provider_node_shares']).toBe('cpu 100.0%');
      expect(row['fallback']).toBe('false');
      expect(row['synthetic']).toBe('true');
      expect(row['accuracy_meaningful']).toBe('false');
      expect(row['precision']).toBe('fp32');
      expect(row['model_sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['dataset_hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['profile_hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['schema_version']).toBe('2');
      // The intervals come from the two passes; the label pool is recorded for compare's key.
      expect(row['ci_blocks']).toBe('2');
      expect(row['label_pool']?.split('|')).toHaveLength(20);
      expect(n('samples')).toBe(4);
      expect(n('min_ms')).toBeGreaterThan(0);
      expect(n('min_ms')).toBeLessThanOrEqual(n('p50_ms'));
      expect(n('p50_ms')).toBeLessThanOrEqual(n('p90_ms'));
      expect(n('p90_ms')).toBeLessThanOrEqual(n('p95_ms'));
      expect(n('p95_ms')).toBeLessThanOrEqual(n('p99_ms'));
      expect(n('p99_ms')).toBeLessThanOrEqual(n('max_ms'));
      expect(n('mean_ci95_low_ms')).toBeLessThanOrEqual(n('mean_ms'));
      expect(n('mean_ci95_high_ms')).toBeGreaterThanOrEqual(n('mean_ms'));
      // Synthetic weights: no accuracy number to plot.
      expect(row['accuracy']).toBe('');
      // Columns are rounded independently: compare to a relative 1e-3.
      expect(Math.abs(n('items_per_s') * n('mean_ms') - 1000)).toBeLessThan(1);
      expect(Math.abs(n('pairs_per_s') / (n('items_per_s') * n('labels')) - 1)).toBeLessThan(1e-3);
      expect(n('peak_rss_mb')).toBeGreaterThanOrEqual(n('rss_after_load_mb') * 0.5);
      expect(n('cpu_percent_one_core')).toBeGreaterThan(0);
      expect(n('model_load_ms')).toBeGreaterThan(0);
      expect(n('first_inference_ms')).toBeGreaterThan(0);
      expect(n('harness_overhead_percent')).toBeGreaterThanOrEqual(0);
      expect(n('harness_overhead_percent')).toBeLessThan(100);
      expect(row['gpu_memory_mb']).toBe('');
      expect(row['host']).not.toBe('');
      expect(row['cpu_model']).not.toBe('');
      expect(row['node_version']).toBe(process.version);
      expect(row['onnxruntime_version']).toBe('1.30.0');
    }
    expect(rows[0]?.['increase_vs_min_labels_percent']).toBe('0.00');
    expect(rows[1]?.['fit_ms_per_label']).not.toBe('');
    const sampleRows = readCsv(samples);
    expect(sampleRows).toHaveLength(8);
    expect(new Set(sampleRows.map((row) => row['item_id'])).size).toBe(2);
    expect(sampleRows.every((row) => Number(row['inference_ms']) <= Number(row['total_ms']))).toBe(true);
  });

  it('when stderr is not a terminal: the plan, then a progress line per interval with done/total and ETA', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-run-progress-'));
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '10', '--repeats', '5', '--processes', '1', '--labels', '3,20', '--warmup', '1', '--progress-interval', '0.05', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const lines = unwrap(result.stderr).split('\n');
    expect(lines).toContain('plan: 2 label count(s) (3, 20) × 10 items × 5 repeats = 100 timed classifications; progress counts 1176 (text, label) pairs: 1150 timed, 26 in the cold start and 1 warm-up run(s) per label count');
    const progress = lines.filter((line) => line.startsWith('progress: '));
    const pattern = /^progress: (?:calibrating|labels +(\d+)): (\d+)\/100 samples, (\d+)\/1176 pairs \((\d+)%\), \d+s elapsed, ETA (\d+s|\d+m\d\ds|--)$/;
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const line of progress) expect(line).toMatch(pattern);
    // Pairs only grow; the cold start and warm-ups count (3 + 3 + 20 beyond the 1150 timed pairs).
    const pairs = progress.map((line) => Number(pattern.exec(line)?.[3]));
    expect(pairs).toEqual([...pairs].sort((a, b) => a - b));
    expect(lines.some((line) => /^labels 3: 50 samples, mean [\d.]+ ms \(\d+s elapsed\)$/.test(line))).toBe(true);
    expect(lines.some((line) => /^labels 20: 50 samples, mean [\d.]+ ms/.test(line))).toBe(true);
    // No terminal control codes in a log.
    expect(result.stderr).not.toContain('\r');
  });

  it('--precision, --provider, --threads and --warmup override the profile, and the result says so', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-run-overrides-'));
    const plain = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', join(out, 'plain')]);
    expect(plain.code, plain.stderr).toBe(0);
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--precision', 'int8', '--provider', 'cpu', '--threads', '1', '--warmup', '0', '--out', join(out, 'over')]);
    expect(result.code, result.stderr).toBe(0);
    const [row] = readCsv(resultFiles(join(out, 'over')).summary);
    const [plainRow] = readCsv(resultFiles(join(out, 'plain')).summary);
    expect(row).toMatchObject({ precision: 'int8', requested_provider: 'cpu', actual_provider: 'cpu', intra_op_threads: '1', intra_op_threads_reason: '--threads', warmup: '0' });
    expect(plainRow).toMatchObject({ precision: 'fp32', warmup: '2' });
    // Another configuration: another profile hash, so compare and check never mistake one for the other.
    expect(row?.['profile_hash']).not.toBe(plainRow?.['profile_hash']);
    // The resolved profile, overrides applied, saved beside the result with the hash its rows record.
    const saved: unknown = JSON.parse(readFileSync(resultFiles(join(out, 'over')).summary.replace(/\.csv$/, '.profile.json'), 'utf8'));
    expect(saved).toMatchObject({
      kind: 'zsc-bench resolved profile',
      profile_hash: row?.['profile_hash'],
      command: { profile: 'cpu', flags: { '--precision': 'int8', '--provider': 'cpu', '--threads': '1', '--warmup': '0', '--items': '2', '--labels': '3' } },
      profile: { name: 'cpu', precision: 'int8', executionProviders: ['cpu'], intraOpThreads: 1, warmup: 0, items: 2, repeats: 1, labelCounts: [3], model: tiny },
    });
  });

  it('--json prints only JSON, with the rows and file names', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-run-json-'));
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout) as RunJson;
    expect(output.state).toBe('completed');
    expect(output.rows).toHaveLength(1);
    expect(output.files?.summary).toBe(resultFiles(out).summary);
    expect(output.files?.profile).toBe(resultFiles(out).summary.replace(/\.csv$/, '.profile.json'));
    expect(readdirSync(out)).toContain(basename(output.files?.profile ?? ''));
  });

  it('refuses a CUDA profile without a GPU, and with --allow-fallback runs on CPU and says so', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-run-fb-'));
    const refused = await runCli(['run', '--profile', 'a10g', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', out]);
    // An environment failure (the machine has no CUDA), not an input error: exit 3.
    expect(refused.code).toBe(3);
    expect(unwrap(refused.stderr)).toMatch(/error: CUDA execution provider unavailable \(.+\); pass --allow-fallback to run on CPU\n$/);
    expect(readdirSync(out)).toEqual([]);

    const fallback = await runCli(['run', '--profile', 'a10g', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', out, '--allow-fallback', '--wide']);
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.stdout).toContain('cpu (FALLBACK from cuda)');
    const [row] = readCsv(resultFiles(out).summary);
    expect(row?.['profile']).toBe('a10g');
    expect(row?.['requested_provider']).toBe('cuda');
    expect(row?.['actual_provider']).toBe('cpu');
    expect(row?.['fallback']).toBe('true');
    expect(row?.['fallback_reason']).not.toBe('');
    expect(row?.['precision']).toBe('fp16');
  });
});

describe('zsc-bench run: bad input gives one line and exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-run-bad-'));
  const malformed = join(dir, 'malformed.json');
  writeFileSync(malformed, '{\n  "extends": "base",\n  "repeats": 5,\n}\n');
  const wrongType = join(dir, 'wrong-type.json');
  writeFileSync(wrongType, JSON.stringify({ extends: 'base', name: 'wrong-type', description: 'x', repeats: '5' }));
  const notADir = join(dir, 'a-file');
  writeFileSync(notADir, '');
  const common = () => ['--model', tiny, '--items', '2', '--repeats', '1', '--out', join(dir, 'out')];
  const cases: Array<[string, () => string[], RegExp]> = [
    ['unknown profile', () => ['run', '--profile', 'h100', ...common()], /h100.*(a10g|known).*cpu/],
    ['malformed profile JSON', () => ['run', '--profile', malformed, ...common()], new RegExp(`${malformed}.*(line 4|4:1|position)`)],
    ['profile field of the wrong type', () => ['run', '--profile', wrongType, ...common()], /wrong-type\.json.*"?repeats"?.*expected a positive integer/],
    ['missing dataset', () => ['run', '--profile', 'cpu', '--dataset', join(dir, 'nope.csv'), ...common()], /nope\.csv/],
    ['--labels 0', () => ['run', '--profile', 'cpu', '--labels', '0', ...common()], /--labels: expected a whole number from 1 to 64, got '0'/],
    ['--labels beyond the pool', () => ['run', '--profile', 'cpu', '--labels', '3,25', ...common()], /--labels: 25 labels exceed the label pool of profile cpu \(20 labels\)/],
    ['--items beyond the dataset', () => ['run', '--profile', 'cpu', '--model', tiny, '--items', '1000'], /--items: 1000 exceeds the 100 items in .*thucnews-style-100\.csv/],
    ['unwritable results folder', () => ['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--out', join(notADir, 'results')], /--out: results folder '.*a-file\/results' is not writable \(ENOTDIR\)/],
    ['unavailable provider', () => ['run', '--profile', 't4', ...common()], /CUDA execution provider unavailable .*--allow-fallback/],
    ['--precision unknown', () => ['run', '--profile', 'cpu', '--precision', 'fp64', ...common()], /^error: --precision: unknown precision 'fp64'; expected one of fp32, fp16, int8$/],
    ['--provider unknown', () => ['run', '--profile', 'cpu', '--provider', 'hailo', ...common()], /^error: --provider: .*hailo/],
    ['--threads 0', () => ['run', '--profile', 'cpu', '--threads', '0', ...common()], /^error: --threads: expected a whole number from 1 to \d+ \(4 per logical core; this machine has \d+\), got '0'$/],
    ['--warmup -1', () => ['run', '--profile', 'cpu', '--warmup', '-1', ...common()], /^error: --warmup: expected a whole number from 0 to 1000, got '-1'$/],
    ['--progress-interval 0', () => ['run', '--profile', 'cpu', '--progress-interval', '0', ...common()], /^error: --progress-interval: /],
    ['--provider cuda without a GPU', () => ['run', '--profile', 'cpu', '--provider', 'cuda', ...common()], /CUDA execution provider unavailable .*--allow-fallback/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const result = await runCli(args());
      // Exit 2 for input errors; 3 for the environment failures here (no CUDA on this machine).
      expect(result.code, result.stderr).toBe(name === 'unavailable provider' || name === '--provider cuda without a GPU' ? 3 : 2);
      expect(oneLineError(result)).toMatch(message);
    });
  }
});
