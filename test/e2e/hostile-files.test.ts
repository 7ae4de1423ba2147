/**
 * Issue 24's hostile tester, the findings that destroyed or hung on files: special files as
 * outputs, outputs that are inputs, FIFOs and /dev/zero as inputs, Ctrl-C during compare/report/
 * recommend, same-second result names, a run pooled with itself, and injection through result
 * fields. Every special file lives in a temporary folder: /dev files are only ever link targets.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import { writeRun } from '../helpers/result-files.js';

const dir = mkdtempSync(join(tmpdir(), 'zsc-hostile-'));
const at = (name: string) => join(dir, name);
const fifo = (name: string) => {
  execFileSync('mkfifo', [at(name)]);
  return at(name);
};
const link = (name: string, target: string) => {
  symlinkSync(target, at(name));
  return at(name);
};
const EVIL = "=cmd|' /C calc'!A0\u001b]0;PWNED\u0007\u001b[2J<script>alert(1)</script>";

let tiny = '';
let summary = '';
let evil = '';
beforeAll(async () => {
  tiny = await testModel('tiny');
  const sweep = { labelCounts: [3, 5], ms: (labels: number) => 10 + labels };
  summary = writeRun(at('runs'), { ...sweep, profile: 'cpu', timestamp: '2026-12-01T10:00:00.000Z' });
  // The host name in the files, not in their names: EVIL has no comma, quote or newline, so it needs no CSV quoting.
  evil = writeRun(at('evil'), { ...sweep, profile: 'cpu', timestamp: '2026-12-01T11:00:00.000Z', host: 'evilhost' });
  for (const file of [evil, evil.replace(/\.csv$/, '-samples.csv')]) writeFileSync(file, readFileSync(file, 'utf8').replaceAll('evilhost', EVIL));
  // Outputs that are not regular files.
  fifo('out.fifo');
  link('null.md', '/dev/null');
  link('stdout.md', '/proc/self/fd/1');
  link('dangling.md', at('nothing-here'));
  mkdirSync(at('folder.md'));
  writeFileSync(at('real.md'), 'keep me\n');
  link('link.md', at('real.md'));
  fifo('out.html');
  fifo('serve.pid');
  link('null.pid', '/dev/null');
  // Outputs that are inputs.
  writeFileSync(at('in.html'), '<p>an earlier report</p>\n');
  linkSync(summary, at('hard-link.csv'));
  linkSync(summary, at('hard-link.html'));
  // Inputs that are not regular files, or too large.
  fifo('profile.json');
  link('zero.json', '/dev/zero');
  writeFileSync(at('extends.json'), JSON.stringify({ extends: at('profile.json'), name: 'child' }));
  fifo('dataset.csv');
  fifo('text.txt');
  link('zero.txt', '/dev/zero');
  writeFileSync(at('big.txt'), Buffer.alloc(17 * 1024 * 1024, 0x61));
  fifo('results.csv');
  mkdirSync(at('glob'));
  symlinkSync('/dev/zero', join(at('glob'), 'zero.csv'));
  const model = at('model');
  cpSync(tiny, model, { recursive: true });
  for (const file of readdirSync(join(model, 'onnx'))) rmSync(join(model, 'onnx', file));
  execFileSync('mkfifo', [join(model, 'onnx', 'model.onnx')]);
});

const REFUSED_OUTPUT = /; zsc-bench writes only to regular files, never through links \(nothing was written\): name another path$/;

type Case = [name: string, args: () => string[], message: RegExp];
const CASES: Case[] = [
  // 1. Outputs that exist and are not regular files: refused before any work, nothing replaced.
  ['compare --out FIFO', () => ['compare', summary, '--out', at('out.fifo')], new RegExp(`^error: --out: ${at('out.fifo')}: a FIFO \\(named pipe\\)${REFUSED_OUTPUT.source}`)],
  ['compare --out link to /dev/null', () => ['compare', summary, '--out', at('null.md')], /^error: --out: .*null\.md: a symbolic link to a character device; zsc-bench writes only/],
  ['compare --out link to /proc/self/fd/1', () => ['compare', summary, '--out', at('stdout.md')], /^error: --out: .*stdout\.md: a symbolic link to a (FIFO \(named pipe\)|character device|socket|regular file); zsc-bench writes only/],
  ['compare --out dangling link', () => ['compare', summary, '--out', at('dangling.md')], /^error: --out: .*dangling\.md: a symbolic link to nothing that can be reached; zsc-bench writes only/],
  ['compare --out folder', () => ['compare', summary, '--out', at('folder.md')], /^error: --out: .*folder\.md: a folder; zsc-bench writes only/],
  ['compare --out link to a regular file', () => ['compare', summary, '--out', at('link.md')], /^error: --out: .*link\.md: a symbolic link to a regular file; zsc-bench writes only/],
  ['report -o FIFO', () => ['report', summary, '-o', at('out.html')], /^error: --out: .*out\.html: a FIFO \(named pipe\); zsc-bench writes only/],
  ['recommend --out link to /dev/null', () => ['recommend', summary, '--slo', 'p95<1s', '--out', at('null.md')], /^error: --out: .*null\.md: a symbolic link to a character device; zsc-bench writes only/],
  ['serve --pid-file FIFO', () => ['serve', '--model', tiny, '--port', '0', '--pid-file', at('serve.pid')], /^error: --pid-file: .*serve\.pid: a FIFO \(named pipe\); zsc-bench writes only/],
  ['serve --pid-file link to /dev/null', () => ['serve', '--model', tiny, '--port', '0', '--pid-file', at('null.pid')], /^error: --pid-file: .*null\.pid: a symbolic link to a character device; zsc-bench writes only/],
  // 2. An output that is one of the inputs (by path, through ../, or a hard link).
  ['recommend --out its summary', () => ['recommend', summary, '--slo', 'p95<1s', '--out', summary], /^error: --out: '.*' is the input .*; writing there would replace what is being read: pick another file$/],
  ['recommend --out its samples', () => ['recommend', summary, '--slo', 'p95<1s', '--out', summary.replace(/\.csv$/, '-samples.csv')], /^error: --out: '.*-samples\.csv' is the input .*-samples\.csv; writing there/],
  ['report in.html -o in.html', () => ['report', at('in.html'), '-o', at('in.html')], /^error: --out: '.*in\.html' is the input .*in\.html; writing there/],
  ['report -o a hard link of its input', () => ['report', summary, '-o', at('hard-link.html')], /^error: --out: '.*hard-link\.html' is the input .*; writing there/],
  ['compare --out a hard link of its input', () => ['compare', summary, '--out', at('hard-link.csv')], /^error: --out: '.*hard-link\.csv' is the input .*; writing there/],
  ['recommend --out its summary through ..', () => ['recommend', summary, '--slo', 'p95<1s', '--out', `${at('runs')}/../runs/${summary.split('/').pop() ?? ''}`], /^error: --out: '.*' is the input .*; writing there/],
  // 4. Inputs that would block for ever (FIFO) or be read without end (/dev/zero), or are too large.
  ['run --profile FIFO', () => ['run', '--profile', at('profile.json'), '--model', tiny], /^error: --profile: .*profile\.json: a FIFO \(named pipe\), not a regular file; expected a file to read$/],
  ['run --profile link to /dev/zero', () => ['run', '--profile', at('zero.json'), '--model', tiny], /^error: --profile: .*zero\.json: a character device, not a regular file/],
  ['profile extends a FIFO', () => ['run', '--profile', at('extends.json'), '--model', tiny], /^error: --profile: .*profile\.json: a FIFO \(named pipe\), not a regular file/],
  ['run --dataset FIFO', () => ['run', '--profile', 'cpu', '--model', tiny, '--dataset', at('dataset.csv')], /^error: --dataset: .*dataset\.csv: a FIFO \(named pipe\), not a regular file/],
  ['classify --text-file FIFO', () => ['classify', '--text-file', at('text.txt'), '--labels', 'a,b', '--model', tiny], /^error: --text-file: .*text\.txt: a FIFO \(named pipe\), not a regular file/],
  ['classify --text-file link to /dev/zero', () => ['classify', '--text-file', at('zero.txt'), '--labels', 'a,b', '--model', tiny], /^error: --text-file: .*zero\.txt: a character device, not a regular file/],
  ['classify --text-file of 17 MiB', () => ['classify', '--text-file', at('big.txt'), '--labels', 'a,b', '--model', tiny], /^error: --text-file: .*big\.txt: 17 MiB; at most 16 MiB for this kind of file$/],
  ['model folder whose model.onnx is a FIFO', () => ['classify', 'x', '--labels', 'a,b', '--model', at('model')], /model\.onnx: a FIFO \(named pipe\), not a regular file; expected a file to read$/],
  ['compare FIFO.csv', () => ['compare', at('results.csv')], /^error: .*results\.csv: a FIFO \(named pipe\), not a regular file/],
  ['compare a glob matching /dev/zero', () => ['compare', join(at('glob'), '*.csv')], /^error: .*zero\.csv: a character device, not a regular file/],
  ['recommend FIFO.csv', () => ['recommend', at('results.csv'), '--slo', 'p95<1s'], /^error: .*results\.csv: a FIFO \(named pipe\), not a regular file/],
  ['report FIFO.csv', () => ['report', at('results.csv'), '-o', at('never.html')], /^error: .*results\.csv: a FIFO \(named pipe\), not a regular file/],
];

describe.concurrent('hostile files: one line, exit 2, nothing touched, no hang', () => {
  for (const [name, args, message] of CASES) {
    it(name, async () => {
      const result = await runCli(args());
      expect(result.code, result.stderr).toBe(2);
      expect(unwrap(result.stderr)).not.toMatch(/likely a zsc-bench bug/);
      expect(oneLineError(result)).toMatch(message);
    }, 60_000);
  }
});

describe('what the refusals leave alone', () => {
  it('special files, links and inputs keep their kind and content', () => {
    expect(lstatSync(at('out.fifo')).isFIFO()).toBe(true);
    for (const name of ['null.md', 'stdout.md', 'dangling.md', 'link.md', 'null.pid']) expect(lstatSync(at(name)).isSymbolicLink()).toBe(true);
    expect(lstatSync(at('folder.md')).isDirectory()).toBe(true);
    expect(readFileSync(at('real.md'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(at('in.html'), 'utf8')).toBe('<p>an earlier report</p>\n');
    expect(readFileSync(at('hard-link.html'), 'utf8')).toBe(readFileSync(summary, 'utf8'));
    expect(existsSync(at('never.html'))).toBe(false);
  });
});

/** A preload that sends the CLI `signal` when it opens a file ending in `ending`: a Ctrl-C in the middle of reading. */
function signalOnOpen(ending: string, signal: NodeJS.Signals): Record<string, string> {
  const preload = at(`signal-${signal}.cjs`);
  writeFileSync(
    preload,
    [
      "const fs = require('node:fs');",
      'const open = fs.openSync;',
      'let sent = false;',
      'fs.openSync = function (path, ...rest) {',
      `  if (!sent && typeof path === 'string' && path.endsWith(${JSON.stringify(ending)})) { sent = true; process.kill(process.pid, '${signal}'); }`,
      '  return open.call(this, path, ...rest);',
      '};',
      '',
    ].join('\n'),
  );
  return { NODE_OPTIONS: `--require ${preload}` };
}

