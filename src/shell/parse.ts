import { availableParallelism } from 'node:os';
import { UsageError } from '../base/errors.js';

/**
 * The ceiling of the generic number parsers, so no numeric flag is ever unbounded: a flag with a
 * tighter natural range uses parseIntegerInRange / parseNumberInRange (src/shell/bounds.ts).
 */
export const DEFAULT_MAX = 1_000_000;

function refuseAboveMax(number: number, value: string, flag: string, expected: string, max: number): void {
  if (number > max) throw new UsageError(`${flag}: expected ${expected} up to ${max}, got '${value}'`);
}

export function parsePositiveInteger(value: string, flag: string, max = DEFAULT_MAX): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag}: expected a positive whole number, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a positive whole number', max);
  return number;
}

export function parseNonNegativeInteger(value: string, flag: string, max = DEFAULT_MAX): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number)) {
    throw new UsageError(`${flag}: expected a whole number >= 0, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a whole number >= 0', max);
  return number;
}

export function parseList<T>(value: string, flag: string, parseItem: (item: string, flag: string) => T): T[] {
  const items = value.split(/[,，]/).map((item) => item.trim()).filter((item) => item.length > 0);
  if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list, got '${value}'`);
  return items.map((item) => parseItem(item, flag));
}

/** `10%` or `10` (percent) -> 0.1. Anything else names the flag and the expected form. */
export function parsePercentage(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const percent = match === null ? Number.NaN : Number(match[1]);
  if (!Number.isFinite(percent) || percent >= 1000) {
    throw new UsageError(`${flag}: expected a percentage such as 10% (0 to 999), got '${value}'`);
  }
  return percent / 100;
}

/** A probability strictly between 0 and 1, such as a significance level. */
export function parseOpenUnitInterval(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = /^\d*\.?\d+(e-?\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(number > 0 && number < 1)) throw new UsageError(`${flag}: expected a number between 0 and 1 (exclusive), such as 0.05, got '${value}'`);
  return number;
}

export function parsePositiveNumber(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag}: expected a positive number, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a positive number', DEFAULT_MAX);
  return number;
}

export function parseNonNegativeNumber(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(number)) {
    throw new UsageError(`${flag}: expected a number >= 0, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a number >= 0', DEFAULT_MAX);
  return number;
}

/** A whole number within [min, max]; the message names the flag and the range. */
export function parseIntegerInRange(value: string, flag: string, min: number, max: number, why = ''): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}${why}, got '${value}'`);
  }
  return number;
}

/** A decimal number within (0, max] (or [0, max] when zero is allowed). */
export function parseNumberInRange(value: string, flag: string, max: number, options: { zero?: boolean; unit?: string; why?: string } = {}): number {
  const trimmed = value.trim();
  const number = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  const low = options.zero === true ? number >= 0 : number > 0;
  if (!Number.isFinite(number) || !low || number > max) {
    const unit = options.unit === undefined ? '' : ` ${options.unit}`;
    throw new UsageError(`${flag}: expected a number ${options.zero === true ? 'from 0' : 'above 0'} up to ${max}${unit}${options.why ?? ''}, got '${value}'`);
  }
  return number;
}

/**
 * The most threads a session may ask for: four per logical core. More only queue behind each
 * other (2000 threads took 39 s per classification on 2 cores, 99999 never finished).
 */
export function maxThreads(): number {
  return 4 * availableParallelism();
}

export function parseThreads(value: string, flag: string): number {
  return parseIntegerInRange(value, flag, 1, maxThreads(), ` (4 per logical core; this machine has ${availableParallelism()})`);
}

/** A thread count from a profile, held to the same per-machine limit as --threads. */
export function checkThreads(value: number | undefined, where: string): void {
  if (value !== undefined && value > maxThreads()) {
    throw new UsageError(`${where}: ${value} threads; at most ${maxThreads()} on this machine (4 per logical core; it has ${availableParallelism()})`);
  }
}
