import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, spawnCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

describe('zsc-bench profiles', () => {
  it('lists the bundled profiles', async () => {
    const result = await runCli(['profiles', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^name +extends +providers +precision +description$/);
    expect(lines.slice(1, 8).map((line) => line.split(/\s+/).slice(0, 4).join(' '))).toEqual([
      'base - cpu fp32', 'a10g base cuda fp16', 'cpu base cpu fp32', 'cpu-int8 base cpu int8', 'pi5-hailo8 base cpu int8', 'rtx3090 base cuda fp32', 't4 base cuda fp16',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(110);
  });
  it('shows a profile after inheritance', async () => {
    const result = await runCli(['profiles', 'show', 't4']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 't4', precision: 'fp16', executionProviders: ['cuda'], repeats: 5, labelCounts: [3, 5, 10, 20] });
  });
  it('an unknown profile is one line, exit 2', async () => {
    const result = await runCli(['profiles', 'show', 'nope']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: --profile: unknown profile 'nope'; known profiles: a10g, cpu/);
  });
});

describe('zsc-bench dataset import-thucnews', () => {
  it('writes a stratified sample and prints counts and lengths', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'zsc-import-')), 'sample.csv');
    const result = await runCli(['dataset', 'import-thucnews', 'test/fixtures/cnews', '--per-class', '1', '--seed', '5', '--max-chars', '20', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wrote 3 items to .*sample\.csv/);
    expect(result.stdout).toMatch(/length \(characters\): mean [\d.]+, median \d+, min \d+, max \d+/);
    const rows = parse<Record<string, string>>(readFileSync(out, 'utf8'), { columns: true });
    expect(rows.map((row) => row['label'])).toEqual(['体育', '科技', '财经']);
  });
  it('bad --per-class is one line, exit 2', async () => {
    const result = await runCli(['dataset', 'import-thucnews', 'test/fixtures/cnews', '--per-class', '0', '--out', '/tmp/x.csv']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe("error: --per-class: expected a whole number from 1 to 1000000, got '0'");
  });
});

describe('zsc-bench model build', () => {
  it('builds byte-identical folders from the same seed and says the weights are synthetic', async () => {
    const root = mkdtempSync(join(tmpdir(), 'zsc-build-'));
    const first = await runCli(['model', 'build', '--arch', 'tiny', '--precision', 'fp32,int8', '--seed', '3', '--out', join(root, 'a'), '--json']);
    const second = await runCli(['model', 'build', '--arch', 'tiny', '--precision', 'int8,fp32', '--seed', '3', '--out', join(root, 'b'), '--json']);
    expect(first.code, first.stderr).toBe(0);
    const files = (output: string) => (JSON.parse(output) as { files: Array<{ path: string; sha256: string }> }).files;
    expect(files(first.stdout)).toEqual(files(second.stdout));
    expect(existsSync(join(root, 'a', 'onnx', 'model_fp16.onnx'))).toBe(false);
    expect(JSON.parse(readFileSync(join(root, 'a', 'zsc-bench.json'), 'utf8'))).toMatchObject({ synthetic: true, arch: 'tiny', seed: 3 });
    const text = await runCli(['model', 'build', '--arch', 'overlap', '--out', join(root, 'c')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/onnx\/model_quantized\.onnx/);
    expect(unwrap(text.stderr)).toContain('known-answer model (synthetic:overlap');
  });
  it('an unknown arch is refused with exit 2', async () => {
    const result = await runCli(['model', 'build', '--arch', 'gpt']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("error: option '--arch <arch>' argument 'gpt' is invalid. Allowed choices are structbert-base, tiny, overlap.");
  });
});

describe('zsc-bench run: Ctrl-C', () => {
  let tiny: string;
  beforeAll(async () => {
    tiny = await testModel('tiny');
  });

  it('stops cleanly and keeps the label counts that completed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-sigint-'));
    const child = spawnCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '100', '--repeats', '50', '--processes', '1', '--labels', '3,20', '--out', out]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // The first label count is done (and written): interrupt the second.
      if (stderr.includes('labels 3:') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
    expect(code).toBe(130);
    expect(unwrap(stderr)).toMatch(/interrupted at 20 labels: kept 1 completed label count\(s\) in .*\.csv/);
    const summary = readdirSync(out).find((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv'));
    const rows = parse<Record<string, string>>(readFileSync(join(out, summary ?? ''), 'utf8'), { columns: true });
    expect(rows.map((row) => row['labels'])).toEqual(['3']);
    expect(readdirSync(out).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });
});
