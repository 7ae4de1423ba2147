import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildModel, type Arch } from '../../src/models/build.js';
import type { ModelInterface } from '../../src/models/interface.js';

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

/**
 * The model interfaces users bring (issue 22's matrix), each on the tiny synthetic graph (seed 7):
 * what differs is the tokenizer, the token_type_ids input and the head's label order.
 */
export const INTERFACE_VARIANTS = {
  // XLM-RoBERTa (joeddav/xlm-roberta-large-xnli): SentencePiece, no token types, contradiction first.
  'xlm-r': { tokenizer: 'unigram', tokenTypeIds: false, headLabels: ['contradiction', 'neutral', 'entailment'] },
  // mDeBERTa-v3 NLI exports: SentencePiece, no token types, entailment first.
  mdeberta: { tokenizer: 'unigram', tokenTypeIds: false, headLabels: ['entailment', 'neutral', 'contradiction'] },
  // A 2-way head, on the BERT interface.
  'two-way': { tokenizer: 'wordpiece', tokenTypeIds: true, headLabels: ['entailment', 'not_entailment'] },
  // Upper-case names, WordPiece without token types: the pipeline's fallback index 2 would be wrong here.
  'upper-case': { tokenizer: 'wordpiece', tokenTypeIds: false, headLabels: ['ENTAILMENT', 'NEUTRAL', 'CONTRADICTION'] },
} as const satisfies Record<string, ModelInterface>;
export type InterfaceVariant = keyof typeof INTERFACE_VARIANTS;

/** The `model build` flags that make a variant (e2e tests run the CLI with them). */
export function interfaceFlags(variant: InterfaceVariant): string[] {
  const shape = INTERFACE_VARIANTS[variant];
  return ['--tokenizer', shape.tokenizer, '--head', shape.headLabels.join(','), ...(shape.tokenTypeIds ? [] : ['--no-token-type-ids'])];
}

/**
 * A variant's model, built once per checkout like testModel's: fp32, or with `fp16` its fp16 file
 * too (`float16Outputs`: with float16 logits); `externalData`: weights in onnx/<file>_data.
 */
export async function testInterfaceModel(variant: InterfaceVariant, layout: { externalData?: boolean; fp16?: boolean; float16Outputs?: boolean } = {}): Promise<string> {
  const suffix = [layout.externalData === true ? '-external-data' : '', layout.fp16 === true ? '-fp16' : '', layout.float16Outputs === true ? '-float16-outputs' : ''].join('');
  const dir = join(ARTIFACTS, 'models', `interface-${variant}${suffix}`);
  const precisions = layout.fp16 === true ? (['fp32', 'fp16'] as const) : (['fp32'] as const);
  if (!precisions.every((precision) => existsSync(join(dir, 'onnx', precision === 'fp32' ? 'model.onnx' : 'model_fp16.onnx')))) {
    await buildModel({ arch: 'tiny', outDir: dir, seed: 7, precisions, interface: INTERFACE_VARIANTS[variant], externalData: layout.externalData === true, float16Outputs: layout.float16Outputs === true });
  }
  return dir;
}
