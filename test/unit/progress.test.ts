import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress } from '../../src/format/progress.js';

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59_400)).toBe('59s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(3_725_000)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('--');
  });
  it('draws the bar, count, percent and ETA from the pace so far', () => {
    expect(formatProgress({ labelCount: 5, overallDone: 25, overallTotal: 100, elapsedMs: 10_000 }, 8)).toBe(
      'labels  5 [██      ] 25/100  25% ETA 30s',
    );
    expect(formatProgress({ labelCount: 3, overallDone: 0, overallTotal: 10, elapsedMs: 0 }, 4)).toBe('labels  3 [    ] 0/10   0% ETA --');
  });
});
