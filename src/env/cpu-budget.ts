/**
 * How many CPU cores this process may really use: the logical CPUs of its affinity mask, capped
 * by a cgroup CPU quota (containers, systemd slices, `docker --cpus`), and by the physical core
 * count when the process may use every CPU (a second hyper-thread per core only adds contention
 * to GEMM-bound work). ONNX Runtime's own default was seen to run ONE thread on one instance of a
 * 2-core VM and two on another, so zsc-bench decides the count itself and records it.
 */
import { availableParallelism, cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface CpuBudget {
  /** The intra-op thread count to use. */
  threads: number;
  /** Logical CPUs the process may run on (affinity mask; libuv's available parallelism). */
  affinityCpus: number;
  logicalCpus: number;
  /** CPUs' worth of time a cgroup quota allows (1.5 = 150 ms per 100 ms), when one is set. */
  cgroupQuotaCpus: number | undefined;
  /** Physical cores, when the OS reports them. */
  physicalCores: number | undefined;
  /** One line: how the count was reached, stored with results. */
  reason: string;
}

/** cgroup v2 `cpu.max`: "max 100000" (no limit) or "150000 100000" (1.5 CPUs). */
export function parseCgroupV2CpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return quotaCpus(Number(quota), Number(period ?? 100000));
}

/** cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`: a quota of -1 means no limit. */
export function parseCgroupV1Quota(quotaText: string, periodText: string): number | undefined {
  return quotaCpus(Number(quotaText.trim()), Number(periodText.trim()));
}

function quotaCpus(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  return quota / period;
}

/** Physical cores from /proc/cpuinfo: distinct (physical id, core id) pairs; undefined when not listed (e.g. arm64). */
export function physicalCoresFromCpuinfo(text: string): number | undefined {
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  return cores.size > 0 ? cores.size : undefined;
}

/**
 * The decision, pure: min(affinity CPUs, whole CPUs of the quota, physical cores when the
 * affinity mask is not restricted), at least 1. A fractional quota rounds down: a thread that
 * cannot get a whole CPU waits on the quota and slows the others' synchronisation points.
 */
export function decideThreads(input: Omit<CpuBudget, 'threads' | 'reason'>): CpuBudget {
  const limits: Array<[number, string]> = [[input.affinityCpus, `${input.affinityCpus} CPU(s) in the affinity mask`]];
  if (input.cgroupQuotaCpus !== undefined) limits.push([Math.max(1, Math.floor(input.cgroupQuotaCpus)), `cgroup quota ${round2(input.cgroupQuotaCpus)} CPU(s)`]);
  if (input.physicalCores !== undefined && input.affinityCpus >= input.logicalCpus) limits.push([input.physicalCores, `${input.physicalCores} physical core(s)`]);
  const threads = Math.max(1, Math.min(...limits.map(([value]) => value)));
  const binding = limits.filter(([value]) => value === threads).map(([, why]) => why);
  return { ...input, threads, reason: `${threads} thread(s): ${binding.join(', ')} of ${input.logicalCpus} logical CPU(s)` };
}

const round2 = (value: number): string => String(Math.round(value * 100) / 100);

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The tightest CPU quota on this process's cgroup path and its ancestors (v2 and v1 layouts). */
export function cgroupQuotaCpus(root = '/sys/fs/cgroup', procCgroup = readText('/proc/self/cgroup') ?? ''): number | undefined {
  const quotas: number[] = [];
  for (const line of procCgroup.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    const v2 = controllers === '';
    if (!v2 && !controllers.split(',').includes('cpu')) continue;
    const mounts = v2 ? [root, join(root, 'unified')] : [join(root, 'cpu'), join(root, 'cpu,cpuacct'), join(root, controllers)];
    for (let dir = path; ; dir = posix.dirname(dir)) {
      for (const mount of mounts) {
        const value = v2
          ? parseCgroupV2CpuMax(readText(join(mount, dir, 'cpu.max')) ?? 'max')
          : parseCgroupV1Quota(readText(join(mount, dir, 'cpu.cfs_quota_us')) ?? '-1', readText(join(mount, dir, 'cpu.cfs_period_us')) ?? '100000');
        if (value !== undefined) quotas.push(value);
      }
      if (dir === '/' || dir === '.' || dir === '') break;
    }
  }
  return quotas.length > 0 ? Math.min(...quotas) : undefined;
}

/** Reads affinity, cgroup quota and physical cores from the OS and decides the thread count. */
export function cpuBudget(): CpuBudget {
  const cpuinfo = process.platform === 'linux' ? readText('/proc/cpuinfo') : undefined;
  return decideThreads({
    affinityCpus: availableParallelism(),
    logicalCpus: cpus().length || availableParallelism(),
    cgroupQuotaCpus: process.platform === 'linux' ? cgroupQuotaCpus() : undefined,
    physicalCores: cpuinfo === undefined ? undefined : physicalCoresFromCpuinfo(cpuinfo),
  });
}

/**
 * The most threads a session may ask for: four per logical core. More only queue behind each
 * other (2000 threads took 39 s per classification on 2 cores, 99999 never finished).
 */
export function maxThreads(): number {
  return 4 * availableParallelism();
}
