import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/base/errors.js';
import { pairEncoderOf } from '../../src/core/classifier.js';
import { openTokenizer } from '../../src/core/tokenizer.js';
import { buildBertGraph, TINY_DIMS } from '../../src/models/bert.js';
import { DEFAULT_INTERFACE, isDefaultInterface, resolveInterface, tokenizerFilesFor } from '../../src/models/interface.js';
import { encodeModel, summarizeModel } from '../../src/models/onnx-proto.js';
import { buildUnigramVocab, METASPACE } from '../../src/models/unigram.js';
import { float16BitsToFloat32, float32ToFloat16 } from '../../src/models/float16.js';

const where = { head: '--head', tokenizer: '--tokenizer' };
const unigram = tokenizerFilesFor('unigram');
const tokenizerJson = JSON.parse(unigram.tokenizerJson) as object;
const tokenizerConfig = JSON.parse(unigram.tokenizerConfigJson) as Record<string, unknown>;

describe('the SentencePiece-style Unigram tokenizer', () => {
  const tokenizer = openTokenizer(tokenizerJson, tokenizerConfig, 'tokenizer.json');

  it('segments by the pieces with the best total score, a word start marked with ▁', () => {
    // ▁这是 (-7) beats ▁ + 这是 (-3 - 8) and ▁ + 这 + 是; 的 has no word piece, so it stands alone.
    expect(tokenizer.tokenize('这是一篇关于体育的新闻。')).toEqual([`${METASPACE}这是`, '一篇', '关于', '体育', '的', '新闻', '。']);
    expect(tokenizer.tokenize('This example is sports.')).toEqual([`${METASPACE}This`, `${METASPACE}example`, `${METASPACE}is`, `${METASPACE}sports`, '.']);
    // A word without a piece falls back to characters; case is kept (no lower-casing normalizer).
    expect(tokenizer.tokenize('Go 甲')).toEqual([METASPACE, 'G', 'o', METASPACE, '甲']);
    // NFKC folds full-width Latin letters, as SentencePiece's nmt_nfkc does.
    expect(tokenizer.tokenize('ＡＩ')).toEqual([METASPACE, 'A', 'I']);
  });

  it("puts RoBERTa's special tokens around a pair: <s> A </s></s> B </s>", () => {
    const encoder = pairEncoderOf({ dir: 'synthetic', tokenizerJson, tokenizerConfig, config: {} });
    expect(encoder.pairTemplate().tokens).toEqual(['<s>', '$A', '</s>', '</s>', '$B', '</s>']);
    const { pairs } = encoder.encode('体育', ['体育'], '{}');
    // <s> 0, </s> 2; the ids of ▁体育 and 体育 in the vocabulary.
    const vocab = buildUnigramVocab().map(([piece]) => piece);
    expect(pairs[0]?.inputIds).toEqual([0, vocab.indexOf(`${METASPACE}体育`), 2, 2, vocab.indexOf(`${METASPACE}体育`), 2]);
    expect(encoder.maxLength).toBe(512);
  });

  it('is the same file every time, with XLM-R special ids and <pad> as the padding id', () => {
    expect(tokenizerFilesFor('unigram').tokenizerJson).toBe(unigram.tokenizerJson);
    expect(buildUnigramVocab().slice(0, 4).map(([piece]) => piece)).toEqual(['<s>', '<pad>', '</s>', '<unk>']);
    expect(unigram.padId).toBe(1);
    expect(new Set(buildUnigramVocab().map(([piece]) => piece)).size).toBe(unigram.vocabSize);
  });
});

describe('model interfaces', () => {
  it('the default is the BERT interface, byte for byte the files built before the option', () => {
    expect(isDefaultInterface(resolveInterface({}, where))).toBe(true);
    expect(DEFAULT_INTERFACE.headLabels).toEqual(['entailment', 'neutral', 'contradiction']);
    expect(isDefaultInterface(resolveInterface({ headLabels: ['contradiction', 'neutral', 'entailment'] }, where))).toBe(false);
  });

  it('refuses a head that cannot be a classifier, naming the flag', () => {
    const refuse = (headLabels: string[]) => () => resolveInterface({ headLabels }, where);
    expect(refuse(['entailment'])).toThrow(new UsageError('--head: 1 labels; expected 2 to 8, in id order, such as contradiction,neutral,entailment'));
    expect(refuse(['entailment', 'entailment'])).toThrow("--head: label 'entailment' given twice");
    expect(refuse(['entailment', ''])).toThrow("--head: label ''; expected letters, digits, '_' or '-'");
    expect(() => resolveInterface({ tokenizer: 'bpe' as 'unigram' }, where)).toThrow("--tokenizer: unknown tokenizer 'bpe'; expected one of wordpiece, unigram");
    // A head without NLI names is built: it is what some exports have, and the core refuses it.
    expect(resolveInterface({ headLabels: ['LABEL_0', 'LABEL_1', 'LABEL_2'] }, where).headLabels).toEqual(['LABEL_0', 'LABEL_1', 'LABEL_2']);
  });

  it('a graph without token_type_ids and with a 2-way head declares exactly that', () => {
    const dims = { ...TINY_DIMS, layers: 1, vocab: 300, maxPositions: 16 };
    const summary = summarizeModel(Buffer.concat(encodeModel(buildBertGraph(dims, 7, { tokenTypeIds: false, classes: 2 }), { producerName: 't', producerVersion: '1', docString: '' }).chunks));
    expect(summary.inputs.map((input) => input.name)).toEqual(['input_ids', 'attention_mask']);
    expect(summary.outputs).toEqual([{ name: 'logits', elementType: 'float32', shape: ['batch', 2] }]);
    const withTypes = summarizeModel(Buffer.concat(encodeModel(buildBertGraph(dims, 7), { producerName: 't', producerVersion: '1', docString: '' }).chunks));
    expect(withTypes.inputs.map((input) => input.name)).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    // The token type table (2 x 64) is the only parameter difference, with the 64 x 1 classifier column and its bias.
    expect(withTypes.parameters - summary.parameters).toBe(2 * 64 + 64 + 1);
  });
});

describe('float16 logits read as numbers', () => {
  it('decodes known bit patterns', () => {
    expect([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x3555, 0x8000].map(float16BitsToFloat32)).toEqual([1, -2, 65504, 2 ** -24, 2 ** -14, 0.333251953125, -0]);
    expect(float16BitsToFloat32(0x7c00)).toBe(Infinity);
    expect(float16BitsToFloat32(0xfc00)).toBe(-Infinity);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
  });

  it('is the exact inverse of the writer for every float16 but NaN', () => {
    for (let bits = 0; bits < 0x10000; bits += 1) {
      const value = float16BitsToFloat32(bits);
      if (Number.isNaN(value)) continue;
      expect(float32ToFloat16(Float32Array.of(value))[0], bits.toString(16)).toBe(bits);
    }
  });
});
