/**
 * What a model folder holds and what the core would do with it (`model inspect`), found with the
 * core's own readers and checks; where the core stops at its first refusal, every refusal is
 * collected here, so one look shows all that must change. Reads only: builds and downloads nothing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../base/errors.js';
import { checkInputFile } from '../base/input-file.js';
import { FEEDABLE_INPUTS, LOGITS_TYPES, logitsError, logitsOutputName, pairEncoderOf, unsupportedInputError, type EncoderSource } from '../core/classifier.js';
import {
  checkModelFile,
  checkModelFolder,
  readModelConfig,
  readProvenance,
  readTokenizerFiles,
  type ModelConfig,
  type Provenance,
} from '../core/model-folder.js';
import { nliLabelIds } from '../core/score.js';
import { summarizeModel, type ModelSummary, type TensorInfo } from '../models/onnx-proto.js';
import { MODEL_FILE_BY_PRECISION, PRECISIONS, type Precision } from '../models/precision.js';
import type { LocatedModel, ModelSourceKind } from './source.js';

/** One ONNX file of the folder, as read from its bytes. */
export interface InspectedFile {
  precision: Precision;
  /** Relative to the model folder: onnx/model.onnx. */
  path: string;
  bytes: number;
  /** Undefined when the file cannot be read as ONNX (its problems say why). */
  parameters?: number;
  initializers?: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** ONNX external data files, relative to the model folder, and whether each is there. */
  externalData: Array<{ path: string; exists: boolean; bytes?: number }>;
  /** Why the core would refuse this file (each names the file); empty when it would run. */
  problems: string[];
}

export interface TokenizerFindings {
  /** tokenizer.json's model.type: WordPiece, Unigram, BPE. */
  model: string;
  /** Component types, a Sequence with its parts: `Sequence(Replace, NFKC)`; undefined when absent. */
  normalizer?: string;
  preTokenizer?: string;
  postProcessor?: string;
  /** Special tokens around a pair, `$A` the text and `$B` the hypothesis: `[CLS] $A [SEP] $B [SEP]`. */
  pairTemplate?: string;
  /** The token type of each position of pairTemplate. */
  pairTypeIds?: number[];
}

export interface LengthFindings {
  /** Tokens per (text, label) pair the core reads: the premise is cut to fit. */
  tokens: number;
  /** tokenizer_config.json's model_max_length, as written (1e30 means no limit). */
  modelMaxLength?: number;
  /** config.json's max_position_embeddings. */
  maxPositionEmbeddings?: number;
}

export interface HeadFindings {
  /** config.json's label2id (from id2label when only that is given). */
  label2id: Record<string, number>;
  /** Logits per pair: one more than the largest id. */
  classes: number;
  /** Where the scores read entailment and contradiction; undefined when config.json names no such label. */
  entailment?: number;
  contradiction?: number;
  /** The label read as contradiction: `contradiction`, or `not_entailment` in a 2-way head (as config.json spells it). */
  contradictionLabel?: string;
}

/** Everything `model inspect` reports (its JSON). */
export type ModelInspection = ModelFindings & ModelVerdict;

/** What was found; each part is absent when the file it comes from was refused. */
export interface ModelFindings {
  /** The value as given: a folder, synthetic:<arch> or owner/name. */
  model: string;
  source: ModelSourceKind;
  dir: string;
  synthetic: boolean;
  provenance?: Provenance;
  /** From config.json; layers, hidden and intermediate only when it states all three. */
  architecture?: { modelType: string; layers?: number; hidden?: number; intermediate?: number };
  /** Initializer elements of the first readable file (fp32 first), and which file. */
  parameters?: { count: number; file: string };
  tokenizer?: TokenizerFindings;
  maxLength?: LengthFindings;
  head?: HeadFindings;
  /** The first readable file's interface (fp32 first); files lists each file's own. */
  interfaceFile?: string;
  inputs?: TensorInfo[];
  outputs?: TensorInfo[];
  /** Whether the graph takes token_type_ids (models without it ignore the template's token types). */
  tokenTypeIds?: boolean;
}

/** Each ONNX file, and whether the core would run the model, at which precisions, and why not. */
export interface ModelVerdict {
  files: InspectedFile[];
  missingPrecisions: Precision[];
  /** Precisions the core would run: the folder's own problems are none and the file's are none. */
  usablePrecisions: Precision[];
  usable: boolean;
  /** Every refusal, each naming its file: the folder's, then each file's. */
  problems: string[];
  /** What the core would accept but read wrongly or oddly. */
  warnings: string[];
}

/** protobuf cannot hold a message of 2 GiB or more: a bigger .onnx file is not a model on its own. */
const MAX_PROTOBUF_BYTES = 2 ** 31 - 1;

