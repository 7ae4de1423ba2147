import { join, resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';
import { parseList, parsePercentage, parsePositiveInteger } from '../shell/parse.js';
import { checkWritable, datasetName, fileStamp, resolveDataset } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadClassifier, resolveModelDir } from '../model-store/source.js';
import { missingProviderLibrary, ProviderUnavailableError, providerTitle } from '../core/session.js';
import type { Classifier } from '../core/classifier.js';
import { toolVersion } from '../env/package.js';
import { captureEnvironment } from '../env/snapshot.js';
import { writeFileAtomic } from '../io/atomic.js';
import { sha256File, sha256SmallFile } from '../io/hash.js';
import { readDataset } from '../io/dataset.js';
import { loadProfile, profileHash, type Profile } from '../profiles/profile.js';
import { AbRunner, type AbLabelCount } from '../runner/ab-runner.js';
import { compareAbPasses, type AbComparison, type AbMetric } from '../compare/ab.js';
import { formatAbCsv, type AbContext } from '../compare/ab-csv.js';
import { formatAbTable } from '../format/ab-format.js';
import { platformMismatches, requireWorkloadFits, selectItems } from './run.js';
import { DEFAULT_SEED } from '../stats/random.js';

export interface AbFlags {
  profile: string;
  versus: string;
  dataset?: string;
  items: string;
  pairs: string;
  labels?: string;
  metric: AbMetric;
  maxRegression?: string;
  out: string;
  json?: boolean;
}

export const AB_DEFAULTS = { items: '10', pairs: '6', metric: 'mean', out: 'results' } as const;

/** Interval level of the ratio; its lower end is the gate's evidence. */
const LEVEL = 0.95;

/** What makes two profiles the same configuration: everything but their names and descriptions. */
function configurationOf(profile: Profile): string {
  const { name: _name, description: _description, costPerHour: _cost, platform: _platform, ...rest } = profile;
  return profileHash({ ...rest, name: '', description: '', platform: {} });
}

async function openSide(profile: Profile, flag: string, io: Io, json: boolean): Promise<Classifier> {
  const modelDir = await resolveModelDir(profile.model, profile.precision, json ? undefined : (message) => io.err(`${io.errStyle.dim(message)}\n`));
  try {
    return await loadClassifier({
      model: modelDir,
      precision: profile.precision,
      providers: profile.executionProviders,
      providerOptions: profile.providerOptions,
      graphOptimizationLevel: profile.graphOptimizationLevel,
      allowFallback: false,
      ...(profile.intraOpThreads !== undefined ? { intraOpThreads: profile.intraOpThreads } : {}),
      ...(profile.interOpThreads !== undefined ? { interOpThreads: profile.interOpThreads } : {}),
    });
  } catch (error) {
    // Both sides must run here, as asked: a CPU stand-in would compare the wrong thing.
    if (error instanceof ProviderUnavailableError) {
      throw new UsageError(`${flag} ${profile.name}: cannot run on this machine: ${providerTitle(error.provider)} execution provider unavailable (${error.reason}); ab runs both sides here, now`);
    }
    throw error;
  }
}

