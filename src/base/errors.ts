/**
 * The two kinds of failure a user sees as one line without a stack trace (src/shell/exit.ts
 * turns each into its exit code). Anything else is a bug.
 */

/** A mistake in the input the user can fix: a flag, file, field, profile or model folder. Exit 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/**
 * The machine failed, not the input: an execution provider that cannot load, a download that
 * failed, a disk that refused a write. Exit 3, so scripts can retry or skip rather than fix.
 */
export class EnvironmentError extends Error {
  override readonly name: string = 'EnvironmentError';
}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}

export function isEnvironmentError(error: unknown): error is EnvironmentError {
  return error instanceof EnvironmentError;
}

/** Codes of a full, read-only or failing disk: the machine's failure, not the input's. */
const DISK_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS']);

/** A write failure of the machine (exit 3, EnvironmentError), not of the path the user gave (exit 2). */
export function isDiskFailure(error: unknown): boolean {
  return DISK_FAILURES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}
