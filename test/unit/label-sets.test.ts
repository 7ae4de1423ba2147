import { describe, expect, it } from 'vitest';
import { labelSet } from '../../src/runner/label-sets.js';
import { hashString, mulberry32 } from '../../src/stats/random.js';

const POOL = ['体育', '娱乐', '家居', '房产', '教育', '时尚', '时政', '游戏', '科技', '财经'];

describe('label sets', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const values = Array.from({ length: 5 }, () => a());
    expect(values).toEqual(Array.from({ length: 5 }, () => b()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(values[0]).toBe(0.6270739405881613);
  });
  it('hashString is FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
  it('holds the gold label plus distinct distractors, identical on every call', () => {
    const set = labelSet('体育', POOL, 5, 'thn-001', 42);
    expect(set).toHaveLength(5);
    expect(new Set(set).size).toBe(5);
    expect(set).toContain('体育');
    expect(labelSet('体育', POOL, 5, 'thn-001', 42)).toEqual(set);
    expect(set.every((label) => POOL.includes(label))).toBe(true);
  });
  it('varies the gold label position across items', () => {
    const positions = new Set(Array.from({ length: 20 }, (_, i) => labelSet('体育', POOL, 3, `item-${i}`, 42).indexOf('体育')));
    expect(positions.size).toBe(3);
  });
  it('a gold label outside the pool still works, with the whole pool as distractors', () => {
    expect(labelSet('汽车', POOL, 11, 'x', 1)).toHaveLength(11);
  });
  it('refuses more labels than the pool can supply', () => {
    expect(() => labelSet('体育', POOL, 11, 'x', 1)).toThrow("--labels: 11 labels need 10 distractors besides '体育', but the label pool has 9");
  });
});
