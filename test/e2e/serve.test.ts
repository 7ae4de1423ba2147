import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../bench/serve-process.js';
import { readDataset } from '../../src/io/dataset.js';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

const home = { ZSC_BENCH_HOME: mkdtempSync(join(tmpdir(), 'zsc-serve-home-')) };
const SPORTS = '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。';

interface Classified {
  labels: string[];
  scores: number[];
  latencyMs: number;
  provider: string;
  synthetic: boolean;
  fallback: unknown;
  batch: { requests: number; pairs: number; runs: number };
}

async function classify(url: string, body: object): Promise<Classified> {
  const response = await fetch(`${url}/api/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Classified;
}

describe('zsc-bench serve on the overlap model', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServe(['--model', await testModel('overlap')], home);
  });
  afterAll(() => server.stop());

  it('classifies a sports text as 体育 and reports what ran', async () => {
    const result = await classify(server.url, { text: SPORTS, labels: ['财经', '体育', '科技'] });
    expect(result.labels[0]).toBe('体育');
    expect([...result.scores].sort((a, b) => b - a)).toEqual(result.scores);
    expect(result).toMatchObject({ provider: 'cpu', synthetic: true, fallback: null });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('reports the model, provider, batching and limits in /api/info', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      tool: 'zsc-bench',
      precision: 'fp32',
      provider: 'cpu',
      requestedProvider: 'cpu',
      fallback: null,
      synthetic: true,
      model: { id: 'synthetic:overlap', arch: 'overlap' },
      batching: { enabled: true, requested: true, inexact: false, maxBatchPairs: 8, maxWaitMs: 2, maxPaddingOverhead: 0.03 },
      limits: { maxLabels: 64, maxQueue: 64, maxTextChars: 8192 },
      defaultTemplate: '这是一篇关于{}的新闻。',
      providerPlacementNote: null,
    });
    // One profiled classification after load: on this machine every kernel ran on the CPU.
    const placement = info['providerPlacement'] as { shares: Array<{ provider: string; timeShare: number; nodeShare: number; nodes: number }>; nodes: number };
    expect(placement.shares.map((share) => [share.provider, share.timeShare, share.nodeShare])).toEqual([['cpu', 1, 1]]);
    expect(placement.nodes).toBeGreaterThan(10);
    expect((info['model'] as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info['hypothesisCache']).toMatchObject({ capacity: 4096 });
  });

  it('/api/info leaks no absolute path and no host name (a rebinding page must learn nothing)', async () => {
    const text = await (await fetch(`${server.url}/api/info`)).text();
    const info = JSON.parse(text) as Record<string, unknown>;
    expect(info['host']).toBeUndefined();
    expect((info['model'] as Record<string, unknown>)['dir']).toBeUndefined();
    expect(text).not.toMatch(/"\/[^"]*"/);
    expect(text).not.toContain(`"${hostname()}"`);
  });

  it('answers only Host headers naming its address, localhost or --allowed-hosts', async () => {
    const port = Number(new URL(server.url).port);
    const statusFor = (host: string) =>
      new Promise<number>((resolveStatus) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET /api/info HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
        let reply = '';
        socket.on('data', (chunk) => (reply += chunk.toString()));
        socket.on('close', () => resolveStatus(Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1] ?? 0)));
      });
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor('rebound.attacker.example')).toBe(403);
    const named = await startServe(['--model', await testModel('overlap'), '--allowed-hosts', 'bench-box.example,10.9.8.7'], home);
    try {
      const namedPort = Number(new URL(named.url).port);
      const reply = await new Promise<string>((resolveReply) => {
        const socket = connect(namedPort, '127.0.0.1', () => socket.write('GET /api/health HTTP/1.1\r\nHost: bench-box.example\r\nConnection: close\r\n\r\n'));
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolveReply(data));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      await named.stop();
    }
  });

  it('reports bad input as 400 with the same words as the CLI', async () => {
    const response = await fetch(`${server.url}/api/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: SPORTS, labels: ['体育', '体育'] }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "labels: duplicate label '体育'; each label may appear once" });
  });
});

