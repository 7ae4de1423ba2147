import { describe, expect, it } from 'vitest';
import { detectEmulation, processName } from '../../src/env/emulation.js';
import { fakeRoot } from '../helpers/fake-root.js';

function rootWithStatus(status: string): string {
  return fakeRoot({ 'proc/self/status': status });
}

describe('detectEmulation', () => {
  it('reads the process name qemu-user leaves in /proc/self/status', () => {
    expect(processName('Name:\tqemu-aarch64-st\nUmask:\t0022\n')).toBe('qemu-aarch64-st');
    expect(processName('Umask:\t0022\n')).toBeUndefined();
  });

  it('names qemu-user from the status file, and nothing for a native process', () => {
    expect(detectEmulation({}, rootWithStatus('Name:\tqemu-aarch64-st\nState:\tR (running)\n'))).toBe(`qemu-user (qemu-aarch64-st, ${process.arch} guest)`);
    expect(detectEmulation({}, rootWithStatus('Name:\tnode\nState:\tR (running)\n'))).toBe('');
  });

  it("prefers the wrapper's words (binfmt_misc hides the emulator's name), and reads no file it cannot", () => {
    expect(detectEmulation({ ZSC_BENCH_EMULATED: ' qemu-aarch64 -cpu cortex-a76 ' }, rootWithStatus('Name:\tnode\n'))).toBe('qemu-aarch64 -cpu cortex-a76');
    expect(detectEmulation({}, fakeRoot({}))).toBe('');
  });
});
