import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClassifyRequest } from '../../src/core/classifier.js';
import { Batcher, type Engine, type EngineResult } from '../../src/server/batcher.js';
import type { LoadedModel } from '../../src/server/model-worker.js';
import { requestLimits } from '../../src/server/request.js';
import { ClassifierServer, type ApiInfo } from '../../src/server/server.js';

/** An engine that answers after `delayMs`, scoring labels in the order given. */
class SlowEngine implements Engine {
  constructor(private readonly delayMs: number) {}
  async run(requests: readonly ClassifyRequest[]): Promise<EngineResult> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return {
      results: requests.map((request) => ({
        labels: [...request.labels],
        scores: request.labels.map((_, index) => 1 / (index + 2)),
        multiLabel: request.options?.multiLabel === true,
        timings: { tokenizeMs: 0, inferenceMs: this.delayMs, totalMs: this.delayMs, runs: 1 },
        runShapes: [{ rows: request.labels.length, sequence: 32 }],
      })),
      runs: 1,
      inferenceMs: this.delayMs,
    };
  }
}

const loaded: LoadedModel = {
  model: { dir: '/m', precision: 'fp32', onnxFile: '/m/onnx/model.onnx', synthetic: true, arch: 'tiny', modelType: 'bert', maxLength: 512, classes: 3 },
  provider: 'cpu',
  requestedProvider: 'cpu',
  fallback: null,
  placement: null,
  placementNote: null,
};

let servers: ClassifierServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close(1000)));
  servers = [];
});

async function start(options: { delayMs?: number; maxQueue?: number; maxTextChars?: number } = {}): Promise<{ url: string; server: ClassifierServer; batcher: Batcher }> {
  const limits = { ...requestLimits(options.maxTextChars ?? 100), maxQueue: options.maxQueue ?? 8 };
  const batcher = new Batcher(new SlowEngine(options.delayMs ?? 1), { merge: true, maxBatchPairs: 64, maxWaitMs: 0, maxQueue: limits.maxQueue });
  const server = new ClassifierServer({
    batcher,
    limits,
    loaded,
    info: () => ({ tool: 'zsc-bench', limits }) as unknown as ApiInfo,
    engineStatus: () => 'ready',
  });
  servers.push(server);
  return { url: await server.listen(0, '127.0.0.1'), server, batcher };
}

