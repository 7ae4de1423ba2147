/**
 * bench:rerun: do a run's numbers survive a rerun? Runs one short command back to back, K times
 * in each of these arms, interleaved round by round (A B C D, then D C B A) so that the machine's
 * slow drift hits every arm alike:
 *   processes   `run --processes P`: the passes spread over P fresh processes (the default way);
 *   single      `run --processes 1`: every pass in one process, the same total work;
 *   slowed      as `processes`, inside a cgroup v1 CPU quota (root) that slows it by about 25%;
 *   no-monitor  as `processes`, with the hardware monitor off (its cost: A/B against `processes`).
 * Then, per arm: coverage (how often run i's 95% interval holds run j's value, i != j; an honest
 * interval of what a rerun gives does so about 83% of the time for two equal-width runs); the
 * same for the rerun interval (rerun_* columns, from the earlier runs in the arm's folder; it
 * claims 95%), over later runs and over all others; and the real `zsc-bench check` on every
 * ordered pair of runs, with the files' recorded spread and with `--run-noise 8%` assumed: false
 * alarms among unchanged runs, detection against slowed ones; and the same with half the runs a
 * side. Prints JSON; not part of CI (it needs a quiet machine and ~15 min).
 *
 *   npm run -s bench:rerun [-- --runs 6 --items 10 --repeats 5 --processes 5 --labels 3 --threads 2 --quota 1.6]
 *   npm run -s bench:rerun -- --from /tmp/zsc-bench-rerun-XXXX [--recompute-rerun]   # re-evaluate collected runs
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { pairedRatio } from '../src/stats/clustered.js';
import { parseRows } from '../src/io/csv-table.js';
import { formatSummaryCsv } from '../src/runner/results-csv.js';
import { readRerunHistory, type RunIdentity } from '../src/runner/rerun-history.js';
import { rerunColumns } from '../src/runner/summary.js';
import { SUMMARY_CSV, type SummaryRow } from '../src/schema/results.js';
import { mean, standardDeviation } from '../src/stats/statistics.js';
import { runCliOk, runCliProcess, withCpuGroups } from './cli-runs.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '6' },
    items: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '5' },
    processes: { type: 'string', default: '5' },
    labels: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    // CPUs the slowed arm may use: 1.6 of the 2 cores a 2-thread run keeps busy is a 1.25x slowdown when the quota binds.
    quota: { type: 'string', default: '1.6' },
    shares: { type: 'string', default: '262144' },
    arms: { type: 'string', default: 'processes,single,slowed,no-monitor' },
    from: { type: 'string' },
    // With --from: the rerun_* columns computed again by this zsc-bench (from the same runs), not as the runs wrote them.
    'recompute-rerun': { type: 'boolean', default: false },
    'max-regression': { type: 'string', default: '10%' },
  },
});

const ARM_FLAGS: Readonly<Record<string, readonly string[]>> = {
  processes: ['--processes', values.processes],
  single: ['--processes', '1'],
  slowed: ['--processes', values.processes],
  'no-monitor': ['--processes', values.processes, '--no-monitor'],
};

interface RunRecord {
  arm: string;
  round: number;
  wallS: number;
  loadBefore: number;
  loadAfter: number;
}

async function collect(dir: string, arms: readonly string[]): Promise<RunRecord[]> {
  const profile = join(dir, 'bench-rerun.json');
  writeFileSync(profile, JSON.stringify({ extends: 'cpu-int8', name: 'bench-rerun', intraOpThreads: Number(values.threads) }));
  const args = (arm: string, out: string) => [
    'run', '--profile', profile, '--items', values.items, '--repeats', values.repeats, '--labels', values.labels, '--no-parity', '--out', out, '--json', ...(ARM_FLAGS[arm] ?? []),
  ];
  process.stderr.write('bench:rerun: warm-up run (builds the model, fills the page cache)\n');
  await runCliOk(args('single', join(dir, 'warmup')));
  const records: RunRecord[] = [];
  const quotas = { normal: undefined, slowed: arms.includes('slowed') ? Number(values.quota) : undefined };
  await withCpuGroups('bench-rerun', quotas, values.shares, async (groups) => {
    for (let round = 0; round < Number(values.runs); round += 1) {
      const order = round % 2 === 0 ? arms : [...arms].reverse();
      for (const arm of order) {
        const loadBefore = loadavg()[0] ?? Number.NaN;
        const started = performance.now();
        await runCliOk(args(arm, join(dir, arm)), arm === 'slowed' ? groups['slowed'] : groups['normal']);
        const record = { arm, round, wallS: (performance.now() - started) / 1000, loadBefore, loadAfter: loadavg()[0] ?? Number.NaN };
        records.push(record);
        process.stderr.write(`bench:rerun: round ${round + 1}/${values.runs} ${arm}: ${record.wallS.toFixed(1)} s, load ${loadBefore.toFixed(2)} -> ${record.loadAfter.toFixed(2)}\n`);
      }
    }
  });
  writeFileSync(join(dir, 'records.json'), JSON.stringify(records, null, 2));
  return records;
}

interface SummaryFigures {
  file: string;
  timestamp: string;
  meanMs: number;
  meanLow: number;
  meanHigh: number;
  medianMs: number;
  medianLow: number;
  medianHigh: number;
  /** The rerun interval from this run and the earlier runs in its folder (rerun_* columns); NaN below 3 runs. */
  rerunMeanLow: number;
  rerunMeanHigh: number;
  rerunMedianLow: number;
  rerunMedianHigh: number;
  rerunEarlierRuns: number;
}

