import { labelSet } from '../runner/label-sets.js';
import type { DatasetItem } from '../io/dataset.js';
import { DEFAULT_SEED } from '../stats/random.js';

export interface ClassifyPayload {
  text: string;
  labels: string[];
}

/**
 * The requests a load run sends, in order: the dataset's items round-robin, each with its gold
 * label and distractors drawn from the pool with a fixed seed, so every run sends the same mix.
 */
export function buildWorkload(items: readonly DatasetItem[], pool: readonly string[], labels: number): ClassifyPayload[] {
  return items.map((item) => ({ text: item.text, labels: labelSet(item.label, pool, labels, item.id, DEFAULT_SEED) }));
}
