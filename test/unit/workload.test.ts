import { describe, expect, it } from 'vitest';
import { selectItems } from '../../src/runner/workload.js';
import type { DatasetItem } from '../../src/io/dataset.js';

const item = (id: string, label: string): DatasetItem => ({ id, label, text: `text ${id}` });

/** The selection as it was before it was made linear (copying each label's queue per item): the reference. */
function quadraticSelection(dataset: readonly DatasetItem[], count: number): DatasetItem[] {
  const byLabel = new Map<string, DatasetItem[]>();
  for (const entry of dataset) byLabel.set(entry.label, [...(byLabel.get(entry.label) ?? []), entry]);
  const queues = [...byLabel.values()];
  const selected: DatasetItem[] = [];
  for (let round = 0; selected.length < count; round += 1) {
    for (const queue of queues) {
      const next = queue[round];
      if (next !== undefined && selected.length < count) selected.push(next);
    }
  }
  return selected;
}

describe('selectItems: round-robin over labels in file order', () => {
  it('takes one item per label per round', () => {
    const dataset = [item('a1', 'A'), item('a2', 'A'), item('a3', 'A'), item('b1', 'B'), item('c1', 'C'), item('c2', 'C')];
    expect(selectItems(dataset, 5).map((entry) => entry.id)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2']);
    expect(selectItems(dataset, 6).map((entry) => entry.id)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });

  it('selects exactly what the former quadratic selection did', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const dataset = Array.from({ length: 2000 }, (_, index) => item(`i${index}`, `L${next() % 7}`));
    for (const count of [1, 2, 7, 8, 100, 1999, 2000]) {
      expect(selectItems(dataset, count).map((entry) => entry.id), String(count)).toEqual(quadraticSelection(dataset, count).map((entry) => entry.id));
    }
  });

  it('asks for more than the dataset holds: all of it, without looping for ever', () => {
    expect(selectItems([item('a', 'A')], 3).map((entry) => entry.id)).toEqual(['a']);
  });
});
