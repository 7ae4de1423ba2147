import type { SummaryRow } from '../runner/summary.js';
import type { Style } from './style.js';
import { sweepPairs, type LabelCountMeasurement, type RunnerEvents, type RunPlan } from '../runner/runner.js';
import { formatDuration, type ProgressSnapshot } from './progress.js';
import { renderTable } from './tables.js';
import { syntheticNoteForId } from './notes.js';
import { num, providerCell, signedPercent, wrapText } from './text.js';
import { DRIFT_FLOOR_PERCENT } from '../runner/drift.js';
import type { StageName } from '../runner/stages.js';
import { MIN_EARLIER_RUNS } from '../stats/rerun.js';


function memoryCell(row: SummaryRow): string {
  if (row.gpuMemoryMiB !== undefined) return `${row.gpuMemoryMiB.toFixed(0)} MiB GPU`;
  return `${(row.peakRssBytes / 1024 ** 2).toFixed(0)} MiB RAM`;
}

/** Above this share of the timed loop, the tool's own time dominates: said under the table. */
const HARNESS_NOTE_PERCENT = 10;

/**
 * The reference study's two tables: the platform at the smallest label count, then the sweep.
 * The default fits about 100 columns (host, labels and the accuracy of synthetic weights go to
 * the notes); `wide` shows every column.
 */
