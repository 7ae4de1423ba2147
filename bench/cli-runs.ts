/**
 * What bench:check and bench:rerun share: running the built CLI as its own process, optionally
 * inside a cgroup v1 CPU group (root only) whose quota slows it down by a known factor.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BIN } from './serve-process.js';

export const CGROUP_ROOT = '/sys/fs/cgroup/cpu';

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `zsc-bench ARGS`; with a cgroup folder the shell joins it first and then becomes the CLI, so everything the run does is under the group's quota. */
export function runCliProcess(args: readonly string[], cgroup?: string): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI_BIN, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    const script = cgroup === undefined ? `exec ${command}` : `echo $$ > '${cgroup}/cgroup.procs' && exec ${command}`;
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like runCliProcess, but an exit code other than 0 is an error naming the command. */
export async function runCliOk(args: readonly string[], cgroup?: string): Promise<CliOutcome> {
  const outcome = await runCliProcess(args, cgroup);
  if (outcome.code !== 0) throw new Error(`zsc-bench ${args.join(' ')} exited ${outcome.code}: ${outcome.stderr.trim()}`);
  return outcome;
}

/**
 * CPU groups for the duration of `body`: each gets `shares` and a quota in CPUs (undefined: no
 * quota); they are reset and removed afterwards, whatever happens.
 */
export async function withCpuGroups<T>(name: string, quotas: Readonly<Record<string, number | undefined>>, shares: string, body: (groups: Record<string, string>) => Promise<T>): Promise<T> {
  if (!existsSync(join(CGROUP_ROOT, 'cgroup.procs'))) throw new Error(`${name} needs the cgroup v1 cpu controller at ${CGROUP_ROOT} (and root) to slow runs down`);
  const groups: Record<string, string> = {};
  try {
    for (const [kind, quota] of Object.entries(quotas)) {
      const group = join(CGROUP_ROOT, `zsc-${name}-${process.pid}-${kind}`);
      mkdirSync(group);
      groups[kind] = group;
      writeFileSync(join(group, 'cpu.shares'), shares);
      writeFileSync(join(group, 'cpu.cfs_period_us'), '100000');
      writeFileSync(join(group, 'cpu.cfs_quota_us'), quota === undefined ? '-1' : String(Math.round(quota * 100000)));
    }
    return await body(groups);
  } finally {
    for (const group of Object.values(groups)) {
      writeFileSync(join(group, 'cpu.cfs_quota_us'), '-1');
      rmdirSync(group);
    }
  }
}
