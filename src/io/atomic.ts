import { linkSync, lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EnvironmentError, isDiskFailure, UsageError } from '../base/errors.js';
import { makeDirectory } from '../base/directory.js';
import { specialKind } from '../base/input-file.js';


/**
 * A path that cannot be a file (a folder, under a file, not permitted): one line naming the file
 * and the system's reason; the user names another path (exit 2).
 */
export class WriteError extends UsageError {
  constructor(
    readonly path: string,
    readonly code: string,
    reason: string,
  ) {
    super(`${path}: cannot write (${code}${reason === '' ? '' : `: ${reason}`}); nothing was replaced`);
  }
}

/** A disk that is full, read-only or failing: the same line, as the machine's failure (exit 3). */
export class DiskWriteError extends EnvironmentError {
  constructor(
    readonly path: string,
    readonly code: string,
    reason: string,
  ) {
    super(`${path}: cannot write (${code}${reason === '' ? '' : `: ${reason}`}); nothing was replaced`);
  }
}

function writeError(path: string, error: unknown): WriteError | DiskWriteError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  // "ENOSPC: no space left on device, write" -> "no space left on device"
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
  const detail = reason === message ? '' : reason;
  return isDiskFailure(error) ? new DiskWriteError(path, code, detail) : new WriteError(path, code, detail);
}

/**
 * A path that exists and is not a regular file (a device, FIFO, socket, folder or symbolic link,
 * such as /proc/self/fd/1): writing there by rename would replace /dev/null or a pipe with a
 * file, so nothing is written.
 */
export class SpecialFileError extends UsageError {
  constructor(
    readonly path: string,
    kind: string,
  ) {
    super(`${path}: ${kind}; zsc-bench writes only to regular files, never through links (nothing was written): name another path`);
  }
}

/**
 * Refuses, before a byte is written, a path that exists and is not a regular file. Symbolic
 * links are refused too, even to a regular file: a rename would replace the link with a file,
 * and writing through it could replace what /proc/self/fd/1 points at (a shell's `> file`).
 */
export function checkWriteTarget(path: string): void {
  let own;
  try {
    own = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    // Under a file (ENOTDIR), not permitted: the write's own error, as writing would give it.
    throw writeError(path, error);
  }
  if (own === undefined || own.isFile()) return;
  if (!own.isSymbolicLink()) throw new SpecialFileError(path, specialKind(own) ?? 'not a regular file');
  let target;
  try {
    target = statSync(path, { throwIfNoEntry: false });
  } catch {
    // A loop of links (ELOOP) or one into a folder that cannot be searched: refused all the same.
    target = undefined;
  }
  const kind = target === undefined ? 'nothing that can be reached' : (specialKind(target) ?? 'a regular file');
  throw new SpecialFileError(path, `a symbolic link to ${kind}`);
}

export interface FileWrite {
  path: string;
  content: string | Uint8Array;
}

const temporaryFor = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);

/** Writes every file's temporary sibling; on any failure removes them all and throws a WriteError. */
function writeTemporaries(files: readonly FileWrite[]): string[] {
  const written: string[] = [];
  try {
    for (const file of files) {
      try {
        makeDirectory(dirname(file.path));
        const temporary = temporaryFor(file.path);
        written.push(temporary);
        writeFileSync(temporary, file.content);
      } catch (error) {
        throw writeError(file.path, error);
      }
    }
  } catch (error) {
    for (const temporary of written) rmSync(temporary, { force: true });
    throw error;
  }
  return written;
}

/**
 * Writes files so readers see the old content or the new, never a torn file nor a mixed set:
 * every file is written to a temporary sibling first, and only when all of them are complete
 * does any replace its target (renames within one filesystem are atomic, and need no space).
 * So a full disk leaves the previous pair as it was. Later files are renamed first: put the
 * file readers start from (a summary) first.
 */
export function writeFilesAtomic(files: readonly FileWrite[]): void {
  for (const file of files) checkWriteTarget(file.path);
  const temporaries = writeTemporaries(files);
  try {
    for (let index = files.length - 1; index >= 0; index -= 1) {
      const file = files[index] as FileWrite;
      try {
        renameSync(temporaries[index] as string, file.path);
      } catch (error) {
        throw writeError(file.path, error);
      }
    }
  } finally {
    for (const temporary of temporaries) rmSync(temporary, { force: true });
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  writeFilesAtomic([{ path, content }]);
}

/** Hard links where the filesystem has them; elsewhere an exclusive create (new, but not atomic). */
function linkNew(temporary: string, file: FileWrite): void {
  try {
    linkSync(temporary, file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    writeFileSync(file.path, file.content, { flag: 'wx' });
  }
}

/**
 * Creates new files under names nobody has: `name('')`, else `name('-2')`, `name('-3')`...
 * Each file is written to a temporary sibling and then hard-linked to its name, which fails
 * when the name exists, so two processes can never take the same one (two runs started in the
 * same second on one host used to overwrite each other). Returns the suffix used; afterwards
 * the files are the caller's, to be replaced with writeFilesAtomic.
 */
export function createNewFiles(name: (suffix: string) => FileWrite[]): string {
  for (let attempt = 1; attempt <= 1000; attempt += 1) {
    const suffix = attempt === 1 ? '' : `-${attempt}`;
    const files = name(suffix);
    const temporaries = writeTemporaries(files);
    const linked: string[] = [];
    try {
      let taken = false;
      for (const [index, file] of files.entries()) {
        try {
          linkNew(temporaries[index] as string, file);
          linked.push(file.path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
            taken = true;
            break;
          }
          for (const path of linked) rmSync(path, { force: true });
          throw writeError(file.path, error);
        }
      }
      if (!taken) return suffix;
      for (const path of linked) rmSync(path, { force: true });
    } finally {
      for (const temporary of temporaries) rmSync(temporary, { force: true });
    }
  }
  throw new UsageError(`${name('')[0]?.path ?? 'result file'}: 1000 files of that name already exist; use another --out folder`);
}
