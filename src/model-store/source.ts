import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { makeDirectory } from '../base/directory.js';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { addPrecisions, ARCHS, buildModel, type Arch } from '../models/build.js';
import { EnvironmentError, UsageError } from '../base/errors.js';
import { MODEL_FILE_BY_PRECISION, type Precision } from '../models/precision.js';
import { PROVENANCE_FILE } from '../core/model-folder.js';
import { loadClassifierFromFolder, type Classifier, type ClassifierOptions } from '../core/classifier.js';
import { refuseMissingProviders } from '../core/session.js';
import { DEFAULT_SEED } from '../stats/random.js';

export const SYNTHETIC_PREFIX = 'synthetic:';
export const DEFAULT_MODEL = `${SYNTHETIC_PREFIX}structbert-base`;

export type ProgressListener = (message: string) => void;

/** Where zsc-bench keeps built and downloaded models: $ZSC_BENCH_HOME, else the XDG cache. */
export function zscBenchHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env['ZSC_BENCH_HOME']) return resolve(env['ZSC_BENCH_HOME']);
  const cache = env['XDG_CACHE_HOME'] ? resolve(env['XDG_CACHE_HOME']) : join(homedir(), '.cache');
  return join(cache, 'zsc-bench');
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** How a model value names its folder: a folder as given, a synthetic build in the cache, or a hub download in the cache. */
export type ModelSourceKind = 'folder' | 'synthetic' | 'hub';

export interface LocatedModel {
  source: ModelSourceKind;
  /** The folder, absolute; for a cached model, where it is or will be. */
  dir: string;
  /** Whether the folder is there yet (a folder given is; a cached model once built or downloaded). */
  present: boolean;
  /** For synthetic:<arch>. */
  arch?: Arch;
}

/** The cache folder of a synthetic architecture, built from the default seed. */
function syntheticModelDir(arch: Arch): string {
  return join(zscBenchHome(), 'models', `synthetic-${arch}-seed${DEFAULT_SEED}`);
}

function hubModelDir(id: string): string {
  return join(zscBenchHome(), 'models', 'hub', ...id.split('/'));
}

/**
 * Where a model value points, building and downloading nothing: `synthetic:<arch>`, an existing
 * folder, or `owner/name` (a Hugging Face id) in the cache. Refuses a value that is none of
 * these. `where` is how errors name the value (see resolveModelDir).
 */
export function locateModel(value: string, where = 'model'): LocatedModel {
  if (value.startsWith(SYNTHETIC_PREFIX)) {
    const archName = value.slice(SYNTHETIC_PREFIX.length);
    if (!(ARCHS as readonly string[]).includes(archName)) {
      throw new UsageError(`${where}: unknown synthetic architecture '${archName}'; expected one of ${ARCHS.join(', ')}`);
    }
    const arch = archName as Arch;
    const dir = syntheticModelDir(arch);
    // A build appears whole (staged, then renamed into place): with its zsc-bench.json, the folder is built.
    return { source: 'synthetic', dir, present: existsSync(join(dir, PROVENANCE_FILE)), arch };
  }
  if (existsSync(value)) {
    if (!statSync(value).isDirectory()) throw new UsageError(`${where}: '${value}' is a file; expected a model folder`);
    return { source: 'folder', dir: resolve(value), present: true };
  }
  const local = localReason(value);
  if (HUB_ID.test(value) && local === undefined) {
    const dir = hubModelDir(value);
    return { source: 'hub', dir, present: existsSync(dir) };
  }
  const why = local === undefined ? '' : ` (${local})`;
  throw new UsageError(
    `${where}: no such folder '${value}'${why}; expected a model folder, a Hugging Face id (owner/name) or synthetic:<${ARCHS.join('|')}>`,
  );
}

/**
 * Turns a model value into a local folder: `synthetic:<arch>` is built into the cache on
 * first use, an existing folder is used as is, and `owner/name` is downloaded from the
 * Hugging Face hub ($HF_ENDPOINT) into the cache. `where` is how errors name the value
 * (the CLI passes '--model'; the library API's option is `model`).
 */
export async function resolveModelDir(
  spec: string | undefined,
  precision: Precision,
  onProgress: ProgressListener = () => {},
  where = 'model',
): Promise<string> {
  const value = spec ?? DEFAULT_MODEL;
  const located = locateModel(value, where);
  if (located.arch !== undefined) return ensureSyntheticModel(located.arch, located.dir, precision, onProgress);
  if (located.source === 'hub') return downloadHubModel(value, located.dir, precision, onProgress, where);
  return located.dir;
}

