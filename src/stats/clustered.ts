/**
 * Statistics for latencies that are NOT independent draws. On a real machine consecutive
 * samples share the machine's state (lag-1 autocorrelation 0.57-0.78 measured on the
 * development VM) and whole runs sit higher or lower than each other (back-to-back run medians
 * 139-188 ms). So the unit of evidence is the block (a pass over every item, or consecutive
 * samples) inside a run, and the run across runs: intervals come from the spread of those
 * units, never from the spread of single samples.
 */
import { normalCdf, type Statistic } from './hypothesis.js';
import { chooseRerunSpread, type RerunSpread } from './rerun.js';
import { mean, medianOfSorted, normalQuantile, standardDeviation, studentTCdf, studentTQuantile } from './statistics.js';

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/**
 * Blocks to estimate a run's uncertainty from: its passes when it has two or more (each pass
 * holds every item once, so pass statistics differ only by the machine's noise), else
 * `fallbackBlocks` runs of consecutive samples of equal size (item effects included: wider).
 */
export function blocksOf(samples: ReadonlyArray<{ pass: number; ms: number }>, fallbackBlocks = 5): number[][] {
  const passes = new Map<number, number[]>();
  for (const sample of samples) {
    const block = passes.get(sample.pass);
    if (block === undefined) passes.set(sample.pass, [sample.ms]);
    else block.push(sample.ms);
  }
  if (passes.size >= 2) return [...passes.entries()].sort((a, b) => a[0] - b[0]).map(([, values]) => values);
  const count = Math.min(fallbackBlocks, samples.length);
  const blocks: number[][] = Array.from({ length: count }, () => []);
  samples.forEach((sample, index) => blocks[Math.floor((index * count) / samples.length)]?.push(sample.ms));
  return blocks;
}

/** What a run's intervals are computed over: its processes, its passes, blocks of consecutive samples, or (pooled runs) the runs. */
export type CiUnit = 'process' | 'pass' | 'block' | 'run';

/**
 * The units of a run's intervals. With samples from two or more processes, each process is one
 * unit (all its passes pooled: a process's mean is the mean of its pass means), because what
 * differs between processes (memory layout, thread placement, the VM's scheduling) is what a
 * rerun changes; otherwise the passes, or consecutive blocks (blocksOf).
 */
export function unitsOf(samples: ReadonlyArray<{ process?: number; pass: number; ms: number }>, fallbackBlocks = 5): { unit: CiUnit; blocks: number[][] } {
  const processes = new Map<number, number[]>();
  for (const sample of samples) {
    const key = sample.process ?? 1;
    const unit = processes.get(key);
    if (unit === undefined) processes.set(key, [sample.ms]);
    else unit.push(sample.ms);
  }
  if (processes.size >= 2) return { unit: 'process', blocks: [...processes.entries()].sort((a, b) => a[0] - b[0]).map(([, values]) => values) };
  const passes = new Set(samples.map((sample) => sample.pass)).size;
  return { unit: passes >= 2 ? 'pass' : 'block', blocks: blocksOf(samples, fallbackBlocks) };
}

/**
 * A 95% interval of a positive statistic from its values in independent units: on the log
 * scale, centre ln(centre) +- t(df = units - 1) * sd(ln unit values) / sqrt(units), then
 * exponentiated, so both ends are positive and the reported figure is inside. NaN below two
 * units (no spread to estimate) or with a value that is not positive.
 */
export function logScaleInterval(unitValues: readonly number[], centre: number, level = 0.95): [number, number] {
  if (unitValues.length < 2 || !(centre > 0) || unitValues.some((value) => !(value > 0))) return [Number.NaN, Number.NaN];
  const logs = unitValues.map((value) => Math.log(value));
  const half = (studentTQuantile(1 - (1 - level) / 2, logs.length - 1) * standardDeviation(logs)) / Math.sqrt(logs.length);
  return [Math.exp(Math.log(centre) - half), Math.exp(Math.log(centre) + half)];
}

export interface UnitIntervals {
  units: number;
  /** The run's mean, with the spread of the unit means (log scale, df = units - 1); NaN below two units. */
  meanCi95: [number, number];
  /** The run's median, with the spread of the unit medians (log scale, df = units - 1): batch medians. */
  medianCi95: [number, number];
}

