/**
 * One benchmark run, as `zsc-bench run` and the library's `benchmark()` do it: open (the
 * environment, the model, the peak probe, the peak-RSS reset, the load, where the model ran),
 * then the stages calibrate, sweep, offline and parity (stages.ts), writing the result files
 * after each label count. It reports through events and returns rows; it never prints.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { openPairEncoder, type Classifier } from '../core/classifier.js';
import { describeActualProvider, formatShares, placementWarning, type ProviderPlacement } from '../core/placement.js';
import type { Fallback, SessionSettings } from '../core/session.js';
import { ProviderUnavailableError, refuseMissingProviders, SESSION_DEFAULTS } from '../core/session.js';
import { currentRssBytes, resetPeakRss } from '../env/memory.js';
import { HardwareMonitor } from '../env/monitor.js';
import { describeProbeMachine, measurementSource } from '../env/machine-state.js';
import { toolVersion } from '../env/package.js';
import { captureEnvironment, type EnvironmentSnapshot } from '../env/snapshot.js';
import { datasetName, readDataset, resolveDataset } from '../io/dataset.js';
import { sha256File, sha256SmallFile } from '../io/hash.js';
import { parityReferenceDir } from '../model-store/parity-reference.js';
import { loadClassifier, resolveModelDir } from '../model-store/source.js';
import { MODEL_FILE_BY_PRECISION } from '../models/precision.js';
import { platformMismatches } from '../profiles/platform.js';
import { profileHash, type Profile } from '../profiles/profile.js';
import { formatSavedProfile, type RunCommand } from '../profiles/saved-profile.js';
import { checkProfileThreads, profileThreadsNote, sessionSettingsOf } from '../profiles/session-settings.js';
import { RESULT_SCHEMA_VERSION } from '../schema/results.js';
import { DEFAULT_SEED } from '../stats/random.js';
import { labelSet } from './label-sets.js';
import { pairsCalibrationCacheFile, type PairsCalibration } from './pairs-calibration.js';
import { measureParity } from './parity.js';
import { peakCacheFile, probePeak, type PeakProbe } from './peak-probe.js';
import { ResultFiles, resultStem } from '../io/result-files.js';
import { formatSamplesCsv, formatSummaryCsv, RUN_FILES } from './results-csv.js';
import { BenchmarkRunner, type LabelCountMeasurement, type RunnerEvents, type RunPlan } from './runner.js';
import { mergeMeasurements, runChild, splitRepeats, type ChildSpec, type ProcessResult } from './processes.js';
import { runStages, type Stage, type StageName } from './stages.js';
import { summaryRows, type RunContext, type SummaryRow } from './summary.js';
import { readRerunHistory } from './rerun-history.js';
import { requireHypothesesFit, selectItems, requireWorkloadFits, type BenchItem } from './workload.js';

/** The peak_probe cell: what ran, when, and the machine while it ran when recorded. */
function describePeak(peak: PeakProbe): string {
  return `${peak.description}, ${peak.measuredAt.slice(0, 10)}${peak.machine === undefined ? '' : `, ${describeProbeMachine(peak.machine)}`}`;
}

/** Texts per padded batch in the int8 batch-composition check: the offline scenario's largest default batch. */
const PARITY_BATCH_ITEMS = 8;

/** Where a run's files are: summary, samples and the saved profile. */
export type RunFilePaths = Readonly<Record<keyof typeof RUN_FILES, string>>;

export interface BenchmarkSpec {
  /** The profile as it runs: overrides already applied. */
  profile: Profile;
  /** Results folder; undefined: rows and events only, no files. */
  outDir?: string;
  /** Where the earlier runs of the same command are read from for the rerun columns (default: outDir). */
  historyDir?: string;
  allowFallback?: boolean;
  /** The fp32 folder to compare an fp16/int8 run with; undefined: the run's own fp32 file when present; false: no parity stage. */
  parityReference?: string | false;
  /** The command line saved with the profile (default: the profile alone). */
  command?: RunCommand;
  /** Why the thread count is what it is, when the caller set it (the CLI: `--threads`). */
  threadsReason?: string;
  /** How errors name the model value (the CLI: `--model`). */
  modelLabel?: string;
  /** Caches of the peak probe and the `auto` calibration (default: beside the built models). */
  peakCacheFile?: string;
  calibrationCacheFile?: string;
  /** false: no hardware monitor (the CLI: `--no-monitor`), for measuring what the monitor costs. */
  monitor?: boolean;
  /** Measure the peak probe and the `auto` calibration afresh, ignoring their caches (the CLI: `--reprobe`). */
  reprobe?: boolean;
  /**
   * Spread the passes over `profile.processes` fresh child processes (processes.ts); the CLI
   * does. False or absent: every pass in this process (the library's benchmark()).
   */
  spreadOverProcesses?: boolean;
}

