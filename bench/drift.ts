/**
 * bench:drift: how often does `run`'s drift rule (drift_beyond_noise: last pass against the first,
 * beyond 3 standard errors and the 10% floor) fire on runs where nothing drifted, and how often
 * does it catch a real step? Measured on the noise this machine really makes: the per-sample
 * times of real `zsc-bench run` results (collected here, or read from earlier runs with --from),
 * with the rule's own code (src/runner/drift.ts). Detection adds a step of known size to the
 * last pass of those same real runs, so the noise around the step is real, only the step is not.
 * Prints JSON.
 *
 *   npm run -s bench:drift [-- --runs 12 --items 10 --repeats 5 --labels 3,10]
 *   npm run -s bench:drift -- --from /tmp/zsc-bench-check-XXXX/normal,/tmp/other   # samples CSVs already collected
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { passDrift } from '../src/runner/drift.js';
import type { Sample } from '../src/schema/results.js';
import { CLI_BIN } from './serve-process.js';
import { spread } from './spread.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '12' },
    items: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '5' },
    labels: { type: 'string', default: '3,10' },
    from: { type: 'string' },
  },
});

/** Step sizes added to the last pass for the detection rate (0.25 = 25% slower). */
const STEPS = [0.1, 0.2, 0.3, 0.5, 1] as const;

function runCli(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`zsc-bench ${args.join(' ')} exited ${code}: ${stderr.trim()}`))));
  });
}

/** Real runs, back to back, of a short int8 configuration (the cost per pair of structbert-base). */
async function collect(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-bench-drift-'));
  const runs = Number(values.runs);
  for (let index = 0; index < runs; index += 1) {
    const load = loadavg()[0] ?? Number.NaN;
    const started = performance.now();
    await runCli(['run', '--profile', 'cpu-int8', '--items', values.items, '--repeats', values.repeats, '--labels', values.labels, '--out', dir, '--json']);
    process.stderr.write(`bench:drift: run ${index + 1}/${runs}: ${((performance.now() - started) / 1000).toFixed(1)} s, load ${load.toFixed(2)}\n`);
  }
  return [dir];
}

/** Every samples CSV in the folders (and their sub-folders one level down). */
function samplesFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return readdirSync(path).filter((file) => file.endsWith('-samples.csv')).map((file) => join(path, file));
      return name.endsWith('-samples.csv') ? [path] : [];
    }),
  );
}

/** The timed samples of one file by label count, read by column name (any schema version has these three). */
function samplesByLabelCount(file: string): Map<number, Sample[]> {
  const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true });
  const byCount = new Map<number, Sample[]>();
  for (const row of rows) {
    const labelCount = Number(row['labels']);
    const sample: Sample = { labelCount, itemId: row['item_id'] ?? '', repeat: Number(row['repeat']), totalMs: Number(row['total_ms']), inferenceMs: Number.NaN, tokenizeMs: Number.NaN, runs: Number.NaN, gflop: Number.NaN, predicted: '', gold: '', scores: '' };
    byCount.set(labelCount, [...(byCount.get(labelCount) ?? []), sample]);
  }
  return byCount;
}

/** Wilson score interval at 95% for k of n: honest at rates near 0 with few trials. */
function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [Number.NaN, Number.NaN];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const dirs = values.from !== undefined ? values.from.split(',') : await collect();
  const cases = samplesFiles(dirs).flatMap((file) => [...samplesByLabelCount(file)].map(([labels, samples]) => ({ file, labels, samples })));
  const measured = cases.filter((entry) => new Set(entry.samples.map((sample) => sample.repeat)).size >= 2);
  const unchanged = measured.map((entry) => ({ ...entry, drift: passDrift(entry.samples) }));
  const falseAlarms = unchanged.filter((entry) => entry.drift.beyondNoise).length;
  const lastPass = (samples: readonly Sample[]) => Math.max(...samples.map((sample) => sample.repeat));
  const detection = STEPS.map((step) => {
    const caught = measured.filter((entry) => {
      const last = lastPass(entry.samples);
      return passDrift(entry.samples.map((sample) => (sample.repeat === last ? { ...sample, totalMs: sample.totalMs * (1 + step) } : sample))).beyondNoise;
    }).length;
    return { stepPercent: step * 100, caught, of: measured.length, rate: round(caught / measured.length), ci95: wilson(caught, measured.length).map((value) => round(value)) };
  });
  const report = {
    benchmark: 'drift',
    rule: 'drift_beyond_noise: |median per-item last/first pass ratio - 1| > max(3 standard errors, 10%)',
    sources: dirs,
    files: new Set(measured.map((entry) => entry.file)).size,
    labelCountRows: measured.length,
    unchanged: {
      falseAlarms,
      rate: round(falseAlarms / measured.length),
      ci95: wilson(falseAlarms, measured.length).map((value) => round(value)),
      absDriftPercent: spread(unchanged.map((entry) => Math.abs(entry.drift.driftPercent))),
      noisePercent: spread(unchanged.map((entry) => entry.drift.noisePercent)),
      flagged: unchanged.filter((entry) => entry.drift.beyondNoise).map((entry) => ({ file: entry.file, labels: entry.labels, driftPercent: round(entry.drift.driftPercent, 1), noisePercent: round(entry.drift.noisePercent, 1) })),
    },
    injectedStep: detection,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
