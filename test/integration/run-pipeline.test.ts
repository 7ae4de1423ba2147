/**
 * The run pipeline end to end in this process, through the CLI's own entry (main): Ctrl-C in
 * the parity and calibration stages, and the library's classify splitting as the CLI does.
 * In-process so the interrupt lands at a known point: SIGINT is emitted when a stage's own line
 * appears on stderr.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeStyle } from '../../src/format/style.js';
import type { Io } from '../../src/shell/io.js';
import { loadClassifier } from '../../src/index.js';
import { calibrationKey, pairsCalibrationCacheFile } from '../../src/runner/pairs-calibration.js';
import { writeCacheEntry } from '../../src/io/json-cache.js';
import { testModel } from '../helpers/models.js';
import { Readable } from 'node:stream';

let tiny: string;
const previousHome = process.env['ZSC_BENCH_HOME'];

beforeAll(async () => {
  process.env['ZSC_BENCH_HOME'] = mkdtempSync(join(tmpdir(), 'zsc-pipeline-home-'));
  tiny = await testModel('tiny');
});
afterAll(() => {
  if (previousHome === undefined) delete process.env['ZSC_BENCH_HOME'];
  else process.env['ZSC_BENCH_HOME'] = previousHome;
});

/** An Io that keeps what the command writes, and calls `onErr` with all of stderr so far. */
function capture(onErr: (stderr: string) => void = () => undefined): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => void (out += text),
    err: (text) => {
      err += text;
      onErr(err);
    },
    outStyle: makeStyle(false),
    errStyle: makeStyle(false),
    errIsTTY: false,
    env: {},
    stdin: Readable.from([]),
    stdout: () => out,
    stderr: () => err,
  };
}

/** Emits SIGINT once, the first time `marker` appears on stderr. */
function interruptOn(marker: string) {
  let sent = false;
  return (stderr: string) => {
    if (sent || !stderr.includes(marker)) return;
    sent = true;
    process.emit('SIGINT', 'SIGINT');
  };
}

const summaryRowsIn = (dir: string) => {
  const summary = readdirSync(dir).find((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv'));
  return summary === undefined ? [] : parse<Record<string, string>>(readFileSync(join(dir, summary), 'utf8'), { columns: true });
};

describe('run: Ctrl-C in every stage', () => {
  it('during the parity pass: exit 130, both completed label counts kept, no parity figures', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-parity-sigint-'));
    const io = capture(interruptOn('note: parity:'));
    const code = await main(['run', '--profile', 'cpu', '--model', tiny, '--precision', 'int8', '--items', '6', '--repeats', '1', '--labels', '3,5', '--pairs-per-run', 'all', '--out', out], io);
    expect(code).toBe(130);
    expect(io.stderr()).toMatch(/interrupted during the parity pass: kept 2 completed label count\(s\) in .*\.csv/);
    const rows = summaryRowsIn(out);
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    expect(rows.map((row) => row['parity_flip_percent'])).toEqual(['', '']);
    expect(readdirSync(out).filter((file) => file.includes('.tmp'))).toEqual([]);
  });

  it('during the cold start and calibration: exit 130, nothing measured, no result files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-calibration-sigint-'));
    const io = capture(interruptOn('plan:'));
    const code = await main(['run', '--profile', 'cpu', '--model', tiny, '--items', '4', '--repeats', '1', '--labels', '3', '--pairs-per-run', 'auto', '--out', out], io);
    expect(code).toBe(130);
    expect(io.stderr()).toContain('interrupted during the cold start and pairs-per-run calibration: kept 0 completed label count(s)\n');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('library classify', () => {
  it('splits as the CLI does by default: the calibrated pairs per run, not all pairs in one run', async () => {
    const labels = ['体育', '财经', '科技'];
    const text = '国足昨晚在主场以二比一战胜对手';
    // A calibration in the cache that makes one pair per run clearly fastest: both must use it.
    const probe = await loadClassifier({ model: tiny, pairsPerRun: 'all' });
    const key = calibrationKey(probe);
    await probe.dispose();
    writeCacheEntry(pairsCalibrationCacheFile(), key, { perPairMs: { '1': 1, '2': 5, '3': 10 }, sequence: 32, rounds: 5, measuredAt: '2026-12-04T00:00:00.000Z' });

    const library = await loadClassifier({ model: tiny });
    const fromLibrary = await library.classify(text, labels);
    const all = await library.classify(text, labels, { pairsPerRun: 99 });
    await library.dispose();
    const io = capture();
    expect(await main(['classify', text, '--labels', labels.join(','), '--model', tiny, '--json'], io)).toBe(0);
    const fromCli = JSON.parse(io.stdout()) as { timings: { runs: number }; scores: number[]; labels: string[] };
    expect(fromLibrary.timings.runs).toBe(3);
    expect(fromCli.timings.runs).toBe(3);
    expect(all.timings.runs).toBe(1);
    expect(fromCli.labels).toEqual(fromLibrary.labels);
  });
});
