import type { Readable } from 'node:stream';
import { makeStyle, shouldColor, type Style } from '../format/style.js';
import { terminalSafe } from '../format/text.js';

/** Where a command writes: tables and results to stdout, progress and notes to stderr. */
export interface Io {
  // Function properties, not methods: commands pass io.out and io.err on as plain callbacks.
  out: (text: string) => void;
  err: (text: string) => void;
  outStyle: Style;
  errStyle: Style;
  /** Whether stderr is an interactive terminal (progress bars redraw in place only there). */
  errIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Where `-` reads from. */
  stdin: Readable;
}

export function processIo(): Io {
  return {
    // Every line printed passes one filter: a CSV or profile cannot send terminal escapes.
    out: (text) => void process.stdout.write(terminalSafe(text)),
    err: (text) => void process.stderr.write(terminalSafe(text)),
    outStyle: makeStyle(shouldColor(process.stdout)),
    errStyle: makeStyle(shouldColor(process.stderr)),
    errIsTTY: process.stderr.isTTY === true,
    env: process.env,
    stdin: process.stdin,
  };
}
