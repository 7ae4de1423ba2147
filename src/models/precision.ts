import { UsageError } from '../base/errors.js';

export const PRECISIONS = ['fp32', 'fp16', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** File names inside `<model>/onnx/`, as transformers.js names them (dtype fp32, fp16, q8). */
export const MODEL_FILE_BY_PRECISION: Readonly<Record<Precision, string>> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  int8: 'model_quantized.onnx',
};

export function parsePrecision(value: string, where: string): Precision {
  const normalized = value.trim().toLowerCase();
  if ((PRECISIONS as readonly string[]).includes(normalized)) return normalized as Precision;
  throw new UsageError(`${where}: unknown precision '${value}'; expected one of ${PRECISIONS.join(', ')}`);
}
