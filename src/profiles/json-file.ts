/**
 * How profile files (one's own, and those `run` saves beside results) are read: strict UTF-8,
 * bounded in size and nesting before JSON.parse, errors with line and column. A profile is a few
 * kilobytes a few levels deep; a 5,000-deep description overflowed the stack of the checks that
 * walk it, and invalid UTF-8 was read as replacement characters.
 */
import { UsageError } from '../base/errors.js';
import { decodeUtf8 } from '../io/dataset.js';

/** A saved profile nests four levels (document, profile, providerOptions, options); 32 is far beyond. */
export const MAX_PROFILE_DEPTH = 32;

/** Parses a profile file's bytes; every problem is a UsageError naming the file. */
export function parseProfileJson(bytes: Uint8Array, file: string): unknown {
  // Editors on Windows save JSON with a byte-order mark; datasets accept one, so profiles do too.
  const text = decodeUtf8(bytes, file).replace(/^\uFEFF/, '');
  const deep = firstTooDeep(text);
  if (deep !== undefined) throw new UsageError(`${file}: JSON nested more than ${MAX_PROFILE_DEPTH} levels deep at ${positionOf(text, deep)}; a profile is a flat object of settings`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file}: malformed JSON ${jsonErrorPosition(text, error as Error)}(${(error as Error).message})`);
  }
}

/** The offset of the first bracket beyond MAX_PROFILE_DEPTH, outside strings; undefined if none. */
function firstTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      depth += 1;
      if (depth > MAX_PROFILE_DEPTH) return index;
    } else if (char === ']' || char === '}') depth -= 1;
  }
  return undefined;
}

function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** Turns V8's "at position N" into line:column, which editors understand. */
export function jsonErrorPosition(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  if (match?.[1] === undefined) return '';
  return `at ${positionOf(text, Number(match[1]))} `;
}