/** A child process that did not complete: its passes are not in the results. */
export interface ProcessFailure {
  process: number;
  reason: string;
}

/** What the user must be told about the run, as facts: the command or the library words them. */
export type RunNote =
  | { kind: 'peak'; peak: PeakProbe }
  /** MFU came out above 100% with `before`: the probe ran again after the sweep. */
  | { kind: 'reprobed'; before: PeakProbe; after: PeakProbe; maxMfuPercent: number }
  | { kind: 'no-peak'; reason: string }
  | { kind: 'rss-not-reset' }
  | { kind: 'platform'; text: string }
  | { kind: 'fallback'; fallback: Fallback }
  | { kind: 'synthetic'; model: Classifier['model'] }
  | { kind: 'placement'; text: string }
  | { kind: 'calibrated'; calibration: PairsCalibration }
  | { kind: 'processes'; processes: number; passes: readonly number[] }
  | { kind: 'process-failed'; failure: ProcessFailure; processes: number }
  | { kind: 'parity'; reference: string; synthetic: boolean };

export interface BenchmarkEvents {
  /** A model being built or downloaded (it can take minutes). */
  model: [string];
  note: [RunNote];
  /** The plan, as measuring starts: label counts, items, repeats. */
  plan: [RunPlan];
  stage: [{ stage: StageName; state: 'started' | 'ended' }];
  progress: RunnerEvents['progress'];
  offlineProgress: RunnerEvents['offlineProgress'];
  parityProgress: [{ pairsDone: number; pairsTotal: number }];
  labelCount: [LabelCountMeasurement];
  /** The result files were (re)written. */
  written: [RunFilePaths];
}

/** `failedProcesses`: child processes that crashed (their passes are missing: the run is incomplete). */
export type BenchmarkOutcome =
  | { state: 'completed'; rows: SummaryRow[]; files: RunFilePaths | undefined; failedProcesses: ProcessFailure[] }
  | { state: 'aborted'; stage: StageName; abortedAt: number; rows: SummaryRow[]; files: RunFilePaths | undefined; failedProcesses: ProcessFailure[] };

interface Opened {
  env: EnvironmentSnapshot;
  /** The probe whose peak the MFU uses (undefined: none, or one of another provider or thread count). */
  peak: PeakProbe | undefined;
  modelDir: string;
  classifier: Classifier;
  settings: SessionSettings;
  parityReference: string | undefined;
  plan: RunPlan;
  context: Omit<RunContext, 'firstInferenceMs'>;
}

/** Checked before anything runs: the dataset reads, the items exist, the sweep fits the label pool. */
function readWorkload(profile: Profile): { datasetPath: string; items: BenchItem[] } {
  const datasetPath = resolveDataset(profile.dataset);
  const dataset = readDataset(datasetPath);
  requireWorkloadFits({ items: profile.items, labelCounts: profile.labelCounts, profile, datasetPath, datasetSize: dataset.length });
  return { datasetPath, items: selectItems(dataset, profile.items) };
}

export class Benchmark extends EventEmitter<BenchmarkEvents> {
  private readonly workload: { datasetPath: string; items: BenchItem[] };
  private opened: Opened | undefined;

  /** Validates the workload at once: a bad dataset or sweep is refused before any model loads. */
  constructor(private readonly spec: BenchmarkSpec) {
    super();
    this.workload = readWorkload(spec.profile);
    checkProfileThreads(spec.profile);
    // Before any model is built (fp16 a10g: 205 MB): a provider that cannot load here ends the run now.
    if (spec.allowFallback !== true) refuseMissingProviders(spec.profile.executionProviders);
  }

  /** Opens and measures (the library's one call; the CLI opens first, so Ctrl-C during start-up exits at once). */
  async run(signal: AbortSignal = new AbortController().signal): Promise<BenchmarkOutcome> {
    await this.open();
    return this.measure(signal);
  }

