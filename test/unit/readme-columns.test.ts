import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AB_CSV } from '../../src/schema/ab.js';
import { LOAD_CSV, SAMPLES_CSV, SUMMARY_CSV } from '../../src/schema/results.js';

/** README's "Result columns" section: the one place every written column is explained. */
function reference(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('### Result columns');
  const end = readme.indexOf('\n### ', start + 1);
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, end);
}

describe('README column reference', () => {
  const section = reference();
  const documented = new Set([...section.matchAll(/`([a-z0-9_]+)`/g)].map((match) => match[1]));
  it.each([
    ['summary CSV', SUMMARY_CSV.names],
    ['samples CSV', SAMPLES_CSV.names],
    ['load CSV', LOAD_CSV.names],
    ['A/B CSV', AB_CSV.names],
  ])('explains every column of the %s', (_kind, columns) => {
    expect(columns.filter((name) => !documented.has(name))).toEqual([]);
  });
});
