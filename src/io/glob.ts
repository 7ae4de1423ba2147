import { statSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import { UsageError } from '../base/errors.js';

/** What makes an argument a glob; braces, parentheses and the rest stay literal, as before. */
const GLOB_CHARS = /[*?[]/;

/**
 * One path segment in tinyglobby's (picomatch's) syntax with this tool's meaning: `*`, `?` and
 * closed `[...]` classes are globs (`[!...]` negates, as in shells; picomatch reads `[!...]` as a
 * class containing `!`, so it becomes `[^...]`); every other character is literal, so the
 * characters picomatch would read as braces, extglobs, groups or escapes are escaped.
 */
function librarySegment(segment: string): string {
  let out = '';
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index] ?? '';
    if (char === '[') {
      const end = segment.indexOf(']', index + 1);
      if (end === -1) out += '\\[';
      else {
        let body = segment.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        // A name starting with a dot matches only a segment starting with one; picomatch's negated
        // class would match the dot, so the first character's class excludes it.
        if (index === 0 && body.startsWith('^')) body += '.';
        out += `[${body}]`;
        index = end;
      }
    } else if (char === '*' || char === '?') out += char;
    else out += /[\\(){}|!+@]/.test(char) ? `\\${char}` : char;
  }
  return out;
}

/**
 * Files of a folder before the files of its subfolders, names in code-unit order: the order the
 * hand-written walker gave (per folder, matches here, then each subfolder sorted by name).
 */
function compareMatches(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const x = left[index] ?? '';
    const y = right[index] ?? '';
    if (x === y) continue;
    const xIsFile = index === left.length - 1;
    const yIsFile = index === right.length - 1;
    if (xIsFile !== yIsFile) return xIsFile ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

function expandGlob(pattern: string): string[] {
  // Crawl from the last folder before the first glob segment, as the pattern spells it, so results
  // keep the user's prefix (relative stays relative) and tinyglobby never walks above it.
  const segments = pattern.split('/').filter((segment, index) => segment !== '' || index === 0);
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  const prefix = segments.slice(0, firstGlob);
  const base = prefix.length === 1 && prefix[0] === '' ? '/' : prefix.join('/');
  const rest = segments.slice(firstGlob).map(librarySegment).join('/');
  const matches = globSync(rest, {
    cwd: base === '' ? '.' : base,
    onlyFiles: true,
    dot: false,
    braceExpansion: false,
    extglob: false,
    expandDirectories: false,
  });
  return matches.sort(compareMatches).map((match) => (base === '' ? join(match) : join(base, match)));
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
    const matches = expandGlob(pattern);
    if (matches.length === 0) throw new UsageError(`${flag}: no files match '${pattern}'`);
    files.push(...matches);
  }
  return [...new Set(files)];
}

/** A file named twice (results/../results/R, a hard link): the name read and the one skipped. */
export interface SameFile {
  skipped: string;
  kept: string;
}

/**
 * The files with each one only once, by device and inode (so ./, .., symbolic and hard links
 * count), in their order; a file that cannot be stat'ed is kept for its reader to report.
 */
export function distinctFiles(files: readonly string[]): { files: string[]; repeated: SameFile[] } {
  const seen = new Map<string, string>();
  const kept: string[] = [];
  const repeated: SameFile[] = [];
  for (const file of files) {
    const stats = statSync(file, { throwIfNoEntry: false });
    const identity = stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
    const first = identity === undefined ? undefined : seen.get(identity);
    if (first !== undefined) {
      repeated.push({ skipped: file, kept: first });
      continue;
    }
    if (identity !== undefined) seen.set(identity, file);
    kept.push(file);
  }
  return { files: kept, repeated };
}