export function formatRunTables(rows: readonly SummaryRow[], style: Style, options: { wide?: boolean } = {}): string {
  const first = rows[0];
  if (first === undefined) return 'no label count completed\n';
  const wide = options.wide === true;
  const accuracy = first.accuracyMeaningful ? num(first.accuracy, 3) : 'synthetic';
  const platformHead = wide
    ? ['profile', 'host', 'provider', 'precision', 'labels', 'mean ms', 'p95 ms', 'single-stream QPS', 'peak memory', 'CPU % (1 core)', 'accuracy', 'harness %']
    : ['profile', 'provider', 'precision', 'mean ms', 'p95 ms', 'QPS (1 stream)', 'peak MiB', 'CPU %', 'harness %', ...(first.accuracyMeaningful ? ['accuracy'] : [])];
  const platformRow = wide
    ? [first.profile, first.host, providerCell(first), first.precision, String(first.labels), num(first.meanMs, 1), num(first.p95Ms, 1), num(first.itemsPerSecond, 2), memoryCell(first), num(first.cpuPercentOneCore, 0), accuracy, num(first.harnessOverheadPercent, 2)]
    : [
        first.profile,
        providerCell(first),
        first.precision,
        num(first.meanMs, 1),
        num(first.p95Ms, 1),
        num(first.itemsPerSecond, 2),
        first.gpuMemoryMiB !== undefined ? `${first.gpuMemoryMiB.toFixed(0)} GPU` : (first.peakRssBytes / 1024 ** 2).toFixed(0),
        num(first.cpuPercentOneCore, 0),
        num(first.harnessOverheadPercent, 1),
        ...(first.accuracyMeaningful ? [accuracy] : []),
      ];
  const offline = rows.some((row) => row.offlineBestBatchItems !== undefined);
  const sweepHead = ['labels', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', `vs ${first.labels} labels`, 'single-stream QPS', 'pairs/s', ...(offline ? ['offline items/s', 'offline pairs/s', 'best batch'] : []), 'MFU %'];
  const sweepRows = rows.map((row) => [
    String(row.labels),
    num(row.meanMs, 1),
    num(row.p50Ms, 1),
    num(row.p95Ms, 1),
    num(row.p99Ms, 1),
    row.labels === first.labels ? '-' : signedPercent(row.increaseVsMinLabelsPercent, 1),
    num(row.itemsPerSecond, 2),
    num(row.pairsPerSecond, 1),
    ...(offline ? [num(row.offlineItemsPerSecond, 2), num(row.offlinePairsPerSecond, 1), row.offlineBestBatchItems === undefined ? '-' : `${row.offlineBestBatchItems} items`] : []),
    num(row.mfuPercent, 1),
  ]);
  const last = rows[rows.length - 1] ?? first;
  const line = `latency ≈ ${num(last.fitInterceptMs, 1)} ms + ${num(last.fitMsPerLabel, 2)} ms × labels`;
  const fit = !Number.isFinite(last.fitMsPerLabel)
    ? 'fit: needs two label counts'
    : rows.length === 2
      ? `fit: ${line} (two label counts: a line through both points, so no R²; sweep three or more for a fit that can be judged)`
      : `fit: ${line} (R² ${num(last.fitR2, 3)})`;
  const notes = [`platform table at ${first.labels} labels on ${first.host}`, fit, ...slopeNote(last, style), `cold start: model load ${num(first.modelLoadMs, 0)} ms, first inference ${num(first.firstInferenceMs, 0)} ms${(first.processes ?? 1) > 1 ? ` (mean of ${first.processes} processes: ${first.coldStartsMs} ms)` : ''}`];
  const harness = rows.filter((row) => row.harnessOverheadPercent > HARNESS_NOTE_PERCENT);
  if (harness.length > 0) {
    notes.push(
      style.yellow(
        `harness %: zsc-bench's own time is ${harness.map((row) => `${num(row.harnessOverheadPercent, 1)}% at ${row.labels} labels`).join(', ')} of the timed loop: the model is so fast that the tool's overhead dominates these figures`,
      ),
    );
  }
  if (first.fallback) notes.push(style.yellow(`FALLBACK: ${first.requestedProvider} unavailable (${first.fallbackReason}); these numbers are from the CPU`));
  const synthetic = syntheticNoteForId(first.modelId, first.synthetic);
  if (synthetic !== undefined) notes.push(synthetic);
  notes.push(rerunNote(rows));
  notes.push(...paritySummary(rows));
  if (Number.isFinite(first.mfuPercent)) notes.push(`MFU: model GFLOP/s inside session.run over the ${num(first.peakGflopPerS, 1)} GFLOP/s peak of ${first.peakProbe}`);
  const mfu = mfuAbove100Note(rows);
  if (mfu !== undefined) notes.push(style.yellow(mfu));
  if (offline) notes.push(`offline: every item once more per batch size, all pairs of a batch in one session.run; items/s by batch size: ${rows.map((row) => `${row.labels} labels ${row.offlineByBatch}`).join('; ')}`);
  return wrapText(`${renderTable(platformHead, [platformRow], style, { wide })}\n${renderTable(sweepHead, sweepRows, style, { wide })}\n${notes.join('\n')}\n`);
}

/** A fitted slope below zero (more labels ran faster) is noise, not a finding: said in yellow under the fit. */
function slopeNote(last: SummaryRow, style: Style): string[] {
  if (!(last.fitMsPerLabel < 0)) return [];
  return [style.yellow(`the fitted slope is negative (${num(last.fitMsPerLabel, 2)} ms per label: more labels ran faster), so noise outweighs the cost of a label here; repeat with more --items or --repeats`)];
}

/**
 * What the parity pass found, a line per label count: the share of items whose top label changed
 * against fp32, the largest score difference, and the same within batches.
 */
export function paritySummary(rows: readonly SummaryRow[]): string[] {
  return rows
    .filter((row) => row.parityItems !== undefined)
    .map((row) => {
      const batch = row.batchCompositionItems === undefined ? '' : `; in batches ${num(row.batchCompositionFlipPercent, 1)}% (max ${num(row.batchCompositionMaxAbsDiff, 4)})`;
      return `parity at ${row.labels} labels: top label changed for ${num(row.parityFlipPercent, 1)}% of ${row.parityItems} items vs fp32 (max score diff ${num(row.parityMaxAbsDiff, 4)})${batch}`;
    });
}

/**
 * MFU above 100% means the peak probe ran slower than the model: said with where the peak came
 * from (peak_probe_source), since the run probes again after its sweep when that happens.
 */
export function mfuAbove100Note(rows: readonly SummaryRow[]): string | undefined {
  const beaten = rows.filter((row) => row.mfuPercent > 100);
  const first = beaten[0];
  if (first === undefined) return undefined;
  const at = beaten.map((row) => `${num(row.mfuPercent, 0)}% at ${row.labels} labels`).join(', ');
  const source = first.peakProbeSource;
  const origin = source.startsWith('cached') ? 'the cached peak probe' : "the peak probe measured in this run before the model loaded";
  if (source.endsWith('re-probed')) {
    return `MFU above 100% (${at}) even after probing again after the sweep (${origin} was beaten first): the MatMul probe ran slower than the model's kernels here, a busy machine during both probes or a probe that does not reach this CPU's peak; read MFU as approximate`;
  }
  return `MFU above 100% (${at}): ${origin} ran slower than this run (a busy machine?); \`run --reprobe\` measures it again`;
}

/** Where a rerun of this command here lands, or why that is not known yet. */
export function rerunNote(rows: readonly SummaryRow[]): string {
  const earlier = Math.max(...rows.map((row) => row.rerunEarlierRuns ?? 0));
  const known = rows.filter((row) => Number.isFinite(row.rerunMeanLowMs));
  if (known.length === 0) {
    return `rerun: ${earlier} earlier run(s) of this command in its results folder (or --history); from ${MIN_EARLIER_RUNS} on, the rerun_* columns say where a rerun on this machine lands (the summary's other intervals describe this run only)`;
  }
  const ranges = known.map((row) => `${row.labels} labels ${num(row.rerunMeanLowMs, 1)}-${num(row.rerunMeanHighMs, 1)} ms (runs differ by ${num(row.rerunMeanSdLog * 100, 1)}%)`);
  return `rerun: a rerun here lands, 95%, at a mean of ${ranges.join(', ')}: from the spread of ${earlier} earlier runs of this command in its results folder (or --history)`;
}

/** What the run will do, printed before it starts: the work the ETA is measured against. */
export function formatRunPlan(plan: Pick<RunPlan, 'labelCounts' | 'items' | 'repeats' | 'warmup'>): string {
  const samples = plan.items.length * plan.repeats;
  const pairs = sweepPairs(plan);
  return (
    `plan: ${plan.labelCounts.length} label count(s) (${plan.labelCounts.join(', ')}) × ${plan.items.length} items × ${plan.repeats} repeats = ${samples * plan.labelCounts.length} timed classifications; ` +
    `progress counts ${pairs.timed + pairs.untimed} (text, label) pairs: ${pairs.timed} timed, ${pairs.untimed} in the cold start and ${plan.warmup} warm-up run(s) per label count`
  );
}

/**
 * The runner's progress as the reporter shows it: the ETA counts pairs, not samples. During the
 * calibrate stage (cold start, pairs-per-run calibration) no sample is due yet: the phase says so.
 */
export function runProgressSnapshot(state: RunnerEvents['progress'][0], stage?: StageName): ProgressSnapshot {
  return {
    phase: stage === 'calibrate' ? 'calibrating' : `labels ${String(state.labelCount).padStart(2)}`,
    counts: `${state.overallDone}/${state.overallTotal} samples, ${state.pairsDone}/${state.pairsTotal} pairs`,
    workDone: state.pairsDone,
    workTotal: state.pairsTotal,
  };
}

/** The line left when a label count completes. */
export function formatLabelCountDone(measurement: Pick<LabelCountMeasurement, 'labelCount' | 'samples'>, elapsedMs: number): string {
  const mean = measurement.samples.reduce((sum, sample) => sum + sample.totalMs, 0) / measurement.samples.length;
  return `labels ${measurement.labelCount}: ${measurement.samples.length} samples, mean ${num(mean, 1)} ms (${formatDuration(elapsedMs)} elapsed)`;
}

/** What a reader of the table must not miss: emulation, throttling, drift beyond the run's noise, a busy machine, a sentence each. */
export function runWarnings(rows: readonly SummaryRow[]): string[] {
  const emulated = rows[0]?.emulated ?? '';
  return [
    ...(emulated !== '' ? [`emulated CPU (${emulated}): the timings are the emulator's, not the machine's; the answers are the emulated architecture's`] : []),
    ...rows.flatMap((row) => [
      ...(row.throttled === true ? [`the machine throttled at ${row.labels} labels (${row.throttleReason}): later samples ran slower hardware`] : []),
      ...(row.driftBeyondNoise
        ? [`latency drifted ${row.driftPercent.toFixed(1)}% from the first to the last pass at ${row.labels} labels (noise ±${row.driftNoisePercent.toFixed(1)}%, floor ${DRIFT_FLOOR_PERCENT}%); pass means ${row.passMeansMs} ms`]
        : []),
      ...(row.machineBusy !== '' ? [`the machine was busy at ${row.labels} labels (${row.machineBusy}): the figures may be slower for that alone; \`check\` repeats this`] : []),
      ...(Number.isNaN(row.meanCi95LowMs) && row.samples > 0
        ? [
            (row.ciBlocks ?? 1) < 2
              ? `no 95% interval at ${row.labels} labels: ${row.ciBlocks ?? 1} ${row.ciUnit ?? 'unit'} (an interval needs two; run more repeats, items or processes)`
              : `no 95% interval at ${row.labels} labels: its ${row.ciBlocks ?? 2} ${row.ciUnit ?? 'unit'} units differ so much that the interval would reach past a day; run more repeats or processes`,
          ]
        : []),
    ]),
  ];
}

/** The line Ctrl-C leaves: where the run stopped and what it kept. */
export function formatInterruption(outcome: { stage: StageName; abortedAt: number; rows: readonly SummaryRow[] }, summaryFile: string | undefined): string {
  const kept = new Set(outcome.rows.map((row) => row.labels)).size;
  const where =
    outcome.stage === 'sweep'
      ? `at ${outcome.abortedAt} labels`
      : outcome.stage === 'offline'
        ? `during the offline passes at ${outcome.abortedAt} labels`
        : outcome.stage === 'parity'
          ? 'during the parity pass'
          : outcome.stage === 'calibrate'
            ? 'during the cold start and pairs-per-run calibration'
            : `during ${outcome.stage}`;
  return `interrupted ${where}: kept ${kept} completed label count(s)${kept > 0 && summaryFile !== undefined ? ` in ${summaryFile}` : ''}`;
}
