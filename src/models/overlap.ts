/**
 * A known-answer NLI model for end-to-end checks: the entailment logit grows with how many
 * hypothesis tokens (segment 1) also occur in the premise (segment 0), so the label sharing most
 * characters with the text wins. Compares token ids pairwise ([batch, sequence, sequence]), never
 * one-hot over the vocabulary.
 */
import { attr, DataType, GraphBuilder, type Graph } from './graph.js';
import { declareNliInterface, NLI_CLASSES, type BertDims } from './bert.js';
import { FIRST_ORDINARY_ID, VOCAB_SIZE } from './vocab.js';

/**
 * Logit change per shared token: entailment +2, contradiction -2, neutral 0. With the template
 * 这是一篇关于{}的新闻。 a two-character label found in the text gets e^4 ≈ 55 times the weight
 * of a label that is not, under single-label softmax across labels.
 */
export const OVERLAP_LOGIT_PER_TOKEN = 2;

/**
 * What config.json and zsc-bench.json report: no transformer layers; one feature (the shared-token
 * count) stands in for the hidden size, and the tokenizer limits sequences to 512 as for BERT.
 */
export const OVERLAP_DIMS: BertDims = {
  layers: 0,
  hidden: 1,
  heads: 1,
  intermediate: 1,
  vocab: VOCAB_SIZE,
  maxPositions: 512,
  typeVocab: 2,
};

export function buildOverlapGraph(): Graph {
  const vocabSize = OVERLAP_DIMS.vocab;
  const b = new GraphBuilder('overlap');
  const { inputIds, attentionMask, tokenTypeIds } = declareNliInterface(b);
  // Segment 1 marks the hypothesis: this graph cannot do without token types.
  if (tokenTypeIds === undefined) throw new Error('the overlap graph needs token_type_ids');

  // 1 for ordinary tokens, 0 for [PAD], [unusedN], [UNK], [CLS], [SEP], [MASK], <S>, <T>.
  const counted = new Float32Array(vocabSize).fill(1).fill(0, 0, FIRST_ORDINARY_ID);
  const countedWeight = b.initializer('overlap.counted_tokens', DataType.FLOAT, [vocabSize], counted);
  const axis1 = b.int64s('const.axis_1', [1]);
  const axis2 = b.int64s('const.axis_2', [2]);
  const classWeight = b.initializer('overlap.classifier.weight', DataType.FLOAT, [1, NLI_CLASSES], Float32Array.of(OVERLAP_LOGIT_PER_TOKEN, 0, -OVERLAP_LOGIT_PER_TOKEN));
  const classBias = b.initializer('overlap.classifier.bias', DataType.FLOAT, [NLI_CLASSES], new Float32Array(NLI_CLASSES));

  const mask = b.op('Cast', 'overlap/mask', [attentionMask], { to: attr.int(DataType.FLOAT) });
  const segment = b.op('Cast', 'overlap/segment', [tokenTypeIds], { to: attr.int(DataType.FLOAT) });
  const hypothesisMask = b.op('Mul', 'overlap/hypothesis_mask', [mask, segment]);
  const premiseMask = b.op('Sub', 'overlap/premise_mask', [mask, hypothesisMask]);
  const hypothesisCounted = b.op('Mul', 'overlap/hypothesis_counted', [hypothesisMask, b.op('Gather', 'overlap/counted', [countedWeight, inputIds])]);

  // same[b, i, j] = ids[b, i] == ids[b, j]; keep premise columns j, then "does token i occur in the premise".
  const rows = b.op('Unsqueeze', 'overlap/ids_rows', [inputIds, axis2]);
  const columns = b.op('Unsqueeze', 'overlap/ids_columns', [inputIds, axis1]);
  const same = b.op('Cast', 'overlap/same_float', [b.op('Equal', 'overlap/same', [rows, columns])], { to: attr.int(DataType.FLOAT) });
  const inPremise = b.op('Mul', 'overlap/same_in_premise', [same, b.op('Unsqueeze', 'overlap/premise_columns', [premiseMask, axis1])]);
  const found = b.op('ReduceMax', 'overlap/found', [inPremise], { axes: attr.ints([2]), keepdims: attr.int(0) });
  const shared = b.op('ReduceSum', 'overlap/shared', [b.op('Mul', 'overlap/found_in_hypothesis', [found, hypothesisCounted]), axis1], { keepdims: attr.int(1) });

  const product = b.op('MatMul', 'overlap.classifier/MatMul', [shared, classWeight]);
  b.op('Add', 'logits', [product, classBias]);
  return b.build();
}
