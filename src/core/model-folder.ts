import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../base/errors.js';
import { checkInputFile, readInputFile } from '../base/input-file.js';
import { MODEL_FILE_BY_PRECISION, type Precision } from '../models/precision.js';
import type { EncoderDims } from './flops.js';

/** The part of config.json the classifier needs. */
export interface ModelConfig {
  modelType: string;
  label2id: Record<string, number>;
  classes: number;
  maxPositions?: number;
  /** Encoder size, when config.json states it (FLOPs per run for MFU). */
  dims?: EncoderDims;
}

/** What `zsc-bench model build` records about a model it made (zsc-bench.json). */
export interface Provenance {
  tool: 'zsc-bench';
  synthetic: boolean;
  arch: string;
  seed: number;
  precisions: Precision[];
}

export interface ModelFolder {
  dir: string;
  config: ModelConfig;
  tokenizerJson: object;
  tokenizerConfig: Record<string, unknown>;
  provenance?: Provenance;
  synthetic: boolean;
  onnxFile: string;
  precision: Precision;
}

export const PROVENANCE_FILE = 'zsc-bench.json';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readInputFile(file, 'modelJson').toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** 'ok' when the file can be read, 'ENOENT' when it does not exist, else the error code (EACCES...). */
function accessState(path: string): string {
  try {
    accessSync(path, constants.R_OK);
    return 'ok';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseConfig(raw: unknown, file: string): ModelConfig {
  if (!isRecord(raw)) throw new UsageError(`${file}: expected a JSON object`);
  const label2id: Record<string, number> = {};
  if (isRecord(raw['label2id'])) {
    for (const [name, id] of Object.entries(raw['label2id'])) {
      if (typeof id === 'number') label2id[name] = id;
    }
  } else if (isRecord(raw['id2label'])) {
    for (const [id, name] of Object.entries(raw['id2label'])) {
      if (typeof name === 'string') label2id[name] = Number(id);
    }
  }
  const ids = Object.values(label2id);
  if (ids.length === 0) throw new UsageError(`${file}: field "label2id": missing; an NLI model lists entailment/neutral/contradiction`);
  const config: ModelConfig = {
    modelType: typeof raw['model_type'] === 'string' ? raw['model_type'] : 'unknown',
    label2id,
    classes: Math.max(...ids) + 1,
  };
  if (typeof raw['max_position_embeddings'] === 'number') config.maxPositions = raw['max_position_embeddings'];
  const [layers, hidden, intermediate] = [raw['num_hidden_layers'], raw['hidden_size'], raw['intermediate_size']];
  if (typeof layers === 'number' && typeof hidden === 'number' && typeof intermediate === 'number' && layers > 0 && hidden > 0 && intermediate > 0) {
    config.dims = { layers, hidden, intermediate };
  }
  return config;
}

function parseProvenance(raw: unknown): Provenance | undefined {
  if (!isRecord(raw) || raw['tool'] !== 'zsc-bench') return undefined;
  return {
    tool: 'zsc-bench',
    synthetic: raw['synthetic'] === true,
    // model build writes a string; anything else (an object would print as [object Object]) is unknown.
    arch: typeof raw['arch'] === 'string' ? raw['arch'] : 'unknown',
    seed: Number(raw['seed'] ?? 0),
    precisions: Array.isArray(raw['precisions']) ? (raw['precisions'] as Precision[]) : [],
  };
}

/** Refuses a folder that does not exist, as readModelFolder does before anything else. */
export function checkModelFolder(dir: string): void {
  if (accessState(dir) === 'ENOENT') throw new UsageError(`no such model folder '${dir}'`);
}

/**
 * Refuses a file of the folder (relative path) that is missing or unreadable; `hint` follows the
 * file's name in the message (readModelFolder says which precision needed an ONNX file).
 */
export function checkModelFile(dir: string, file: string, hint = ''): void {
  const state = accessState(join(dir, file));
  if (state === 'ENOENT') {
    throw new UsageError(`model folder '${dir}' is missing ${file}${hint}; expected the transformers.js layout (README: Models)`);
  }
  if (state !== 'ok') {
    throw new UsageError(`model folder '${dir}': cannot read ${file} (${state}); check the permissions of the folder and its files`);
  }
}

/** config.json, read and checked: model type, label2id (or id2label), sizes. */
export function readModelConfig(dir: string): ModelConfig {
  const file = join(dir, 'config.json');
  return parseConfig(readJson(file), file);
}

/** tokenizer.json (which must have a "model" object) and tokenizer_config.json ({} when absent). */
export function readTokenizerFiles(dir: string): Pick<ModelFolder, 'tokenizerJson' | 'tokenizerConfig'> {
  const tokenizerConfigFile = join(dir, 'tokenizer_config.json');
  const tokenizerConfig = existsSync(tokenizerConfigFile) ? readJson(tokenizerConfigFile) : {};
  const tokenizerJson = readJson(join(dir, 'tokenizer.json'));
  if (!isRecord(tokenizerJson) || !isRecord(tokenizerJson['model'])) {
    throw new UsageError(`${join(dir, 'tokenizer.json')}: not a tokenizers JSON file (no "model" object)`);
  }
  return { tokenizerJson, tokenizerConfig: isRecord(tokenizerConfig) ? tokenizerConfig : {} };
}

/** zsc-bench.json, when the folder has one that zsc-bench wrote. */
export function readProvenance(dir: string): Provenance | undefined {
  const provenanceFile = join(dir, PROVENANCE_FILE);
  return existsSync(provenanceFile) ? parseProvenance(readJson(provenanceFile)) : undefined;
}

/**
 * Reads and checks a model folder in the transformers.js layout: config.json, tokenizer.json,
 * tokenizer_config.json and onnx/<file for the precision>. Errors name the missing file.
 */
export function readModelFolder(dir: string, precision: Precision): ModelFolder {
  checkModelFolder(dir);
  const onnxRelative = join('onnx', MODEL_FILE_BY_PRECISION[precision]);
  checkModelFile(dir, 'config.json');
  checkModelFile(dir, 'tokenizer.json');
  checkModelFile(dir, onnxRelative, ` for precision ${precision}`);
  // ONNX Runtime opens the model itself: a FIFO there would block it for ever.
  checkInputFile(join(dir, onnxRelative), 'model');
  const tokenizer = readTokenizerFiles(dir);
  const provenance = readProvenance(dir);
  const folder: ModelFolder = {
    dir,
    config: readModelConfig(dir),
    ...tokenizer,
    synthetic: provenance?.synthetic === true,
    onnxFile: join(dir, onnxRelative),
    precision,
  };
  if (provenance !== undefined) folder.provenance = provenance;
  return folder;
}