  /** The open stage: environment, model (built when needed), peak probe, RSS reset, load, placement. */
  async open(): Promise<void> {
    const { profile } = this.spec;
    this.emit('stage', { stage: 'open', state: 'started' });
    const threads = profileThreadsNote(profile);
    if (threads !== undefined) this.emit('note', { kind: 'platform', text: threads });
    const env = await captureEnvironment(toolVersion());
    const modelDir = await resolveModelDir(profile.model, profile.precision, (message) => this.emit('model', message), this.spec.modelLabel);
    const settings = sessionSettingsOf(profile, this.spec.allowFallback === true);
    const parityReference = this.spec.parityReference === false ? undefined : parityReferenceDir(modelDir, profile.precision, this.spec.parityReference);
    requireHypothesesFit(openPairEncoder(modelDir, profile.precision), profile, this.workload.items[0]?.text ?? '');
    // The peak probe runs before the model loads and before the peak-RSS reset: its memory and warm caches stay out of the figures.
    const peak = await this.measurePeak(settings);
    if (!resetPeakRss()) this.emit('note', { kind: 'rss-not-reset' });
    const loadStarted = performance.now();
    const classifier = await loadClassifier({ model: modelDir, precision: profile.precision, ...settings });
    const modelLoadMs = performance.now() - loadStarted;
    const rssAfterLoadBytes = currentRssBytes();
    // Said once the model loaded, so a refused provider stays a one-line error.
    const mismatches = platformMismatches(profile, env);
    for (const text of mismatches) this.emit('note', { kind: 'platform', text });
    if (classifier.fallback !== undefined) this.emit('note', { kind: 'fallback', fallback: classifier.fallback });
    if (classifier.model.synthetic) this.emit('note', { kind: 'synthetic', model: classifier.model });
    const { items } = this.workload;
    const placement = await this.measurePlacement(classifier, items);
    const plan: RunPlan = {
      items,
      labelCounts: profile.labelCounts,
      labelPool: profile.labelPool,
      repeats: profile.repeats,
      warmup: profile.warmup,
      template: profile.template,
      pairsPerRun: profile.pairsPerRun,
      calibrationCacheFile: this.spec.calibrationCacheFile ?? pairsCalibrationCacheFile(),
      recalibrate: this.spec.reprobe === true,
      seed: DEFAULT_SEED,
      offlineBatchSizes: profile.scenario === 'offline' ? profile.offlineBatchSizes : [],
      measureGpuMemory: classifier.provider.includes('cuda') || classifier.provider.includes('tensorrt'),
    };
    // A probe on another provider or thread count (a fallback) says nothing about this run's peak.
    const usedPeak = peak !== undefined && peak.provider === classifier.provider && peak.intraOpThreads === classifier.intraOpThreads ? peak : undefined;
    const { hostname, cpuPhysicalCores: _physical, ...machine } = env;
    const { datasetPath } = this.workload;
    const context: Opened['context'] = {
      ...machine,
      schemaVersion: RESULT_SCHEMA_VERSION,
      profile: profile.name,
      profileHash: profileHash(profile),
      host: hostname,
      requestedProvider: classifier.requestedProvider,
      actualProvider: describeActualProvider(classifier.provider, placement),
      providerTimeShares: placement === undefined ? '' : formatShares(placement, 'time'),
      providerNodeShares: placement === undefined ? '' : formatShares(placement, 'nodes'),
      fallback: classifier.fallback !== undefined,
      fallbackReason: classifier.fallback?.reason ?? '',
      precision: profile.precision,
      modelId: classifier.model.synthetic ? `synthetic:${classifier.model.arch ?? 'unknown'}` : (profile.model ?? modelDir),
      modelSha256: await sha256File(classifier.model.onnxFile),
      synthetic: classifier.model.synthetic,
      dataset: datasetName(datasetPath),
      datasetHash: sha256SmallFile(datasetPath),
      scenario: profile.scenario === 'offline' ? 'single-stream+offline' : 'single-stream',
      pairsPerRunSetting: String(profile.pairsPerRun),
      pairsPerRunResolved: profile.pairsPerRun === 'all' || profile.pairsPerRun === 'auto' ? undefined : profile.pairsPerRun,
      pairsPerRunCalibration: '',
      pairsPerRunCalibrationSource: '',
      template: profile.template,
      intraOpThreads: classifier.intraOpThreads,
      threadsReason: this.spec.threadsReason ?? (profile.intraOpThreads !== undefined ? 'profile' : classifier.threadsReason),
      labelPool: profile.labelPool.join('|'),
      interOpThreads: profile.interOpThreads,
      graphOptimizationLevel: profile.graphOptimizationLevel,
      executionMode: profile.executionMode ?? SESSION_DEFAULTS.executionMode,
      prepacking: profile.prepacking ?? SESSION_DEFAULTS.prepacking,
      cpuMemArena: profile.cpuMemArena ?? SESSION_DEFAULTS.cpuMemArena,
      memPattern: profile.memPattern ?? SESSION_DEFAULTS.memPattern,
      items: items.length,
      repeats: profile.repeats,
      warmup: profile.warmup,
      platformMatch: mismatches.length === 0,
      costPerHour: profile.costPerHour,
      modelLoadMs,
      rssAfterLoadBytes,
      peakGflopPerS: usedPeak?.gflopPerS,
      peakProbe: usedPeak === undefined ? '' : describePeak(usedPeak),
      peakProbeSource: usedPeak === undefined ? '' : measurementSource(usedPeak),
      parity: [],
      parityReference: '',
      monitor: this.spec.monitor === false ? 'off' : 'on',
      monitorSources: '',
      processes: 1,
      processesFailed: '',
      coldStartMsMean: Number.NaN,
      coldStartsMs: '',
    };
    this.opened = { env, peak: usedPeak, modelDir, classifier, settings, parityReference, plan, context };
    this.emit('stage', { stage: 'open', state: 'ended' });
  }

