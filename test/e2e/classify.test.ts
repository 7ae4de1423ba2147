import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli, unwrap, type CliResult } from '../helpers/cli.js';
import type { ClassifyJson } from '../helpers/json.js';
import { testModel } from '../helpers/models.js';

const SPORTS = '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。';
let overlap: string;
let tiny: string;

beforeAll(async () => {
  overlap = await testModel('overlap');
  tiny = await testModel('tiny');
});

/** The stderr of a run minus its `downloading …` progress lines. */
const withoutDownloadLines = (result: CliResult): CliResult => ({ ...result, stderr: result.stderr.replace(/^downloading .*\n/gm, '') });

describe('zsc-bench classify', () => {
  it('ranks 体育 first on a sports text with the overlap model and says it is a known-answer model', async () => {
    const result = await runCli(['classify', SPORTS, '--labels', '财经,体育,科技', '--model', overlap]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^体育\s+█+/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('provider cpu');
    expect(unwrap(result.stderr)).toContain('note: known-answer model (synthetic:overlap, no training)');
  });

  it('prints JSON with scores that sum to 1, the provider that ran and the synthetic flag', async () => {
    const result = await runCli(['classify', SPORTS, '--labels', '财经，体育，科技', '--model', overlap, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout) as ClassifyJson;
    expect(output.labels[0]).toBe('体育');
    expect(output.scores.reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 6);
    expect(output).toMatchObject({ provider: 'cpu', requestedProvider: 'cpu', fallback: false, fallbackReason: null, synthetic: true, multiLabel: false });
    expect(output.timings.runs).toBe(1);
  });

  it('scores each label on its own with --multi-label', async () => {
    const result = await runCli(['classify', SPORTS, '--labels', '体育,财经,科技', '--model', overlap, '--multi-label', '--json']);
    const output = JSON.parse(result.stdout) as ClassifyJson;
    expect(output.multiLabel).toBe(true);
    expect(output.labels[0]).toBe('体育');
    expect(output.scores[0]).toBeGreaterThan(0.5);
    expect(output.scores.reduce((sum, score) => sum + score, 0)).not.toBeCloseTo(1, 3);
  });

  it('runs every precision', async () => {
    for (const precision of ['fp32', 'fp16', 'int8']) {
      const result = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', overlap, '--precision', precision, '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as ClassifyJson).labels[0]).toBe('体育');
    }
  });

  it('truncates a text longer than the model allows and reports it', async () => {
    const result = await runCli(['classify', '体'.repeat(600), '--labels', '体育,财经', '--model', tiny]);
    expect(result.code).toBe(0);
    expect(unwrap(result.stderr)).toMatch(/note: text truncated to \d+ of 600 tokens to fit the model's 512-token limit/);
  });

  it('falls back to CPU only when asked, and says so', async () => {
    const refused = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', tiny, '--provider', 'cuda']);
    expect(refused.code).toBe(3);
    expect(oneLineError(refused)).toMatch(/^error: CUDA execution provider unavailable \(.+\); pass --allow-fallback to run on CPU$/);

    const fallback = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', tiny, '--provider', 'cuda', '--allow-fallback', '--json']);
    expect(fallback.code).toBe(0);
    const output = JSON.parse(fallback.stdout) as ClassifyJson;
    expect(output.provider).toBe('cpu');
    expect(output.requestedProvider).toBe('cuda');
    expect(output.fallback).toBe(true);
    expect(output.fallbackReason).toMatch(/./);
  });
});

describe('zsc-bench classify: bad input gives one line and exit code 2', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['empty text', () => ['classify', '  ', '--labels', '体育,财经', '--model', tiny], /^error: text: empty; expected the text to classify$/],
    ['no labels', () => ['classify', SPORTS, '--labels', ' ,，', '--model', tiny], /^error: --labels: no labels given/],
    ['duplicate labels', () => ['classify', SPORTS, '--labels', '体育,财经,体育', '--model', tiny], /^error: --labels: duplicate label '体育'/],
    [
      'more than 64 labels',
      () => ['classify', SPORTS, '--labels', Array.from({ length: 65 }, (_, i) => `L${i}`).join(','), '--model', tiny],
      /^error: --labels: 65 labels given; at most 64 are allowed$/,
    ],
    ['template without {}', () => ['classify', SPORTS, '--labels', '体育', '--template', '这是新闻', '--model', tiny], /^error: --template: template '这是新闻' has no '\{\}'/],
    ['unknown provider', () => ['classify', SPORTS, '--labels', '体育', '--provider', 'hailo', '--model', tiny], /^error: --provider: unknown execution provider 'hailo' \(ONNX Runtime has no Hailo/],
    ['unknown precision', () => ['classify', SPORTS, '--labels', '体育', '--precision', 'int4', '--model', tiny], /^error: --precision: unknown precision 'int4'; expected one of fp32, fp16, int8$/],
    ['missing model folder', () => ['classify', SPORTS, '--labels', '体育', '--model', '/nonexistent/model-dir'], /^error: --model: no such folder '\/nonexistent\/model-dir'/],
    ['missing --labels', () => ['classify', SPORTS], /^error: required option '-l, --labels <labels>' not specified$/],
    ['bad --threads', () => ['classify', SPORTS, '--labels', '体育', '--threads', 'two', '--model', tiny], /^error: --threads: expected a whole number from 1 to \d+ \(4 per logical core; this machine has \d+\), got 'two'$/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const result = await runCli(args());
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      if (name === 'missing --labels') {
        // commander adds a hint line after its error
        expect(result.stderr.split('\n')[0]).toMatch(message);
      } else {
        expect(oneLineError(result)).toMatch(message);
      }
    });
  }

  it('a model folder missing its ONNX file names the file', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'zsc-broken-'));
    cpSync(tiny, broken, { recursive: true });
    rmSync(join(broken, 'onnx', 'model_quantized.onnx'));
    const result = await runCli(['classify', SPORTS, '--labels', '体育', '--model', broken, '--precision', 'int8']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe(
      `error: model folder '${broken}' is missing onnx/model_quantized.onnx for precision int8; expected the transformers.js layout (README: Models)`,
    );
  });

  it('a corrupt ONNX file and a corrupt config are named', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'zsc-corrupt-'));
    cpSync(tiny, broken, { recursive: true });
    writeFileSync(join(broken, 'onnx', 'model.onnx'), 'not a model');
    const corruptOnnx = await runCli(['classify', SPORTS, '--labels', '体育', '--model', broken]);
    expect(corruptOnnx.code).toBe(2);
    expect(oneLineError(corruptOnnx)).toMatch(new RegExp(`^error: ${join(broken, 'onnx', 'model.onnx')}: ONNX Runtime could not load the model \\(.+\\)$`));

    writeFileSync(join(broken, 'config.json'), '{"model_type": ');
    const corruptConfig = await runCli(['classify', SPORTS, '--labels', '体育', '--model', broken]);
    expect(corruptConfig.code).toBe(2);
    expect(oneLineError(corruptConfig)).toMatch(new RegExp(`^error: ${join(broken, 'config.json')}: not valid JSON`));
  });
});

