/**
 * Where this machine exposes CPU clock and temperature, found once before a run: kernel files
 * (`/sys/class/hwmon`, `/sys/class/thermal`, cpufreq, `/proc/cpuinfo`) that the monitor then reads
 * each second without starting a process. systeminformation's `cpuTemperature()` started about six
 * processes per call (~55 ms wall on a 2-core VM) and slowed the measured model by several percent.
 * Every reader fails soft: a value the files cannot give stays undefined, never guessed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TemperatureSensor {
  /** File holding millidegrees Celsius. */
  file: string;
  /** hwmon `name` or thermal zone `type`, e.g. `coretemp`, `x86_pkg_temp`, `cpu-thermal`. */
  source: string;
}

export interface HardwareSources {
  /** CPU temperature files; the sample is their maximum. Empty: none found. */
  temperature: TemperatureSensor[];
  /** Per-CPU `scaling_cur_freq` files (kHz); the sample is their mean. */
  cpufreq: string[];
  /** `/proc/cpuinfo`, read for its `cpu MHz` lines when no cpufreq file exists and one read was cheap. */
  cpuinfo: string | undefined;
  /** External tools that answered once (Raspberry Pi firmware, NVIDIA driver): the only processes started per sample. */
  vcgencmd: boolean;
  nvidiaSmi: boolean;
}

/** hwmon drivers that measure the CPU package or cores. */
const CPU_HWMON = /^(coretemp|k10temp|zenpower|cpu_thermal|cpu-thermal|soc_thermal|rp1_adc|aml_thermal)$/;
/** Thermal zone types that are the CPU or SoC. */
const CPU_ZONE = /(x86_pkg_temp|cpu|soc|package)/i;

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A sysfs number file (`48312\n`) -> 48312; undefined when missing or not a number. */
export function parseSysfsNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/**
 * The CPU's temperature files under `root` (a test passes a fake tree): hwmon devices of a CPU
 * driver first (their `temp*_input`), else thermal zones whose type names the CPU or SoC. Only
 * files that read as a number now are kept. No CPU-named sensor: none (a board sensor is not the CPU).
 */
export function findTemperatureSensors(root = '/'): TemperatureSensor[] {
  const hwmonRoot = join(root, 'sys/class/hwmon');
  const hwmon: TemperatureSensor[] = [];
  for (const device of listDir(hwmonRoot)) {
    const dir = join(hwmonRoot, device);
    const name = readText(join(dir, 'name'))?.trim() ?? '';
    if (!CPU_HWMON.test(name)) continue;
    for (const entry of listDir(dir)) {
      if (!/^temp\d+_input$/.test(entry)) continue;
      const file = join(dir, entry);
      if (parseSysfsNumber(readText(file)) !== undefined) hwmon.push({ file, source: name });
    }
  }
  if (hwmon.length > 0) return hwmon;
  const thermalRoot = join(root, 'sys/class/thermal');
  const zones: TemperatureSensor[] = [];
  for (const zone of listDir(thermalRoot)) {
    if (!zone.startsWith('thermal_zone')) continue;
    const type = readText(join(thermalRoot, zone, 'type'))?.trim() ?? '';
    const file = join(thermalRoot, zone, 'temp');
    if (CPU_ZONE.test(type) && parseSysfsNumber(readText(file)) !== undefined) zones.push({ file, source: type });
  }
  return zones;
}

/** Each CPU's `scaling_cur_freq` under `root` that reads as a number now. */
export function findCpufreqFiles(root = '/'): string[] {
  const cpuRoot = join(root, 'sys/devices/system/cpu');
  return listDir(cpuRoot)
    .filter((entry) => /^cpu\d+$/.test(entry))
    .map((cpu) => join(cpuRoot, cpu, 'cpufreq', 'scaling_cur_freq'))
    .filter((file) => parseSysfsNumber(readText(file)) !== undefined);
}

/** Mean of `/proc/cpuinfo`'s `cpu MHz` lines; undefined when it has none (arm64 has none). */
export function parseCpuinfoMhz(text: string): number | undefined {
  const values = [...text.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((match) => Number(match[1])).filter((value) => Number.isFinite(value) && value > 0);
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Above this, one `/proc/cpuinfo` read (which on some kernels asks every CPU for its clock) is too dear to repeat every second. */
const CPUINFO_MAX_READ_MS = 5;

/** The clock and temperature files of this machine (`root` for a fake tree); tools are asked separately (they start processes). */
export function probeFileSources(root = '/'): Omit<HardwareSources, 'vcgencmd' | 'nvidiaSmi'> {
  const cpufreq = findCpufreqFiles(root);
  let cpuinfo: string | undefined;
  if (cpufreq.length === 0) {
    const file = join(root, 'proc/cpuinfo');
    const started = performance.now();
    const text = readText(file);
    const elapsed = performance.now() - started;
    if (text !== undefined && parseCpuinfoMhz(text) !== undefined && elapsed <= CPUINFO_MAX_READ_MS) cpuinfo = file;
  }
  return { temperature: findTemperatureSensors(root), cpufreq, cpuinfo };
}

/** Highest temperature of the sensors in °C (files hold millidegrees); undefined when none reads. */
export function readCpuTempC(sensors: readonly TemperatureSensor[]): number | undefined {
  const values = sensors.map((sensor) => parseSysfsNumber(readText(sensor.file))).filter((value): value is number => value !== undefined && value > 0);
  return values.length === 0 ? undefined : Math.max(...values) / 1000;
}

/** Mean CPU clock in MHz from cpufreq (kHz files), else `/proc/cpuinfo`; undefined when neither reads. */
export function readCpuMhz(sources: Pick<HardwareSources, 'cpufreq' | 'cpuinfo'>): number | undefined {
  const khz = sources.cpufreq.map((file) => parseSysfsNumber(readText(file))).filter((value): value is number => value !== undefined && value > 0);
  if (khz.length > 0) return khz.reduce((sum, value) => sum + value, 0) / khz.length / 1000;
  if (sources.cpuinfo === undefined) return undefined;
  const text = readText(sources.cpuinfo);
  return text === undefined ? undefined : parseCpuinfoMhz(text);
}

/** One line for the record: which sources the monitor reads, e.g. `temp: coretemp x4; clock: cpufreq x8`. */
export function describeSources(sources: HardwareSources): string {
  const kinds = [...new Set(sources.temperature.map((sensor) => sensor.source))];
  const temp = kinds.length === 0 ? (sources.vcgencmd ? 'vcgencmd' : 'none') : `${kinds.join('+')} x${sources.temperature.length}`;
  const clock = sources.cpufreq.length > 0 ? `cpufreq x${sources.cpufreq.length}` : sources.cpuinfo !== undefined ? '/proc/cpuinfo' : 'none';
  const tools = [...(sources.vcgencmd ? ['vcgencmd'] : []), ...(sources.nvidiaSmi ? ['nvidia-smi'] : [])];
  return `temp: ${temp}; clock: ${clock}${tools.length > 0 ? `; tools: ${tools.join(', ')}` : ''}`;
}
