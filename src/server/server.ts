import type { ProviderPlacement } from '../core/placement.js';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { hostname as machineName } from 'node:os';
import { UsageError } from '../base/errors.js';
import type { Fallback } from '../core/session.js';
import { currentRssBytes } from '../env/memory.js';
import type { Batcher } from './batcher.js';
import { HttpError } from './http-error.js';
import type { EngineStatus, LoadedModel } from './model-worker.js';
import { classifyBodyParser, type ClassifyBodyParser, type RequestLimits } from './request.js';
import { loadStaticFiles, pageHtml, type StaticFile } from './static-files.js';

/**
 * GET /api/info: what runs and under which limits (the load generator records all of it). No
 * absolute paths and no host name: a page that tricked a browser into reading it must not learn
 * the machine's layout.
 */
export interface ApiInfo {
  tool: 'zsc-bench';
  toolVersion: string;
  profile: string | null;
  model: { id: string; arch: string | null; modelType: string; sha256: string; maxLength: number };
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
  /** The template of requests that give none: the served profile's (what /api/info calls defaultTemplate). */
  defaultTemplate?: string;
  loaded: LoadedModel;
  info(): ApiInfo;
  engineStatus(): EngineStatus;
  staticFiles?: Map<string, StaticFile>;
  /** Unexpected failures (500s, worker crashes): the server never prints on its own. */
  onError?(message: string): void;
  /** Host names accepted in the Host header besides those of the listening address (--allowed-hosts). */
  allowedHosts?: readonly string[];
}

/**
 * Bodies a little over the limit are read to the end and dropped before the 413, so the client
 * finishes its upload and reads the answer on a connection that stays usable. Beyond this the
 * 413 goes out at once with Connection: close, and the rest is drained for a moment so the
 * client sees the answer rather than a reset.
 */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;
const DRAIN_GRACE_MS = 2_000;

/** A client that hung up before its request was read: nothing to answer, nothing to report. */
class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

/** The host part of a Host header, lower case: `Example.com:7860` -> `example.com`, `[::1]:80` -> `[::1]`. */
export function hostOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.replace(/:\d*$/, '');
}

const bracketed = (address: string): string => (isIP(address) === 6 ? `[${address}]` : address);
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may name this server in a Host header (DNS rebinding defence): the address it listens on
 * (and the name given to --host), localhost when that address is a loopback one; when it listens
 * on every interface, any IP literal and this machine's name. Plus the names the user allows.
 */
export function allowedHostNames(listening: string, requested: string, extra: readonly string[]): { names: Set<string>; anyIp: boolean } {
  const names = new Set<string>([bracketed(listening), hostOf(bracketed(requested))]);
  const anyIp = listening === '0.0.0.0' || listening === '::';
  if (LOOPBACK_ADDRESSES.has(listening) || listening.startsWith('127.') || anyIp) names.add('localhost');
  if (anyIp) names.add(machineName().toLowerCase());
  for (const name of extra) names.add(hostOf(name));
  return { names, anyIp };
}

const JSON_TYPE = 'application/json; charset=utf-8';
// The page loads nothing from elsewhere: no CDN, no web fonts. The policy makes that a rule.
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

function tooLarge(declared: number, maxBytes: number, close: boolean): HttpError {
  const size = Number.isFinite(declared) ? `${declared} bytes` : `more than ${maxBytes} bytes`;
  return new HttpError(413, `body: ${size}; at most ${maxBytes} are allowed`, close ? { Connection: 'close' } : {});
}

