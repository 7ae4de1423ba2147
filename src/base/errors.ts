/**
 * A mistake the user can fix (bad flag, file, field or model folder). The CLI prints its message
 * as one line, without a stack trace, and exits with code 2. Anything else is a bug or an
 * environment failure and exits 1.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}
