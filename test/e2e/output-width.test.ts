import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, type CliResult } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

const BASELINE = 'results/baseline/cpu-vm-20261204T144252Z.csv';
const SPORTS = '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。';

let work: string;
let summary: string;
let good: string;
let other: string;

/** The widest line of the output, measured by string-width (an independent count: CJK two columns). */
function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => stringWidth(line)));
}

function expectFits(result: CliResult): void {
  expect(widest(result.stdout), result.stdout).toBeLessThanOrEqual(100);
  expect(widest(result.stderr), result.stderr).toBeLessThanOrEqual(100);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'zsc-output-'));
  const tiny = await testModel('tiny');
  good = join(work, 'good.json');
  writeFileSync(good, JSON.stringify({ extends: 'cpu', name: 'good', model: tiny, intraOpThreads: 1 }));
  other = join(work, 'other.json');
  writeFileSync(other, JSON.stringify({ extends: 'cpu', name: 'other', model: tiny, intraOpThreads: 1, pairsPerRun: 1 }));
  const out = join(work, 'run');
  const run = await runCli(['run', '--profile', good, '--items', '2', '--repeats', '1', '--labels', '3,5', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  expectFits(run);
  const file = readdirSync(out).find((name) => name.endsWith('Z.csv'));
  if (file === undefined) throw new Error(`no summary in ${out}`);
  summary = join(out, file);
}, 300_000);

describe('every command fits 100 columns by default (tables, warnings and notes)', () => {
  it('ab', async () => {
    const result = await runCli(['ab', '--profile', good, '--versus', other, '--labels', '3', '--items', '2', '--pairs', '2', '--out', join(work, 'ab')]);
    expect(result.code, result.stderr).toBe(0);
    expectFits(result);
  });

  it('classify', async () => {
    const result = await runCli(['classify', SPORTS, '--labels', '财经,体育,科技', '--model', await testModel('overlap')]);
    expect(result.code, result.stderr).toBe(0);
    expectFits(result);
  });

  it('compare, check and recommend over runs of two machines, with their warnings', async () => {
    const compare = await runCli(['compare', summary, BASELINE, '--baseline', 'cpu']);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stderr).toMatch(/warning|note/);
    expectFits(compare);
    const check = await runCli(['check', '--baseline', BASELINE, '--current', BASELINE]);
    expect([0, 1]).toContain(check.code);
    expectFits(check);
    const recommend = await runCli(['recommend', summary, BASELINE, '--slo', 'p95<10s', '--labels', '3']);
    expect(recommend.code, recommend.stderr).toBe(0);
    expectFits(recommend);
  });

  it('--wide keeps every cell on one line, however wide', async () => {
    const narrow = await runCli(['recommend', summary, BASELINE, '--slo', 'p95<10s', '--labels', '3']);
    const wide = await runCli(['recommend', summary, BASELINE, '--slo', 'p95<10s', '--labels', '3', '--wide']);
    expect(widest(wide.stdout.split('Why each place:')[0] ?? '')).toBeGreaterThan(100);
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(100);
  });

  it('profiles list and model list', async () => {
    for (const args of [['profiles', 'list'], ['model', 'list']]) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      expectFits(result);
    }
  });
});

describe('--json and --format json are one option, on every command that prints results', () => {
  it('each command prints valid JSON with --json', async () => {
    const commands = [
      ['run', '--profile', good, '--items', '2', '--repeats', '1', '--labels', '3', '--out', join(work, 'json-run')],
      ['ab', '--profile', good, '--versus', other, '--labels', '3', '--items', '2', '--pairs', '2', '--out', join(work, 'json-ab')],
      ['classify', SPORTS, '--labels', '财经,体育', '--model', await testModel('overlap')],
      ['compare', summary, BASELINE],
      ['check', '--baseline', BASELINE, '--current', BASELINE],
      ['recommend', summary, BASELINE, '--slo', 'p95<10s'],
      ['profiles', 'list'],
      ['model', 'list'],
    ];
    for (const args of commands) {
      const result = await runCli([...args, '--json']);
      expect([0, 1], `${args[0]}: ${result.stderr}`).toContain(result.code);
      expect(() => JSON.parse(result.stdout) as unknown, `${args.join(' ')} --json`).not.toThrow();
    }
  }, 300_000);

  it('--format json means --json, and --json with another --format is refused', async () => {
    const viaFormat = await runCli(['classify', SPORTS, '--labels', '财经,体育', '--model', await testModel('overlap'), '--format', 'json']);
    expect(viaFormat.code, viaFormat.stderr).toBe(0);
    expect((JSON.parse(viaFormat.stdout) as { labels: string[] }).labels).toHaveLength(2);
    const both = await runCli(['compare', summary, '--json', '--format', 'json']);
    expect(both.code, both.stderr).toBe(0);
    expect(() => JSON.parse(both.stdout) as unknown).not.toThrow();
    const conflict = await runCli(['compare', summary, '--json', '--format', 'csv']);
    expect(conflict.code).toBe(2);
    expect(oneLineError(conflict)).toBe('error: --json: is short for --format json, but --format csv was given too');
  });

  it('--help says so', async () => {
    for (const command of ['run', 'compare', 'check', 'recommend', 'classify']) {
      const help = await runCli([command, '--help']);
      expect(help.stdout.replace(/\s+/g, ' '), command).toContain('--json is short for --format json');
    }
  });
});

describe('recommend exit codes', () => {
  it('exits 1 when no platform meets the SLO, 0 when one does', async () => {
    const none = await runCli(['recommend', summary, BASELINE, '--slo', 'p95<0.001ms', '--json']);
    expect(none.code, none.stderr).toBe(1);
    expect((JSON.parse(none.stdout) as { ranking: Array<{ passes: boolean }> }).ranking.every((row) => !row.passes)).toBe(true);
    const met = await runCli(['recommend', summary, BASELINE, '--slo', 'p95<10s', '--json']);
    expect(met.code, met.stderr).toBe(0);
  });
});
