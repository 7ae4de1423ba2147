import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { readModelFolder, type ModelConfig } from '../core/model-folder.js';
import { MODEL_FILE_BY_PRECISION, type Precision } from '../models/precision.js';

/** What must match for an fp32 folder to be a parity reference: the model's shape and its labels. */
function shapeOf(config: ModelConfig): string {
  const dims = config.dims === undefined ? 'unknown dimensions' : `${config.dims.layers} layers, hidden ${config.dims.hidden}, intermediate ${config.dims.intermediate}`;
  const labels = Object.entries(config.label2id).sort(([, a], [, b]) => a - b).map(([name]) => name).join('/');
  return `${dims}, ${config.classes} classes (${labels})`;
}

/**
 * The fp32 model a low-precision run is compared with: `--parity-reference DIR` (which must hold
 * the fp32 file and the same model shape), else the run's own folder when it has the fp32 file.
 * Undefined when there is nothing to compare (an fp32 run, or no fp32 file anywhere).
 */
export function parityReferenceDir(modelDir: string, precision: Precision, flag: string | undefined): string | undefined {
  if (flag === undefined) {
    if (precision === 'fp32') return undefined;
    return existsSync(join(modelDir, 'onnx', MODEL_FILE_BY_PRECISION.fp32)) ? modelDir : undefined;
  }
  if (precision === 'fp32') throw new UsageError('--parity-reference: this run is already fp32; parity compares an fp16 or int8 run with fp32');
  const dir = resolve(flag);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--parity-reference: no such folder '${flag}'; expected a model folder holding the fp32 ${join('onnx', MODEL_FILE_BY_PRECISION.fp32)}`);
  if (!existsSync(join(dir, 'onnx', MODEL_FILE_BY_PRECISION.fp32))) {
    throw new UsageError(`--parity-reference: '${flag}' has no ${join('onnx', MODEL_FILE_BY_PRECISION.fp32)}; expected the fp32 file of the same model`);
  }
  const reference = shapeOf(readModelFolder(dir, 'fp32').config);
  const run = shapeOf(readModelFolder(modelDir, precision).config);
  if (reference !== run) throw new UsageError(`--parity-reference: '${flag}' is another model shape (${reference}; this run's model: ${run}); expected the same model at fp32`);
  return dir;
}