describe('batching at fp32 changes nothing: batched == unbatched == zsc-bench classify', () => {
  let tiny: string;
  let batched: ServeProcess;
  let unbatched: ServeProcess;
  beforeAll(async () => {
    tiny = await testModel('tiny');
    [batched, unbatched] = await Promise.all([startServe(['--model', tiny, '--max-batch-pairs', '64'], home), startServe(['--model', tiny, '--no-batching'], home)]);
  });
  afterAll(() => Promise.all([batched.stop(), unbatched.stop()]));

  it('gives identical scores, with requests of different lengths really merged', async () => {
    // Twelve items, each sent twice: equal lengths are sure to share a run when they meet.
    const items = readDataset('datasets/thucnews-style-100.csv').slice(0, 12);
    const requests = [...items, ...items].map((item, index) => ({
      text: index % 3 === 0 ? item.text.slice(0, 20) : item.text,
      labels: index % 2 === 0 ? ['体育', '财经', item.label === '体育' ? '科技' : item.label] : ['教育', '游戏', '时尚', '房产', '娱乐'],
      multiLabel: index % 4 === 1,
    }));
    const merged = await Promise.all(requests.map((request) => classify(batched.url, request)));
    expect(merged.some((result) => result.batch.runs < result.batch.requests)).toBe(true);
    const alone = await Promise.all(requests.map((request) => classify(unbatched.url, request)));
    expect(alone.every((result) => result.batch.requests === 1)).toBe(true);
    for (const [index, result] of merged.entries()) {
      expect(result.labels).toEqual(alone[index]?.labels);
      expect(result.scores).toEqual(alone[index]?.scores);
    }
    // And the CLI, for a few of them (each is a process with its own model load).
    for (const index of [0, 1, 5]) {
      const request = requests[index];
      if (request === undefined) continue;
      const cli = await runCli(['classify', request.text, '--labels', request.labels.join(','), '--model', tiny, '--json', ...(request.multiLabel ? ['--multi-label'] : [])]);
      expect(cli.code, cli.stderr).toBe(0);
      const parsed = JSON.parse(cli.stdout) as { labels: string[]; scores: number[] };
      expect(parsed.labels).toEqual(merged[index]?.labels);
      expect(parsed.scores).toEqual(merged[index]?.scores);
    }
  });
});

