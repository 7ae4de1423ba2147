/**
 * What `run` shows on stderr while a benchmark runs (autocannon's progress listener): the plan,
 * notes, the progress line of each stage and a line per finished label count. It listens to the
 * benchmark's events and never measures.
 */
import type { Benchmark, RunNote } from '../runner/benchmark.js';
import { fallbackNote, syntheticNote } from './notes.js';
import { ProgressReporter } from './progress.js';
import { formatLabelCountDone, formatRunPlan, runProgressSnapshot } from './run-table.js';
import type { Style } from './style.js';

/** One note's sentence (the caller adds `note: `). */
export function formatRunNote(note: RunNote): string {
  switch (note.kind) {
    case 'peak':
      return `peak ${note.peak.gflopPerS.toFixed(1)} GFLOP/s (${note.peak.description}; ${note.peak.cached ? `measured ${note.peak.measuredAt.slice(0, 10)}, cached` : 'measured now'})`;
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
      return `pairs per run: ${calibration.pairsPerRun} (auto, ${calibration.cached ? `calibrated ${calibration.measuredAt.slice(0, 10)}, cached` : 'calibrated now'}; ms per pair by run size ${perPair})`;
    }
    case 'processes':
      return `${note.processes} processes, one after another, each loading the model (passes per process: ${note.passes.join(', ')}): the intervals are over processes`;
    case 'process-failed':
      return `process ${note.failure.process} of ${note.processes} failed (${note.failure.reason}): its passes are not in the results, the run is incomplete`;
    case 'parity':
      return `parity: the same items and label sets at fp32 (${note.reference})${note.synthetic ? "; synthetic weights: differences show the precision's arithmetic, not a trained model's answers" : ''}`;
  }
}

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
  bench.on('progress', (state) => progress.update(runProgressSnapshot(state)));
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