/** 95% intervals of a run's mean and median from its units (processes, passes or blocks). */
export function unitIntervals(units: readonly (readonly number[])[]): UnitIntervals {
  const all = sorted(units.flat());
  const filled = units.filter((unit) => unit.length > 0);
  if (filled.length < 2) return { units: filled.length, meanCi95: [Number.NaN, Number.NaN], medianCi95: [Number.NaN, Number.NaN] };
  return {
    units: filled.length,
    meanCi95: logScaleInterval(filled.map((unit) => mean(unit)), mean(all)),
    medianCi95: logScaleInterval(filled.map((unit) => medianOfSorted(sorted(unit))), medianOfSorted(all)),
  };
}

/** One run at one label count, reduced to what a comparison across runs needs. */
export interface RunEstimate {
  /** ln of the statistic over all the run's samples. */
  logValue: number;
  /** Standard error of logValue from its blocks (batch means of ln block statistics); NaN with one block. */
  withinSe: number;
  blocks: number;
  /** What the blocks are: with `process`, withinSe already holds what a rerun changes (no run noise to assume). */
  unit?: CiUnit;
  /** The spread between earlier runs of the same command on its machine, when its file recorded it. */
  rerunSpread?: RerunSpread;
}

export function runEstimate(blocks: readonly (readonly number[])[], statistic: Statistic, unit?: CiUnit): RunEstimate {
  const logValue = Math.log(statistic(sorted(blocks.flat())));
  const logs = blocks.map((block) => Math.log(statistic(sorted(block))));
  const withinSe = logs.length >= 2 ? standardDeviation(logs) / Math.sqrt(logs.length) : Number.NaN;
  return { logValue, withinSe, blocks: blocks.length, ...(unit !== undefined ? { unit } : {}) };
}

/** Both runs' errors come from two or more processes each: their spread shows what a rerun changes. */
function hasProcessSpread(run: RunEstimate): boolean {
  return run.unit === 'process' && run.blocks >= 2 && Number.isFinite(run.withinSe);
}

export interface RunSetOptions {
  alpha: number;
  /** Largest tolerated slowdown as a fraction (0.1 = 10%). */
  threshold: number;
  /**
   * Run-to-run variation that one run cannot show: the standard deviation, in ln units, of a
   * run's level beyond what its own blocks show (its passes or processes). Used only with one run a side.
   */
  runNoise: number;
  /** Power at which the detectable slowdown is stated. */
  power?: number;
}

export interface RunSetComparison {
  /** exp(mean ln current - mean ln baseline): above 1 is slower. */
  ratio: number;
  /** Two-sided (1 - 2 alpha) interval of the ratio; its lower end is the one-sided (1 - alpha) bound. */
  interval: [number, number];
  pSlower: number;
  pFaster: number;
  /** Standard error of ln ratio. */
  standardError: number;
  /** Degrees of freedom of the t reference (Infinity for the normal one). */
  df: number;
  /**
   * `between-runs`: pooled variance of the runs' levels; `history`: one run a side, with the
   * spread between earlier runs of the same command that a file recorded; `processes`: one run a
   * side, each with two or more processes, whose spread is measured (Welch); `allowance`: one run
   * a side, run noise assumed.
   */
  method: 'between-runs' | 'history' | 'processes' | 'allowance';
  /** The smallest true ratio flagged as a regression with the stated power (both conditions). */
  detectableRatio: number;
}

function tCdf(value: number, df: number): number {
  return Number.isFinite(df) ? studentTCdf(value, df) : normalCdf(value);
}

function tQuantile(probability: number, df: number): number {
  return Number.isFinite(df) ? studentTQuantile(probability, df) : normalQuantile(probability);
}

/**
 * Compares two sets of runs on ln scale. With three or more runs in all, the variation between
 * runs is measured: a pooled two-sample t on the runs' levels (df = runs - 2), which holds
 * whatever the correlation inside a run. With one run a side nothing shows how much a second
 * run would move: a file that recorded the spread between earlier runs of its command on its
 * machine gives it (df from those runs); else the documented run noise is added to both runs'
 * own errors (their processes' spread when both ran two or more, with Welch's df; else their
 * passes', with the normal reference).
 */
