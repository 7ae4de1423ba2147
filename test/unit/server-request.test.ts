import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/server/http-error.js';
import { classifyBodyParser, requestLimits } from '../../src/server/request.js';

// The parser the server builds at start for its limits (HttpError 400 or 413 with what is wrong).
const parseClassifyBody = classifyBodyParser(requestLimits(100));

function refusal(body: unknown): { status: number; message: string } {
  try {
    parseClassifyBody(body);
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('classifyBodyParser', () => {
  it('accepts a request and fills the defaults', () => {
    expect(parseClassifyBody({ text: '国足取胜', labels: [' 体育 ', '财经'] })).toEqual({
      text: '国足取胜',
      labels: ['体育', '财经'],
      options: { template: '这是一篇关于{}的新闻。', multiLabel: false },
    });
    expect(parseClassifyBody({ text: 't', labels: ['a'], template: '关于{}', multiLabel: true }).options).toEqual({ template: '关于{}', multiLabel: true });
  });

  it('reads back a request sent as JSON unchanged', () => {
    const request = { text: '国足取胜', labels: ['体育', '财经'], options: { template: '关于{}', multiLabel: true } };
    const body = JSON.parse(JSON.stringify({ text: request.text, labels: request.labels, ...request.options })) as unknown;
    expect(parseClassifyBody(body)).toEqual(request);
  });

  it.each([
    [[], 'body: expected a JSON object like {"text": "…", "labels": ["体育", "财经"]}, got an array'],
    ['text', 'body: expected a JSON object like {"text": "…", "labels": ["体育", "财经"]}, got a string'],
    [null, 'body: expected a JSON object like {"text": "…", "labels": ["体育", "财经"]}, got null'],
    [{ text: 't', labels: ['a'], multilabel: true }, "body: unknown field 'multilabel'; expected text, labels, template, multiLabel"],
    [{ labels: ['a'] }, 'text: missing; expected the text to classify, as in {"text": "…", "labels": ["体育", "财经"]}'],
    [{ text: 5, labels: ['a'] }, 'text: expected a string, got a number'],
    [{ text: '   ', labels: ['a'] }, 'text: empty; expected the text to classify'],
    [{ text: 't' }, 'labels: missing; expected an array of 1 to 64 strings, as in {"text": "…", "labels": ["体育", "财经"]}'],
    [{ text: 't', labels: '体育,财经' }, 'labels: expected an array of strings, got a string'],
    [{ text: 't', labels: ['a', 2] }, 'labels[1]: expected a string, got a number'],
    [{ text: 't', labels: [] }, 'labels: no labels given; expected a comma-separated list such as 体育,财经,科技'],
    [{ text: 't', labels: ['a', ' '] }, 'labels: empty label; every label needs text'],
    [{ text: 't', labels: ['a', 'a'] }, "labels: duplicate label 'a'; each label may appear once"],
    [{ text: 't', labels: Array.from({ length: 65 }, (_, i) => `l${i}`) }, 'labels: 65 labels given; at most 64 are allowed'],
    [{ text: 't', labels: ['长'.repeat(65)] }, 'labels[0]: 65 characters; at most 64 are allowed'],
    [{ text: 't', labels: ['a'], template: 3 }, 'template: expected a string containing {}, got a number'],
    [{ text: 't', labels: ['a'], template: '没有占位符' }, "template: template '没有占位符' has no '{}' placeholder for the label; for example 这是一篇关于{}的新闻。"],
    [{ text: 't', labels: ['a'], template: `${'x'.repeat(300)}{}` }, 'template: 302 characters; at most 256 are allowed'],
    [{ text: 't', labels: ['a'], multiLabel: 'yes' }, 'multiLabel: expected true or false, got a string'],
  ])('refuses %j with 400 and a message', (body, message) => {
    expect(refusal(body)).toEqual({ status: 400, message });
  });

  it('refuses a text over the limit with 413, counting characters rather than UTF-16 units', () => {
    expect(refusal({ text: '字'.repeat(101), labels: ['a'] })).toEqual({ status: 413, message: 'text: 101 characters; at most 100 are allowed' });
    expect(parseClassifyBody({ text: '𠀀'.repeat(100), labels: ['a'] }).text).toHaveLength(200);
  });

  it('derives a body limit that fits the largest valid request even with every character escaped', () => {
    const big = requestLimits(8192);
    const body = {
      text: '字'.repeat(8192),
      labels: Array.from({ length: 64 }, (_, i) => `${i}`.padEnd(64, '标')),
      template: `${'模'.repeat(254)}{}`,
      multiLabel: false,
    };
    const escaped = JSON.stringify(body).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(Buffer.byteLength(escaped)).toBeLessThanOrEqual(big.maxBodyBytes);
    expect(classifyBodyParser(big)(JSON.parse(escaped)).labels).toHaveLength(64);
  });
});
