import type { ProviderPlacement } from '../core/placement.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../base/errors.js';
import type { Fallback } from '../core/session.js';
import { currentRssBytes } from '../env/memory.js';
import type { Batcher } from './batcher.js';
import { HttpError } from './http-error.js';
import type { EngineStatus, LoadedModel } from './model-worker.js';
import { parseClassifyBody, type RequestLimits } from './request.js';
import { loadStaticFiles, pageHtml, type StaticFile } from './static-files.js';

/** GET /api/info: what runs and under which limits (the load generator records all of it). */
export interface ApiInfo {
  tool: 'zsc-bench';
  toolVersion: string;
  host: string;
  profile: string | null;
  model: { id: string; dir: string; arch: string | null; modelType: string; sha256: string; maxLength: number };
  precision: string;
  /** The provider that ran; for an accelerator with its share of kernel time, e.g. `cuda (97% of kernel time)`. */
  provider: string;
  requestedProvider: string;
  fallback: Fallback | null;
  /** Shares of nodes and kernel time per execution provider, from one profiled classification after load. */
  providerPlacement: ProviderPlacement | null;
  /** A warning when an accelerator ran under 90% of the kernel time, or why placement is unknown. */
  providerPlacementNote: string | null;
  synthetic: boolean;
  /** How far to trust a synthetic model's numbers (random weights vs known answers); null for trained weights. */
  syntheticNote: string | null;
  defaultTemplate: string;
  batching: {
    /** Whether different requests are actually merged into shared session.runs. */
    enabled: boolean;
    requested: boolean;
    /** Merging allowed at a precision where batch composition changes scores (fp16, int8). */
    inexact: boolean;
    maxBatchPairs: number;
    maxWaitMs: number;
    maxPaddingOverhead: number;
    note: string;
  };
  limits: RequestLimits & { maxQueue: number };
  hypothesisCache: { size: number; capacity: number; hits: number; misses: number } | null;
}

export interface ClassifierServerOptions {
  batcher: Batcher;
  limits: RequestLimits;
  loaded: LoadedModel;
  info(): ApiInfo;
  engineStatus(): EngineStatus;
  staticFiles?: Map<string, StaticFile>;
  /** Unexpected failures (500s, worker crashes): the server never prints on its own. */
  onError?(message: string): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
// The page loads nothing from elsewhere: no CDN, no web fonts. The policy makes that a rule.
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return Promise.reject(new HttpError(413, `body: ${declared} bytes; at most ${maxBytes} are allowed`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        // Keep reading (and dropping) the rest, so the client gets to see the 413.
        refused = true;
        chunks.length = 0;
        reject(new HttpError(413, `body: more than ${maxBytes} bytes; at most ${maxBytes} are allowed`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'body: empty; expected a JSON object like {"text": "…", "labels": ["体育", "财经"]}');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `body: malformed JSON (${(error as Error).message})`);
  }
}

/**
 * The HTTP side of `zsc-bench serve`: the page, the JSON API and the queue's front door. Every
 * request is answered (a bad one with 4xx and a message, an overload with 503); nothing a
 * client sends can throw out of a handler.
 */
export class ClassifierServer {
  private readonly http: Server;
  private readonly files: Map<string, StaticFile>;
  private readonly startedAt = performance.now();
  private draining = false;

