/** scripts/arm64.sh (the arm64 tier's setup) where it cannot run: one line naming what is missing, exit 2. */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const isRoot = process.getuid?.() === 0;

/** A world-readable copy of the script in a folder shaped like the project (mkdtemp folders are private). */
function scriptCopy(): { root: string; script: string } {
  const root = mkdtempSync(join(tmpdir(), 'zsc-arm64-script-'));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(join(root, 'dist', 'src', 'cli', 'bin.js'), '');
  const script = join(root, 'scripts', 'arm64.sh');
  copyFileSync(resolve('scripts/arm64.sh'), script);
  chmodSync(script, 0o755);
  return { root, script };
}

function lines(text: string): string[] {
  return text.trim().split('\n').filter((line) => line !== '');
}

describe('scripts/arm64.sh refuses with one line', () => {
  it.runIf(process.arch === 'x64')('without root (no private mount namespace for the Pi 5 cpuinfo)', () => {
    const { script } = scriptCopy();
    // As root, the same refusal is seen through another user.
    const result = spawnSync('bash', [script], { encoding: 'utf8', ...(isRoot ? { uid: 65534, gid: 65534 } : {}), env: { PATH: process.env['PATH'] ?? '' } });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^arm64: needs root: each emulated command runs in a private mount namespace \(unshare -m\)/) as string]);
  });

  it.runIf(isRoot && process.arch === 'x64')('without qemu and without apt-get to install it', () => {
    const { root, script } = scriptCopy();
    // Only the commands the script needs before it looks for qemu: no qemu-aarch64-static, no apt-get.
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const command of ['uname', 'id', 'unshare', 'true', 'dirname']) {
      const found = spawnSync('bash', ['-c', `type -P ${command}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(bin, command));
    }
    const result = spawnSync('/bin/bash', [script], { encoding: 'utf8', env: { PATH: bin } });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^arm64: missing qemu-user-static( [\w+.-]+)* and there is no apt-get; install qemu-aarch64-static/) as string]);
  });
});
