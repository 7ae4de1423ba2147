import { join, resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { checkThreads, parseIntegerInRange, parseList, parsePositiveNumber, parseThreads } from '../shell/parse.js';
import { BOUNDS } from '../shell/bounds.js';
import { MAX_LABELS } from '../core/labels.js';
import { BenchmarkRunner, type BenchItem, type LabelCountMeasurement, type RunPlan } from '../runner/runner.js';
import { summaryRows, type RunContext, type SummaryRow } from '../runner/summary.js';
import { checkWritable, datasetName, resolveDataset } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadClassifier, resolveModelDir } from '../model-store/source.js';
import { currentRssBytes, resetPeakRss } from '../env/memory.js';
import { toolVersion } from '../env/package.js';
import { captureEnvironment, type EnvironmentSnapshot } from '../env/snapshot.js';
import { ResultFiles, resultStem } from '../io/result-files.js';
import { sha256File, sha256SmallFile } from '../io/hash.js';
import { readDataset, type DatasetItem } from '../io/dataset.js';
import { formatSamplesCsv, formatSummaryCsv, RUN_FILES } from '../runner/results-csv.js';
import { RESULT_SCHEMA_VERSION } from '../schema/results.js';
import { loadProfile, parsePairsPerRun, parseScenario, profileHash, type Profile } from '../profiles/profile.js';
import { formatSavedProfile, type RunCommand } from '../profiles/saved-profile.js';
import { pairsCalibrationCacheFile } from '../runner/pairs-calibration.js';
import { measureParity } from '../runner/parity.js';
import { DRIFT_FLOOR_PERCENT } from '../runner/drift.js';
import { HardwareMonitor } from '../env/monitor.js';
import { parityReferenceDir } from '../model-store/parity-reference.js';
import { MODEL_FILE_BY_PRECISION, parsePrecision } from '../models/precision.js';
import { peakCacheFile, probePeak, type PeakProbe } from '../runner/peak-probe.js';
import { parseProviderList, ProviderUnavailableError, type SessionSettings } from '../core/session.js';
import { DEFAULT_PROGRESS_INTERVAL_S, ProgressReporter } from '../format/progress.js';
import { formatLabelCountDone, formatRunPlan, formatRunTables, runProgressSnapshot } from '../format/run-table.js';
import { fallbackNote, platformMismatchNotes, syntheticNote } from '../format/notes.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';
import { labelSet } from '../runner/label-sets.js';
import type { Classifier } from '../core/classifier.js';
import { describeActualProvider, formatShares, placementWarning, type ProviderPlacement } from '../core/placement.js';
import { DEFAULT_SEED } from '../stats/random.js';

export interface RunFlags {
  profile: string;
  model?: string;
  dataset?: string;
  items?: string;
  repeats?: string;
  labels?: string;
  pairsPerRun?: string;
  scenario?: string;
  parityReference?: string;
  /** Commander's --no-parity sets this false. */
  parity?: boolean;
  precision?: string;
  provider?: string;
  threads?: string;
  warmup?: string;
  progressInterval: string;
  out: string;
  allowFallback?: boolean;
  json?: boolean;
  wide?: boolean;
}

/** Texts per padded batch in the int8 batch-composition check: the offline scenario's largest default batch. */
const PARITY_BATCH_ITEMS = 8;

export const RUN_DEFAULTS = { out: 'results', progressInterval: String(DEFAULT_PROGRESS_INTERVAL_S) } as const;

