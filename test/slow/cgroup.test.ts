/**
 * Slow tier: a real CPU limit through cgroup v1 (root only; skipped elsewhere). The CLI starts
 * inside a group whose quota the test sets, or lowers while the run is under way.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, type CliResult } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import { readCsv, summaryOf } from '../helpers/csv.js';

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});

// A real limit, not a simulated one: cgroup v1's CPU controller (root only).
const cgroupRoot = '/sys/fs/cgroup/cpu';
const canLimit = process.getuid?.() === 0 && existsSync(join(cgroupRoot, 'cgroup.procs'));

/**
 * Runs the built CLI inside a cgroup v1 group (root only): the shell joins the group, then becomes
 * node, so the CLI starts inside the limit. `onStderr` sees the stderr so far after each chunk.
 */
function runInCgroup(group: string, args: readonly string[], onStderr?: (stderr: string) => void): Promise<CliResult> {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn('sh', ['-c', `echo $$ > ${join(group, 'cgroup.procs')} && exec "$0" "$@"`, process.execPath, BIN, ...args], {
      env: cliEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('threads under a cgroup quota', () => {
  it.skipIf(!canLimit)('inside a cgroup with a one-CPU quota it runs one thread', async () => {
    const group = join(cgroupRoot, `zsc-bench-test-${process.pid}`);
    mkdirSync(group);
    try {
      writeFileSync(join(group, 'cpu.cfs_period_us'), '100000');
      writeFileSync(join(group, 'cpu.cfs_quota_us'), '100000');
      const out = mkdtempSync(join(tmpdir(), 'zsc-threads-'));
      const args = ['run', '--profile', 'cpu', '--model', tiny, '--items', '1', '--repeats', '1', '--labels', '3', '--pairs-per-run', 'all', '--out', out];
      const result = await runInCgroup(group, args);
      expect(result.code, result.stderr).toBe(0);
      const row = readCsv(summaryOf(out))[0];
      expect(row?.['intra_op_threads']).toBe('1');
      expect(row?.['intra_op_threads_reason']).toMatch(/^auto: 1 thread\(s\): cgroup quota 1 CPU\(s\)/);
    } finally {
      writeFileSync(join(group, 'cpu.cfs_quota_us'), '-1');
      rmdirSync(group);
    }
  });
});

describe('drift on a real slowdown', () => {
  // The machine really slows down: a cgroup v1 CPU quota drops from unlimited to 25% of one CPU once
  // the first of four passes is done (root only), so the later passes run about 4x slower alone,
  // less when neighbours already slow the first (in CI the other test files run beside it).
  // A 4 ms period (1 ms quota, the kernel's least) spreads the stalls finely across every sample (a
  // 100 ms period would stall a few samples whole and leave the rest alone: the mean slows, not every item).
  it.skipIf(!canLimit)('a run whose later passes a CPU quota slows down is flagged as drifting, with a warning', async () => {
    const group = join(cgroupRoot, `zsc-bench-drift-${process.pid}`);
    mkdirSync(group);
    let throttledAt: string | undefined;
    try {
      writeFileSync(join(group, 'cpu.cfs_period_us'), '4000');
      writeFileSync(join(group, 'cpu.cfs_quota_us'), '-1');
      const out = mkdtempSync(join(tmpdir(), 'zsc-drift-'));
      // A long template makes each sample slow enough (tens of ms) that the quota lands while the
      // passes after the first still lie ahead, however fast or loaded the machine is.
      const profile = join(out, 'long-template.json');
      writeFileSync(profile, JSON.stringify({ extends: 'cpu', name: 'cpu', template: `这是一篇关于{}的新闻。${'请仔细阅读上面的文章并判断它的主题是否与给出的类别一致，'.repeat(6)}` }));
      const args = ['run', '--profile', profile, '--model', tiny, '--items', '16', '--repeats', '4', '--processes', '1', '--labels', '20', '--threads', '1', '--pairs-per-run', 'all', '--progress-interval', '0.1', '--out', join(out, 'r')];
      const result = await runInCgroup(group, args, (stderr) => {
        // The progress lines say how many samples are done; once the first pass is, the quota drops.
        const counts = [...stderr.matchAll(/(\d+)\/(\d+) samples/g)].at(-1);
        if (throttledAt === undefined && counts !== undefined && Number(counts[1]) * 4 >= Number(counts[2])) {
          throttledAt = counts[0];
          writeFileSync(join(group, 'cpu.cfs_quota_us'), '1000');
        }
      });
      expect(result.code, result.stderr).toBe(0);
      expect(throttledAt, 'the run ended before a quarter of its samples were reported').toBeDefined();
      const row = readCsv(summaryOf(join(out, 'r')))[0];
      const passMeans = (row?.['pass_means_ms'] ?? '').split(' ').map(Number);
      expect(passMeans).toHaveLength(4);
      // The first pass ran before the quota, the last under it.
      expect((passMeans[3] ?? 0) / (passMeans[0] ?? Number.NaN)).toBeGreaterThan(1.5);
      expect(Number(row?.['drift_percent'])).toBeGreaterThan(50);
      expect(row?.['drift_beyond_noise']).toBe('true');
      expect(result.stderr).toMatch(/warning: latency drifted \d+\.\d% from the first to the last pass at 20 labels/);
    } finally {
      writeFileSync(join(group, 'cpu.cfs_quota_us'), '-1');
      rmdirSync(group);
    }
  }, 300_000);
});
