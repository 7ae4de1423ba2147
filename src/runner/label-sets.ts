import { UsageError } from '../base/errors.js';
import { hashString, mulberry32, shuffle } from '../stats/random.js';

/**
 * An item's candidate labels: its gold label plus distractors from the pool, drawn and then
 * shuffled with a seed from (seed, item id, count), so accuracy means something with a real
 * model, the gold label's position carries no bias, and every machine sees the same sets.
 */
export function labelSet(gold: string, pool: readonly string[], count: number, itemId: string, seed: number): string[] {
  const distractors = pool.filter((label) => label !== gold);
  if (count - 1 > distractors.length) {
    throw new UsageError(`--labels: ${count} labels need ${count - 1} distractors besides '${gold}', but the label pool has ${distractors.length}`);
  }
  const random = mulberry32(hashString(`${seed}:${itemId}:${count}`));
  const chosen = shuffle([...distractors], random).slice(0, count - 1);
  return shuffle([gold, ...chosen], random);
}