function applyOverrides(profile: Profile, flags: RunFlags): Profile {
  const labelCounts = flags.labels === undefined ? profile.labelCounts : [...new Set(parseList(flags.labels, '--labels', (item, flag) => parseIntegerInRange(item, flag, 1, MAX_LABELS)))].sort((a, b) => a - b);
  return {
    ...profile,
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}),
    ...(flags.items !== undefined ? { items: parseIntegerInRange(flags.items, '--items', 1, BOUNDS.items) } : {}),
    ...(flags.repeats !== undefined ? { repeats: parseIntegerInRange(flags.repeats, '--repeats', 1, BOUNDS.repeats) } : {}),
    labelCounts,
    ...(flags.pairsPerRun !== undefined ? { pairsPerRun: parsePairsPerRun(flags.pairsPerRun, '--pairs-per-run') } : {}),
    ...(flags.scenario !== undefined ? { scenario: parseScenario(flags.scenario, '--scenario') } : {}),
    ...(flags.precision !== undefined ? { precision: parsePrecision(flags.precision, '--precision') } : {}),
    ...(flags.provider !== undefined ? { executionProviders: parseProviderList(flags.provider, '--provider') } : {}),
    ...(flags.threads !== undefined ? { intraOpThreads: parseThreads(flags.threads, '--threads') } : {}),
    ...(flags.warmup !== undefined ? { warmup: parseIntegerInRange(flags.warmup, '--warmup', 0, 1000) } : {}),
  };
}

/** The flags that shaped what ran, as given (output-only flags such as --out and --json left out), for the saved profile. */
function runCommandOf(flags: RunFlags): RunCommand {
  const given: Array<[string, string | boolean | undefined]> = [
    ['--model', flags.model],
    ['--dataset', flags.dataset],
    ['--items', flags.items],
    ['--repeats', flags.repeats],
    ['--labels', flags.labels],
    ['--warmup', flags.warmup],
    ['--precision', flags.precision],
    ['--provider', flags.provider],
    ['--threads', flags.threads],
    ['--pairs-per-run', flags.pairsPerRun],
    ['--scenario', flags.scenario],
    ['--parity-reference', flags.parityReference],
    ['--no-parity', flags.parity === false ? true : undefined],
    ['--allow-fallback', flags.allowFallback === true ? true : undefined],
  ];
  return { profile: flags.profile, flags: Object.fromEntries(given.filter((entry): entry is [string, string | boolean] => entry[1] !== undefined)) };
}

/** The items must exist in the dataset and the largest label count must fit the profile's pool. */
export function requireWorkloadFits(workload: { items: number; labelCounts: readonly number[]; profile: Pick<Profile, 'name' | 'labelPool'>; datasetPath: string; datasetSize: number }): void {
  if (workload.items > workload.datasetSize) {
    throw new UsageError(`--items: ${workload.items} exceeds the ${workload.datasetSize} items in ${workload.datasetPath}`);
  }
  const largest = Math.max(...workload.labelCounts);
  if (largest > workload.profile.labelPool.length) {
    throw new UsageError(`--labels: ${largest} labels exceed the label pool of profile ${workload.profile.name} (${workload.profile.labelPool.length} labels)`);
  }
}

/** Takes items round-robin across labels, so a small --items still covers every category. */
export function selectItems(dataset: readonly DatasetItem[], count: number): DatasetItem[] {
  const byLabel = new Map<string, DatasetItem[]>();
  for (const item of dataset) byLabel.set(item.label, [...(byLabel.get(item.label) ?? []), item]);
  const queues = [...byLabel.values()];
  const selected: DatasetItem[] = [];
  for (let round = 0; selected.length < count; round += 1) {
    for (const queue of queues) {
      const item = queue[round];
      if (item !== undefined && selected.length < count) selected.push(item);
    }
  }
  return selected;
}