describe('zsc-bench serve lifecycle and flags', () => {
  it('at int8 runs requests alone unless --inexact-batching, and says so', async () => {
    const tiny = await testModel('tiny');
    const [plain, inexact] = await Promise.all([startServe(['--model', tiny, '--precision', 'int8'], home), startServe(['--model', tiny, '--precision', 'int8', '--inexact-batching'], home)]);
    try {
      const plainInfo = (await (await fetch(`${plain.url}/api/info`)).json()) as { batching: { enabled: boolean; note: string } };
      expect(plainInfo.batching.enabled).toBe(false);
      expect(plainInfo.batching.note).toMatch(/^off at int8: .*pass --inexact-batching/);
      expect(plain.stderr()).toContain('batching off at int8');
      const inexactInfo = (await (await fetch(`${inexact.url}/api/info`)).json()) as { batching: { enabled: boolean; inexact: boolean } };
      expect(inexactInfo.batching).toMatchObject({ enabled: true, inexact: true });
      // Unmerged int8 matches the CLI exactly: the server runs a request's pairs in one session.run,
      // so the CLI must too (its default, auto, may split them, and at int8 a split moves scores).
      const result = await classify(plain.url, { text: SPORTS, labels: ['体育', '财经', '科技'] });
      const cli = await runCli(['classify', SPORTS, '--labels', '体育,财经,科技', '--model', tiny, '--precision', 'int8', '--pairs-per-run', 'all', '--json']);
      expect((JSON.parse(cli.stdout) as { scores: number[] }).scores).toEqual(result.scores);
    } finally {
      await Promise.all([plain.stop(), inexact.stop()]);
    }
  });

  it('on SIGTERM answers the requests it holds, then exits 0', async () => {
    const server = await startServe(['--model', await testModel('tiny'), '--no-batching'], home);
    const long = readDataset('datasets/thucnews-style-100.csv').map((item) => item.text).join('');
    const labels = Array.from({ length: 40 }, (_, index) => `标签${index}`);
    const pending = Array.from({ length: 20 }, () => fetch(`${server.url}/api/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: long.slice(0, 2000), labels }) }));
    // Every request has reached the server (on a loaded machine 100 ms was not always enough;
    // a request still in the kernel's buffers when the server closes is a reset, not a drain).
    await expect
      .poll(async () => {
        // Without batching every finished request is one batch: received = waiting + running + done.
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as { queued: number; inFlight: number; batches: number };
        return health.queued + health.inFlight + health.batches;
      }, { timeout: 60_000, interval: 50 })
      .toBe(20);
    const exit = server.stop('SIGTERM');
    const statuses = await Promise.all(pending.map(async (response) => (await response).status));
    expect(statuses).toEqual(new Array(20).fill(200));
    expect(await exit).toBe(0);
    const drained = /SIGTERM: draining \((\d+) queued, (\d+) running\)…\nstopped\n$/.exec(server.stderr());
    expect(drained, server.stderr()).not.toBeNull();
    // The signal really came while requests were held, so draining was put to the test.
    expect(Number(drained?.[1]) + Number(drained?.[2])).toBeGreaterThan(0);
  });

  it('--pid-file names the node process, so `kill $(cat FILE)` stops a server started with npx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zsc-serve-pid-'));
    const pidFile = join(dir, 'serve.pid');
    // As the README has it: npx runs node as a child of npm, and npm does not pass signals on.
    const npx = spawn('npm', ['exec', '--offline', '--', 'zsc-bench', 'serve', '--port', '0', '--model', await testModel('overlap'), '--pid-file', pidFile], {
      env: { ...process.env, NO_COLOR: '1', ...home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    npx.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const npmExited = new Promise<number | null>((resolveExit) => npx.once('exit', (code) => resolveExit(code)));
    await expect.poll(() => /listening on (http:\/\/\S+) \(pid (\d+) in /.exec(unwrap(stderr)), { timeout: 120_000 }).not.toBeNull();
    const [, url, announced] = /listening on (http:\/\/\S+) \(pid (\d+) in /.exec(unwrap(stderr)) ?? [];
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(pid).toBe(Number(announced));
    expect(pid).not.toBe(npx.pid);
    const info = (await (await fetch(`${url}/api/info`)).json()) as { syntheticNote: string };
    expect(info.syntheticNote).toMatch(/^known-answer model \(synthetic:overlap/);
    process.kill(pid, 'SIGTERM');
    expect(await npmExited).toBe(0);
    expect(unwrap(stderr)).toMatch(/SIGTERM: draining .*\nstopped\n$/);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('takes model, precision and template from --profile, and reports the profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zsc-serve-profile-'));
    const profile = join(dir, 'tiny-int8.json');
    writeFileSync(profile, JSON.stringify({ extends: 'base', name: 'tiny-int8', model: await testModel('tiny'), precision: 'int8', template: '关于{}' }));
    const server = await startServe(['--profile', profile], home);
    try {
      const info = (await (await fetch(`${server.url}/api/info`)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ profile: 'tiny-int8', precision: 'int8', defaultTemplate: '关于{}', model: { id: 'synthetic:tiny' }, batching: { enabled: false } });
    } finally {
      await server.stop();
    }
  });

  it('binds 127.0.0.1 by default', async () => {
    const server = await startServe(['--model', await testModel('overlap')], home);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.stop();
    }
  });

  it('refuses a port in use, and bad flags, with one line and exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const overlap = await testModel('overlap');
      const taken = await runCli(['serve', '--model', overlap, '--port', port]);
      expect(taken.code).toBe(2);
      expect(oneLineError(taken)).toBe(`error: --port: ${port} is already in use on 127.0.0.1; pick another with --port`);
    } finally {
      blocker.close();
    }
    for (const [args, message] of [
      [['--port', '70000'], "error: --port: expected 0 to 65535 (0 picks a free port), got '70000'"],
      [['--max-queue', '0'], "error: --max-queue: expected a whole number from 1 to 100000, got '0'"],
      [['--max-wait-ms', '-1'], "error: --max-wait-ms: expected a whole number from 0 to 10000, got '-1'"],
      [['--precision', 'int4'], "error: --precision: unknown precision 'int4'; expected one of fp32, fp16, int8"],
      [['--profile', 'nope'], /^error: --profile: unknown profile 'nope'/],
    ] as const) {
      const result = await runCli(['serve', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLineError(result)).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    }
  });
});
