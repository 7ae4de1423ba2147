import { labelSet } from '../runner/label-sets.js';
import type { DatasetItem } from '../io/dataset.js';

export interface ClassifyPayload {
  text: string;
  labels: string[];
}

/** Seed of the label draws, the same as `run`'s so both see the same (item, labels) sets. */
export const LOAD_LABEL_SEED = 42;

/**
 * The requests a load run sends, in order: the dataset's items round-robin, each with its gold
 * label and distractors drawn from the pool with a fixed seed, so every run sends the same mix.
 */
export function buildWorkload(items: readonly DatasetItem[], pool: readonly string[], labels: number): ClassifyPayload[] {
  return items.map((item) => ({ text: item.text, labels: labelSet(item.label, pool, labels, item.id, LOAD_LABEL_SEED) }));
}
