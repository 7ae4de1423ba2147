import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { UsageError } from '../base/errors.js';
import { DEFAULT_TEMPLATE, validateLabels, validateTemplate } from './labels.js';
import { readModelFolder, type ModelConfig, type ModelFolder } from './model-folder.js';
import { groupForPadding } from './padding.js';
import { PairEncoder, type EncodedText, type HypothesisCacheStats, type PaddedBatch } from './pairs.js';
import type { Precision } from '../models/precision.js';
import { float16ToFloat32 } from '../models/float16.js';
import type { EncoderDims } from './flops.js';
import { nliLabelIds, rankLabels, scoreLabels, type NliLabelIds } from './score.js';
import { openTokenizer } from './tokenizer.js';
import { openSession, profilePlacement, sessionVariant, type ExecutionProvider, type Fallback, type OpenedSession, type SessionSettings } from './session.js';
import type { ProviderPlacement } from './placement.js';

/** Options of a classifier opened from a model folder that is already on disk. */
export interface ClassifierOptions extends Partial<SessionSettings> {
  precision?: Precision;
  /** Capacity of the tokenized-hypothesis LRU cache (default HYPOTHESIS_CACHE_LIMIT). */
  hypothesisCacheLimit?: number;
}

export interface ClassifyOptions {
  template?: string;
  multiLabel?: boolean;
  /**
   * Most (text, label) pairs in one session.run; a text's pairs are split into balanced runs
   * (20 pairs at 8 per run: 7, 7, 6). Default: all pairs of the text in one run. At fp32 the
   * scores do not depend on it; at int8 each run picks its own activation scale.
   */
  pairsPerRun?: number;
}

export interface ClassifyManyOptions {
  /**
   * Split the texts into several runs so padding every text to the longest costs at most this
   * fraction of extra token positions (0.03 = 3%); without it, all pairs go into one run.
   */
  maxPaddingOverhead?: number;
  /**
   * Called after each run with the requests it completed, before the next run starts: when
   * padding splits the texts, a server can answer the first ones without waiting for the rest.
   */
  onRunDone?(completed: ReadonlyArray<{ index: number; result: ClassifyResult }>): void;
}

export interface ClassifyRequest {
  text: string;
  labels: readonly string[];
  options?: Omit<ClassifyOptions, 'pairsPerRun'>;
}

export interface ClassifyTimings {
  tokenizeMs: number;
  /** Time inside session.run, summed over runs. */
  inferenceMs: number;
  totalMs: number;
  runs: number;
}

export interface Truncation {
  premiseTokens: number;
  premiseTokensKept: number;
  maxLength: number;
}

/** The padded shape of one session.run. */
export interface RunShape {
  rows: number;
  sequence: number;
}

export interface ClassifyResult {
  /** Labels ranked by score, best first. */
  labels: string[];
  scores: number[];
  multiLabel: boolean;
  timings: ClassifyTimings;
  /** Each session.run's shape (a merged batch's runs in classifyMany): what the hardware computed. */
  runShapes: RunShape[];
  truncated?: Truncation;
}

export interface ModelInfo {
  dir: string;
  precision: Precision;
  onnxFile: string;
  synthetic: boolean;
  arch?: string;
  modelType: string;
  maxLength: number;
  /** Encoder dimensions and NLI classes, for FLOPs per run (undefined when config.json omits them). */
  dims?: EncoderDims;
  classes: number;
}

