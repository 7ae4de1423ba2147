import { describe, expect, it } from 'vitest';
import { makeStyle } from '../../src/format/style.js';
import { fitColumns, renderTable } from '../../src/format/tables.js';
import { displayWidth, stripAnsi, wrapLine, wrapText } from '../../src/format/text.js';
import { formatBytes } from '../../src/base/bytes.js';

const plain = makeStyle(false);
const widest = (text: string): number => Math.max(...text.split('\n').map(displayWidth));

describe('display width', () => {
  it('gives colour codes no column and wide characters two', () => {
    expect(displayWidth(makeStyle(true).yellow('note'))).toBe(4);
    expect(stripAnsi(makeStyle(true).bold('体育'))).toBe('体育');
    expect(displayWidth('体育，财经')).toBe(10);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('wrapLine', () => {
  it('breaks at spaces with a hanging indent', () => {
    expect(wrapLine('warning: one two three four', 20, 9)).toEqual(['warning: one two', '         three four']);
    // The hanging indent never takes more than half the line.
    expect(wrapLine('warning: one two three', 14, 9)).toEqual(['warning: one', '       two', '       three']);
  });
  it('splits a word wider than the line, counting CJK as two columns', () => {
    expect(wrapLine('体育财经科技娱乐', 6)).toEqual(['体育财', '经科技', '娱乐']);
    expect(wrapLine('x /a/very/long/path', 8, 2)).toEqual(['x', '  /a/ver', '  y/long', '  /path']);
  });
  it('leaves a line that fits as it is', () => {
    expect(wrapLine('short', 10, 2)).toEqual(['short']);
  });
});

describe('wrapText', () => {
  it('hangs continuation lines under the prefix of a warning and leaves short lines and table lines alone', () => {
    const warning = `warning: ${'word '.repeat(30).trim()}`;
    const wrapped = wrapText(`${warning}\nshort\n│ ${'x'.repeat(120)} │`, 40).split('\n');
    expect(wrapped[0]).toBe('warning: word word word word word word');
    expect(wrapped[1]).toBe('         word word word word word word');
    expect(wrapped.slice(-2)).toEqual(['short', `│ ${'x'.repeat(120)} │`]);
    expect(Math.max(...wrapped.slice(0, -1).map(displayWidth))).toBeLessThanOrEqual(40);
  });
  it('keeps lines that redraw in place whole', () => {
    const progress = `\r${'y'.repeat(150)}`;
    expect(wrapText(progress, 100)).toBe(progress);
  });
});

describe('tables fit 100 columns', () => {
  it('shrinks the widest columns first', () => {
    // 3 columns: 4 borders + 6 padding leave 20 for the text.
    expect(fitColumns([30, 5, 5], 30)).toEqual([10, 5, 5]);
    expect(fitColumns([3, 4], 100)).toEqual([3, 4]);
    // Never below 6 columns of text: the table stays wider than asked rather than unreadable.
    expect(fitColumns([10, 10, 10], 20)).toEqual([6, 6, 6]);
  });
  it('wraps cells of a table wider than 100 columns, and --wide keeps every cell on one line', () => {
    const head = ['profile', 'host', 'provider', 'note'];
    const rows = [['cpu', 'a-very-long-host-name-that-goes-on', 'cuda (FALLBACK from tensorrt,cuda)', '体育 '.repeat(25).trim()]];
    const fitted = renderTable(head, rows, plain);
    expect(widest(fitted)).toBeLessThanOrEqual(100);
    expect(widest(fitted)).toBeGreaterThan(80);
    expect(stripAnsi(fitted)).toContain('体育');
    expect(widest(renderTable(head, rows, plain, { wide: true }))).toBeGreaterThan(100);
  });
});

describe('one size formatter', () => {
  it('shows sizes in binary units', () => {
    expect(formatBytes(409_000_000)).toBe('390.1 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.00 GiB');
    expect(formatBytes(900)).toBe('900 B');
  });
});
