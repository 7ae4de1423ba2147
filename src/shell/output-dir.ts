import { rmSync, statSync, writeFileSync } from 'node:fs';
import { makeDirectory } from '../base/directory.js';
import { join, resolve } from 'node:path';
import { isEnvironmentError, UsageError } from '../base/errors.js';
import { writeFileAtomic } from '../io/atomic.js';

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
  const input = inputs.find((path) => sameOrInside(out, path));
  if (input === undefined) return;
  const same = resolve(out) === resolve(input) || !statSync(input, { throwIfNoEntry: false })?.isDirectory();
  throw new UsageError(`${flag}: '${out}' ${same ? 'is' : 'is inside'} the input ${input}; writing there would replace what is being read: pick another file`);
}

/** This process's id in `path` (atomically), for `kill $(cat FILE)`; a path that cannot be written is the user's to fix. */
export function writePidFile(path: string, flag: string): void {
  try {
    writeFileAtomic(path, `${process.pid}\n`);
  } catch (error) {
    // A full or failing disk is the machine's (exit 3, DiskWriteError says so); the path is the user's.
    if (isEnvironmentError(error)) throw error;
    throw new UsageError(`${flag}: cannot write '${path}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
