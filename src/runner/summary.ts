import { blockIntervals, blocksOf } from '../stats/clustered.js';
import { fitLine, percentIncrease, summarize } from '../stats/statistics.js';
import type { EnvironmentSnapshot } from '../env/snapshot.js';
import type { LabelCountMeasurement, OfflinePass } from './runner.js';
import type { ParityAtLabelCount } from './parity.js';
import { energy, passDrift, thermal } from './drift.js';

/** The machine fields stored with every row (the snapshot's hostname becomes `host`). */
export type MachineFields = Omit<EnvironmentSnapshot, 'hostname' | 'cpuPhysicalCores'>;

/** What stays the same for every row of one run: where, what and how it ran. */
export interface RunContext extends MachineFields {
  schemaVersion: number;
  profile: string;
  profileHash: string;
  host: string;
  requestedProvider: string;
  /** The provider that ran; for an accelerator with its share of kernel time, e.g. `cuda (97% of kernel time)`. */
  actualProvider: string;
  /** From one profiled classification after load: `cpu 100.0%`, or `cuda 97.0%; cpu 3.0%`. Empty if it could not be profiled. */
  providerTimeShares: string;
  providerNodeShares: string;
  fallback: boolean;
  fallbackReason: string;
  precision: string;
  modelId: string;
  modelSha256: string;
  synthetic: boolean;
  dataset: string;
  datasetHash: string;
  /** The profile's or flag's setting: auto, all or a number. */
  pairsPerRunSetting: string;
  /** What the setting resolved to for the sweep; undefined: all pairs of a text in one run. */
  pairsPerRunResolved: number | undefined;
  /** The auto calibration's median ms per pair at each run size, e.g. `1:151.2 2:149.8`; empty otherwise. */
  pairsPerRunCalibration: string;
  template: string;
  /** Precision parity per label count (fp16/int8 runs with an fp32 reference); empty otherwise. */
  parity: readonly ParityAtLabelCount[];
  /** The fp32 file the parity figures compare with. */
  parityReference: string;
  /** `single-stream`, or `single-stream+offline` when offline passes follow the sweep. */
  scenario: string;
  /** The intra-op thread count the session ran with (never left to ONNX Runtime's guess). */
  intraOpThreads: number;
  threadsReason: string;
  /** The pool distractor labels are drawn from, joined with `|`: part of the workload. */
  labelPool: string;
  interOpThreads: number | undefined;
  graphOptimizationLevel: string;
  items: number;
  repeats: number;
  warmup: number;
  platformMatch: boolean;
  costPerHour: number | undefined;
  modelLoadMs: number;
  firstInferenceMs: number;
  /** The peak probe's GFLOP/s on this machine at this precision, when measured. */
  peakGflopPerS: number | undefined;
  /** What the probe ran and when, e.g. `matmul 2048x1024x4096 fp32, cpu, 2 thread(s), best of 8, 2026-12-02`. */
  peakProbe: string;
  rssAfterLoadBytes: number;
}

export interface LatencySummary {
  labels: number;
  /** Pairs in each session.run at this label count (the last run of a text may hold fewer). */
  pairsPerRun: number;
  samples: number;
  meanMs: number;
  stdMs: number;
  minMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** 95% intervals that describe the run: from its passes' spread (see ciBlocks), not from single samples. */
  meanCi95LowMs: number;
  meanCi95HighMs: number;
  medianCi95LowMs: number;
  medianCi95HighMs: number;
  /** How many blocks the intervals come from: the passes (repeats), or consecutive blocks with one pass. */
  ciBlocks: number;
  itemsPerSecond: number;
  pairsPerSecond: number;
  peakRssBytes: number;
  gpuMemoryMiB: number | undefined;
  cpuPercentOneCore: number;
  cpuPercentAllCores: number;
  accuracy: number;
  /** Share of the timed loop's wall time spent outside session.run: tokenizing, scoring and the harness itself. */
  harnessOverheadPercent: number;
  /** Mean model GFLOP per classification (padded run shapes). */
  gflopPerItem: number;
  /** Model FLOPs over the time inside session.run, in GFLOP/s. */
  achievedGflopPerS: number;
}

