import { describe, expect, it } from 'vitest';
import { makeStyle, shouldColor } from '../../src/format/style.js';
import { bar, displayWidth, formatBytes, formatMs, padEndDisplay } from '../../src/format/text.js';

describe('text helpers', () => {
  it('counts CJK characters as two columns', () => {
    expect(displayWidth('体育')).toBe(4);
    expect(displayWidth('AI科技')).toBe(6);
    expect(padEndDisplay('体育', 6)).toBe('体育  ');
  });
  it('draws bars in eighth-cell steps', () => {
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██');
    expect(bar(1 / 32, 4)).toBe('▏');
    expect(bar(0, 4)).toBe('');
    expect(bar(Number.NaN, 4)).toBe('');
    expect(bar(2, 2)).toBe('██');
  });
  it('formats milliseconds and bytes', () => {
    expect(formatMs(1234.4)).toBe('1234 ms');
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(1.2345)).toBe('1.23 ms');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(409 * 1024 * 1024)).toBe('409.0 MiB');
  });
});

describe('colour decision', () => {
  it('honours NO_COLOR, FORCE_COLOR and TTY', () => {
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
  it('plain style leaves text alone', () => {
    expect(makeStyle(false).red('x')).toBe('x');
    expect(makeStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
