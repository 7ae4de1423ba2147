import type { Io } from './io.js';
import { EXIT, Interrupted } from './exit.js';


/**
 * Until a command takes Ctrl-C over (run and load keep what finished, serve drains), an
 * interrupt ends the process with one line saying nothing ran, instead of silently: model
 * builds and loads take seconds to minutes. Registered before any command's own listener, so
 * it runs first and steps aside while one exists. Returns a function that removes it.
 */
export function reportInterrupts(io: Io): () => void {
  let commandTookOver = false;
  const onNewListener = (event: string | symbol) => {
    if (event === 'SIGINT') commandTookOver = true;
  };
  const onSigint = () => {
    if (process.listenerCount('SIGINT') > 1) return;
    io.err(commandTookOver ? 'interrupted again: stopping now\n' : 'interrupted during start-up (before anything ran): no results were written\n');
    process.exit(EXIT.interrupted);
  };
  // SIGTERM (a service manager, `timeout`) has no command of its own to take it over during
  // start-up: one line and 143 rather than a silent death, and process.exit runs exit hooks
  // (a model build removes its staging folder).
  const onSigterm = () => {
    if (process.listenerCount('SIGTERM') > 1) return;
    io.err(commandTookOver ? 'terminated: stopping now\n' : 'terminated during start-up (before anything ran): no results were written\n');
    process.exit(EXIT.terminated);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('newListener', onNewListener);
  return () => {
    process.removeListener('SIGTERM', onSigterm);
    process.removeListener('SIGINT', onSigint);
    process.removeListener('newListener', onNewListener);
  };
}

/** Ctrl-C for every command: one helper, so each one stops the same way and exits 130. */

/**
 * Runs `work` with a signal that SIGINT (Ctrl-C) aborts, and removes the handler afterwards so
 * a second Ctrl-C ends the process as usual.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>, signals: readonly NodeJS.Signals[] = ['SIGINT']): Promise<T> {
  const abort = new AbortController();
  // The reason is the signal's name: a command that stops on several says which (exit 130 or 143).
  const onSignal = (name: NodeJS.Signals) => abort.abort(name);
  for (const name of signals) process.once(name, onSignal);
  try {
    return await work(abort.signal);
  } finally {
    for (const name of signals) process.removeListener(name, onSignal);
  }
}

/** Resolves with the first of `signals` to arrive (for commands that run until stopped). */
export function untilSignal(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const name of signals) process.removeListener(name, stop);
      resolve(signal);
    };
    for (const name of signals) process.once(name, stop);
  });
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * For commands that read, compute and then write one output (compare, report, recommend). Their
 * work is synchronous, so without this a Ctrl-C is seen only after the output was written and
 * the command exits 0. `step()` lets the event loop deliver signals and throws Interrupted
 * (exit 130/143) once one came: call it after reading and before writing.
 */
export async function stopOnSignals<T>(work: (step: () => Promise<void>) => Promise<T>): Promise<T> {
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
  };
  // once: a second Ctrl-C during a long read reaches reportInterrupts, which stops at once.
  for (const name of STOP_SIGNALS) process.once(name, onSignal);
  const step = async () => {
    // A signal that came during synchronous work is read in a poll phase; one immediate can run
    // before it (seen on Node 20), so give the loop a few turns (about a millisecond).
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (received !== undefined) throw new Interrupted(received);
  };
  try {
    return await work(step);
  } finally {
    for (const name of STOP_SIGNALS) process.removeListener(name, onSignal);
  }
}
