import { mkdirSync, mkdtempSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';

/** One private cache for this file, so what is listed is exactly what these tests put there. */
const home = mkdtempSync(join(tmpdir(), 'zsc-model-home-'));
const cli = (args: readonly string[]) => runCli(args, { ZSC_BENCH_HOME: home });
const tinyDir = join(home, 'models', 'synthetic-tiny-seed42');
const SPORTS = '昨晚的体育新闻：国足在主场以二比一战胜对手';

interface ListedModel {
  name: string;
  synthetic: boolean;
  arch?: string;
  files: Array<{ precision: string; bytes: number }>;
  bytes: number;
}

describe('synthetic models in the cache: notes, missing precisions, model list, rm, cache clean', () => {
  beforeAll(async () => {
    const first = await cli(['classify', SPORTS, '--labels', '体育,财经', '--model', 'synthetic:tiny', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(unwrap(first.stderr)).toContain('building the synthetic tiny model (fp32)');
  });

  it('a missing precision is added beside the cached files, said on stderr even with --json', async () => {
    const fp32 = join(tinyDir, 'onnx', 'model.onnx');
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(fp32, past, past);
    const before = statSync(fp32);
    const result = await cli(['classify', SPORTS, '--labels', '体育,财经', '--model', 'synthetic:tiny', '--precision', 'int8', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toMatch(/adding the int8 file to the cached synthetic tiny model .* \(the other files are kept\)/);
    expect(unwrap(result.stderr)).toMatch(/writing onnx\/model_quantized\.onnx/);
    expect(result.stderr).not.toMatch(/writing onnx\/model\.onnx/);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types its asymmetric matchers (expect.any) as any
    expect(JSON.parse(result.stdout)).toMatchObject({ synthetic: true, labels: expect.any(Array) });
    const after = statSync(fp32);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Asked again, nothing is built.
    const again = await cli(['classify', SPORTS, '--labels', '体育,财经', '--model', 'synthetic:tiny', '--precision', 'int8', '--json']);
    expect(again.stderr).toBe('');
  });

  it('random-weight and known-answer models get different notes; tiny claims no real cost', async () => {
    const tiny = await cli(['classify', SPORTS, '--labels', '体育,财经', '--model', 'synthetic:tiny']);
    expect(unwrap(tiny.stderr)).toContain('note: synthetic weights (synthetic:tiny, random and much smaller than a real model): neither its latency nor its scores say anything about a real model');
    const overlap = await cli(['classify', SPORTS, '--labels', '体育,财经,科技', '--model', 'synthetic:overlap']);
    expect(overlap.code, overlap.stderr).toBe(0);
    expect(overlap.stdout.split('\n')[0]).toMatch(/^体育\s/);
    expect(unwrap(overlap.stderr)).toContain('note: known-answer model (synthetic:overlap, no training): a label scores by the characters it shares with the text');
    expect(overlap.stderr).not.toContain('meaningless');
    const build = await cli(['model', 'build', '--arch', 'tiny', '--precision', 'fp32', '--out', join(home, 'built-tiny')]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).not.toContain('same cost');
    expect(unwrap(build.stderr)).toContain('neither its latency nor its scores');
  });

  it('model list shows each cached model, its ONNX files with sizes and whether it is synthetic', async () => {
    const json = await cli(['model', 'list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const contents = JSON.parse(json.stdout) as { home: string; models: ListedModel[]; bytes: number };
    expect(contents.home).toBe(home);
    expect(contents.models.map((model) => model.name)).toEqual(['synthetic:overlap', 'synthetic:tiny']);
    const tiny = contents.models.find((model) => model.name === 'synthetic:tiny');
    expect(tiny?.files.map((file) => file.precision)).toEqual(['fp32', 'int8']);
    expect(tiny?.files[0]?.bytes).toBe(statSync(join(tinyDir, 'onnx', 'model.onnx')).size);
    expect(contents.bytes).toBe(contents.models.reduce((sum, model) => sum + model.bytes, 0));
    const text = await cli(['model', 'list']);
    expect(text.stdout).toMatch(/synthetic:overlap\s+│ synthetic, known answers/);
    expect(text.stdout).toMatch(/synthetic:tiny\s+│ synthetic, random\s+│ fp32 [\d.]+ [KM]iB, int8 [\d.]+ [KM]iB/);
    expect(text.stdout).toMatch(new RegExp(`cache ${home}: 2 model\\(s\\), [\\d.]+ [KM]iB`));
  });

  it('model rm removes one model by its listed name; an unknown name is one line, exit 2', async () => {
    const wrong = await cli(['model', 'rm', 'synthetic:nope']);
    expect(wrong.code).toBe(2);
    expect(oneLineError(wrong)).toBe(`error: model rm: 'synthetic:nope' is not in the cache (${home}); cached: synthetic:overlap, synthetic:tiny`);
    const removed = await cli(['model', 'rm', 'synthetic:tiny']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^removed synthetic:tiny \([\d.]+ [KM]iB\): /);
    const list = JSON.parse((await cli(['model', 'list', '--json'])).stdout) as { models: ListedModel[] };
    expect(list.models.map((model) => model.name)).toEqual(['synthetic:overlap']);
  });

  it('cache clean empties the cache but keeps a staging folder a build may still be writing', async () => {
    const fresh = join(home, 'models', '.synthetic-tiny-seed42.building-abc');
    mkdirSync(fresh, { recursive: true });
    const result = await cli(['cache', 'clean']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^removed 1 model\(s\) and 0 unfinished build\(s\), [\d.]+ [KM]iB, from /);
    expect(unwrap(result.stderr)).toContain(`note: kept ${fresh}`);
    const list = await cli(['model', 'list']);
    expect(list.stdout).toMatch(/^no models in the cache\nunfinished build or removal: /);
  });
});
