import { join, resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { parseList, parseNonNegativeInteger, parsePositiveInteger, parsePositiveNumber } from '../shell/parse.js';
import { BenchmarkRunner, type BenchItem, type LabelCountMeasurement, type RunPlan } from '../runner/runner.js';
import { summaryRows, type RunContext, type SummaryRow } from '../runner/summary.js';
import { checkWritable, datasetName, fileStamp, resolveDataset } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadClassifier, resolveModelDir } from '../model-store/source.js';
import { currentRssBytes, resetPeakRss } from '../env/memory.js';
import { toolVersion } from '../env/package.js';
import { captureEnvironment, type EnvironmentSnapshot } from '../env/snapshot.js';
import { writeFileAtomic } from '../io/atomic.js';
import { sha256File, sha256SmallFile } from '../io/hash.js';
import { readDataset, type DatasetItem } from '../io/dataset.js';
import { formatSamplesCsv, formatSummaryCsv, RESULT_SCHEMA_VERSION } from '../runner/results-csv.js';
import { loadProfile, parsePairsPerRun, profileHash, type Profile } from '../profiles/profile.js';
import { pairsCalibrationCacheFile } from '../runner/pairs-calibration.js';
import { DEFAULT_PROGRESS_INTERVAL_S, ProgressReporter } from '../format/progress.js';
import { parsePrecision } from '../models/precision.js';
import { parseProviderList } from '../core/session.js';
import { formatLabelCountDone, formatRunPlan, formatRunTables, runProgressSnapshot } from '../format/run-table.js';
import { syntheticNote } from '../format/model-notes.js';

export interface RunFlags {
  profile: string;
  model?: string;
  dataset?: string;
  items?: string;
  repeats?: string;
  labels?: string;
  pairsPerRun?: string;
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

/** Seed of the label draws: fixed, so every machine classifies the same item/label sets. */
const LABEL_SEED = 42;

export const RUN_DEFAULTS = { out: 'results', progressInterval: String(DEFAULT_PROGRESS_INTERVAL_S) } as const;

function applyOverrides(profile: Profile, flags: RunFlags): Profile {
  const labelCounts = flags.labels === undefined ? profile.labelCounts : [...new Set(parseList(flags.labels, '--labels', parsePositiveInteger))].sort((a, b) => a - b);
  return {
    ...profile,
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}),
    ...(flags.items !== undefined ? { items: parsePositiveInteger(flags.items, '--items') } : {}),
    ...(flags.repeats !== undefined ? { repeats: parsePositiveInteger(flags.repeats, '--repeats') } : {}),
    labelCounts,
    ...(flags.pairsPerRun !== undefined ? { pairsPerRun: parsePairsPerRun(flags.pairsPerRun, '--pairs-per-run') } : {}),
    ...(flags.precision !== undefined ? { precision: parsePrecision(flags.precision) } : {}),
    ...(flags.provider !== undefined ? { executionProviders: parseProviderList(flags.provider) } : {}),
    ...(flags.threads !== undefined ? { intraOpThreads: parsePositiveInteger(flags.threads, '--threads') } : {}),
    ...(flags.warmup !== undefined ? { warmup: parseNonNegativeInteger(flags.warmup, '--warmup') } : {}),
  };
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

/** Does this machine look like the one the profile was written for? Mismatches are reported, not fatal. */
export function platformMismatches(profile: Profile, env: Pick<EnvironmentSnapshot, 'arch' | 'gpuModel'>): string[] {
  const problems: string[] = [];
  if (profile.platform.arch !== undefined && profile.platform.arch !== env.arch) {
    problems.push(`profile ${profile.name} expects ${profile.platform.arch}; this machine is ${env.arch}`);
  }
  if (profile.platform.gpuNamePattern !== undefined && !new RegExp(profile.platform.gpuNamePattern, 'i').test(env.gpuModel)) {
    problems.push(`profile ${profile.name} expects a GPU matching /${profile.platform.gpuNamePattern}/; this machine has ${env.gpuModel || 'no GPU found'}`);
  }
  return problems;
}

