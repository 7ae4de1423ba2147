import { UsageError } from '../base/errors.js';
import { fillTemplate } from './labels.js';
import { LruCache } from './lru.js';
import type { Tokenizer } from './tokenizer.js';

/** Bounds memory when labels come from untrusted users (the server); far above any sweep. */
export const HYPOTHESIS_CACHE_LIMIT = 4096;

export interface HypothesisCacheStats {
  size: number;
  capacity: number;
  hits: number;
  misses: number;
}

/** One premise/hypothesis pair as token ids, before padding. */
export interface EncodedPair {
  inputIds: number[];
  tokenTypeIds: number[];
}

export interface EncodedText {
  pairs: EncodedPair[];
  /** Premise tokens before truncation and how many were kept, in the pair with the longest hypothesis (equal when nothing was cut). */
  premiseTokens: number;
  premiseTokensKept: number;
}

/** A pair's tokens after the post-processor, and each token's type (segment) id. */
export interface ProcessedPair {
  tokens: string[];
  typeIds: number[];
}

/** Padded batch tensors' data, row-major [rows, sequence]. */
export interface PaddedBatch {
  rows: number;
  sequence: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

/**
 * Encodes premise/hypothesis pairs the way the tokenizer's own post-processor does, but
 * tokenizes the premise once per text and each hypothesis once per (template, label), and
 * truncates only the premise so the hypothesis always survives (Hugging Face's `only_first`).
 */
export class PairEncoder {
  private readonly hypothesisCache: LruCache<string, string[]>;
  private readonly vocab: Map<string, number>;
  private readonly unknownId: number;
  private readonly specialTokensPerPair: number;

  constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    unknownToken: string,
    private readonly padId: number,
    hypothesisCacheLimit = HYPOTHESIS_CACHE_LIMIT,
  ) {
    this.hypothesisCache = new LruCache(hypothesisCacheLimit);
    this.vocab = tokenizer.get_vocab(true);
    this.unknownId = this.vocab.get(unknownToken) ?? 0;
    this.specialTokensPerPair = this.postProcess([], []).tokens.length;
  }

  /** Size, capacity and hit counts of the (template, label) -> tokens cache. */
  get hypothesisCacheStats(): HypothesisCacheStats {
    const cache = this.hypothesisCache;
    return { size: cache.size, capacity: cache.capacity, hits: cache.hits, misses: cache.misses };
  }

  /**
   * Where the special tokens go around a pair, with each position's token type: the post-processor
   * run on the placeholders `$A` (the text) and `$B` (the hypothesis), as encode runs it.
   */
  pairTemplate(): ProcessedPair {
    return this.postProcess(['$A'], ['$B']);
  }

  encode(premise: string, labels: readonly string[], template: string): EncodedText {
    const premiseTokens = this.tokenizer.tokenize(premise);
    const hypotheses = labels.map((label) => this.hypothesisTokens(template, label));
    hypotheses.forEach((tokens, index) => this.requireFits(tokens, labels[index] ?? '', template));
    // Each pair is cut on its own, as the Python pipeline tokenizes each pair with only_first:
    // a short hypothesis leaves room for more of the text.
    let fewestKept = premiseTokens.length;
    const pairs = hypotheses.map((hypothesis) => {
      const room = Math.max(0, this.maxLength - this.specialTokensPerPair - hypothesis.length);
      const kept = premiseTokens.length > room ? premiseTokens.slice(0, room) : premiseTokens;
      fewestKept = Math.min(fewestKept, kept.length);
      return this.toIds(this.postProcess(kept, hypothesis));
    });
    return { pairs, premiseTokens: premiseTokens.length, premiseTokensKept: fewestKept };
  }

  /** Right-pads pairs to the longest one (dynamic padding) into int64 tensors' data. */
  pad(pairs: readonly EncodedPair[]): PaddedBatch {
    const rows = pairs.length;
    const sequence = Math.max(...pairs.map((pair) => pair.inputIds.length));
    const inputIds = new BigInt64Array(rows * sequence).fill(BigInt(this.padId));
    const attentionMask = new BigInt64Array(rows * sequence);
    const tokenTypeIds = new BigInt64Array(rows * sequence);
    pairs.forEach((pair, row) => {
      const offset = row * sequence;
      pair.inputIds.forEach((id, column) => {
        inputIds[offset + column] = BigInt(id);
        attentionMask[offset + column] = 1n;
        tokenTypeIds[offset + column] = BigInt(pair.tokenTypeIds[column] ?? 0);
      });
    });
    return { rows, sequence, inputIds, attentionMask, tokenTypeIds };
  }

  /**
   * A hypothesis longer than the model's input leaves no room for the text and overflows the
   * position table (ONNX Runtime's raw "512 by 603"): refused before any run, naming the label.
   */
  private requireFits(hypothesis: readonly string[], label: string, template: string): void {
    const length = this.specialTokensPerPair + hypothesis.length;
    if (length <= this.maxLength) return;
    throw new UsageError(
      `label '${abbreviate(label)}' in template '${abbreviate(template)}' makes a hypothesis of ${hypothesis.length} tokens; the model reads at most ${this.maxLength} tokens per (text, label) pair, ${this.specialTokensPerPair} of them special: shorten the label or the template`,
    );
  }

  private hypothesisTokens(template: string, label: string): string[] {
    const key = `${template}\u0000${label}`;
    const cached = this.hypothesisCache.get(key);
    if (cached !== undefined) return cached;
    const tokens: string[] = this.tokenizer.tokenize(fillTemplate(template, label));
    this.hypothesisCache.set(key, tokens);
    return tokens;
  }

  /** The pair's tokens with special tokens added, and their token types (all 0 when the processor gives none). */
  private postProcess(premise: string[], hypothesis: string[]): ProcessedPair {
    const processor = this.tokenizer.post_processor;
    const processed = processor === null ? { tokens: [...premise, ...hypothesis] } : processor.post_process(premise, hypothesis, true);
    return { tokens: processed.tokens, typeIds: processed.token_type_ids ?? new Array<number>(processed.tokens.length).fill(0) };
  }

  private toIds(processed: ProcessedPair): EncodedPair {
    return {
      inputIds: processed.tokens.map((token) => this.vocab.get(token) ?? this.unknownId),
      tokenTypeIds: processed.typeIds,
    };
  }
}

/** A long label or template cut for an error message, which stays one line. */
function abbreviate(value: string): string {
  const characters = [...value];
  return characters.length <= 40 ? value : `${characters.slice(0, 40).join('')}… (${characters.length} characters)`;
}