/** The summary rows of an arm's runs at the first label count, in run order. */
function summariesOf(dir: string): SummaryFigures[] {
  const labels = values.labels.split(',')[0];
  const files = readdirSync(dir).filter((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv')).map((file) => join(dir, file));
  return files
    .map((file) => {
      const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });
      const row = rows.find((candidate) => candidate['labels'] === labels);
      if (row === undefined) throw new Error(`${file}: no summary row at ${labels} labels`);
      const number = (column: string) => (row[column] === undefined || row[column] === '' ? Number.NaN : Number(row[column]));
      return {
        file,
        timestamp: row['timestamp'] ?? '',
        meanMs: number('mean_ms'),
        meanLow: number('mean_ci95_low_ms'),
        meanHigh: number('mean_ci95_high_ms'),
        medianMs: number('p50_ms'),
        medianLow: number('median_ci95_low_ms'),
        medianHigh: number('median_ci95_high_ms'),
        rerunMeanLow: number('rerun_mean_low_ms'),
        rerunMeanHigh: number('rerun_mean_high_ms'),
        rerunMedianLow: number('rerun_median_low_ms'),
        rerunMedianHigh: number('rerun_median_high_ms'),
        rerunEarlierRuns: number('rerun_earlier_runs'),
      };
    })
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
}

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;
const rate = (hits: number, cases: number) => ({ hits, cases, rate: cases === 0 ? Number.NaN : round(hits / cases) });

type Bounds = (run: SummaryFigures) => { mean: readonly [number, number]; median: readonly [number, number] };

const runIntervals: Bounds = (run) => ({ mean: [run.meanLow, run.meanHigh], median: [run.medianLow, run.medianHigh] });
const rerunIntervals: Bounds = (run) => ({ mean: [run.rerunMeanLow, run.rerunMeanHigh], median: [run.rerunMedianLow, run.rerunMedianHigh] });

/** How often run i's interval (`bounds`) holds run j's value, over ordered pairs i != j, or only over later runs j > i. */
function coverage(runs: readonly SummaryFigures[], bounds: Bounds, laterOnly = false) {
  let meanHits = 0;
  let medianHits = 0;
  let cases = 0;
  let empty = 0;
  const inside = (value: number, [low, high]: readonly [number, number]) => low <= value && value <= high;
  runs.forEach((a, i) =>
    runs.forEach((b, j) => {
      if (i === j || (laterOnly && j < i)) return;
      const interval = bounds(a);
      if (!Number.isFinite(interval.mean[0]) || !Number.isFinite(interval.median[0])) {
        empty += 1;
        return;
      }
      cases += 1;
      if (inside(b.meanMs, interval.mean)) meanHits += 1;
      if (inside(b.medianMs, interval.median)) medianHits += 1;
    }),
  );
  return { mean: rate(meanHits, cases), median: rate(medianHits, cases), pairsWithoutInterval: empty };
}

/**
 * The rerun interval (from the runs before it in its folder) against the later runs only (a true
 * rerun, which the interval has not seen), and against all other runs.
 */
function rerunCoverage(runs: readonly SummaryFigures[]) {
  const withInterval = runs.filter((run) => Number.isFinite(run.rerunMeanLow));
  return {
    claimed: 0.95,
    laterRuns: coverage(runs, rerunIntervals, true),
    allOtherRuns: coverage(runs, rerunIntervals),
    earlierRuns: withInterval.map((run) => run.rerunEarlierRuns),
    halfWidthPercent: withInterval.map((run) => round(((run.rerunMeanHigh / run.rerunMeanLow) ** 0.5 - 1) * 100, 1)),
  };
}

