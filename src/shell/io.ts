import type { Readable } from 'node:stream';
import { makeStyle, shouldColor, type Style } from '../format/style.js';
import { stripAnsi, terminalSafe, wrapText } from '../format/text.js';

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
    // Warnings, notes and progress lines fit the terminal; an error stays one line for scripts to grep.
    err: (text) => {
      const safe = terminalSafe(text);
      process.stderr.write(stripAnsi(safe).startsWith('error:') ? safe : wrapText(safe));
    },
    outStyle: makeStyle(shouldColor(process.stdout)),
    errStyle: makeStyle(shouldColor(process.stderr)),
    errIsTTY: process.stderr.isTTY === true,
    env: process.env,
    stdin: process.stdin,
  };
}
