import { request as httpRequest, Agent } from 'node:http';
import type { ErrorKind } from './summary.js';

export type ClientOutcome =
  | { outcome: 'ok'; serverMs?: number; batchRequests?: number; batchRuns?: number }
  | { outcome: ErrorKind; detail: string };

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function errorKindOfStatus(status: number): ErrorKind | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 503) return 'http_503';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return 'other';
}

/** An ok answer must be a classification, not just a 200. */
function checkOkBody(body: string): ClientOutcome {
  try {
    const parsed = JSON.parse(body) as { scores?: unknown; latencyMs?: unknown; batch?: { requests?: unknown; runs?: unknown } };
    if (!Array.isArray(parsed.scores)) return { outcome: 'other', detail: 'a 200 response without scores' };
    const result: ClientOutcome = { outcome: 'ok' };
    if (typeof parsed.latencyMs === 'number') result.serverMs = parsed.latencyMs;
    if (typeof parsed.batch?.requests === 'number') result.batchRequests = parsed.batch.requests;
    if (typeof parsed.batch?.runs === 'number') result.batchRuns = parsed.batch.runs;
    return result;
  } catch {
    return { outcome: 'other', detail: 'a 200 response that is not JSON' };
  }
}

/** POSTs one JSON body and classifies what came back; never rejects. */
export function postJson(url: URL, body: string, agent: Agent, timeoutMs: number): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ClientOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const payload = Buffer.from(body);
    const request = httpRequest(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length },
    });
    const timer = setTimeout(() => {
      settle({ outcome: 'timeout', detail: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const kind = errorKindOfStatus(status);
        const text = Buffer.concat(chunks).toString('utf8');
        settle(kind === undefined ? checkOkBody(text) : { outcome: kind, detail: `HTTP ${status}: ${text.slice(0, 200)}` });
      });
      response.on('error', (error) => settle({ outcome: 'connection', detail: error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const connection = (error.code !== undefined && CONNECTION_CODES.has(error.code)) || /socket hang up/i.test(error.message);
      settle({ outcome: connection ? 'connection' : 'other', detail: error.code ?? error.message });
    });
    request.end(payload);
  });
}

/** GETs a JSON document (the server's /api/info); rejects with a one-line reason. */
export function getJson(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode ?? 0}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error('the answer is not JSON'));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    request.end();
  });
}
