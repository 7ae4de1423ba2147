import { MAX_ITEMS, MAX_REPEATS } from '../profiles/profile.js';

/**
 * The ranges every numeric flag accepts, in one place. Each bound stops a value that cannot be
 * meant (a run that never ends, a timer Node cannot hold, a table no screen shows), not a
 * value that is merely unusual.
 */
export const BOUNDS = {
  /** Timed runs per item at each label count. */
  repeats: MAX_REPEATS,
  /** Items drawn from a dataset (also at most the dataset's size). */
  items: MAX_ITEMS,
  /** Seeds are 32-bit everywhere they are used. */
  seed: 0xffff_ffff,
  /** Load test: seconds per level, warm-up, request timeout (Node timers hold at most ~24.8 days). */
  durationS: 86_400,
  warmupS: 3_600,
  timeoutS: 3_600,
  concurrency: 1_000,
  rateRps: 10_000,
  /** serve */
  maxBatchPairs: 4_096,
  maxWaitMs: 10_000,
  maxQueue: 100_000,
  maxTextChars: 1_000_000,
  hypothesisCache: 1_000_000,
  /** dataset import-thucnews */
  perClass: 1_000_000,
  maxChars: 1_000_000,
} as const;