describe('models by Hugging Face id', () => {
  let server: Server;
  let endpoint: string;
  const requested: string[] = [];

  beforeAll(async () => {
    // A stand-in for the hub on loopback: /<owner>/<name>/resolve/main/<file> serves the tiny folder.
    server = createServer((request, response) => {
      const match = /^\/acme\/nli-tiny\/resolve\/main\/(.+)$/.exec(request.url ?? '');
      const file = match?.[1] === undefined ? undefined : join(tiny, decodeURIComponent(match[1]));
      requested.push(request.url ?? '');
      if (file === undefined || !existsSync(file)) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200);
      createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())));

  it('downloads once into the cache, then classifies', async () => {
    const home = mkdtempSync(join(tmpdir(), 'zsc-hub-'));
    const first = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', 'acme/nli-tiny', '--json'], { HF_ENDPOINT: endpoint, ZSC_BENCH_HOME: home });
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(home, 'models', 'hub', 'acme', 'nli-tiny', 'onnx', 'model.onnx'))).toBe(true);
    const downloads = requested.length;
    const second = await runCli(['classify', SPORTS, '--labels', '体育,财经', '--model', 'acme/nli-tiny', '--json'], { HF_ENDPOINT: endpoint, ZSC_BENCH_HOME: home });
    expect(second.code).toBe(0);
    expect(requested.length).toBe(downloads);
    expect((JSON.parse(second.stdout) as ClassifyJson).scores).toEqual((JSON.parse(first.stdout) as ClassifyJson).scores);
  });

  it('a repository without ONNX weights is named with the HTTP status', async () => {
    const result = await runCli(['classify', SPORTS, '--labels', '体育', '--model', 'acme/missing', '--json'], { HF_ENDPOINT: endpoint });
    expect(result.code).toBe(2);
    // What is being downloaded is said on stderr even with --json; then the one-line error.
    expect(result.stderr.startsWith(`downloading acme/missing/config.json from ${endpoint}\n`)).toBe(true);
    expect(oneLineError(withoutDownloadLines(result))).toBe(`error: --model: 'acme/missing' has no config.json at ${endpoint} (HTTP 404); the repository needs ONNX weights in the transformers.js layout`);
  });

  it('offline: a clear error that says to use a local folder', async () => {
    // A port that was just free: connection refused, as on a machine without network.
    const probe = createServer();
    await new Promise<void>((resolveListen) => probe.listen(0, '127.0.0.1', resolveListen));
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolveClose) => probe.close(() => resolveClose()));
    const offline = `http://127.0.0.1:${port}`;
    const result = await runCli(['classify', SPORTS, '--labels', '体育', '--model', 'acme/nli-tiny', '--json'], { HF_ENDPOINT: offline, ZSC_BENCH_HOME: mkdtempSync(join(tmpdir(), 'zsc-off-')) });
    expect(result.code).toBe(3);
    expect(oneLineError(withoutDownloadLines(result))).toBe(
      `error: --model: cannot download 'acme/nli-tiny' from ${offline} (ECONNREFUSED); this machine looks offline: pass --model with a local model folder (README: Models)`,
    );
  });
});

