/**
 * The Raspberry Pi 5 path on arm64 (under qemu-user on an x86 host, natively on an arm64 one):
 * the same answers as x64 where the arithmetic is the same (fp32), int8 within what its kernels
 * change, and a `run --profile pi5-hailo8` whose rows say they were emulated and are kept apart.
 * Run by `npm run test:arm64` (scripts/arm64.sh), never by `npm test`.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulating, runArm64Cli } from '../helpers/arm64.js';
import { runCli, unwrap } from '../helpers/cli.js';
import { readCsv, summaryOf } from '../helpers/csv.js';
import { ARTIFACTS, testModel } from '../helpers/models.js';

const TEXT = '昨晚的体育新闻：国足在主场以二比一战胜对手';
const LABELS = '体育,财经,科技,娱乐,教育';

interface Classified {
  labels: string[];
  scores: number[];
}

function scoresByLabel(stdout: string): Map<string, number> {
  const parsed = JSON.parse(stdout) as Classified;
  return new Map(parsed.labels.map((label, index) => [label, parsed.scores[index] ?? Number.NaN]));
}

describe('zsc-bench on arm64 (a Raspberry Pi 5 CPU)', () => {
  it('classify: fp32 scores equal x64 to 1e-5, int8 within 1e-2 (other int8 kernels), the known answer first', async () => {
    const tiny = await testModel('tiny');
    const cases = [
      { model: 'synthetic:overlap', precision: 'fp32', tolerance: 1e-5 },
      { model: tiny, precision: 'fp32', tolerance: 1e-5 },
      { model: tiny, precision: 'int8', tolerance: 1e-2 },
    ];
    const measured: Array<{ model: string; precision: string; maxAbsDiff: number; sameOrder: boolean }> = [];
    for (const { model, precision, tolerance } of cases) {
      // One run of all pairs on both sides: a calibrated split could differ between them.
      const args = ['classify', TEXT, '--labels', LABELS, '--model', model, '--precision', precision, '--pairs-per-run', 'all', '--json'];
      const x64 = await runCli(args);
      expect(x64.code, x64.stderr).toBe(0);
      const arm = await runArm64Cli(args);
      expect(arm.code, arm.stderr).toBe(0);
      const [reference, answer] = [scoresByLabel(x64.stdout), scoresByLabel(arm.stdout)];
      expect([...answer.keys()].sort()).toEqual([...reference.keys()].sort());
      const maxAbsDiff = Math.max(...[...reference].map(([label, score]) => Math.abs(score - (answer.get(label) ?? Number.NaN))));
      expect(maxAbsDiff, `${model} ${precision}`).toBeLessThanOrEqual(tolerance);
      const order = (scores: Map<string, number>) => [...scores].sort((a, b) => b[1] - a[1]).map(([label]) => label);
      measured.push({ model: model.startsWith('synthetic:') ? model : 'tiny', precision, maxAbsDiff, sameOrder: order(reference).join() === order(answer).join() });
      if (model === 'synthetic:overlap') expect(order(answer)[0]).toBe('体育');
    }
    // The figures behind the README's x64-vs-arm64 line, kept beside the other test artifacts.
    writeFileSync(join(ARTIFACTS, 'arm64-classify.json'), `${JSON.stringify({ emulated: emulating(), measured }, null, 2)}\n`);
  });

  it('run --profile pi5-hailo8: the platform matches, the CPU provider ran, the rows say emulated, and compare and recommend keep them apart', async () => {
    const tiny = await testModel('tiny');
    const root = mkdtempSync(join(tmpdir(), 'zsc-arm64-'));
    const args = (out: string) => ['run', '--profile', 'pi5-hailo8', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--processes', '1', '--no-parity', '--out', out];
    const arm = await runArm64Cli(args(join(root, 'arm64')));
    expect(arm.code, arm.stderr).toBe(0);
    const files = readdirSync(join(root, 'arm64')).sort();
    expect(files.map((file) => file.replace(/^pi5-hailo8-.+-(\d{8}T\d{6}Z)/, 'pi5-hailo8-HOST-TIME'))).toEqual(['pi5-hailo8-HOST-TIME-samples.csv', 'pi5-hailo8-HOST-TIME.csv', 'pi5-hailo8-HOST-TIME.profile.json']);
    const [row] = readCsv(summaryOf(join(root, 'arm64')));
    expect(row?.['arch']).toBe('arm64');
    expect(row?.['platform_match']).toBe('true');
    expect(row?.['actual_provider']).toMatch(/^cpu/);
    expect(row?.['precision']).toBe('int8');
    if (emulating()) {
      // Found from the process itself (qemu-user's name in /proc/self/status): the helper sets no flag.
      expect(row?.['emulated']).toMatch(/^qemu-user \(qemu-aarch64/);
      expect(unwrap(arm.stderr)).toContain("emulated CPU (qemu-user (qemu-aarch64");
    } else {
      expect(row?.['emulated']).toBe('');
    }

    // The same run on this x64 host (the profile's platform does not match here), read beside it.
    const x64 = await runCli(args(join(root, 'x64')));
    expect(x64.code, x64.stderr).toBe(0);
    const summaries = [summaryOf(join(root, 'arm64')), summaryOf(join(root, 'x64'))];
    expect(existsSync(summaries[0] ?? '')).toBe(true);
    if (!emulating()) return;
    const compared = await runCli(['compare', ...summaries, '--format', 'json']);
    expect(compared.code, compared.stderr).toBe(0);
    const report = JSON.parse(compared.stdout) as { groups: Array<{ emulated: string; platforms: Array<{ host: string }> }> };
    expect(report.groups.map((group) => group.emulated !== '').sort()).toEqual([false, true]);
    expect(unwrap(compared.stderr)).toMatch(/kept apart in 2 groups because the emulation differ/);
    const ranked = await runCli(['recommend', ...summaries, '--slo', 'p95<1000s', '--labels', '3', '--json']);
    const answer = JSON.parse(ranked.stdout) as { ranking: Array<{ passes: boolean; failures: string[] }> };
    expect(answer.ranking.map((candidate) => candidate.passes)).toEqual([true, false]);
    const failing = answer.ranking.filter((candidate) => !candidate.passes);
    expect(failing).toHaveLength(1);
    expect(failing[0]?.failures[0]).toMatch(/^emulated \(qemu-user/);

    // The answers of the two runs, item by item: int8 on another CPU's kernels, within 1e-2.
    const parity = await runCli(['parity', ...summaries, '--json']);
    expect(parity.code, parity.stderr).toBe(0);
    const answers = JSON.parse(parity.stdout) as { by_label_count: Array<{ labels: number; items: number; max_abs_diff: number }> };
    expect(answers.by_label_count.map((row) => [row.labels, row.items])).toEqual([[3, 2]]);
    expect(answers.by_label_count[0]?.max_abs_diff).toBeLessThanOrEqual(1e-2);
  });
});
