import { describe, expect, it } from 'vitest';
import { notePiEvents, parseNvidiaSmiLine, parseVcgencmdTemp, parseVcgencmdThrottled, raplJoules, type HardwareSample } from '../../src/env/hardware-sample.js';
import { energy, passDrift, thermal } from '../../src/runner/drift.js';
import type { Sample } from '../../src/runner/runner.js';

const sample = (itemId: string, repeat: number, totalMs: number): Sample => ({ labelCount: 3, itemId, repeat, totalMs, inferenceMs: totalMs, tokenizeMs: 0, runs: 1, gflop: 1, predicted: 'a', gold: 'a', scores: '' });

describe('passDrift', () => {
  it('pass means, and the median per-item change from the first to the last pass', () => {
    const samples = ['a', 'b', 'c', 'd'].flatMap((item, index) => [sample(item, 0, 100 + index), sample(item, 1, 100 + index), sample(item, 2, 2 * (100 + index))]);
    const drift = passDrift(samples);
    expect(drift.passMeansMs).toEqual([101.5, 101.5, 203]);
    expect(drift.driftPercent).toBeCloseTo(100, 10);
    expect(drift.noisePercent).toBeCloseTo(0, 10);
    expect(drift.beyondNoise).toBe(true);
  });
  it('a change within the floor or within the noise is not drift; one pass has none', () => {
    const small = ['a', 'b'].flatMap((item) => [sample(item, 0, 100), sample(item, 1, 105)]);
    expect(passDrift(small)).toMatchObject({ beyondNoise: false });
    expect(passDrift(small).driftPercent).toBeCloseTo(5, 10);
    // Items that went +50% and -40%: the median change is noise-dominated.
    const noisy = [sample('a', 0, 100), sample('b', 0, 100), sample('c', 0, 100), sample('a', 1, 150), sample('b', 1, 60), sample('c', 1, 130)];
    expect(passDrift(noisy).beyondNoise).toBe(false);
    expect(passDrift([sample('a', 0, 100)]).driftPercent).toBeNaN();
  });
});

describe('thermal', () => {
  it('clock range, hottest reading, and throttling from a clock drop, Pi bits or NVIDIA reasons', () => {
    expect(thermal([{ atMs: 0, cpuMhz: 2400, cpuTempC: 61 }, { atMs: 1, cpuMhz: 1500, cpuTempC: 84.5 }])).toEqual({ cpuMhzMin: 1500, cpuMhzMax: 2400, maxTempC: 84.5, throttled: true, throttleReason: 'CPU clock fell to 1500 of 2400 MHz' });
    expect(thermal([{ atMs: 0, piThrottled: 0x50005 }]).throttleReason).toBe('vcgencmd get_throttled 0x50005');
    expect(thermal([{ atMs: 0, piThrottled: 0x50000 }]).throttled).toBe(false); // only "has happened" bits: not during this run
    expect(thermal([{ atMs: 0, gpuThrottleReasons: 0x1, gpuTempC: 70 }])).toMatchObject({ throttled: false, maxTempC: 70 });
    expect(thermal([{ atMs: 0, gpuThrottleReasons: 0x20 }]).throttleReason).toBe('nvidia-smi throttle reasons 0x20');
  });
  it('Pi "has occurred" bits: one set before the run or in an earlier window does not count; one that comes on within the window does', () => {
    // get_throttled as the monitor read it, one reading a second: under-voltage had occurred before
    // the run (0x50000), then ARM capping came and went between two readings (0x20000 on, no 0x2).
    const readings = [0x50000, 0x50000, 0x70000, 0x70000, 0x70000];
    const samples: HardwareSample[] = [];
    for (const [index, bits] of readings.entries()) samples.push(notePiEvents({ atMs: index * 1000, piThrottled: bits }, samples.at(-1)?.piThrottled));
    expect(samples.map((sample) => sample.piOccurredNew)).toEqual([0, 0, 0x20000, 0, 0]);
    expect(thermal(samples.slice(0, 2))).toMatchObject({ throttled: false, throttleReason: '' });
    expect(thermal(samples.slice(1, 4))).toMatchObject({ throttled: true, throttleReason: 'vcgencmd get_throttled 0x70000 (0x20000 newly set)' });
    // The next window still reads 0x70000, but nothing new happened in it.
    expect(thermal(samples.slice(3, 5))).toMatchObject({ throttled: false, throttleReason: '' });
    // A "now" bit names the bits as read, with or without new "has occurred" bits.
    expect(thermal([notePiEvents({ atMs: 0, piThrottled: 0x50005 }, 0x0)])).toMatchObject({ throttled: true, throttleReason: 'vcgencmd get_throttled 0x50005' });
    expect(thermal([{ atMs: 0, piThrottled: 0x80008, piOccurredNew: 0 }])).toMatchObject({ throttled: true, throttleReason: 'vcgencmd get_throttled 0x80008' });
  });
  it('nothing readable (a VM): no claim either way', () => {
    expect(thermal([{ atMs: 0 }, { atMs: 1 }])).toEqual({ cpuMhzMin: Number.NaN, cpuMhzMax: Number.NaN, maxTempC: Number.NaN, throttled: undefined, throttleReason: '' });
  });
});

