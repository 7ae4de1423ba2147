import { LRUCache } from 'lru-cache';

/**
 * A bounded map that evicts the least recently used entry: lru-cache does the storage and
 * eviction; this wrapper adds the hit and miss counts that the tokenizer cache reports, and keeps
 * the capacity check's message (lru-cache's own names its option, `max`, not ours).
 */
export class LruCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<K, V>;
  private hitCount = 0;
  private missCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`LruCache: capacity must be a positive integer, got ${capacity}`);
    this.entries = new LRUCache<K, V>({ max: capacity });
  }

  get size(): number {
    return this.entries.size;
  }

  get hits(): number {
    return this.hitCount;
  }

  get misses(): number {
    return this.missCount;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) this.missCount += 1;
    else this.hitCount += 1;
    return value;
  }

  set(key: K, value: V): void {
    this.entries.set(key, value);
  }

  /** Keys from least to most recently used (for tests and diagnostics). */
  keys(): K[] {
    // rkeys() walks from the least recently used end; keys() would start at the most recent.
    return [...this.entries.rkeys()];
  }
}
