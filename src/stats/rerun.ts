/**
 * Where a rerun of the same command on the same machine lands. Measured on the development VM
 * (bench:rerun), a run's processes spread by about 5% while back-to-back runs minutes apart
 * differed by 10.6% (sd): the machine's drift is slower than one run, so no interval computed
 * inside a run can hold a rerun as often as it claims. The runs of the command already made on
 * this machine do show it: their levels (ln of a run's mean or median) spread by the drift and
 * by each run's own noise together, which is what separates two runs.
 */
import { standardDeviation, studentTQuantile } from './statistics.js';

/** Fewer earlier runs leave one or no degree of freedom: t(0.975, 1) = 12.7 makes a useless interval. */
export const MIN_EARLIER_RUNS = 3;

export type RerunInterval =
  | { state: 'interval'; earlierRuns: number; df: number; sdLog: number; low: number; high: number }
  | { state: 'too-few-runs'; earlierRuns: number };

/**
 * The 95% interval (or `level`) for a rerun's value, centred on this run's, from the values of
 * the earlier runs of the same command (all positive). A rerun's level differs from this run's
 * by the difference of two runs, whose variance is twice a run's, so the half-width on the log
 * scale is t(df) · s · √2 with s the sample sd of the earlier runs' levels (df = earlier runs − 1).
 * This run is left out of s and only centres the interval: a run that reflects a real change (a
 * regression) must not widen the spread it is judged by, nor be pulled back to the old level.
 */
export function rerunInterval(current: number, earlier: readonly number[], level = 0.95): RerunInterval {
  const earlierRuns = earlier.length;
  if (earlierRuns < MIN_EARLIER_RUNS) return { state: 'too-few-runs', earlierRuns };
  const sdLog = standardDeviation(earlier.map(Math.log));
  const df = earlierRuns - 1;
  const half = studentTQuantile(1 - (1 - level) / 2, df) * sdLog * Math.SQRT2;
  return { state: 'interval', earlierRuns, df, sdLog, low: current * Math.exp(-half), high: current * Math.exp(half) };
}

/** The spread between runs that a result file recorded for one statistic (from its rerun_* columns). */
export interface RerunSpread {
  sdLog: number;
  df: number;
}

/**
 * The spread a check of one run a side uses: the baseline's, which describes the runs before any
 * change, else the current run's (its earlier runs, not itself). Never pooled: two runs of one
 * folder share most of their history, so their estimates are not independent.
 */
export function chooseRerunSpread(baseline: RerunSpread | undefined, current: RerunSpread | undefined): RerunSpread | undefined {
  const usable = (spread: RerunSpread | undefined) => spread !== undefined && spread.df >= MIN_EARLIER_RUNS - 1 && Number.isFinite(spread.sdLog);
  return usable(baseline) ? baseline : usable(current) ? current : undefined;
}
