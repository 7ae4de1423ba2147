/**
 * Throttling, drift and energy of one label count, from its samples and the hardware readings
 * taken meanwhile. Pure functions.
 */
import { NVIDIA_SLOWDOWN_BITS, PI_NOW_BITS, type HardwareSample } from '../env/hardware-sample.js';
import { median } from '../stats/statistics.js';
import { robustSpread } from '../stats/hypothesis.js';
import type { LabelCountMeasurement, Sample } from './runner.js';

/**
 * Drift below this is not reported as drift: on the shared 2-core development VM, mean latency of
 * two passes over the same items differed by up to 9% with nothing changed (correlated noise).
 */
export const DRIFT_FLOOR_PERCENT = 10;

export interface Drift {
  /** Mean latency of each pass (repeat) over the items, in order. */
  passMeansMs: number[];
  /** Median over items of last pass / first pass, as a % change; NaN with fewer than 2 passes. */
  driftPercent: number;
  /** Three standard errors of that median (from the per-item ratios' spread), in %. */
  noisePercent: number;
  /** |drift| above both the noise and DRIFT_FLOOR_PERCENT. */
  beyondNoise: boolean;
}

export function passDrift(samples: readonly Sample[]): Drift {
  const passes = [...new Set(samples.map((sample) => sample.repeat))].sort((a, b) => a - b);
  const passMeansMs = passes.map((pass) => {
    const times = samples.filter((sample) => sample.repeat === pass).map((sample) => sample.totalMs);
    return times.reduce((sum, value) => sum + value, 0) / times.length;
  });
  const first = passes[0];
  const last = passes[passes.length - 1];
  if (passes.length < 2 || first === undefined || last === undefined) return { passMeansMs, driftPercent: Number.NaN, noisePercent: Number.NaN, beyondNoise: false };
  const firstByItem = new Map(samples.filter((sample) => sample.repeat === first).map((sample) => [sample.itemId, sample.totalMs]));
  const logRatios = samples
    .filter((sample) => sample.repeat === last && firstByItem.has(sample.itemId))
    .map((sample) => Math.log(sample.totalMs / (firstByItem.get(sample.itemId) ?? Number.NaN)));
  const center = median(logRatios);
  // The median's standard error is about 1.25 σ / √n, σ from the scaled median absolute deviation.
  const sigma = robustSpread(logRatios);
  const standardError = (1.2533 * sigma) / Math.sqrt(logRatios.length);
  const driftPercent = (Math.exp(center) - 1) * 100;
  const noisePercent = (Math.exp(3 * standardError) - 1) * 100;
  return { passMeansMs, driftPercent, noisePercent, beyondNoise: Math.abs(driftPercent) > Math.max(noisePercent, DRIFT_FLOOR_PERCENT) };
}

export interface Thermal {
  cpuMhzMin: number;
  cpuMhzMax: number;
  maxTempC: number;
  /** Why the machine counts as throttled, or '' when nothing says so (or nothing could be read). */
  throttleReason: string;
  /** undefined: nothing to tell it by (no clock, temperature or throttle readings). */
  throttled: boolean | undefined;
}

/** A CPU clock this far below the run's highest counts as throttling. */
const CLOCK_DROP = 0.9;

export function thermal(samples: readonly HardwareSample[]): Thermal {
  const values = (pick: (sample: HardwareSample) => number | undefined) => samples.map(pick).filter((value): value is number => value !== undefined);
  const mhz = values((sample) => sample.cpuMhz);
  const temps = [...values((sample) => sample.cpuTempC), ...values((sample) => sample.gpuTempC)];
  const reasons: string[] = [];
  const pi = values((sample) => sample.piThrottled).reduce((bits, value) => bits | value, 0);
  // A "now" bit at a reading, or a "has occurred" bit that came on between two readings of this
  // window (an event too short for a "now" bit to be caught); one already on before does not count.
  const fresh = values((sample) => sample.piOccurredNew).reduce((bits, value) => bits | value, 0);
  if ((pi & PI_NOW_BITS) !== 0) reasons.push(`vcgencmd get_throttled 0x${pi.toString(16)}`);
  else if (fresh !== 0) reasons.push(`vcgencmd get_throttled 0x${pi.toString(16)} (0x${fresh.toString(16)} newly set)`);
  const gpu = values((sample) => sample.gpuThrottleReasons).reduce((bits, value) => bits | value, 0);
  if ((gpu & NVIDIA_SLOWDOWN_BITS) !== 0) reasons.push(`nvidia-smi throttle reasons 0x${gpu.toString(16)}`);
  const [low, high] = [Math.min(...mhz), Math.max(...mhz)];
  if (mhz.length > 0 && low < CLOCK_DROP * high) reasons.push(`CPU clock fell to ${low.toFixed(0)} of ${high.toFixed(0)} MHz`);
  const readable = mhz.length > 0 || values((sample) => sample.piThrottled).length > 0 || values((sample) => sample.gpuThrottleReasons).length > 0;
  return {
    cpuMhzMin: mhz.length > 0 ? low : Number.NaN,
    cpuMhzMax: mhz.length > 0 ? high : Number.NaN,
    maxTempC: temps.length > 0 ? Math.max(...temps) : Number.NaN,
    throttleReason: reasons.join('; '),
    throttled: readable ? reasons.length > 0 : undefined,
  };
}

export interface Energy {
  joulesPer1000: number;
  /** `rapl` (CPU package counter), `nvidia-smi` (GPU power samples x time), or '' (nothing readable). */
  source: string;
}

/** Measured energy per 1,000 classifications of the timed loop; never an estimate. */
export function energy(measurement: Pick<LabelCountMeasurement, 'raplJoules' | 'hardware' | 'startedAtMs' | 'endedAtMs' | 'samples'>): Energy {
  const count = measurement.samples.length;
  if (count === 0) return { joulesPer1000: Number.NaN, source: '' };
  if (measurement.raplJoules !== undefined) return { joulesPer1000: (measurement.raplJoules / count) * 1000, source: 'rapl' };
  const power = measurement.hardware.map((sample) => sample.gpuPowerW).filter((value): value is number => value !== undefined);
  if (power.length === 0) return { joulesPer1000: Number.NaN, source: '' };
  const meanW = power.reduce((sum, value) => sum + value, 0) / power.length;
  const seconds = (measurement.endedAtMs - measurement.startedAtMs) / 1000;
  return { joulesPer1000: ((meanW * seconds) / count) * 1000, source: `nvidia-smi (${power.length} power samples)` };
}
