import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

export const BIN = resolve('dist/src/cli/bin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let home: string | undefined;
function defaultHome(): string {
  home ??= mkdtempSync(join(tmpdir(), 'zsc-bench-home-'));
  return home;
}

/**
 * The environment every CLI a test starts gets: colour off and a private zsc-bench home (models,
 * calibration), never the user's cache. `env` adds to it or replaces the home.
 */
export function cliEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', ZSC_BENCH_HOME: defaultHome(), ...env };
}

/** Starts the built CLI with `cliEnv`, for a test that signals it or reads its output as it comes. */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Runs the built CLI as a user would, with colour off and a private model cache. Asynchronous,
 * so a test may serve HTTP from its own process while the CLI runs.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { input?: string; cwd?: string; uid?: number; gid?: number; launcher?: readonly string[] } = {},
): Promise<CliResult> {
  // `launcher`: what starts Node instead of this process's own binary (the arm64 tier's emulator).
  const [command = process.execPath, ...launch] = options.launcher ?? [process.execPath];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...launch, BIN, ...args], {
      env: cliEnv(env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** One line, no stack trace: what every user mistake must look like. Returns that line. */
export function oneLineError(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(result.stderr)) {
    throw new Error(`expected a one-line error, got:\n${result.stderr}`);
  }
  return lines[0] ?? '';
}

/**
 * Output with the lines the CLI wrapped at 100 columns joined again (a continuation line starts
 * with spaces), for tests that read what a warning or note says rather than how it is laid out.
 */
export function unwrap(text: string): string {
  return text.replace(/\n {2,}(?=\S)/g, ' ');
}
