import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuBudget } from '../../src/env/cpu-budget.js';
import { oneLineError, runCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';
import { readCsv, summaryOf, samplesOf } from '../helpers/csv.js';

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});

const small = ['--items', '2', '--repeats', '1', '--labels', '3,5'];

describe('threads are decided and recorded', () => {
  it('a profile without a thread setting runs every core this process may use, and says why', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-threads-'));
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, ...small, '--pairs-per-run', 'all', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const budget = cpuBudget();
    const rows = readCsv(summaryOf(out));
    // A row per label count: the loop below must have rows to check.
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      expect(Number(row['intra_op_threads'])).toBe(budget.threads);
      expect(row['intra_op_threads_reason']).toBe(`auto: ${budget.reason}`);
    }
    // On a machine without a quota or hyper-threads (the development VM, CI), that is every CPU.
    if (budget.cgroupQuotaCpus === undefined && budget.physicalCores === budget.logicalCpus) expect(budget.threads).toBe(availableParallelism());
  });

  it('a profile\'s intraOpThreads wins and is recorded as such', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-threads-'));
    const profile = join(out, 'one.json');
    writeFileSync(profile, JSON.stringify({ extends: 'cpu', name: 'one', intraOpThreads: 1 }));
    const result = await runCli(['run', '--profile', profile, '--model', tiny, ...small, '--pairs-per-run', 'all', '--out', join(out, 'r')]);
    expect(result.code, result.stderr).toBe(0);
    expect(readCsv(summaryOf(join(out, 'r'))).map((row) => [row['intra_op_threads'], row['intra_op_threads_reason']])).toEqual([['1', 'profile'], ['1', 'profile']]);
  });
});

describe('pairs per run', () => {
  it('--pairs-per-run N splits each text into balanced runs and records the size per label count', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-ppr-'));
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, ...small, '--pairs-per-run', '4', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => [row['labels'], row['pairs_per_run'], row['pairs_per_run_setting']])).toEqual([['3', '3', '4'], ['5', '4', '4']]);
    // Conditions columns: one pass here, so no drift figure; energy only where a counter is readable.
    for (const row of rows) {
      expect(row['pass_means_ms']?.split(' ')).toHaveLength(1);
      expect(row['drift_percent']).toBe('');
      expect(row['drift_beyond_noise']).toBe('false');
      if (!existsSync('/sys/class/powercap/intel-rapl:0/energy_uj')) expect([row['energy_j_per_1000'], row['energy_source']]).toEqual(['', '']);
    }
    expect(readCsv(samplesOf(out)).map((row) => `${row['labels']}:${row['session_runs']}`)).toEqual(['3:1', '3:1', '5:2', '5:2']);
  });

  it('auto calibrates once per host and model, records the measurement, then reads it from the cache', async () => {
    const home = mkdtempSync(join(tmpdir(), 'zsc-home-'));
    const runOnce = async () => {
      const out = mkdtempSync(join(tmpdir(), 'zsc-ppr-'));
      const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, ...small, '--out', out], { ZSC_BENCH_HOME: home });
      expect(result.code, result.stderr).toBe(0);
      return { result, rows: readCsv(summaryOf(out)) };
    };
    const first = await runOnce();
    expect(unwrap(first.result.stderr)).toMatch(/note: pairs per run: \d+ \(auto, calibrated now; ms per pair by run size 1:[\d.]+ 2:[\d.]+ 5:[\d.]+; /);
    const row = first.rows[1];
    expect(row?.['pairs_per_run_setting']).toBe('auto');
    expect(row?.['pairs_per_run_calibration']).toMatch(/^1:[\d.]+ 2:[\d.]+ 5:[\d.]+$/);
    const cacheFile = join(home, 'calibration', 'pairs-per-run.json');
    // Read before the second run, which may cache its own calibration when the machine is quiet by then.
    const cachedAfterFirst = existsSync(cacheFile);
    const second = await runOnce();
    // A calibration taken on a busy machine is not cached (the note says so): then the next run calibrates again.
    if (/calibrated now; [^\n]*machine busy \([^\n]*\): used for this run only, not cached\)/.test(unwrap(first.result.stderr))) {
      expect(cachedAfterFirst).toBe(false);
      expect(unwrap(second.result.stderr)).toMatch(/note: pairs per run: \d+ \(auto, calibrated now;/);
      return;
    }
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(cache)).toHaveLength(1);
    expect(unwrap(second.result.stderr)).toMatch(/note: pairs per run: \d+ \(auto, calibrated \d{4}-\d\d-\d\d, cached;/);
    expect(second.rows[1]?.['pairs_per_run_calibration']).toBe(row?.['pairs_per_run_calibration']);
  });

  it('bad values are one-line usage errors', async () => {
    for (const value of ['0', 'abc', '2.5']) {
      const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--pairs-per-run', value]);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toBe(`error: --pairs-per-run: expected "auto", "all" or a positive integer up to 4096, got "${value}"`);
    }
    const classify = await runCli(['classify', '体育新闻', '--labels', '体育,财经', '--model', tiny, '--pairs-per-run', '0']);
    expect(classify.code).toBe(2);
    expect(oneLineError(classify)).toContain('--pairs-per-run: expected');
  });
});

