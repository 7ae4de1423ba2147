/**
 * bench:monitor: what the hardware monitor costs the latency it sits beside. One process, one
 * loaded classifier, blocks of the same classification workload (the first items of the bundled
 * dataset, 3 labels each) with the monitor worker on or off, in ABBA order (off, on, on, off) so
 * that slow drift of this machine's speed cancels within each pair of neighbouring blocks. Two
 * monitors are compared with none: `new` (src/env/monitor.ts, kernel files found once) and `old`
 * (a worker calling systeminformation's cpuCurrentSpeed() + cpuTemperature() every second, as
 * zsc-bench did before 2026-12). Per block the mean ms of one classification; per comparison the
 * ratio on/off over block pairs with a 95% t interval on the log scale (pairedRatio). Also the
 * wall time of one sample of each kind, taken in the main thread before the blocks. Prints JSON.
 * Not in CI: it needs a quiet machine to mean anything (the JSON records the load and other
 * processes' CPU share while it ran).
 *
 *   npm run -s bench:monitor [-- --block-s 10 --rounds 4 --threads 2 --precision int8 --model synthetic:structbert-base]
 *   npm run -s bench:monitor -- --quick     # 2 s blocks, 1 round, the tiny model: does it work at all
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import si from 'systeminformation';
import { loadClassifier } from '../src/model-store/source.js';
import { readDataset, resolveDataset } from '../src/io/dataset.js';
import { HardwareMonitor } from '../src/env/monitor.js';
import { probeHardwareSources, readHardwareSample } from '../src/env/hardware-sample.js';
import { busyReasons, cpuShares, readMachine } from '../src/env/machine-state.js';
import { parsePrecision } from '../src/models/precision.js';
import { labelSet } from '../src/runner/label-sets.js';
import { loadProfile } from '../src/profiles/profile.js';
import { pairedRatio } from '../src/stats/clustered.js';
import { mean } from '../src/stats/statistics.js';
import { DEFAULT_SEED } from '../src/stats/random.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'block-s': { type: 'string' },
    rounds: { type: 'string' },
    threads: { type: 'string', default: '2' },
    precision: { type: 'string', default: 'int8' },
    model: { type: 'string' },
    items: { type: 'string', default: '5' },
  },
});

const quick = values.quick === true;
const blockMs = Number(values['block-s'] ?? (quick ? '2' : '10')) * 1000;
const rounds = Number(values.rounds ?? (quick ? '1' : '4'));
const threads = Number(values.threads);
const precision = parsePrecision(values.precision ?? 'int8', '--precision');
const model = values.model ?? (quick ? 'synthetic:tiny' : 'synthetic:structbert-base');
const LABELS = 3;
/** Time for a worker to load its modules before a block's clock starts; off-blocks wait the same. */
const SETTLE_MS = 300;

type Condition = 'off' | 'new' | 'old';

/** A running monitor of one kind; stop() ends it and gives how many samples it took. */
interface Running {
  stop(): Promise<number>;
}

async function startMonitor(kind: Condition): Promise<Running> {
  if (kind === 'off') return { stop: async () => 0 };
  if (kind === 'new') {
    const monitor = new HardwareMonitor();
    await monitor.start();
    return {
      stop: async () => {
        await monitor.stop();
        return monitor.between(0, Number.MAX_SAFE_INTEGER).length;
      },
    };
  }
  const worker = new Worker(fileURLToPath(new URL('./monitor-old-worker.js', import.meta.url)), { workerData: { intervalMs: 1000 } });
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        let samples = 0;
        worker.on('message', (count: number) => (samples = count));
        worker.once('exit', () => resolve(samples));
        worker.postMessage('stop');
      }),
  };
}

/** Wall ms of one sample, mean of `count`, taken one after another in this thread. */
async function sampleCostMs(read: () => Promise<unknown>, count: number): Promise<number> {
  await read();
  const started = performance.now();
  for (let index = 0; index < count; index += 1) await read();
  return (performance.now() - started) / count;
}

