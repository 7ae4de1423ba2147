/**
 * How a command ends: one exit-code type for every command, and the one place that turns an
 * error into its exit code and its one line for the user (README "Exit codes").
 */
import { isEnvironmentError, isUsageError } from '../base/errors.js';
import { ProviderUnavailableError } from '../core/session.js';

export const EXIT = {
  ok: 0,
  /** `check`, or `ab` with `--max-regression`, found a regression: the measurement's verdict, not an error. */
  regression: 1,
  /** `recommend`: no platform meets every requirement (SLO, budget): a script can tell. */
  noneMeets: 1,
  /** A usage or input error the user can fix; `model inspect`: the model would be refused (after the whole report). */
  usage: 2,
  /** The machine failed, not the input: provider cannot load, download failed, disk write failed. */
  environment: 3,
  /** `run --processes`: a child process failed (crashed, killed); the others' results were kept. */
  incomplete: 4,
  /** An unexpected failure, a zsc-bench bug (sysexits' EX_SOFTWARE): a CI job tells it from a regression. */
  bug: 70,
  /** Ctrl-C (128 + SIGINT): what completed was kept. */
  interrupted: 130,
  /** SIGTERM (128 + 15): during start-up, or a command that stops before writing its output. */
  terminated: 143,
} as const;

/** A command stopped by SIGINT or SIGTERM before it wrote its output: exit 130 or 143, nothing written. */
export class Interrupted extends Error {
  override readonly name: string = 'Interrupted';

  constructor(
    readonly signal: NodeJS.Signals,
    what = 'nothing was written',
  ) {
    super(`interrupted by ${signal}: ${what}`);
  }
}


/** The exit codes for `--help`; the README's "Exit codes" table says the same at length. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success (check, ab: no regression; recommend: a platform meets the SLO)
  1    a regression (check; ab with --max-regression); recommend: no platform meets every requirement
  2    a usage or input error (one line naming the flag, file or field); model inspect: would refuse
  3    an environment failure (provider cannot load, download or disk write failed)
  4    run: a child process failed; the other processes' results were kept (incomplete)
  70   an unexpected failure, a zsc-bench bug (ZSC_BENCH_DEBUG=1 shows the stack)
  130  interrupted with Ctrl-C (what completed is kept)
  143  stopped by SIGTERM (start-up; compare, report, recommend: nothing written; webui: rounds kept)
`;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Failure {
  code: ExitCode;
  /** One line without a stack trace, except for bugs when `debug` is set. */
  message: string;
  /** An unexpected error: the user is told it is likely a zsc-bench bug. */
  bug: boolean;
  /** A signal, not an error: the line is printed without "error:". */
  interrupted?: boolean;
}

/**
 * Errors from the library layers name options, not flags (the library API has no command line):
 * the CLI adds the flag that fixes an error here.
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
  if (error instanceof Interrupted) return { code: error.signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted, message: error.message, bug: false, interrupted: true };
  if (isUsageError(error)) return { code: EXIT.usage, message: error.message + cliHint(error), bug: false };
  if (isEnvironmentError(error)) return { code: EXIT.environment, message: error.message + cliHint(error), bug: false };
  const filesystem = filesystemFailure(error);
  if (filesystem !== undefined) return filesystem;
  const message = error instanceof Error ? ((debug ? error.stack : undefined) ?? error.message) : String(error);
  return { code: EXIT.bug, message, bug: true };
}
