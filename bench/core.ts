/**
 * bench:core: what does the zero-shot core cost on top of the model, and what does batching
 * all labels of a text into one session.run buy against the transformers.js pipeline (one run
 * per label)? Measured interleaved in one process per precision, as ratios, with spread.
 *
 *   npm run -s bench:core [-- --rounds 5 --precisions fp32,int8]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { type Classifier, type ClassifyResult } from '../src/core/classifier.js';
import { DEFAULT_TEMPLATE } from '../src/core/labels.js';
import { loadClassifier, resolveModelDir } from '../src/model-store/source.js';
import { rankLabels, scoreLabels } from '../src/core/score.js';
import { parsePrecision, type Precision } from '../src/models/precision.js';
import { readDataset } from '../src/io/dataset.js';
import { loadProfile } from '../src/profiles/profile.js';
import { median, spread, type Spread } from './spread.js';

const LABEL_COUNTS = [3, 5, 10, 20] as const;
const DATASET = fileURLToPath(new URL('../../datasets/thucnews-style-100.csv', import.meta.url));

interface LabelCountResult {
  labels: number;
  medianMs: { classify: number; sessionRun: number; pipeline: number };
  /** (a)/(b) measured in separate, interleaved calls: honest, but carries this VM's noise. */
  classifyOverSessionRun: Spread;
  /** classify's total time over the session.run inside that same call: the core's cost without run-to-run noise. */
  classifyOverItsOwnSessionRun: Spread;
  pipelineOverClassify: Spread;
  maxScoreDifference: number;
}

interface PrecisionResult {
  precision: Precision;
  rounds: number;
  provider: string;
  peakRssMiB: number;
  results: LabelCountResult[];
  /** The core's own JavaScript work per text (tokenize, pad, score), measured by tinybench. */
  coreJsWorkMs: Array<{ labels: number; p50: number; rme: number; samples: number }>;
}

type ZeroShotPipeline = (text: string, labels: string[], options: { hypothesis_template: string }) => Promise<{ labels: string[]; scores: number[] }>;

async function loadPipeline(dir: string, precision: Precision): Promise<ZeroShotPipeline> {
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = '/';
  const dtype = precision === 'int8' ? 'q8' : precision;
  const classifier = await transformers.pipeline('zero-shot-classification', dir, {
    dtype,
    device: 'cpu',
    // The same session settings as the core's, so only the calling pattern differs.
    session_options: { graphOptimizationLevel: 'all', logSeverityLevel: 3 },
  });
  return classifier as unknown as ZeroShotPipeline;
}

/**
 * tinybench fits here (unlike the model runs): short synchronous work, many iterations, and
 * its statistics are what we want. Logits are fixed so only the core's own code is timed.
 */