const profile = loadProfile('cpu');
const items = readDataset(resolveDataset(profile.dataset)).slice(0, Number(values.items));
const work = items.map((item) => ({ text: item.text, labels: labelSet(item.label, profile.labelPool, LABELS, item.id, DEFAULT_SEED) }));
const classifier = await loadClassifier({ model, precision, intraOpThreads: threads, onProgress: (message) => process.stderr.write(`${message}\n`) });

const sources = await probeHardwareSources();
const perSampleWallMs = {
  new: await sampleCostMs(() => readHardwareSample(sources), quick ? 5 : 20),
  old: await sampleCostMs(() => Promise.all([si.cpuCurrentSpeed(), si.cpuTemperature()]), quick ? 3 : 10),
};

/** One block: classifications back to back for blockMs; the mean ms of one. */
async function block(kind: Condition): Promise<{ kind: Condition; meanMs: number; classifications: number; monitorSamples: number }> {
  const running = await startMonitor(kind);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const times: number[] = [];
  const started = performance.now();
  let index = 0;
  while (performance.now() - started < blockMs) {
    const next = work[index % work.length];
    index += 1;
    if (next === undefined) break;
    const t0 = performance.now();
    await classifier.classify(next.text, next.labels);
    times.push(performance.now() - t0);
  }
  const monitorSamples = await running.stop();
  return { kind, meanMs: mean(times), classifications: times.length, monitorSamples };
}

// Warm-up: the first runs after load are slow for reasons that have nothing to do with the monitor.
for (const next of work) await classifier.classify(next.text, next.labels);

const loadStart = loadavg()[0];
const machineBefore = readMachine();
const blocks: Array<Awaited<ReturnType<typeof block>>> = [];
const pairs: Record<'new' | 'old', Array<{ a: number; b: number }>> = { new: [], old: [] };
for (let round = 0; round < rounds; round += 1) {
  // Which monitor goes first alternates, so neither always follows the other.
  const order: Array<'new' | 'old'> = round % 2 === 0 ? ['new', 'old'] : ['old', 'new'];
  for (const kind of order) {
    const [off1, on1, on2, off2] = [await block('off'), await block(kind), await block(kind), await block('off')];
    blocks.push(off1, on1, on2, off2);
    pairs[kind].push({ a: on1.meanMs, b: off1.meanMs }, { a: on2.meanMs, b: off2.meanMs });
    process.stderr.write(`bench:monitor: round ${round + 1}/${rounds} ${kind}: off ${off1.meanMs.toFixed(1)}, on ${on1.meanMs.toFixed(1)}, on ${on2.meanMs.toFixed(1)}, off ${off2.meanMs.toFixed(1)} ms\n`);
  }
}
const machineAfter = readMachine();
await classifier.dispose();

const summarize = (kind: 'new' | 'old') => {
  const result = pairedRatio(pairs[kind], 0.95);
  return { ratio: result.ratio, ci95: result.interval, blockPairs: result.pairs, costPercent: (result.ratio - 1) * 100, costCi95Percent: result.interval.map((bound) => (bound - 1) * 100) };
};
const shares = cpuShares(machineBefore, machineAfter);
const machine = { loadStart, loadEnd: loadavg()[0], stealPercent: shares?.stealPercent, othersCpuPercent: shares?.othersCpuPercent };
process.stdout.write(
  `${JSON.stringify(
    {
      model,
      precision,
      threads,
      labels: LABELS,
      items: work.length,
      blockSeconds: blockMs / 1000,
      rounds,
      monitorSources: sources,
      perSampleWallMs,
      newVsOff: summarize('new'),
      oldVsOff: summarize('old'),
      machine: { ...machine, busy: busyReasons(machine, cpus().length) },
      blocks,
    },
    null,
    2,
  )}\n`,
);
