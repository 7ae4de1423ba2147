import { UsageError } from '../base/errors.js';
import { Tokenizer as PackageTokenizer } from '@huggingface/tokenizers';

/**
 * The part of @huggingface/tokenizers' `Tokenizer` that the pair encoder uses, typed here because
 * the package's own .d.ts files import each other without file extensions, which NodeNext
 * resolution cannot follow: TypeScript sees the class as an unresolved type and every use of it
 * as `any`. The signatures are copied from the package's types/core/Tokenizer.d.ts (0.2.0).
 */
export interface Tokenizer {
  tokenize(text: string): string[];
  get_vocab(withAddedTokens?: boolean): Map<string, number>;
  readonly post_processor: {
    post_process(tokens: string[], pair: string[], addSpecialTokens: boolean): { tokens: string[]; token_type_ids?: number[] };
  } | null;
}

/**
 * A tokenizer from tokenizer.json and tokenizer_config.json's parsed contents. What the package
 * refuses (a file without "decoder", say) is the model folder's fault, named by `file`.
 */
export function openTokenizer(tokenizerJson: object, tokenizerConfig: object, file: string): Tokenizer {
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- the class's type does not resolve (see above); the interface says what it has
    return new PackageTokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new UsageError(`${file}: not a tokenizer zsc-bench can read (${(error as Error).message.split('\n')[0] ?? ''}); expected a Hugging Face tokenizer.json with model, normalizer, pre_tokenizer, post_processor and decoder`);
  }
}
