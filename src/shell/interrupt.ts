import type { Io } from './io.js';
import { EXIT } from './exit.js';


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
  const onSignal = () => abort.abort();
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
