/**
 * bench:concurrent: can two single-thread runs at once beat one two-thread run at int8 on 3-5
 * labels (where one 2-thread run scales worst), and how do they stand against the transformers.js
 * pipeline? Four ways to classify one text, interleaved in rotating order per round, on the
 * synthetic structbert-base (int8), each with the same total threads:
 *   oneRun2Threads    our classifier, 2 intra-op threads, all pairs in one session.run
 *   inFlight1Thread   our classifier, 1 thread, the pairs split in two session.run calls in flight at once
 *   twoWorkers1Thread two worker threads, each with its own 1-thread session and half the pairs
 *   pipeline          the transformers.js zero-shot pipeline, 2 threads
 * Only ratios taken within a round mean anything on a shared machine; medians come with spread.
 *
 *   npm run -s bench:concurrent [-- --rounds 8 --labels 3,5]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_TEMPLATE } from '../src/core/labels.js';
import type { PaddedBatch } from '../src/core/pairs.js';
import { readDataset } from '../src/io/dataset.js';
import { loadClassifier, resolveModelDir } from '../src/model-store/source.js';
import { loadProfile } from '../src/profiles/profile.js';
import { peakRssBytes } from '../src/env/memory.js';
import { median } from '../src/stats/statistics.js';
import { spread } from './spread.js';

const DATASET = fileURLToPath(new URL('../../datasets/thucnews-style-100.csv', import.meta.url));
const METHODS = ['oneRun2Threads', 'inFlight1Thread', 'twoWorkers1Thread', 'pipeline'] as const;
type Method = (typeof METHODS)[number];

/** Rows [from, to) of a padded batch: the same tensors a run of those pairs alone would get, minus re-padding. */
function rowsOf(batch: PaddedBatch, from: number, to: number): PaddedBatch {
  const cut = (data: BigInt64Array) => data.slice(from * batch.sequence, to * batch.sequence);
  return { ...batch, rows: to - from, inputIds: cut(batch.inputIds), attentionMask: cut(batch.attentionMask), tokenTypeIds: cut(batch.tokenTypeIds) };
}

if (!isMainThread) {
  // A worker: its own 1-thread classifier; classifies what it is sent (one half of the labels).
  const { dir } = workerData as { dir: string };
  const classifier = await loadClassifier({ model: dir, precision: 'int8', intraOpThreads: 1 });
  parentPort?.on('message', (message: { text: string; labels: string[] }) => {
    void classifier.classify(message.text, message.labels, { template: DEFAULT_TEMPLATE }).then(() => parentPort?.postMessage('done'));
  });
  parentPort?.postMessage('ready');
} else {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '8' }, labels: { type: 'string', default: '3,5' } } });
  const rounds = Number(values.rounds);
  const labelCounts = values.labels.split(',').map(Number);
  const dir = await resolveModelDir('synthetic:structbert-base', 'int8');
  const twoThreads = await loadClassifier({ model: dir, precision: 'int8', intraOpThreads: 2 });
  const oneThread = await loadClassifier({ model: dir, precision: 'int8', intraOpThreads: 1 });
  const workers = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<Worker>((resolve) => {
          const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { dir } });
          worker.once('message', () => resolve(worker));
        }),
    ),
  );
  const inWorker = (worker: Worker, text: string, labels: string[]) =>
    new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.postMessage({ text, labels });
    });
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = '/';
  const pipeline = await transformers.pipeline('zero-shot-classification', dir, { dtype: 'q8', device: 'cpu', session_options: { graphOptimizationLevel: 'all', logSeverityLevel: 3, intraOpNumThreads: 2 } });
  const pool = loadProfile('base').labelPool;
  const texts = readDataset(DATASET).map((item) => item.text);
  const perLabelCount = [];
  for (const labelCount of labelCounts) {
    const samples: Record<Method, number[]> = { oneRun2Threads: [], inFlight1Thread: [], twoWorkers1Thread: [], pipeline: [] };
    const ratios = { inFlightOverOneRun: [] as number[], workersOverOneRun: [] as number[], pipelineOverOneRun: [] as number[], pipelineOverBestOfOurs: [] as number[] };
    for (let round = 0; round < rounds + 1; round += 1) {
      const text = texts[round % texts.length] ?? '';
      const labels = pool.slice(round % 5, (round % 5) + labelCount);
      const half = Math.ceil(labelCount / 2);
      const work: Record<Method, () => Promise<unknown>> = {
        oneRun2Threads: () => twoThreads.classify(text, labels, { template: DEFAULT_TEMPLATE }),
        inFlight1Thread: async () => {
          const { batch } = oneThread.encode(text, labels, DEFAULT_TEMPLATE);
          await Promise.all([oneThread.run(rowsOf(batch, 0, half)), oneThread.run(rowsOf(batch, half, labelCount))]);
        },
        twoWorkers1Thread: () => Promise.all([inWorker(workers[0] as Worker, text, labels.slice(0, half)), inWorker(workers[1] as Worker, text, labels.slice(half))]),
        pipeline: () => pipeline(text, labels, { hypothesis_template: DEFAULT_TEMPLATE }),
      };
      const ms: Partial<Record<Method, number>> = {};
      // Rotating order: no method always runs right after another.
      for (let step = 0; step < METHODS.length; step += 1) {
        const method = METHODS[(round + step) % METHODS.length] as Method;
        const started = performance.now();
        await work[method]();
        ms[method] = performance.now() - started;
      }
      if (round === 0) continue; // the first round warms every path up
      for (const method of METHODS) samples[method].push(ms[method] ?? Number.NaN);
      const one = ms.oneRun2Threads ?? Number.NaN;
      ratios.inFlightOverOneRun.push((ms.inFlight1Thread ?? Number.NaN) / one);
      ratios.workersOverOneRun.push((ms.twoWorkers1Thread ?? Number.NaN) / one);
      ratios.pipelineOverOneRun.push((ms.pipeline ?? Number.NaN) / one);
      ratios.pipelineOverBestOfOurs.push((ms.pipeline ?? Number.NaN) / Math.min(one, ms.inFlight1Thread ?? Number.POSITIVE_INFINITY, ms.twoWorkers1Thread ?? Number.POSITIVE_INFINITY));
    }
    perLabelCount.push({
      labels: labelCount,
      medianMs: Object.fromEntries(METHODS.map((method) => [method, Number(median(samples[method]).toFixed(1))])),
      ratios: Object.fromEntries(Object.entries(ratios).map(([name, list]) => [name, spread(list)])),
    });
  }
  for (const worker of workers) await worker.terminate();
  const targets = {
    // The goal: the core 1.2x faster than the pipeline at int8, 2 threads, 3 and 5 labels.
    pipelineOverBestOfOursAtLeast1_2: perLabelCount.every((entry) => (entry.ratios['pipelineOverBestOfOurs']?.median ?? 0) >= 1.2),
    concurrentBeatsOneRun: perLabelCount.every((entry) => Math.min(entry.ratios['inFlightOverOneRun']?.median ?? 2, entry.ratios['workersOverOneRun']?.median ?? 2) < 1),
  };
  process.stdout.write(`${JSON.stringify({ benchmark: 'concurrent', model: 'synthetic:structbert-base', precision: 'int8', rounds, peakRssMiB: Number((peakRssBytes() / 2 ** 20).toFixed(0)), perLabelCount, targets }, null, 2)}\n`);
  process.exit(0);
}