/** The offline scenario at one label count: the best batch size and every size tried. */
export interface OfflineSummary {
  /** Items per second of the best batch size (every item once per size); NaN when not run. */
  offlineItemsPerSecond: number;
  offlinePairsPerSecond: number;
  offlineBestBatchItems: number | undefined;
  /** `batch items:items/s` for every size, e.g. `1:6.20 2:6.41 4:6.52`. */
  offlineByBatch: string;
}

export function summarizeOffline(passes: readonly OfflinePass[]): OfflineSummary {
  const rated = passes.map((pass) => ({ ...pass, itemsPerSecond: pass.items / (pass.wallMs / 1000), pairsPerSecond: pass.pairs / (pass.wallMs / 1000) }));
  const best = rated.reduce<(typeof rated)[number] | undefined>((top, pass) => (top === undefined || pass.itemsPerSecond > top.itemsPerSecond ? pass : top), undefined);
  return {
    offlineItemsPerSecond: best?.itemsPerSecond ?? Number.NaN,
    offlinePairsPerSecond: best?.pairsPerSecond ?? Number.NaN,
    offlineBestBatchItems: best?.batchItems,
    offlineByBatch: rated.map((pass) => `${pass.batchItems}:${pass.itemsPerSecond.toFixed(2)}`).join(' '),
  };
}

/** Parity columns of one label count: NaN (empty in the CSV) when no parity ran. */
export interface ParitySummary {
  parityItems: number | undefined;
  parityFlipPercent: number;
  parityMeanAbsDiff: number;
  parityMaxAbsDiff: number;
  batchCompositionItems: number | undefined;
  batchCompositionFlipPercent: number;
  batchCompositionMaxAbsDiff: number;
}

export function summarizeParity(parity: ParityAtLabelCount | undefined): ParitySummary {
  return {
    parityItems: parity?.reference.items,
    parityFlipPercent: parity?.reference.flipPercent ?? Number.NaN,
    parityMeanAbsDiff: parity?.reference.meanAbsDiff ?? Number.NaN,
    parityMaxAbsDiff: parity?.reference.maxAbsDiff ?? Number.NaN,
    batchCompositionItems: parity?.batchItems,
    batchCompositionFlipPercent: parity?.batchComposition.flipPercent ?? Number.NaN,
    batchCompositionMaxAbsDiff: parity?.batchComposition.maxAbsDiff ?? Number.NaN,
  };
}

/** Throttling, drift and energy of one label count (empty where nothing could be read). */
export interface ConditionsSummary {
  cpuMhzMin: number;
  cpuMhzMax: number;
  maxTempC: number;
  throttled: boolean | undefined;
  throttleReason: string;
  /** Mean ms of each pass over the items, e.g. `812.1 815.3 990.2`. */
  passMeansMs: string;
  driftPercent: number;
  driftNoisePercent: number;
  driftBeyondNoise: boolean;
  energyJoulesPer1000: number;
  energySource: string;
}

export function summarizeConditions(measurement: LabelCountMeasurement): ConditionsSummary {
  const heat = thermal(measurement.hardware);
  const drift = passDrift(measurement.samples);
  const used = energy(measurement);
  return {
    cpuMhzMin: heat.cpuMhzMin,
    cpuMhzMax: heat.cpuMhzMax,
    maxTempC: heat.maxTempC,
    throttled: heat.throttled,
    throttleReason: heat.throttleReason,
    passMeansMs: drift.passMeansMs.map((value) => value.toFixed(1)).join(' '),
    driftPercent: drift.driftPercent,
    driftNoisePercent: drift.noisePercent,
    driftBeyondNoise: drift.beyondNoise,
    energyJoulesPer1000: used.joulesPer1000,
    energySource: used.source,
  };
}

export interface Utilisation {
  /** achieved / peak, in %: model FLOPs utilisation. */
  mfuPercent: number;
}

export interface SweepFit {
  increaseVsMinLabelsPercent: number;
  fitMsPerLabel: number;
  fitInterceptMs: number;
  fitR2: number;
}

export type SummaryRow = RunContext & LatencySummary & SweepFit & Utilisation & OfflineSummary & ParitySummary & ConditionsSummary;

