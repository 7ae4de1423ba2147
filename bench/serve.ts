/**
 * bench:serve: what does dynamic batching buy a zsc-bench server on this machine? For the
 * synthetic StructBERT-base at fp32 and int8, two servers run side by side (batching on and
 * off, each its own process) and `zsc-bench load` (a third process) drives each in turn at
 * every concurrency level, alternating which goes first each round so drift hits both alike.
 * Reported: throughput and p95 per setting, and the on/off ratios with spread over rounds.
 * Meanwhile this process probes /api/health of the loaded server, to show that HTTP stays
 * responsive while the model computes (the model runs in a worker thread).
 *
 *   npm run -s bench:serve [-- --rounds-fp32 5 --rounds-int8 5 --concurrency 1,4,8 --precisions fp32,int8]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { resolveModelDir } from '../src/model-store/source.js';
import { parsePrecision, type Precision } from '../src/models/precision.js';
import type { LevelSummary } from '../src/load/summary.js';
import { CLI_BIN, startServe, type ServeProcess } from './serve-process.js';
import { spread, type Spread } from './spread.js';
import { median, percentile } from '../src/stats/statistics.js';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    // Seven rounds of each keep the whole run near 15 minutes on 2 cores.
    'rounds-fp32': { type: 'string', default: '7' },
    'rounds-int8': { type: 'string', default: '7' },
    concurrency: { type: 'string', default: '1,4,8' },
    precisions: { type: 'string', default: 'fp32,int8' },
    labels: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    // fp32 is ~2.5x slower: it needs longer levels for as many requests.
    // Short levels are fine for throughput: in a closed loop the model is busy from the first
    // request to the last answer, so ok / wall is the model's rate without edge effects.
    'duration-fp32': { type: 'string', default: '6' },
    'duration-int8': { type: 'string', default: '4' },
  },
});
const roundsOf = (precision: Precision): number => Number(precision === 'fp32' ? values['rounds-fp32'] : values['rounds-int8']);
const concurrencies = values.concurrency.split(',').map(Number);
const precisions = values.precisions.split(',').map((value) => parsePrecision(value, '--precisions'));
const durationOf = (precision: Precision): number => Number(precision === 'fp32' ? values['duration-fp32'] : values['duration-int8']);
const out = mkdtempSync(join(tmpdir(), 'zsc-bench-serve-'));

type Mode = 'on' | 'off';

interface Measurement {
  throughputRps: number;
  p95Ms: number;
  meanBatchRequests: number;
  meanBatchRuns: number;
  errors: number;
  healthMs: number[];
}

async function probeHealth(url: string, stop: { done: boolean }): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop.done) {
    const started = performance.now();
    const response = await fetch(`${url}/api/health`);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return latencies;
}

async function measure(server: ServeProcess, concurrency: number, precision: Precision): Promise<Measurement> {
  const stop = { done: false };
  const health = probeHealth(server.url, stop);
  const { stdout } = await run(
    process.execPath,
    [CLI_BIN, 'load', '--url', server.url, '--concurrency', String(concurrency), '--duration', String(durationOf(precision)), '--warmup', values.warmup, '--labels', values.labels, '--out', out, '--json'],
    { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
  );
  stop.done = true;
  const level = (JSON.parse(stdout) as { levels: LevelSummary[] }).levels[0];
  if (level === undefined) throw new Error(`load returned no level:\n${stdout}`);
  return { throughputRps: level.throughputRps, p95Ms: level.latencyMs.p95, meanBatchRequests: level.meanBatchRequests, meanBatchRuns: level.meanBatchRuns, errors: level.errors, healthMs: await health };
}

/** The mean of a round's two measurements of one setting. */
function averaged(list: readonly Measurement[]): Measurement {
  const meanOf = (key: 'throughputRps' | 'p95Ms' | 'meanBatchRequests' | 'meanBatchRuns') => list.reduce((sum, entry) => sum + entry[key], 0) / list.length;
  return {
    throughputRps: meanOf('throughputRps'),
    p95Ms: meanOf('p95Ms'),
    meanBatchRequests: meanOf('meanBatchRequests'),
    meanBatchRuns: meanOf('meanBatchRuns'),
    errors: list.reduce((sum, entry) => sum + entry.errors, 0),
    healthMs: list.flatMap((entry) => entry.healthMs),
  };
}

interface Side {
  throughputRps: Spread;
  p95Ms: Spread;
  meanBatchRequests: number;
  meanBatchRuns: number;
}

