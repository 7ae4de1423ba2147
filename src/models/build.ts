/**
 * `zsc-bench model build`: writes a synthetic NLI cross-encoder as a model folder in the
 * transformers.js layout (config.json, tokenizer files, onnx/model*.onnx) plus zsc-bench.json.
 * Deterministic: the same arguments give byte-identical files on every machine.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EnvironmentError, isDiskFailure, UsageError } from '../base/errors.js';
import { makeDirectory } from '../base/directory.js';
import { formatBytes } from '../base/bytes.js';
import { MODEL_FILE_BY_PRECISION, PRECISIONS, type Precision } from './precision.js';
import { buildBertGraph, LAYER_NORM_EPS, STRUCTBERT_BASE_DIMS, TINY_DIMS, type BertDims } from './bert.js';
import { isDefaultInterface, resolveInterface, tokenizerFilesFor, type ModelInterface, type TokenizerFileSet } from './interface.js';
import type { Graph } from './graph.js';
import { encodeModel, type EncodedModel, type ExternalDataOptions } from './onnx-proto.js';
import { buildOverlapGraph, OVERLAP_DIMS } from './overlap.js';
import { quantizeDynamicInt8, toFloat16 } from './quantize.js';
import { DEFAULT_SEED } from '../stats/random.js';

export const ARCHS = ['structbert-base', 'tiny', 'overlap'] as const;
export type Arch = (typeof ARCHS)[number];

/**
 * What a synthetic model's weights are: `random` (a real architecture's shape with seeded
 * random weights: real cost, meaningless scores) or `known-answer` (built to give a predictable
 * answer, for checking an installation). `realCost`: whether it costs what the real model does.
 */
export const ARCH_KINDS: Readonly<Record<Arch, { weights: 'random' | 'known-answer'; realCost: boolean }>> = {
  'structbert-base': { weights: 'random', realCost: true },
  tiny: { weights: 'random', realCost: false },
  overlap: { weights: 'known-answer', realCost: false },
};

/**
 * Whether a model's top-1 accuracy says something: trained weights, or a known-answer synthetic
 * model (right by construction); random weights score at chance. `modelId` as results record it.
 */
export function accuracyMeaningful(modelId: string, synthetic: boolean): boolean {
  if (!synthetic) return true;
  const arch = modelId.startsWith('synthetic:') ? modelId.slice('synthetic:'.length) : '';
  return (ARCHS as readonly string[]).includes(arch) && ARCH_KINDS[arch as Arch].weights === 'known-answer';
}

/**
 * Version of the graphs this module writes, stored as the ONNX producer_version. Bump it when the
 * output changes; it is not the package version, so releases that leave models alone keep their hashes.
 */
const GRAPH_FORMAT_VERSION = '1';
const PROVENANCE_FILE = 'zsc-bench.json';

export interface BuildOptions {
  arch: Arch;
  outDir: string;
  /** Default: fp32, fp16 and int8. */
  precisions?: readonly Precision[];
  /** Non-negative safe integer; default DEFAULT_SEED (42). */
  seed?: number;
  onProgress?: (message: string) => void;
  /** How errors name the output folder: `outDir` for the library, the CLI passes its flag. */
  outDirLabel?: string;
  /** The model's interface (tokenizer, token_type_ids, head labels); default BERT's. */
  interface?: Partial<ModelInterface>;
  /** Weights in ONNX external data beside each file (onnx/model.onnx_data), as exports over 2 GiB come. */
  externalData?: boolean;
  /** The fp16 file's logits in float16 (an export without keep_io_types); default float32. */
  float16Outputs?: boolean;
}