describe('energy', () => {
  const samples = Array.from({ length: 4 }, (_, index) => sample(String(index), 0, 100));
  it('RAPL joules per 1,000 classifications; else GPU mean power x time; else nothing', () => {
    expect(energy({ samples, raplJoules: 8, hardware: [], startedAtMs: 0, endedAtMs: 1000 })).toEqual({ joulesPer1000: 2000, source: 'rapl' });
    expect(energy({ samples, hardware: [{ atMs: 0, gpuPowerW: 100 }, { atMs: 1, gpuPowerW: 200 }], startedAtMs: 0, endedAtMs: 2000 })).toEqual({ joulesPer1000: 75000, source: 'nvidia-smi (2 power samples)' });
    const none = energy({ samples, hardware: [{ atMs: 0 }], startedAtMs: 0, endedAtMs: 2000 });
    expect(none.source).toBe('');
    expect(none.joulesPer1000).toBeNaN();
  });
  it('RAPL counter wrap-around', () => {
    expect(raplJoules({ energyUj: 900, rangeUj: 1000 }, { energyUj: 100 })).toBeCloseTo(200 / 1e6, 12);
    expect(raplJoules({ energyUj: 100, rangeUj: 1000 }, { energyUj: 600 })).toBeCloseTo(500 / 1e6, 12);
  });
});

describe('notePiEvents', () => {
  it('the "has occurred" bits (16-19) the previous reading lacked; none at the first reading', () => {
    expect(notePiEvents({ atMs: 0, piThrottled: 0x50005 }, undefined)).toEqual({ atMs: 0, piThrottled: 0x50005, piOccurredNew: 0 });
    expect(notePiEvents({ atMs: 0, piThrottled: 0x50005 }, 0x0).piOccurredNew).toBe(0x50000);
    expect(notePiEvents({ atMs: 0, piThrottled: 0x50000 }, 0x50000).piOccurredNew).toBe(0);
    expect(notePiEvents({ atMs: 0, piThrottled: 0xf0000 }, 0x50005).piOccurredNew).toBe(0xa0000);
    // Cleared since (the kernel's hwmon driver clears them), then set again: new again.
    expect(notePiEvents({ atMs: 0, piThrottled: 0x10000 }, 0x0).piOccurredNew).toBe(0x10000);
    // "Now" bits are not "has occurred" bits.
    expect(notePiEvents({ atMs: 0, piThrottled: 0x4 }, 0x0).piOccurredNew).toBe(0);
    expect(notePiEvents({ atMs: 0, cpuTempC: 50 }, 0x0)).toEqual({ atMs: 0, cpuTempC: 50 });
  });
});

describe('tool output parsers', () => {
  it('vcgencmd and nvidia-smi', () => {
    expect(parseVcgencmdTemp("temp=48.3'C\n")).toBe(48.3);
    expect(parseVcgencmdThrottled('throttled=0x50005\n')).toBe(0x50005);
    expect(parseVcgencmdTemp("temp=-3.5'C\n")).toBe(-3.5);
    for (const garbage of ["temp=.'C", "temp='C", 'VCHI initialization failed', '']) expect(parseVcgencmdTemp(garbage), garbage).toBeUndefined();
    for (const garbage of ['throttled=0x', 'throttled=50005', 'VCHI initialization failed', '']) expect(parseVcgencmdThrottled(garbage), garbage).toBeUndefined();
    expect(parseNvidiaSmiLine('1410, 67, 143.52, 0x0000000000000004\n')).toEqual({ gpuSmMhz: 1410, gpuTempC: 67, gpuPowerW: 143.52, gpuThrottleReasons: 4 });
    expect(parseNvidiaSmiLine('[N/A], 40, [N/A], [N/A]')).toEqual({ gpuTempC: 40 });
  });
});
