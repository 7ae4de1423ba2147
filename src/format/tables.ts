import Table from 'cli-table3';
import type { Style } from './style.js';
import { markdownSafe } from './text.js';

/** A terminal table with bold headers (the one place cli-table3 is configured). */
export function renderTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style): string {
  const table = new Table({ head: head.map((cell) => style.bold(cell)), style: { head: [], border: [] } });
  for (const row of rows) table.push([...row]);
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
