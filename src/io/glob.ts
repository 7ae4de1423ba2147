import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../base/errors.js';

const GLOB_CHARS = /[*?[]/;

/** A glob segment as a regular expression: `*` and `?` within one name, `[...]` classes. */
export function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = segment.indexOf(']', index + 1);
      if (end === -1) source += '\\[';
      else {
        const body = segment.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function children(dir: string): string[] {
  try {
    return readdirSync(dir === '' ? '.' : dir).sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function expandSegments(base: string, segments: readonly string[]): string[] {
  const [segment, ...rest] = segments;
  if (segment === undefined) return [base];
  const here = (name: string) => (base === '' ? name : join(base, name));
  if (segment === '**') {
    // Zero or more directories: match the rest here, then below every subdirectory.
    const below = children(base)
      .filter((name) => !name.startsWith('.') && isDirectory(here(name)))
      .flatMap((name) => expandSegments(here(name), segments));
    return [...expandSegments(base, rest), ...below];
  }
  if (!GLOB_CHARS.test(segment)) return expandSegments(here(segment), rest);
  const pattern = segmentPattern(segment);
  return children(base)
    .filter((name) => pattern.test(name) && (name.startsWith('.') === segment.startsWith('.')))
    .flatMap((name) => expandSegments(here(name), rest));
}

/**
 * Expands file arguments: plain paths pass through (a missing one is reported by whoever reads
 * it); globs (`*`, `?`, `[...]`, `**`) expand to the matching files, sorted, for shells or CI
 * steps that pass them quoted. A glob that matches nothing is an error naming it.
 */
export function expandFileArguments(patterns: readonly string[], flag: string): string[] {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!GLOB_CHARS.test(pattern)) {
      files.push(pattern);
      continue;
    }
    const absolute = pattern.startsWith('/');
    const segments = pattern.split('/').filter((segment, index) => segment !== '' || index === 0);
    const matches = expandSegments(absolute ? '/' : '', absolute ? segments.slice(1) : segments).filter((path) => !isDirectory(path));
    if (matches.length === 0) throw new UsageError(`${flag}: no files match '${pattern}'`);
    files.push(...matches);
  }
  return [...new Set(files)];
}