export interface Classifier {
  readonly model: ModelInfo;
  /** The execution provider that actually runs (after any fallback). */
  readonly provider: string;
  readonly requestedProvider: string;
  readonly fallback?: Fallback;
  /** Intra-op threads the session runs with, and why that number. */
  readonly intraOpThreads: number;
  readonly threadsReason: string;
  /** Settings besides threads and provider that change the session's speed (`sessionVariant`: '' for ONNX Runtime's defaults). */
  readonly sessionVariant?: string;
  classify(text: string, labels: readonly string[], options?: ClassifyOptions): Promise<ClassifyResult>;
  /**
   * Classifies several texts with ALL their pairs in one session.run (what a server's dynamic
   * batching does), or, with `maxPaddingOverhead`, in as few runs as keep padding within it.
   * At fp32 each result equals classify()'s; at int8 dynamic quantization picks one activation
   * scale per batch, so results can differ slightly with batch composition.
   */
  classifyMany(requests: readonly ClassifyRequest[], options?: ClassifyManyOptions): Promise<ClassifyResult[]>;
  /** The (template, label) -> tokens cache: bounded, least recently used evicted first. */
  readonly hypothesisCache: HypothesisCacheStats;
  /**
   * Classifies once on a profiled copy of the session (same providers and settings) and says
   * which execution provider ran each node and how much of the kernel time.
   */
  profilePlacement(text: string, labels: readonly string[], template?: string): Promise<ProviderPlacement>;
  /** Tokenized, padded pairs of one text: what `classify` feeds to the model. */
  encode(text: string, labels: readonly string[], template?: string): EncodedText & { batch: PaddedBatch };
  /** One bare session.run on a padded batch; returns logits [rows, classes]. */
  run(batch: PaddedBatch): Promise<Float32Array>;
  dispose(): Promise<void>;
}

function maxLengthOf(folder: EncoderSource): number {
  const fromTokenizer = folder.tokenizerConfig['model_max_length'];
  // Tokenizers without a limit store a huge sentinel (1e30); fall back to the position table.
  if (typeof fromTokenizer === 'number' && fromTokenizer > 0 && fromTokenizer <= 1_000_000) return fromTokenizer;
  return folder.config.maxPositions ?? 512;
}

function tokenName(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return fallback;
}

/** What the pair encoder is made from: the tokenizer files, and config.json's position table for the length. */
export type EncoderSource = Pick<ModelFolder, 'dir' | 'tokenizerJson' | 'tokenizerConfig'> & { config: Pick<ModelConfig, 'maxPositions'> };

/** The folder's tokenizer as a pair encoder: what turns (text, label) pairs into model inputs. */
export function pairEncoderOf(folder: EncoderSource, hypothesisCacheLimit?: number): PairEncoder {
  const tokenizer = openTokenizer(folder.tokenizerJson, folder.tokenizerConfig, join(folder.dir, 'tokenizer.json'));
  const vocab = tokenizer.get_vocab(true);
  const padToken = tokenName(folder.tokenizerConfig['pad_token'], '[PAD]');
  return new PairEncoder(tokenizer, maxLengthOf(folder), tokenName(folder.tokenizerConfig['unk_token'], '[UNK]'), vocab.get(padToken) ?? 0, hypothesisCacheLimit);
}

/**
 * A model folder's pair encoder alone, without a session: checks labels and a template against
 * the model's input length (encode throws a UsageError naming them) before anything loads or runs.
 */
export function openPairEncoder(dir: string, precision: Precision): Pick<PairEncoder, 'encode'> {
  return pairEncoderOf(readModelFolder(dir, precision));
}

/** Opens a classifier on a model folder; finding, building or downloading the folder is the model store's job. */
export async function loadClassifierFromFolder(dir: string, options: ClassifierOptions = {}): Promise<Classifier> {
  const precision = options.precision ?? 'fp32';
  const folder = readModelFolder(dir, precision);
  const labelIds = nliLabelIds(folder.config.label2id, `${dir}/config.json`);
  const encoder = pairEncoderOf(folder, options.hypothesisCacheLimit);
  const maxLength = encoder.maxLength;
  const providers: readonly ExecutionProvider[] = options.providers ?? ['cpu'];
  const opened = await openSession(folder.onnxFile, { ...options, providers });
  const model: ModelInfo = {
    dir,
    precision,
    onnxFile: folder.onnxFile,
    synthetic: folder.synthetic,
    modelType: folder.config.modelType,
    maxLength,
    classes: folder.config.classes,
  };
  if (folder.config.dims !== undefined) model.dims = folder.config.dims;
  if (folder.provenance !== undefined) model.arch = folder.provenance.arch;
  // The profiled copy opens on what really registered (cpu after a fallback), with the threads that ran.
  const profiling = { providers: opened.fallback === undefined ? providers : (['cpu'] as const), settings: { ...options, providers, intraOpThreads: opened.intraOpThreads } };
  return new OnnxClassifier(model, opened, encoder, labelIds, folder.config.classes, profiling);
}

/** The inputs the classifier builds from tokenized pairs: a graph may declare any of them, and no other. */
export const FEEDABLE_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

