/**
 * What `run` shows on stderr while a benchmark runs (autocannon's progress listener): the plan,
 * notes, the progress line of each stage and a line per finished label count. It listens to the
 * benchmark's events and never measures.
 */
import type { Benchmark, RunNote } from '../runner/benchmark.js';
import { fallbackNote, syntheticNote } from './notes.js';
import { describeProbeMachine, type ProbeMachine } from '../env/machine-state.js';
import { ProgressReporter } from './progress.js';
import { formatLabelCountDone, formatRunPlan, runProgressSnapshot } from './run-table.js';
import type { Style } from './style.js';
import type { StageName } from '../runner/stages.js';

/** `; load 0.52, steal 0.0%, others 1.3%`, and why a fresh measurement was not cached. */
function probeMachineText(measured: { machine?: ProbeMachine; cached: boolean; notCached?: boolean }): string {
  if (measured.machine === undefined) return '';
  const busy = measured.notCached === true ? `; machine busy (${measured.machine.busy.join(', ')}): used for this run only, not cached` : '';
  return `; ${measured.cached ? 'then ' : ''}${describeProbeMachine(measured.machine)}${busy}`;
}

/** One note's sentence (the caller adds `note: `). */
export function formatRunNote(note: RunNote): string {
  switch (note.kind) {
    case 'peak':
      return `peak ${note.peak.gflopPerS.toFixed(1)} GFLOP/s (${note.peak.description}; ${note.peak.cached ? `measured ${note.peak.measuredAt.slice(0, 10)}, cached` : 'measured now'}${probeMachineText(note.peak)})`;
    case 'reprobed':
      return `MFU ${note.maxMfuPercent.toFixed(0)}% with the ${note.before.cached ? `cached peak probe (${note.before.measuredAt.slice(0, 10)})` : "peak probe measured before this run's model loaded"}: probed again after the sweep, ${note.after.gflopPerS.toFixed(1)} GFLOP/s${probeMachineText(note.after)}; MFU uses the higher of ${note.before.gflopPerS.toFixed(1)} and ${note.after.gflopPerS.toFixed(1)}`;
    case 'no-peak':
      return `no peak probe, so no MFU: ${note.reason}`;
    case 'rss-not-reset':
      return 'could not reset the peak-RSS mark: peak memory may include building the model';
    case 'platform':
    case 'placement':
      return note.text;
    case 'fallback':
      return fallbackNote(note.fallback);
    case 'synthetic':
      return syntheticNote(note.model) ?? 'synthetic weights';
    case 'calibrated': {
      const { calibration } = note;
      const perPair = Object.entries(calibration.perPairMs).map(([size, ms]) => `${size}:${ms.toFixed(1)}`).join(' ');
      return `pairs per run: ${calibration.pairsPerRun} (auto, ${calibration.cached ? `calibrated ${calibration.measuredAt.slice(0, 10)}, cached` : 'calibrated now'}; ms per pair by run size ${perPair}${probeMachineText(calibration)})`;
    }
    case 'processes':
      return `${note.processes} processes, one after another, each loading the model (passes per process: ${note.passes.join(', ')}): the intervals are over processes, seconds apart, so they miss how far the machine drifts between runs minutes apart (README: What a rerun does)`;
    case 'process-failed':
      return `process ${note.failure.process} of ${note.processes} failed (${note.failure.reason}): its passes are not in the results, the run is incomplete`;
    case 'parity':
      return `parity: the same items and label sets at fp32 (${note.reference})${note.synthetic ? "; synthetic weights: differences show the precision's arithmetic, not a trained model's answers" : ''}`;
  }
}

/** The line a stage's start leaves, where its progress alone would not say what runs. */
export const STAGE_LINES: Partial<Record<StageName, string>> = {
  calibrate: 'calibrating: the cold start, then the pairs-per-run setting (auto measures it once per host, then it is cached); no timed samples yet',
  sweep: 'measuring: the label sweep (the timed samples)',
};

export interface RunListenerOptions {
  err: (text: string) => void;
  style: Style;
  /** Redraw in place (a terminal) or print a line every `intervalMs` (a pipe, a CI log). */
  interactive: boolean;
  intervalMs: number;
  /** `--json`: no notes, no progress; a model being built is still said. */
  quiet: boolean;
}

/** Wires the listener; returns the function that ends the progress line. */
export function listenToRun(bench: Benchmark, options: RunListenerOptions): () => void {
  const { err, style } = options;
  bench.on('model', (message) => err(`${style.dim(message)}\n`));
  if (options.quiet) return () => undefined;
  const progress = new ProgressReporter(err, options.interactive, style, { intervalMs: options.intervalMs });
  bench.on('note', (note) => {
    err(`${style.yellow(`note: ${formatRunNote(note)}`)}\n`);
    // The calibration did no counted work, and parity is a new phase with its own units:
    // the pace starts afresh (the sweep's would say ETA 0s).
    if (note.kind === 'calibrated' || note.kind === 'parity') progress.restartPace();
  });
  bench.on('plan', (plan) => progress.line(style.dim(formatRunPlan(plan))));
  // Which stage runs, so a progress line at 0 samples says why (the calibration takes a while).
  let stage: StageName | undefined;
  bench.on('stage', (event) => {
    if (event.state !== 'started') return;
    stage = event.stage;
    const said = STAGE_LINES[event.stage];
    if (said !== undefined) progress.line(style.dim(said));
  });
  bench.on('progress', (state) => progress.update(runProgressSnapshot(state, stage)));
  bench.on('labelCount', (measurement) => progress.line(style.dim(formatLabelCountDone(measurement, progress.elapsedMs()))));
  let offlineStarted = false;
  bench.on('offlineProgress', (state) => {
    if (!offlineStarted) progress.restartPace();
    offlineStarted = true;
    progress.update({ phase: `offline labels ${String(state.labelCount).padStart(2)} · batch ${state.batchItems}`, counts: `${state.itemsDone}/${state.itemsTotal} items`, workDone: state.itemsDone, workTotal: state.itemsTotal });
  });
  bench.on('parityProgress', ({ pairsDone, pairsTotal }) => progress.update({ phase: 'parity', counts: `${pairsDone}/${pairsTotal} pairs (alone, in batches, at fp32)`, workDone: pairsDone, workTotal: pairsTotal }));
  return () => progress.finish();
}