export interface BuiltFile {
  /** Relative to outDir, with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BuildResult {
  outDir: string;
  arch: Arch;
  seed: number;
  precisions: Precision[];
  files: BuiltFile[];
}

const DIMS: Readonly<Record<Arch, BertDims>> = {
  'structbert-base': STRUCTBERT_BASE_DIMS,
  tiny: TINY_DIMS,
  overlap: OVERLAP_DIMS,
};

interface Validated {
  arch: Arch;
  seed: number;
  precisions: Precision[];
  outDir: string;
  shape: ModelInterface;
}

function validate(options: BuildOptions): Validated {
  if (!(ARCHS as readonly string[]).includes(options.arch)) {
    throw new UsageError(`arch: unknown architecture '${String(options.arch)}'; expected one of ${ARCHS.join(', ')}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`seed: '${String(seed)}' is not a non-negative safe integer`);
  }
  const requested = options.precisions ?? PRECISIONS;
  if (requested.length === 0) throw new UsageError(`precisions: no precision given; expected one or more of ${PRECISIONS.join(', ')}`);
  const unknown = requested.find((precision) => !(PRECISIONS as readonly string[]).includes(precision));
  if (unknown !== undefined) throw new UsageError(`precisions: unknown precision '${String(unknown)}'; expected one of ${PRECISIONS.join(', ')}`);
  if (options.outDir.trim() === '') throw new UsageError(`${options.outDirLabel ?? 'outDir'}: empty folder name`);
  // Canonical order and no repeats, so the provenance file does not depend on how the list was typed.
  const precisions = PRECISIONS.filter((precision) => requested.includes(precision));
  const shape = resolveInterface(options.interface ?? {}, { head: 'interface.headLabels', tokenizer: 'interface.tokenizer' });
  // The overlap graph reads WordPiece ids and segment 1: it has the one interface it was built for.
  if (options.arch === 'overlap' && !isDefaultInterface(shape)) {
    throw new UsageError(`arch overlap: its known answer needs the default interface (WordPiece, token_type_ids, entailment,neutral,contradiction); use tiny or structbert-base for others`);
  }
  return { arch: options.arch, seed, precisions, outDir: resolve(options.outDir), shape };
}

/** Refuses to replace anything but an empty folder or an earlier zsc-bench build. */
function checkReplaceable(outDir: string, label: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new UsageError(`${label}: '${outDir}' is a file; expected a folder`);
  const entries = readdirSync(outDir);
  if (entries.length > 0 && !entries.includes(PROVENANCE_FILE)) {
    throw new UsageError(`${label}: '${outDir}' exists and is not a zsc-bench model folder; choose a new or empty folder`);
  }
}

/** The dimensions of the arch with the interface's vocabulary and token types. */
function dimsOf(arch: Arch, shape: ModelInterface, tokenizer: TokenizerFileSet): BertDims {
  return { ...DIMS[arch], vocab: tokenizer.vocabSize, typeVocab: shape.tokenTypeIds ? DIMS[arch].typeVocab : 1 };
}

function configJson(dims: BertDims, shape: ModelInterface, tokenizer: TokenizerFileSet): string {
  // A SentencePiece model is written as the XLM-RoBERTa export it imitates (transformers.js picks its classes by model_type).
  const roberta = shape.tokenizer === 'unigram';
  const id2label = Object.fromEntries(shape.headLabels.map((label, id) => [String(id), label]));
  const config = {
    architectures: [roberta ? 'XLMRobertaForSequenceClassification' : 'BertForSequenceClassification'],
    model_type: roberta ? 'xlm-roberta' : 'bert',
    hidden_size: dims.hidden,
    num_hidden_layers: dims.layers,
    num_attention_heads: dims.heads,
    intermediate_size: dims.intermediate,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    vocab_size: dims.vocab,
    max_position_embeddings: dims.maxPositions,
    type_vocab_size: dims.typeVocab,
    initializer_range: 0.02,
    layer_norm_eps: LAYER_NORM_EPS,
    pad_token_id: tokenizer.padId,
    position_embedding_type: 'absolute',
    id2label,
    label2id: Object.fromEntries(shape.headLabels.map((label, id) => [label, id])),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function graphFor(arch: Arch, seed: number, shape: ModelInterface): Graph {
  if (arch === 'overlap') return buildOverlapGraph();
  const dims = dimsOf(arch, shape, tokenizerFilesFor(shape.tokenizer));
  return buildBertGraph(dims, seed, { tokenTypeIds: shape.tokenTypeIds, classes: shape.headLabels.length });
}

function variant(graph: Graph, precision: Precision, float16Outputs: boolean): Graph {
  switch (precision) {
    case 'fp32':
      return graph;
    case 'fp16':
      return toFloat16(graph, { float16Outputs });
    case 'int8':
      return quantizeDynamicInt8(graph);
  }
}

function describe(arch: Arch, seed: number): string {
  return arch === 'overlap'
    ? 'zsc-bench synthetic overlap model: entailment rises with characters the hypothesis shares with the premise'
    : ARCH_KINDS[arch].realCost
      ? `zsc-bench synthetic ${arch} NLI model, seed ${seed}: random weights, real cost per inference, meaningless accuracy`
      : `zsc-bench synthetic ${arch} NLI model, seed ${seed}: random weights, far cheaper than a real model, meaningless accuracy`;
}

/** zsc-bench.json: what was built, from which seed, with every file's sha256. */
/** The external data option of one precision's file: its data file beside it, named as optimum names it. */
function externalFor(precision: Precision, externalData: boolean): ExternalDataOptions | undefined {
  return externalData ? { location: `${MODEL_FILE_BY_PRECISION[precision]}_data` } : undefined;
}

function provenanceJson(arch: Arch, seed: number, shape: ModelInterface, layout: { externalData: boolean; float16Outputs: boolean }, precisions: readonly Precision[], fileHashes: Record<string, string>): string {
  const dims = arch === 'overlap' ? DIMS[arch] : dimsOf(arch, shape, tokenizerFilesFor(shape.tokenizer));
  const provenance = {
    tool: 'zsc-bench',
    synthetic: true,
    arch,
    seed,
    // Only when it is not the default, so default builds keep their bytes and hashes.
    ...(isDefaultInterface(shape) ? {} : { interface: { tokenizer: shape.tokenizer, tokenTypeIds: shape.tokenTypeIds, headLabels: shape.headLabels } }),
    ...(layout.externalData ? { externalData: true } : {}),
    ...(layout.float16Outputs ? { float16Outputs: true } : {}),
    precisions,
    dims: {
      layers: dims.layers,
      hidden: dims.hidden,
      heads: dims.heads,
      intermediate: dims.intermediate,
      vocab: dims.vocab,
      maxPositions: dims.maxPositions,
    },
    files: fileHashes,
  };
  return `${JSON.stringify(provenance, null, 2)}\n`;
}

/** Writes chunks to a hidden file beside `path`, then renames it into place: readers see all or nothing. */
async function writeInPlace(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await pipeline(Readable.from(chunks), createWriteStream(temporary));
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Adds the missing precision files to a folder that buildModel made with the same arch and seed,
 * leaving the files already there untouched: asking for int8 next to a cached fp32 model writes
 * only the int8 file (the weights are regenerated from the seed, but the 400 MB fp32 file is not
 * rewritten). Each file appears atomically, so a concurrent reader sees it whole or not at all.
 */
export async function addPrecisions(options: BuildOptions): Promise<BuildResult> {
  const { arch, seed, precisions, outDir, shape } = validate(options);
  const label = options.outDirLabel ?? 'outDir';
  const progress = options.onProgress ?? (() => {});
  const provenanceFile = join(outDir, PROVENANCE_FILE);
  const recorded = JSON.parse(readFileSync(provenanceFile, 'utf8')) as { arch?: unknown; seed?: unknown; interface?: unknown; externalData?: unknown; float16Outputs?: unknown; files?: Record<string, string> };
  // The folder's layout decides: a precision added beside external-data files keeps its weights outside too.
  const externalData = recorded.externalData === true;
  const float16Outputs = recorded.float16Outputs === true;
  if (recorded.arch !== arch || recorded.seed !== seed) {
    throw new UsageError(`${label}: '${outDir}' holds ${String(recorded.arch)} seed ${String(recorded.seed)}, not ${arch} seed ${seed}; choose another folder`);
  }
  // Another interface's files beside these would be another model.
  const recordedShape = JSON.stringify(recorded.interface ?? null);
  const wanted = JSON.stringify(isDefaultInterface(shape) ? null : { tokenizer: shape.tokenizer, tokenTypeIds: shape.tokenTypeIds, headLabels: shape.headLabels });
  if (recordedShape !== wanted) {
    throw new UsageError(`${label}: '${outDir}' holds ${arch} with another interface (${recordedShape === 'null' ? 'the default' : recordedShape}); choose another folder`);
  }
  const fileOf = (precision: Precision) => `onnx/${MODEL_FILE_BY_PRECISION[precision]}`;
  const missing = precisions.filter((precision) => !existsSync(join(outDir, fileOf(precision))));
  const files: BuiltFile[] = [];
  if (missing.length > 0) {
    progress(arch === 'overlap' ? 'building the overlap graph' : `generating ${arch} weights (seed ${seed})`);
    const graph = graphFor(arch, seed, shape);
    const metadata = { producerName: 'zsc-bench', producerVersion: GRAPH_FORMAT_VERSION, docString: describe(arch, seed) };
    await mkdir(join(outDir, 'onnx'), { recursive: true });
    for (const precision of missing) {
      const encoded = encodeModel(variant(graph, precision, float16Outputs), metadata, externalFor(precision, externalData));
      progress(`writing ${fileOf(precision)} (${formatBytes(encoded.byteLength)}); the files already there are kept`);
      // The data file first: a reader that sees the model file finds its weights.
      const parts: Array<[string, EncodedModel]> = encoded.externalData === undefined ? [] : [[`${fileOf(precision)}_data`, encoded.externalData]];
      parts.push([fileOf(precision), encoded]);
      for (const [path, content] of parts) {
        const hash = createHash('sha256');
        for (const chunk of content.chunks) hash.update(chunk);
        await writeInPlace(join(outDir, path), content.chunks);
        files.push({ path, bytes: content.byteLength, sha256: hash.digest('hex') });
      }
    }
  }
  // Re-read just before writing, so a precision another process added meanwhile is kept too.
  const latest = JSON.parse(readFileSync(provenanceFile, 'utf8')) as { files?: Record<string, string> };
  const hashes = { ...(latest.files ?? {}), ...Object.fromEntries(files.map((file) => [file.path, file.sha256])) };
  const present = PRECISIONS.filter((precision) => existsSync(join(outDir, fileOf(precision))));
  await writeInPlace(provenanceFile, [Buffer.from(provenanceJson(arch, seed, shape, { externalData, float16Outputs }, present, hashes), 'utf8')]);
  return { outDir, arch, seed, precisions: missing, files };
}

/** Moves the finished staging folder into place; a failed move puts the old folder back. */
async function replaceFolder(staging: string, outDir: string): Promise<void> {
  const previous = `${staging}.previous`;
  const hadPrevious = existsSync(outDir);
  if (hadPrevious) await rename(outDir, previous);
  try {
    await rename(staging, outDir);
  } catch (error) {
    if (hadPrevious) await rename(previous, outDir);
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

/**
 * Builds the model folder in a hidden sibling folder and renames it over `outDir` when complete,
 * so readers never see half a model. One precision at a time is encoded and written, which keeps
 * peak memory near the float32 weights plus one file (about 0.9 GB for structbert-base).
 */
export async function buildModel(options: BuildOptions): Promise<BuildResult> {
  const { arch, seed, precisions, outDir, shape } = validate(options);
  const progress = options.onProgress ?? (() => {});
  // raw_data must be little-endian; typed arrays use the platform's byte order.
  if (endianness() !== 'LE') throw new Error('building models needs a little-endian machine');
  const label = options.outDirLabel ?? 'outDir';
  checkReplaceable(outDir, label);
  // Not mkdtemp: it makes the folder 0700 whatever the umask, and the model would be private to
  // whoever built it (another user of a shared cache saw "missing config.json").
  const staging = join(dirname(outDir), `.${basename(outDir)}.building-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    makeDirectory(dirname(outDir));
    await mkdir(staging);
  } catch (error) {
    const message = `${label}: cannot create the folder for '${outDir}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw isDiskFailure(error) ? new EnvironmentError(message) : new UsageError(message);
  }
  // Ctrl-C or SIGTERM during a build ends the process (process.exit): its staging folder goes with it.
  const removeStaging = () => {
    try {
      // A write still in flight can add a file while the folder is removed: retry (ENOTEMPTY).
      rmSync(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      // Exiting anyway: a leftover is named .<folder>.building-<pid>-<random> beside the model.
    }
  };
  process.once('exit', removeStaging);
  const files: BuiltFile[] = [];
  const write = async (path: string, content: string | EncodedModel) => {
    const chunks = typeof content === 'string' ? [Buffer.from(content, 'utf8')] : content.chunks;
    const hash = createHash('sha256');
    let bytes = 0;
    for (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    await mkdir(dirname(join(staging, path)), { recursive: true });
    try {
      await pipeline(Readable.from(chunks), createWriteStream(join(staging, path)));
    } catch (error) {
      // A full disk or quota: the machine's state, named in one line; the staging folder is removed below.
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const message = `${join(outDir, path)}: cannot write (${code}); nothing was replaced`;
      throw isDiskFailure(error) ? new EnvironmentError(message) : new UsageError(message);
    }
    files.push({ path, bytes, sha256: hash.digest('hex') });
  };

  try {
    const tokenizer = tokenizerFilesFor(shape.tokenizer);
    await write('config.json', configJson(dimsOf(arch, shape, tokenizer), shape, tokenizer));
    await write('tokenizer.json', tokenizer.tokenizerJson);
    await write('tokenizer_config.json', tokenizer.tokenizerConfigJson);

    progress(arch === 'overlap' ? 'building the overlap graph' : `generating ${arch} weights (seed ${seed})`);
    const graph = graphFor(arch, seed, shape);
    const metadata = { producerName: 'zsc-bench', producerVersion: GRAPH_FORMAT_VERSION, docString: describe(arch, seed) };
    for (const precision of precisions) {
      const path = `onnx/${MODEL_FILE_BY_PRECISION[precision]}`;
      const encoded = encodeModel(variant(graph, precision, options.float16Outputs === true), metadata, externalFor(precision, options.externalData === true));
      progress(`writing ${path} (${formatBytes(encoded.byteLength + (encoded.externalData?.byteLength ?? 0))})`);
      await write(path, encoded);
      if (encoded.externalData !== undefined) await write(`${path}_data`, encoded.externalData);
    }

    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await write(PROVENANCE_FILE, provenanceJson(arch, seed, shape, { externalData: options.externalData === true, float16Outputs: options.float16Outputs === true }, precisions, Object.fromEntries(files.map((file) => [file.path, file.sha256]))));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await replaceFolder(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    process.removeListener('exit', removeStaging);
  }
  return { outDir, arch, seed, precisions, files };
}
