/**
 * The machine's state around a measurement, as `pyperf system show` reports it: load average,
 * CPU steal (time a hypervisor gave this VM's CPUs to someone else), other processes' share of
 * the CPUs, the cpufreq governor and turbo. The parsers and the arithmetic are pure (tested on
 * fixture text); the readers fail soft (undefined where the kernel does not say).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every architecture Node runs on. */
export const USER_HZ = 100;

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
}

/** `/proc/loadavg`: `0.52 0.58 0.59 2/189 12345` -> the three averages. */
export function parseLoadAvg(text: string): LoadAverage | undefined {
  const [load1, load5, load15] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (load1 === undefined || load5 === undefined || load15 === undefined || ![load1, load5, load15].every(Number.isFinite)) return undefined;
  return { load1, load5, load15 };
}

/** The all-CPU line of `/proc/stat`, in ticks. */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

/**
 * The `cpu ` line of `/proc/stat`. guest and guest_nice are left out: the kernel already counts
 * them inside user and nice. Fields a kernel lacks (steal before 2.6.11) read as 0.
 */
export function parseProcStat(text: string): CpuTicks | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith('cpu '));
  if (line === undefined) return undefined;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  if (values.length < 4 || !values.every(Number.isFinite)) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

/** A reading at one instant: what the kernel says, and this process's own CPU time so far. */
export interface MachineReading {
  load: LoadAverage | undefined;
  ticks: CpuTicks | undefined;
  /** process.cpuUsage() user + system, in ms: every thread of this process (ONNX Runtime's, the monitor's). */
  ownCpuMs: number;
}

export interface CpuShares {
  /** Steal ticks over all ticks, in %. */
  stealPercent: number;
  /** Busy ticks not this process's, over all CPUs' time, in %: 50 on 2 cores = one core's worth. */
  othersCpuPercent: number;
}

/**
 * Steal and other processes' CPU share between two readings. Busy = all ticks but idle, iowait
 * and steal; others = busy minus this process's own CPU time (floored at 0: ticks are coarse, 10 ms).
 * Child processes count as others: a child measures its own window itself.
 */