  /**
   * The stages after open: calibrate, sweep, offline, parity. Ctrl-C (the signal) stops the
   * stage in progress; the label counts that completed are kept in the files and the rows.
   */
  async measure(signal: AbortSignal): Promise<BenchmarkOutcome> {
    const opened = this.opened;
    if (opened === undefined) throw new Error('Benchmark.measure() before open()');
    const { classifier, plan, env } = opened;
    this.emit('plan', plan);
    let context = opened.context;
    const runner = new BenchmarkRunner(classifier);
    const { profile } = this.spec;
    const command = this.spec.command ?? { profile: profile.name, flags: {} };
    // Written after every label count: an interrupted run keeps what it finished.
    const files = this.spec.outDir === undefined ? undefined : new ResultFiles(resultStem(this.spec.outDir, [profile.name, env.hostname], env.timestamp), RUN_FILES);
    const monitor = new HardwareMonitor();
    let rows: SummaryRow[] = [];
    const shares = this.spec.spreadOverProcesses === true ? splitRepeats(profile.repeats, profile.processes ?? 1) : [profile.repeats];
    const completed: ProcessResult[] = [];
    const failures: ProcessFailure[] = [];
    const meanOf = (value: (result: ProcessResult) => number) => (completed.length === 0 ? Number.NaN : completed.reduce((sum, result) => sum + value(result), 0) / completed.length);
    // With several processes the cold start and memory after load are the children's (the figures' own processes), not this one's.
    const processColumns = () =>
      shares.length === 1
        ? { firstInferenceMs: runner.firstInferenceMs, processes: 1, processesFailed: '', coldStartMsMean: context.modelLoadMs + runner.firstInferenceMs, coldStartsMs: '' }
        : {
            modelLoadMs: meanOf((result) => result.modelLoadMs),
            firstInferenceMs: meanOf((result) => result.firstInferenceMs),
            rssAfterLoadBytes: completed.length === 0 ? Number.NaN : Math.max(...completed.map((result) => result.rssAfterLoadBytes)),
            processes: completed.length,
            processesFailed: failures.map((failure) => `${failure.process}: ${failure.reason}`).join('; '),
            coldStartMsMean: meanOf((result) => result.modelLoadMs + result.firstInferenceMs),
            coldStartsMs: completed.map((result) => `${result.process}:${(result.modelLoadMs + result.firstInferenceMs).toFixed(0)}`).join(' '),
          };
    // Read before this run writes anything: the earlier runs of the same command in its folder.
    const historyDir = this.spec.historyDir ?? this.spec.outDir;
    const history = historyDir === undefined ? new Map() : readRerunHistory(historyDir, context);
    const persist = () => {
      rows = summaryRows({ ...context, ...processColumns() }, runner.measurements, history);
      if (files === undefined) return;
      const samples = formatSamplesCsv(runner.measurements.flatMap((measurement) => measurement.samples), { profile: profile.name, host: env.hostname, timestamp: env.timestamp, actualProvider: classifier.provider, precision: profile.precision });
      files.write({ summary: formatSummaryCsv(rows), samples, profile: (paths) => formatSavedProfile(profile, { summary: paths.summary, command }) });
      this.emit('written', files.paths);
    };
    runner.on('progress', (state) => this.emit('progress', state));
    runner.on('offlineProgress', (state) => this.emit('offlineProgress', state));
    runner.on('calibrated', (calibration) => {
      const perPair = Object.entries(calibration.perPairMs).map(([size, ms]) => `${size}:${ms.toFixed(1)}`).join(' ');
      context = { ...context, pairsPerRunResolved: calibration.pairsPerRun, pairsPerRunCalibration: perPair, pairsPerRunCalibrationSource: measurementSource(calibration) };
      this.emit('note', { kind: 'calibrated', calibration });
    });
    runner.on('labelCount', (measurement) => {
      measurement.hardware = monitor.between(measurement.startedAtMs, measurement.endedAtMs);
      persist();
      this.emit('labelCount', measurement);
    });
    runner.on('offline', () => persist());

    // With several processes the sweep runs in children, one after another; what happens once (the
    // cold start and calibration above, the offline scenario and parity below) stays here.
    const sweepInProcesses: Stage = {
      name: 'sweep',
      run: async (signal) => {
        this.emit('note', { kind: 'processes', processes: shares.length, passes: shares });
        const childPlans = shares.map((repeats): RunPlan => {
          const { calibrationCacheFile: _cache, ...rest } = plan;
          return { ...rest, repeats, pairsPerRun: runner.pairsPerRun ?? 'all', offlineBatchSizes: [] };
        });
        const perCount = plan.items.length * plan.repeats;
        const pairsTotal = childPlans.reduce((sum, childPlan) => sum + runner.pairsTotal(childPlan), 0);
        const base = { perCount: new Map<number, number>(), overall: 0, pairs: 0 };
        let firstPass = 0;
        for (const [index, childPlan] of childPlans.entries()) {
          const spec: ChildSpec = { modelDir: opened.modelDir, precision: profile.precision, settings: { ...opened.settings, intraOpThreads: classifier.intraOpThreads }, plan: childPlan, process: index + 1, firstPass };
          const outcome = await runChild(
            spec,
            (message) => {
              if (message.kind !== 'progress') return;
              const { state } = message;
              this.emit('progress', {
                labelCount: state.labelCount,
                done: (base.perCount.get(state.labelCount) ?? 0) + state.done,
                total: perCount,
                overallDone: base.overall + state.overallDone,
                overallTotal: perCount * plan.labelCounts.length,
                pairsDone: base.pairs + state.pairsDone,
                pairsTotal,
              });
            },
            signal,
          );
          signal.throwIfAborted();
          firstPass += childPlan.repeats;
          const childPerCount = childPlan.items.length * childPlan.repeats;
          for (const count of plan.labelCounts) base.perCount.set(count, (base.perCount.get(count) ?? 0) + childPerCount);
          base.overall += childPerCount * plan.labelCounts.length;
          base.pairs += runner.pairsTotal(childPlan);
          if (outcome.state === 'failed') {
            failures.push({ process: outcome.process, reason: outcome.reason });
            this.emit('note', { kind: 'process-failed', failure: { process: outcome.process, reason: outcome.reason }, processes: shares.length });
            if (runner.measurements.length > 0) persist();
            continue;
          }
          if (outcome.state !== 'completed') continue;
          for (const measurement of outcome.result.measurements) measurement.hardware = monitor.between(measurement.startedAtMs, measurement.endedAtMs);
          completed.push(outcome.result);
          runner.measurements.splice(0, runner.measurements.length, ...mergeMeasurements(completed));
          persist();
          // Cumulative: each label count as merged so far (`labels 3: 20 samples` after two processes of 10).
          for (const measurement of runner.measurements) this.emit('labelCount', measurement);
        }
      },
    };

    const parityReference = opened.parityReference;
    if (context.monitor === 'on') {
      await monitor.start();
      context = { ...context, monitorSources: monitor.describeSources() };
    }
    let outcome;
    try {
      outcome = await runStages(
        [
          ...runner.stages(plan).map((stage) => (stage.name === 'sweep' && shares.length > 1 ? sweepInProcesses : stage)),
          {
            name: 'parity',
            enabled: () => parityReference !== undefined,
            run: async (stageSignal) => {
              if (parityReference === undefined) return;
              const referenceFile = join(parityReference, 'onnx', MODEL_FILE_BY_PRECISION.fp32);
              this.emit('note', { kind: 'parity', reference: referenceFile, synthetic: classifier.model.synthetic });
              const parity = await measureParity(
                classifier,
                () => loadClassifier({ model: parityReference, precision: 'fp32', ...opened.settings, intraOpThreads: classifier.intraOpThreads }),
                {
                  items: plan.items,
                  labelCounts: runner.measurements.map((measurement) => measurement.labelCount),
                  labelPool: plan.labelPool,
                  template: plan.template,
                  seed: plan.seed,
                  pairsPerRun: runner.pairsPerRun,
                  batchItems: PARITY_BATCH_ITEMS,
                  signal: stageSignal,
                  onProgress: (pairsDone, pairsTotal) => this.emit('parityProgress', { pairsDone, pairsTotal }),
                },
              );
              context = { ...context, parity, parityReference: referenceFile };
            },
          },
        ],
        signal,
        (event) => this.emit('stage', event),
      );
    } finally {
      await monitor.stop();
      await classifier.dispose();
    }
    if (outcome.state === 'completed' && opened.peak !== undefined) {
      const reprobed = await this.reprobeIfBeaten(opened.peak, rows);
      if (reprobed !== undefined) context = { ...context, ...reprobed };
    }
    if (runner.measurements.length > 0) persist();
    const written = runner.measurements.length > 0 ? files?.paths : undefined;
    return outcome.state === 'completed'
      ? { state: 'completed', rows, files: written, failedProcesses: failures }
      : { state: 'aborted', stage: outcome.stage, abortedAt: runner.labelCountInProgress, rows, files: written, failedProcesses: failures };
  }

