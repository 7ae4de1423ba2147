/**
 * A BERT cross-encoder for sequence-pair classification (BertForSequenceClassification), built
 * from standard ONNX ops the way a PyTorch export looks, with seeded random weights: the same
 * cost per inference as a trained model of the same shape, and meaningless accuracy.
 */
import { attr, DataType, GraphBuilder, type Graph } from './graph.js';
import { tensorSeed, uniformFloats, WEIGHT_HALF_WIDTH } from './prng.js';
import { VOCAB_SIZE } from './vocab.js';

export interface BertDims {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
}

/** StructBERT/BERT-base Chinese (e.g. damo/nlp_structbert_zero-shot-classification_chinese-base). */
export const STRUCTBERT_BASE_DIMS: BertDims = {
  layers: 12,
  hidden: 768,
  heads: 12,
  intermediate: 3072,
  vocab: VOCAB_SIZE,
  maxPositions: 512,
  typeVocab: 2,
};

/** The same graph, small enough for fast tests (the vocabulary stays real-sized). */
export const TINY_DIMS: BertDims = {
  layers: 2,
  hidden: 64,
  heads: 2,
  intermediate: 128,
  vocab: VOCAB_SIZE,
  maxPositions: 512,
  typeVocab: 2,
};

export const LAYER_NORM_EPS = 1e-12;
/** entailment, neutral, contradiction. */
export const NLI_CLASSES = 3;
/** Added to attention scores of padding positions, as BERT's extended attention mask does. */
const MASK_FILL = -10000;

/**
 * How a graph meets its tokenizer and config.json, where the models users bring differ:
 * XLM-R and mDeBERTa exports take no `token_type_ids`, and heads have 2 or 3 classes.
 */
export interface GraphInterface {
  tokenTypeIds: boolean;
  classes: number;
}

export const BERT_INTERFACE: GraphInterface = { tokenTypeIds: true, classes: NLI_CLASSES };

/**
 * The interface every NLI cross-encoder graph here shares: the tokenizer's int64 inputs
 * (batch x sequence) and logits per pair, as exported BERT-family models name them.
 */
export function declareNliInterface(b: GraphBuilder, shape: GraphInterface = BERT_INTERFACE): { inputIds: string; attentionMask: string; tokenTypeIds: string | undefined } {
  const sequenceShape = ['batch', 'sequence'];
  const inputIds = b.input('input_ids', DataType.INT64, sequenceShape);
  const attentionMask = b.input('attention_mask', DataType.INT64, sequenceShape);
  const tokenTypeIds = shape.tokenTypeIds ? b.input('token_type_ids', DataType.INT64, sequenceShape) : undefined;
  b.output('logits', DataType.FLOAT, ['batch', shape.classes]);
  return { inputIds, attentionMask, tokenTypeIds };
}

