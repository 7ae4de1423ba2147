import { lstatSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { makeDirectory } from '../base/directory.js';
import { join, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { writeFileAtomic, checkWriteTarget } from '../io/atomic.js';
import { samplesPathFor } from '../compare/read-results.js';
import { savedProfilePathFor } from '../profiles/saved-profile.js';

/** Helpers the commands that write result files share. */

export function checkWritable(dir: string): void {
  const probe = join(dir, `.zsc-bench-write-test-${process.pid}`);
  try {
    makeDirectory(dir);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new UsageError(`--out: results folder '${dir}' is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** The same file (or a folder holding it): compared by device and inode, so links and ./ tricks count. */
function sameOrInside(out: string, input: string): boolean {
  const target = resolve(out);
  const source = resolve(input);
  if (target === source || target.startsWith(`${source}/`)) return true;
  try {
    const a = statSync(target);
    const b = statSync(source);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/** Refuses an --out that would replace one of the command's inputs (or write into an input folder). */
export function refuseOverwritingInputs(out: string, inputs: readonly string[], flag = '--out'): void {
  namingFlag(flag, () => checkWriteTarget(out));
  const input = inputs.find((path) => sameOrInside(out, path));
  if (input === undefined) return;
  const same = resolve(out) === resolve(input) || !statSync(input, { throwIfNoEntry: false })?.isDirectory();
  throw new UsageError(`${flag}: '${out}' ${same ? 'is' : 'is inside'} the input ${input}; writing there would replace what is being read: pick another file`);
}

/**
 * The one check of compare, report and recommend: --out may not be a file they read, nor the
 * samples or saved profile beside a summary (by path, device and inode, so hard links count).
 */
export function refuseOverwritingResults(out: string, files: readonly string[], flag = '--out'): void {
  refuseOverwritingInputs(out, [...files, ...files.map(samplesPathFor), ...files.map(savedProfilePathFor)], flag);
}

/** Runs `work`, naming the flag in front of a one-line error it throws (keeping its kind, so its exit code). */
function namingFlag<T>(flag: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(`${flag}:`)) error.message = `${flag}: ${error.message}`;
    throw error;
  }
}

/**
 * The pid file of `serve`, for `kill $(cat FILE)`. The path is checked at start-up (a device,
 * FIFO or folder is refused, never replaced); the file is written atomically once listening and
 * removed on exit only while it is still the file this process wrote (same inode, same pid), so
 * a file another server wrote since, or anything else, is left alone.
 */
export class PidFile {
  private written: { dev: number; ino: number } | undefined;

  constructor(
    readonly path: string,
    private readonly flag: string,
  ) {
    namingFlag(flag, () => checkWriteTarget(path));
  }

  private get content(): string {
    return `${process.pid}\n`;
  }

  write(): void {
    namingFlag(this.flag, () => writeFileAtomic(this.path, this.content));
    const stats = statSync(this.path);
    this.written = { dev: stats.dev, ino: stats.ino };
  }

  remove(): void {
    const written = this.written;
    if (written === undefined) return;
    this.written = undefined;
    try {
      const stats = lstatSync(this.path);
      if (stats.isFile() && stats.dev === written.dev && stats.ino === written.ino && readFileSync(this.path, 'utf8') === this.content) rmSync(this.path);
    } catch {
      // Gone or unreadable: nothing of ours to remove.
    }
  }
}
