/**
 * A SentencePiece-style tokenizer for synthetic models shaped like XLM-RoBERTa and mDeBERTa exports:
 * a Unigram model (pieces with log-probability scores, Viterbi segmentation), the Metaspace
 * pre-tokenizer (spaces become `▁`, one is prepended), and RoBERTa's pair template
 * `<s> A </s></s> B </s>`. Deterministic: a pure function of nothing, like the WordPiece vocabulary.
 */
import { FIRST_IDEOGRAPH, LAST_IDEOGRAPH } from './vocab.js';

export const METASPACE = '\u2581';
export const UNIGRAM_BOS = '<s>';
export const UNIGRAM_PAD = '<pad>';
export const UNIGRAM_EOS = '</s>';
export const UNIGRAM_UNK = '<unk>';
export const UNIGRAM_MASK = '<mask>';
/** XLM-R's ids for the first four; `<mask>` comes last, as there. */
const LEADING_SPECIALS = [UNIGRAM_BOS, UNIGRAM_PAD, UNIGRAM_EOS, UNIGRAM_UNK] as const;

/**
 * Multi-character pieces, so segmentation is a real choice between pieces (Viterbi prefers one
 * piece over its characters): news-topic words and the default template's parts in Chinese, and
 * the English template `This example is {}.` with a few topic words (`▁` marks a word start).
 */
const CHINESE_WORDS = [
  '这是', '一篇', '关于', '新闻', '体育', '财经', '科技', '娱乐', '房产', '教育', '游戏', '时政', '家居', '时尚',
  '比赛', '足球', '主队', '客队', '进球', '央行', '数据', '股市', '手机', '芯片', '发布会', '昨晚', '今日',
];
const ENGLISH_WORDS = ['This', 'example', 'is', 'about', 'the', 'a', 'news', 'sports', 'finance', 'technology', 'match', 'team', 'won', 'bank', 'phone', 'market'];
/** Scores (natural-log probabilities): words beat their characters, `▁` alone is cheap, as in trained models. */
const SCORE = { metaspace: -3, metaspaceWord: -7, word: -8, ascii: -10, punctuation: -10, ideograph: -12 } as const;
const CJK_PUNCTUATION = '。，、；：？！“”（）《》【】…';

/** The pieces with their scores, in id order (index = token id). */
export function buildUnigramVocab(): Array<[string, number]> {
  const pieces: Array<[string, number]> = LEADING_SPECIALS.map((token) => [token, 0]);
  pieces.push([METASPACE, SCORE.metaspace]);
  for (const word of CHINESE_WORDS) pieces.push([`${METASPACE}${word}`, SCORE.metaspaceWord], [word, SCORE.word]);
  for (const word of ENGLISH_WORDS) pieces.push([`${METASPACE}${word}`, SCORE.metaspaceWord]);
  // Every printable ASCII character, upper case included: there is no lower-casing normalizer.
  for (let code = 0x21; code <= 0x7e; code += 1) pieces.push([String.fromCharCode(code), SCORE.ascii]);
  for (const mark of CJK_PUNCTUATION) pieces.push([mark, SCORE.punctuation]);
  for (let code = FIRST_IDEOGRAPH; code <= LAST_IDEOGRAPH; code += 1) pieces.push([String.fromCharCode(code), SCORE.ideograph]);
  pieces.push([UNIGRAM_MASK, 0]);
  return pieces;
}

/** tokenizer.json as XLM-R's reads, with NFKC standing in for its compiled SentencePiece normalizer. */
export function unigramTokenizerJson(pieces: ReadonlyArray<readonly [string, number]>): string {
  const idOf = (token: string) => pieces.findIndex(([piece]) => piece === token);
  const specials = [...LEADING_SPECIALS, UNIGRAM_MASK];
  const metaspace = { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'always', split: true };
  const document = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((token) => ({ id: idOf(token), content: token, single_word: false, lstrip: token === UNIGRAM_MASK, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: metaspace,
    post_processor: { type: 'RobertaProcessing', sep: [UNIGRAM_EOS, idOf(UNIGRAM_EOS)], cls: [UNIGRAM_BOS, idOf(UNIGRAM_BOS)], trim_offsets: true, add_prefix_space: true },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: idOf(UNIGRAM_UNK), vocab: '@@vocab@@', byte_fallback: false },
  };
  const text = JSON.stringify(document, null, 2);
  // One piece a line: readable, and far smaller than JSON.stringify's three lines a piece.
  const vocab = `[\n${pieces.map((piece) => `      ${JSON.stringify(piece)}`).join(',\n')}\n    ]`;
  return `${text.replace(JSON.stringify('@@vocab@@'), () => vocab)}\n`;
}

export function unigramTokenizerConfigJson(modelMaxLength: number): string {
  const config = {
    tokenizer_class: 'XLMRobertaTokenizer',
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: true,
    bos_token: UNIGRAM_BOS,
    eos_token: UNIGRAM_EOS,
    sep_token: UNIGRAM_EOS,
    cls_token: UNIGRAM_BOS,
    unk_token: UNIGRAM_UNK,
    pad_token: UNIGRAM_PAD,
    mask_token: UNIGRAM_MASK,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