describe('5. Ctrl-C and SIGTERM while compare, report and recommend read: no output, exit 130/143', () => {
  const commands: Array<[string, (out: string) => string[], string]> = [
    ['compare', (out) => ['compare', summary, '--out', out], 'md'],
    ['report', (out) => ['report', summary, '-o', out], 'html'],
    ['recommend', (out) => ['recommend', summary, '--slo', 'p95<1s', '--out', out], 'md'],
  ];
  for (const [command, args, extension] of commands) {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      it(`${command} on ${signal}`, async () => {
        const out = at(`${command}-${signal}.${extension}`);
        const result = await runCli(args(out), signalOnOpen(summary.split('/').pop() ?? '', signal));
        expect(result.code, result.stderr).toBe(code);
        expect(result.stderr.trim()).toBe(`interrupted by ${signal}: nothing was written`);
        expect(existsSync(out)).toBe(false);
      }, 60_000);
    }
  }
});

describe('serve --pid-file', () => {
  it('on exit removes the pid file only while it is the one it wrote', async () => {
    const pidFile = at('replaced.pid');
    const child = spawn(process.execPath, [BIN, 'serve', '--model', tiny, '--port', '0', '--pid-file', pidFile], { env: cliEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('listening on')) resolve();
      });
      child.on('exit', () => reject(new Error(`serve ended: ${stderr}`)));
    });
    expect(readFileSync(pidFile, 'utf8')).toBe(`${child.pid}\n`);
    // Another server (or the user) put its own file there meanwhile.
    rmSync(pidFile);
    writeFileSync(pidFile, '12345\n');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readFileSync(pidFile, 'utf8')).toBe('12345\n');
  }, 120_000);
});

