/**
 * The defects a hostile but fair user found (issue 12), each shown through the CLI: long texts,
 * result files that must never be lost or split, inputs that must never be overwritten, and
 * start-up interrupts. Bad flag values live in the table of bad-inputs.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, oneLineError, runCli, spawnCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import { readCsv } from '../helpers/csv.js';

const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const isRoot = process.getuid?.() === 0;

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});

/** 10,000 CJK characters: 30 KB of UTF-8, past the ~29 KB command line ONNX Runtime crashes on. */
const LONG_TEXT = '体育新闻：主队在体育场战胜客队。'.repeat(625);

describe('long texts: never the ONNX Runtime command-line crash', () => {
  it('a 10,000-character argument is refused with one line that names --text-file, not a segfault', async () => {
    const result = await runCli(['classify', LONG_TEXT, '--labels', '体育,财经', '--model', tiny]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: text: 10000 characters on the command line \(\d+ bytes in all\); ONNX Runtime crashes above about 29 KB: pass long texts with --text-file FILE, or - to read stdin$/);
  });

  it('the same text from a file classifies (truncated to the model, and said so)', async () => {
    const file = join(fresh('zsc-text-'), 'long.txt');
    writeFileSync(file, `\uFEFF${LONG_TEXT}\n`);
    const result = await runCli(['classify', '--text-file', file, '--labels', '体育,财经', '--model', tiny, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as { labels: string[]; truncated: { premiseTokens: number; premiseTokensKept: number; maxLength: number } | null; text: string };
    expect(output.labels.sort()).toEqual(['体育', '财经']);
    // The numbers, not just a non-null field (a missing field is undefined, which is not null either).
    expect(output.truncated).toMatchObject({ premiseTokens: [...LONG_TEXT].length, maxLength: 512 });
    expect(output.truncated?.premiseTokensKept).toBeGreaterThan(400);
    expect(output.truncated?.premiseTokensKept).toBeLessThan(512);
    expect(output.text.startsWith('体育新闻')).toBe(true);
  });

  it('from stdin, with - as the text or as --text-file', async () => {
    for (const args of [['-'], ['--text-file', '-']]) {
      const result = await runCli(['classify', ...args, '--labels', '体育,财经', '--model', tiny, '--json'], {}, { input: LONG_TEXT });
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { scores: number[] }).scores).toHaveLength(2);
    }
  });

  it('text input mistakes are one line each', async () => {
    const empty = join(fresh('zsc-text-'), 'empty.txt');
    writeFileSync(empty, ' \n');
    const cases: Array<[string[], RegExp, string?]> = [
      [['classify', '--labels', '体育', '--model', tiny], /^error: text: missing; pass the text, --text-file FILE, or - to read it from stdin$/],
      [['classify', 'x', '--text-file', empty, '--labels', '体育', '--model', tiny], /^error: --text-file: give the text either as an argument or with --text-file, not both$/],
      [['classify', '--text-file', '/nonexistent/t.txt', '--labels', '体育', '--model', tiny], /^error: --text-file: cannot read \/nonexistent\/t\.txt \(ENOENT\)$/],
      [['classify', '--text-file', empty, '--labels', '体育', '--model', tiny], /^error: --text-file .*empty\.txt: empty; expected the text to classify$/],
      [['classify', '-', '--labels', '体育', '--model', tiny], /^error: stdin: empty; expected the text to classify$/, ''],
    ];
    for (const [args, message, input] of cases) {
      const result = await runCli(args, {}, input === undefined ? {} : { input });
      expect(result.code, result.stderr).toBe(2);
      expect(oneLineError(result)).toMatch(message);
    }
  });
});

