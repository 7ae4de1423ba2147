import { ARCH_KINDS, ARCHS, type Arch } from '../models/build.js';

/** A model as the notes need it: trained weights, or which synthetic architecture. */
export interface ModelWeights {
  synthetic: boolean;
  arch?: string;
}

const isArch = (value: string | undefined): value is Arch => value !== undefined && (ARCHS as readonly string[]).includes(value);

/**
 * The one sentence that says how far to trust a synthetic model's numbers, or undefined for
 * trained weights. Random-weight and known-answer models are told apart: the overlap model's
 * answers are right by construction, structbert-base's scores mean nothing but its cost is real.
 */
export function syntheticNote(model: ModelWeights): string | undefined {
  if (!model.synthetic) return undefined;
  const arch = isArch(model.arch) ? model.arch : undefined;
  if (arch === undefined) return `synthetic weights (${model.arch ?? 'unknown architecture'}): the scores are meaningless`;
  const kind = ARCH_KINDS[arch];
  if (kind.weights === 'known-answer') {
    return `known-answer model (synthetic:${arch}, no training): a label scores by the characters it shares with the text, to check an installation end to end; its accuracy checks that pipeline (it is not a real NLI model) and its latency is not a real model's`;
  }
  if (kind.realCost) {
    return `synthetic weights (synthetic:${arch}, deterministic random, no training): the cost per inference is the real architecture's, the scores are meaningless`;
  }
  return `synthetic weights (synthetic:${arch}, random and much smaller than a real model): neither its latency nor its scores say anything about a real model`;
}

/** The same for a result row or server, which names a synthetic model `synthetic:<arch>`. */
export function syntheticNoteForId(modelId: string, synthetic: boolean): string | undefined {
  const arch = modelId.startsWith('synthetic:') ? modelId.slice('synthetic:'.length) : undefined;
  return syntheticNote(arch === undefined ? { synthetic } : { synthetic, arch });
}
