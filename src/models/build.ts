/**
 * `zsc-bench model build`: writes a synthetic NLI cross-encoder as a model folder in the
 * transformers.js layout (config.json, tokenizer files, onnx/model*.onnx) plus zsc-bench.json.
 * Deterministic: the same arguments give byte-identical files on every machine.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../base/errors.js';
import { MODEL_FILE_BY_PRECISION, PRECISIONS, type Precision } from './precision.js';
import { buildBertGraph, LAYER_NORM_EPS, STRUCTBERT_BASE_DIMS, TINY_DIMS, type BertDims } from './bert.js';
import type { Graph } from './graph.js';
import { encodeModel, type EncodedModel } from './onnx-proto.js';
import { buildOverlapGraph, OVERLAP_DIMS } from './overlap.js';
import { quantizeDynamicInt8, toFloat16 } from './quantize.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-files.js';
import { buildVocab } from './vocab.js';

export const ARCHS = ['structbert-base', 'tiny', 'overlap'] as const;
export type Arch = (typeof ARCHS)[number];

const DEFAULT_BUILD_SEED = 42;
/**
 * Version of the graphs this module writes, stored as the ONNX producer_version. Bump it when the
 * output changes; it is not the package version, so releases that leave models alone keep their hashes.
 */
const GRAPH_FORMAT_VERSION = '1';
const PROVENANCE_FILE = 'zsc-bench.json';
const ID2LABEL = { 0: 'entailment', 1: 'neutral', 2: 'contradiction' } as const;

export interface BuildOptions {
  arch: Arch;
  outDir: string;
  /** Default: fp32, fp16 and int8. */
  precisions?: readonly Precision[];
  /** Non-negative safe integer; default 42. */
  seed?: number;
  onProgress?: (message: string) => void;
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

function validate(options: BuildOptions): { arch: Arch; seed: number; precisions: Precision[]; outDir: string } {
  if (!(ARCHS as readonly string[]).includes(options.arch)) {
    throw new UsageError(`--arch: unknown architecture '${String(options.arch)}'; expected one of ${ARCHS.join(', ')}`);
  }
  const seed = options.seed ?? DEFAULT_BUILD_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`--seed: '${String(seed)}' is not a non-negative safe integer`);
  }
  const requested = options.precisions ?? PRECISIONS;
  if (requested.length === 0) throw new UsageError(`--precision: no precision given; expected one or more of ${PRECISIONS.join(', ')}`);
  const unknown = requested.find((precision) => !(PRECISIONS as readonly string[]).includes(precision));
  if (unknown !== undefined) throw new UsageError(`--precision: unknown precision '${String(unknown)}'; expected one of ${PRECISIONS.join(', ')}`);
  if (options.outDir.trim() === '') throw new UsageError('--out: empty folder name');
  // Canonical order and no repeats, so the provenance file does not depend on how the list was typed.
  const precisions = PRECISIONS.filter((precision) => requested.includes(precision));
  return { arch: options.arch, seed, precisions, outDir: resolve(options.outDir) };
}

/** Refuses to replace anything but an empty folder or an earlier zsc-bench build. */
function checkReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new UsageError(`--out: '${outDir}' is a file; expected a folder`);
  const entries = readdirSync(outDir);
  if (entries.length > 0 && !entries.includes(PROVENANCE_FILE)) {
    throw new UsageError(`--out: '${outDir}' exists and is not a zsc-bench model folder; choose a new or empty folder`);
  }
}

function configJson(dims: BertDims): string {
  const config = {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
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
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    id2label: ID2LABEL,
    label2id: Object.fromEntries(Object.entries(ID2LABEL).map(([id, label]) => [label, Number(id)])),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function graphFor(arch: Arch, seed: number): Graph {
  return arch === 'overlap' ? buildOverlapGraph() : buildBertGraph(DIMS[arch], seed);
}

function variant(graph: Graph, precision: Precision): Graph {
  switch (precision) {
    case 'fp32':
      return graph;
    case 'fp16':
      return toFloat16(graph);
    case 'int8':
      return quantizeDynamicInt8(graph);
  }
}

function describe(arch: Arch, seed: number): string {
  return arch === 'overlap'
    ? 'zsc-bench synthetic overlap model: entailment rises with characters the hypothesis shares with the premise'
    : `zsc-bench synthetic ${arch} NLI model, seed ${seed}: random weights, real cost per inference, meaningless accuracy`;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
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
  const { arch, seed, precisions, outDir } = validate(options);
  const progress = options.onProgress ?? (() => {});
  // raw_data must be little-endian; typed arrays use the platform's byte order.
  if (endianness() !== 'LE') throw new Error('building models needs a little-endian machine');
  checkReplaceable(outDir);
  await mkdir(dirname(outDir), { recursive: true });
  const staging = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.building-`));
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
    await pipeline(Readable.from(chunks), createWriteStream(join(staging, path)));
    files.push({ path, bytes, sha256: hash.digest('hex') });
  };

  try {
    await write('config.json', configJson(DIMS[arch]));
    await write('tokenizer.json', tokenizerJson(buildVocab()));
    await write('tokenizer_config.json', tokenizerConfigJson());

    progress(arch === 'overlap' ? 'building the overlap graph' : `generating ${arch} weights (seed ${seed})`);
    const graph = graphFor(arch, seed);
    const metadata = { producerName: 'zsc-bench', producerVersion: GRAPH_FORMAT_VERSION, docString: describe(arch, seed) };
    for (const precision of precisions) {
      const path = `onnx/${MODEL_FILE_BY_PRECISION[precision]}`;
      const encoded = encodeModel(variant(graph, precision), metadata);
      progress(`writing ${path} (${formatMegabytes(encoded.byteLength)})`);
      await write(path, encoded);
    }

    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const dims = DIMS[arch];
    const provenance = {
      tool: 'zsc-bench',
      synthetic: true,
      arch,
      seed,
      precisions,
      dims: {
        layers: dims.layers,
        hidden: dims.hidden,
        heads: dims.heads,
        intermediate: dims.intermediate,
        vocab: dims.vocab,
        maxPositions: dims.maxPositions,
      },
      files: Object.fromEntries(files.map((file) => [file.path, file.sha256])),
    };
    await write(PROVENANCE_FILE, `${JSON.stringify(provenance, null, 2)}\n`);
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await replaceFolder(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { outDir, arch, seed, precisions, files };
}
