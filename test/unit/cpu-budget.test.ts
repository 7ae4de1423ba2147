import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupQuotaCpus, decideThreads, parseCgroupV1Quota, parseCgroupV2CpuMax, physicalCoresFromCpuinfo } from '../../src/env/cpu-budget.js';

describe('cgroup quota parsing', () => {
  it('reads v2 cpu.max and v1 cfs quota/period; no limit is undefined', () => {
    expect(parseCgroupV2CpuMax('max 100000\n')).toBeUndefined();
    expect(parseCgroupV2CpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCgroupV1Quota('-1\n', '100000\n')).toBeUndefined();
    expect(parseCgroupV1Quota('50000\n', '100000\n')).toBe(0.5);
    expect(parseCgroupV1Quota('garbage', '100000')).toBeUndefined();
  });
  it('takes the tightest quota on the path and its ancestors (v1 layout)', () => {
    const root = mkdtempSync(join(tmpdir(), 'zsc-cgroup-'));
    const write = (dir: string, quota: string) => {
      mkdirSync(join(root, 'cpu', dir), { recursive: true });
      writeFileSync(join(root, 'cpu', dir, 'cpu.cfs_quota_us'), quota);
      writeFileSync(join(root, 'cpu', dir, 'cpu.cfs_period_us'), '100000');
    };
    write('/', '-1');
    write('/outer', '300000');
    write('/outer/inner', '-1');
    expect(cgroupQuotaCpus(root, '1:cpu:/outer/inner\n0::/\n')).toBe(3);
    expect(cgroupQuotaCpus(root, '2:memory:/x\n')).toBeUndefined();
  });
  it('reads v2 cpu.max', () => {
    const root = mkdtempSync(join(tmpdir(), 'zsc-cgroup2-'));
    mkdirSync(join(root, 'slice'), { recursive: true });
    writeFileSync(join(root, 'slice', 'cpu.max'), '250000 100000\n');
    expect(cgroupQuotaCpus(root, '0::/slice\n')).toBe(2.5);
  });
});

describe('physical cores', () => {
  it('counts distinct (physical id, core id) pairs: two hyper-threads of one core are one core', () => {
    const block = (processor: number, core: number) => `processor\t: ${processor}\nphysical id\t: 0\ncore id\t\t: ${core}\n`;
    expect(physicalCoresFromCpuinfo([block(0, 0), block(1, 0), block(2, 1), block(3, 1)].join('\n'))).toBe(2);
    expect(physicalCoresFromCpuinfo('processor\t: 0\nBogoMIPS\t: 108.00\n')).toBeUndefined();
  });
});

describe('decideThreads', () => {
  it('uses every CPU of the affinity mask when nothing else limits', () => {
    expect(decideThreads({ affinityCpus: 2, logicalCpus: 2, cgroupQuotaCpus: undefined, physicalCores: 2 })).toMatchObject({
      threads: 2,
      reason: '2 thread(s): 2 CPU(s) in the affinity mask, 2 physical core(s) of 2 logical CPU(s)',
    });
  });
  it('a cgroup quota caps it, rounded down, never below 1', () => {
    expect(decideThreads({ affinityCpus: 8, logicalCpus: 8, cgroupQuotaCpus: 2.5, physicalCores: 8 })).toMatchObject({ threads: 2, reason: '2 thread(s): cgroup quota 2.5 CPU(s) of 8 logical CPU(s)' });
    expect(decideThreads({ affinityCpus: 8, logicalCpus: 8, cgroupQuotaCpus: 0.5, physicalCores: 8 }).threads).toBe(1);
  });
  it('hyper-threads: physical cores cap an unrestricted mask, not a restricted one', () => {
    expect(decideThreads({ affinityCpus: 16, logicalCpus: 16, cgroupQuotaCpus: undefined, physicalCores: 8 }).threads).toBe(8);
    expect(decideThreads({ affinityCpus: 4, logicalCpus: 16, cgroupQuotaCpus: undefined, physicalCores: 8 }).threads).toBe(4);
  });
});
