import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { packageRoot } from '../env/package.js';

/** Helpers the commands that write result files share. */

export function checkWritable(dir: string): void {
  const probe = join(dir, `.zsc-bench-write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new UsageError(`--out: results folder '${dir}' is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export function resolveDataset(path: string): string {
  // Bundled datasets are named relative to the package; a user's own path relative to the cwd.
  if (isAbsolute(path) || existsSync(path)) return resolve(path);
  const bundled = join(packageRoot(), path);
  return existsSync(bundled) ? bundled : resolve(path);
}

/** How a result row names its dataset: relative to the package when bundled, else the full path. */
export function datasetName(path: string): string {
  const inPackage = relative(packageRoot(), path);
  return inPackage.startsWith('..') || isAbsolute(inPackage) ? path : inPackage;
}

/** An ISO timestamp as a file-name stamp: 2025-01-02T03:04:05.678Z -> 20250102T030405Z. */
export function fileStamp(timestamp: string): string {
  return timestamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

