/**
 * Latencies with the noise a real machine makes, for tests of the statistics: per-item cost,
 * AR(1) correlation between consecutive samples (lag-1 0.6-0.8 measured on the development VM
 * after removing item effects), a slow random-walk drift, and a level that differs from run to
 * run. Independent samples would flatter every test; this is what the gate must survive.
 */
import { mulberry32 } from '../../src/stats/random.js';

export interface NoiseModel {
  /** AR(1) coefficient of the ln noise between consecutive samples. */
  phi: number;
  /** Standard deviation of the stationary AR(1) ln noise. */
  sampleSd: number;
  /** Standard deviation of each sample's step of the ln drift (a random walk). */
  driftStepSd: number;
  /** Standard deviation of a run's ln level. */
  runSd: number;
}

export const REAL_MACHINE: NoiseModel = { phi: 0.7, sampleSd: 0.08, driftStepSd: 0.004, runSd: 0.06 };

export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A noise source whose state (AR(1) value, drift) carries over from one call to the next, as a machine's does. */
export function machine(seed: number, model: NoiseModel): { next(): number; newRun(): void } {
  const z = gaussian(mulberry32(seed));
  const innovationSd = model.sampleSd * Math.sqrt(1 - model.phi ** 2);
  let ar = z() * model.sampleSd;
  let drift = 0;
  let runLevel = z() * model.runSd;
  return {
    next() {
      ar = model.phi * ar + innovationSd * z();
      drift += model.driftStepSd * z();
      return Math.exp(runLevel + drift + ar);
    },
    newRun() {
      runLevel = z() * model.runSd;
      drift = 0;
    },
  };
}

/** Item base costs (ms), fixed for a test: items differ by about 20%. */
export function itemCosts(count: number, seed: number, baseMs = 100): number[] {
  const z = gaussian(mulberry32(seed));
  return Array.from({ length: count }, () => baseMs * Math.exp(0.2 * z()));
}

/** One run: `passes` passes over every item in order, samples as `run` writes them. */
export function simulateRun(noise: { next(): number; newRun(): void }, items: readonly number[], passes: number, factor = 1): Array<{ repeat: number; totalMs: number }> {
  noise.newRun();
  const samples: Array<{ repeat: number; totalMs: number }> = [];
  for (let repeat = 0; repeat < passes; repeat += 1) {
    for (const cost of items) samples.push({ repeat, totalMs: cost * factor * noise.next() });
  }
  return samples;
}

/** Lag-1 autocorrelation of a series. */
export function lag1(values: readonly number[]): number {
  const centre = values.reduce((sum, value) => sum + value, 0) / values.length;
  let numerator = 0;
  let denominator = 0;
  values.forEach((value, index) => {
    denominator += (value - centre) ** 2;
    const next = values[index + 1];
    if (next !== undefined) numerator += (value - centre) * (next - centre);
  });
  return numerator / denominator;
}
