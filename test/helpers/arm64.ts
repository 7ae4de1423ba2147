/**
 * The arm64 tier's way to start the built CLI: under qemu-user as a Cortex-A76 (a Raspberry Pi
 * 5's CPU), in a private mount namespace where a Pi 5's /proc/cpuinfo hides the x86 host's
 * (onnxruntime's arm64 build reads it to pick kernels). scripts/arm64.sh finds or installs the
 * pieces and names them in ZSC_ARM64_*; on an arm64 host it leaves the emulator empty.
 */
import { runCli, type CliResult } from './cli.js';

interface Arm64Setup {
  node: string;
  qemu: string;
  ldPrefix: string;
  cpuinfo: string;
}

function setup(): Arm64Setup {
  const node = process.env['ZSC_ARM64_NODE'];
  if (node === undefined || node === '') throw new Error('ZSC_ARM64_NODE is not set: run this tier with npm run test:arm64 (scripts/arm64.sh sets up the emulator)');
  return { node, qemu: process.env['ZSC_ARM64_QEMU'] ?? '', ldPrefix: process.env['ZSC_ARM64_LD_PREFIX'] ?? '', cpuinfo: process.env['ZSC_ARM64_CPUINFO'] ?? '' };
}

/** True when the tier emulates (an x86 host), false on a real arm64 machine. */
export const emulating = (): boolean => setup().qemu !== '';

/** The command line that starts arm64 Node: unshare, mount the cpuinfo, then qemu with the Pi 5's CPU model. */
function launcher(pieces: Arm64Setup): string[] {
  if (pieces.qemu === '') return [pieces.node];
  const mountThenRun = 'mount --bind "$1" /proc/cpuinfo && shift && exec "$@"';
  return ['unshare', '-m', 'sh', '-c', mountThenRun, 'sh', pieces.cpuinfo, pieces.qemu, '-cpu', 'cortex-a76', pieces.node];
}

/** Runs the built CLI on arm64 with the same private home and colour setting as runCli. */
export function runArm64Cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const pieces = setup();
  return runCli(args, { ...env, ...(pieces.ldPrefix !== '' ? { QEMU_LD_PREFIX: pieces.ldPrefix } : {}) }, { launcher: launcher(pieces) });
}
