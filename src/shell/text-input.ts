import { INPUT_LIMITS, readInputFile } from '../base/input-file.js';
import type { Readable } from 'node:stream';
import { UsageError } from '../base/errors.js';
import { decodeUtf8 } from '../io/dataset.js';

/**
 * Longest text file (or stdin) `classify` reads. The model keeps its first ~512 tokens anyway;
 * the bound only stops a wrong file (a disk image, /dev/zero) from filling memory.
 */
export const MAX_TEXT_FILE_BYTES = INPUT_LIMITS.text;

const STDIN = '-';

export interface TextSource {
  /** The positional argument: the text itself, or `-` for stdin. */
  text?: string;
  /** --text-file: a file, or `-` for stdin. */
  textFile?: string;
}

/** Where the text comes from, decided before anything slow runs. */
export type TextOrigin = { kind: 'argument'; text: string } | { kind: 'stdin' } | { kind: 'file'; path: string };

export function textOrigin(source: TextSource): TextOrigin {
  if (source.text !== undefined && source.textFile !== undefined) {
    throw new UsageError(`--text-file: give the text either as an argument or with --text-file, not both`);
  }
  if (source.textFile !== undefined) {
    if (source.textFile.trim() === '') throw new UsageError('--text-file: empty path; expected a UTF-8 text file, or - for stdin');
    return source.textFile === STDIN ? { kind: 'stdin' } : { kind: 'file', path: source.textFile };
  }
  if (source.text === undefined) throw new UsageError('text: missing; pass the text, --text-file FILE, or - to read it from stdin');
  return source.text === STDIN ? { kind: 'stdin' } : { kind: 'argument', text: source.text };
}

function tooLarge(where: string): UsageError {
  return new UsageError(`${where}: more than ${MAX_TEXT_FILE_BYTES} bytes; expected one text to classify`);
}

/** Reads the text: a file or stdin as UTF-8 (a BOM is dropped), refusing anything huge. */
export async function readTextInput(origin: TextOrigin, stdin: Readable): Promise<string> {
  if (origin.kind === 'argument') return origin.text;
  if (origin.kind === 'file') {
    let bytes: Buffer;
    try {
      bytes = readInputFile(origin.path, 'text', '--text-file');
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UsageError(`--text-file: cannot read ${origin.path} (${code})`);
    }
    return decodeUtf8(bytes, origin.path).replace(/^\uFEFF/, '');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_TEXT_FILE_BYTES) {
      stdin.destroy();
      throw tooLarge('stdin');
    }
    chunks.push(buffer);
  }
  return decodeUtf8(Buffer.concat(chunks), 'stdin').replace(/^\uFEFF/, '');
}