export function compareRunSets(baseline: readonly RunEstimate[], current: readonly RunEstimate[], options: RunSetOptions): RunSetComparison {
  const nb = baseline.length;
  const nc = current.length;
  if (nb === 0 || nc === 0) throw new Error('statistics: compareRunSets needs a run on each side');
  const levelsB = baseline.map((run) => run.logValue);
  const levelsC = current.map((run) => run.logValue);
  const difference = mean(levelsC) - mean(levelsB);
  let standardError: number;
  let df: number;
  let method: RunSetComparison['method'];
  const recorded = chooseRerunSpread(baseline[0]?.rerunSpread, current[0]?.rerunSpread);
  if (nb + nc >= 3) {
    const squares = (values: number[]) => {
      const centre = mean(values);
      return values.reduce((sum, value) => sum + (value - centre) ** 2, 0);
    };
    df = nb + nc - 2;
    const pooledVariance = (squares(levelsB) + squares(levelsC)) / df;
    standardError = Math.sqrt(pooledVariance * (1 / nb + 1 / nc));
    method = 'between-runs';
  } else if (recorded !== undefined) {
    // The earlier runs of the command on this machine show what separates two runs (drift and
    // each run's own noise together): a difference of two runs has twice a run's variance.
    standardError = recorded.sdLog * Math.SQRT2;
    df = recorded.df;
    method = 'history';
  } else if (hasProcessSpread(baseline[0] as RunEstimate) && hasProcessSpread(current[0] as RunEstimate)) {
    // The processes show what differs between processes of one run (memory layout, threads,
    // caches), not the machine's drift between runs minutes apart: measured on the development
    // VM (bench:rerun), reruns differed by 10.6% (sd) while a run's processes spread by about 5%,
    // and the processes' spread alone raised 9 false alarms in 30 unchanged pairs. So the run
    // noise is added as a second variance component, known (no degrees of freedom of its own):
    // Welch-Satterthwaite df over the measured parts.
    const b = baseline[0] as RunEstimate;
    const c = current[0] as RunEstimate;
    const vb = b.withinSe ** 2;
    const vc = c.withinSe ** 2;
    const total = vb + vc + 2 * options.runNoise ** 2;
    standardError = Math.sqrt(total);
    df = vb + vc === 0 ? Number.POSITIVE_INFINITY : total ** 2 / (vb ** 2 / (b.blocks - 1) + vc ** 2 / (c.blocks - 1));
    method = 'processes';
  } else {
    const within = (run: RunEstimate) => (Number.isFinite(run.withinSe) ? run.withinSe ** 2 : 0);
    standardError = Math.sqrt(within(baseline[0] as RunEstimate) + within(current[0] as RunEstimate) + 2 * options.runNoise ** 2);
    df = Number.POSITIVE_INFINITY;
    method = 'allowance';
  }
  const q = tQuantile(1 - options.alpha, df);
  const power = options.power ?? 0.8;
  const thresholdLog = Math.log(1 + options.threshold);
  let pSlower: number;
  let pFaster: number;
  if (standardError === 0) {
    pSlower = difference > 0 ? 0 : 1;
    pFaster = difference < 0 ? 0 : 1;
  } else {
    pSlower = 1 - tCdf(difference / standardError, df);
    pFaster = tCdf(difference / standardError, df);
  }
  // Both conditions must hold: the estimate clears the evidence bar and the threshold, each
  // with probability `power` at the true slowdown.
  const detectableLog = Math.max(q * standardError, thresholdLog) + tQuantile(power, df) * standardError;
  return {
    ratio: Math.exp(difference),
    interval: [Math.exp(difference - q * standardError), Math.exp(difference + q * standardError)],
    pSlower,
    pFaster,
    standardError,
    df,
    method,
    detectableRatio: Math.exp(detectableLog),
  };
}

export interface PairedRatio {
  /** exp(mean of ln(a_k / b_k)) over the pairs. */
  ratio: number;
  /** Two-sided interval at `level` (Student t over the pairs, df = pairs - 1); NaN below two pairs. */
  interval: [number, number];
  pairs: number;
  /** One-sided p-value for "a is slower than b". */
  pSlower: number;
}

/**
 * The ratio of two configurations measured in interleaved pass pairs (A B B A ...): each pair's
 * ln ratio is one observation, so drift slower than a pair cancels, and the t interval over
 * pairs carries whatever noise remains.
 */
export function pairedRatio(pairs: ReadonlyArray<{ a: number; b: number }>, level: number): PairedRatio {
  const logs = pairs.map((pair) => Math.log(pair.a / pair.b));
  if (logs.length === 0) throw new Error('statistics: pairedRatio needs at least one pair');
  const centre = mean(logs);
  if (logs.length < 2) return { ratio: Math.exp(centre), interval: [Number.NaN, Number.NaN], pairs: logs.length, pSlower: Number.NaN };
  const df = logs.length - 1;
  const error = standardDeviation(logs) / Math.sqrt(logs.length);
  const half = studentTQuantile(1 - (1 - level) / 2, df) * error;
  const pSlower = error === 0 ? (centre > 0 ? 0 : 1) : 1 - studentTCdf(centre / error, df);
  return { ratio: Math.exp(centre), interval: [Math.exp(centre - half), Math.exp(centre + half)], pairs: logs.length, pSlower };
}
