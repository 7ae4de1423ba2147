import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';

/**
 * A small keyed JSON file for per-host measurements (calibrations, peak probes). A missing or
 * unreadable file is an empty cache: the measurement is simply taken again. Written atomically,
 * so two processes at worst lose one entry, never the file.
 */
export function readCacheEntry<T>(file: string, key: string, isValid: (value: unknown) => value is T): T | undefined {
  const value = readCache(file)[key];
  return isValid(value) ? value : undefined;
}

export function writeCacheEntry(file: string, key: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify({ ...readCache(file), [key]: value }, null, 2)}\n`);
}

function readCache(file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