/** The refusal of a graph input the classifier cannot feed. */
export function unsupportedInputError(onnxFile: string, name: string): UsageError {
  return new UsageError(`${onnxFile}: unsupported model input '${name}'; expected ${FEEDABLE_INPUTS.join(', ')}`);
}

/** The output the scores are read from: `logits`, else the graph's first output. */
export function logitsOutputName(outputNames: readonly string[]): string {
  return outputNames.includes('logits') ? 'logits' : (outputNames[0] ?? 'logits');
}

/** Element types of the scores output the classifier reads: fp16 exports without keep_io_types give float16. */
export const LOGITS_TYPES = ['float32', 'float16'] as const;

/** The refusal of a scores output that is missing or neither float32 nor float16. */
export function logitsError(onnxFile: string, classes: number | string): UsageError {
  return new UsageError(`${onnxFile}: expected a float32 or float16 'logits' output [batch, ${classes}]`);
}

/** Logits as float32, from a float32 or float16 tensor (ONNX Runtime gives float16 as its bits in a Uint16Array). */
function logitsValues(logits: ort.Tensor | undefined): Float32Array | undefined {
  if (logits === undefined) return undefined;
  if (logits.data instanceof Float32Array) return logits.data;
  if (logits.type === 'float16' && logits.data instanceof Uint16Array) return float16ToFloat32(logits.data);
  // A runtime with Float16Array hands float16 as numbers.
  if (logits.type === 'float16') return Float32Array.from(logits.data as ArrayLike<number>);
  return undefined;
}

/** Splits `count` pairs into runs of at most `perRun`, as even as possible: sizes in order. */
export function runSizes(count: number, perRun: number | undefined): number[] {
  if (perRun !== undefined && (!Number.isSafeInteger(perRun) || perRun < 1)) {
    throw new UsageError(`pairsPerRun: expected a positive integer, got ${String(perRun)}`);
  }
  const runs = perRun === undefined ? 1 : Math.max(1, Math.ceil(count / perRun));
  const base = Math.floor(count / runs);
  return Array.from({ length: runs }, (_, index) => base + (index < count % runs ? 1 : 0));
}

class OnnxClassifier implements Classifier {
  private readonly session: ort.InferenceSession;
  readonly provider: string;
  readonly requestedProvider: string;
  readonly fallback: Fallback | undefined;
  readonly intraOpThreads: number;
  readonly threadsReason: string;
  readonly sessionVariant: string;

  constructor(
    readonly model: ModelInfo,
    opened: OpenedSession,
    private readonly encoder: PairEncoder,
    private readonly labelIds: NliLabelIds,
    private readonly classes: number,
    private readonly profiling: { providers: readonly ExecutionProvider[]; settings: SessionSettings },
  ) {
    this.session = opened.session;
    this.provider = opened.provider;
    this.requestedProvider = opened.requestedProvider;
    this.fallback = opened.fallback;
    this.intraOpThreads = opened.intraOpThreads;
    this.threadsReason = opened.threadsReason;
    this.sessionVariant = sessionVariant(profiling.settings);
  }

  get hypothesisCache(): HypothesisCacheStats {
    return this.encoder.hypothesisCacheStats;
  }

  encode(text: string, labels: readonly string[], template = DEFAULT_TEMPLATE): EncodedText & { batch: PaddedBatch } {
    if (text.trim().length === 0) throw new UsageError('text: empty; expected the text to classify');
    validateLabels(labels, 'labels');
    validateTemplate(template, 'template');
    const encoded = this.encoder.encode(text, labels, template);
    return { ...encoded, batch: this.encoder.pad(encoded.pairs) };
  }

  async profilePlacement(text: string, labels: readonly string[], template = DEFAULT_TEMPLATE): Promise<ProviderPlacement> {
    const { batch } = this.encode(text, labels, template);
    return profilePlacement(this.model.onnxFile, this.profiling.providers, this.profiling.settings, this.feeds(batch));
  }

  private feeds(batch: PaddedBatch): Record<string, ort.Tensor> {
    const shape = [batch.rows, batch.sequence];
    const feeds: Record<string, ort.Tensor> = {};
    const available: Record<string, BigInt64Array> = {
      input_ids: batch.inputIds,
      attention_mask: batch.attentionMask,
      token_type_ids: batch.tokenTypeIds,
    } satisfies Record<(typeof FEEDABLE_INPUTS)[number], BigInt64Array>;
    for (const name of this.session.inputNames) {
      const data = available[name];
      if (data === undefined) throw unsupportedInputError(this.model.onnxFile, name);
      feeds[name] = new ort.Tensor('int64', data, shape);
    }
    return feeds;
  }

