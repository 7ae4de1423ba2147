import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeRoot } from '../helpers/fake-root.js';
import {
  measurementSource,
  busyReasons,
  cacheable,
  cpuShares,
  describeProbeMachine,
  machineConditions,
  mergeConditions,
  type MachineConditions,
  parseLoadAvg,
  parseProcStat,
  probeMachine,
  readGovernor,
  readMachine,
  readTurbo,
} from '../../src/env/machine-state.js';


// user nice system idle iowait irq softirq steal guest guest_nice
const STAT_BEFORE = 'cpu  1000 10 500 8000 50 5 5 30 7 0\ncpu0 500 5 250 4000 25 2 2 15 3 0\nintr 12345\n';
const STAT_AFTER = 'cpu  1400 10 600 8400 70 15 15 90 9 0\ncpu0 700 5 300 4200 35 7 7 45 4 0\nintr 23456\n';

describe('/proc parsing', () => {
  it('loadavg: the three averages', () => {
    expect(parseLoadAvg('0.52 0.58 0.59 2/189 12345\n')).toEqual({ load1: 0.52, load5: 0.58, load15: 0.59 });
    expect(parseLoadAvg('garbage')).toBeUndefined();
    expect(parseLoadAvg('')).toBeUndefined();
  });

  it('stat: the all-CPU line, guest left out (already inside user), missing fields 0', () => {
    expect(parseProcStat(STAT_BEFORE)).toEqual({ user: 1000, nice: 10, system: 500, idle: 8000, iowait: 50, irq: 5, softirq: 5, steal: 30 });
    expect(parseProcStat('cpu  1 2 3 4\n')).toEqual({ user: 1, nice: 2, system: 3, idle: 4, iowait: 0, irq: 0, softirq: 0, steal: 0 });
    expect(parseProcStat('cpu0 1 2 3 4\n')).toBeUndefined();
    expect(parseProcStat('cpu  1 x 3 4\n')).toBeUndefined();
  });
});

describe('steal and other processes', () => {
  const before = { ticks: parseProcStat(STAT_BEFORE), ownCpuMs: 1000 };
  const after = { ticks: parseProcStat(STAT_AFTER), ownCpuMs: 4500 };

  it('1000 ticks: steal 60 (6%); busy 520 less our own 3.5 s (350 ticks) = 170 (17%)', () => {
    const shares = cpuShares(before, after);
    expect(shares?.stealPercent).toBeCloseTo(6, 12);
    expect(shares?.othersCpuPercent).toBeCloseTo(17, 12);
  });

  it('own CPU above the busy ticks (coarse ticks): others 0, never negative', () => {
    expect(cpuShares(before, { ...after, ownCpuMs: 9000 })?.othersCpuPercent).toBe(0);
  });

  it('unreadable or unchanged counters: undefined', () => {
    expect(cpuShares({ ticks: undefined, ownCpuMs: 0 }, after)).toBeUndefined();
    expect(cpuShares(before, before)).toBeUndefined();
  });

  it('busy reasons: load above the cores + 1, steal above 5%, others above 10%; none on a quiet machine', () => {
    const state = machineConditions({ load: { load1: 1.5, load5: 1, load15: 1 }, ...before }, { load: { load1: 3.4, load5: 1, load15: 1 }, ...after }, { governor: '', turbo: undefined });
    expect(state.loadStart).toBe(1.5);
    expect(state.loadEnd).toBe(3.4);
    expect(busyReasons(state, 2)).toEqual(['load 3.40 above 2 cores + 1', 'steal 6.0% above 5%', 'other processes 17.0% of the CPUs, above 10%']);
    // A run filling both cores, with its parent and monitor, reads a little above 2 on a quiet machine.
    expect(busyReasons({ loadStart: 2.4, loadEnd: 3, stealPercent: 5, othersCpuPercent: 10 }, 2)).toEqual([]);
    expect(busyReasons({}, 2)).toEqual([]);
  });
});