interface CheckOutcome {
  baseline: string;
  current: string;
  regression: boolean;
  /** How check judged the spread, as its JSON says (e.g. process-level or an assumed run noise). */
  method: string;
}

/** Every string value stored under a key named `method` in check's JSON: how it estimated the noise. */
function methodsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(methodsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'method' && typeof inner === 'string' ? [inner] : methodsIn(inner)));
}

/** The real `zsc-bench check` on baseline and current runs (one or several a side): exit 1 is a regression. */
async function check(baseline: string | readonly string[], current: string | readonly string[], extra: readonly string[] = []): Promise<CheckOutcome> {
  const [before, after] = [[baseline].flat(), [current].flat()];
  const outcome = await runCliProcess(['check', '--baseline', ...before, '--current', ...after, '--max-regression', values['max-regression'], '--format', 'json', ...extra]);
  if (outcome.code !== 0 && outcome.code !== 1) throw new Error(`zsc-bench check ${before.join(' ')} vs ${after.join(' ')} exited ${outcome.code}: ${outcome.stderr.trim()}`);
  const methods = [...new Set(methodsIn(JSON.parse(outcome.stdout) as unknown))];
  return { baseline: before.join(' '), current: after.join(' '), regression: outcome.code === 1, method: methods.join(',') };
}

/** Every way to split run indices 0..n-1 into two halves (n even), each split once: [half, other half]. */
function halves(n: number): Array<[number[], number[]]> {
  const splits: Array<[number[], number[]]> = [];
  const size = n / 2;
  const walk = (start: number, chosen: number[]) => {
    if (chosen.length === size) {
      if (chosen[0] === 0) splits.push([chosen, [...Array(n).keys()].filter((index) => !chosen.includes(index))]);
      return;
    }
    for (let index = start; index < n; index += 1) walk(index + 1, [...chosen, index]);
  };
  walk(0, []);
  return splits;
}

/**
 * `check` with half the runs a side (3 vs 3 of 6): unchanged halves both ways round for false
 * alarms; each half of the unchanged runs against the other half's slowed runs for detection.
 */
async function severalASide(normal: readonly SummaryFigures[], slowed: readonly SummaryFigures[] | undefined) {
  const n = normal.length - (normal.length % 2);
  const splits = halves(n);
  const files = (runs: readonly SummaryFigures[], indices: readonly number[]) => indices.map((index) => runs[index]?.file ?? '');
  const alarms: CheckOutcome[] = [];
  const caught: CheckOutcome[] = [];
  for (const [left, right] of splits) {
    alarms.push(await check(files(normal, left), files(normal, right)), await check(files(normal, right), files(normal, left)));
    if (slowed !== undefined && slowed.length >= n) caught.push(await check(files(normal, left), files(slowed, right)), await check(files(normal, right), files(slowed, left)));
  }
  const summary = (outcomes: CheckOutcome[]) => ({ ...rate(outcomes.filter((outcome) => outcome.regression).length, outcomes.length), methods: [...new Set(outcomes.map((outcome) => outcome.method))] });
  return { runsASide: n / 2, falseAlarms: summary(alarms), ...(caught.length > 0 ? { detection: summary(caught) } : {}) };
}

/** `check` on every (left i, right j) pair; `extra`: more check flags (`--run-noise 8%`: the assumed noise instead of the files' recorded spread). */
async function checkPairs(left: readonly SummaryFigures[], right: readonly SummaryFigures[], distinct: boolean, extra: readonly string[] = []) {
  const outcomes: CheckOutcome[] = [];
  for (const [i, a] of left.entries()) {
    for (const [j, b] of right.entries()) {
      if (distinct && i === j) continue;
      outcomes.push(await check(a.file, b.file, extra));
    }
  }
  const methods = [...new Set(outcomes.map((outcome) => outcome.method))];
  return { ...rate(outcomes.filter((outcome) => outcome.regression).length, outcomes.length), methods };
}

function levels(runs: readonly SummaryFigures[]) {
  const logs = runs.map((run) => Math.log(run.meanMs));
  return {
    runMeansMs: runs.map((run) => round(run.meanMs, 1)),
    runMediansMs: runs.map((run) => round(run.medianMs, 1)),
    // ln-scale standard deviation of the run means: x100 is roughly the run-to-run variation in percent.
    betweenRunSd: logs.length >= 2 ? round(standardDeviation(logs)) : Number.NaN,
    meanIntervalHalfWidthPercent: round(mean(runs.map((run) => ((run.meanHigh - run.meanLow) / 2 / run.meanMs) * 100)), 2),
  };
}