/** Runs one of the core's checks; its refusal is recorded instead of thrown. Other errors are bugs and propagate. */
function attempt<T>(problems: string[], check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    problems.push(error.message);
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A tokenizers component's type, a Sequence with its parts' types: `Sequence(Replace, NFKC)`. */
export function componentKind(component: unknown): string | undefined {
  if (!isRecord(component)) return undefined;
  const type = typeof component['type'] === 'string' ? component['type'] : 'unknown';
  // Each kind of Sequence names its list differently.
  const parts = component['normalizers'] ?? component['pretokenizers'] ?? component['processors'] ?? component['decoders'];
  if (type !== 'Sequence' || !Array.isArray(parts)) return type;
  return `Sequence(${parts.map((part) => componentKind(part) ?? 'unknown').join(', ')})`;
}

function tokenizerFindings(tokenizerJson: object): TokenizerFindings {
  const json = tokenizerJson as Record<string, unknown>;
  const model = json['model'];
  const findings: TokenizerFindings = { model: (isRecord(model) && typeof model['type'] === 'string' ? model['type'] : undefined) ?? 'unknown' };
  const normalizer = componentKind(json['normalizer']);
  const preTokenizer = componentKind(json['pre_tokenizer']);
  const postProcessor = componentKind(json['post_processor']);
  if (normalizer !== undefined) findings.normalizer = normalizer;
  if (preTokenizer !== undefined) findings.preTokenizer = preTokenizer;
  if (postProcessor !== undefined) findings.postProcessor = postProcessor;
  return findings;
}

function headFindings(config: ModelConfig, configFile: string, problems: string[]): HeadFindings {
  const head: HeadFindings = { label2id: config.label2id, classes: config.classes };
  const ids = attempt(problems, () => nliLabelIds(config.label2id, configFile));
  if (ids === undefined) return head;
  head.entailment = ids.entailment;
  head.contradiction = ids.contradiction;
  const names = Object.keys(config.label2id).filter((name) => config.label2id[name] === ids.contradiction);
  const label = names.find((name) => name.toLowerCase() === 'contradiction') ?? names.find((name) => name.toLowerCase() === 'not_entailment');
  if (label !== undefined) head.contradictionLabel = label;
  return head;
}

/** The refusals the core (or ONNX Runtime under it) would give for this interface. */
function interfaceProblems(file: string, summary: ModelSummary, classes: number | undefined): string[] {
  const problems: string[] = [];
  for (const input of summary.inputs) {
    if (!(FEEDABLE_INPUTS as readonly string[]).includes(input.name)) problems.push(unsupportedInputError(file, input.name).message);
    else if (input.elementType !== 'int64') problems.push(`${file}: input '${input.name}' is ${input.elementType}; zsc-bench feeds int64, which ONNX Runtime would refuse`);
  }
  const name = logitsOutputName(summary.outputs.map((output) => output.name));
  const logits = summary.outputs.find((output) => output.name === name);
  if (logits === undefined || !(LOGITS_TYPES as readonly string[]).includes(logits.elementType)) {
    const found = logits === undefined ? 'the graph has no outputs' : `'${name}' is ${logits.elementType}`;
    problems.push(`${logitsError(file, classes ?? '?').message}; ${found}`);
  }
  return problems;
}

function inspectFile(dir: string, precision: Precision, classes: number | undefined): InspectedFile {
  const path = `onnx/${MODEL_FILE_BY_PRECISION[precision]}`;
  const file = join(dir, path);
  const inspected: InspectedFile = { precision, path, bytes: statSync(file).size, inputs: [], outputs: [], externalData: [], problems: [] };
  const { problems } = inspected;
  attempt(problems, () => {
    checkModelFile(dir, path);
    checkInputFile(file, 'model');
  });
  if (problems.length > 0) return inspected;
  if (inspected.bytes > MAX_PROTOBUF_BYTES) {
    problems.push(`${file}: ${inspected.bytes} bytes, over protobuf's 2 GiB limit: not an ONNX model file (a model this large keeps its weights in external data)`);
    return inspected;
  }
  const bytes = readFileSync(file);
  let summary: ModelSummary;
  try {
    summary = summarizeModel(bytes);
  } catch (error) {
    // protobufjs's decode errors: the bytes are not a ModelProto.
    problems.push(`${file}: not an ONNX model (${(error as Error).message.split('\n')[0] ?? ''})`);
    return inspected;
  }
  inspected.parameters = summary.parameters;
  inspected.initializers = summary.initializers;
  inspected.inputs = summary.inputs;
  inspected.outputs = summary.outputs;
  for (const location of summary.externalData) {
    const dataPath = join(dirname(path), location);
    const stats = statSync(join(dir, dataPath), { throwIfNoEntry: false });
    inspected.externalData.push(stats === undefined ? { path: dataPath, exists: false } : { path: dataPath, exists: true, bytes: stats.size });
    if (stats === undefined) problems.push(`${file}: keeps its weights in external data ${join(dir, dataPath)}, which is missing; copy it beside the model file`);
  }
  problems.push(...interfaceProblems(file, summary, classes));
  return inspected;
}

/** A scores output whose size the file fixes and config.json contradicts: the scores would be read at the wrong places. */
function classesWarning(file: string, outputs: readonly TensorInfo[], classes: number): string | undefined {
  const name = logitsOutputName(outputs.map((output) => output.name));
  const last = outputs.find((output) => output.name === name)?.shape?.at(-1);
  if (typeof last !== 'number' || last === classes) return undefined;
  return `${file}: output '${name}' has ${last} classes, config.json's label2id ${classes}: the scores would be read at the wrong positions`;
}

/**
 * Inspects a located model folder (locateModel; it must be present). Reads config.json, the
 * tokenizer files, zsc-bench.json and every ONNX file there, and runs the checks the core runs
 * when it loads the model and feeds it, collecting each refusal.
 */
export function inspectModel(located: LocatedModel, model: string): ModelInspection {
  const { dir } = located;
  checkModelFolder(dir);
  const problems: string[] = [];
  const warnings: string[] = [];
  const provenance = attempt(problems, () => readProvenance(dir));

  const config = attempt(problems, () => {
    checkModelFile(dir, 'config.json');
    return readModelConfig(dir);
  });
  // The core names config.json this way (loadClassifierFromFolder).
  const head = config === undefined ? undefined : headFindings(config, `${dir}/config.json`, problems);

  let tokenizer: TokenizerFindings | undefined;
  let maxLength: LengthFindings | undefined;
  const tokenizerFiles = attempt(problems, () => {
    checkModelFile(dir, 'tokenizer.json');
    return readTokenizerFiles(dir);
  });
  if (tokenizerFiles !== undefined) {
    tokenizer = tokenizerFindings(tokenizerFiles.tokenizerJson);
    // Without a readable config.json the length is the core's fallback for a config without positions.
    const source: EncoderSource = { dir, ...tokenizerFiles, config: config ?? {} };
    const encoder = attempt(problems, () => pairEncoderOf(source));
    if (encoder !== undefined) {
      const template = encoder.pairTemplate();
      tokenizer.pairTemplate = template.tokens.join(' ');
      tokenizer.pairTypeIds = template.typeIds;
      maxLength = { tokens: encoder.maxLength };
      const modelMaxLength = tokenizerFiles.tokenizerConfig['model_max_length'];
      if (typeof modelMaxLength === 'number') maxLength.modelMaxLength = modelMaxLength;
      if (config?.maxPositions !== undefined) maxLength.maxPositionEmbeddings = config.maxPositions;
    }
  }

  const files: InspectedFile[] = [];
  const missingPrecisions: Precision[] = [];
  const folderProblems = problems.length;
  for (const precision of PRECISIONS) {
    if (!existsSync(join(dir, 'onnx', MODEL_FILE_BY_PRECISION[precision]))) {
      missingPrecisions.push(precision);
      continue;
    }
    const file = inspectFile(dir, precision, config?.classes);
    files.push(file);
    problems.push(...file.problems);
    const warning = config === undefined ? undefined : classesWarning(join(dir, file.path), file.outputs, config.classes);
    if (warning !== undefined) warnings.push(warning);
  }
  if (files.length === 0) {
    const expected = PRECISIONS.map((precision) => `onnx/${MODEL_FILE_BY_PRECISION[precision]} (${precision})`).join(', ');
    problems.push(`model folder '${dir}' has no ONNX file; expected one or more of ${expected} (README: Models)`);
  }
  const usablePrecisions = folderProblems > 0 ? [] : files.filter((file) => file.problems.length === 0).map((file) => file.precision);

  // The first readable file (fp32 first) stands for the model; the others' differences are in files.
  const reference = files.find((file) => file.parameters !== undefined);
  const inspection: ModelFindings = { model, source: located.source, dir, synthetic: provenance?.synthetic === true };
  if (provenance !== undefined) inspection.provenance = provenance;
  if (config !== undefined) inspection.architecture = { modelType: config.modelType, ...config.dims };
  if (reference !== undefined) inspection.parameters = { count: reference.parameters ?? 0, file: reference.path };
  if (tokenizer !== undefined) inspection.tokenizer = tokenizer;
  if (maxLength !== undefined) inspection.maxLength = maxLength;
  if (head !== undefined) inspection.head = head;
  if (reference !== undefined) {
    inspection.interfaceFile = reference.path;
    inspection.inputs = reference.inputs;
    inspection.outputs = reference.outputs;
    inspection.tokenTypeIds = reference.inputs.some((input) => input.name === 'token_type_ids');
  }
  // Verdict last, in the JSON as in the text.
  return { ...inspection, files, missingPrecisions, usablePrecisions, usable: usablePrecisions.length > 0, problems, warnings };
}
