/** Pure statistics for latency samples. Exact, dependency-free, tested value by value. */

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single sample. */
  std: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Student-t 95% interval of the mean; [NaN, NaN] for fewer than two samples. */
  meanCi95: [number, number];
  /** Distribution-free 95% interval of the median from order statistics. */
  medianCi95: [number, number];
  /** False when n is too small for any order-statistic interval to reach 95% (n < 6). */
  medianCi95Covered: boolean;
}

function requireSamples(values: readonly number[]): void {
  if (values.length === 0) throw new Error('statistics: no samples');
}

export function mean(values: readonly number[]): number {
  requireSamples(values);
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function standardDeviation(values: readonly number[]): number {
  requireSamples(values);
  if (values.length < 2) return 0;
  const centre = mean(values);
  const squares = values.reduce((sum, value) => sum + (value - centre) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * Percentile p in [0, 100] by linear interpolation between closest ranks: numpy's default
 * ("linear", Hyndman-Fan type 7): rank h = (n - 1) p / 100.
 */
export function percentile(values: readonly number[], p: number): number {
  requireSamples(values);
  if (!(p >= 0 && p <= 100)) throw new Error(`statistics: percentile ${p} outside [0, 100]`);
  return percentileOfSorted(sortedCopy(values), p);
}

/** Percentile of values already sorted ascending (no copy); same interpolation as `percentile`. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lower = Math.floor(h);
  const upper = Math.ceil(h);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (h - lower) * (high - low);
}

/** The median of values in any order: the 50th percentile, same interpolation. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The median of values already sorted ascending (no copy). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  return percentileOfSorted(sorted, 50);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms): ~15 significant digits. */
export function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0] ?? 0;
  for (let index = 1; index < coefficients.length; index += 1) sum += (coefficients[index] ?? 0) / (shifted + index);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 300; m += 1) {
    const m2 = 2 * m;
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return result;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t value with P(T <= t) = probability, by bisection on the CDF (monotone, exact enough). */
export function studentTQuantile(probability: number, df: number): number {
  if (!(probability > 0 && probability < 1)) throw new Error(`statistics: probability ${probability} outside (0, 1)`);
  if (!Number.isFinite(df)) return normalQuantile(probability);
  let low = -1e4;
  let high = 1e4;
  for (let step = 0; step < 200 && high - low > 1e-12; step += 1) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < probability) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(probability: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const at = (values: number[], index: number) => values[index] ?? 0;
  const low = 0.02425;
  let x: number;
  if (probability < low) {
    const q = Math.sqrt(-2 * Math.log(probability));
    x = (((((at(c, 0) * q + at(c, 1)) * q + at(c, 2)) * q + at(c, 3)) * q + at(c, 4)) * q + at(c, 5)) / ((((at(d, 0) * q + at(d, 1)) * q + at(d, 2)) * q + at(d, 3)) * q + 1);
  } else if (probability <= 1 - low) {
    const q = probability - 0.5;
    const r = q * q;
    x = ((((((at(a, 0) * r + at(a, 1)) * r + at(a, 2)) * r + at(a, 3)) * r + at(a, 4)) * r + at(a, 5)) * q) / (((((at(b, 0) * r + at(b, 1)) * r + at(b, 2)) * r + at(b, 3)) * r + at(b, 4)) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - probability));
    x = -(((((at(c, 0) * q + at(c, 1)) * q + at(c, 2)) * q + at(c, 3)) * q + at(c, 4)) * q + at(c, 5)) / ((((at(d, 0) * q + at(d, 1)) * q + at(d, 2)) * q + at(d, 3)) * q + 1);
  }
  return x;
}

/** P(B <= k) for B ~ Binomial(n, 1/2). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  let total = 0;
  for (let i = 0; i <= Math.min(k, n); i += 1) {
    total += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) - n * Math.LN2);
  }
  return Math.min(1, total);
}

/**
 * 95% interval of the median without assuming a distribution: [x_(j), x_(n+1-j)] with the
 * largest rank j whose tail P(B <= j - 1) stays within 2.5%, B ~ Binomial(n, 1/2).
 */
export function medianConfidenceInterval(values: readonly number[]): { interval: [number, number]; covered: boolean } {
  requireSamples(values);
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let j = 0;
  while (j + 1 <= n && binomialHalfCdf(j, n) <= 0.025) j += 1;
  if (j === 0) return { interval: [sorted[0] ?? Number.NaN, sorted[n - 1] ?? Number.NaN], covered: false };
  return { interval: [sorted[j - 1] ?? Number.NaN, sorted[n - j] ?? Number.NaN], covered: true };
}

export function meanConfidenceInterval(values: readonly number[]): [number, number] {
  requireSamples(values);
  if (values.length < 2) return [Number.NaN, Number.NaN];
  const half = (studentTQuantile(0.975, values.length - 1) * standardDeviation(values)) / Math.sqrt(values.length);
  const centre = mean(values);
  return [centre - half, centre + half];
}

export function summarize(values: readonly number[]): SampleSummary {
  requireSamples(values);
  const sorted = sortedCopy(values);
  const median = medianConfidenceInterval(sorted);
  return {
    n: sorted.length,
    mean: mean(sorted),
    std: standardDeviation(sorted),
    min: sorted[0] ?? Number.NaN,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    meanCi95: meanConfidenceInterval(sorted),
    medianCi95: median.interval,
    medianCi95Covered: median.covered,
  };
}

export interface LineFit {
  intercept: number;
  slope: number;
  /** 1 - SS_res / SS_tot; 1 when all y are equal and the line fits them exactly. */
  r2: number;
}

/** Ordinary least squares y = intercept + slope * x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  if (xs.length !== ys.length || xs.length < 2) throw new Error('statistics: fitLine needs two or more (x, y) pairs');
  const meanX = mean(xs);
  const meanY = mean(ys);
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, index) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * ((ys[index] ?? 0) - meanY);
  });
  if (sxx === 0) throw new Error('statistics: fitLine needs two distinct x values');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let ssRes = 0;
  let ssTot = 0;
  xs.forEach((x, index) => {
    const y = ys[index] ?? 0;
    ssRes += (y - (intercept + slope * x)) ** 2;
    ssTot += (y - meanY) ** 2;
  });
  return { intercept, slope, r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot };
}

/** (value - base) / base in percent. */
export function percentIncrease(base: number, value: number): number {
  return ((value - base) / base) * 100;
}