/** The MatMul peak for MFU (cached per host); a probe that cannot run leaves MFU empty, with a note. */
async function measurePeak(precision: Profile['precision'], settings: SessionSettings, note: (text: string) => void): Promise<PeakProbe | undefined> {
  try {
    const peak = await probePeak(precision, settings, { cacheFile: peakCacheFile() });
    note(`peak ${peak.gflopPerS.toFixed(1)} GFLOP/s (${peak.description}; ${peak.cached ? `measured ${peak.measuredAt.slice(0, 10)}, cached` : 'measured now'})`);
    return peak;
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw error;
    note(`no peak probe, so no MFU: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return undefined;
  }
}

/** Does this machine look like the one the profile was written for? Mismatches are reported, not fatal. */
export function platformMismatches(profile: Profile, env: Pick<EnvironmentSnapshot, 'arch' | 'gpuModel'>): string[] {
  return platformMismatchNotes({ profile: profile.name, expectedArch: profile.platform.arch, expectedGpuPattern: profile.platform.gpuNamePattern }, env);
}

/**
 * One profiled classification after load (a separate profiled session, so the measured one is
 * untouched): which execution provider ran how much. A failure to profile is a note, not the
 * end of the benchmark.
 */
async function measurePlacement(classifier: Classifier, items: readonly BenchItem[], profile: Profile, note: (text: string) => void): Promise<ProviderPlacement | undefined> {
  const item = items[0];
  const count = Math.min(...profile.labelCounts);
  if (item === undefined) return undefined;
  let placement: ProviderPlacement;
  try {
    placement = await classifier.profilePlacement(item.text, labelSet(item.label, profile.labelPool, count, item.id, DEFAULT_SEED), profile.template);
  } catch (error) {
    note(`could not profile where the model ran (${error instanceof Error ? error.message : String(error)}); provider shares left empty`);
    return undefined;
  }
  const warning = placementWarning(classifier.provider, placement);
  if (warning !== undefined) note(warning);
  return placement;
}

export async function runCommand(flags: RunFlags, io: Io): Promise<ExitCode> {
  const profile = applyOverrides(loadProfile(flags.profile), flags);
  const datasetPath = resolveDataset(profile.dataset);
  const dataset = readDataset(datasetPath);
  requireWorkloadFits({ items: profile.items, labelCounts: profile.labelCounts, profile, datasetPath, datasetSize: dataset.length });
  checkThreads(profile.intraOpThreads, `profile ${profile.name}: field "intraOpThreads"`);
  checkThreads(profile.interOpThreads, `profile ${profile.name}: field "interOpThreads"`);
  const outDir = resolve(flags.out);
  if (flags.parityReference !== undefined && flags.parity === false) throw new UsageError('--parity-reference and --no-parity contradict each other; pass one');
  checkWritable(outDir);
  const json = flags.json === true;
  const progressIntervalS = parsePositiveNumber(flags.progressInterval, '--progress-interval');
  const note = (text: string) => {
    if (!json) io.err(`${io.errStyle.yellow(`note: ${text}`)}\n`);
  };

  const env = await captureEnvironment(toolVersion());
  const mismatches = platformMismatches(profile, env);

  // Building or downloading a model can take a while: said on stderr even with --json.
  const modelDir = await resolveModelDir(profile.model, profile.precision, (message) => io.err(`${io.errStyle.dim(message)}\n`), '--model');
  // The peak probe runs before the model loads and before the peak-RSS reset: its memory and warm caches stay out of the figures.
  const sessionSettings = {
    providers: profile.executionProviders,
    providerOptions: profile.providerOptions,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    allowFallback: flags.allowFallback === true,
    ...(profile.intraOpThreads !== undefined ? { intraOpThreads: profile.intraOpThreads } : {}),
    ...(profile.interOpThreads !== undefined ? { interOpThreads: profile.interOpThreads } : {}),
  };
  const parityReference = flags.parity === false ? undefined : parityReferenceDir(modelDir, profile.precision, flags.parityReference);
  const peak = await measurePeak(profile.precision, sessionSettings, note);
  if (!resetPeakRss()) note('could not reset the peak-RSS mark: peak memory may include building the model');
  const loadStarted = performance.now();
  const classifier = await loadClassifier({ model: modelDir, precision: profile.precision, ...sessionSettings });
  const modelLoadMs = performance.now() - loadStarted;
  const rssAfterLoadBytes = currentRssBytes();
  // Printed once the model loaded, so a refused provider stays a one-line error.
  mismatches.forEach(note);
  if (classifier.fallback !== undefined) note(fallbackNote(classifier.fallback));
  const synthetic = syntheticNote(classifier.model);
  if (synthetic !== undefined) note(synthetic);

  const command = runCommandOf(flags);
  const files = new ResultFiles(resultStem(outDir, [profile.name, env.hostname], env.timestamp), RUN_FILES);
  const items: BenchItem[] = selectItems(dataset, profile.items);
  const placement = await measurePlacement(classifier, items, profile, note);
  const plan: RunPlan = {
    items,
    labelCounts: profile.labelCounts,
    labelPool: profile.labelPool,
    repeats: profile.repeats,
    warmup: profile.warmup,
    template: profile.template,
    pairsPerRun: profile.pairsPerRun,
    calibrationCacheFile: pairsCalibrationCacheFile(),
    seed: DEFAULT_SEED,
    offlineBatchSizes: profile.scenario === 'offline' ? profile.offlineBatchSizes : [],
    measureGpuMemory: classifier.provider.includes('cuda') || classifier.provider.includes('tensorrt'),
  };
  const { hostname, cpuPhysicalCores: _physical, ...machine } = env;
  let context: Omit<RunContext, 'firstInferenceMs'> = {
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
    template: profile.template,
    intraOpThreads: classifier.intraOpThreads,
    threadsReason: flags.threads !== undefined ? '--threads' : profile.intraOpThreads !== undefined ? 'profile' : classifier.threadsReason,
    labelPool: profile.labelPool.join('|'),
    interOpThreads: profile.interOpThreads,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    items: items.length,
    repeats: profile.repeats,
    warmup: profile.warmup,
    platformMatch: mismatches.length === 0,
    costPerHour: profile.costPerHour,
    modelLoadMs,
    rssAfterLoadBytes,
    // A probe on another provider or thread count (a fallback) says nothing about this run's peak.
    peakGflopPerS: peak !== undefined && peak.provider === classifier.provider && peak.intraOpThreads === classifier.intraOpThreads ? peak.gflopPerS : undefined,
    peakProbe: peak === undefined ? '' : `${peak.description}, ${peak.measuredAt.slice(0, 10)}`,
    parity: [],
    parityReference: '',
  };

  const runner = new BenchmarkRunner(classifier);
  const progress = json ? undefined : new ProgressReporter(io.err, io.errIsTTY, io.errStyle, { intervalMs: progressIntervalS * 1000 });
  const done: LabelCountMeasurement[] = [];
  let rows: SummaryRow[] = [];
  let firstInferenceMs = Number.NaN;
  const persist = () => {
    rows = summaryRows({ ...context, firstInferenceMs }, done);
    const summary = formatSummaryCsv(rows);
    const samples = formatSamplesCsv(done.flatMap((measurement) => measurement.samples), {
      profile: profile.name,
      host: env.hostname,
      timestamp: env.timestamp,
      actualProvider: classifier.provider,
      precision: profile.precision,
    });
    // Written after every label count: an interrupted run keeps what it finished. The resolved
    // profile goes with the first write only: it never changes.
    files.write({ summary, samples, profile: (paths) => formatSavedProfile(profile, { summary: paths.summary, command }) });
  };
  if (progress !== undefined) {
    progress.line(io.errStyle.dim(formatRunPlan(plan)));
    runner.on('progress', (state) => progress.update(runProgressSnapshot(state)));
  }
  runner.on('labelCount', (measurement) => {
    measurement.hardware = monitor.between(measurement.startedAtMs, measurement.endedAtMs);
    done.push(measurement);
    persist();
    progress?.line(io.errStyle.dim(formatLabelCountDone(measurement, progress.elapsedMs())));
  });
  runner.on('coldStart', (ms) => (firstInferenceMs = ms));
  runner.on('offline', () => persist());
  let offlineStarted = false;
  runner.on('offlineProgress', (state) => {
    if (progress === undefined) return;
    if (!offlineStarted) progress.restartPace();
    offlineStarted = true;
    progress.update({ phase: `offline labels ${String(state.labelCount).padStart(2)} · batch ${state.batchItems}`, counts: `${state.itemsDone}/${state.itemsTotal} items`, workDone: state.itemsDone, workTotal: state.itemsTotal });
  });
  runner.on('calibrated', (calibration) => {
    const perPair = Object.entries(calibration.perPairMs).map(([size, ms]) => `${size}:${ms.toFixed(1)}`).join(' ');
    context = { ...context, pairsPerRunResolved: calibration.pairsPerRun, pairsPerRunCalibration: perPair };
    // The calibration did no counted work: its minutes must not enter the sweep's pace.
    progress?.restartPace();
    note(`pairs per run: ${calibration.pairsPerRun} (auto, ${calibration.cached ? `calibrated ${calibration.measuredAt.slice(0, 10)}, cached` : 'calibrated now'}; ms per pair by run size ${perPair})`);
  });

  const monitor = new HardwareMonitor();
  await monitor.start();
  let outcome;
  try {
    outcome = await withInterrupt(async (signal) => {
      const swept = await runner.run(plan, signal);
      if (swept.state === 'completed' && parityReference !== undefined && !signal.aborted) {
        // A new phase with its own units: its pace starts afresh (the sweep's would say ETA 0s).
        progress?.restartPace();
        note(`parity: the same items and label sets at fp32 (${join(parityReference, 'onnx', MODEL_FILE_BY_PRECISION.fp32)})${classifier.model.synthetic ? '; synthetic weights: differences show the precision\'s arithmetic, not a trained model\'s answers' : ''}`);
        const parity = await measureParity(
          classifier,
          () => loadClassifier({ model: parityReference, precision: 'fp32', ...sessionSettings, intraOpThreads: classifier.intraOpThreads }),
          { items, labelCounts: done.map((measurement) => measurement.labelCount), labelPool: profile.labelPool, template: profile.template, seed: DEFAULT_SEED, pairsPerRun: swept.pairsPerRun, batchItems: PARITY_BATCH_ITEMS, onProgress: (pairsDone, pairsTotal) => progress?.update({ phase: 'parity', counts: `${pairsDone}/${pairsTotal} pairs (alone, in batches, at fp32)`, workDone: pairsDone, workTotal: pairsTotal }) },
        );
        context = { ...context, parity, parityReference: join(parityReference, 'onnx', MODEL_FILE_BY_PRECISION.fp32) };
      }
      return swept;
    });
  } finally {
    progress?.finish();
    await monitor.stop();
    await classifier.dispose();
  }
  if (done.length > 0) persist();
  for (const row of json ? [] : rows) {
    if (row.throttled === true) io.err(`${io.errStyle.yellow(`warning: the machine throttled at ${row.labels} labels (${row.throttleReason}): later samples ran slower hardware`)}\n`);
    if (row.driftBeyondNoise) io.err(`${io.errStyle.yellow(`warning: latency drifted ${row.driftPercent.toFixed(1)}% from the first to the last pass at ${row.labels} labels (noise ±${row.driftNoisePercent.toFixed(1)}%, floor ${DRIFT_FLOOR_PERCENT}%); pass means ${row.passMeansMs} ms`)}\n`);
  }

  if (json) {
    io.out(`${JSON.stringify({ state: outcome.state, files: done.length > 0 ? files.paths : null, rows }, null, 2)}\n`);
  } else if (rows.length > 0) {
    io.out(formatRunTables(rows, io.outStyle, { wide: flags.wide === true }));
    io.err(`${io.errStyle.dim(`results: ${files.paths.summary}\n         ${files.paths.samples}\n         ${files.paths.profile}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted at ${outcome.abortedAt} labels: kept ${done.length} completed label count(s)${done.length > 0 ? ` in ${files.paths.summary}` : ''}\n`);
    return EXIT.interrupted;
  }
  return EXIT.ok;
}
