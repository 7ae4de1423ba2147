/**
 * Pure statistics for regression checks: the normal distribution function (clustered.ts's
 * large-sample tail), the type of a statistic, and a robust spread (drift.ts).
 */
import { logGamma, median } from './statistics.js';

/** Regularized lower incomplete gamma P(a, x): series below a + 1, continued fraction above. */
function lowerGammaRegularized(a: number, x: number): number {
  if (x <= 0) return 0;
  const logFront = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(logFront);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 500; n += 1) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - Math.exp(logFront) * h;
}

/** P(Z <= z) for a standard normal Z, to about 15 digits (erfc through the incomplete gamma). */
export function normalCdf(z: number): number {
  if (z === 0) return 0.5;
  const tail = 0.5 * (1 - lowerGammaRegularized(0.5, (z * z) / 2));
  return z > 0 ? 1 - tail : tail;
}

/** A statistic of a sample sorted ascending. */
export type Statistic = (sorted: ArrayLike<number>) => number;

/** Median absolute deviation scaled to estimate a normal standard deviation (x 1.4826). */
export function robustSpread(values: readonly number[]): number {
  const centre = median(values);
  return 1.482602218505602 * median(values.map((value) => Math.abs(value - centre)));
}
