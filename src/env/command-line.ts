import { readFileSync } from 'node:fs';

/**
 * Bytes of this process's command line as the kernel holds it (argv joined by NULs), which is
 * what ONNX Runtime trips over (see MAX_COMMAND_LINE_BYTES in core/session.ts). Where
 * /proc/self/cmdline does not exist, the same sum from process.argv and execArgv.
 */
export function commandLineBytes(): number {
  try {
    return readFileSync('/proc/self/cmdline').length;
  } catch {
    const args = [process.argv0, ...process.execArgv, ...process.argv.slice(1)];
    return args.reduce((sum, arg) => sum + Buffer.byteLength(arg) + 1, 0);
  }
}
