/**
 * Model FLOPs of one session.run of a BERT-style encoder with a sequence-classification head,
 * counting the matrix products (2 FLOPs per multiply-add) as MFU figures do; embeddings, layer
 * norms, softmax and GELU are a fraction of a percent and left out. Padding positions are
 * counted: the hardware computes them (a text's pairs differ by a few tokens at most).
 */

/** The encoder dimensions config.json gives (hidden_size, num_hidden_layers, intermediate_size). */
export interface EncoderDims {
  layers: number;
  hidden: number;
  intermediate: number;
}

/**
 * Per layer and sequence of s tokens, hidden H, intermediate I:
 * Q, K, V and output projections 4 x 2sH², attention scores QKᵀ and context AV 2 x 2s²H,
 * feed-forward 2 x 2sHI. Then the pooler (2H², first token) and the classifier (2H x classes).
 */
export function encoderRunFlops(dims: EncoderDims, rows: number, sequence: number, classes: number): number {
  const { layers, hidden, intermediate } = dims;
  const perLayer = 8 * sequence * hidden * hidden + 4 * sequence * sequence * hidden + 4 * sequence * hidden * intermediate;
  const head = 2 * hidden * hidden + 2 * hidden * classes;
  return rows * (layers * perLayer + head);
}
