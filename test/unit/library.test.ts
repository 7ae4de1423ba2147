import { describe, expect, it } from 'vitest';
import { benchmark, UsageError } from '../../src/index.js';

describe('library benchmark()', () => {
  it('refuses overrides a profile file could not hold, one line per field, before anything loads', () => {
    expect(() => benchmark({ profile: 'cpu', overrides: { items: -1 } })).toThrow(new UsageError('overrides: field "items": expected a positive integer up to 1000000, got -1'));
    expect(() => benchmark({ profile: 'cpu', overrides: { labelCounts: [3, 99] } })).toThrow('overrides: field "labelCounts": expected an ascending list of distinct positive integers up to 64, got [3,99]');
    expect(() => benchmark({ profile: 'cpu', overrides: { nonsense: 1 } as never })).toThrow(/^overrides: unknown field "nonsense"; known fields: extends, name/);
  });
});
