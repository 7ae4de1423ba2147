/**
 * The server against hostile but fair clients, on raw sockets to 127.0.0.1 (issue 12): malformed
 * request lines, hang-ups mid-body, cross-site content types, foreign Host headers (DNS
 * rebinding), oversized headers and bodies.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClassifyRequest } from '../../src/core/classifier.js';
import { Batcher, type Engine, type EngineResult } from '../../src/server/batcher.js';
import type { LoadedModel } from '../../src/server/model-worker.js';
import { requestLimits } from '../../src/server/request.js';
import { allowedHostNames, ClassifierServer, hostOf, type ApiInfo } from '../../src/server/server.js';

class EchoEngine implements Engine {
  async run(requests: readonly ClassifyRequest[]): Promise<EngineResult> {
    return {
      results: requests.map((request) => ({
        labels: [...request.labels],
        scores: request.labels.map(() => 1 / request.labels.length),
        multiLabel: false,
        timings: { tokenizeMs: 0, inferenceMs: 1, totalMs: 1, runs: 1 },
        runShapes: [],
      })),
      runs: 1,
      inferenceMs: 1,
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

async function start(allowedHosts: string[] = []): Promise<{ port: number; errors: string[]; server: ClassifierServer }> {
  const limits = { ...requestLimits(100), maxQueue: 8 };
  const batcher = new Batcher(new EchoEngine(), { merge: true, maxBatchPairs: 64, maxWaitMs: 0, maxQueue: 8 });
  const errors: string[] = [];
  const server = new ClassifierServer({
    batcher,
    limits,
    loaded,
    info: () => ({ tool: 'zsc-bench', limits }) as unknown as ApiInfo,
    engineStatus: () => 'ready',
    onError: (message) => errors.push(message),
    allowedHosts,
  });
  servers.push(server);
  const url = await server.listen(0, '127.0.0.1');
  return { port: Number(new URL(url).port), errors, server };
}

/** Sends raw bytes, then reads until the server closes or `until` matches what arrived. */
function raw(port: number, chunks: Array<string | Buffer>, options: { until?: RegExp; endAfter?: boolean } = {}): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    let reply = '';
    let finished = false;
    const socket = connect(port, '127.0.0.1', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.endAfter === true) socket.end();
    });
    const done = (error?: string) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve(error === undefined ? { reply } : { reply, error });
    };
    socket.on('data', (data) => {
      reply += data.toString('latin1');
      if (options.until?.test(reply)) done();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('close', () => done());
  });
}

const json = (body: object) => JSON.stringify(body);
const post = (port: number, body: string, headers: Record<string, string> = {}): string => {
  const lines = [`POST /api/classify HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
};
const statusOf = (reply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
const OK_BODY = json({ text: '体育新闻', labels: ['体育', '财经'] });

describe('the server refuses what clients get wrong with a 4xx, and stays quiet about hang-ups', () => {
  it('a malformed request line is 400, not a 500 with an error log', async () => {
    const { port, errors } = await start();
    const { reply } = await raw(port, [`GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`]);
    expect(statusOf(reply)).toBe(400);
    expect(reply).toContain('is not a valid request target');
    expect(errors).toEqual([]);
  });

  it('a client that hangs up mid-body is counted in /api/health, not logged as a 500', async () => {
    const { port, errors } = await start();
    const body = OK_BODY;
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 100}\r\n\r\n${body.slice(0, 10)}`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
    });
    await expect.poll(async () => ((await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { clientAborts: number }).clientAborts).toBe(1);
    expect(errors).toEqual([]);
  });

  it('requires application/json: text/plain (what a cross-site page can send without a preflight) is 415', async () => {
    const { port } = await start();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const { reply } = await raw(port, [post(port, OK_BODY, { ...(type === undefined ? {} : { 'Content-Type': type }), Connection: 'close' })]);
      expect(statusOf(reply), type).toBe(415);
      expect(reply).toContain('Content-Type: expected application/json');
    }
    const { reply } = await raw(port, [post(port, OK_BODY, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' })]);
    expect(statusOf(reply)).toBe(200);
  });

  it('answers only Host headers that name it: a DNS-rebinding page gets 403', async () => {
    const { port } = await start(['bench.example']);
    const get = async (host: string) => statusOf((await raw(port, [`GET /api/info HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`])).reply);
    expect(await get(`127.0.0.1:${port}`)).toBe(200);
    expect(await get(`localhost:${port}`)).toBe(200);
    expect(await get('LOCALHOST')).toBe(200);
    expect(await get(`bench.example:${port}`)).toBe(200);
    expect(await get(`attacker.example:${port}`)).toBe(403);
    expect(await get(`10.0.0.5:${port}`)).toBe(403);
    const { reply } = await raw(port, [`POST /api/classify HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\nContent-Length: ${OK_BODY.length}\r\nConnection: close\r\n\r\n${OK_BODY}`]);
    expect(statusOf(reply)).toBe(403);
    expect(reply).toContain("Host: 'attacker.example' is not a name of this server; allowed: 127.0.0.1, localhost, bench.example (add names with --allowed-hosts)");
  });

  it('oversized headers are 431', async () => {
    const { port } = await start();
    const { reply } = await raw(port, [`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
    expect(statusOf(reply)).toBe(431);
  });

  it('a body over the limit: read to the end, 413, and the connection still serves the next request', async () => {
    const { port } = await start();
    const big = json({ text: 'x'.repeat(200_000), labels: ['a'] });
    const next = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
    const { reply, error } = await raw(port, [post(port, big, { "Content-Type": "application/json" }), next], { until: /HTTP\/1\.1 200/ });
    expect(error).toBeUndefined();
    expect(statusOf(reply)).toBe(413);
    expect(reply).toMatch(/body: \d+ bytes; at most \d+ are allowed/);
    expect(reply.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
  });

  it('a huge upload: 413 with Connection: close, read by the client before any reset', async () => {
    const { port } = await start();
    const size = 20 * 1024 * 1024;
    const head = `POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
    const { reply } = await raw(port, [head, Buffer.alloc(size, 0x20)], { until: /\r\n\r\n\{.*\}$/s });
    expect(statusOf(reply)).toBe(413);
    expect(reply).toMatch(/connection: close/i);
    expect(reply).toContain(`"error":"body: ${size} bytes; at most`);
  });
});

describe('Host names allowed', () => {
  it('follow the listening address', () => {
    expect([...allowedHostNames('127.0.0.1', '127.0.0.1', []).names]).toEqual(['127.0.0.1', 'localhost']);
    expect([...allowedHostNames('::1', '::1', []).names]).toEqual(['[::1]', 'localhost']);
    expect(allowedHostNames('10.1.2.3', '10.1.2.3', []).names.has('localhost')).toBe(false);
    const all = allowedHostNames('0.0.0.0', '0.0.0.0', ['Box.Local:7860']);
    expect(all.anyIp).toBe(true);
    expect(all.names.has('box.local')).toBe(true);
  });
  it('hostOf strips the port and lower-cases', () => {
    expect(hostOf('Example.COM:7860')).toBe('example.com');
    expect(hostOf('[::1]:80')).toBe('[::1]');
    expect(hostOf('127.0.0.1')).toBe('127.0.0.1');
  });
});
