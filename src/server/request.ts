import type { ClassifyRequest } from '../core/classifier.js';
import { classifyBodySchema, parseClassifyBodyWith, type RequestLimits } from '../schema/request.js';
import { HttpError } from './http-error.js';

export { DEFAULT_MAX_TEXT_CHARS, requestLimits, type RequestLimits } from '../schema/request.js';

const schemas = new WeakMap<RequestLimits, ReturnType<typeof classifyBodySchema>>();

/** Turns a parsed JSON body into a classification request, or says exactly what is wrong (HttpError 400 or 413). */
export function parseClassifyBody(body: unknown, limits: RequestLimits): ClassifyRequest {
  let schema = schemas.get(limits);
  if (schema === undefined) {
    schema = classifyBodySchema(limits);
    schemas.set(limits, schema);
  }
  const parsed = parseClassifyBodyWith(schema, body);
  if ('status' in parsed) throw new HttpError(parsed.status, parsed.message);
  return parsed;
}
