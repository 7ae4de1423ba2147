/**
 * The WordPiece vocabulary of the synthetic models: 21128 entries with the special tokens where
 * bert-base-chinese has them, so token ids, sequence lengths and embedding sizes match the real
 * StructBERT/BERT Chinese models.
 */

export const VOCAB_SIZE = 21128;

export const PAD_TOKEN = '[PAD]';
export const UNK_TOKEN = '[UNK]';
export const CLS_TOKEN = '[CLS]';
export const SEP_TOKEN = '[SEP]';
export const MASK_TOKEN = '[MASK]';

/** The tokens the tokenizer treats as special (never split, skipped when decoding). */
export const SPECIAL_TOKENS: readonly { token: string; id: number }[] = [
  { token: PAD_TOKEN, id: 0 },
  { token: UNK_TOKEN, id: 100 },
  { token: CLS_TOKEN, id: 101 },
  { token: SEP_TOKEN, id: 102 },
  { token: MASK_TOKEN, id: 103 },
];

/** Ids below this are special or reserved ([PAD], [unusedN], [UNK], [CLS], [SEP], [MASK], <S>, <T>). */
export const FIRST_ORDINARY_ID = 106;

/** CJK Unified Ideographs as bert-base-chinese covers them: U+4E00..U+9FA5, one token each. */
export const FIRST_IDEOGRAPH = 0x4e00;
export const LAST_IDEOGRAPH = 0x9fa5;

/**
 * Common Chinese punctuation, including the full-width forms of ASCII marks. The single curly
 * quotes ‘’ are left out: with all of ASCII and all 20902 ideographs only 16 places remain, and
 * an unknown punctuation mark still costs exactly one ([UNK]) token.
 */
const CJK_PUNCTUATION = '。，、；：？！“”（）《》【】…';

function isAsciiUpper(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a);
}

/** The vocabulary in id order (index = token id). Deterministic: a pure function of nothing. */
export function buildVocab(): string[] {
  const tokens: string[] = [PAD_TOKEN];
  for (let index = 1; index <= 99; index += 1) tokens.push(`[unused${index}]`);
  tokens.push(UNK_TOKEN, CLS_TOKEN, SEP_TOKEN, MASK_TOKEN, '<S>', '<T>');

  // Printable ASCII except upper case, which the lower-casing normalizer never produces.
  const ascii: string[] = [];
  for (let code = 0x21; code <= 0x7e; code += 1) {
    if (!isAsciiUpper(code)) ascii.push(String.fromCharCode(code));
  }
  tokens.push(...ascii);
  // Continuation pieces, so words and numbers split into characters instead of becoming [UNK].
  tokens.push(...ascii.filter((char) => isAsciiAlphanumeric(char.charCodeAt(0))).map((char) => `##${char}`));
  tokens.push(...CJK_PUNCTUATION);
  for (let code = FIRST_IDEOGRAPH; code <= LAST_IDEOGRAPH; code += 1) tokens.push(String.fromCharCode(code));

  if (tokens.length !== VOCAB_SIZE) throw new Error(`vocabulary has ${tokens.length} entries, expected ${VOCAB_SIZE}`);
  return tokens;
}
