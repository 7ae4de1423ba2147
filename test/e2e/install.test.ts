import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
/** npm as the README's commands call it, in this checkout, without colour. */
const npm = (args: readonly string[]) => run('npm', [...args], { env: { ...process.env, NO_COLOR: '1', npm_config_color: 'false' }, timeout: 120_000 });

describe('a quiet install that downloads nothing but npm packages', () => {
  it('npm reads the project .npmrc without a warning and turns dependency install scripts off', async () => {
    const { stdout, stderr } = await npm(['config', 'get', 'ignore-scripts']);
    expect(stdout.trim()).toBe('true');
    expect(stderr).toBe('');
  });

  it('the build leaves the bin executable, which npx needs when its cache already links this folder', () => {
    const { bin } = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    for (const target of Object.values(bin)) expect(statSync(target).mode & 0o111).toBe(0o111);
  });

  it('npx zsc-bench prints only its own output (no npm warnings on stderr)', async () => {
    const { stdout, stderr } = await npm(['exec', '--offline', '--', 'zsc-bench', '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(stderr).toBe('');
  });

  it('npm ci has nothing to warn about (dry run of the lockfile install)', async () => {
    const { stderr } = await npm(['ci', '--dry-run', '--offline']);
    expect(stderr).not.toMatch(/warn/i);
  });

  it("onnxruntime-node's CUDA download did not run: its CPU binaries are there, no provider libraries", () => {
    const bin = join('node_modules', 'onnxruntime-node', 'bin', 'napi-v6', `${process.platform}`, process.arch);
    expect(existsSync(join(bin, 'onnxruntime_binding.node'))).toBe(true);
    expect(readdirSync(bin).filter((file) => /providers_(cuda|tensorrt)/.test(file))).toEqual([]);
  });
});
