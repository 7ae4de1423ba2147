/**
 * Pure two-sample statistics for regression checks: the Mann-Whitney U test, a seeded
 * bootstrap interval for a ratio of statistics, and the power of the two together.
 * Exact where it is cheap, normal approximations (as scipy) where samples are large.
 */
import { mulberry32 } from './random.js';
import { logGamma, median, normalQuantile, percentile } from './statistics.js';

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

/** Average ranks (1-based) with ties sharing their mean rank, and the tie groups' sizes. */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) ranks[order[k]?.index ?? 0] = rank;
    if (end > start) tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

/**
 * The distribution of U for sample sizes m and n without ties: the coefficients of the
 * Gaussian binomial [m+n choose m](q), divided by C(m+n, m). Returns P(U = u) for u = 0..mn.
 */
export function exactUDistribution(m: number, n: number): number[] {
  let coefficients = [1];
  for (let i = 1; i <= m; i += 1) {
    // Multiply by (1 - q^(n+i)), then divide by (1 - q^i): the result stays a polynomial.
    const size = coefficients.length + n + i;
    const multiplied = new Array<number>(size).fill(0);
    coefficients.forEach((value, k) => {
      multiplied[k] = (multiplied[k] ?? 0) + value;
      multiplied[k + n + i] = (multiplied[k + n + i] ?? 0) - value;
    });
    const divided = new Array<number>(size - i).fill(0);
    for (let k = 0; k < divided.length; k += 1) divided[k] = (multiplied[k] ?? 0) + (k >= i ? (divided[k - i] ?? 0) : 0);
    coefficients = divided;
  }
  const counts = coefficients.slice(0, m * n + 1);
  // The counts sum to C(m+n, m); summing them keeps small cases exact.
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => count / total);
}

export interface MannWhitneyResult {
  /** U of the second sample: pairs (x, y) with y > x, ties counting one half. */
  u: number;
  /** One-sided p-value for "the second sample tends to be larger" (slower, for latencies). */
  pGreater: number;
  /** One-sided p-value for "the second sample tends to be smaller" (faster). */
  pLess: number;
  method: 'exact' | 'normal';
}

/** Exact distribution up to this many (x, y) pairs when there are no ties; normal approximation beyond. */
const EXACT_PAIR_LIMIT = 2500;

/** Mann-Whitney U test of y against x. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new Error('statistics: Mann-Whitney U needs two non-empty samples');
  const { ranks, tieSizes } = averageRanks([...x, ...y]);
  const rankSumY = ranks.slice(m).reduce((sum, rank) => sum + rank, 0);
  const u = rankSumY - (n * (n + 1)) / 2;
  if (tieSizes.length === 0 && m * n <= EXACT_PAIR_LIMIT) {
    const distribution = exactUDistribution(m, n);
    let pGreater = 0;
    let pLess = 0;
    distribution.forEach((probability, value) => {
      if (value >= u) pGreater += probability;
      if (value <= u) pLess += probability;
    });
    return { u, pGreater: Math.min(1, pGreater), pLess: Math.min(1, pLess), method: 'exact' };
  }
  const total = m + n;
  const tieTerm = tieSizes.reduce((sum, t) => sum + t ** 3 - t, 0) / (total * (total - 1));
  const sigma = Math.sqrt(((m * n) / 12) * (total + 1 - tieTerm));
  const centre = (m * n) / 2;
  if (sigma === 0) return { u, pGreater: 1, pLess: 1, method: 'normal' };
  // Continuity correction of one half, as scipy's default.
  const pGreater = 1 - normalCdf((u - centre - 0.5) / sigma);
  const pLess = normalCdf((u - centre + 0.5) / sigma);
  return { u, pGreater: Math.min(1, pGreater), pLess: Math.min(1, pLess), method: 'normal' };
}

/** The smallest one-sided p-value any outcome can reach with samples of m and n: 1 / C(m+n, m). */
export function minimumPValue(m: number, n: number): number {
  return Math.exp(logGamma(m + 1) + logGamma(n + 1) - logGamma(m + n + 1));
}

/** A statistic of a sample sorted ascending. */
export type Statistic = (sorted: ArrayLike<number>) => number;

/**
 * Percentile bootstrap interval of statistic(y) / statistic(x): each sample resampled with
 * replacement on its own, `resamples` times, from a seeded generator (same seed, same interval).
 */
export function bootstrapRatioInterval(
  x: readonly number[],
  y: readonly number[],
  statistic: Statistic,
  options: { level: number; resamples: number; seed: number },
): [number, number] {
  const random = mulberry32(options.seed);
  const draw = (values: readonly number[], buffer: Float64Array): Float64Array => {
    for (let k = 0; k < buffer.length; k += 1) buffer[k] = values[Math.floor(random() * values.length)] ?? Number.NaN;
    return buffer.sort();
  };
  const bufferX = new Float64Array(x.length);
  const bufferY = new Float64Array(y.length);
  const ratios: number[] = [];
  for (let r = 0; r < options.resamples; r += 1) {
    const fromX = statistic(draw(x, bufferX));
    const fromY = statistic(draw(y, bufferY));
    ratios.push(fromY / fromX);
  }
  const tail = ((1 - options.level) / 2) * 100;
  return [percentile(ratios, tail), percentile(ratios, 100 - tail)];
}

/** Median absolute deviation scaled to estimate a normal standard deviation (x 1.4826). */
export function robustSpread(values: readonly number[]): number {
  const centre = median(values);
  return 1.482602218505602 * median(values.map((value) => Math.abs(value - centre)));
}

/**
 * How much noisier an estimate of this statistic is than the mean, for normal data:
 * the mean 1, the median sqrt(pi/2), a quantile q sqrt(q (1 - q)) / phi(z_q).
 */
export function estimatorNoiseFactor(quantile: number | 'mean'): number {
  if (quantile === 'mean') return 1;
  const z = normalQuantile(quantile);
  const density = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
  return Math.sqrt(quantile * (1 - quantile)) / density;
}

/**
 * Approximate probability that the check flags a true slowdown of `trueRatio`: the test must be
 * significant at alpha (Mann-Whitney, asymptotic efficiency 3/pi against a t-test) AND the
 * estimated ratio must exceed `threshold`. Works on log latencies, whose spread is `logSpreadX/Y`.
 */
export function detectionPower(input: {
  m: number;
  n: number;
  logSpreadX: number;
  logSpreadY: number;
  noiseFactor: number;
  alpha: number;
  threshold: number;
  trueRatio: number;
}): number {
  const effect = Math.log(input.trueRatio);
  const baseError = Math.sqrt(input.logSpreadX ** 2 / input.m + input.logSpreadY ** 2 / input.n);
  if (baseError === 0) return effect > Math.log(1 + input.threshold) ? 1 : 0;
  const testError = baseError * Math.sqrt(Math.PI / 3);
  const significant = normalCdf(effect / testError - normalQuantile(1 - input.alpha));
  const aboveThreshold = normalCdf((effect - Math.log(1 + input.threshold)) / (baseError * input.noiseFactor));
  return Math.min(significant, aboveThreshold);
}
