/**
 * The hostile tester's findings on inputs (issue 24: 6, 7, 9, 11, 12), in the table style of
 * bad-inputs.test.ts: each case must end with ONE line naming the flag, file, field or column and
 * what was expected, exit code 2, no stack trace. Result files are the project's own fixture
 * (test/helpers/result-folder.ts) with one cell changed.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../bench/serve-process.js';
import { oneLineError, runCli, spawnCli } from '../helpers/cli.js';
import { readCsv } from '../helpers/csv.js';
import { testModel } from '../helpers/models.js';
import { writeEveryResultKind, type ResultFolder } from '../helpers/result-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'zsc-hostile-'));
const home = { ZSC_BENCH_HOME: join(dir, 'home') };
let tiny = '';
let folder: ResultFolder;

const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const profile = (name: string, fields: Record<string, unknown>): string => file(`${name}.json`, JSON.stringify({ extends: 'cpu', name, ...fields }));

const rowsOf = (path: string): string[][] => parse(readFileSync(path, 'utf8'));

/** A copy of a fixture CSV with one cell of the first row changed; a summary keeps its samples beside it. */
function edited(source: string, name: string, column: string, value: string): string {
  const rows = rowsOf(source);
  const header = rows[0] ?? [];
  const index = header.indexOf(column);
  if (index < 0) throw new Error(`no column ${column} in ${source}`);
  (rows[1] as string[])[index] = value;
  const target = file(`${name}.csv`, stringify(rows));
  if (source === folder.run.summary) cpSync(folder.run.samples, join(dir, `${name}-samples.csv`));
  return target;
}
const summary = (column: string, value: string) => edited(folder.run.summary, `summary-${column}-${value.length > 20 ? 'long' : value.replace(/\W/g, '_')}`, column, value);
const load = (column: string, value: string) => edited(folder.load, `load-${column}-${value.replace(/\W/g, '_')}`, column, value);
const webui = (column: string, value: string) => edited(folder.webui, `webui-${column}-${value.replace(/\W/g, '_')}`, column, value);
const nines = '9'.repeat(400);

beforeAll(async () => {
  tiny = await testModel('tiny');
  folder = writeEveryResultKind(mkdtempSync(join(dir, 'results-')));
});