interface LevelResult {
  concurrency: number;
  on: Side;
  off: Side;
  /** on / off per round; at concurrency 4 and up each side is the mean of its two runs (A B B A). */
  throughputRatio: Spread;
  p95Ratio: Spread;
  errors: number;
}

async function benchPrecision(precision: Precision) {
  const model = await resolveModelDir(undefined, precision, (message) => process.stderr.write(`${message}\n`));
  // Merging changes int8 scores, so the server only merges there when told to (README: serve).
  const onFlags = precision === 'fp32' ? [] : ['--inexact-batching'];
  const servers: Record<Mode, ServeProcess> = {
    on: await startServe(['--model', model, '--precision', precision, ...onFlags]),
    off: await startServe(['--model', model, '--precision', precision, '--no-batching']),
  };
  // A first untimed pass on each server: the first minutes of a fresh process (arena growth,
  // page cache) must not land in either side's numbers.
  for (const mode of ['on', 'off'] as const) await measure(servers[mode], Math.max(...concurrencies), precision);
  const samples = new Map<number, Record<Mode, Measurement[]>>(concurrencies.map((c) => [c, { on: [], off: [] }]));
  const healthMs: number[] = [];
  try {
    const rounds = roundsOf(precision);
    for (let round = 0; round < rounds; round += 1) {
      for (const concurrency of concurrencies) {
        // A B B A: a drift that is linear over the round cancels out of the pair's ratio. At
        // concurrency 1 nothing can merge, so one A B pair (alternating) is enough there.
        const first: Mode = (round + concurrency) % 2 === 0 ? 'on' : 'off';
        const second: Mode = first === 'on' ? 'off' : 'on';
        const order: Mode[] = concurrency === 1 ? [first, second] : [first, second, second, first];
        const pair: Record<Mode, Measurement[]> = { on: [], off: [] };
        for (const mode of order) {
          const result = await measure(servers[mode], concurrency, precision);
          pair[mode].push(result);
          healthMs.push(...result.healthMs);
          process.stderr.write(`${precision} c=${concurrency} batching ${mode} round ${round + 1}/${rounds}: ${result.throughputRps.toFixed(3)} req/s, p95 ${result.p95Ms.toFixed(0)} ms, batch ${result.meanBatchRequests.toFixed(2)} requests in ${result.meanBatchRuns.toFixed(2)} runs\n`);
        }
        for (const mode of ['on', 'off'] as const) samples.get(concurrency)?.[mode].push(averaged(pair[mode]));
      }
    }
  } finally {
    await Promise.all([servers.on.stop(), servers.off.stop()]);
  }
  const levels: LevelResult[] = concurrencies.map((concurrency) => {
    const { on, off } = samples.get(concurrency) ?? { on: [], off: [] };
    const side = (list: Measurement[]): Side => ({
      throughputRps: spread(list.map((entry) => entry.throughputRps)),
      p95Ms: spread(list.map((entry) => entry.p95Ms)),
      meanBatchRequests: median(list.map((entry) => entry.meanBatchRequests)),
      meanBatchRuns: median(list.map((entry) => entry.meanBatchRuns)),
    });
    return {
      concurrency,
      on: side(on),
      off: side(off),
      throughputRatio: spread(on.map((entry, index) => entry.throughputRps / (off[index]?.throughputRps ?? Number.NaN))),
      p95Ratio: spread(on.map((entry, index) => entry.p95Ms / (off[index]?.p95Ms ?? Number.NaN))),
      errors: [...on, ...off].reduce((sum, entry) => sum + entry.errors, 0),
    };
  });
  return {
    precision,
    rounds: roundsOf(precision),
    durationS: durationOf(precision),
    batchingOnFlags: onFlags,
    levels,
    healthProbeMs: healthMs.length === 0 ? null : { n: healthMs.length, p50: percentile(healthMs, 50), p99: percentile(healthMs, 99), max: Math.max(...healthMs) },
  };
}

const perPrecision = [];
for (const precision of precisions) perPrecision.push(await benchPrecision(precision));
const atLeastFour = perPrecision.flatMap((entry) => entry.levels.filter((level) => level.concurrency >= 4).map((level) => ({ precision: entry.precision, ...level })));
const targets = {
  batchingThroughputRatioAtLeast1_0AtConcurrency4Plus: atLeastFour.every((level) => level.throughputRatio.median >= 1.0),
  noFailedRequests: perPrecision.every((entry) => entry.levels.every((level) => level.errors === 0)),
};
process.stdout.write(
  `${JSON.stringify({ benchmark: 'serve', model: 'synthetic:structbert-base', labels: Number(values.labels), warmupS: Number(values.warmup), perPrecision, targets }, null, 2)}\n`,
);
