import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeRoot } from '../helpers/fake-root.js';
import { describeSources, findCpufreqFiles, findTemperatureSensors, parseCpuinfoMhz, parseSysfsNumber, probeFileSources, readCpuMhz, readCpuTempC } from '../../src/env/hardware-sources.js';

const CPUINFO = 'processor\t: 0\ncpu MHz\t\t: 2096.032\nflags\t\t: fpu\n\nprocessor\t: 1\ncpu MHz\t\t: 2400.000\n';

describe('sysfs numbers', () => {
  it('reads integers and decimals, refuses text and missing files', () => {
    expect(parseSysfsNumber('48312\n')).toBe(48312);
    expect(parseSysfsNumber('-5\n')).toBe(-5);
    expect(parseSysfsNumber('1.5')).toBe(1.5);
    expect(parseSysfsNumber('N/A\n')).toBeUndefined();
    expect(parseSysfsNumber('')).toBeUndefined();
    expect(parseSysfsNumber(undefined)).toBeUndefined();
  });
  it("/proc/cpuinfo's cpu MHz lines: their mean; none on arm64", () => {
    expect(parseCpuinfoMhz(CPUINFO)).toBe((2096.032 + 2400) / 2);
    expect(parseCpuinfoMhz('processor\t: 0\nBogoMIPS\t: 108.00\nCPU implementer\t: 0x41\n')).toBeUndefined();
  });
});

describe('temperature sensors', () => {
  it('prefers a CPU hwmon driver (coretemp) over thermal zones, every temp*_input that reads, numeric order', () => {
    const root = fakeRoot({
      'sys/class/hwmon/hwmon0/name': 'acpitz\n',
      'sys/class/hwmon/hwmon0/temp1_input': '27800\n',
      'sys/class/hwmon/hwmon1/name': 'coretemp\n',
      'sys/class/hwmon/hwmon1/temp1_input': '52000\n',
      'sys/class/hwmon/hwmon1/temp10_input': '61000\n',
      'sys/class/hwmon/hwmon1/temp2_input': '49000\n',
      'sys/class/hwmon/hwmon1/temp2_label': 'Core 0\n',
      'sys/class/hwmon/hwmon1/temp3_input': 'garbage\n',
      'sys/class/thermal/thermal_zone0/type': 'x86_pkg_temp\n',
      'sys/class/thermal/thermal_zone0/temp': '70000\n',
    });
    const sensors = findTemperatureSensors(root);
    expect(sensors.map((sensor) => [sensor.file.slice(root.length), sensor.source])).toEqual([
      ['/sys/class/hwmon/hwmon1/temp1_input', 'coretemp'],
      ['/sys/class/hwmon/hwmon1/temp2_input', 'coretemp'],
      ['/sys/class/hwmon/hwmon1/temp10_input', 'coretemp'],
    ]);
    expect(readCpuTempC(sensors)).toBe(61);
  });

  it('without a CPU hwmon: thermal zones whose type names the CPU or SoC (a Raspberry Pi), not a board sensor', () => {
    const root = fakeRoot({
      'sys/class/thermal/thermal_zone0/type': 'cpu-thermal\n',
      'sys/class/thermal/thermal_zone0/temp': '48312\n',
      'sys/class/thermal/thermal_zone1/type': 'acpitz\n',
      'sys/class/thermal/thermal_zone1/temp': '90000\n',
      'sys/class/thermal/cooling_device0/type': 'Processor\n',
    });
    const sensors = findTemperatureSensors(root);
    expect(sensors.map((sensor) => sensor.source)).toEqual(['cpu-thermal']);
    expect(readCpuTempC(sensors)).toBe(48.312);
  });

  it('a VM with no thermal files: no sensors, no temperature (never guessed)', () => {
    const root = fakeRoot({ 'sys/class/thermal/thermal_zone0/type': 'acpitz\n', 'sys/class/thermal/thermal_zone0/temp': '27800\n' });
    expect(findTemperatureSensors(root)).toEqual([]);
    expect(findTemperatureSensors(join(root, 'nowhere'))).toEqual([]);
    expect(readCpuTempC([])).toBeUndefined();
  });
});

describe('CPU clock', () => {
  it('cpufreq files (kHz): the mean over CPUs in MHz; cpuinfo not used', () => {
    const root = fakeRoot({
      'sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq': '1800000\n',
      'sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq': '2400000\n',
      'sys/devices/system/cpu/cpufreq/boost': '1\n',
      'sys/devices/system/cpu/online': '0-1\n',
      'proc/cpuinfo': CPUINFO,
    });
    const sources = probeFileSources(root);
    expect(sources.cpufreq.map((file) => file.slice(root.length))).toEqual(['/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq', '/sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq']);
    expect(sources.cpuinfo).toBeUndefined();
    expect(readCpuMhz(sources)).toBe(2100);
  });

  it('no cpufreq (a VM): /proc/cpuinfo, read once and found cheap', () => {
    const root = fakeRoot({ 'sys/devices/system/cpu/cpu0/online': '1\n', 'proc/cpuinfo': CPUINFO });
    expect(findCpufreqFiles(root)).toEqual([]);
    const sources = probeFileSources(root);
    expect(sources.cpuinfo).toBe(join(root, 'proc/cpuinfo'));
    expect(readCpuMhz(sources)).toBe(2248.016);
    expect(describeSources({ ...sources, vcgencmd: false, nvidiaSmi: false })).toBe('temp: none; clock: /proc/cpuinfo');
  });

  it('nothing readable: no clock', () => {
    const root = fakeRoot({ 'proc/cpuinfo': 'processor\t: 0\n' });
    const sources = probeFileSources(root);
    expect(sources).toEqual({ temperature: [], cpufreq: [], cpuinfo: undefined });
    expect(readCpuMhz(sources)).toBeUndefined();
  });

  it('describes a Pi: thermal zone, cpufreq, vcgencmd for the throttle bits', () => {
    expect(describeSources({ temperature: [{ file: '/t', source: 'cpu-thermal' }], cpufreq: ['/a', '/b', '/c', '/d'], cpuinfo: undefined, vcgencmd: true, nvidiaSmi: false })).toBe(
      'temp: cpu-thermal x1; clock: cpufreq x4; tools: vcgencmd',
    );
  });
});
