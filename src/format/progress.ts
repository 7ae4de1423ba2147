import type { Style } from './style.js';
import { bar } from './text.js';

/**
 * Where a long job stands. `work` is counted in units of about equal cost, so that the ETA is
 * right from the start: (text, label) pairs for `run` (a 20-label sample costs about 7 times a
 * 3-label one, its pairs say so), scheduled milliseconds for `load`.
 */
export interface ProgressSnapshot {
  /** What runs now, e.g. `labels 20` or `concurrency 4 · measuring`. */
  phase: string;
  /** Counts a person follows, e.g. `130/400 samples`. */
  counts: string;
  workDone: number;
  workTotal: number;
}

/** A point on the way: how much work was done after how long. */
export interface WorkMark {
  atMs: number;
  work: number;
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

/**
 * Remaining time: the remaining work at the pace measured since `first` (the first report, or
 * the first after a pause such as the pairs-per-run calibration, so neither the model load nor
 * the pause slows the estimate down). Without a first report, the pace since the start. NaN
 * (shown as `--`) while no work was done since `first`: a stalled job's pace is unknown, and
 * the pace since the start would count the pause as work time.
 */
export function estimateRemainingMs(first: WorkMark | undefined, now: WorkMark, workTotal: number): number {
  const remaining = Math.max(0, workTotal - now.work);
  if (remaining === 0) return 0;
  if (first === undefined) return now.work > 0 ? (remaining * now.atMs) / now.work : Number.NaN;
  if (now.work > first.work && now.atMs > first.atMs) return (remaining * (now.atMs - first.atMs)) / (now.work - first.work);
  return Number.NaN;
}

const percentOf = (snapshot: ProgressSnapshot): number => (snapshot.workTotal > 0 ? Math.min(1, snapshot.workDone / snapshot.workTotal) : 1);

/** The line redrawn in place on a terminal. */
export function formatProgressBar(snapshot: ProgressSnapshot, etaMs: number, width = 24): string {
  const fraction = percentOf(snapshot);
  const filled = bar(fraction, width);
  return `${snapshot.phase} [${filled}${' '.repeat(Math.max(0, width - [...filled].length))}] ${snapshot.counts} ${(fraction * 100).toFixed(0).padStart(3)}% ETA ${formatDuration(etaMs)}`;
}

/** The line printed at a steady interval when stderr is a pipe or a file (CI logs). */
export function formatProgressLine(snapshot: ProgressSnapshot, elapsedMs: number, etaMs: number): string {
  return `progress: ${snapshot.phase}: ${snapshot.counts} (${(percentOf(snapshot) * 100).toFixed(0)}%), ${formatDuration(elapsedMs)} elapsed, ETA ${formatDuration(etaMs)}`;
}

/** Seconds between progress lines when stderr is not a terminal. */
export const DEFAULT_PROGRESS_INTERVAL_S = 15;

export interface ProgressOptions {
  /** Milliseconds between lines when not interactive. */
  intervalMs: number;
  now?: () => number;
}

/**
 * The one progress reporter of `run` and `load`, on stderr. On a terminal the line is redrawn
 * in place, at most 10 times a second; on a pipe or a file a line is printed every
 * `intervalMs`, so a CI log shows the job alive, how far it is and when it will end, without
 * flooding. A timer prints too, so a stalled job (a server that stopped answering) still shows
 * it is waiting. Lines of finished steps go through `line`.
 */
export class ProgressReporter {
  private readonly now: () => number;
  private readonly started: number;
  private first: WorkMark | undefined;
  private paceRestarted = false;
  private latest: ProgressSnapshot | undefined;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastLine: number;
  private drawn = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly interactive: boolean,
    private readonly style: Style,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.lastLine = this.started;
    if (!interactive) {
      // Checked every second (or faster for short intervals); a line is due `intervalMs` after the last.
      this.timer = setInterval(() => {
        if (this.now() - this.lastLine >= options.intervalMs) this.printLine();
      }, Math.min(options.intervalMs, 1000));
      this.timer.unref();
    }
  }

  update(snapshot: ProgressSnapshot): void {
    const now = this.now();
    if (this.first === undefined) {
      this.first = { atMs: now - this.started, work: snapshot.workDone };
      this.paceRestarted = false;
    }
    this.latest = snapshot;
    if (!this.interactive) {
      if (now - this.lastLine >= this.options.intervalMs) this.printLine();
      return;
    }
    if (now - this.lastDraw < 100 && snapshot.workDone < snapshot.workTotal) return;
    this.lastDraw = now;
    this.drawn = true;
    this.write(`\r${this.style.dim(formatProgressBar(snapshot, this.eta(now, snapshot)))}\u001b[K`);
  }

  /**
   * Work stops counting towards the pace until the next report: called after a pause that did no
   * counted work (the pairs-per-run calibration), so the time estimate shows `--` until fresh
   * reports give the pace of the work itself.
   */
  restartPace(): void {
    this.first = undefined;
    this.paceRestarted = true;
  }

  /** A permanent line (a finished step), above the live one. */
  line(text: string): void {
    this.clear();
    this.write(`${text}\n`);
  }

  /** Stops the timer and clears the live line. */
  finish(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }

  private eta(now: number, snapshot: ProgressSnapshot): number {
    if (this.paceRestarted) return snapshot.workDone >= snapshot.workTotal ? 0 : Number.NaN;
    return estimateRemainingMs(this.first, { atMs: now - this.started, work: snapshot.workDone }, snapshot.workTotal);
  }

  private printLine(): void {
    const snapshot = this.latest;
    if (snapshot === undefined) return;
    const now = this.now();
    this.lastLine = now;
    this.write(`${this.style.dim(formatProgressLine(snapshot, now - this.started, this.eta(now, snapshot)))}\n`);
  }

  private clear(): void {
    if (this.interactive && this.drawn) this.write('\r\u001b[K');
    this.drawn = false;
  }
}