async function measureCoreJsWork(classifier: Classifier, text: string): Promise<PrecisionResult['coreJsWorkMs']> {
  const bench = new Bench({ time: 300, warmupTime: 50 });
  for (const count of LABEL_COUNTS) {
    const labels = loadProfile('base').labelPool.slice(0, count);
    const logits = new Float32Array(count * 3).map((_, index) => Math.sin(index));
    bench.add(String(count), () => {
      classifier.encode(text, labels);
      rankLabels(labels, scoreLabels(logits, 3, { entailment: 0, contradiction: 2 }, false));
    });
  }
  await bench.run();
  return bench.tasks.map((task) => {
    if (task.result.state !== 'completed') throw new Error(`tinybench task ${task.name}: ${task.result.state}`);
    return { labels: Number(task.name), p50: task.result.latency.p50, rme: task.result.latency.rme, samples: task.result.latency.samplesCount };
  });
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

async function measurePrecision(precision: Precision, rounds: number): Promise<PrecisionResult> {
  const dir = await resolveModelDir(undefined, precision, (message) => process.stderr.write(`${message}\n`));
  const classifier: Classifier = await loadClassifier({ model: dir, precision });
  const pipeline = await loadPipeline(dir, precision);
  const texts = readDataset(DATASET).map((item) => item.text);
  const results: LabelCountResult[] = [];
  for (const count of LABEL_COUNTS) {
    const labels = loadProfile('base').labelPool.slice(0, count);
    const samples = { classify: [] as number[], sessionRun: [] as number[], pipeline: [] as number[] };
    const ratios = { classifyOverSessionRun: [] as number[], classifyOverItsOwnSessionRun: [] as number[], pipelineOverClassify: [] as number[] };
    let maxScoreDifference = 0;
    for (let round = 0; round < rounds; round += 1) {
      const text = texts[(round + 1) % texts.length] ?? '';
      const { batch } = classifier.encode(text, labels);
      const measure = {
        classify: () => timed(() => classifier.classify(text, labels)),
        sessionRun: () => timed(() => classifier.run(batch)),
        pipeline: () => timed(() => pipeline(text, labels, { hypothesis_template: DEFAULT_TEMPLATE })),
      };
      // Rotate the order each round so drift on this noisy machine hits every method alike.
      // The pipeline holds a second session of the same model: switching sessions evicts caches,
      // so each method runs once untimed right before its timed run, and no timing pays for a switch.
      const order = (['classify', 'sessionRun', 'pipeline'] as const).map((_, i, all) => all[(i + round) % all.length]!);
      const ms: Record<string, number> = {};
      let ours: { labels: string[]; scores: number[] } | undefined;
      let theirs: { labels: string[]; scores: number[] } | undefined;
      for (const method of order) {
        await measure[method]();
        const [elapsed, value] = await measure[method]();
        ms[method] = elapsed;
        if (method === 'classify') {
          ours = value as ClassifyResult;
          ratios.classifyOverItsOwnSessionRun.push(elapsed / (value as ClassifyResult).timings.inferenceMs);
        }
        if (method === 'pipeline') theirs = value as { labels: string[]; scores: number[] };
      }
      samples.classify.push(ms['classify']!);
      samples.sessionRun.push(ms['sessionRun']!);
      samples.pipeline.push(ms['pipeline']!);
      ratios.classifyOverSessionRun.push(ms['classify']! / ms['sessionRun']!);
      ratios.pipelineOverClassify.push(ms['pipeline']! / ms['classify']!);
      for (const [index, label] of (ours?.labels ?? []).entries()) {
        const other = theirs?.scores[theirs.labels.indexOf(label)] ?? Number.NaN;
        maxScoreDifference = Math.max(maxScoreDifference, Math.abs((ours?.scores[index] ?? 0) - other));
      }
    }
    results.push({
      labels: count,
      medianMs: { classify: median(samples.classify), sessionRun: median(samples.sessionRun), pipeline: median(samples.pipeline) },
      classifyOverSessionRun: spread(ratios.classifyOverSessionRun),
      classifyOverItsOwnSessionRun: spread(ratios.classifyOverItsOwnSessionRun),
      pipelineOverClassify: spread(ratios.pipelineOverClassify),
      maxScoreDifference,
    });
  }
  const coreJsWorkMs = await measureCoreJsWork(classifier, texts[0] ?? '');
  const provider = classifier.provider;
  await classifier.dispose();
  return { precision, rounds, provider, peakRssMiB: process.resourceUsage().maxRSS / 1024, results, coreJsWorkMs };
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    precisions: { type: 'string', default: 'fp32,int8' },
    child: { type: 'string' },
  },
});
const rounds = Number(values.rounds);

if (values.child !== undefined) {
  process.stdout.write(JSON.stringify(await measurePrecision(parsePrecision(values.child), rounds)));
} else {
  // One process per precision: clean memory peaks, no cross-talk between sessions.
  const perPrecision = values.precisions.split(',').map((precision) => {
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', precision, '--rounds', String(rounds)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(output) as PrecisionResult;
  });
  const all = perPrecision.flatMap((entry) => entry.results.map((result) => ({ ...result, precision: entry.precision })));
  const targets = {
    classifyOverSessionRunAtMost1_05: all.every((r) => r.classifyOverSessionRun.median <= 1.05),
    classifyOverItsOwnSessionRunAtMost1_05: all.every((r) => r.classifyOverItsOwnSessionRun.median <= 1.05),
    pipelineOverClassifyAtLeast1_0: all.every((r) => r.pipelineOverClassify.median >= 1.0),
    pipelineOverClassifyAtLeast1_05At10And20: all.filter((r) => r.labels >= 10).every((r) => r.pipelineOverClassify.median >= 1.05),
  };
  process.stdout.write(`${JSON.stringify({ benchmark: 'core', model: 'synthetic:structbert-base', texts: 'datasets/thucnews-style-100.csv', perPrecision, targets }, null, 2)}\n`);
}
