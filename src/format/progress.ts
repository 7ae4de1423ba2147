import type { Style } from './style.js';
import { bar } from './text.js';

export interface ProgressState {
  labelCount: number;
  overallDone: number;
  overallTotal: number;
  elapsedMs: number;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--';
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${seconds}s`;
}

/** One progress line; the ETA assumes the remaining samples cost what the finished ones did. */
export function formatProgress(state: ProgressState, width = 24): string {
  const fraction = state.overallTotal === 0 ? 1 : state.overallDone / state.overallTotal;
  const etaMs = state.overallDone === 0 ? Number.NaN : (state.elapsedMs / state.overallDone) * (state.overallTotal - state.overallDone);
  const filled = bar(fraction, width);
  return `labels ${String(state.labelCount).padStart(2)} [${filled}${' '.repeat(Math.max(0, width - [...filled].length))}] ${state.overallDone}/${state.overallTotal} ${(fraction * 100).toFixed(0).padStart(3)}% ETA ${formatDuration(etaMs)}`;
}

/**
 * Draws progress on stderr: redrawn in place on a terminal (at most 10 times a second), and
 * on a pipe or file only a line per finished label count, so logs stay readable.
 */
export class ProgressReporter {
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly interactive: boolean,
    private readonly style: Style,
  ) {}

  update(state: Omit<ProgressState, 'elapsedMs'>): void {
    if (!this.interactive) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && state.overallDone < state.overallTotal) return;
    this.lastDraw = now;
    this.write(`\r${this.style.dim(formatProgress({ ...state, elapsedMs: now - this.started }))}\u001b[K`);
  }

  labelCountDone(labelCount: number, samples: number, meanMs: number): void {
    if (this.interactive) this.write('\r\u001b[K');
    this.write(`${this.style.dim(`labels ${labelCount}: ${samples} samples, mean ${meanMs.toFixed(1)} ms (${formatDuration(performance.now() - this.started)} elapsed)`)}\n`);
  }
}