  /**
   * A run faster than its peak: the probe ran on a busier moment (or is cached from one). It runs
   * again, afresh, now the model is released; the higher of the two peaks is used and the row's
   * peak_probe_source says so. Returns the new peak columns, or undefined when MFU was not above 100%.
   */
  private async reprobeIfBeaten(peak: PeakProbe, rows: readonly SummaryRow[]): Promise<Pick<RunContext, 'peakGflopPerS' | 'peakProbe' | 'peakProbeSource'> | undefined> {
    const maxMfuPercent = Math.max(...rows.map((row) => row.mfuPercent).filter(Number.isFinite));
    if (!(maxMfuPercent > 100)) return undefined;
    const opened = this.opened;
    if (opened === undefined) return undefined;
    let after: PeakProbe;
    try {
      after = await probePeak(this.spec.profile.precision, { ...opened.settings, intraOpThreads: peak.intraOpThreads }, { cacheFile: this.spec.peakCacheFile ?? peakCacheFile(), fresh: true });
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      this.emit('note', { kind: 'no-peak', reason: `probing again after MFU ${maxMfuPercent.toFixed(0)}% failed: ${error.message.split('\n')[0] ?? ''}` });
      return undefined;
    }
    this.emit('note', { kind: 'reprobed', before: peak, after, maxMfuPercent });
    const best = after.gflopPerS > peak.gflopPerS ? after : peak;
    const source = measurementSource(peak);
    return { peakGflopPerS: best.gflopPerS, peakProbe: describePeak(best), peakProbeSource: `${source}, re-probed` };
  }