export async function abCommand(flags: AbFlags, io: Io): Promise<ExitCode> {
  const a = loadProfile(flags.profile);
  const b = loadProfile(flags.versus);
  if (configurationOf(a) === configurationOf(b)) {
    throw new UsageError(`--versus: ${b.name} is the same configuration as --profile ${a.name}; ab compares two different configurations`);
  }
  for (const [flag, profile] of [['--profile', a], ['--versus', b]] as const) {
    for (const provider of profile.executionProviders) {
      const missing = missingProviderLibrary(provider);
      if (missing !== undefined) throw new UsageError(`${flag} ${profile.name}: cannot run on this machine: ${providerTitle(provider)} execution provider unavailable (${missing}); ab runs both sides here, now`);
    }
  }
  const items = parsePositiveInteger(flags.items, '--items');
  const pairs = parsePositiveInteger(flags.pairs, '--pairs');
  if (pairs < 2) throw new UsageError(`--pairs: expected 2 or more pass pairs (an interval needs at least two), got '${flags.pairs}'`);
  const maxRegression = flags.maxRegression === undefined ? undefined : parsePercentage(flags.maxRegression, '--max-regression');
  const labelCounts = flags.labels === undefined ? a.labelCounts : [...new Set(parseList(flags.labels, '--labels', parsePositiveInteger))].sort((x, y) => x - y);
  const datasetPath = resolveDataset(flags.dataset ?? a.dataset);
  const dataset = readDataset(datasetPath);
  requireWorkloadFits({ items, labelCounts, profile: a, datasetPath, datasetSize: dataset.length });
  const outDir = resolve(flags.out);
  checkWritable(outDir);
  const json = flags.json === true;
  const note = (text: string) => {
    if (!json) io.err(`${io.errStyle.yellow(`note: ${text}`)}\n`);
  };

  const env = await captureEnvironment(toolVersion());
  for (const profile of [a, b]) platformMismatches(profile, env).forEach(note);
  if (flags.dataset === undefined && b.dataset !== a.dataset) note(`both sides run ${a.name}'s dataset (${a.dataset}), not ${b.name}'s`);
  if (b.labelPool.join('\u0000') !== a.labelPool.join('\u0000')) note(`both sides draw labels from ${a.name}'s label pool`);
  const classifierA = await openSide(a, '--profile', io, json);
  let classifierB: Classifier;
  try {
    classifierB = await openSide(b, '--versus', io, json);
  } catch (error) {
    await classifierA.dispose();
    throw error;
  }
  if (classifierA.model.synthetic || classifierB.model.synthetic) note('synthetic weights: latency is real, accuracy is meaningless');

  const settings = { metric: flags.metric, level: LEVEL, maxRegression };
  const side = (profile: Profile, classifier: Classifier): AbContext['sides']['a'] => ({
    profile: profile.name,
    profileHash: profileHash(profile),
    precision: profile.precision,
    actualProvider: classifier.provider,
    modelId: classifier.model.synthetic ? `synthetic:${classifier.model.arch ?? 'unknown'}` : profile.model,
    modelSha256: '',
    synthetic: classifier.model.synthetic,
    template: profile.template,
    pairsPerRun: String(profile.pairsPerRun),
    intraOpThreads: classifier.intraOpThreads,
  });
  const context: AbContext = {
    timestamp: env.timestamp,
    host: env.hostname,
    toolVersion: env.toolVersion,
    onnxruntimeVersion: env.onnxruntimeVersion,
    dataset: datasetName(datasetPath),
    datasetHash: sha256SmallFile(datasetPath),
    items,
    metric: flags.metric,
    level: LEVEL,
    maxRegression,
    sides: { a: side(a, classifierA), b: side(b, classifierB) },
  };
  context.sides.a.modelSha256 = await sha256File(classifierA.model.onnxFile);
  context.sides.b.modelSha256 = await sha256File(classifierB.model.onnxFile);
  const file = join(outDir, `ab-${a.name}-vs-${b.name}-${env.hostname}-${fileStamp(env.timestamp)}.csv`);

  const runner = new AbRunner({ classifier: classifierA, template: a.template, pairsPerRun: a.pairsPerRun }, { classifier: classifierB, template: b.template, pairsPerRun: b.pairsPerRun });
  runner.on('resolved', (resolved) => {
    for (const [name, value] of Object.entries(resolved)) {
      const sideContext = context.sides[name as 'a' | 'b'];
      if (sideContext.pairsPerRun === 'auto') sideContext.pairsPerRun = `auto: ${value ?? 'all'}`;
    }
  });
  const comparisons: AbComparison[] = [];
  runner.on('labelCount', (measurement: AbLabelCount) => {
    comparisons.push(compareAbPasses(measurement.labelCount, measurement.passes, settings));
    // Rewritten atomically after each label count: Ctrl-C keeps the finished ones.
    writeFileAtomic(file, formatAbCsv(comparisons, context));
    if (!json) io.err(`${io.errStyle.dim(`labels ${measurement.labelCount}: ${measurement.passes.length} passes done`)}\n`);
  });
  let outcome;
  try {
    outcome = await withInterrupt((signal) =>
      runner.run({ items: selectItems(dataset, items), labelCounts, labelPool: a.labelPool, pairs, warmup: Math.max(a.warmup, b.warmup), seed: DEFAULT_SEED }, signal),
    );
  } finally {
    await classifierA.dispose();
    await classifierB.dispose();
  }
  const regressions = comparisons.filter((comparison) => comparison.verdict === 'regression').length;
  if (json) {
    io.out(`${JSON.stringify({ state: outcome.state, file: comparisons.length > 0 ? file : null, a: context.sides.a, b: context.sides.b, settings, comparisons, result: regressions > 0 ? 'regression' : 'pass' }, null, 2)}\n`);
  } else if (comparisons.length > 0) {
    io.out(formatAbTable({ a: a.name, b: b.name, metric: flags.metric, level: LEVEL, maxRegression, comparisons }, io.outStyle));
    io.err(`${io.errStyle.dim(`results: ${file}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted at ${outcome.abortedAt} labels: kept ${comparisons.length} completed label count(s)${comparisons.length > 0 ? ` in ${file}` : ''}\n`);
    return EXIT.interrupted;
  }
  return regressions > 0 ? EXIT.regression : EXIT.ok;
}