/**
 * Why a value names a local path rather than a hub id: its first segment is a folder here, as
 * in `models/tinyy` (a typo of `models/tiny`). Values that start like a path (./, /, ~) never
 * match the hub id pattern anyway. Undefined for a plausible hub id.
 */
function localReason(value: string): string | undefined {
  const first = value.split('/')[0] ?? '';
  return first !== '' && existsSync(first) && statSync(first).isDirectory() ? `taken as a local path: '${first}' is a folder here` : undefined;
}

async function ensureSyntheticModel(arch: Arch, dir: string, precision: Precision, onProgress: ProgressListener): Promise<string> {
  const file = join(dir, 'onnx', MODEL_FILE_BY_PRECISION[precision]);
  // Files appear atomically, so one that exists is complete.
  if (existsSync(file) && existsSync(join(dir, PROVENANCE_FILE))) return dir;
  if (existsSync(join(dir, PROVENANCE_FILE))) {
    onProgress(`adding the ${precision} file to the cached synthetic ${arch} model in ${dir} (the other files are kept); this happens once`);
    await addPrecisions({ arch, outDir: dir, seed: DEFAULT_SEED, precisions: [precision], onProgress, outDirLabel: 'model cache' });
    return dir;
  }
  onProgress(`building the synthetic ${arch} model (${precision}) into ${dir}; this happens once`);
  await buildModel({ arch, outDir: dir, seed: DEFAULT_SEED, precisions: [precision], onProgress, outDirLabel: 'model cache' });
  return dir;
}

function hubEndpoint(): string {
  return (process.env['HF_ENDPOINT'] ?? 'https://huggingface.co').replace(/\/+$/, '');
}

async function downloadHubModel(id: string, dir: string, precision: Precision, onProgress: ProgressListener, where: string): Promise<string> {
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/${MODEL_FILE_BY_PRECISION[precision]}`];
  const endpoint = hubEndpoint();
  for (const file of files) {
    const target = join(dir, file);
    if (existsSync(target)) continue;
    onProgress(`downloading ${id}/${file} from ${endpoint}`);
    await downloadFile(`${endpoint}/${id}/resolve/main/${file}`, target, { id, file, endpoint, where });
  }
  return dir;
}

async function downloadFile(url: string, target: string, { id, file, endpoint, where }: { id: string; file: string; endpoint: string; where: string }): Promise<void> {
  const headers: Record<string, string> = {};
  if (process.env['HF_TOKEN']) headers['authorization'] = `Bearer ${process.env['HF_TOKEN']}`;
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    // The network failed, not the input: an environment error (exit 3 on the CLI).
    throw new EnvironmentError(
      `${where}: cannot download '${id}' from ${endpoint} (${reason}); this machine looks offline: pass ${where} with a local model folder (README: Models)`,
    );
  }
  if (!response.ok || response.body === null) {
    throw new UsageError(
      `${where}: '${id}' has no ${file} at ${endpoint} (HTTP ${response.status}); the repository needs ONNX weights in the transformers.js layout`,
    );
  }
  makeDirectory(dirname(target));
  const partial = `${target}.partial-${process.pid}`;
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(partial));
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
}

export interface OpenClassifierOptions extends ClassifierOptions {
  /** A model folder, a Hugging Face id, or synthetic:<arch> (default synthetic:structbert-base). */
  model?: string;
  /** How errors name the model value (default 'model'; the CLI says '--model'). */
  modelLabel?: string;
  onProgress?: ProgressListener;
}

/** Resolves the model (building or downloading it when needed), then opens a classifier on the folder. */
export async function loadClassifier(options: OpenClassifierOptions = {}): Promise<Classifier> {
  const { model, onProgress, modelLabel, ...classifierOptions } = options;
  // A provider that certainly cannot load is refused before a model is built or downloaded for it.
  if (classifierOptions.allowFallback !== true) refuseMissingProviders(classifierOptions.providers ?? []);
  const models = join(zscBenchHome(), 'models');
  // A folder of the cache that vanished meanwhile (`cache clean` during a run) is the machine's state, not the input's.
  if (model !== undefined && resolve(model).startsWith(`${models}/`) && !existsSync(model)) {
    throw new EnvironmentError(`${resolve(model)}: the cached model folder was removed after this command found it (zsc-bench cache clean meanwhile?); run again to rebuild or download it`);
  }
  const dir = await resolveModelDir(model, classifierOptions.precision ?? 'fp32', onProgress, modelLabel);
  return loadClassifierFromFolder(dir, classifierOptions);
}