describe('probes and calibrations: cached only from a quiet machine', () => {
  const quietBefore = { load: { load1: 0.4, load5: 0.3, load15: 0.2 }, ticks: parseProcStat('cpu  0 0 0 1000 0 0 0 0\n'), ownCpuMs: 0 };
  const quietAfter = { load: { load1: 1.1, load5: 0.3, load15: 0.2 }, ticks: parseProcStat('cpu  190 0 10 1800 0 0 0 0\n'), ownCpuMs: 1900 };

  it('a quiet probe: the higher load, steal 0, others 1%, cacheable', () => {
    const machine = probeMachine(quietBefore, quietAfter, 2);
    expect(machine).toEqual({ load: 1.1, stealPercent: 0, othersCpuPercent: 1, busy: [] });
    expect(cacheable(machine)).toBe(true);
    expect(describeProbeMachine(machine)).toBe('load 1.10, steal 0.0%, others 1.0%');
  });

  it('a busy probe (another process took a core): not cacheable, with the reason', () => {
    const machine = probeMachine(quietBefore, { ...quietAfter, ownCpuMs: 900 }, 2);
    expect(machine.othersCpuPercent).toBeCloseTo(11, 12);
    expect(machine.busy).toEqual(['other processes 11.0% of the CPUs, above 10%']);
    expect(cacheable(machine)).toBe(false);
  });

  it('nothing readable (not Linux): no reasons, cacheable as before', () => {
    const machine = probeMachine({ load: undefined, ticks: undefined, ownCpuMs: 0 }, { load: undefined, ticks: undefined, ownCpuMs: 5 }, 2);
    expect(machine).toEqual({ load: undefined, stealPercent: undefined, othersCpuPercent: undefined, busy: [] });
    expect(describeProbeMachine(machine)).toBe('machine state not readable');
  });
});

describe('readers on a fake tree', () => {
  it('load, ticks and own CPU; governor per CPU joined; turbo from intel_pstate no_turbo', () => {
    const root = fakeRoot({
      'proc/loadavg': '2.61 1.20 0.80 3/121 19705\n',
      'proc/stat': STAT_AFTER,
      'sys/devices/system/cpu/cpu0/cpufreq/scaling_governor': 'performance\n',
      'sys/devices/system/cpu/cpu1/cpufreq/scaling_governor': 'performance\n',
      'sys/devices/system/cpu/cpu2/cpufreq/scaling_governor': 'powersave\n',
      'sys/devices/system/cpu/intel_pstate/no_turbo': '1\n',
    });
    const reading = readMachine(root);
    expect(reading.load).toEqual({ load1: 2.61, load5: 1.2, load15: 0.8 });
    expect(reading.ticks?.steal).toBe(90);
    expect(reading.ownCpuMs).toBeGreaterThan(0);
    expect(readGovernor(root)).toBe('performance+powersave');
    expect(readTurbo(root)).toBe(false);
  });

  it('cpufreq boost where intel_pstate is absent; nothing on a VM', () => {
    expect(readTurbo(fakeRoot({ 'sys/devices/system/cpu/cpufreq/boost': '1\n' }))).toBe(true);
    const vm = fakeRoot({ 'sys/devices/system/cpu/cpu0/online': '1\n' });
    expect(readTurbo(vm)).toBeUndefined();
    expect(readGovernor(vm)).toBe('');
    expect(readMachine(join(vm, 'nowhere'))).toMatchObject({ load: undefined, ticks: undefined });
  });
});

describe('a run over several processes: one window from consecutive ones', () => {
  const window = (loadStart: number, loadEnd: number, stealPercent: number | undefined, othersCpuPercent: number): MachineConditions => ({ loadStart, loadEnd, stealPercent, othersCpuPercent, governor: 'performance', turbo: true });

  it('load as the first started and the last ended; steal and others weighted by wall time', () => {
    expect(mergeConditions([{ conditions: window(0.5, 0.75, 1, 2), wallMs: 1000 }, { conditions: window(1.25, 1.5, 4, 8), wallMs: 3000 }])).toEqual({
      loadStart: 0.5,
      loadEnd: 1.5,
      stealPercent: 3.25,
      othersCpuPercent: 6.5,
      governor: 'performance',
      turbo: true,
    });
  });

  it('a share one window could not read is unknown for the whole; no windows, no conditions', () => {
    expect(mergeConditions([{ conditions: window(0.5, 0.75, undefined, 2), wallMs: 1000 }, { conditions: window(1, 1, 4, 8), wallMs: 1000 }])?.stealPercent).toBeUndefined();
    expect(mergeConditions([])).toBeUndefined();
  });
});

describe('measurementSource', () => {
  it('names a cached, a measured and a busy, uncached measurement', () => {
    expect(measurementSource({ cached: true })).toBe('cached');
    expect(measurementSource({ cached: false })).toBe('measured');
    expect(measurementSource({ cached: false, notCached: true })).toBe('measured, busy: not cached');
  });
});
