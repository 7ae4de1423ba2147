import type { ClassifyRequest } from '../core/classifier.js';
import { isUsageError } from '../base/errors.js';
import { DEFAULT_TEMPLATE, MAX_LABELS, validateLabels, validateTemplate } from '../core/labels.js';
import { HttpError } from './http-error.js';

/** What one request may ask for. Everything else is refused before it reaches the queue. */
export interface RequestLimits {
  maxTextChars: number;
  maxLabels: number;
  maxLabelChars: number;
  maxTemplateChars: number;
  /** Derived from the others (see requestLimits), so a valid request always fits. */
  maxBodyBytes: number;
}

export const DEFAULT_MAX_TEXT_CHARS = 8192;
const MAX_LABEL_CHARS = 64;
const MAX_TEMPLATE_CHARS = 256;

/**
 * The body limit follows from the field limits: a client may escape every character as
 * \uXXXX (6 bytes), and the JSON punctuation around 64 labels needs some room too.
 */
export function requestLimits(maxTextChars = DEFAULT_MAX_TEXT_CHARS): RequestLimits {
  const characters = maxTextChars + MAX_LABELS * (MAX_LABEL_CHARS + 8) + MAX_TEMPLATE_CHARS;
  return {
    maxTextChars,
    maxLabels: MAX_LABELS,
    maxLabelChars: MAX_LABEL_CHARS,
    maxTemplateChars: MAX_TEMPLATE_CHARS,
    maxBodyBytes: 6 * characters + 1024,
  };
}

const FIELDS = ['text', 'labels', 'template', 'multiLabel'] as const;
const EXAMPLE = '{"text": "…", "labels": ["体育", "财经"]}';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const badRequest = (message: string) => new HttpError(400, message);

/** Characters as a person counts them (code points), not UTF-16 units. */
const characterCount = (text: string): number => [...text].length;

/** Turns a parsed JSON body into a classification request, or says exactly what is wrong. */
export function parseClassifyBody(body: unknown, limits: RequestLimits): ClassifyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`body: expected a JSON object like ${EXAMPLE}, got ${typeName(body)}`);
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) throw badRequest(`body: unknown field '${unknown}'; expected ${FIELDS.join(', ')}`);

  const text = fields['text'];
  if (text === undefined) throw badRequest(`text: missing; expected the text to classify, as in ${EXAMPLE}`);
  if (typeof text !== 'string') throw badRequest(`text: expected a string, got ${typeName(text)}`);
  if (text.trim().length === 0) throw badRequest('text: empty; expected the text to classify');
  const chars = characterCount(text);
  if (chars > limits.maxTextChars) throw new HttpError(413, `text: ${chars} characters; at most ${limits.maxTextChars} are allowed`);

  const labels = fields['labels'];
  if (labels === undefined) throw badRequest(`labels: missing; expected an array of 1 to ${limits.maxLabels} strings, as in ${EXAMPLE}`);
  if (!Array.isArray(labels)) throw badRequest(`labels: expected an array of strings, got ${typeName(labels)}`);
  const wrong = labels.findIndex((label) => typeof label !== 'string');
  if (wrong >= 0) throw badRequest(`labels[${wrong}]: expected a string, got ${typeName(labels[wrong])}`);
  const trimmed = (labels as string[]).map((label) => label.trim());
  const long = trimmed.findIndex((label) => characterCount(label) > limits.maxLabelChars);
  if (long >= 0) throw badRequest(`labels[${long}]: ${characterCount(trimmed[long] ?? '')} characters; at most ${limits.maxLabelChars} are allowed`);

  const template = fields['template'] ?? DEFAULT_TEMPLATE;
  if (typeof template !== 'string') throw badRequest(`template: expected a string containing {}, got ${typeName(template)}`);
  if (characterCount(template) > limits.maxTemplateChars) {
    throw badRequest(`template: ${characterCount(template)} characters; at most ${limits.maxTemplateChars} are allowed`);
  }
  const multiLabel = fields['multiLabel'] ?? false;
  if (typeof multiLabel !== 'boolean') throw badRequest(`multiLabel: expected true or false, got ${typeName(multiLabel)}`);

  try {
    // The core's own checks, so the API and the CLI accept and refuse the same things.
    validateLabels(trimmed, 'labels');
    validateTemplate(template, 'template');
  } catch (error) {
    if (isUsageError(error)) throw badRequest(error.message);
    throw error;
  }
  return { text, labels: trimmed, options: { template, multiLabel } };
}
