import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/base/directory.js';
import { createNewFiles, writeFilesAtomic, WriteError } from '../../src/io/atomic.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'zsc-atomic-'));

describe('writeFilesAtomic', () => {
  it('replaces nothing when any file of the set cannot be written', () => {
    const dir = fresh();
    const summary = join(dir, 'run.csv');
    writeFileSync(summary, 'old summary');
    writeFileSync(join(dir, 'blocker'), '');
    // The second file's folder is a file: its write fails after the first was written.
    const attempt = () => writeFilesAtomic([{ path: summary, content: 'new summary' }, { path: join(dir, 'blocker', 'run-samples.csv'), content: 'x' }]);
    expect(attempt).toThrow(WriteError);
    expect(attempt).toThrow(/blocker\/run-samples\.csv: cannot write \(ENOTDIR/);
    expect(readFileSync(summary, 'utf8')).toBe('old summary');
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'run.csv']);
  });

  it('writes every file when all can be written', () => {
    const dir = fresh();
    writeFilesAtomic([{ path: join(dir, 'a.csv'), content: 'a' }, { path: join(dir, 'sub', 'b.csv'), content: 'b' }]);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('a');
    expect(readFileSync(join(dir, 'sub', 'b.csv'), 'utf8')).toBe('b');
  });
});

describe('createNewFiles', () => {
  it('never takes a name that exists: the second caller gets -2, the third -3', () => {
    const dir = fresh();
    const pair = (suffix: string) => [
      { path: join(dir, `cpu-host-20260101T000000Z${suffix}.csv`), content: `summary${suffix}` },
      { path: join(dir, `cpu-host-20260101T000000Z${suffix}-samples.csv`), content: `samples${suffix}` },
    ];
    expect(createNewFiles(pair)).toBe('');
    expect(createNewFiles(pair)).toBe('-2');
    expect(createNewFiles(pair)).toBe('-3');
    expect(readFileSync(join(dir, 'cpu-host-20260101T000000Z.csv'), 'utf8')).toBe('summary');
    expect(readFileSync(join(dir, 'cpu-host-20260101T000000Z-2-samples.csv'), 'utf8')).toBe('samples-2');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('skips a name whose second file exists, without leaving the first behind', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'r-samples.csv'), 'stale');
    const suffix = createNewFiles((s) => [{ path: join(dir, `r${s}.csv`), content: 's' }, { path: join(dir, `r${s}-samples.csv`), content: 'x' }]);
    expect(suffix).toBe('-2');
    expect(existsSync(join(dir, 'r.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'r-samples.csv'), 'utf8')).toBe('stale');
  });
});

describe('makeDirectory', () => {
  it('creates nested folders and accepts existing ones', () => {
    const dir = join(fresh(), 'a', 'b', 'c');
    makeDirectory(dir);
    makeDirectory(dir);
    expect(existsSync(dir)).toBe(true);
  });
  it('fails at once where recursive mkdir loops (a folder under /proc)', () => {
    expect(() => makeDirectory('/proc/zsc-bench-x/y')).toThrow(/ENOENT/);
  });
  it('names ENOTDIR when a file is in the way', () => {
    const root = fresh();
    writeFileSync(join(root, 'f'), '');
    expect(() => makeDirectory(join(root, 'f', 'x'))).toThrow(/ENOTDIR/);
  });
});
