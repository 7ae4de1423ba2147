/**
 * bench:check: does the regression gate keep its error rates on the noise this machine really
 * makes? Runs the real CLI (`zsc-bench run`) back to back on one short configuration,
 * alternating unchanged runs with runs slowed by a CPU quota (cgroup v1, needs root), so that
 * changes in the neighbours' load hit both kinds alike, and checks every pair of runs and every
 * split of the runs into two sides with the same code `zsc-bench check` runs:
 * false-alarm rate on the unchanged runs (goal <= 5%), detection rate against the slowed ones
 * (goal >= 90%). Prints JSON with the run medians.
 *
 *   npm run -s bench:check [-- --runs 8 --items 10 --repeats 5 --quota 0.8 --shares 262144]
 *   npm run -s bench:check -- --from /tmp/zsc-bench-check-XXXX   # re-evaluate collected runs
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkRuns, DEFAULT_RUN_NOISE, estimateRun, pairRunSets, type CheckMetric, type CheckSettings } from '../src/compare/check.js';
import { readResultFiles, type Run } from '../src/compare/runs.js';
import { mean, standardDeviation } from '../src/stats/statistics.js';
import { runCliOk, withCpuGroups } from './cli-runs.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '8' },
    items: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '5' },
    labels: { type: 'string', default: '3' },
    // One intra-op thread: the process then needs one core, and a quota of 80% of one core
    // slows it by 1 / 0.8 = 1.25x whatever the neighbours do with the other core.
    threads: { type: 'string', default: '1' },
    quota: { type: 'string', default: '0.8' },
    // cpu.shares of both cgroups: high, so that the run gets its core even when neighbours keep
    // the machine's load far above its 2 cores (a quota that never binds slows nothing down).
    // 1024 is an ordinary process's weight: the run then competes like any other.
    shares: { type: 'string', default: '262144' },
    from: { type: 'string' },
    'max-regression': { type: 'string', default: '0.1' },
    'run-noise': { type: 'string', default: String(Number.parseFloat(DEFAULT_RUN_NOISE) / 100) },
  },
});

interface RunRecord {
  kind: 'normal' | 'slowed';
  index: number;
  wallS: number;
  loadBefore: number;
  loadAfter: number;
}

async function collect(dir: string): Promise<RunRecord[]> {
  const runs = Number(values.runs);
  const profile = join(dir, 'bench-check.json');
  writeFileSync(profile, JSON.stringify({ extends: 'cpu-int8', name: 'bench-check', intraOpThreads: Number(values.threads) }));
  const args = (out: string) => ['run', '--profile', profile, '--items', values.items, '--repeats', values.repeats, '--labels', values.labels, '--out', out, '--json'];
  const records: RunRecord[] = [];
  // An unrecorded first run builds the model into the cache and warms the page cache.
  process.stderr.write('bench:check: warm-up run\n');
  await runCliOk(args(join(dir, 'warmup')));
  await withCpuGroups('bench-check', { normal: undefined, slowed: Number(values.quota) }, values.shares, async (groups) => {
    for (let index = 0; index < runs; index += 1) {
      for (const kind of ['normal', 'slowed'] as const) {
        const loadBefore = loadavg()[0] ?? Number.NaN;
        const started = performance.now();
        await runCliOk(args(join(dir, kind)), groups[kind]);
        const record = { kind, index, wallS: (performance.now() - started) / 1000, loadBefore, loadAfter: loadavg()[0] ?? Number.NaN };
        records.push(record);
        process.stderr.write(`bench:check: ${kind} run ${index + 1}/${runs}: ${record.wallS.toFixed(1)} s, load ${record.loadBefore.toFixed(2)} -> ${record.loadAfter.toFixed(2)}\n`);
      }
    }
  });
  return records;
}

function readRuns(dir: string): Run[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv')).sort().map((file) => join(dir, file));
  return readResultFiles(files, { withSamples: true, kinds: ['summary'], command: 'bench:check' }).runs.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
}

/** Every non-empty proper subset of 0..n-1, as index lists. */
function subsets(n: number): number[][] {
  const result: number[][] = [];
  for (let mask = 1; mask < (1 << n) - 1; mask += 1) result.push([...Array(n).keys()].filter((index) => (mask >> index) & 1));
  return result;
}

interface Tally {
  comparisons: number;
  regressions: number;
  rate: number;
}

function tally(cases: ReadonlyArray<{ baseline: Run[]; current: Run[] }>, settings: CheckSettings): Tally & { bySides: Record<string, Tally> } {
  const bySides: Record<string, { comparisons: number; regressions: number }> = {};
  let regressions = 0;
  for (const { baseline, current } of cases) {
    const { pairs } = pairRunSets(baseline, current);
    const report = checkRuns(pairs, settings, []);
    const flagged = report.regressions > 0 ? 1 : 0;
    regressions += flagged;
    const key = `${baseline.length}v${current.length}`;
    const entry = (bySides[key] ??= { comparisons: 0, regressions: 0 });
    entry.comparisons += 1;
    entry.regressions += flagged;
  }
  const rate = (entry: { comparisons: number; regressions: number }): Tally => ({ ...entry, rate: Math.round((entry.regressions / entry.comparisons) * 10000) / 10000 });
  return { ...rate({ comparisons: cases.length, regressions }), bySides: Object.fromEntries(Object.entries(bySides).map(([key, entry]) => [key, rate(entry)])) };
}