  constructor(private readonly options: ClassifierServerOptions) {
    this.files = options.staticFiles ?? loadStaticFiles();
    this.http = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    });
    this.http.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Listens and resolves with the URL (port 0 picks a free port). */
  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') reject(new UsageError(`--port: ${port} is already in use on ${host}; pick another with --port`));
        else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UsageError(`--host: cannot listen on '${host}' (${error.code})`));
        else if (error.code === 'EACCES') reject(new UsageError(`--port: not allowed to listen on port ${port} (EACCES); ports below 1024 need privileges`));
        else reject(error);
      };
      this.http.once('error', onError);
      this.http.listen(port, host, () => {
        this.http.removeListener('error', onError);
        const address = this.http.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve(`http://${shownHost}:${address.port}`);
      });
    });
  }

  /**
   * Graceful shutdown: stop accepting, refuse new classifications with 503, let queued and
   * running ones finish and answer them, then close. Connections still open after
   * `timeoutMs` are cut.
   */
  async close(timeoutMs = 30_000): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([this.options.batcher.idle(), deadline]);
    this.http.closeIdleConnections();
    await Promise.race([closed, deadline]);
    this.http.closeAllConnections();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    if (this.draining) response.shouldKeepAlive = false;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/api/classify') {
      this.allow(request, ['POST']);
      return this.classify(request, response, started);
    }
    if (path === '/api/health') {
      this.allow(request, ['GET', 'HEAD']);
      const health = this.health();
      return this.sendJson(response, health.status === 'ok' ? 200 : 503, health);
    }
    if (path === '/api/info') {
      this.allow(request, ['GET', 'HEAD']);
      return this.sendJson(response, 200, this.options.info());
    }
    if (path === '/' || path === '/index.html') {
      this.allow(request, ['GET', 'HEAD']);
      const index = this.files.get('index.html');
      if (index === undefined) throw new Error('the page (index.html) is missing from the package');
      return this.send(response, 200, index.contentType, pageHtml(index.body, url.searchParams.get('lite') === '1'));
    }
    if (path === '/favicon.ico') {
      // Browsers and tools ask for it whatever the page links to; the page's SVG icon answers.
      this.allow(request, ['GET', 'HEAD']);
      const icon = this.files.get('favicon.svg');
      if (icon === undefined) throw new HttpError(404, 'no icon in the package');
      return this.send(response, 200, icon.contentType, icon.body);
    }
    if (path.startsWith('/static/')) {
      this.allow(request, ['GET', 'HEAD']);
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/static/'.length));
      } catch {
        throw new HttpError(400, `path: malformed percent-encoding in ${path}`);
      }
      const file = this.files.get(name);
      if (file === undefined) throw new HttpError(404, `no such file: ${path}`);
      return this.send(response, 200, file.contentType, file.body);
    }
    throw new HttpError(404, `no such route: ${request.method ?? 'GET'} ${path}; the API is POST /api/classify, GET /api/health, GET /api/info`);
  }

  private allow(request: IncomingMessage, methods: readonly string[]): void {
    const method = request.method ?? 'GET';
    if (!methods.includes(method)) {
      throw new HttpError(405, `method ${method} not allowed here; use ${methods.join(' or ')}`, { Allow: methods.join(', ') });
    }
  }

  private async classify(request: IncomingMessage, response: ServerResponse, started: number): Promise<void> {
    if (this.draining) {
      request.resume();
      throw new HttpError(503, 'the server is shutting down; retry on another instance', { 'Retry-After': '1' });
    }
    const body = parseJson(await readBody(request, this.options.limits.maxBodyBytes));
    const classifyRequest = parseClassifyBody(body, this.options.limits);
    const clientGone = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) clientGone.abort();
    };
    response.once('close', onClose);
    const { result, batch } = await this.options.batcher.submit(classifyRequest, clientGone.signal);
    response.removeListener('close', onClose);
    const { loaded } = this.options;
    this.sendJson(response, 200, {
      labels: result.labels,
      scores: result.scores,
      latencyMs: performance.now() - started,
      provider: loaded.provider,
      synthetic: loaded.model.synthetic,
      fallback: loaded.fallback,
      precision: loaded.model.precision,
      multiLabel: result.multiLabel,
      template: classifyRequest.options?.template,
      inferenceMs: result.timings.inferenceMs,
      batch,
      truncated: result.truncated ?? null,
    });
  }

  private health(): {
    status: string;
    uptimeS: number;
    queued: number;
    inFlight: number;
    batches: number;
    abandoned: number;
    rssBytes: number;
    heapUsedBytes: number;
  } {
    const engine = this.options.engineStatus();
    const status = this.draining ? 'draining' : engine === 'ready' ? 'ok' : engine;
    const { batcher } = this.options;
    return {
      status,
      uptimeS: (performance.now() - this.startedAt) / 1000,
      queued: batcher.queued,
      inFlight: batcher.inFlight,
      batches: batcher.batchCount,
      abandoned: batcher.abandoned,
      rssBytes: currentRssBytes(),
      heapUsedBytes: process.memoryUsage().heapUsed,
    };
  }

  private fail(response: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      if (error.status === 413) response.shouldKeepAlive = false;
      this.sendJson(response, error.status, { error: error.message }, error.headers);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.options.onError?.(`500: ${message}`);
    this.sendJson(response, 500, { error: `internal error: ${message}` });
  }

  private sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    this.send(response, status, JSON_TYPE, Buffer.from(JSON.stringify(body)), { 'Cache-Control': 'no-store', ...headers });
  }

  private send(response: ServerResponse, status: number, contentType: string, body: Buffer, headers: Readonly<Record<string, string>> = {}): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // The client is gone (an abandoned request): nobody to answer.
    if (response.socket === null || response.socket.destroyed) return;
    if (this.draining) response.shouldKeepAlive = false;
    response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS, ...headers });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  }
}
