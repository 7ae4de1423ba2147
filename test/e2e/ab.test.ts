import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli } from '../helpers/cli.js';
import type { AbJson } from '../helpers/json.js';
import { testModel } from '../helpers/models.js';

let work: string;
let good: string;
let slow: string;
let goodCopy: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'zsc-ab-'));
  const tiny = await testModel('tiny');
  // One thread each: on this shared 2-core machine two threads swing the tiny model 2x between
  // moments. The slow side runs a session per label with a 180-character template: about 3x.
  good = join(work, 'good.json');
  writeFileSync(good, JSON.stringify({ extends: 'cpu', name: 'good', model: tiny, intraOpThreads: 1 }));
  slow = join(work, 'slow.json');
  const longTemplate = `这是一篇关于{}的新闻。${'请仔细阅读上面的文章并判断它的主题是否与给出的类别一致，'.repeat(6)}`;
  writeFileSync(slow, JSON.stringify({ extends: 'cpu', name: 'slow', model: tiny, intraOpThreads: 1, pairsPerRun: 1, template: longTemplate }));
  goodCopy = join(work, 'good-copy.json');
  writeFileSync(goodCopy, JSON.stringify({ extends: good, name: 'good-copy', description: 'the same settings under another name' }));
});

describe('zsc-bench ab', () => {
  it('alternates passes, reports the ratio per label count with an interval, and gates with --max-regression', async () => {
    const out = join(work, 'gate');
    const result = await runCli(['ab', '--profile', slow, '--versus', good, '--labels', '3,20', '--items', '4', '--pairs', '4', '--max-regression', '10%', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as AbJson;
    expect(report.result).toBe('regression');
    const at20 = report.comparisons.find((comparison) => comparison.labels === 20);
    expect(at20?.pairs).toBe(4);
    expect(at20?.pairRatios).toHaveLength(4);
    expect(at20?.ratio).toBeGreaterThan(1.5);
    expect(at20?.interval[0]).toBeGreaterThan(1);
    expect(at20?.interval[0]).toBeLessThanOrEqual(at20?.ratio ?? Number.NaN);
    expect(at20?.interval[1]).toBeGreaterThanOrEqual(at20?.ratio ?? Number.NaN);
    expect(at20?.verdict).toBe('regression');
    const [file] = readdirSync(out);
    expect(file).toMatch(/^ab-slow-vs-good-.*\.csv$/);
    const rows = parse<Record<string, string>>(readFileSync(join(out, file ?? ''), 'utf8'), { columns: true });
    expect(rows.map((row) => [row['labels'], row['kind'], row['profile_a'], row['profile_b'], row['pass_pairs']])).toEqual([
      ['3', 'ab', 'slow', 'good', '4'],
      ['20', 'ab', 'slow', 'good', '4'],
    ]);
    expect(Number(rows[1]?.['ratio_a_over_b'])).toBeCloseTo(at20?.ratio ?? Number.NaN, 4);
  });

  it('the other way round is faster, and without a threshold it only reports (exit 0)', async () => {
    const result = await runCli(['ab', '--profile', good, '--versus', slow, '--labels', '20', '--items', '4', '--pairs', '5', '--out', join(work, 'faster'), '--wide']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ratio good\/slow/);
    expect(result.stdout).toMatch(/A faster/);
    expect(result.stdout).toMatch(/95% interval from a Student t over the pass pairs/);
  });

  describe('bad input: one line, exit 2', () => {
    const cases: Array<[string, () => string[], RegExp]> = [
      ['the same profile twice', () => ['ab', '--profile', good, '--versus', good], /--versus: good is the same configuration as --profile good; ab compares two different configurations/],
      ['the same settings under another name', () => ['ab', '--profile', good, '--versus', goodCopy], /--versus: good-copy is the same configuration as --profile good/],
      ['a profile that cannot run here', () => ['ab', '--profile', 't4', '--versus', good], /^error: --profile t4: cannot run on this machine: CUDA execution provider unavailable \(.*\); ab runs both sides here, now$/],
      ['one pass pair', () => ['ab', '--profile', slow, '--versus', good, '--pairs', '1'], /--pairs: expected 2 or more pass pairs/],
      ['a threshold that is not a percentage', () => ['ab', '--profile', slow, '--versus', good, '--max-regression', 'x'], /--max-regression: expected a percentage such as 10%/],
      ['an unknown profile', () => ['ab', '--profile', 'h100', '--versus', good], /h100/],
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