/** Lag-1 autocorrelation of one run's log latencies after removing each item's mean: how much consecutive samples share. */
function lag1(run: Run, labels: number): number {
  const samples = (run.samples ?? []).filter((sample) => sample.labelCount === labels);
  const byItem = new Map<string, number[]>();
  for (const sample of samples) byItem.set(sample.itemId, [...(byItem.get(sample.itemId) ?? []), Math.log(sample.totalMs)]);
  const residuals = samples.map((sample) => Math.log(sample.totalMs) - mean(byItem.get(sample.itemId) ?? [0]));
  const centre = mean(residuals);
  let numerator = 0;
  let denominator = 0;
  residuals.forEach((value, index) => {
    denominator += (value - centre) ** 2;
    const next = residuals[index + 1];
    if (next !== undefined) numerator += (value - centre) * (next - centre);
  });
  return denominator === 0 ? 0 : numerator / denominator;
}

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

function evaluate(dir: string, records: RunRecord[]): unknown {
  const normal = readRuns(join(dir, 'normal'));
  const slowed = readRuns(join(dir, 'slowed'));
  const labels = Number(values.labels.split(',')[0]);
  const n = Math.min(normal.length, slowed.length);
  const settingsFor = (metric: CheckMetric): CheckSettings => ({ metric, maxRegression: Number(values['max-regression']), alpha: 0.05, runNoise: Number(values['run-noise']), useRecordedSpread: false });
  const pairs = (left: Run[], right: Run[], distinct: boolean) =>
    left.flatMap((a, i) => right.filter((_, j) => !distinct || i !== j).map((b) => ({ baseline: [a], current: [b] })));
  const splitsWithin = subsets(normal.length).map((side) => ({ baseline: side.map((i) => normal[i] as Run), current: normal.filter((_, i) => !side.includes(i)) }));
  const splitsAcross = subsets(n).map((side) => ({ baseline: side.map((i) => normal[i] as Run), current: slowed.slice(0, n).filter((_, i) => !side.includes(i)) }));
  const estimates = (runs: Run[]) => runs.map((run) => estimateRun((run.samples ?? []).filter((sample) => sample.labelCount === labels), 'median'));
  const normalEstimates = estimates(normal);
  const slowedEstimates = estimates(slowed);
  const levels = normalEstimates.map((estimate) => estimate.logValue);
  const withinVariance = mean(normalEstimates.map((estimate) => estimate.withinSe ** 2));
  const betweenSd = standardDeviation(levels);
  const measuredNoise = Math.sqrt(Math.max(0, betweenSd ** 2 - withinVariance));
  const metrics = (['median', 'mean'] as const).map((metric) => {
    const settings = settingsFor(metric);
    return {
      metric,
      falseAlarms: {
        pairs: tally(pairs(normal, normal, true), settings),
        splits: tally(splitsWithin, settings),
        // In-sample: the allowance set to the noise these very runs show, as a user who measured it would.
        pairsWithMeasuredRunNoise: tally(pairs(normal, normal, true), { ...settings, runNoise: Math.exp(measuredNoise) - 1 }),
      },
      detection: { pairs: tally(pairs(normal, slowed, false), settings), splits: tally(splitsAcross, settings) },
    };
  });
  return {
    configuration: {
      command: `zsc-bench run --profile <cpu-int8 with intraOpThreads ${values.threads}> --items ${values.items} --repeats ${values.repeats} --labels ${values.labels}`,
      model: 'synthetic structbert-base int8',
      runsPerSide: { normal: normal.length, slowed: slowed.length },
      cpuQuotaOfOneCore: Number(values.quota),
      cpuShares: Number(values.shares),
      order: 'unchanged and slowed runs alternate: N S N S ...',
      threshold: Number(values['max-regression']),
      alpha: 0.05,
      runNoise: Number(values['run-noise']),
      machine: 'shared: other jobs ran on the same 2 cores during the measurement',
      folder: dir,
    },
    runMediansMs: { normal: normalEstimates.map((estimate) => round(Math.exp(estimate.logValue), 2)), slowed: slowedEstimates.map((estimate) => round(Math.exp(estimate.logValue), 2)) },
    measuredSlowdown: round(Math.exp(mean(slowedEstimates.map((estimate) => estimate.logValue)) - mean(levels))),
    noise: {
      // ln-scale standard deviations; x100 is roughly percent.
      betweenRunSd: round(betweenSd),
      withinRunSe: round(Math.sqrt(withinVariance)),
      // What one run's passes cannot show: the run noise `check --run-noise` stands for.
      runNoiseBeyondPasses: round(measuredNoise),
      lag1Autocorrelation: normal.map((run) => round(lag1(run, labels), 3)),
    },
    metrics,
    runs: records,
  };
}

async function main(): Promise<void> {
  let dir = values.from;
  let records: RunRecord[] = [];
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'zsc-bench-check-'));
    records = await collect(dir);
  }
  process.stdout.write(`${JSON.stringify(evaluate(dir, records), null, 2)}\n`);
}

await main();