/**
 * Reads a body up to `maxBytes`. Past that, the rest is read and dropped (up to the discard
 * limit) before refusing, so the client's upload completes and it reads the 413.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > DISCARD_LIMIT_BYTES) return Promise.reject(tooLarge(declared, maxBytes, true));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DISCARD_LIMIT_BYTES) settle(() => reject(tooLarge(declared, maxBytes, true)));
      else if (size <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => settle(() => (size > maxBytes ? reject(tooLarge(declared, maxBytes, false)) : resolve(Buffer.concat(chunks)))));
    // 'aborted'/ECONNRESET: the client hung up mid-body.
    request.on('error', (error) => settle(() => reject(new ClientGone(error.message))));
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
  private readonly parseBody: ClassifyBodyParser;
  private draining = false;
  private allowed: { names: Set<string>; anyIp: boolean } = { names: new Set(), anyIp: false };
  /** Clients that hung up before their request was read: counted in /api/health, not logged. */
  private clientAborts = 0;

  constructor(private readonly options: ClassifierServerOptions) {
    this.files = options.staticFiles ?? loadStaticFiles();
    this.parseBody = classifyBodyParser(options.limits, options.defaultTemplate);
    this.http = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    });
    this.http.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      // Node's parser refusals: oversized headers are 431, anything else malformed 400.
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      if (error.code === 'ECONNRESET' || !socket.writable) {
        if (error.code === 'ECONNRESET') this.clientAborts += 1;
        socket.destroy();
        return;
      }
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
        this.allowed = allowedHostNames(address.address, host, this.options.allowedHosts ?? []);
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
    this.checkHost(request);
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      // `GET http://[::1 HTTP/1.1` parses as HTTP but not as a URL: the client's mistake.
      throw new HttpError(400, `request line: '${(request.url ?? '').slice(0, 200)}' is not a valid request target`);
    }
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

  /** Refuses Host headers that do not name this server: a DNS-rebinding page names its own domain. */
  private checkHost(request: IncomingMessage): void {
    const header = request.headers.host;
    if (header === undefined || header.trim() === '') throw new HttpError(400, 'Host: missing; HTTP/1.1 requests name the server they are for');
    // Node keeps the first of several Host headers; a proxy may have checked another: refuse the ambiguity.
    const hosts = request.rawHeaders.filter((name, index) => index % 2 === 0 && name.toLowerCase() === 'host').length;
    if (hosts > 1) throw new HttpError(400, `Host: sent ${hosts} times; a request names one server`);
    const name = hostOf(header);
    const plain = name.replace(/^\[|\]$/g, '');
    if (this.allowed.names.has(name) || (this.allowed.anyIp && isIP(plain) !== 0)) return;
    throw new HttpError(403, `Host: '${name}' is not a name of this server; allowed: ${[...this.allowed.names].join(', ')}${this.allowed.anyIp ? ', any IP address' : ''} (add names with --allowed-hosts)`);
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
    // A simple (no-preflight) cross-site form or fetch can only send text/plain, form types:
    // requiring JSON keeps other web pages from spending this machine's CPU.
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (contentType !== 'application/json') {
      request.resume();
      throw new HttpError(415, `Content-Type: expected application/json, got '${request.headers['content-type'] ?? ''}'`);
    }
    const body = parseJson(await readBody(request, this.options.limits.maxBodyBytes));
    const classifyRequest = this.parseBody(body);
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
    clientAborts: number;
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
      clientAborts: this.clientAborts,
      rssBytes: currentRssBytes(),
      heapUsedBytes: heapUsedAfterCollection(),
    };
  }

  private fail(response: ServerResponse, error: unknown): void {
    if (error instanceof ClientGone) {
      this.clientAborts += 1;
      response.destroy();
      return;
    }
    if (error instanceof HttpError) {
      if (error.headers['Connection'] === 'close') {
        this.answerAndStopReading(response, error);
        return;
      }
      const headers = error.headers;
      this.sendJson(response, error.status, { error: error.message }, headers);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.options.onError?.(`500: ${message}`);
    this.sendJson(response, 500, { error: `internal error: ${message}` });
  }

  /**
   * For a body too large to read through: the answer goes out on the raw socket, which is then
   * half-closed, while what the client still sends is read and dropped for a moment. Node's own
   * close would reset the connection with the upload unread, and the client would see a reset
   * instead of the 413.
   */
  private answerAndStopReading(response: ServerResponse, error: HttpError): void {
    const socket = response.socket ?? response.req.socket;
    if (socket === null || socket.destroyed) return;
    const body = Buffer.from(JSON.stringify({ error: error.message }));
    const head = [
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
      `Content-Type: ${JSON_TYPE}`,
      `Content-Length: ${body.length}`,
      'Cache-Control: no-store',
      ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    response.req.on('data', () => {});
    response.req.resume();
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
    setTimeout(() => socket.destroy(), DRAIN_GRACE_MS).unref();
  }

  private sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    this.send(response, status, JSON_TYPE, Buffer.from(JSON.stringify(body)), { 'Cache-Control': 'no-store', ...headers });
  }

  private send(response: ServerResponse, status: number, contentType: string, body: Buffer, headers: Readonly<Record<string, string>> = {}): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // The client is gone (an abandoned request): nobody to answer. A pipelined response has no
    // socket of its own until the ones before it are done, so ask the request's.
    const socket = response.socket ?? response.req.socket;
    if (socket === null || socket.destroyed) return;
    if (this.draining) response.shouldKeepAlive = false;
    response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS, ...headers });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  }
}

/**
 * The heap in use, after a full collection when node runs with --expose-gc: a debugging setting
 * (tests use it to tell a leak from garbage not yet collected), never the default, because a
 * full collection per health check would stall a real server.
 */
function heapUsedAfterCollection(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