export function buildBertGraph(dims: BertDims, seed: number, shape: GraphInterface = BERT_INTERFACE): Graph {
  const { hidden, heads } = dims;
  if (hidden % heads !== 0) throw new Error(`hidden size ${hidden} is not divisible by ${heads} heads`);
  const headSize = hidden / heads;
  const b = new GraphBuilder('bert');
  const { inputIds, attentionMask, tokenTypeIds } = declareNliInterface(b, shape);

  // Weights are stored [in, out] so MatMul needs no Transpose (a PyTorch export pre-transposes too).
  const random = (name: string, dimensions: readonly number[]) => {
    const count = dimensions.reduce((product, size) => product * size, 1);
    return b.initializer(name, DataType.FLOAT, dimensions, uniformFloats(count, tensorSeed(seed, name), WEIGHT_HALF_WIDTH));
  };
  const filled = (name: string, size: number, value: number) =>
    b.initializer(name, DataType.FLOAT, [size], new Float32Array(size).fill(value));

  const one = b.floatScalar('const.one', 1);
  const half = b.floatScalar('const.half', 0.5);
  const sqrt2 = b.floatScalar('const.sqrt2', Math.SQRT2);
  const maskFill = b.floatScalar('const.mask_fill', MASK_FILL);
  const attentionScale = b.floatScalar('const.attention_scale', Math.sqrt(headSize));
  const zeroIndex = b.int64s('const.zero', [0], []);
  const oneIndex = b.int64s('const.one_int', [1], []);
  const maskAxes = b.int64s('const.mask_axes', [1, 2]);
  const splitHeadsShape = b.int64s('const.split_heads_shape', [0, 0, heads, headSize]);
  const mergeHeadsShape = b.int64s('const.merge_heads_shape', [0, 0, hidden]);

  const linear = (prefix: string, x: string, inSize: number, outSize: number, output = `${prefix}/Add`) => {
    const product = b.op('MatMul', `${prefix}/MatMul`, [x, random(`${prefix}.weight`, [inSize, outSize])]);
    return b.op('Add', output, [product, random(`${prefix}.bias`, [outSize])]);
  };
  const layerNorm = (prefix: string, x: string) =>
    b.op('LayerNormalization', `${prefix}/LayerNormalization`, [x, filled(`${prefix}.weight`, hidden, 1), filled(`${prefix}.bias`, hidden, 0)], {
      axis: attr.int(-1),
      epsilon: attr.float(LAYER_NORM_EPS),
    });

  // Embeddings: word + position (0..sequence-1) + token type, then LayerNorm.
  const embeddings = 'bert.embeddings';
  const words = b.op('Gather', `${embeddings}.word_embeddings/Gather`, [random(`${embeddings}.word_embeddings.weight`, [dims.vocab, hidden]), inputIds]);
  const inputShape = b.op('Shape', `${embeddings}/Shape`, [inputIds]);
  const sequenceLength = b.op('Gather', `${embeddings}/sequence_length`, [inputShape, oneIndex], { axis: attr.int(0) });
  const positionIds = b.op('Range', `${embeddings}/position_ids`, [zeroIndex, sequenceLength, oneIndex]);
  const positions = b.op('Gather', `${embeddings}.position_embeddings/Gather`, [random(`${embeddings}.position_embeddings.weight`, [dims.maxPositions, hidden]), positionIds]);
  // Without the input (RoBERTa's single token type), the one type embedding is a constant: left out.
  // Node order as before the option existed, so the default files keep their bytes and hashes.
  const tokenTypes = tokenTypeIds === undefined ? undefined : b.op('Gather', `${embeddings}.token_type_embeddings/Gather`, [random(`${embeddings}.token_type_embeddings.weight`, [dims.typeVocab, hidden]), tokenTypeIds]);
  const wordsAndPositions = b.op('Add', `${embeddings}/add_positions`, [words, positions]);
  const embedded = tokenTypes === undefined ? wordsAndPositions : b.op('Add', `${embeddings}/add_token_types`, [wordsAndPositions, tokenTypes]);
  let hiddenStates = layerNorm(`${embeddings}.LayerNorm`, embedded);

  // Extended attention mask [batch, 1, 1, sequence]: 0 where attended, -10000 at padding.
  const maskFloat = b.op('Cast', 'bert/mask_float', [b.op('Unsqueeze', 'bert/mask_unsqueeze', [attentionMask, maskAxes])], { to: attr.int(DataType.FLOAT) });
  const extendedMask = b.op('Mul', 'bert/extended_mask', [b.op('Sub', 'bert/mask_inverted', [one, maskFloat]), maskFill]);

  for (let layer = 0; layer < dims.layers; layer += 1) {
    const prefix = `bert.encoder.layer.${layer}`;
    const self = `${prefix}.attention.self`;
    const splitHeads = (name: string, perm: number[]) => {
      const projected = linear(`${self}.${name}`, hiddenStates, hidden, hidden);
      const split = b.op('Reshape', `${self}.${name}/split_heads`, [projected, splitHeadsShape]);
      return b.op('Transpose', `${self}.${name}/Transpose`, [split], { perm: attr.ints(perm) });
    };
    const query = splitHeads('query', [0, 2, 1, 3]); // [batch, heads, sequence, headSize]
    const keyTransposed = splitHeads('key', [0, 2, 3, 1]); // [batch, heads, headSize, sequence]
    const value = splitHeads('value', [0, 2, 1, 3]);
    const scores = b.op('Div', `${self}/scale`, [b.op('MatMul', `${self}/scores`, [query, keyTransposed]), attentionScale]);
    const probabilities = b.op('Softmax', `${self}/Softmax`, [b.op('Add', `${self}/mask`, [scores, extendedMask])], { axis: attr.int(-1) });
    const context = b.op('Transpose', `${self}/context_transpose`, [b.op('MatMul', `${self}/context`, [probabilities, value])], { perm: attr.ints([0, 2, 1, 3]) });
    const merged = b.op('Reshape', `${self}/merge_heads`, [context, mergeHeadsShape]);
    const attended = linear(`${prefix}.attention.output.dense`, merged, hidden, hidden);
    const attentionOutput = layerNorm(`${prefix}.attention.output.LayerNorm`, b.op('Add', `${prefix}.attention.output/residual`, [attended, hiddenStates]));

    // Feed-forward with exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))). ORT fuses this pattern.
    const intermediate = linear(`${prefix}.intermediate.dense`, attentionOutput, hidden, dims.intermediate);
    const erf = b.op('Erf', `${prefix}.intermediate/Erf`, [b.op('Div', `${prefix}.intermediate/Div`, [intermediate, sqrt2])]);
    const gelu = b.op('Mul', `${prefix}.intermediate/gelu`, [b.op('Mul', `${prefix}.intermediate/Mul`, [intermediate, b.op('Add', `${prefix}.intermediate/erf_plus_one`, [erf, one])]), half]);
    const output = linear(`${prefix}.output.dense`, gelu, dims.intermediate, hidden);
    hiddenStates = layerNorm(`${prefix}.output.LayerNorm`, b.op('Add', `${prefix}.output/residual`, [output, attentionOutput]));
  }

  // Pooler on the [CLS] token, then the NLI classifier.
  const first = b.op('Gather', 'bert.pooler/first_token', [hiddenStates, zeroIndex], { axis: attr.int(1) });
  const pooled = b.op('Tanh', 'bert.pooler/Tanh', [linear('bert.pooler.dense', first, hidden, hidden)]);
  linear('classifier', pooled, hidden, shape.classes, 'logits');
  return b.build();
}