async function post(url: string, body: string | object, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${url}/api/classify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

/** A raw request, so paths reach the server exactly as written (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the HTTP API refuses bad input with a status and a message', () => {
  it('answers a good request with the labels, scores, latency, provider and synthetic flag', async () => {
    const { url } = await start();
    const { status, json } = await post(url, { text: '国足取胜', labels: ['体育', '财经'] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ labels: ['体育', '财经'], scores: [0.5, 1 / 3], provider: 'cpu', synthetic: true, fallback: null, batch: { requests: 1, pairs: 2 } });
    expect(json['latencyMs']).toBeGreaterThan(0);
  });

  it.each([
    ['{"text": "a", "labels": [', 400, /^body: malformed JSON \(/],
    ['', 400, /^body: empty; expected a JSON object/],
    ['[1, 2]', 400, /^body: expected a JSON object like .*, got an array$/],
    ['{"labels": ["a"]}', 400, /^text: missing; /],
    ['{"text": ["a"], "labels": ["a"]}', 400, /^text: expected a string, got an array$/],
    ['{"text": "a"}', 400, /^labels: missing; /],
    ['{"text": "a", "labels": "a,b"}', 400, /^labels: expected an array of strings, got a string$/],
    ['{"text": "a", "labels": []}', 400, /^labels: no labels given/],
    [JSON.stringify({ text: 'a', labels: Array.from({ length: 65 }, (_, i) => `${i}`) }), 400, /^labels: 65 labels given; at most 64 are allowed$/],
    ['{"text": "a", "labels": ["a"], "multiLabel": 1}', 400, /^multiLabel: expected true or false, got a number$/],
    ['{"text": "a", "labels": ["a"], "template": "no placeholder"}', 400, /^template: template 'no placeholder' has no '\{\}' placeholder/],
    [JSON.stringify({ text: '长'.repeat(101), labels: ['a'] }), 413, /^text: 101 characters; at most 100 are allowed$/],
  ])('%s -> %i', async (body, status, message) => {
    const { url } = await start();
    const response = await post(url, body);
    expect(response.status).toBe(status);
    expect(response.json['error']).toMatch(message);
  });

  it('refuses a body over the limit with 413, by Content-Length or by counting', async () => {
    const { url } = await start();
    const limit = requestLimits(100).maxBodyBytes;
    const big = JSON.stringify({ text: 'a', labels: ['a'], padding: 'x'.repeat(limit) });
    const declared = await post(url, big);
    expect(declared.status).toBe(413);
    expect(declared.json['error']).toBe(`body: ${Buffer.byteLength(big)} bytes; at most ${limit} are allowed`);
    // Chunked: no Content-Length, so the server has to count what arrives.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const response = await fetch(`${url}/api/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe(`body: more than ${limit} bytes; at most ${limit} are allowed`);
  });

  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    const { url } = await start();
    const missing = await fetch(`${url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^no such route: GET \/api\/nope; the API is POST \/api\/classify/);
    const wrong = await fetch(`${url}/api/classify`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(((await wrong.json()) as { error: string }).error).toBe('method GET not allowed here; use POST');
  });

  it('refuses with 503 and Retry-After when the queue is full, and stays up', async () => {
    const { url } = await start({ delayMs: 300, maxQueue: 2 });
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => post(url, { text: `t${i}`, labels: ['a', 'b'] })));
    const refused = responses.filter((response) => response.status === 503);
    expect(responses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const response of refused) {
      expect(response.json['error']).toMatch(/^queue full: 2 requests waiting \(limit 2\); retry later$/);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await post(url, { text: 'after', labels: ['a'] })).status).toBe(200);
  });

  it('serves the page and its files, and nothing outside the static folder', async () => {
    const { url } = await start();
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<textarea id="text"');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN or a font service
    expect(await (await fetch(`${url}/?lite=1`)).text()).toContain('<html lang="zh-CN" class="lite">');
    expect((await fetch(`${url}/static/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['/static/../package.json', '/static/..%2Fpackage.json', '/static/%2e%2e/%2e%2e/package.json', '/static/..%5C..%5Cpackage.json', '/static/%2Fetc%2Fpasswd', '/static//etc/passwd', '/static/.', '/../../../../etc/passwd']) {
      const response = await rawGet(url, path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('"name": "zsc-bench"');
      expect(response.body).not.toContain('root:');
    }
    expect((await rawGet(url, '/static/%E0%A4%A')).status).toBe(400);
  });

  it('answers garbage on the socket with 400 and keeps serving', async () => {
    const { url } = await start();
    const { hostname, port } = new URL(url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });

  it('reports health and info', async () => {
    const { url } = await start();
    const health = (await (await fetch(`${url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', queued: 0, inFlight: 0 });
    expect(health['rssBytes']).toBeGreaterThan(0);
    expect(await (await fetch(`${url}/api/info`)).json()).toMatchObject({ tool: 'zsc-bench', limits: { maxQueue: 8, maxTextChars: 100 } });
  });

  it('does not run a queued request whose client disconnected', async () => {
    const { url, batcher } = await start({ delayMs: 200 });
    const running = post(url, { text: 'first', labels: ['x'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A client that sends its request and hangs up while it waits in the queue.
    const body = JSON.stringify({ text: 'impatient', labels: ['x'] });
    const impatient = httpRequest(`${url}/api/classify`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    impatient.on('error', () => {});
    impatient.end(body);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batcher.queued).toBe(1);
    impatient.destroy();
    await expect.poll(() => batcher.abandoned).toBe(1);
    expect(batcher.queued).toBe(0);
    expect((await running).status).toBe(200);
    const health = (await (await fetch(`${url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', abandoned: 1, batches: 1 });
  });

  it('drains on close: running and queued requests are answered, new ones refused', async () => {
    const { url, server } = await start({ delayMs: 200 });
    const inFlight = [post(url, { text: 'a', labels: ['x'] }), post(url, { text: 'b', labels: ['x'] })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = server.close(5000);
    const answers = await Promise.all(inFlight);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await closing;
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });
});
