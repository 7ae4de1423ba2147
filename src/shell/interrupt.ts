import type { Io } from './io.js';

/** Exit code of a process ended by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

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
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  process.on('newListener', onNewListener);
  return () => {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('newListener', onNewListener);
  };
}
