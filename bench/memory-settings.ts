/**
 * bench:memory: what each memory setting buys and costs, per precision: peak RSS and latency of
 * ONNX Runtime's defaults, no weight prepacking, no CPU memory arena, no memory pattern. Each
 * (setting, round) is one fresh process (the same screening child `tune` uses: a peak is a
 * process's own); rounds visit the settings in rotating order so drift hits all of them, and the
 * latency ratio to the defaults is taken within a round. Peaks vary between identical processes
 * (allocator and arena growth), so every figure comes with its spread.
 *
 *   npm run -s bench:memory [-- --rounds 3 --precisions fp32,int8 --items 10 --labels 3,10]
 */
import { parseArgs } from 'node:util';
import type { MemorySettings } from '../src/core/session.js';
import { readDataset, resolveDataset } from '../src/io/dataset.js';
import { resolveModelDir } from '../src/model-store/source.js';
import { parsePrecision } from '../src/models/precision.js';
import { loadProfile } from '../src/profiles/profile.js';
import { processPeakRssBytes, runChild } from '../src/runner/processes.js';
import { selectItems } from '../src/runner/workload.js';
import { DEFAULT_SEED } from '../src/stats/random.js';
import { mean } from '../src/stats/statistics.js';
import { spread } from './spread.js';

const SETTINGS: ReadonlyArray<{ name: string; memory: MemorySettings }> = [
  { name: 'defaults', memory: {} },
  { name: 'no prepacking', memory: { prepacking: false } },
  { name: 'no arena', memory: { cpuMemArena: false } },
  { name: 'no mem pattern', memory: { memPattern: false } },
];

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, precisions: { type: 'string', default: 'fp32,int8' }, items: { type: 'string', default: '10' }, labels: { type: 'string', default: '3,10' }, threads: { type: 'string', default: '2' } } });
const rounds = Number(values.rounds);
const labelCounts = values.labels.split(',').map(Number);
const profile = loadProfile('cpu');
const items = selectItems(readDataset(resolveDataset(profile.dataset)), Number(values.items));
const perPrecision = [];
for (const precision of values.precisions.split(',').map((value) => parsePrecision(value, '--precisions'))) {
  const modelDir = await resolveModelDir(profile.model, precision);
  const peaks = new Map<string, number[]>(SETTINGS.map((setting) => [setting.name, []]));
  const means = new Map<string, number[]>(SETTINGS.map((setting) => [setting.name, []]));
  const ratios = new Map<string, number[]>(SETTINGS.map((setting) => [setting.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const score = new Map<string, number>();
    for (let step = 0; step < SETTINGS.length; step += 1) {
      const setting = SETTINGS[(round + step) % SETTINGS.length] ?? SETTINGS[0];
      if (setting === undefined) continue;
      process.stderr.write(`bench:memory ${precision} round ${round + 1}/${rounds}: ${setting.name}\n`);
      const outcome = await runChild(
        {
          modelDir,
          precision,
          settings: { providers: ['cpu'], graphOptimizationLevel: 'all', intraOpThreads: Number(values.threads), memory: setting.memory },
          plan: { items, labelCounts, labelPool: profile.labelPool, repeats: 1, warmup: profile.warmup, template: profile.template, pairsPerRun: 'all', seed: DEFAULT_SEED, offlineBatchSizes: [], measureGpuMemory: false },
          process: 1,
          firstPass: 0,
        },
        () => undefined,
        new AbortController().signal,
      );
      if (outcome.state !== 'completed') throw new Error(`bench:memory: ${setting.name} process ${outcome.state === 'failed' ? `failed: ${outcome.reason}` : 'aborted'}`);
      const { result } = outcome;
      peaks.get(setting.name)?.push(processPeakRssBytes(result) / 2 ** 20);
      // One latency per process: the geometric mean over label counts of the mean classification time.
      const logMean = mean(result.measurements.map((measurement) => Math.log(mean(measurement.samples.map((sample) => sample.totalMs)))));
      means.get(setting.name)?.push(Math.exp(logMean));
      score.set(setting.name, Math.exp(logMean));
    }
    for (const setting of SETTINGS) ratios.get(setting.name)?.push((score.get(setting.name) ?? Number.NaN) / (score.get('defaults') ?? Number.NaN));
  }
  perPrecision.push({
    precision,
    settings: SETTINGS.map((setting) => ({
      setting: setting.name,
      peakRssMiB: spread(peaks.get(setting.name) ?? []),
      latencyMs: spread(means.get(setting.name) ?? []),
      latencyOverDefaults: spread(ratios.get(setting.name) ?? []),
    })),
  });
}
process.stdout.write(`${JSON.stringify({ benchmark: 'memory-settings', model: profile.model, threads: Number(values.threads), items: items.length, labelCounts, rounds, latency: 'geometric mean over label counts of the mean ms per classification, pairs per run all', perPrecision }, null, 2)}\n`);