describe('8. the same run named twice is read once', () => {
  it('compare R results/../results/R and a copy of R: one run, with a note each', async () => {
    const name = summary.split('/').pop() ?? '';
    const copy = at('copy.csv');
    cpSync(summary, copy);
    cpSync(summary.replace(/\.csv$/, '-samples.csv'), at('copy-samples.csv'));
    const result = await runCli(['compare', summary, `${at('runs')}/../runs/${name}`, copy, '--merge-repeats', '--format', 'csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toMatch(/note: .*runs\/\.\.\/runs\/.*\.csv: the same file as .*; read once/);
    expect(unwrap(result.stderr)).toMatch(/note: .*copy\.csv: run cpu on .* at 2026-12-01T10:00:00\.000Z is also in .*; counted once/);
    expect(result.stdout).not.toMatch(/runs pooled/);
    const rows = parse<Record<string, string>>(result.stdout, { columns: true });
    expect(rows.filter((row) => row['section'] === 'run')).toHaveLength(1);
  }, 60_000);
});

describe('10. injection through result fields', () => {
  it('compare --format csv neutralises a formula; every printed line is free of terminal escapes', async () => {
    const csv = await runCli(['compare', evil, '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parse<Record<string, string>>(csv.stdout, { columns: true });
    expect(rows[0]?.['host']?.startsWith("'=cmd|")).toBe(true);
    for (const args of [['compare', evil], ['recommend', evil, '--slo', 'p95<1s']]) {
      const result = await runCli(args);
      expect(`${result.stdout}${result.stderr}`).toMatch(/]0;PWNED/);
      const printed = `${result.stdout}${result.stderr}`;
      expect(printed.includes('\u001b') || printed.includes('\u0007')).toBe(false);
    }
  }, 60_000);

  it('compare and recommend --format markdown escape HTML', async () => {
    for (const args of [['compare', evil, '--format', 'markdown'], ['recommend', evil, '--slo', 'p95<1s', '--format', 'markdown']]) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      expect(result.stdout).not.toMatch(/<script>/);
    }
  }, 60_000);
});

describe('3. same-second result names', () => {
  it('four ab runs started at once write four files and report four paths', async () => {
    const out = at('ab');
    const profile = (name: string, fields: Record<string, unknown>) => {
      writeFileSync(at(`${name}.json`), JSON.stringify({ extends: 'cpu', name, model: tiny, ...fields }));
      return at(`${name}.json`);
    };
    const a = profile('pa', {});
    const b = profile('pb', { intraOpThreads: 1 });
    const results = await Promise.all([1, 2, 3, 4].map(() => runCli(['ab', '--profile', a, '--versus', b, '--items', '2', '--pairs', '2', '--labels', '3', '--out', out, '--json'])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const reported = results.map((result) => (JSON.parse(result.stdout) as { file: string }).file);
    expect(new Set(reported).size).toBe(4);
    expect(readdirSync(out).filter((file) => file.endsWith('.csv'))).toHaveLength(4);
  }, 240_000);
});