type Case = [name: string, args: () => string[], message: RegExp];
const CASES: Case[] = [
  // 6. Input errors that were reported as bugs (exit 1 or 70)
  ['classify: a 600-character label', () => ['classify', '体育新闻', '--labels', `体育,${'长'.repeat(600)}`, '--model', tiny], /^error: label '长{40}… \(600 characters\)' in template '这是一篇关于\{\}的新闻。' makes a hypothesis of \d+ tokens; the model reads at most \d+ tokens per \(text, label\) pair, \d+ of them special: shorten the label or the template$/],
  ['classify: a template of 300 {}', () => ['classify', '体育新闻', '--labels', '体育', '--template', '{}'.repeat(300), '--model', tiny], /^error: label '体育' in template '(\{\}){20}… \(600 characters\)' makes a hypothesis of \d+ tokens/],
  ['run: a profile template of 300 {} (refused before anything runs)', () => ['run', '--profile', profile('long-template', { template: '{}'.repeat(300) }), '--model', tiny, '--items', '2', '--repeats', '1', '--out', join(dir, 'never')], /^error: profile long-template: label '.+' in template '(\{\}){20}… \(600 characters\)' makes a hypothesis of \d+ tokens/],
  ['profile with a __proto__ key', () => ['profiles', 'show', file('proto.json', '{"extends": "cpu", "__proto__": {"repeats": 1}}')], /proto\.json: unknown field "__proto__"; known fields: extends, name/],
  ['profile with a constructor key', () => ['run', '--profile', file('ctor.json', '{"extends": "cpu", "constructor": 1}'), '--model', tiny], /ctor\.json: unknown field "constructor"; known fields: extends, name/],
  ['profile with a description nested 5,000 deep', () => ['profiles', 'show', file('deep.json', `{"extends": "cpu", "description": ${'['.repeat(5000)}${']'.repeat(5000)}}`)], /deep\.json: JSON nested more than 32 levels deep at line 1, column \d+; a profile is a flat object of settings$/],
  ['tokenizer.json without a decoder', () => ['classify', '体育新闻', '--labels', '体育', '--model', join(dir, 'no-decoder')], /no-decoder\/tokenizer\.json: not a tokenizer zsc-bench can read \(Tokenizer must contain a "decoder" property\)/],

  // 7. Impossible values in result files: each column's range, then columns against each other
  ['summary: negative min_ms', () => ['compare', summary('min_ms', '-3')], /:2: column min_ms: expected a number above 0 up to 86400000, got '-3'$/],
  ['summary: negative std_ms', () => ['compare', summary('std_ms', '-1')], /:2: column std_ms: expected a number from 0 to 86400000, got '-1'$/],
  ['summary: negative p95_ms', () => ['report', summary('p95_ms', '-110'), '-o', join(dir, 'r.html')], /:2: column p95_ms: expected a number above 0 up to 86400000, got '-110'$/],
  // (A negative low end is still accepted: run's t-intervals from few passes reach below 0 until they are taken on a log scale.)
  ['summary: interval bound beyond a day', () => ['compare', summary('mean_ci95_low_ms', '-90000000')], /:2: column mean_ci95_low_ms: expected a number from 0 to 86400000, got '-90000000'$/],
  ['summary: negative interval bound (intervals are on the log scale)', () => ['compare', summary('median_ci95_low_ms', '-344.2')], /:2: column median_ci95_low_ms: expected a number from 0 to 86400000, got '-344.2'$/],
  ['summary: inverted interval', () => ['compare', summary('mean_ci95_low_ms', '500')], /:2: column mean_ci95_high_ms: [\d.]+ is impossible; expected at least mean_ci95_low_ms \(500\)$/],
  ['summary: mean above max', () => ['check', '--current', summary('mean_ms', '900'), '--baseline', folder.run.summary], /:2: column max_ms: [\d.]+ is impossible; expected at least mean_ms \(900\)$/],
  ['summary: CPU -40%', () => ['compare', summary('cpu_percent_all_cores', '-40')], /:2: column cpu_percent_all_cores: expected a number from 0 to 400, got '-40'$/],
  ['summary: harness 500%', () => ['compare', summary('harness_overhead_percent', '500')], /:2: column harness_overhead_percent: expected a number from 0 to 100, got '500'$/],
  ['summary: MFU 5000%', () => ['compare', summary('mfu_percent', '5000')], /:2: column mfu_percent: expected a number from 0 to 1000, got '5000'$/],
  ['summary: parity flips 250%', () => ['recommend', summary('parity_flip_percent', '250'), '--slo', 'p95<1s'], /:2: column parity_flip_percent: expected a number from 0 to 100, got '250'$/],
  ['summary: negative energy', () => ['compare', summary('energy_j_per_1000', '-5')], /:2: column energy_j_per_1000: expected a number from 0 to 10000000000000, got '-5'$/],
  ['summary: negative offline throughput', () => ['compare', summary('offline_items_per_s', '-2')], /:2: column offline_items_per_s: expected a number above 0 up to 1000000000, got '-2'$/],
  ['summary: 0 threads', () => ['compare', summary('intra_op_threads', '0')], /:2: column intra_op_threads: expected a whole number from 1 to 1024, got '0'$/],
  ['summary: 0x10 items (hex)', () => ['compare', summary('items', '0x10')], /:2: column items: expected a whole number from 1 to 1000000, got '0x10'$/],
  ['summary: year 275760', () => ['compare', summary('timestamp', '+275760-09-13T00:00:00.000Z')], /:2: column timestamp: expected an ISO time such as 2026-01-02T03:04:05\.678Z, got '\+275760-09-13T00:00:00\.000Z'$/],
  ['load: negative mean', () => ['compare', load('mean_ms', '-350')], /load-mean_ms-_350\.csv:2: column mean_ms: expected a number above 0 up to 86400000, got '-350'$/],
  ['load: timestamp "garbage"', () => ['compare', load('timestamp', 'garbage')], /load-timestamp-garbage\.csv:2: column timestamp: expected an ISO time such as .*, got 'garbage'$/],
  ['webui: negative page load', () => ['compare', webui('load_p50_ms', '-80')], /webui-load_p50_ms-_80\.csv:2: column load_p50_ms: expected a number from 0 to 86400000, got '-80'$/],
  ['webui: cpu slowdown 0', () => ['compare', webui('cpu_slowdown', '0')], /webui-cpu_slowdown-0\.csv:2: column cpu_slowdown: expected a number from 1 to 1000000, got '0'$/],
  ['webui: p95 below p50', () => ['compare', webui('added_p95_ms', '1')], /:2: column added_p95_ms: 1 is impossible; expected at least added_p50_ms/],
  ['recommend --slo with 400 digits', () => ['recommend', folder.run.summary, '--slo', `p95<${nines}ms`], /^error: --slo: expected METRIC<LIMIT with .* up to 86400000 ms \(a day\)/],
  ['recommend --budget with 400 digits', () => ['recommend', folder.run.summary, '--slo', 'p95<1s', '--budget', `${nines}/h`], /^error: --budget: expected USD per hour, day or month .* above 0 up to 1000000\/h/],

  // 9. A summary far beyond any run is refused before it is tabled (a 100k-row one exhausted the heap)
  ['compare: a summary of 1,025 rows', () => ['compare', bigSummary()], /big-summary\.csv: 1025 rows; a summary file zsc-bench reads has at most 1024 \(a run writes one row per label count, at most 64\): split it$/],

  // 12. Smaller ones
  ['profile with invalid UTF-8', () => ['profiles', 'show', file('latin1.json', Buffer.concat([Buffer.from('{"extends": "cpu", "description": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]))], /latin1\.json:1: not valid UTF-8/],
  ['saved profile of version 99', () => ['run', '--profile', file('x.profile.json', JSON.stringify({ kind: 'zsc-bench resolved profile', version: 99, profile: {} })), '--model', tiny], /x\.profile\.json: field "version" is 99; this zsc-bench reads saved profiles of version 1$/],
  ['recommend --labels 65', () => ['recommend', folder.run.summary, '--slo', 'p95<1s', '--labels', '65'], /^error: --labels: expected a whole number from 1 to 64, got '65'$/],
  ['report --labels 65', () => ['report', folder.run.summary, '--labels', '65', '-o', join(dir, 'r.html')], /^error: --labels: expected a whole number from 1 to 64, got '65'$/],
  ['profiles show: intraOpThreads 1024', () => ['profiles', 'show', profile('show-threads', { intraOpThreads: 1024 })], /^error: profile show-threads: field "intraOpThreads": 1024 threads; at most \d+ on this machine/],
];

/** A summary of 1,025 runs (the fixture's first row with other timestamps), as someone might paste together. */
function bigSummary(): string {
  const rows = rowsOf(folder.run.summary);
  const header = rows[0] as string[];
  const time = header.indexOf('timestamp');
  const body = Array.from({ length: 1025 }, (_, index) => (rows[1] as string[]).map((cell, column) => (column === time ? new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString() : cell)));
  return file('big-summary.csv', stringify([header, ...body]));
}

describe.concurrent('hostile inputs: one line, exit 2, no stack trace', () => {
  beforeAll(() => {
    // A model folder whose tokenizer.json lacks "decoder" (the package refuses it).
    const target = join(dir, 'no-decoder');
    cpSync(tiny, target, { recursive: true });
    const tokenizer = JSON.parse(readFileSync(join(target, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
    delete tokenizer['decoder'];
    writeFileSync(join(target, 'tokenizer.json'), JSON.stringify(tokenizer));
  });
  for (const [name, args, message] of CASES) {
    it(name, async () => {
      const result = await runCli(args(), home);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toMatch(/likely a zsc-bench bug/);
      expect(oneLineError(result)).toMatch(message);
    });
  }
});

describe('hostile inputs that succeed or fail otherwise', () => {
  it('the fixture results themselves are accepted (the ranges refuse the impossible, not these)', async () => {
    const result = await runCli(['compare', folder.run.summary, folder.load, folder.webui], home);
    expect(result.code, result.stderr).toBe(0);
  });

  it('a profile without "name" is named after its file, not its parent', async () => {
    const result = await runCli(['profiles', 'show', file('my-laptop.json', '{"extends": "cpu"}')], home);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { name: string }).name).toBe('my-laptop');
  });

  it('a 200,000-row dataset: choosing 2 items is linear (it took 39 s at 100,000 rows), the run completes', async () => {
    const lines = ['id,label,text', ...Array.from({ length: 200_000 }, (_, index) => `t${index},${['体育', '财经', '科技'][index % 3] ?? ''},第${index}篇新闻的正文`)];
    const dataset = file('large.csv', `${lines.join('\n')}\n`);
    const out = join(dir, 'large-run');
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--dataset', dataset, '--items', '2', '--repeats', '1', '--labels', '3', '--out', out], home);
    expect(result.code, result.stderr).toBe(0);
    const samples = readCsv(join(out, readdirSync(out).find((name) => name.endsWith('-samples.csv')) ?? 'missing'));
    // Round-robin over labels in file order: the first item of each of the first two labels.
    expect(samples.map((row) => row['item_id'])).toEqual(['t0', 't1']);
  });

  it('a cached model folder removed after it was found (cache clean during a run) is exit 3, not "no such folder"', async () => {
    const gone = join(home.ZSC_BENCH_HOME, 'models', 'synthetic-tiny-gone');
    const result = await runCli(['classify', '体育新闻', '--labels', '体育', '--model', gone], home);
    expect(result.code, result.stderr).toBe(3);
    expect(oneLineError(result)).toMatch(/synthetic-tiny-gone: the cached model folder was removed after this command found it/);
  });

  it('SIGTERM during a model build: exit 143, one line, no staging folder left', async () => {
    const parent = mkdtempSync(join(dir, 'build-'));
    const child = spawnCli(['model', 'build', '--arch', 'structbert-base', '--precision', 'fp32', '--out', join(parent, 'm')], home);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Once the build has said what it writes, its staging folder exists.
    await new Promise<void>((resolve) => child.stderr.on('data', () => (readdirSync(parent).length > 0 ? resolve() : undefined)));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(143);
    expect(stderr).toMatch(/terminated during start-up \(before anything ran\): no results were written\n$/);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('serve --profile with its own template, and what the server refuses', () => {
  let server: ServeProcess;
  const template = '这段文字讲的是{}。';
  beforeAll(async () => {
    server = await startServe(['--model', await testModel('overlap'), '--profile', profile('own-template', { template })], home);
  });
  afterAll(() => server.stop());

  it('a request without a template is classified with the profile template, as /api/info says', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { defaultTemplate: string };
    expect(info.defaultTemplate).toBe(template);
    const response = await fetch(`${server.url}/api/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '体育新闻', labels: ['体育', '财经'] }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { template: string }).template).toBe(template);
  });

  it('a duplicate Host header is refused with 400 (Node would take the first)', async () => {
    const url = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end(`GET /api/health HTTP/1.1\r\nHost: ${url.host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('Host: sent 2 times; a request names one server');
  });

  it('load --url with a user and password: the results hold neither', async () => {
    const url = new URL(server.url);
    const out = join(dir, 'load-credentials');
    const result = await runCli(['load', '--url', `http://user:secret@${url.host}`, '--concurrency', '1', '--duration', '0.5', '--warmup', '0', '--out', out], home);
    expect(result.code, result.stderr).toBe(0);
    const csv = readdirSync(out).map((name) => readFileSync(join(out, name), 'utf8')).join('');
    expect(csv).not.toContain('secret');
    expect(csv).toContain(`http://${url.host}`);
  });

  it('webui --chromium /nonexistent says not found (was EACCES)', async () => {
    const result = await runCli(['webui', '--url', server.url, '--chromium', '/nonexistent/chromium', '--out', join(dir, 'webui')], home);
    expect(result.code, result.stderr).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: --chromium: \/nonexistent\/chromium not found; install/);
  });
});

afterAll(() => {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
});