describe('result files: never lost, never split, never overwritten', () => {
  it('--out under /proc fails at once instead of hanging', async () => {
    const started = performance.now();
    const result = await runCli(['run', '--profile', 'cpu', '--pairs-per-run', 'all', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', '/proc/zsc-bench-x']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe("error: --out: results folder '/proc/zsc-bench-x' is not writable (ENOENT)");
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('two runs started together into one folder keep both results, each pair consistent', async () => {
    const out = fresh('zsc-twice-');
    const args = ['run', '--profile', 'cpu', '--pairs-per-run', 'all', '--model', tiny, '--items', '3', '--repeats', '1', '--labels', '3', '--out', out];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const files = readdirSync(out).sort();
    const summaries = files.filter((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv'));
    expect(summaries).toHaveLength(2);
    // Each run: summary, samples and its saved profile, under one stem.
    expect(files).toHaveLength(6);
    for (const summary of summaries) {
      const [row] = readCsv(join(out, summary));
      const samples = readCsv(join(out, summary.replace(/\.csv$/, '-samples.csv')));
      expect(samples.map((sample) => sample['timestamp'])).toEqual(Array(3).fill(row?.['timestamp']));
      const saved = JSON.parse(readFileSync(join(out, summary.replace(/\.csv$/, '.profile.json')), 'utf8')) as { summary: string; profile_hash: string };
      expect(saved).toMatchObject({ summary, profile_hash: row?.['profile_hash'] });
    }
    const compared = await runCli(['compare', join(out, '*.csv'), '--format', 'json']);
    expect(compared.code, compared.stderr).toBe(0);
  });

  it.runIf(isRoot && canMountTmpfs())('a full disk mid-run: one line naming the file, exit 3 (the machine failed, not the input), the last complete pair kept', async () => {
    const mount = fresh('zsc-full-');
    // 16 KiB: the pair after 3 labels fits (about 6 KB), the next one, written beside it, does not.
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mount]).status).toBe(0);
    try {
      const result = await runCli(['run', '--profile', 'cpu', '--pairs-per-run', 'all', '--model', tiny, '--items', '40', '--repeats', '1', '--labels', '3,20', '--out', mount]);
      expect(result.code).toBe(3);
      const line = result.stderr.trim().split('\n').pop() ?? '';
      expect(line).toMatch(new RegExp(`^error: ${mount}/cpu-.*\\.csv: cannot write \\(ENOSPC: no space left on device\\); nothing was replaced$`));
      expect(result.stderr).not.toMatch(/likely a zsc-bench bug|\n\s+at /);
      const files = readdirSync(mount).sort();
      expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
      const summary = files.find((file) => !file.endsWith('-samples.csv')) ?? '';
      const rows = readCsv(join(mount, summary));
      const samples = readCsv(join(mount, summary.replace(/\.csv$/, '-samples.csv')));
      expect(rows.map((row) => row['labels'])).toEqual(['3']);
      expect(rows[0]?.['samples']).toBe('40');
      expect(new Set(samples.map((sample) => sample['labels']))).toEqual(new Set(['3']));
      expect(samples).toHaveLength(40);
      const check = await runCli(['check', '--baseline', join(mount, summary), '--current', join(mount, summary)]);
      expect(check.code, check.stderr).toBe(0);
    } finally {
      spawnSync('umount', [mount]);
    }
  }, 300_000);

  it.runIf(isRoot && canMountTmpfs())('a full disk while building a model: one line naming the file, no staging folder left', async () => {
    const mount = fresh('zsc-full-model-');
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]).status).toBe(0);
    try {
      const result = await runCli(['model', 'build', '--arch', 'tiny', '--out', join(mount, 'm')]);
      // A full disk is the machine's, not the input's: exit 3.
      expect(result.code).toBe(3);
      expect(oneLineError(result)).toMatch(new RegExp(`^error: ${mount}/m/[\\w./]+: cannot write \\(ENOSPC\\); nothing was replaced$`));
      expect(readdirSync(mount)).toEqual([]);
    } finally {
      spawnSync('umount', [mount]);
    }
  });

  describe('inputs are never overwritten; readers skip what is not a result', () => {
    let out: string;
    let summary: string;
    beforeAll(async () => {
      out = fresh('zsc-inputs-');
      const result = await runCli(['run', '--profile', 'cpu', '--pairs-per-run', 'all', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', out]);
      if (result.code !== 0) throw new Error(result.stderr);
      summary = join(out, readdirSync(out).find((file) => !file.endsWith('-samples.csv')) ?? '');
    });

    it('compare X.csv --out X.csv (or its samples) is refused and X is untouched', async () => {
      const before = readFileSync(summary, 'utf8');
      for (const target of [summary, summary.replace(/\.csv$/, '-samples.csv')]) {
        const result = await runCli(['compare', summary, '--out', target]);
        expect(result.code).toBe(2);
        expect(oneLineError(result)).toMatch(/^error: --out: '.*' is the input .*; writing there would replace what is being read: pick another file$/);
      }
      expect(readFileSync(summary, 'utf8')).toBe(before);
    });

    it('compare --format csv --out results/cmp.csv, then compare results/*.csv: the report is skipped with a note', async () => {
      const written = await runCli(['compare', summary, '--format', 'csv', '--out', join(out, 'cmp.csv')]);
      expect(written.code, written.stderr).toBe(0);
      writeFileSync(join(out, 'notes.csv'), '');
      const again = await runCli(['compare', join(out, '*.csv')]);
      expect(again.code, again.stderr).toBe(0);
      expect(unwrap(again.stderr)).toContain(`warning: ${join(out, 'cmp.csv')}: skipped, not a zsc-bench result file (no schema_version column)`);
      expect(unwrap(again.stderr)).toContain(`warning: ${join(out, 'notes.csv')}: skipped, not a zsc-bench result file (empty)`);
    });

    it('dataset import-thucnews c.txt --out c.txt is refused, and so is writing into the input folder', async () => {
      const dir = fresh('zsc-corpus-');
      const corpus = join(dir, 'c.txt');
      cpSync('test/fixtures/cnews', join(dir, 'cnews'), { recursive: true });
      const first = readdirSync(join(dir, 'cnews'))[0] ?? '';
      writeFileSync(corpus, readFileSync(join(dir, 'cnews', first)));
      const before = readFileSync(corpus, 'utf8');
      const same = await runCli(['dataset', 'import-thucnews', corpus, '--out', corpus]);
      expect(same.code).toBe(2);
      expect(oneLineError(same)).toMatch(/^error: --out: '.*c\.txt' is the input .*c\.txt;/);
      expect(readFileSync(corpus, 'utf8')).toBe(before);
      const inside = await runCli(['dataset', 'import-thucnews', join(dir, 'cnews'), '--out', join(dir, 'cnews', 'sample.csv')]);
      expect(inside.code).toBe(2);
      expect(oneLineError(inside)).toMatch(/^error: --out: '.*sample\.csv' is inside the input .*cnews;/);
    });
  });

  it('a profile name that would leave --out is refused; no file is written outside', async () => {
    const dir = fresh('zsc-names-');
    for (const name of ['../escaped', 'sub/dir', '.hidden', '']) {
      const profile = join(dir, 'p.json');
      writeFileSync(profile, JSON.stringify({ extends: 'cpu', name }));
      const result = await runCli(['run', '--profile', profile, '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--out', join(dir, 'out')]);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toMatch(/p\.json: field "name": expected a name of letters, digits, \., - and _ \(up to 64, no slashes: it becomes part of file names\)/);
    }
    expect(readdirSync(dir)).toEqual(['p.json']);
  });
});

describe('impossible numbers are refused by compare and check', () => {
  let out: string;
  let summary: string;
  let samplesFile: string;
  beforeAll(async () => {
    out = fresh('zsc-numbers-');
    const result = await runCli(['run', '--profile', 'cpu', '--pairs-per-run', 'all', '--model', tiny, '--items', '3', '--repeats', '2', '--labels', '3', '--out', out]);
    if (result.code !== 0) throw new Error(result.stderr);
    summary = join(out, readdirSync(out).find((file) => !file.endsWith('-samples.csv')) ?? '');
    samplesFile = summary.replace(/\.csv$/, '-samples.csv');
  });

  /** A copy of the run with its summary and samples text changed: a new pair in its own folder. */
  function tampered(edit: { summary?: (text: string) => string; samples?: (text: string) => string }): string {
    const dir = fresh('zsc-tampered-');
    const copy = join(dir, 'cpu-run.csv');
    writeFileSync(copy, (edit.summary ?? ((text) => text))(readFileSync(summary, 'utf8')));
    writeFileSync(join(dir, 'cpu-run-samples.csv'), (edit.samples ?? ((text) => text))(readFileSync(samplesFile, 'utf8')));
    return copy;
  }
  /** Replaces the value of one column on every data row. */
  const setColumn = (column: string, value: string) => (text: string): string => {
    const rows = parse(text);
    const index = rows[0]?.indexOf(column) ?? -1;
    return rows.map((cells, line) => (line === 0 ? cells : cells.map((cell, at) => (at === index ? value : cell)))).map((cells) => cells.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\n') + '\n';
  };
  const dropLast = (text: string) => text.trimEnd().split('\n').slice(0, -1).join('\n') + '\n';
  const duplicateLast = (text: string) => `${text}${text.trimEnd().split('\n').pop()}\n`;

  it('check: a samples file that holds fewer rows than its summary counts', async () => {
    const file = tampered({ samples: dropLast });
    const result = await runCli(['check', '--baseline', file, '--current', summary]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/cpu-run\.csv:2: says 6 samples at 3 labels, but .*cpu-run-samples\.csv holds 5; the two files are not one complete run$/);
  });

  it('check: a duplicated samples row, negative and absurd latencies', async () => {
    const cases: Array<[(text: string) => string, RegExp]> = [
      [(text) => duplicateLast(dropLast(text)), /appears twice; a samples file has each once$/],
      [setColumn('total_ms', '-5.000'), /cpu-run-samples\.csv:2: column total_ms: expected a number above 0 up to 86400000, got '-5\.000'$/],
      [setColumn('total_ms', '1e308'), /column total_ms: expected a number above 0 up to 86400000, got '1e308'$/],
    ];
    for (const [edit, message] of cases) {
      const result = await runCli(['check', '--baseline', summary, '--current', tampered({ samples: edit })]);
      expect(result.code, result.stderr).toBe(2);
      expect(oneLineError(result)).toMatch(message);
    }
  });

  it('compare: negative latencies and accuracy, zero samples', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['mean_ms', '-10.000', /cpu-run\.csv:2: column mean_ms: expected a number above 0 up to 86400000, got '-10\.000'$/],
      ['accuracy', '-0.5000', /cpu-run\.csv:2: column accuracy: expected a number from 0 to 1, got '-0\.5000'$/],
      ['samples', '0', /cpu-run\.csv:2: column samples: expected a whole number from 1 to 10000000000, got '0'$/],
    ];
    for (const [column, value, message] of cases) {
      const result = await runCli(['compare', tampered({ summary: setColumn(column, value) })]);
      expect(result.code, result.stderr).toBe(2);
      expect(oneLineError(result)).toMatch(message);
    }
  });

  it('compare: negative throughput and counts that do not add up in a load file', async () => {
    const header = 'schema_version,kind,timestamp,client_host,mode,concurrency,target_rate_rps,labels,dataset,dataset_hash,requests,ok,errors,throughput_rps,pairs_per_s,p50_ms,p95_ms,p99_ms,mean_batch_requests,server_host,server_profile,model_id,model_sha256,precision,requested_provider,actual_provider,fallback,synthetic,batching,inexact_batching,max_batch_pairs';
    const line = (requests: number, ok: number, errors: number, rps: string) => `1,load,2026-11-24T10:00:00.000Z,c,closed,4,,3,d,h,${requests},${ok},${errors},${rps},30,300,400,450,2,s,,m,x,fp32,cpu,cpu,false,true,on,false,8`;
    const dir = fresh('zsc-load-bad-');
    const negative = join(dir, 'load-a.csv');
    writeFileSync(negative, `${header}\n${line(100, 100, 0, '-9.5')}\n`);
    const counts = join(dir, 'load-b.csv');
    writeFileSync(counts, `${header}\n${line(100, 10, 0, '9.5')}\n`);
    const first = await runCli(['compare', negative]);
    expect(first.code).toBe(2);
    expect(oneLineError(first)).toMatch(/load-a\.csv:2: column throughput_rps: expected a number from 0 to 1000000000, got '-9\.5'$/);
    const second = await runCli(['compare', counts]);
    expect(second.code).toBe(2);
    expect(oneLineError(second)).toMatch(/load-b\.csv:2: column errors: 0 is impossible; expected requests - ok = 90$/);
  });
});

describe('small ones', () => {
  it('a SIGINT during start-up says it was interrupted before anything ran', async () => {
    // A server that accepts and never answers: `load` waits for /api/info during start-up.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolveListen) => silent.listen(0, '127.0.0.1', resolveListen));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const child = spawnCli(['load', '--url', `http://127.0.0.1:${port}`, '--out', fresh('zsc-int-')]);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      await new Promise<void>((resolveConnected) => silent.once('connection', () => resolveConnected()));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
      expect(code).toBe(130);
      expect(stderr.trim()).toBe('interrupted during start-up (before anything ran): no results were written');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('--model models/tinyy (a typo of a local folder) is a missing folder, not a Hugging Face download', async () => {
    const cwd = fresh('zsc-typo-');
    mkdirSync(join(cwd, 'models'));
    cpSync(tiny, join(cwd, 'models', 'tiny'), { recursive: true });
    const result = await runCli(['classify', '体育新闻', '--labels', '体育', '--model', 'models/tinyy'], { HF_ENDPOINT: 'http://127.0.0.1:9' }, { cwd });
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error: --model: no such folder 'models\/tinyy' \(taken as a local path: 'models' is a folder here\); expected a model folder/);
  });

  it('a profile JSON with a byte-order mark is read like one without', async () => {
    const file = join(fresh('zsc-bom-'), 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ extends: 'cpu', name: 'bom', repeats: 2 })}`);
    const result = await runCli(['profiles', 'show', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'bom', repeats: 2 });
  });

  it('profiles show refuses labelCounts beyond the label pool, with the words run uses', async () => {
    const file = join(fresh('zsc-pool-'), 'pool.json');
    writeFileSync(file, JSON.stringify({ extends: 'cpu', name: 'pool', labelPool: ['体育', '财经', '科技'], labelCounts: [3, 5] }));
    for (const args of [['profiles', 'show', file], ['run', '--profile', file, '--model', tiny]]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toBe(`error: ${file}: field "labelCounts": 5 labels exceed the label pool of 3 labels`);
    }
  });

  it('model folders follow the umask', async () => {
    const built = await buildTinyModel();
    expect(statSync(built).mode & 0o777).toBe(0o777 & ~currentUmask());
    expect(statSync(join(built, 'config.json')).mode & 0o777).toBe(0o666 & ~currentUmask());
  });

  // Needs root to switch user, and a checkout that user can read (a clone inside a 0700 folder is not).
  it.runIf(isRoot && nobodyCanRunTheCli())('an unreadable model file says "cannot read", not "missing"', async () => {
    const built = await buildTinyModel();
    // Another user (nobody) reading a folder made private, as mkdtemp used to leave it.
    const home = fresh('zsc-nobody-');
    chmodSync(home, 0o777);
    chmodSync(built, 0o700);
    const other = await runCli(['classify', '体育新闻', '--labels', '体育', '--model', built], { ZSC_BENCH_HOME: home }, { uid: NOBODY, gid: NOBODY, cwd: home });
    expect(other.code).toBe(2);
    expect(oneLineError(other)).toBe(`error: model folder '${built}': cannot read config.json (EACCES); check the permissions of the folder and its files`);
  });
});

const NOBODY = 65534;

/** `model build` of the tiny model into a fresh folder everyone may enter; returns its path. */
async function buildTinyModel(): Promise<string> {
  const root = fresh('zsc-umask-');
  chmodSync(root, 0o755);
  const built = join(root, 'model');
  const result = await runCli(['model', 'build', '--arch', 'tiny', '--precision', 'fp32', '--out', built]);
  expect(result.code, result.stderr).toBe(0);
  return built;
}

function nobodyCanRunTheCli(): boolean {
  return spawnSync(process.execPath, [BIN, '--version'], { env: cliEnv(), uid: NOBODY, gid: NOBODY, cwd: tmpdir() }).status === 0;
}

function canMountTmpfs(): boolean {
  const probe = fresh('zsc-mount-probe-');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', probe]).status !== 0) return false;
  spawnSync('umount', [probe]);
  return true;
}

function currentUmask(): number {
  // process.umask() without an argument is deprecated; a fresh folder's mode shows it.
  const dir = join(fresh('zsc-mask-'), 'probe');
  mkdirSync(dir);
  return 0o777 & ~statSync(dir).mode;
}