export function summarizeLabelCount(measurement: LabelCountMeasurement, cpuCores: number, pairsPerRun: number | undefined): LatencySummary {
  const totals = measurement.samples.map((sample) => sample.totalMs);
  const stats = summarize(totals);
  // Consecutive samples share the machine's state, so single samples would give intervals 2-4x too narrow.
  const intervals = blockIntervals(blocksOf(measurement.samples.map((sample) => ({ pass: sample.repeat, ms: sample.totalMs }))));
  const inferenceMs = measurement.samples.reduce((sum, sample) => sum + sample.inferenceMs, 0);
  const gflop = measurement.samples.reduce((sum, sample) => sum + sample.gflop, 0);
  // Accuracy over distinct items: repeats of one item give the same prediction.
  const firstRepeat = measurement.samples.filter((sample) => sample.repeat === 0);
  const correct = firstRepeat.filter((sample) => sample.predicted === sample.gold).length;
  const cpuPercentOneCore = ((measurement.cpuUserMs + measurement.cpuSystemMs) / measurement.wallMs) * 100;
  return {
    labels: measurement.labelCount,
    pairsPerRun: pairsPerRun === undefined ? measurement.labelCount : Math.min(pairsPerRun, measurement.labelCount),
    samples: stats.n,
    meanMs: stats.mean,
    stdMs: stats.std,
    minMs: stats.min,
    p50Ms: stats.p50,
    p90Ms: stats.p90,
    p95Ms: stats.p95,
    p99Ms: stats.p99,
    maxMs: stats.max,
    meanCi95LowMs: intervals.meanCi95[0],
    meanCi95HighMs: intervals.meanCi95[1],
    medianCi95LowMs: intervals.medianCi95[0],
    medianCi95HighMs: intervals.medianCi95[1],
    ciBlocks: intervals.blocks,
    itemsPerSecond: 1000 / stats.mean,
    pairsPerSecond: (1000 / stats.mean) * measurement.labelCount,
    peakRssBytes: measurement.peakRssBytes,
    gpuMemoryMiB: measurement.gpuMemoryMiB,
    cpuPercentOneCore,
    cpuPercentAllCores: cpuPercentOneCore / cpuCores,
    accuracy: firstRepeat.length === 0 ? Number.NaN : correct / firstRepeat.length,
    harnessOverheadPercent: measurement.wallMs === 0 ? 0 : ((measurement.wallMs - inferenceMs) / measurement.wallMs) * 100,
    gflopPerItem: measurement.samples.length === 0 ? Number.NaN : gflop / measurement.samples.length,
    achievedGflopPerS: inferenceMs === 0 ? Number.NaN : gflop / (inferenceMs / 1000),
  };
}

/**
 * The label sweep: each count's mean latency against the smallest count's, and a
 * least-squares line latency = a + b * labels over all counts measured so far.
 */
export function sweepFits(summaries: ReadonlyArray<Pick<LatencySummary, 'labels' | 'meanMs'>>): SweepFit[] {
  if (summaries.length === 0) return [];
  const smallest = summaries.reduce((min, row) => (row.labels < min.labels ? row : min));
  const fit =
    summaries.length >= 2
      ? fitLine(summaries.map((row) => row.labels), summaries.map((row) => row.meanMs))
      : { intercept: Number.NaN, slope: Number.NaN, r2: Number.NaN };
  return summaries.map((row) => ({
    increaseVsMinLabelsPercent: percentIncrease(smallest.meanMs, row.meanMs),
    fitMsPerLabel: fit.slope,
    fitInterceptMs: fit.intercept,
    fitR2: fit.r2,
  }));
}

export function summaryRows(context: RunContext, measurements: readonly LabelCountMeasurement[]): SummaryRow[] {
  const summaries = measurements.map((measurement) => summarizeLabelCount(measurement, context.cpuCores, context.pairsPerRunResolved));
  const fits = sweepFits(summaries);
  return summaries.map((summary, index) => ({
    ...context,
    ...summary,
    ...(fits[index] as SweepFit),
    ...summarizeOffline(measurements[index]?.offline ?? []),
    ...summarizeConditions(measurements[index] as LabelCountMeasurement),
    ...summarizeParity(context.parity.find((entry) => entry.labelCount === summary.labels)),
    mfuPercent: context.peakGflopPerS === undefined ? Number.NaN : (summary.achievedGflopPerS / context.peakGflopPerS) * 100,
  }));
}
