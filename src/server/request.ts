import type { ClassifyRequest } from '../core/classifier.js';
import { classifyBodySchema, parseClassifyBodyWith, type RequestLimits } from '../schema/request.js';
import { HttpError } from './http-error.js';

export { DEFAULT_MAX_TEXT_CHARS, requestLimits, type RequestLimits } from '../schema/request.js';

export type ClassifyBodyParser = (body: unknown) => ClassifyRequest;

/**
 * A parser for one set of limits, built and warmed up front: zod compiles a schema on its first
 * parses (about 20 ms here), which a server should pay at start, not on its first requests.
 * `defaultTemplate` is what a request without a template gets (serve --profile's own).
 */
export function classifyBodyParser(limits: RequestLimits, defaultTemplate?: string): ClassifyBodyParser {
  const schema = classifyBodySchema(limits, defaultTemplate);
  const parse: ClassifyBodyParser = (body) => {
    const parsed = parseClassifyBodyWith(schema, body);
    if ('status' in parsed) throw new HttpError(parsed.status, parsed.message);
    return parsed;
  };
  for (const sample of [{ text: '预热', labels: ['体育', '财经'] }, { text: '预热', labels: ['体育'], template: '关于{}', multiLabel: true }]) parse(sample);
  return parse;
}
