import Table from 'cli-table3';
import type { Style } from './style.js';
import { displayWidth, markdownSafe, TERMINAL_COLUMNS, wrapLine } from './text.js';

/** Narrowest a column's text is squeezed to before the table is left wider than the terminal. */
const MIN_COLUMN = 6;

/**
 * Text widths per column that fit `width` terminal columns (borders and one space of padding
 * each side included): the widest columns give way first, down to MIN_COLUMN.
 */
export function fitColumns(natural: readonly number[], width: number, longestWords: readonly number[] = [], widestCells: readonly number[] = []): number[] {
  const widths = [...natural];
  const budget = width - (widths.length + 1) - 2 * widths.length;
  let total = widths.reduce((sum, value) => sum + value, 0);
  // Headers wrap first, then cells at spaces, then words are split, down to MIN_COLUMN.
  const floors = [(index: number) => Math.max(MIN_COLUMN, widestCells[index] ?? 0), (index: number) => Math.max(MIN_COLUMN, longestWords[index] ?? 0), () => MIN_COLUMN];
  for (const floorOf of floors) {
    while (total > budget) {
      let widest = -1;
      widths.forEach((value, index) => {
        if (value > floorOf(index) && (widest < 0 || value > (widths[widest] ?? 0))) widest = index;
      });
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
      total -= 1;
    }
  }
  return widths;
}

const wrapCell = (cell: string, width: number): string[] => cell.split('\n').flatMap((line) => wrapLine(line, width));

/**
 * A terminal table with bold headers (the one place cli-table3 is configured). By default it fits
 * TERMINAL_COLUMNS: cells of the widest columns wrap onto more lines; `wide` leaves every cell on
 * one line however wide the table gets.
 */
export function renderTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style, options: { wide?: boolean } = {}): string {
  const column = (index: number): string[] => [head[index] ?? '', ...rows.map((row) => row[index] ?? '')];
  const natural = head.map((_, index) => Math.max(...column(index).flatMap((cell) => cell.split('\n')).map(displayWidth)));
  const longestWords = head.map((_, index) => Math.max(...column(index).flatMap((cell) => cell.split(/\s+/)).map(displayWidth)));
  // A header wraps between its words before anything is split: `provide|r` reads worse than a wrapped cell.
  const widestCells = head.map((title, index) => Math.max(0, ...title.split(/\s+/).map(displayWidth), ...rows.map((row) => row[index] ?? '').flatMap((cell) => cell.split('\n')).map(displayWidth)));
  const widths = options.wide === true ? natural : fitColumns(natural, TERMINAL_COLUMNS, longestWords, widestCells);
  const fit = (cell: string, index: number): string[] => wrapCell(cell, widths[index] ?? MIN_COLUMN);
  const table = new Table({ head: head.map((cell, index) => fit(cell, index).map((line) => style.bold(line)).join('\n')), style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((cell, index) => fit(cell, index).join('\n')));
  return table.toString();
}

const escapeMarkdown = (cell: string): string => markdownSafe(cell.replace(/\n/g, ' ')).replace(/\|/g, '\\|');

/** A number, optionally followed by a parenthesized note such as (+73.2%), or '-' for none. */
const NUMERIC_CELL = /^(?:[-+]?\d+(?:\.\d+)?(?: \([^)]*\))?|-)$/;

/** A GitHub-flavoured Markdown table; numeric-looking columns are right-aligned. */
export function renderMarkdownTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const numeric = head.map((_, index) => {
    const cells = rows.map((row) => row[index] ?? '');
    return cells.some((cell) => cell !== '-') && cells.every((cell) => NUMERIC_CELL.test(cell));
  });
  const lines = [
    `| ${head.map(escapeMarkdown).join(' | ')} |`,
    `|${numeric.map((right) => (right ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeMarkdown).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
