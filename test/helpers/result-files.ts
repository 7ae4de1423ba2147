import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sha256SmallFile } from '../../src/io/hash.js';
import { MODEL_FILE_BY_PRECISION } from '../../src/models/precision.js';
import { formatSavedProfile, savedProfilePathFor } from '../../src/profiles/saved-profile.js';
import { loadProfile, profileHash, type Profile } from '../../src/profiles/profile.js';
import { formatSamplesCsv, formatSummaryCsv } from '../../src/runner/results-csv.js';
import type { LabelCountMeasurement } from '../../src/runner/runner.js';
import { summaryRows, type RunContext } from '../../src/runner/summary.js';
import { MIB } from '../../src/schema/csv.js';
import { RESULT_SCHEMA_VERSION, type Sample } from '../../src/schema/results.js';
import { hashString, mulberry32 } from '../../src/stats/random.js';

/** Without `model`, a stand-in model file per precision: the same sha256 wherever the same file would have run. */
const MODEL_SHA256: Record<string, string> = { fp32: 'a'.repeat(64), fp16: 'b'.repeat(64), int8: 'c'.repeat(64) };

/** A run as `zsc-bench run` would have written it, with latencies the test chooses instead of measured ones. */
export interface RunSpec {
  /** What --profile named: a bundled profile or a profile file. */
  profile: string;
  /** The profile fields run's flags changed (--items, --repeats, ...). */
  overrides?: Partial<Profile>;
  labelCounts: readonly number[];
  timestamp: string;
  /** The latency of one classification, before noise. */
  ms: (labels: number) => number;
  /** Relative spread of the deterministic noise around `ms` (default 0.05: within 5%). */
  noise?: number;
  /** Seeds the noise: two runs with different seeds differ as two real runs do. */
  seed?: string;
  /** A model folder: the rows record the sha256 of its file at the run's precision, as a run on it would (a server's load and web UI files then match). */
  model?: string;
  /** A provider run that fell back to the CPU: the reason, as the run records it. */
  fallbackReason?: string;
  host?: string;
}

/**
 * Writes the summary, samples and saved profile of one run into `dir` through the writers `run`
 * uses (summary rows from `summaryRows`, so every statistic agrees with the samples), and returns
 * the summary's path. Commands that only read results are tested on these instead of fresh
 * benchmarks; one e2e test still runs a real `run` and compares its output.
 */
export function writeRun(dir: string, spec: RunSpec): string {
  const profile: Profile = { ...loadProfile(spec.profile), ...spec.overrides };
  const host = spec.host ?? hostname();
  const random = mulberry32(hashString(spec.seed ?? spec.timestamp));
  const noise = spec.noise ?? 0.05;
  const requested = profile.executionProviders[0] ?? 'cpu';
  const fallback = spec.fallbackReason !== undefined;
  const start = Date.parse(spec.timestamp);
  const measurements: LabelCountMeasurement[] = spec.labelCounts.map((labelCount, index) => {
    const samples: Sample[] = [];
    for (let repeat = 0; repeat < profile.repeats; repeat += 1) {
      for (let item = 0; item < profile.items; item += 1) {
        const totalMs = Number((spec.ms(labelCount) * (1 + noise * (2 * random() - 1))).toFixed(3));
        const gold = profile.labelPool[item % profile.labelPool.length] ?? '体育';
        samples.push({ labelCount, itemId: `thn-${String(item + 1).padStart(3, '0')}`, repeat, totalMs, inferenceMs: Number((totalMs * 0.95).toFixed(3)), tokenizeMs: Number((totalMs * 0.04).toFixed(3)), runs: 1, gflop: 0.0125 * labelCount, predicted: item % 3 === 0 ? gold : '财经', gold, scores: '' });
      }
    }
    const wallMs = samples.reduce((sum, sample) => sum + sample.totalMs, 0) * 1.01;
    const startedAtMs = start + index * 60_000;
    return { labelCount, samples, offline: [], startedAtMs, endedAtMs: startedAtMs + wallMs, hardware: [], wallMs, cpuUserMs: wallMs * 0.9, cpuSystemMs: wallMs * 0.05, peakRssBytes: (300 + labelCount) * MIB };
  });
  const context: RunContext = {
    schemaVersion: RESULT_SCHEMA_VERSION, toolVersion: '0.1.0', gitCommit: '', timestamp: spec.timestamp, profile: profile.name, profileHash: profileHash(profile), host,
    os: 'linux 6.1', arch: 'x64', emulated: '', cpuModel: 'Test CPU @ 2.40GHz', cpuCores: 2, cpuFlags: 'avx avx2 fma', ramBytes: 8192 * MIB, gpuModel: '', gpuDriver: '', cudaVersion: '',
    nodeVersion: 'v20.20.0', onnxruntimeVersion: '1.30.0', requestedProvider: requested, actualProvider: fallback ? 'cpu' : requested, providerTimeShares: 'cpu 100.0%', providerNodeShares: 'cpu 100.0%',
    processes: 1, processesFailed: '', coldStartMsMean: Number.NaN, coldStartsMs: '',
    fallback, fallbackReason: spec.fallbackReason ?? '', precision: profile.precision, modelId: 'synthetic:tiny', modelSha256: spec.model !== undefined ? sha256SmallFile(join(spec.model, 'onnx', MODEL_FILE_BY_PRECISION[profile.precision])) : (MODEL_SHA256[profile.precision] ?? 'd'.repeat(64)), synthetic: true,
    dataset: profile.dataset, datasetHash: 'e'.repeat(64), template: profile.template, labelPool: profile.labelPool.join('|'), intraOpThreads: profile.intraOpThreads ?? 2,
    threadsReason: profile.intraOpThreads !== undefined ? 'profile' : 'auto: 2 cores', pairsPerRunSetting: String(profile.pairsPerRun), pairsPerRunCalibration: '', pairsPerRunCalibrationSource: '',
    pairsPerRunResolved: typeof profile.pairsPerRun === 'number' ? profile.pairsPerRun : undefined, interOpThreads: profile.interOpThreads, graphOptimizationLevel: profile.graphOptimizationLevel,
    executionMode: profile.executionMode ?? 'sequential', prepacking: profile.prepacking ?? true, cpuMemArena: profile.cpuMemArena ?? true, memPattern: profile.memPattern ?? true,
    platformMatch: !fallback, items: profile.items, repeats: profile.repeats, warmup: profile.warmup, scenario: 'single-stream', rssAfterLoadBytes: 280 * MIB, modelLoadMs: 150.5,
    firstInferenceMs: spec.ms(spec.labelCounts[0] ?? 3) * 1.5, peakGflopPerS: undefined, peakProbe: '', peakProbeSource: '', monitor: 'on', monitorSources: '', costPerHour: profile.costPerHour, parity: [], parityReference: '',
  };
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `${profile.name}-${host}-${spec.timestamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
  const summary = `${stem}.csv`;
  writeFileSync(summary, formatSummaryCsv(summaryRows(context, measurements)));
  writeFileSync(`${stem}-samples.csv`, formatSamplesCsv(measurements.flatMap((measurement) => measurement.samples), { profile: profile.name, host, timestamp: spec.timestamp, actualProvider: context.actualProvider, precision: profile.precision }));
  const flags = Object.fromEntries(Object.entries(spec.overrides ?? {}).map(([key, value]) => [`--${key}`, typeof value === 'string' ? value : JSON.stringify(value)]));
  writeFileSync(savedProfilePathFor(summary), formatSavedProfile(profile, { summary, command: { profile: spec.profile, flags } }));
  return summary;
}
