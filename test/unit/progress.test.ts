import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, formatDuration, formatProgressBar, formatProgressLine, ProgressReporter } from '../../src/format/progress.js';
import { formatRunPlan, runProgressSnapshot } from '../../src/format/run-table.js';
import { loadProgressSnapshot } from '../../src/format/load-table.js';
import { makeStyle } from '../../src/format/style.js';

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59_400)).toBe('59s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(3_725_000)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('--');
  });

  it('estimates the time left from the pace since the first report, in units of work', () => {
    // First report after 4 s with 3 pairs done (the cold start), now 14 s with 103 done: 0.1 s per pair.
    expect(estimateRemainingMs({ atMs: 4000, work: 3 }, { atMs: 14_000, work: 103 }, 403)).toBe(30_000);
    // Only one report: the pace since the start.
    expect(estimateRemainingMs(undefined, { atMs: 2000, work: 10 }, 30)).toBe(4000);
    // No work since the first report (a stall, a calibration): the pace is unknown.
    expect(estimateRemainingMs({ atMs: 2000, work: 10 }, { atMs: 9000, work: 10 }, 30)).toBeNaN();
    expect(estimateRemainingMs(undefined, { atMs: 0, work: 0 }, 30)).toBeNaN();
    expect(estimateRemainingMs(undefined, { atMs: 5000, work: 30 }, 30)).toBe(0);
  });

  it('counts pairs, so a sweep to 20 labels is not estimated at the 3-label pace per sample', () => {
    // labels 3 and 20, 10 samples each, no warm-up: 3 + 30 + 200 pairs. After the cold start and
    // the 3-label step at 0.1 s per pair, 200 pairs are left: 20 s (per sample, at the 3-label pace, it would say 3 s).
    const plan = { labelCounts: [3, 20], items: Array.from({ length: 5 }, () => ({ id: '', label: '', text: '' })), repeats: 2, warmup: 0 };
    expect(formatRunPlan(plan)).toBe('plan: 2 label count(s) (3, 20) × 5 items × 2 repeats = 20 timed classifications; progress counts 233 (text, label) pairs: 230 timed, 3 in the cold start and 0 warm-up run(s) per label count');
    const snapshot = runProgressSnapshot({ labelCount: 3, done: 10, total: 10, overallDone: 10, overallTotal: 20, pairsDone: 33, pairsTotal: 233 });
    expect(snapshot).toEqual({ phase: 'labels  3', counts: '10/20 samples, 33/233 pairs', workDone: 33, workTotal: 233 });
    expect(estimateRemainingMs({ atMs: 300, work: 3 }, { atMs: 3300, work: snapshot.workDone }, snapshot.workTotal)).toBe(20_000);
  });

  it('the load schedule is the work: warm-up and measured seconds of every level', () => {
    const spec = { mode: 'closed' as const, concurrency: 4 };
    const snapshot = loadProgressSnapshot({ spec, index: 1, warmup: false, elapsedMs: 6000, durationMs: 10_000, ok: 25, errors: 0 }, 3, 2000, 10_000);
    expect(snapshot).toEqual({ phase: 'concurrency 4 · measuring 6/10 s · 25 ok', counts: 'level 2/3, 20/36 s of the schedule', workDone: 20_000, workTotal: 36_000 });
  });

  it('draws the bar on a terminal and a plain line elsewhere', () => {
    const snapshot = { phase: 'labels  5', counts: '25/100 samples', workDone: 25, workTotal: 100 };
    expect(formatProgressBar(snapshot, 30_000, 8)).toBe('labels  5 [██      ] 25/100 samples  25% ETA 30s');
    expect(formatProgressLine(snapshot, 10_000, 30_000)).toBe('progress: labels  5: 25/100 samples (25%), 10s elapsed, ETA 30s');
  });

  it('leaves the calibration pause out of the pace: ETA -- until fresh reports, then the pace since them', () => {
    let clock = 0;
    const written: string[] = [];
    const reporter = new ProgressReporter((text) => written.push(text), false, makeStyle(false), { intervalMs: 10_000, now: () => clock });
    // Cold start at 10 s (3 of 403 pairs), then 150 s of calibration with no counted work.
    clock = 10_000;
    reporter.update({ phase: 'labels  3', counts: '0/40 samples', workDone: 3, workTotal: 403 });
    clock = 160_000;
    reporter.restartPace();
    // The sweep: 1 pair per second from 160 s on.
    clock = 170_000;
    reporter.update({ phase: 'labels  3', counts: '3/40 samples', workDone: 13, workTotal: 403 });
    clock = 190_000;
    reporter.update({ phase: 'labels  3', counts: '9/40 samples', workDone: 33, workTotal: 403 });
    reporter.finish();
    expect(written).toEqual([
      'progress: labels  3: 0/40 samples (1%), 10s elapsed, ETA --\n',
      'progress: labels  3: 3/40 samples (3%), 2m50s elapsed, ETA --\n',
      // 20 pairs in the 20 s since the first report after the pause: 370 pairs left, 370 s.
      'progress: labels  3: 9/40 samples (8%), 3m10s elapsed, ETA 6m10s\n',
    ]);
  });

  it('prints a line per interval when not a terminal, not one per update', () => {
    let clock = 0;
    const written: string[] = [];
    const reporter = new ProgressReporter((text) => written.push(text), false, makeStyle(false), { intervalMs: 10_000, now: () => clock });
    for (let step = 1; step <= 30; step += 1) {
      clock = step * 1000;
      reporter.update({ phase: 'labels 20', counts: `${step}/30 samples`, workDone: step, workTotal: 30 });
    }
    reporter.finish();
    expect(written).toEqual([
      'progress: labels 20: 10/30 samples (33%), 10s elapsed, ETA 20s\n',
      'progress: labels 20: 20/30 samples (67%), 20s elapsed, ETA 10s\n',
      'progress: labels 20: 30/30 samples (100%), 30s elapsed, ETA 0s\n',
    ]);
  });
});