export async function runCommand(flags: RunFlags, io: Io): Promise<number> {
  const profile = applyOverrides(loadProfile(flags.profile), flags);
  const datasetPath = resolveDataset(profile.dataset);
  const dataset = readDataset(datasetPath);
  if (profile.items > dataset.length) {
    throw new UsageError(`--items: ${profile.items} exceeds the ${dataset.length} items in ${datasetPath}`);
  }
  const largest = Math.max(...profile.labelCounts);
  if (largest > profile.labelPool.length) {
    throw new UsageError(`--labels: ${largest} labels exceed the label pool of profile ${profile.name} (${profile.labelPool.length} labels)`);
  }
  const outDir = resolve(flags.out);
  checkWritable(outDir);
  const json = flags.json === true;
  const progressIntervalS = parsePositiveNumber(flags.progressInterval, '--progress-interval');
  const note = (text: string) => {
    if (!json) io.err(`${io.errStyle.yellow(`note: ${text}`)}\n`);
  };

  const env = await captureEnvironment(toolVersion());
  const mismatches = platformMismatches(profile, env);

  // Building or downloading a model can take a while: said on stderr even with --json.
  const modelDir = await resolveModelDir(profile.model, profile.precision, (message) => io.err(`${io.errStyle.dim(message)}\n`));
  if (!resetPeakRss()) note('could not reset the peak-RSS mark: peak memory may include building the model');
  const loadStarted = performance.now();
  const classifier = await loadClassifier({
    model: modelDir,
    precision: profile.precision,
    providers: profile.executionProviders,
    providerOptions: profile.providerOptions,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    allowFallback: flags.allowFallback === true,
    ...(profile.intraOpThreads !== undefined ? { intraOpThreads: profile.intraOpThreads } : {}),
    ...(profile.interOpThreads !== undefined ? { interOpThreads: profile.interOpThreads } : {}),
  });
  const modelLoadMs = performance.now() - loadStarted;
  const rssAfterLoadBytes = currentRssBytes();
  // Printed once the model loaded, so a refused provider stays a one-line error.
  mismatches.forEach(note);
  if (classifier.fallback !== undefined) note(`${classifier.fallback.from} unavailable (${classifier.fallback.reason}); running on cpu, marked as fallback`);
  const synthetic = syntheticNote(classifier.model);
  if (synthetic !== undefined) note(synthetic);

  const stamp = fileStamp(env.timestamp);
  const base = join(outDir, `${profile.name}-${env.hostname}-${stamp}`);
  const files = { summary: `${base}.csv`, samples: `${base}-samples.csv` };
  const items: BenchItem[] = selectItems(dataset, profile.items);
  const plan: RunPlan = {
    items,
    labelCounts: profile.labelCounts,
    labelPool: profile.labelPool,
    repeats: profile.repeats,
    warmup: profile.warmup,
    template: profile.template,
    pairsPerRun: profile.pairsPerRun,
    calibrationCacheFile: pairsCalibrationCacheFile(),
    seed: LABEL_SEED,
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
    actualProvider: classifier.provider,
    fallback: classifier.fallback !== undefined,
    fallbackReason: classifier.fallback?.reason ?? '',
    precision: profile.precision,
    modelId: classifier.model.synthetic ? `synthetic:${classifier.model.arch ?? 'unknown'}` : (profile.model ?? modelDir),
    modelSha256: await sha256File(classifier.model.onnxFile),
    synthetic: classifier.model.synthetic,
    dataset: datasetName(datasetPath),
    datasetHash: sha256SmallFile(datasetPath),
    pairsPerRunSetting: String(profile.pairsPerRun),
    pairsPerRunResolved: profile.pairsPerRun === 'all' || profile.pairsPerRun === 'auto' ? undefined : profile.pairsPerRun,
    pairsPerRunCalibration: '',
    template: profile.template,
    intraOpThreads: classifier.intraOpThreads,
    threadsReason: flags.threads !== undefined ? '--threads' : profile.intraOpThreads !== undefined ? 'profile' : classifier.threadsReason,
    interOpThreads: profile.interOpThreads,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    items: items.length,
    repeats: profile.repeats,
    warmup: profile.warmup,
    platformMatch: mismatches.length === 0,
    costPerHour: profile.costPerHour,
    modelLoadMs,
    rssAfterLoadBytes,
  };

  const runner = new BenchmarkRunner(classifier);
  const progress = json ? undefined : new ProgressReporter(io.err, io.errIsTTY, io.errStyle, { intervalMs: progressIntervalS * 1000 });
  const done: LabelCountMeasurement[] = [];
  let rows: SummaryRow[] = [];
  let firstInferenceMs = Number.NaN;
  const persist = () => {
    rows = summaryRows({ ...context, firstInferenceMs }, done);
    // Written after every label count, atomically: an interrupted run keeps what it finished.
    writeFileAtomic(files.summary, formatSummaryCsv(rows));
    writeFileAtomic(files.samples, formatSamplesCsv(done.flatMap((measurement) => measurement.samples), {
      profile: profile.name,
      host: env.hostname,
      timestamp: env.timestamp,
      actualProvider: classifier.provider,
      precision: profile.precision,
    }));
  };
  if (progress !== undefined) {
    progress.line(io.errStyle.dim(formatRunPlan(plan)));
    runner.on('progress', (state) => progress.update(runProgressSnapshot(state)));
  }
  runner.on('labelCount', (measurement) => {
    done.push(measurement);
    persist();
    progress?.line(io.errStyle.dim(formatLabelCountDone(measurement, progress.elapsedMs())));
  });
  runner.on('coldStart', (ms) => (firstInferenceMs = ms));
  runner.on('calibrated', (calibration) => {
    const perPair = Object.entries(calibration.perPairMs).map(([size, ms]) => `${size}:${ms.toFixed(1)}`).join(' ');
    context = { ...context, pairsPerRunResolved: calibration.pairsPerRun, pairsPerRunCalibration: perPair };
    note(`pairs per run: ${calibration.pairsPerRun} (auto, ${calibration.cached ? `calibrated ${calibration.measuredAt.slice(0, 10)}, cached` : 'calibrated now'}; ms per pair by run size ${perPair})`);
  });

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let outcome;
  try {
    outcome = await runner.run(plan, abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress?.finish();
    await classifier.dispose();
  }
  if (done.length > 0) persist();

  if (json) {
    io.out(`${JSON.stringify({ state: outcome.state, files: done.length > 0 ? files : null, rows }, null, 2)}\n`);
  } else if (rows.length > 0) {
    io.out(formatRunTables(rows, io.outStyle, { wide: flags.wide === true }));
    io.err(`${io.errStyle.dim(`results: ${files.summary}\n         ${files.samples}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted at ${outcome.abortedAt} labels: kept ${done.length} completed label count(s)${done.length > 0 ? ` in ${files.summary}` : ''}\n`);
    return 130;
  }
  return 0;
}
