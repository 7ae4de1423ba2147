import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildModel, type Arch } from '../../src/models/build.js';

export const ARTIFACTS = resolve('test-artifacts');

/**
 * Builds a small synthetic model once per checkout and reuses it across test files
 * (builds are deterministic, so a folder with all three files is the same model).
 */
export async function testModel(arch: Arch): Promise<string> {
  const dir = join(ARTIFACTS, 'models', arch);
  const complete = ['model.onnx', 'model_fp16.onnx', 'model_quantized.onnx'].every((file) => existsSync(join(dir, 'onnx', file)));
  if (!complete) await buildModel({ arch, outDir: dir, seed: 7, precisions: ['fp32', 'fp16', 'int8'] });
  return dir;
}
