/**
 * The resolved profile saved beside each result (<stem>.profile.json): written by run, run again
 * with --profile, and read by compare and check to name the settings that differ.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

let work: string;
let tiny: string;
/** Summary CSVs: the plain run, one at int8, one with one pair per run, one without warm-up (the plain run's group). */
const runs = { plain: '', int8: '', onePair: '', noWarmup: '' };

async function benchmark(name: string, extra: string[]): Promise<string> {
  const out = join(work, name);
  const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '2', '--labels', '3', '--pairs-per-run', 'all', '--out', out, ...extra]);
  if (result.code !== 0) throw new Error(`run ${name} failed: ${result.stderr}`);
  const summary = readdirSync(out).find((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv'));
  return join(out, summary ?? '');
}

const savedPath = (summary: string) => summary.replace(/\.csv$/, '.profile.json');
const hashOf = (summary: string) => parse<Record<string, string>>(readFileSync(summary, 'utf8'), { columns: true })[0]?.['profile_hash'];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'zsc-saved-profile-'));
  tiny = await testModel('tiny');
  runs.plain = await benchmark('plain', []);
  runs.int8 = await benchmark('int8', ['--precision', 'int8']);
  runs.onePair = await benchmark('one-pair', ['--pairs-per-run', '1']);
  runs.noWarmup = await benchmark('no-warmup', ['--warmup', '0']);
}, 300_000);

describe('run saves the resolved profile', () => {
  it('beside the result pair, with the hash its rows record; --profile on it runs the same configuration', async () => {
    expect(readdirSync(join(work, 'plain')).sort()).toEqual([basename(runs.plain).replace(/\.csv$/, '-samples.csv'), basename(runs.plain), basename(savedPath(runs.plain))]);
    const saved: unknown = JSON.parse(readFileSync(savedPath(runs.plain), 'utf8'));
    expect(saved).toMatchObject({ kind: 'zsc-bench resolved profile', version: 1, summary: basename(runs.plain), profile_hash: hashOf(runs.plain), profile: { pairsPerRun: 'all', precision: 'fp32' } });
    const again = await runCli(['run', '--profile', savedPath(runs.plain), '--out', join(work, 'again')]);
    expect(again.code, again.stderr).toBe(0);
    const summary = readdirSync(join(work, 'again')).find((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv')) ?? '';
    expect(hashOf(join(work, 'again', summary))).toBe(hashOf(runs.plain));
  });
});

describe('compare and check name the settings that differ', () => {
  it('compare: two runs of one profile in one group, with different warm-up', async () => {
    const result = await runCli(['compare', runs.plain, runs.noWarmup]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain(`warning: cpu: the profile's settings differ between the runs, [1] ${runs.plain} vs [2] ${runs.noWarmup}: warmup: 2 vs 0\n`);
    // Runs in time order, whatever the order of the files.
    const settingLines = (stderr: string) => unwrap(stderr).split('\n').filter((line) => line.includes("profile's settings"));
    expect(settingLines((await runCli(['compare', runs.noWarmup, runs.plain])).stderr)).toEqual(settingLines(result.stderr));
  });

  it('compare: two runs of one profile at different precisions are two groups, and the group warning alone says why', async () => {
    const result = await runCli(['compare', runs.plain, runs.int8]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain('kept apart in 2 groups because the precision, model file (sha256) differ');
    expect(unwrap(result.stderr)).not.toContain("the profile's settings differ");
  });

  it('check: two runs with different pairs per run', async () => {
    const result = await runCli(['check', '--baseline', runs.plain, '--current', runs.onePair]);
    expect([0, 1]).toContain(result.code);
    expect(unwrap(result.stderr)).toContain("warning: cpu: the profile's settings differ between the runs, --baseline vs --current: pairsPerRun: all vs 1\n");
  });

  it('compare --out never overwrites an input\'s saved profile', async () => {
    const result = await runCli(['compare', runs.plain, '--out', savedPath(runs.plain)]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: --out: '.*\.profile\.json' is the input .*\.profile\.json; writing there would replace what is being read/);
    expect((JSON.parse(readFileSync(savedPath(runs.plain), 'utf8')) as { kind: string }).kind).toBe('zsc-bench resolved profile');
  });

  it('a glob over the whole folder takes the saved profiles quietly', async () => {
    const result = await runCli(['compare', join(work, 'plain', '*'), join(work, 'no-warmup', '*')]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).not.toMatch(/skipped/);
    expect(unwrap(result.stderr)).toContain('warmup: 2 vs 0\n');
  });

  it('without the saved profile (results from before it existed): the profile_hash message, naming the missing file', async () => {
    const old = join(work, 'old');
    mkdirSync(old);
    for (const file of [runs.onePair, runs.onePair.replace(/\.csv$/, '-samples.csv')]) copyFileSync(file, join(old, basename(file)));
    const result = await runCli(['check', '--baseline', runs.plain, '--current', join(old, basename(runs.onePair))]);
    expect([0, 1]).toContain(result.code);
    expect(unwrap(result.stderr)).toContain(
      `warning: cpu: the profile's settings differ between the runs (profile_hash); which settings cannot be said: the saved profile is missing (${savedPath(join(old, basename(runs.onePair)))}; results written before zsc-bench saved one)\n`,
    );
  });

  it('a malformed saved profile: one line naming it, exit 2', async () => {
    const broken = join(work, 'broken');
    mkdirSync(broken);
    for (const file of [runs.noWarmup, runs.noWarmup.replace(/\.csv$/, '-samples.csv')]) copyFileSync(file, join(broken, basename(file)));
    writeFileSync(savedPath(join(broken, basename(runs.noWarmup))), '{"kind": "zsc-bench resolved profile", ');
    const result = await runCli(['compare', runs.plain, join(broken, basename(runs.noWarmup))]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: .*broken\/cpu-.*\.profile\.json: malformed JSON .*; expected the resolved profile zsc-bench run saves beside a result/);
  });
});
