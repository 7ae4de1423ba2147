/**
 * One A/B run, as `zsc-bench ab` does it: open both sides (each as `run` opens its model), then
 * the `ab` stage (interleaved passes, runner/ab-runner.ts), comparing and writing the A/B CSV
 * after each label count. Reports through events; never prints.
 */
import { EventEmitter } from 'node:events';
import { UsageError } from '../base/errors.js';
import type { Classifier } from '../core/classifier.js';
import { missingProviderLibrary, ProviderUnavailableError, providerTitle } from '../core/session.js';
import { toolVersion } from '../env/package.js';
import { captureEnvironment } from '../env/snapshot.js';
import { ResultFiles, resultStem, SINGLE_CSV } from '../io/result-files.js';
import { datasetName, readDataset, resolveDataset } from '../io/dataset.js';
import { sha256File, sha256SmallFile } from '../io/hash.js';
import { loadClassifier } from '../model-store/source.js';
import { platformMismatches } from '../profiles/platform.js';
import { profileHash, type Profile } from '../profiles/profile.js';
import { checkProfileThreads, sessionSettingsOf } from '../profiles/session-settings.js';
import { AbRunner, type AbOutcome } from '../runner/ab-runner.js';
import { requireHypothesesFit, requireWorkloadFits, selectItems, type BenchItem } from '../runner/workload.js';
import { DEFAULT_SEED } from '../stats/random.js';
import { compareAbPasses, type AbComparison, type AbMetric } from './ab.js';
import { formatAbCsv, type AbContext } from './ab-csv.js';

/** Interval level of the ratio; its lower end is the gate's evidence. */
export const AB_LEVEL = 0.95;

export interface AbSpec {
  a: Profile;
  b: Profile;
  /** Dataset file; default: A's. */
  dataset?: string;
  items: number;
  pairs: number;
  /** Default: A's sweep. */
  labelCounts?: readonly number[];
  metric: AbMetric;
  maxRegression: number | undefined;
  outDir: string;
}

export interface AbEvents {
  model: [string];
  note: [string];
  labelCount: [{ comparison: AbComparison; passes: number }];
}

export type AbRunOutcome = { state: AbOutcome['state']; abortedAt?: number; comparisons: AbComparison[]; context: AbContext; file: string | undefined };

/** What makes two profiles the same configuration: everything but their names and descriptions. */
function configurationOf(profile: Profile): string {
  const { name: _name, description: _description, costPerHour: _cost, platform: _platform, ...rest } = profile;
  return profileHash({ ...rest, name: '', description: '', platform: {} });
}

const sides = (a: Profile, b: Profile) =>
  [
    ['--profile', a],
    ['--versus', b],
  ] as const;

export class AbBenchmark extends EventEmitter<AbEvents> {
  private readonly datasetPath: string;
  private readonly items: BenchItem[];
  readonly labelCounts: readonly number[];
  private opened: { a: Classifier; b: Classifier; context: AbContext; files: ResultFiles<'csv'> } | undefined;

  /** Refuses two equal configurations and a side whose provider cannot load here, before anything else is read. */
  static refuseSides(a: Profile, b: Profile): void {
    checkProfileThreads(a);
    checkProfileThreads(b);
    if (configurationOf(a) === configurationOf(b)) {
      throw new UsageError(`--versus: ${b.name} is the same configuration as --profile ${a.name}; ab compares two different configurations`);
    }
    for (const [flag, profile] of sides(a, b)) {
      for (const provider of profile.executionProviders) {
        const missing = missingProviderLibrary(provider);
        if (missing !== undefined) throw new UsageError(`${flag} ${profile.name}: cannot run on this machine: ${providerTitle(provider)} execution provider unavailable (${missing}); ab runs both sides here, now`);
      }
    }
  }

  /** Refuses, before anything loads, what refuseSides does and a workload that does not fit. */
  constructor(private readonly spec: AbSpec) {
    super();
    const { a } = spec;
    AbBenchmark.refuseSides(a, spec.b);
    this.labelCounts = spec.labelCounts ?? a.labelCounts;
    this.datasetPath = resolveDataset(spec.dataset ?? a.dataset);
    const dataset = readDataset(this.datasetPath);
    requireWorkloadFits({ items: spec.items, labelCounts: this.labelCounts, profile: a, datasetPath: this.datasetPath, datasetSize: dataset.length });
    this.items = selectItems(dataset, spec.items);
  }

