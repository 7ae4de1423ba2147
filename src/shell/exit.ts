/**
 * How a command ends: one exit-code type for every command, and the one place that turns an
 * error into its exit code and its one line for the user (README "Exit codes").
 */
import { isEnvironmentError, isUsageError } from '../base/errors.js';
import { ProviderUnavailableError } from '../core/session.js';

export const EXIT = {
  ok: 0,
  /** `check` found a regression; otherwise an unexpected failure (a bug). */
  failure: 1,
  /** A usage or input error the user can fix. */
  usage: 2,
  /** The machine failed, not the input: provider cannot load, download failed, disk write failed. */
  environment: 3,
  /** Ctrl-C (128 + SIGINT): what completed was kept. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Failure {
  code: ExitCode;
  /** One line without a stack trace, except for bugs when `debug` is set. */
  message: string;
  /** An unexpected error: the user is told it is likely a zsc-bench bug. */
  bug: boolean;
}

/**
 * The layers below name no flags (the library API has options, not flags): the CLI adds the
 * flag that fixes an error here.
 */
function cliHint(error: unknown): string {
  if (error instanceof ProviderUnavailableError) return '; pass --allow-fallback to run on CPU';
  return '';
}

/** A full, read-only or failing disk: the machine. */
const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);
/** A path the user named that cannot be used (missing, a folder, not permitted) or too many open files: not a bug. */
const PATH_CODES = new Set(['EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EXDEV']);

/** One line naming the file and the system's reason, for a filesystem failure nothing else caught. */
function filesystemFailure(error: unknown): Failure | undefined {
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || !(DISK_CODES.has(code) || PATH_CODES.has(code))) return undefined;
  const reason = (error as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  const verb = syscall === 'write' || syscall === 'rename' || syscall === 'mkdir' ? 'write' : syscall === 'open' ? 'open' : 'access';
  return { code: DISK_CODES.has(code) ? EXIT.environment : EXIT.usage, message: `${path}: cannot ${verb} (${code}: ${reason})`, bug: false };
}

export function failureOf(error: unknown, debug: boolean): Failure {
  if (isUsageError(error)) return { code: EXIT.usage, message: error.message + cliHint(error), bug: false };
  if (isEnvironmentError(error)) return { code: EXIT.environment, message: error.message + cliHint(error), bug: false };
  const filesystem = filesystemFailure(error);
  if (filesystem !== undefined) return filesystem;
  const message = error instanceof Error ? ((debug ? error.stack : undefined) ?? error.message) : String(error);
  return { code: EXIT.failure, message, bug: true };
}
