/**
 * Clock, temperature, power and throttle readings, from whatever this machine exposes:
 * systeminformation (CPU clock and temperature), `vcgencmd` on a Raspberry Pi, `nvidia-smi` on
 * an NVIDIA GPU, and the kernel's powercap (RAPL) energy counter. Every reader fails soft: a
 * value this machine cannot give stays undefined, never guessed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import si from 'systeminformation';

export interface HardwareSample {
  /** Epoch ms when taken. */
  atMs: number;
  cpuMhz?: number;
  cpuTempC?: number;
  /** `vcgencmd get_throttled` bits (0 = never throttled); Raspberry Pi only. */
  piThrottled?: number;
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

/** `temp=48.3'C` -> 48.3. */
export function parseVcgencmdTemp(text: string): number | undefined {
  const match = /temp=([\d.]+)/.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `throttled=0x50005` -> 0x50005. */
export function parseVcgencmdThrottled(text: string): number | undefined {
  const match = /throttled=(0x[0-9a-fA-F]+)/.exec(text);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
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

export async function readHardwareSample(tools: { vcgencmd: boolean; nvidiaSmi: boolean }): Promise<HardwareSample> {
  const sample: HardwareSample = { atMs: Date.now() };
  const [speed, temperature] = await Promise.all([si.cpuCurrentSpeed().catch(() => undefined), si.cpuTemperature().catch(() => undefined)]);
  // systeminformation reports 0 GHz / null °C where the kernel exposes nothing (many VMs).
  if (speed !== undefined && speed.avg > 0) sample.cpuMhz = speed.avg * 1000;
  if (temperature !== undefined && typeof temperature.main === 'number' && temperature.main > 0) sample.cpuTempC = temperature.main;
  if (tools.vcgencmd) {
    const [temp, throttled] = await Promise.all([output('vcgencmd', ['measure_temp']), output('vcgencmd', ['get_throttled'])]);
    const tempC = temp === undefined ? undefined : parseVcgencmdTemp(temp);
    if (tempC !== undefined) sample.cpuTempC = tempC;
    const bits = throttled === undefined ? undefined : parseVcgencmdThrottled(throttled);
    if (bits !== undefined) sample.piThrottled = bits;
  }
  if (tools.nvidiaSmi) {
    const text = await output('nvidia-smi', ['--query-gpu=clocks.sm,temperature.gpu,power.draw,clocks_throttle_reasons.active', '--format=csv,noheader,nounits']);
    if (text !== undefined) Object.assign(sample, parseNvidiaSmiLine(text));
  }
  return sample;
}

/** Which external tools answer here: asked once, so a missing one costs nothing per sample. */
export async function availableTools(): Promise<{ vcgencmd: boolean; nvidiaSmi: boolean }> {
  const [vcgencmd, nvidiaSmi] = await Promise.all([output('vcgencmd', ['version']), output('nvidia-smi', ['-L'])]);
  return { vcgencmd: vcgencmd !== undefined, nvidiaSmi: nvidiaSmi !== undefined };
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