describe('offline scenario', () => {
  it('--scenario offline adds items/s and pairs/s at each batch size and the best, next to single-stream QPS', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-offline-'));
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '5', '--repeats', '1', '--labels', '3,5', '--pairs-per-run', 'all', '--scenario', 'offline', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      expect(row['scenario']).toBe('single-stream+offline');
      const byBatch = (row['offline_items_per_s_by_batch'] ?? '').split(' ').map((entry) => entry.split(':').map(Number));
      expect(byBatch.map(([size]) => size)).toEqual([1, 2, 4, 8]);
      const best = Math.max(...byBatch.map(([, rate]) => rate ?? 0));
      expect(Number(row['offline_items_per_s'])).toBeCloseTo(best, 1);
      expect(byBatch.find(([, rate]) => rate === best)?.[0]).toBe(Number(row['offline_best_batch_items']));
      expect(Number(row['offline_pairs_per_s']) / Number(row['offline_items_per_s'])).toBeCloseTo(Number(row['labels']), 3);
      expect(Number(row['items_per_s'])).toBeGreaterThan(0);
    }
    const single = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--pairs-per-run', 'all', '--out', join(out, 'single')]);
    const row = readCsv(summaryOf(join(out, 'single')))[0];
    expect([row?.['scenario'], row?.['offline_items_per_s'], row?.['offline_items_per_s_by_batch']], single.stderr).toEqual(['single-stream', '', '']);
  });

  it('an unknown scenario is a one-line usage error', async () => {
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--scenario', 'server']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe("error: --scenario: unknown scenario 'server'; expected single-stream or offline");
  });
});

describe('precision parity', () => {
  it('an int8 run compares the same items and label sets with the fp32 file beside it, labelled synthetic', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-parity-'));
    const profile = join(out, 'int8.json');
    writeFileSync(profile, JSON.stringify({ extends: 'cpu-int8', name: 'int8' }));
    const result = await runCli(['run', '--profile', profile, '--model', tiny, '--items', '10', '--repeats', '1', '--labels', '3,5', '--pairs-per-run', 'all', '--out', join(out, 'r')]);
    expect(result.code, result.stderr).toBe(0);
    expect(unwrap(result.stderr)).toContain(`note: parity: the same items and label sets at fp32 (${join(tiny, 'onnx', 'model.onnx')}); synthetic weights`);
    const rows = readCsv(summaryOf(join(out, 'r')));
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      expect(row['parity_reference']).toBe(join(tiny, 'onnx', 'model.onnx'));
      expect(row['parity_weights']).toBe('synthetic');
      expect(row['parity_items']).toBe('10');
      // Numbers, never empty cells: Number('') is 0, which passes the ranges below.
      for (const column of ['parity_flip_percent', 'parity_mean_abs_diff', 'parity_max_abs_diff', 'batch_composition_max_abs_diff']) expect(row[column], column).toMatch(/^\d+(\.\d+)?$/);
      const flips = Number(row['parity_flip_percent']);
      expect(flips).toBeGreaterThanOrEqual(0);
      expect(flips).toBeLessThanOrEqual(100);
      // Random int8 weights: scores really move, but stay probabilities.
      expect(Number(row['parity_max_abs_diff'])).toBeGreaterThan(0);
      expect(Number(row['parity_max_abs_diff'])).toBeLessThan(1);
      expect(Number(row['parity_mean_abs_diff'])).toBeLessThanOrEqual(Number(row['parity_max_abs_diff']));
      expect(row['batch_composition_items']).toBe('8');
      expect(Number(row['batch_composition_max_abs_diff'])).toBeGreaterThanOrEqual(0);
    }
    const skipped = await runCli(['run', '--profile', profile, '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3', '--no-parity', '--out', join(out, 's')]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(readCsv(summaryOf(join(out, 's')))[0]?.['parity_flip_percent']).toBe('');
  });

  it('known answers: the overlap model picks the same labels at int8 and fp32 (no flips)', async () => {
    const overlap = await testModel('overlap');
    const out = mkdtempSync(join(tmpdir(), 'zsc-parity-'));
    const profile = join(out, 'int8.json');
    writeFileSync(profile, JSON.stringify({ extends: 'cpu-int8', name: 'int8' }));
    const result = await runCli(['run', '--profile', profile, '--model', overlap, '--items', '10', '--repeats', '1', '--labels', '3,5', '--pairs-per-run', 'all', '--out', join(out, 'r')]);
    expect(result.code, result.stderr).toBe(0);
    const rows = readCsv(summaryOf(join(out, 'r')));
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      expect(row['parity_flip_percent']).toBe('0.00');
      expect(row['batch_composition_flip_percent']).toBe('0.00');
      // A number, not an empty cell (Number('') is 0, below any bound).
      expect(row['parity_max_abs_diff']).toMatch(/^\d+(\.\d+)?$/);
      expect(Number(row['parity_max_abs_diff'])).toBeLessThan(0.01);
    }
  });

  it('a parity reference without the fp32 file, or of another shape, is a one-line usage error', async () => {
    const overlap = await testModel('overlap');
    const empty = mkdtempSync(join(tmpdir(), 'zsc-noref-'));
    const args = ['run', '--profile', 'cpu-int8', '--model', tiny, '--items', '1', '--repeats', '1', '--labels', '3'];
    const missing = await runCli([...args, '--parity-reference', empty]);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toBe(`error: --parity-reference: '${empty}' has no onnx/model.onnx; expected the fp32 file of the same model`);
    const other = await runCli([...args, '--parity-reference', overlap]);
    expect(other.code).toBe(2);
    expect(oneLineError(other)).toMatch(/^error: --parity-reference: '.+' is another model shape \(.+\); expected the same model at fp32$/);
  });
});
