import { unitIntervals, unitsOf } from '../stats/clustered.js';
import { fitLine, percentIncrease, summarize, type SampleSummary } from '../stats/statistics.js';
export type { ConditionsSummary, LatencySummary, OfflineSummary, ParitySummary, SummaryRow, SweepFit } from '../schema/results.js';
import { MAX_PLAUSIBLE_MS } from '../schema/results.js';
import type { ConditionsSummary, LatencySummary, OfflineSummary, ParitySummary, RerunSummary, RunContext as RunColumns, SummaryRow, SweepFit } from '../schema/results.js';
import type { LabelCountMeasurement, OfflinePass } from './runner.js';
import type { ParityAtLabelCount } from './parity.js';
import { energy, passDrift, thermal } from './drift.js';
import { accuracyMeaningful } from '../models/build.js';
import { busyReasons } from '../env/machine-state.js';
import type { RerunHistory } from './rerun-history.js';
import { rerunInterval, type RerunInterval } from '../stats/rerun.js';

/** What stays the same for every row of one run: its columns, and what the command knows besides. */
export type RunContext = RunColumns & {
  /** What the pairs-per-run setting resolved to for the sweep; undefined: all pairs of a text in one run. */
  pairsPerRunResolved: number | undefined;
  /** Precision parity per label count (fp16/int8 runs with an fp32 reference); empty otherwise. */
  parity: readonly ParityAtLabelCount[];
};

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
    loadStart: measurement.machine?.loadStart,
    loadEnd: measurement.machine?.loadEnd,
    stealPercent: measurement.machine?.stealPercent ?? Number.NaN,
    othersCpuPercent: measurement.machine?.othersCpuPercent ?? Number.NaN,
    cpuGovernor: measurement.machine?.governor ?? '',
    cpuTurbo: measurement.machine?.turbo,
  };
}

/**
 * An interval that reaches past a day says nothing a reader can use (two units far apart: t with one
 * degree of freedom is 12.7, on the log scale a factor of millions), and no reader could store it:
 * it is left empty, and the run's warning says why.
 */
function usableInterval(interval: readonly [number, number]): readonly [number, number] {
  return interval[1] > MAX_PLAUSIBLE_MS ? [Number.NaN, Number.NaN] : interval;
}

/** The latency columns of one label count, from its samples' statistics and the intervals chosen for them. */
export function latencyColumns(stats: SampleSummary, chosen: { meanCi95: readonly [number, number]; medianCi95: readonly [number, number] }, labels: number) {
  const intervals = { meanCi95: usableInterval(chosen.meanCi95), medianCi95: usableInterval(chosen.medianCi95) };
  return {
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
    itemsPerSecond: 1000 / stats.mean,
    pairsPerSecond: (1000 / stats.mean) * labels,
  } satisfies Partial<LatencySummary>;
}

/** The rerun columns of one label count: this run's mean and median with the spread of the earlier runs'. */
export function rerunColumns(history: RerunHistory, labels: number, meanMs: number, medianMs: number): RerunSummary {
  const earlier = history.get(labels) ?? [];
  const usable = (interval: RerunInterval) => {
    const [low, high] = usableInterval(interval.state === 'interval' ? [interval.low, interval.high] : [Number.NaN, Number.NaN]);
    return { low, high, sd: interval.state === 'interval' && Number.isFinite(low) ? interval.sdLog : Number.NaN };
  };
  const mean = usable(rerunInterval(meanMs, earlier.map((run) => run.meanMs)));
  const median = usable(rerunInterval(medianMs, earlier.map((run) => run.medianMs)));
  return {
    rerunEarlierRuns: earlier.length,
    rerunMeanLowMs: mean.low,
    rerunMeanHighMs: mean.high,
    rerunMedianLowMs: median.low,
    rerunMedianHighMs: median.high,
    rerunMeanSdLog: mean.sd,
    rerunMedianSdLog: median.sd,
  };
}

export function summarizeLabelCount(measurement: LabelCountMeasurement, cpuCores: number, pairsPerRun: number | undefined): LatencySummary {
  const totals = measurement.samples.map((sample) => sample.totalMs);
  const stats = summarize(totals);
  // Consecutive samples share the machine's state, so single samples would give intervals 2-4x too
  // narrow: the units are processes (when several ran), else passes.
  const units = unitsOf(measurement.samples.map((sample) => ({ process: sample.process, pass: sample.repeat, ms: sample.totalMs })));
  const intervals = unitIntervals(units.blocks);
  const inferenceMs = measurement.samples.reduce((sum, sample) => sum + sample.inferenceMs, 0);
  const gflop = measurement.samples.reduce((sum, sample) => sum + sample.gflop, 0);
  // Accuracy over distinct items: repeats of one item give the same prediction.
  const firstRepeat = measurement.samples.filter((sample) => sample.repeat === 0);
  const correct = firstRepeat.filter((sample) => sample.predicted === sample.gold).length;
  const cpuPercentOneCore = ((measurement.cpuUserMs + measurement.cpuSystemMs) / measurement.wallMs) * 100;
  return {
    labels: measurement.labelCount,
    pairsPerRun: pairsPerRun === undefined ? measurement.labelCount : Math.min(pairsPerRun, measurement.labelCount),
    ...latencyColumns(stats, intervals, measurement.labelCount),
    ciBlocks: intervals.units,
    ciUnit: units.unit,
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

/** The summary rows of a run; `history`: the earlier runs of the same command here, for the rerun columns. */
export function summaryRows(context: RunContext, measurements: readonly LabelCountMeasurement[], history: RerunHistory = new Map()): SummaryRow[] {
  const summaries = measurements.map((measurement) => summarizeLabelCount(measurement, context.cpuCores, context.pairsPerRunResolved));
  const fits = sweepFits(summaries);
  return summaries.map((summary, index): SummaryRow => ({
    ...context,
    ...summary,
    ...rerunColumns(history, summary.labels, summary.meanMs, summary.p50Ms),
    // Random weights make accuracy chance-level by construction: the cell stays empty so that
    // nobody plots it, and accuracy_meaningful says why. A known-answer model's answers are right
    // by construction, so its accuracy is kept (it checks the pipeline, not a trained model).
    accuracy: accuracyMeaningful(context.modelId, context.synthetic) ? summary.accuracy : Number.NaN,
    accuracyMeaningful: accuracyMeaningful(context.modelId, context.synthetic),
    kind: 'summary',
    ...(fits[index] as SweepFit),
    ...summarizeOffline(measurements[index]?.offline ?? []),
    ...summarizeConditions(measurements[index] as LabelCountMeasurement),
    ...summarizeParity(context.parity.find((entry) => entry.labelCount === summary.labels)),
    mfuPercent: context.peakGflopPerS === undefined ? Number.NaN : (summary.achievedGflopPerS / context.peakGflopPerS) * 100,
    machineBusy: busyReasons(measurements[index]?.machine ?? {}, context.cpuCores).join('; '),
    parityWeights: context.parity.some((entry) => entry.labelCount === summary.labels) ? (context.synthetic ? 'synthetic' : 'real') : '',
  }));
}
