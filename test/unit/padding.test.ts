import { describe, expect, it } from 'vitest';
import { groupForPadding } from '../../src/core/padding.js';

describe('groupForPadding', () => {
  it('keeps texts of equal length in one group', () => {
    expect(groupForPadding([{ rows: 3, sequence: 40 }, { rows: 3, sequence: 40 }, { rows: 5, sequence: 40 }], 0.1)).toEqual([[0, 1, 2]]);
  });

  it('merges while padding stays within the overhead, shortest first', () => {
    // 3x100 + 3x105: merged 6x105 = 630 vs 615 alone (+2.4%) -> one group.
    expect(groupForPadding([{ rows: 3, sequence: 105 }, { rows: 3, sequence: 100 }], 0.1)).toEqual([[1, 0]]);
  });

  it('splits when padding a short text to a long one costs more than the overhead', () => {
    // 3x50 and 3x150: merged 6x150 = 900 vs 600 alone (+50%) -> two groups.
    expect(groupForPadding([{ rows: 3, sequence: 150 }, { rows: 3, sequence: 50 }], 0.1)).toEqual([[1], [0]]);
  });

  it('is exact at the boundary and with zero overhead merges only equal lengths', () => {
    // 1x100 + 1x110: merged 220 vs 210 alone = +4.76%.
    expect(groupForPadding([{ rows: 1, sequence: 100 }, { rows: 1, sequence: 110 }], 10 / 210)).toEqual([[0, 1]]);
    expect(groupForPadding([{ rows: 1, sequence: 100 }, { rows: 1, sequence: 110 }], 0.04)).toEqual([[0], [1]]);
    expect(groupForPadding([{ rows: 2, sequence: 7 }, { rows: 1, sequence: 7 }, { rows: 1, sequence: 8 }], 0)).toEqual([[0, 1], [2]]);
  });

  it('returns no groups for no texts', () => {
    expect(groupForPadding([], 0.1)).toEqual([]);
  });
});
