/**
 * tokenizer.json (Hugging Face `tokenizers` format) and tokenizer_config.json of the synthetic
 * models: the BERT Chinese tokenizer (lower-casing BertNormalizer that spaces out CJK characters,
 * BertPreTokenizer, WordPiece with ## continuations, [CLS] A [SEP] B [SEP] pairs).
 */
import { CLS_TOKEN, MASK_TOKEN, PAD_TOKEN, SEP_TOKEN, SPECIAL_TOKENS, UNK_TOKEN } from './vocab.js';

export const MODEL_MAX_LENGTH = 512;

const VOCAB_PLACEHOLDER = '@@vocab@@';

function tokenId(vocab: readonly string[], token: string): number {
  const id = vocab.indexOf(token);
  if (id < 0) throw new Error(`token ${token} is not in the vocabulary`);
  return id;
}

/** The vocabulary as a JSON object in id order (JSON.stringify would hoist keys like "0" first). */
function vocabJson(vocab: readonly string[], indent: string): string {
  const lines = vocab.map((token, id) => `${indent}  ${JSON.stringify(token)}: ${id}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function tokenizerJson(vocab: readonly string[]): string {
  const special = (token: string, typeId: number) => ({ SpecialToken: { id: token, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const specialEntry = (token: string) => ({ id: token, ids: [tokenId(vocab, token)], tokens: [token] });
  const document = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(({ token, id }) => ({
      id,
      content: token,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(CLS_TOKEN, 0), sequence('A', 0), special(SEP_TOKEN, 0)],
      pair: [special(CLS_TOKEN, 0), sequence('A', 0), special(SEP_TOKEN, 0), sequence('B', 1), special(SEP_TOKEN, 1)],
      special_tokens: { [CLS_TOKEN]: specialEntry(CLS_TOKEN), [SEP_TOKEN]: specialEntry(SEP_TOKEN) },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: UNK_TOKEN,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: VOCAB_PLACEHOLDER,
    },
  };
  for (const { token, id } of SPECIAL_TOKENS) {
    if (vocab[id] !== token) throw new Error(`special token ${token} must have id ${id}`);
  }
  const text = JSON.stringify(document, null, 2);
  // A replacer function, because a replacement string would expand `$&`-style patterns in tokens.
  return `${text.replace(JSON.stringify(VOCAB_PLACEHOLDER), () => vocabJson(vocab, '    '))}\n`;
}

export function tokenizerConfigJson(): string {
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    do_basic_tokenize: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    never_split: null,
    model_max_length: MODEL_MAX_LENGTH,
    clean_up_tokenization_spaces: true,
    unk_token: UNK_TOKEN,
    sep_token: SEP_TOKEN,
    pad_token: PAD_TOKEN,
    cls_token: CLS_TOKEN,
    mask_token: MASK_TOKEN,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
