import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { UsageError } from './errors.js';

/**
 * Every file the tool reads goes through readInputFile (or, for a file another library opens,
 * checkInputFile): a FIFO would block for ever and /dev/zero would be read until the kernel kills
 * the process, so only regular files are read, and only up to a size per kind of input.
 */

const MiB = 1024 * 1024;

/** The largest file of each kind the tool reads (README: "Files it will not touch"). */
export const INPUT_LIMITS = {
  /** classify --text-file: one text. */
  text: 16 * MiB,
  /** A profile (--profile, an `extends` target, a saved .profile.json). */
  profile: 1 * MiB,
  /** A model folder's JSON files (tokenizer.json of a large vocabulary is 10-20 MB). */
  modelJson: 256 * MiB,
  /** A dataset CSV (--dataset, the profile's dataset). */
  dataset: 256 * MiB,
  /**
   * A result CSV (summary, samples, load, webui) or an ab CSV. Memory grows about 25 times a
   * file's size while it is read; 64 MiB is about 150,000 samples with their scores at 10 labels
   * (about 400 bytes a row), far beyond a default run's 1,600.
   */
  results: 64 * MiB,
  /** The ONNX model: ONNX Runtime reads it itself, so only its kind is checked. */
  model: Number.POSITIVE_INFINITY,
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

/** What a path that is not a regular file is, in words ('a FIFO (named pipe)'), or undefined for a regular file. */
export function specialKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** 16 MiB, 256 MiB, 1.5 MiB: how the limits are printed. */
export function formatMiB(bytes: number): string {
  const mib = bytes / MiB;
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/** The one line for a file that is not an input: names the file, what it is and what was expected. */
function refusal(path: string, what: string, problem: string): UsageError {
  return new UsageError(`${what === '' ? '' : `${what}: `}${path}: ${problem}`);
}

function checkStats(path: string, stats: Stats, kind: InputKind, what: string): void {
  const special = specialKind(stats);
  if (special !== undefined) throw refusal(path, what, `${special}, not a regular file; expected a file to read`);
  const limit = INPUT_LIMITS[kind];
  if (stats.size > limit) throw refusal(path, what, `${formatMiB(stats.size)}; at most ${formatMiB(limit)} for this kind of file`);
}

/** Opens without blocking (a FIFO would wait for a writer) and checks kind and size before a byte is read. */
function openChecked(path: string, kind: InputKind, what: string): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    checkStats(path, fstatSync(fd), kind, what);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/**
 * Checks that `path` is a regular file within its kind's limit, for a file another library
 * opens (ONNX Runtime's model). A special file or one over the limit is a UsageError naming
 * `what` and the file (exit 2); a file that cannot be opened throws the system's error (ENOENT...)
 * for the caller to word, so callers rethrow UsageErrors and word the rest.
 */
export function checkInputFile(path: string, kind: InputKind, what = ''): void {
  closeSync(openChecked(path, kind, what));
}

/**
 * The bytes of a regular file of at most its kind's limit. Reads at most one byte past the
 * limit, so a file that grows while read (or a /proc file that reports size 0) is still bounded.
 */
export function readInputFile(path: string, kind: InputKind, what = ''): Buffer {
  const fd = openChecked(path, kind, what);
  const limit = INPUT_LIMITS[kind];
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MiB, limit + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > limit) throw refusal(path, what, `more than ${formatMiB(limit)}; at most ${formatMiB(limit)} for this kind of file`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
