/**
 * What is in the model cache, and removing from it. The cache holds synthetic models
 * (`models/synthetic-<arch>-seed<n>`, built on first use) and downloaded ones
 * (`models/hub/<owner>/<name>`); a build interrupted hard can leave a hidden staging folder.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../base/errors.js';
import { PROVENANCE_FILE } from '../core/model-folder.js';
import { MODEL_FILE_BY_PRECISION, PRECISIONS, type Precision } from '../models/precision.js';
import { SYNTHETIC_PREFIX, zscBenchHome } from './source.js';

export interface CachedModel {
  /** The --model value that uses this folder: `synthetic:<arch>` or `owner/name`. */
  name: string;
  dir: string;
  synthetic: boolean;
  /** For synthetic models: the architecture (see ARCH_KINDS for what its weights are). */
  arch?: string;
  seed?: number;
  files: Array<{ precision: Precision; bytes: number }>;
  bytes: number;
}

export interface CacheContents {
  home: string;
  models: CachedModel[];
  /** Staging folders of builds or removals that did not finish: safe to delete when nothing runs. */
  leftovers: Array<{ dir: string; bytes: number }>;
  bytes: number;
}

/** Bytes under a path, links not followed. */
function sizeOf(path: string): number {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

const subfolders = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort() : [];

function precisionFiles(dir: string): CachedModel['files'] {
  return PRECISIONS.flatMap((precision) => {
    const stat = lstatSync(join(dir, 'onnx', MODEL_FILE_BY_PRECISION[precision]), { throwIfNoEntry: false });
    return stat === undefined ? [] : [{ precision, bytes: stat.size }];
  });
}

function syntheticModel(dir: string, folder: string): CachedModel {
  let provenance: { arch?: unknown; seed?: unknown } = {};
  try {
    provenance = JSON.parse(readFileSync(join(dir, PROVENANCE_FILE), 'utf8')) as typeof provenance;
  } catch {
    // A folder without readable provenance is still listed (and removable), by its folder name.
  }
  const arch = typeof provenance.arch === 'string' ? provenance.arch : folder.replace(/^synthetic-/, '').replace(/-seed\d+$/, '');
  const model: CachedModel = { name: `${SYNTHETIC_PREFIX}${arch}`, dir, synthetic: true, arch, files: precisionFiles(dir), bytes: sizeOf(dir) };
  if (typeof provenance.seed === 'number') model.seed = provenance.seed;
  return model;
}

/** Lists the cache: synthetic models, downloaded models, leftovers. Reads only. */
export function listCache(home = zscBenchHome()): CacheContents {
  const root = join(home, 'models');
  const models: CachedModel[] = [];
  const leftovers: CacheContents['leftovers'] = [];
  for (const folder of subfolders(root)) {
    const dir = join(root, folder);
    if (folder.startsWith('.')) leftovers.push({ dir, bytes: sizeOf(dir) });
    else if (folder.startsWith('synthetic-')) models.push(syntheticModel(dir, folder));
  }
  const hub = join(root, 'hub');
  for (const owner of subfolders(hub)) {
    for (const name of subfolders(join(hub, owner))) {
      const dir = join(hub, owner, name);
      models.push({ name: `${owner}/${name}`, dir, synthetic: false, files: precisionFiles(dir), bytes: sizeOf(dir) });
    }
  }
  const bytes = models.reduce((sum, model) => sum + model.bytes, 0) + leftovers.reduce((sum, leftover) => sum + leftover.bytes, 0);
  return { home, models, leftovers, bytes };
}

/**
 * Removes a folder so that no reader ever sees half of it: renamed to a hidden sibling first
 * (one atomic step), then deleted.
 */
function removeFolder(dir: string): void {
  const doomed = join(dir, '..', `.removing-${relative(join(dir, '..'), dir)}-${process.pid}`);
  renameSync(dir, doomed);
  rmSync(doomed, { recursive: true, force: true });
}

/** Removes the named models (names as `model list` shows them); refuses names not in the cache. */
export function removeModels(names: readonly string[], home = zscBenchHome()): CachedModel[] {
  const contents = listCache(home);
  const chosen = names.map((name) => {
    const matches = contents.models.filter((model) => model.name === name);
    if (matches.length === 0) {
      const known = contents.models.map((model) => model.name);
      throw new UsageError(`model rm: '${name}' is not in the cache (${home}); ${known.length > 0 ? `cached: ${known.join(', ')}` : 'the cache is empty'}`);
    }
    return matches;
  });
  const removed = [...new Set(chosen.flat())];
  for (const model of removed) removeFolder(model.dir);
  return removed;
}

/** A staging folder this recent may belong to a build that is still running: left alone. */
export const LEFTOVER_MIN_AGE_MS = 10 * 60 * 1000;

/**
 * Empties the cache's model folder: every model, and leftovers older than LEFTOVER_MIN_AGE_MS;
 * and the calibration folder (peak probes, pairs-per-run calibrations, the probe's model), so the
 * next run measures them afresh. Returns what was removed and which recent leftovers were kept.
 */
export function cleanCache(home = zscBenchHome(), now = Date.now()): { removed: CacheContents & { calibration: string | undefined }; kept: CacheContents['leftovers'] } {
  const contents = listCache(home);
  const old = contents.leftovers.filter((leftover) => now - (lstatSync(leftover.dir, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= LEFTOVER_MIN_AGE_MS);
  const kept = contents.leftovers.filter((leftover) => !old.includes(leftover));
  for (const model of contents.models) removeFolder(model.dir);
  for (const leftover of old) rmSync(leftover.dir, { recursive: true, force: true });
  const calibrationDir = join(home, 'calibration');
  const calibration = existsSync(calibrationDir) ? calibrationDir : undefined;
  const calibrationBytes = calibration === undefined ? 0 : sizeOf(calibration);
  if (calibration !== undefined) removeFolder(calibration);
  const bytes = contents.bytes - kept.reduce((sum, leftover) => sum + leftover.bytes, 0) + calibrationBytes;
  return { removed: { ...contents, leftovers: old, bytes, calibration }, kept };
}
