import { UsageError } from '../core/errors.js';

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