  async run(batch: PaddedBatch): Promise<Float32Array> {
    const feeds = this.feeds(batch);
    const outputName = logitsOutputName(this.session.outputNames);
    const outputs = await this.session.run(feeds, [outputName]);
    const logits = logitsValues(outputs[outputName]);
    if (logits === undefined) throw logitsError(this.model.onnxFile, this.classes);
    return logits;
  }

  async classify(text: string, labels: readonly string[], options: ClassifyOptions = {}): Promise<ClassifyResult> {
    const started = performance.now();
    const template = options.template ?? DEFAULT_TEMPLATE;
    const encoded = this.encode(text, labels, template);
    const tokenized = performance.now();
    let inferenceMs = 0;
    const sizes = runSizes(labels.length, options.pairsPerRun);
    const logits = new Float32Array(labels.length * this.classes);
    const runShapes: RunShape[] = [];
    let offset = 0;
    for (const size of sizes) {
      const batch = sizes.length === 1 ? encoded.batch : this.encoder.pad(encoded.pairs.slice(offset, offset + size));
      runShapes.push({ rows: batch.rows, sequence: batch.sequence });
      const before = performance.now();
      const output = await this.run(batch);
      inferenceMs += performance.now() - before;
      logits.set(output, offset * this.classes);
      offset += size;
    }
    const runs = sizes.length;
    const timings = { tokenizeMs: tokenized - started, inferenceMs, totalMs: performance.now() - started, runs };
    return this.result(labels, logits, options.multiLabel === true, timings, runShapes, encoded);
  }

  async classifyMany(requests: readonly ClassifyRequest[], options: ClassifyManyOptions = {}): Promise<ClassifyResult[]> {
    const started = performance.now();
    const encoded = requests.map((request) => this.encode(request.text, request.labels, request.options?.template ?? DEFAULT_TEMPLATE));
    const tokenized = performance.now();
    const groups =
      options.maxPaddingOverhead === undefined
        ? [requests.map((_, index) => index)]
        : groupForPadding(encoded.map((entry) => ({ rows: entry.batch.rows, sequence: entry.batch.sequence })), options.maxPaddingOverhead);
    const results: ClassifyResult[] = [];
    const runShapes: RunShape[] = [];
    let inferenceMs = 0;
    for (const group of groups) {
      const batch = this.encoder.pad(group.flatMap((index) => encoded[index]?.pairs ?? []));
      runShapes.push({ rows: batch.rows, sequence: batch.sequence });
      const before = performance.now();
      const logits = await this.run(batch);
      inferenceMs += performance.now() - before;
      // A request's timings run until its own run finished; runs counts the whole batch's.
      const timings = { tokenizeMs: tokenized - started, inferenceMs, totalMs: performance.now() - started, runs: groups.length };
      const completed: Array<{ index: number; result: ClassifyResult }> = [];
      let offset = 0;
      for (const index of group) {
        const request = requests[index];
        if (request === undefined) continue;
        const rows = request.labels.length;
        const result = this.result(request.labels, logits.subarray(offset * this.classes, (offset + rows) * this.classes), request.options?.multiLabel === true, { ...timings }, [...runShapes], encoded[index]);
        offset += rows;
        results[index] = result;
        completed.push({ index, result });
      }
      options.onRunDone?.(completed);
    }
    return results;
  }

  private result(labels: readonly string[], logits: Float32Array, multiLabel: boolean, timings: ClassifyTimings, runShapes: RunShape[], encoded: EncodedText | undefined): ClassifyResult {
    const ranked = rankLabels(labels, scoreLabels(logits, this.classes, this.labelIds, multiLabel));
    const result: ClassifyResult = { ...ranked, multiLabel, timings, runShapes };
    if (encoded !== undefined && encoded.premiseTokensKept < encoded.premiseTokens) {
      result.truncated = { premiseTokens: encoded.premiseTokens, premiseTokensKept: encoded.premiseTokensKept, maxLength: this.model.maxLength };
    }
    return result;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
