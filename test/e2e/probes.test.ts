import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { peakCacheKey } from '../../src/runner/peak-probe.js';
import { runCli, unwrap } from '../helpers/cli.js';
import { readCsv, summaryOf } from '../helpers/csv.js';
import { testModel } from '../helpers/models.js';

/** A private home whose calibration caches this file writes itself. */
const home = mkdtempSync(join(tmpdir(), 'zsc-probes-home-'));
const cli = (args: readonly string[]) => runCli(args, { ZSC_BENCH_HOME: home });
const SEEDED = '2020-01-01T00:00:00.000Z';
let tiny: string;

const run = (extra: readonly string[]) => {
  const out = mkdtempSync(join(tmpdir(), 'zsc-probes-out-'));
  return { out, result: cli(['run', '--profile', 'cpu', '--model', tiny, '--items', '1', '--repeats', '1', '--labels', '3', '--threads', '1', '--no-parity', '--pairs-per-run', 'auto', '--out', out, ...extra]) };
};

/**
 * Cache entries an old run could have left: a peak far below anything the model reaches (so MFU
 * comes out far above 100%) and a pairs-per-run calibration, both dated 2020, under the keys this
 * run looks up.
 */
function seedCaches(): void {
  const folder = join(home, 'calibration');
  mkdirSync(folder, { recursive: true });
  const peak = { gflopPerS: 0.001, description: 'seeded probe', provider: 'cpu', intraOpThreads: 1, measuredAt: SEEDED };
  writeFileSync(join(folder, 'peak.json'), JSON.stringify({ [peakCacheKey('fp32', 'cpu', 1)]: peak }));
  const onnxFile = join(tiny, 'onnx', 'model.onnx');
  const stat = statSync(onnxFile);
  const key = [hostname(), onnxFile, stat.size, Math.round(stat.mtimeMs), 'fp32', 'cpu', 'threads=1'].join('|');
  writeFileSync(join(folder, 'pairs-per-run.json'), JSON.stringify({ [key]: { perPairMs: { '1': 5, '2': 5, '3': 5 }, sequence: 20, rounds: 5, measuredAt: SEEDED } }));
}

beforeAll(async () => {
  tiny = await testModel('tiny');
});

describe('probes that know when they ran: cached entries, --reprobe, MFU above 100%, cache clean', () => {
  it('a cached peak that the run beats: used, then probed again after the sweep, and the note blames the cached probe', async () => {
    seedCaches();
    const { out, result } = run([]);
    const done = await result;
    expect(done.code, done.stderr).toBe(0);
    expect(unwrap(done.stderr)).toContain(`peak 0.0 GFLOP/s (seeded probe; measured ${SEEDED.slice(0, 10)}, cached)`);
    expect(unwrap(done.stderr)).toContain(`pairs per run: 3 (auto, calibrated ${SEEDED.slice(0, 10)}, cached;`);
    expect(unwrap(done.stderr)).toMatch(/note: MFU \d+% with the cached peak probe \(2020-01-01\): probed again after the sweep, [\d.]+ GFLOP\/s; load /);
    const [row] = readCsv(summaryOf(out));
    expect(row?.['peak_probe_source']).toBe('cached, re-probed');
    expect(row?.['peak_probe']).toMatch(/^matmul 512x1024x4096 fp32, cpu, 1 thread\(s\), best of 8, \d{4}-\d\d-\d\d, load [\d.]+, steal [\d.]+%, others [\d.]+%$/);
    expect(Number(row?.['peak_gflop_per_s'])).toBeGreaterThan(0.001);
    expect(row?.['monitor']).toBe('on');
  });

  it('--reprobe ignores both caches and measures afresh; --no-monitor is recorded in the rows and the saved command', async () => {
    seedCaches();
    const { out, result } = run(['--reprobe', '--no-monitor']);
    const done = await result;
    expect(done.code, done.stderr).toBe(0);
    expect(unwrap(done.stderr)).toMatch(/note: peak [\d.]+ GFLOP\/s \(matmul 512x1024x4096 fp32, cpu, 1 thread\(s\), best of 8; measured now; load /);
    expect(unwrap(done.stderr)).toMatch(/note: pairs per run: \d+ \(auto, calibrated now;/);
    expect(unwrap(done.stderr)).not.toContain('2020-01-01');
    const [row] = readCsv(summaryOf(out));
    expect(row?.['peak_probe_source']).toMatch(/^measured/);
    expect(row?.['monitor']).toBe('off');
    expect(row?.['monitor_sources']).toBe('');
    expect(row?.['cpu_mhz_min']).toBe('');
    const profile = readdirSync(out).find((file) => file.endsWith('.profile.json')) ?? '';
    expect(JSON.parse(readFileSync(join(out, profile), 'utf8'))).toMatchObject({ command: { flags: { '--reprobe': true, '--no-monitor': true } } });
  });

  it('cache clean removes calibration/ too', async () => {
    seedCaches();
    const cleaned = await cli(['cache', 'clean']);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toContain(`removed the cached peak probes and pairs-per-run calibrations: ${join(home, 'calibration')}`);
    expect(existsSync(join(home, 'calibration'))).toBe(false);
  });
});
