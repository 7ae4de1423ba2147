/**
 * bench:core: what does the zero-shot core cost on top of the model, and what does batching
 * all labels of a text into one session.run buy against the transformers.js pipeline (one run
 * per label)? Measured interleaved in one process per precision, as ratios, with spread.
 *
 *   npm run bench:core [-- --rounds 7 --precisions fp32,int8]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadClassifier, type Classifier } from '../src/core/classifier.js';
import { DEFAULT_TEMPLATE } from '../src/core/labels.js';
import { resolveModelDir } from '../src/core/model-source.js';
import { parsePrecision, type Precision } from '../src/core/precision.js';
import { readDataset } from '../src/io/dataset.js';
import { loadProfile } from '../src/profiles/profile.js';
import { median, spread, type Spread } from './spread.js';

const LABEL_COUNTS = [3, 5, 10, 20] as const;
const DATASET = fileURLToPath(new URL('../../datasets/thucnews-style-100.csv', import.meta.url));

interface LabelCountResult {
  labels: number;
  medianMs: { classify: number; sessionRun: number; pipeline: number };
  classifyOverSessionRun: Spread;
  pipelineOverClassify: Spread;
  maxScoreDifference: number;
}

interface PrecisionResult {
  precision: Precision;
  rounds: number;
  provider: string;
  peakRssMiB: number;
  results: LabelCountResult[];
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
    // Warm-up: first runs at a new shape pay allocation costs.
    await classifier.classify(texts[0] ?? '', labels);
    await pipeline(texts[0] ?? '', labels, { hypothesis_template: DEFAULT_TEMPLATE });
    const samples = { classify: [] as number[], sessionRun: [] as number[], pipeline: [] as number[] };
    const ratios = { classifyOverSessionRun: [] as number[], pipelineOverClassify: [] as number[] };
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
      const order = (['classify', 'sessionRun', 'pipeline'] as const).map((_, i, all) => all[(i + round) % all.length]!);
      const ms: Record<string, number> = {};
      let ours: { labels: string[]; scores: number[] } | undefined;
      let theirs: { labels: string[]; scores: number[] } | undefined;
      for (const method of order) {
        const [elapsed, value] = await measure[method]();
        ms[method] = elapsed;
        if (method === 'classify') ours = value as { labels: string[]; scores: number[] };
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
      pipelineOverClassify: spread(ratios.pipelineOverClassify),
      maxScoreDifference,
    });
  }
  const provider = classifier.provider;
  await classifier.dispose();
  return { precision, rounds, provider, peakRssMiB: process.resourceUsage().maxRSS / 1024, results };
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
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
    pipelineOverClassifyAtLeast1_0: all.every((r) => r.pipelineOverClassify.median >= 1.0),
    pipelineOverClassifyAtLeast1_05At10And20: all.filter((r) => r.labels >= 10).every((r) => r.pipelineOverClassify.median >= 1.05),
  };
  process.stdout.write(`${JSON.stringify({ benchmark: 'core', model: 'synthetic:structbert-base', texts: 'datasets/thucnews-style-100.csv', perPrecision, targets }, null, 2)}\n`);
}