  /** The open stage of both sides: environment, notes, each model loaded as its profile says. */
  async open(): Promise<void> {
    const { a, b } = this.spec;
    const env = await captureEnvironment(toolVersion());
    for (const profile of [a, b]) platformMismatches(profile, env).forEach((text) => this.emit('note', text));
    if (this.spec.dataset === undefined && b.dataset !== a.dataset) this.emit('note', `both sides run ${a.name}'s dataset (${a.dataset}), not ${b.name}'s`);
    if (b.labelPool.join('\u0000') !== a.labelPool.join('\u0000')) this.emit('note', `both sides draw labels from ${a.name}'s label pool`);
    const classifierA = await this.openSide(a, '--profile');
    let classifierB: Classifier;
    try {
      classifierB = await this.openSide(b, '--versus');
    } catch (error) {
      await classifierA.dispose();
      throw error;
    }
    if (classifierA.model.synthetic || classifierB.model.synthetic) this.emit('note', 'synthetic weights: latency is real, accuracy is meaningless');
    const side = async (profile: Profile, classifier: Classifier): Promise<AbContext['sides']['a']> => ({
      profile: profile.name,
      profileHash: profileHash(profile),
      precision: profile.precision,
      actualProvider: classifier.provider,
      modelId: classifier.model.synthetic ? `synthetic:${classifier.model.arch ?? 'unknown'}` : profile.model,
      modelSha256: await sha256File(classifier.model.onnxFile),
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
      dataset: datasetName(this.datasetPath),
      datasetHash: sha256SmallFile(this.datasetPath),
      items: this.spec.items,
      metric: this.spec.metric,
      level: AB_LEVEL,
      maxRegression: this.spec.maxRegression,
      sides: { a: await side(a, classifierA), b: await side(b, classifierB) },
    };
    const files = new ResultFiles(resultStem(this.spec.outDir, ['ab', a.name, 'vs', b.name, env.hostname], env.timestamp), SINGLE_CSV);
    this.opened = { a: classifierA, b: classifierB, context, files };
  }

  /** The `ab` stage: interleaved passes per label count; Ctrl-C keeps the label counts that finished. */
  async measure(signal: AbortSignal): Promise<AbRunOutcome> {
    const opened = this.opened;
    if (opened === undefined) throw new Error('AbBenchmark.measure() before open()');
    const { a, b } = this.spec;
    const { context, files } = opened;
    const runner = new AbRunner({ classifier: opened.a, template: a.template, pairsPerRun: a.pairsPerRun }, { classifier: opened.b, template: b.template, pairsPerRun: b.pairsPerRun });
    runner.on('resolved', (resolved) => {
      for (const [name, value] of Object.entries(resolved)) {
        const sideContext = context.sides[name as 'a' | 'b'];
        if (sideContext.pairsPerRun === 'auto') sideContext.pairsPerRun = `auto: ${value ?? 'all'}`;
      }
    });
    const comparisons: AbComparison[] = [];
    const settings = { metric: this.spec.metric, level: AB_LEVEL, maxRegression: this.spec.maxRegression };
    runner.on('labelCount', (measurement) => {
      const comparison = compareAbPasses(measurement.labelCount, measurement.passes, settings);
      comparisons.push(comparison);
      // Rewritten atomically after each label count: Ctrl-C keeps the finished ones.
      files.write({ csv: formatAbCsv(comparisons, context) });
      this.emit('labelCount', { comparison, passes: measurement.passes.length });
    });
    let outcome: AbOutcome;
    try {
      outcome = await runner.run({ items: this.items, labelCounts: this.labelCounts, labelPool: a.labelPool, pairs: this.spec.pairs, warmup: Math.max(a.warmup, b.warmup), seed: DEFAULT_SEED }, signal);
    } finally {
      await opened.a.dispose();
      await opened.b.dispose();
    }
    return { state: outcome.state, ...(outcome.state === 'aborted' ? { abortedAt: outcome.abortedAt } : {}), comparisons, context, file: comparisons.length > 0 ? files.paths.csv : undefined };
  }

  private async openSide(profile: Profile, flag: string): Promise<Classifier> {
    let classifier: Classifier;
    try {
      classifier = await loadClassifier({ model: profile.model, precision: profile.precision, ...sessionSettingsOf(profile, false), onProgress: (message) => this.emit('model', message) });
    } catch (error) {
      // Both sides must run here, as asked: a CPU stand-in would compare the wrong thing.
      if (error instanceof ProviderUnavailableError) {
        throw new UsageError(`${flag} ${profile.name}: cannot run on this machine: ${providerTitle(error.provider)} execution provider unavailable (${error.reason}); ab runs both sides here, now`);
      }
      throw error;
    }
    try {
      requireHypothesesFit(classifier, profile, this.items[0]?.text ?? '');
    } catch (error) {
      await classifier.dispose();
      throw error;
    }
    return classifier;
  }
}