export function cpuShares(before: Pick<MachineReading, 'ticks' | 'ownCpuMs'>, after: Pick<MachineReading, 'ticks' | 'ownCpuMs'>, ticksPerSecond = USER_HZ): CpuShares | undefined {
  if (before.ticks === undefined || after.ticks === undefined) return undefined;
  const delta = (key: keyof CpuTicks) => (after.ticks?.[key] ?? 0) - (before.ticks?.[key] ?? 0);
  const keys: Array<keyof CpuTicks> = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
  const total = keys.reduce((sum, key) => sum + delta(key), 0);
  if (total <= 0) return undefined;
  const busy = total - delta('idle') - delta('iowait') - delta('steal');
  const ownTicks = ((after.ownCpuMs - before.ownCpuMs) / 1000) * ticksPerSecond;
  return { stealPercent: (delta('steal') / total) * 100, othersCpuPercent: (Math.max(0, busy - ownTicks) / total) * 100 };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Load, CPU ticks and own CPU now (`root` for a fake tree). */
export function readMachine(root = '/'): MachineReading {
  const loadText = readText(join(root, 'proc/loadavg'));
  const statText = readText(join(root, 'proc/stat'));
  const own = process.cpuUsage();
  return { load: loadText === undefined ? undefined : parseLoadAvg(loadText), ticks: statText === undefined ? undefined : parseProcStat(statText), ownCpuMs: (own.user + own.system) / 1000 };
}

/**
 * The cpufreq governor(s), e.g. `performance` or `powersave`, `schedutil+performance` when CPUs
 * differ; empty where cpufreq is not exposed (most VMs).
 */
export function readGovernor(root = '/'): string {
  const cpuRoot = join(root, 'sys/devices/system/cpu');
  let entries: string[];
  try {
    entries = readdirSync(cpuRoot).filter((entry) => /^cpu\d+$/.test(entry)).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  } catch {
    return '';
  }
  const governors = entries.map((cpu) => readText(join(cpuRoot, cpu, 'cpufreq', 'scaling_governor'))?.trim()).filter((value): value is string => value !== undefined && value !== '');
  return [...new Set(governors)].join('+');
}

/**
 * Turbo (boost) as the kernel shows it: intel_pstate's `no_turbo` (0 = on) or cpufreq's `boost`
 * (1 = on); undefined where neither file exists.
 */
export function readTurbo(root = '/'): boolean | undefined {
  const noTurbo = readText(join(root, 'sys/devices/system/cpu/intel_pstate/no_turbo'))?.trim();
  if (noTurbo === '0' || noTurbo === '1') return noTurbo === '0';
  const boost = readText(join(root, 'sys/devices/system/cpu/cpufreq/boost'))?.trim();
  if (boost === '0' || boost === '1') return boost === '1';
  return undefined;
}

/** The machine's state over one measurement window. */
export interface MachineConditions {
  loadStart: number | undefined;
  loadEnd: number | undefined;
  stealPercent: number | undefined;
  othersCpuPercent: number | undefined;
  governor: string;
  turbo: boolean | undefined;
}

export function machineConditions(before: MachineReading, after: MachineReading, settings: { governor: string; turbo: boolean | undefined }): MachineConditions {
  const shares = cpuShares(before, after);
  return { loadStart: before.load?.load1, loadEnd: after.load?.load1, stealPercent: shares?.stealPercent, othersCpuPercent: shares?.othersCpuPercent, ...settings };
}

/**
 * One window's conditions from consecutive windows (a run's processes, one after another): the
 * load as the first started and the last ended, steal and others' CPU weighted by each window's
 * wall time; governor and turbo of the first (they are the machine's settings, not its load).
 */
export function mergeConditions(parts: ReadonlyArray<{ conditions: MachineConditions; wallMs: number }>): MachineConditions | undefined {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const weighted = (value: (conditions: MachineConditions) => number | undefined): number | undefined => {
    const known = parts.map((part) => ({ value: value(part.conditions), wallMs: part.wallMs }));
    const wall = known.reduce((sum, part) => sum + part.wallMs, 0);
    if (wall <= 0 || known.some((part) => part.value === undefined)) return undefined;
    return known.reduce((sum, part) => sum + (part.value ?? 0) * part.wallMs, 0) / wall;
  };
  return {
    loadStart: first.conditions.loadStart,
    loadEnd: last.conditions.loadEnd,
    stealPercent: weighted((conditions) => conditions.stealPercent),
    othersCpuPercent: weighted((conditions) => conditions.othersCpuPercent),
    governor: first.conditions.governor,
    turbo: first.conditions.turbo,
  };
}

/** Steal above this share of CPU time: the hypervisor took enough to move the figures. */
export const BUSY_STEAL_PERCENT = 5;
/** Other processes above this share of all CPUs' time (10% of 2 cores = a fifth of one core). */
export const BUSY_OTHERS_PERCENT = 10;

/**
 * Why the machine was busy, a phrase each; empty when it was not. The load counts the run's own
 * threads (up to the cores) and its parent and monitor: in bench:rerun a quiet machine's runs
 * read 2.1 to 2.5 on 2 cores with 1% of the CPUs used by others. So the load means contention
 * only above the cores plus one: at least one whole runnable thread more than the cores hold.
 */
export function busyReasons(state: Partial<Pick<MachineConditions, 'loadStart' | 'loadEnd' | 'stealPercent' | 'othersCpuPercent'>>, cores: number): string[] {
  const reasons: string[] = [];
  const load = Math.max(state.loadStart ?? 0, state.loadEnd ?? 0);
  if (load > cores + 1) reasons.push(`load ${load.toFixed(2)} above ${cores} cores + 1`);
  if (state.stealPercent !== undefined && state.stealPercent > BUSY_STEAL_PERCENT) reasons.push(`steal ${state.stealPercent.toFixed(1)}% above ${BUSY_STEAL_PERCENT}%`);
  if (state.othersCpuPercent !== undefined && state.othersCpuPercent > BUSY_OTHERS_PERCENT) reasons.push(`other processes ${state.othersCpuPercent.toFixed(1)}% of the CPUs, above ${BUSY_OTHERS_PERCENT}%`);
  return reasons;
}

/** The machine while a probe or calibration ran: recorded with it, and whether it may be cached. */
export interface ProbeMachine {
  /** The higher 1-minute load of start and end. */
  load: number | undefined;
  stealPercent: number | undefined;
  othersCpuPercent: number | undefined;
  /** busyReasons(); not empty: the measurement is used for this run only, not cached. */
  busy: string[];
}

export function probeMachine(before: MachineReading, after: MachineReading, cores: number): ProbeMachine {
  const state = machineConditions(before, after, { governor: '', turbo: undefined });
  const loads = [state.loadStart, state.loadEnd].filter((value): value is number => value !== undefined);
  return {
    load: loads.length === 0 ? undefined : Math.max(...loads),
    stealPercent: state.stealPercent,
    othersCpuPercent: state.othersCpuPercent,
    busy: busyReasons(state, cores),
  };
}

/** A probe taken on a busy machine describes that moment, not the machine: it is not kept for later runs. */
export function cacheable(machine: Pick<ProbeMachine, 'busy'>): boolean {
  return machine.busy.length === 0;
}

/** `load 0.52, steal 0.0%, others 1.3%`, the parts the kernel gave. */
export function describeProbeMachine(machine: ProbeMachine): string {
  const parts = [
    ...(machine.load !== undefined ? [`load ${machine.load.toFixed(2)}`] : []),
    ...(machine.stealPercent !== undefined ? [`steal ${machine.stealPercent.toFixed(1)}%`] : []),
    ...(machine.othersCpuPercent !== undefined ? [`others ${machine.othersCpuPercent.toFixed(1)}%`] : []),
  ];
  return parts.length === 0 ? 'machine state not readable' : parts.join(', ');
}

/** A result column's word for where a probe or calibration came from (`peak_probe_source`, `pairs_per_run_calibration_source`). */
export function measurementSource(measured: { cached: boolean; notCached?: boolean }): string {
  return measured.cached ? 'cached' : measured.notCached === true ? 'measured, busy: not cached' : 'measured';
}
