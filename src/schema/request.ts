/**
 * The body of POST /api/classify: fields, limits and every refusal's wording in one zod schema.
 * Each message is "<field>: <what is wrong>"; the status is 400, or 413 for a text over the limit.
 */
import * as z from 'zod';
import { isUsageError } from '../base/errors.js';
import type { ClassifyRequest } from '../core/classifier.js';
import { DEFAULT_TEMPLATE, MAX_LABELS, validateLabels, validateTemplate } from '../core/labels.js';

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

const EXAMPLE = '{"text": "…", "labels": ["体育", "财经"]}';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Characters as a person counts them (code points), not UTF-16 units. */
const characterCount = (text: string): number => [...text].length;

const missingOr = (missing: string, wrongType: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `missing; expected ${missing}` : `expected ${wrongType}, got ${typeName(issue.input)}`;

/** A refusal whose message is complete already (the core's own wording, which names the field). */
const COMPLETE = { complete: true };

/** `defaultTemplate`: the template of a request that names none (the served profile's, else the built-in one). */
export function classifyBodySchema(limits: RequestLimits, defaultTemplate = DEFAULT_TEMPLATE): z.ZodType<ClassifyRequest> {
  const fields = {
    text: z
      .string({ error: missingOr(`the text to classify, as in ${EXAMPLE}`, 'a string') })
      .refine((text) => text.trim().length > 0, { error: 'empty; expected the text to classify', abort: true })
      .superRefine((text, ctx) => {
        const chars = characterCount(text);
        if (chars > limits.maxTextChars) ctx.addIssue({ code: 'custom', message: `${chars} characters; at most ${limits.maxTextChars} are allowed`, params: { status: 413 } });
      }),
    labels: z
      .array(z.string({ error: (issue) => `expected a string, got ${typeName(issue.input)}` }), {
        error: missingOr(`an array of 1 to ${limits.maxLabels} strings, as in ${EXAMPLE}`, 'an array of strings'),
      })
      .transform((labels) => labels.map((label) => label.trim()))
      .superRefine((labels, ctx) => {
        const long = labels.findIndex((label) => characterCount(label) > limits.maxLabelChars);
        if (long >= 0) ctx.addIssue({ code: 'custom', path: [long], message: `${characterCount(labels[long] ?? '')} characters; at most ${limits.maxLabelChars} are allowed` });
      }),
    template: z
      .string({ error: (issue) => `expected a string containing {}, got ${typeName(issue.input)}` })
      .refine((template) => characterCount(template) <= limits.maxTemplateChars, {
        error: (issue) => `${characterCount(issue.input as string)} characters; at most ${limits.maxTemplateChars} are allowed`,
      })
      .nullish(),
    multiLabel: z.boolean({ error: (issue) => `expected true or false, got ${typeName(issue.input)}` }).nullish(),
  };
  return z
    .strictObject(fields, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field '${issue.keys[0] ?? ''}'; expected ${Object.keys(fields).join(', ')}`
          : `expected a JSON object like ${EXAMPLE}, got ${typeName(issue.input)}`,
    })
    .transform((body) => ({ text: body.text, labels: body.labels, options: { template: body.template ?? defaultTemplate, multiLabel: body.multiLabel ?? false } }))
    .superRefine((request, ctx) => {
      try {
        // The core's own checks, so the API and the CLI accept and refuse the same things.
        validateLabels(request.labels, 'labels');
        validateTemplate(request.options.template, 'template');
      } catch (error) {
        if (!isUsageError(error)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message, params: COMPLETE });
      }
    });
}

export interface BodyRefusal {
  status: 400 | 413;
  message: string;
}

/** The body as a request, or the one refusal to send back (unknown fields first, then field by field). */
export function parseClassifyBodyWith(schema: z.ZodType<ClassifyRequest>, body: unknown): ClassifyRequest | BodyRefusal {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
  if (issue === undefined) return { status: 400, message: 'body: invalid' };
  const params = issue.code === 'custom' ? (issue.params as { status?: number; complete?: boolean } | undefined) : undefined;
  const where = issue.path.length === 0 ? 'body' : issue.path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join('');
  return { status: params?.status === 413 ? 413 : 400, message: params?.complete === true ? issue.message : `${where}: ${issue.message}` };
}
