/**
 * The peak RSS reset in a process of its own: a spike that must not be this test runner's. The
 * child imports the built module (dist/), so this file is in the e2e tier.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('peak RSS reset', () => {
  it('brings VmHWM back down after a freed spike (Linux)', () => {
    // A child with --expose-gc frees a 300 MB spike, then resets the mark through our function.
    const script = `
      const { peakRssBytes, resetPeakRss } = await import(${JSON.stringify(new URL('../../dist/src/env/memory.js', import.meta.url).href)});
      let spike = Buffer.alloc(300 * 1024 * 1024, 1);
      spike = null; globalThis.gc();
      const before = peakRssBytes();
      const reset = resetPeakRss();
      console.log(JSON.stringify({ before, reset, after: peakRssBytes() }));`;
    const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { before, reset, after } = JSON.parse(output) as { before: number; reset: boolean; after: number };
    expect(reset).toBe(true);
    expect(before).toBeGreaterThan(300 * 1024 * 1024);
    expect(after).toBeLessThan(before - 200 * 1024 * 1024);
  });
});