async function evaluate(dir: string, arms: readonly string[], records: RunRecord[]): Promise<unknown> {
  const byArm = Object.fromEntries(arms.map((arm) => [arm, summariesOf(join(dir, arm))]));
  const result: Record<string, unknown> = {};
  for (const arm of arms.filter((name) => name !== 'slowed')) {
    const runs = byArm[arm] ?? [];
    process.stderr.write(`bench:rerun: checking ${runs.length * (runs.length - 1)} pairs of ${arm} runs\n`);
    result[arm] = {
      ...levels(runs),
      coverage: coverage(runs, runIntervals),
      rerunCoverage: rerunCoverage(runs),
      falseAlarms: await checkPairs(runs, runs, true),
      falseAlarmsAssumedNoise: await checkPairs(runs, runs, true, ['--run-noise', '8%']),
    };
  }
  const slowed = byArm['slowed'];
  const normal = byArm['processes'];
  if (slowed !== undefined && normal !== undefined) {
    process.stderr.write(`bench:rerun: checking ${normal.length * slowed.length} unchanged-slowed pairs\n`);
    result['slowed'] = {
      ...levels(slowed),
      slowdown: round(Math.exp(mean(slowed.map((run) => Math.log(run.meanMs))) - mean(normal.map((run) => Math.log(run.meanMs))))),
      detection: await checkPairs(normal, slowed, false),
      detectionAssumedNoise: await checkPairs(normal, slowed, false, ['--run-noise', '8%']),
    };
  }
  if (normal !== undefined && normal.length >= 4) {
    process.stderr.write(`bench:rerun: checking ${normal.length / 2} runs a side\n`);
    result['severalASide'] = await severalASide(normal, slowed);
  }
  const off = byArm['no-monitor'];
  if (off !== undefined && normal !== undefined) {
    // Runs of one round sat side by side: each round is one pair, so drift slower than a round cancels.
    const pairs = normal.slice(0, Math.min(normal.length, off.length)).map((run, index) => ({ a: run.meanMs, b: off[index]?.meanMs ?? Number.NaN }));
    const ratio = pairedRatio(pairs, 0.95);
    result['monitorCost'] = { ratioOnOverOff: round(ratio.ratio), ci95: ratio.interval.map((value) => round(value)), pairs: ratio.pairs };
  }
  return {
    configuration: {
      command: `zsc-bench run --profile <cpu-int8, intraOpThreads ${values.threads}> --items ${values.items} --repeats ${values.repeats} --labels ${values.labels} --no-parity [--processes ${values.processes} | --processes 1]`,
      model: 'synthetic structbert-base int8',
      runsPerArm: Object.fromEntries(arms.map((arm) => [arm, byArm[arm]?.length ?? 0])),
      order: 'arms interleaved per round, reversed every other round',
      cpuQuotaOfSlowed: Number(values.quota),
      maxRegression: values['max-regression'],
      folder: dir,
    },
    ...result,
    runs: records,
  };
}

/** Each summary's rerun_* columns as this zsc-bench computes them from the runs before it in the folder. */
function recomputeRerunColumns(dir: string): void {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.csv') && !name.endsWith('-samples.csv'))) {
    const path = join(dir, file);
    const rows = parseRows(SUMMARY_CSV, readFileSync(path, 'utf8'), path);
    const first = rows[0];
    if (first === undefined) continue;
    const history = readRerunHistory(dir, first as RunIdentity);
    const updated = rows.map(({ line: _line, ...row }) => ({ ...row, ...rerunColumns(history, row.labels, row.meanMs, row.p50Ms) }) as SummaryRow);
    writeFileSync(path, formatSummaryCsv(updated));
  }
}

async function main(): Promise<void> {
  const arms = values.arms.split(',').filter((arm) => arm !== '');
  for (const arm of arms) if (ARM_FLAGS[arm] === undefined) throw new Error(`--arms: unknown arm ${arm} (expected ${Object.keys(ARM_FLAGS).join(', ')})`);
  let dir = values.from;
  let records: RunRecord[];
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'zsc-bench-rerun-'));
    process.stderr.write(`bench:rerun: collecting into ${dir}\n`);
    records = await collect(dir, arms);
  } else {
    records = JSON.parse(readFileSync(join(dir, 'records.json'), 'utf8')) as RunRecord[];
    if (values['recompute-rerun'] === true) for (const arm of arms) recomputeRerunColumns(join(dir, arm));
  }
  process.stdout.write(`${JSON.stringify(await evaluate(dir, arms, records), null, 2)}\n`);
}

await main();
