/** What every table, warning and note fits by default (`--wide` lifts it for tables), as hyperfine does. */
export const TERMINAL_COLUMNS = 100;

// SGR colour codes (ESC [ ... m): they take no column. Built from a string: lint refuses a control character in a regex literal.
const SGR_SOURCE = `${String.fromCharCode(27)}\\[[0-9;]*m`;
const ANSI_SGR = new RegExp(SGR_SOURCE, 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, '');
}

/**
 * Terminal columns a string occupies: East Asian wide and full-width characters take two, colour
 * codes none, combining marks and zero-width characters none.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

function charWidth(code: number): number {
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  return isWide(code) ? 2 : 1;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Splits one word into pieces of at most `width` columns (a long path, or Chinese text without spaces). */
function splitWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  // Colour codes stay whole inside a piece.
  for (const token of word.split(new RegExp(`(${SGR_SOURCE})`))) {
    if (stripAnsi(token) === '' && token !== '') {
      piece += token;
      continue;
    }
    for (const char of token) {
      if (piece !== '' && displayWidth(piece + char) > width) {
        pieces.push(piece);
        piece = '';
      }
      piece += char;
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/**
 * One line broken at spaces into lines of at most `width` columns; continuation lines get a
 * hanging indent (`indent` columns). A word wider than a line is split.
 */
export function wrapLine(line: string, width: number, indent = 0): string[] {
  if (displayWidth(line) <= width) return [line];
  const hang = ' '.repeat(Math.min(indent, Math.floor(width / 2)));
  const lines: string[] = [];
  let current = line.match(/^ */)?.[0] ?? '';
  let empty = true;
  for (const word of line.trimStart().split(/ +/)) {
    if (word === '') continue;
    const room = width - displayWidth(current) - (empty ? 0 : 1);
    if (displayWidth(word) <= room) {
      current += (empty ? '' : ' ') + word;
      empty = false;
      continue;
    }
    if (!empty) {
      lines.push(current);
      current = hang;
    }
    const pieces = splitWord(word, width - displayWidth(current));
    for (const piece of pieces.slice(0, -1)) {
      lines.push(current + piece);
      current = hang;
    }
    current += pieces[pieces.length - 1] ?? '';
    empty = false;
  }
  if (!empty) lines.push(current);
  return lines;
}

/**
 * The one place text is fitted to the terminal: every line of `text` wider than `width` columns
 * is wrapped at word boundaries with a hanging indent under its first word (`warning: `,
 * `note: `, `1. `) or two spaces. Lines that redraw in place (`\r`) and table lines (renderTable
 * fits those itself, or `--wide` asked for them whole) are left as they are.
 */
const TABLE_LINE = /^ *[\u2500-\u257f]/;

export function wrapText(text: string, width = TERMINAL_COLUMNS): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const plain = stripAnsi(line);
      if (line.includes('\r') || TABLE_LINE.test(plain) || displayWidth(line) <= width) return [line];
      const lead = plain.match(/^ */)?.[0].length ?? 0;
      const prefix = plain.slice(lead).match(/^(?:[a-zA-Z]+:|\d+\.|-) /)?.[0].length ?? 2;
      return wrapLine(line, width, lead + Math.min(prefix, 10));
    })
    .join('\n');
}

export function padEndDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar for a fraction in [0, 1], `width` cells wide at 1, in eighth-cell steps. */
export function bar(fraction: number, width: number): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(clamped * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? '');
}

/** Milliseconds with a precision that suits their size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export { formatBytes } from '../base/bytes.js';

/** A number to fixed digits, or '-' when it is missing or not finite. */
export function num(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** A percentage with its sign: +73.2%, -4.0%. */
export function signedPercent(value: number, digits: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}%` : '-';
}

/** The provider that ran, and when it is not the one asked for, which one that was. */
export function providerCell(ran: { actualProvider: string; requestedProvider: string; fallback: boolean }): string {
  return ran.fallback ? `${ran.actualProvider} (FALLBACK from ${ran.requestedProvider})` : ran.actualProvider;
}

/** How a server batches: `on (≤ 8 pairs, wait ≤ 2 ms, inexact)` or `off`. */
export function batchingCell(server: { batching: string; maxBatchPairs: number; inexactBatching: boolean; maxWaitMs?: number }): string {
  if (server.batching !== 'on') return 'off';
  const details = [`≤ ${server.maxBatchPairs} pairs`];
  if (server.maxWaitMs !== undefined) details.push(`wait ≤ ${server.maxWaitMs} ms`);
  if (server.inexactBatching) details.push('inexact');
  return `on (${details.join(', ')})`;
}

/**
 * The sequences zsc-bench writes itself (src/format/style.ts colours, the progress line's erase),
 * kept; every other control character (C0 but tab, newline and the progress line's carriage
 * return; DEL; C1) is removed, so text from a CSV or profile cannot retitle or clear a terminal.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TERMINAL_CONTROL = /\u001b\[(?:\d{1,2})?[mK]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Text for a terminal: control characters from user data removed, the tool's own colours kept. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROL, (match) => (match.length > 1 ? match : ''));
}

/** Text for Markdown: control characters removed and HTML escaped, so `<script>` in a name stays text. */
export function markdownSafe(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

/**
 * A CSV cell a spreadsheet will not run: text starting with = + - @ (or tab or carriage return)
 * gets a leading apostrophe (OWASP's advice for CSV injection); numbers, and text that is a
 * number (-1.5), are left as they are.
 */
export function spreadsheetSafe<T>(cell: T): T | string {
  if (typeof cell !== 'string' || !/^[=+\-@\t\r]/.test(cell)) return cell;
  return cell.trim() !== '' && Number.isFinite(Number(cell)) ? cell : `'${cell}`;
}