  /** The MatMul peak for MFU (cached per host); a probe that cannot run leaves MFU empty, with a note. */
  private async measurePeak(settings: SessionSettings): Promise<PeakProbe | undefined> {
    try {
      const peak = await probePeak(this.spec.profile.precision, settings, { cacheFile: this.spec.peakCacheFile ?? peakCacheFile(), fresh: this.spec.reprobe === true });
      this.emit('note', { kind: 'peak', peak });
      return peak;
    } catch (error) {
      if (error instanceof ProviderUnavailableError) throw error;
      this.emit('note', { kind: 'no-peak', reason: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) });
      return undefined;
    }
  }

  /**
   * One profiled classification after load (a separate profiled session, so the measured one is
   * untouched): which execution provider ran how much. A failure to profile is a note, not the
   * end of the benchmark.
   */
  private async measurePlacement(classifier: Classifier, items: readonly BenchItem[]): Promise<ProviderPlacement | undefined> {
    const { profile } = this.spec;
    const item = items[0];
    if (item === undefined) return undefined;
    let placement: ProviderPlacement;
    try {
      placement = await classifier.profilePlacement(item.text, labelSet(item.label, profile.labelPool, Math.min(...profile.labelCounts), item.id, DEFAULT_SEED), profile.template);
    } catch (error) {
      this.emit('note', { kind: 'placement', text: `could not profile where the model ran (${error instanceof Error ? error.message : String(error)}); provider shares left empty` });
      return undefined;
    }
    const warning = placementWarning(classifier.provider, placement);
    if (warning !== undefined) this.emit('note', { kind: 'placement', text: warning });
    return placement;
  }
}

