/**
 * Clock, temperature, power and throttle readings, from whatever this machine exposes: kernel
 * files for the CPU clock and temperature (hardware-sources.ts, found once per run), `vcgencmd`
 * on a Raspberry Pi, `nvidia-smi` on an NVIDIA GPU, and the kernel's powercap (RAPL) energy
 * counter. Every reader fails soft: a value this machine cannot give stays undefined, never guessed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { probeFileSources, readCpuMhz, readCpuTempC, type HardwareSources } from './hardware-sources.js';

export interface HardwareSample {
  /** Epoch ms when taken. */
  atMs: number;
  cpuMhz?: number;
  cpuTempC?: number;
  /** `vcgencmd get_throttled` bits (0 = never throttled); Raspberry Pi only. */
  piThrottled?: number;
  /**
   * Of those, the "has occurred" bits (16-19) that the previous reading did not have: an event
   * between the two readings, however short. 0 at the monitor's first reading: what was set then
   * happened before the run. Set by `notePiEvents`.
   */
  piOccurredNew?: number;
  gpuSmMhz?: number;
  gpuTempC?: number;
  gpuPowerW?: number;
  /** nvidia-smi's active clock throttle reasons bitmask (0 = none). */
  gpuThrottleReasons?: number;
}

const run = promisify(execFile);

async function output(command: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await run(command, [...args], { timeout: 2000 })).stdout;
  } catch {
    return undefined;
  }
}

/** `temp=48.3'C` -> 48.3; undefined when no number follows (`temp=.'C` once gave NaN, which hid every other reading's maximum). */
export function parseVcgencmdTemp(text: string): number | undefined {
  const match = /temp=(-?\d+(?:\.\d+)?)/.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `throttled=0x50005` -> 0x50005. */
export function parseVcgencmdThrottled(text: string): number | undefined {
  const match = /throttled=(0x[0-9a-fA-F]+)/.exec(text);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}

/** `get_throttled` bits 0-3: under-voltage, ARM frequency capped, throttled, soft temperature limit, now. */
export const PI_NOW_BITS = 0xf;
/**
 * Bits 16-19: the same four, "has occurred". Since boot, or since they were last cleared: Linux's
 * raspberrypi-hwmon driver asks the firmware to clear them each time it polls (every 2 s).
 */
export const PI_OCCURRED_BITS = 0xf0000;

/**
 * The sample with `piOccurredNew`: its "has occurred" bits that `previousBits` (the last reading
 * before it) lacked. No previous reading: none are new, they were set before anyone looked.
 */
export function notePiEvents(sample: HardwareSample, previousBits: number | undefined): HardwareSample {
  if (sample.piThrottled === undefined) return sample;
  const fresh = previousBits === undefined ? 0 : sample.piThrottled & PI_OCCURRED_BITS & ~previousBits;
  return { ...sample, piOccurredNew: fresh };
}

/** One line of `nvidia-smi --query-gpu=clocks.sm,temperature.gpu,power.draw,clocks_throttle_reasons.active --format=csv,noheader,nounits`. */
export function parseNvidiaSmiLine(text: string): Pick<HardwareSample, 'gpuSmMhz' | 'gpuTempC' | 'gpuPowerW' | 'gpuThrottleReasons'> {
  const [clock, temp, power, reasons] = (text.split('\n')[0] ?? '').split(',').map((cell) => cell.trim());
  const number = (value: string | undefined) => (value === undefined || value === '' || Number.isNaN(Number(value)) ? undefined : Number(value));
  const result: Pick<HardwareSample, 'gpuSmMhz' | 'gpuTempC' | 'gpuPowerW' | 'gpuThrottleReasons'> = {};
  const [smMhz, tempC, powerW] = [number(clock), number(temp), number(power)];
  if (smMhz !== undefined) result.gpuSmMhz = smMhz;
  if (tempC !== undefined) result.gpuTempC = tempC;
  if (powerW !== undefined) result.gpuPowerW = powerW;
  if (reasons !== undefined && /^0x[0-9a-fA-F]+$/.test(reasons)) result.gpuThrottleReasons = Number.parseInt(reasons, 16);
  return result;
}

/** Bits of nvidia-smi's throttle reasons that mean slowed down (not idle 0x1 or the application clock setting 0x2). */
export const NVIDIA_SLOWDOWN_BITS = ~0x3;

/** One sample: file reads for the CPU; a process only for vcgencmd (throttle bits) and nvidia-smi, where present. */
export async function readHardwareSample(sources: HardwareSources): Promise<HardwareSample> {
  const sample: HardwareSample = { atMs: Date.now() };
  const cpuMhz = readCpuMhz(sources);
  if (cpuMhz !== undefined) sample.cpuMhz = cpuMhz;
  const cpuTempC = readCpuTempC(sources.temperature);
  if (cpuTempC !== undefined) sample.cpuTempC = cpuTempC;
  if (sources.vcgencmd) {
    // A Pi's thermal zone gives the temperature from a file; vcgencmd only when it does not.
    const [temp, throttled] = await Promise.all([sample.cpuTempC === undefined ? output('vcgencmd', ['measure_temp']) : Promise.resolve(undefined), output('vcgencmd', ['get_throttled'])]);
    const tempC = temp === undefined ? undefined : parseVcgencmdTemp(temp);
    if (tempC !== undefined) sample.cpuTempC = tempC;
    const bits = throttled === undefined ? undefined : parseVcgencmdThrottled(throttled);
    if (bits !== undefined) sample.piThrottled = bits;
  }
  if (sources.nvidiaSmi) {
    const text = await output('nvidia-smi', ['--query-gpu=clocks.sm,temperature.gpu,power.draw,clocks_throttle_reasons.active', '--format=csv,noheader,nounits']);
    if (text !== undefined) Object.assign(sample, parseNvidiaSmiLine(text));
  }
  return sample;
}

/** Which sources answer here, asked once before a run: a missing one costs nothing per sample. */
export async function probeHardwareSources(root = '/'): Promise<HardwareSources> {
  const [vcgencmd, nvidiaSmi] = await Promise.all([output('vcgencmd', ['version']), output('nvidia-smi', ['-L'])]);
  return { ...probeFileSources(root), vcgencmd: vcgencmd !== undefined, nvidiaSmi: nvidiaSmi !== undefined };
}

const RAPL_PACKAGE = '/sys/class/powercap/intel-rapl:0';

/** CPU package energy counter in µJ and its wrap-around range, when the kernel lets this user read it. */
export function readRaplEnergy(root = RAPL_PACKAGE): { energyUj: number; rangeUj: number } | undefined {
  try {
    const energyUj = Number(readFileSync(`${root}/energy_uj`, 'utf8').trim());
    const rangeUj = Number(readFileSync(`${root}/max_energy_range_uj`, 'utf8').trim());
    return Number.isFinite(energyUj) && Number.isFinite(rangeUj) ? { energyUj, rangeUj } : undefined;
  } catch {
    return undefined;
  }
}

/** Joules between two counter readings, across one wrap-around. */
export function raplJoules(before: { energyUj: number; rangeUj: number }, after: { energyUj: number }): number {
  const delta = after.energyUj >= before.energyUj ? after.energyUj - before.energyUj : after.energyUj + before.rangeUj - before.energyUj;
  return delta / 1e6;
}
