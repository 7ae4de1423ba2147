import { UsageError } from '../base/errors.js';

export function parsePositiveInteger(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag}: expected a positive whole number, got '${value}'`);
  }
  return number;
}

export function parseNonNegativeInteger(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number)) {
    throw new UsageError(`${flag}: expected a whole number >= 0, got '${value}'`);
  }
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
  return number;
}

export function parseNonNegativeNumber(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(number)) {
    throw new UsageError(`${flag}: expected a number >= 0, got '${value}'`);
  }
  return number;
}
