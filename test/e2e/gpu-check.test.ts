import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, type CliResult } from '../helpers/cli.js';

const SCRIPT = resolve('scripts/gpu-check.sh');

/** PATH without any folder holding an nvidia-smi, so "no GPU" holds on a GPU machine too. */
const pathWithoutNvidiaSmi = (process.env['PATH'] ?? '')
  .split(delimiter)
  .filter((dir) => dir !== '' && !existsSync(join(dir, 'nvidia-smi')))
  .join(delimiter);

/** A folder with an `nvidia-smi` that prints `output`, exits `code` and records its arguments. */
function fakeNvidiaSmi(output: string, code = 0): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-gpu-check-smi-'));
  const log = join(dir, 'calls.log');
  writeFileSync(join(dir, 'output.txt'), `${output}\n`);
  writeFileSync(join(dir, 'nvidia-smi'), `#!/bin/sh\necho "$*" >> '${log}'\ncat '${join(dir, 'output.txt')}'\nexit ${code}\n`);
  chmodSync(join(dir, 'nvidia-smi'), 0o755);
  return { dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

/** Runs `command` to its end with `cliEnv` (colour off, a private zsc-bench home) plus `env`. */
function collect(command: string, args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const gpuCheck = (args: readonly string[], env: Record<string, string>) => collect('bash', [SCRIPT, ...args], env);

/** A results folder that does not exist yet, and a zsc-bench home that starts empty. */
function freshPlaces(): { out: string; home: string } {
  const base = mkdtempSync(join(tmpdir(), 'zsc-gpu-check-'));
  return { out: join(base, 'results'), home: mkdtempSync(join(tmpdir(), 'zsc-gpu-check-home-')) };
}

describe('scripts/gpu-check.sh refuses a machine without a usable GPU', () => {
  it('without nvidia-smi: exit 2, one line naming it, nothing on stdout, nothing written', async () => {
    const { out, home } = freshPlaces();
    const result = await gpuCheck(['--out', out], { PATH: pathWithoutNvidiaSmi, ZSC_BENCH_HOME: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gpu-check: no NVIDIA GPU here (nvidia-smi not found); run this on a CUDA machine after the README's CUDA install\n");
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('nvidia-smi lists a GPU but the CUDA provider cannot load: exit 2, one line naming the provider, no model built, no run', async () => {
    const smi = fakeNvidiaSmi('NVIDIA A10G');
    const { out, home } = freshPlaces();
    // The project installs onnxruntime-node without its CUDA libraries (install.test.ts checks
    // it), so the CLI's provider check refuses before building the probe's model.
    const result = await gpuCheck(['--out', out, 'a10g'], { PATH: `${smi.dir}${delimiter}${pathWithoutNvidiaSmi}`, ZSC_BENCH_HOME: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gpu-check: onnxruntime-node's CUDA provider does not load: CUDA execution provider unavailable (libonnxruntime_providers_cuda.so is not installed; reinstall onnxruntime-node with its CUDA binaries (README: GPU machines))\n");
    expect(result.stdout).toBe('');
    expect(smi.calls()).toEqual(['--query-gpu=name --format=csv,noheader']);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('nvidia-smi present but failing (no driver): exit 2, one line with its message', async () => {
    const smi = fakeNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 9);
    const { out, home } = freshPlaces();
    const result = await gpuCheck(['--out', out], { PATH: `${smi.dir}${delimiter}${pathWithoutNvidiaSmi}`, ZSC_BENCH_HOME: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gpu-check: no usable NVIDIA GPU (nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.); run this on a CUDA machine after the README's CUDA install\n");
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown profile is refused before anything is looked at', async () => {
    const smi = fakeNvidiaSmi('NVIDIA A10G');
    const result = await gpuCheck(['v100'], { PATH: `${smi.dir}${delimiter}${pathWithoutNvidiaSmi}` });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('gpu-check: profile v100: expected a10g, t4, rtx3090 or a profile JSON file\n');
    expect(result.stdout).toBe('');
    expect(smi.calls()).toEqual([]);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const result = await gpuCheck(['--help'], { PATH: pathWithoutNvidiaSmi });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('Usage: bash scripts/gpu-check.sh [--out DIR] [PROFILE]');
    expect(result.stdout).toContain('PASS at >= 90% on cuda');
  });

  it('npm run gpu:check, as the README writes it, runs the script', async () => {
    const result = await collect('npm', ['run', 'gpu:check'], { PATH: pathWithoutNvidiaSmi, npm_config_color: 'false' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gpu-check: no NVIDIA GPU here (nvidia-smi not found); run this on a CUDA machine after the README's CUDA install\n");
    // npm's own header names the command it ran.
    expect(result.stdout).toContain('> bash scripts/gpu-check.sh');
  });
});
