/**
 * Where a rerun of the same command on the same machine lands. Measured on the development VM
 * (bench:rerun), a run's processes spread by about 5% while back-to-back runs minutes apart
 * differed by 10.6% (sd): the machine's drift is slower than one run, so no interval computed
 * inside a run can hold a rerun as often as it claims. The runs of the command already made on
 * this machine do show it: their levels (ln of a run's mean or median) spread by the drift and
 * by each run's own noise together, which is what separates two runs.
 */
import { standardDeviation, studentTQuantile } from './statistics.js';

/** Fewer runs leave one or no degree of freedom: t(0.975, 1) = 12.7 makes a useless interval. */
export const MIN_RERUN_RUNS = 3;

export type RerunInterval =
  | { state: 'interval'; runs: number; df: number; sdLog: number; low: number; high: number }
  | { state: 'too-few-runs'; runs: number };

/**
 * The 95% interval (or `level`) for a rerun's value, centred on this run's: `runs` holds this
 * run's value and those of the earlier runs of the same command (all positive). A rerun's level
 * differs from this run's by the difference of two runs, whose variance is twice a run's, so
 * the half-width on the log scale is t(df) · s · √2 with s the sample sd of all runs' levels
 * (df = runs − 1). Centred on this run, not on the history's mean: a run that reflects a real
 * change is not pulled back to the old level.
 */
export function rerunInterval(current: number, earlier: readonly number[], level = 0.95): RerunInterval {
  const levels = [current, ...earlier].map(Math.log);
  const runs = levels.length;
  if (runs < MIN_RERUN_RUNS) return { state: 'too-few-runs', runs };
  const sdLog = standardDeviation(levels);
  const df = runs - 1;
  const half = studentTQuantile(1 - (1 - level) / 2, df) * sdLog * Math.SQRT2;
  return { state: 'interval', runs, df, sdLog, low: current * Math.exp(-half), high: current * Math.exp(half) };
}

/** The spread between runs that a result file recorded for one statistic (from its rerun_* columns). */
export interface RerunSpread {
  sdLog: number;
  df: number;
}

/**
 * Of the baseline's and the current run's recorded spreads, the one from more runs (ties: the
 * wider). Not pooled: two runs of one folder share most of their history, so their estimates
 * are not independent and pooling would count the same runs twice.
 */
export function chooseRerunSpread(spreads: ReadonlyArray<RerunSpread | undefined>): RerunSpread | undefined {
  return spreads
    .filter((spread): spread is RerunSpread => spread !== undefined && spread.df >= MIN_RERUN_RUNS - 1 && Number.isFinite(spread.sdLog))
    .reduce<RerunSpread | undefined>((best, spread) => (best === undefined || spread.df > best.df || (spread.df === best.df && spread.sdLog > best.sdLog) ? spread : best), undefined);
}
