/**
 * The model interfaces a synthetic model can have, where the NLI models users bring differ: the
 * tokenizer (WordPiece `[CLS] A [SEP] B [SEP]`, or SentencePiece Unigram `<s> A </s></s> B </s>`),
 * whether the graph takes `token_type_ids`, and the head's labels in id order. The default is the
 * BERT/StructBERT interface every earlier build had, with the same bytes.
 */
import { UsageError } from '../base/errors.js';
import { MODEL_MAX_LENGTH, tokenizerConfigJson, tokenizerJson } from './tokenizer-files.js';
import { buildUnigramVocab, UNIGRAM_PAD, unigramTokenizerConfigJson, unigramTokenizerJson } from './unigram.js';
import { buildVocab, PAD_TOKEN } from './vocab.js';

export const TOKENIZER_KINDS = ['wordpiece', 'unigram'] as const;
export type TokenizerKind = (typeof TOKENIZER_KINDS)[number];

export interface ModelInterface {
  tokenizer: TokenizerKind;
  tokenTypeIds: boolean;
  /** config.json's id2label in id order: `entailment,neutral,contradiction` for the default. */
  headLabels: readonly string[];
}

export const DEFAULT_INTERFACE: ModelInterface = { tokenizer: 'wordpiece', tokenTypeIds: true, headLabels: ['entailment', 'neutral', 'contradiction'] };

/** A head has 2 (entailment / not_entailment) or 3 classes in the models this tool is for; a few more do no harm. */
const MAX_HEAD_LABELS = 8;

/**
 * The interface the options ask for, checked. Head labels need not be NLI names: a `LABEL_0`
 * head is what some exports have, and building one shows how it is refused.
 */
export function resolveInterface(options: Partial<ModelInterface>, where: { head: string; tokenizer: string }): ModelInterface {
  const resolved: ModelInterface = { ...DEFAULT_INTERFACE, ...options };
  if (!(TOKENIZER_KINDS as readonly string[]).includes(resolved.tokenizer)) {
    throw new UsageError(`${where.tokenizer}: unknown tokenizer '${String(resolved.tokenizer)}'; expected one of ${TOKENIZER_KINDS.join(', ')}`);
  }
  const labels = resolved.headLabels;
  if (labels.length < 2 || labels.length > MAX_HEAD_LABELS) {
    throw new UsageError(`${where.head}: ${labels.length} labels; expected 2 to ${MAX_HEAD_LABELS}, in id order, such as contradiction,neutral,entailment`);
  }
  const seen = new Set<string>();
  for (const label of labels) {
    if (!/^[A-Za-z0-9_-]+$/.test(label)) throw new UsageError(`${where.head}: label '${label}'; expected letters, digits, '_' or '-'`);
    if (seen.has(label)) throw new UsageError(`${where.head}: label '${label}' given twice; each label names one class`);
    seen.add(label);
  }
  return { ...resolved, headLabels: [...labels] };
}

export function isDefaultInterface(shape: ModelInterface): boolean {
  return (
    shape.tokenizer === DEFAULT_INTERFACE.tokenizer &&
    shape.tokenTypeIds === DEFAULT_INTERFACE.tokenTypeIds &&
    shape.headLabels.join(',') === DEFAULT_INTERFACE.headLabels.join(',')
  );
}

export interface TokenizerFileSet {
  tokenizerJson: string;
  tokenizerConfigJson: string;
  vocabSize: number;
  padId: number;
}

/** tokenizer.json and tokenizer_config.json of the interface's tokenizer, with what config.json needs. */
export function tokenizerFilesFor(kind: TokenizerKind): TokenizerFileSet {
  if (kind === 'unigram') {
    const pieces = buildUnigramVocab();
    return {
      tokenizerJson: unigramTokenizerJson(pieces),
      tokenizerConfigJson: unigramTokenizerConfigJson(MODEL_MAX_LENGTH),
      vocabSize: pieces.length,
      padId: pieces.findIndex(([piece]) => piece === UNIGRAM_PAD),
    };
  }
  const vocab = buildVocab();
  return { tokenizerJson: tokenizerJson(vocab), tokenizerConfigJson: tokenizerConfigJson(), vocabSize: vocab.length, padId: vocab.indexOf(PAD_TOKEN) };
}
