/**
 * Whether this process runs under a user-mode CPU emulator (qemu-user): its timings are the
 * emulator's, not the emulated machine's, so result rows say so and compare/recommend keep them
 * apart. qemu-user hides itself from /proc/self/exe and /proc/self/stat, but not from
 * /proc/self/status, whose Name is the host binary's (`qemu-aarch64-st`, cut to 15 characters).
 * Under binfmt_misc the name is the guest's, so a wrapper may also say it with ZSC_BENCH_EMULATED.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The variable a wrapper sets to describe the emulator, e.g. `qemu-aarch64 -cpu cortex-a76`. */
export const EMULATED_VARIABLE = 'ZSC_BENCH_EMULATED';

/** `Name:\tqemu-aarch64-st` -> `qemu-aarch64-st`; undefined when the line is missing. */
export function processName(status: string): string | undefined {
  return /^Name:\s*(.+)$/m.exec(status)?.[1]?.trim();
}

/** '' when native; else what emulates this process (the wrapper's words first, then the emulator's own name). */
export function detectEmulation(env: NodeJS.ProcessEnv = process.env, root = '/'): string {
  const declared = env[EMULATED_VARIABLE]?.trim() ?? '';
  if (declared !== '') return declared;
  let status: string;
  try {
    status = readFileSync(join(root, 'proc', 'self', 'status'), 'utf8');
  } catch {
    return '';
  }
  const name = processName(status) ?? '';
  return name.startsWith('qemu-') ? `qemu-user (${name}, ${process.arch} guest)` : '';
}
