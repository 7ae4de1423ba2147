/**
 * `pairsPerRun: "auto"`: how many (text, label) pairs per session.run are fastest on this
 * hardware. On two CPU cores one 20-row run was slower per pair than 20 one-row runs with one
 * thread and faster with two; GPUs gain far more from big runs. So the size is measured: a bare
 * session.run of 1, 2, 4, 8, ... rows of a warm-up text, interleaved over rounds, the median
 * per-pair time of each size, then the split that minimises predicted time over the sweep (all
 * pairs unless a split is predicted more than 3% faster).
 */
import { statSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { cacheable, probeMachine, readMachine, type MachineReading, type ProbeMachine } from '../env/machine-state.js';
import { runSizes, type Classifier } from '../core/classifier.js';
import { join } from 'node:path';
import { readCacheEntry, writeCacheEntry } from '../io/json-cache.js';
import { zscBenchHome } from '../model-store/source.js';
import { median } from '../stats/statistics.js';

export interface PairsCalibration {
  /** The chosen pairs per run. */
  pairsPerRun: number;
  /** Median ms per pair of a run of each measured size. */
  perPairMs: Record<string, number>;
  /** Padded sequence length of the warm-up text's pairs. */
  sequence: number;
  rounds: number;
  measuredAt: string;
  /** True when read from the cache rather than measured in this process. */
  cached: boolean;
  /** Load, steal and other processes' CPU while it ran (absent in entries cached before zsc-bench recorded them). */
  machine?: ProbeMachine;
  /** Measured now on a busy machine: used for this run, not written to the cache. */
  notCached?: boolean;
}

/** Run sizes measured: powers of two below the largest label count (not too close to it), and that count. */
export function calibrationSizes(maxLabels: number): number[] {
  const sizes: number[] = [];
  for (let size = 1; size * 1.5 <= maxLabels; size *= 2) sizes.push(size);
  if (!sizes.includes(maxLabels)) sizes.push(maxLabels);
  return sizes;
}

/** Per-pair cost of a run of `size` rows, linear between measured sizes, flat beyond them. */
export function perPairCost(perPairMs: ReadonlyMap<number, number>, size: number): number {
  const sizes = [...perPairMs.keys()].sort((a, b) => a - b);
  const first = sizes[0];
  if (first === undefined) return Number.NaN;
  let below = first;
  for (const measured of sizes) {
    if (measured === size) return perPairMs.get(measured) ?? Number.NaN;
    if (measured > size) {
      if (measured === below || size < first) return perPairMs.get(measured) ?? Number.NaN;
      const low = perPairMs.get(below) ?? Number.NaN;
      const high = perPairMs.get(measured) ?? Number.NaN;
      return low + ((high - low) * (size - below)) / (measured - below);
    }
    below = measured;
  }
  return perPairMs.get(below) ?? Number.NaN;
}

/**
 * A smaller split must be predicted this much faster than all pairs per run to be chosen: calibration
 * runs on a possibly busy machine, and "all" is the safe default (fewest runs, best on GPUs).
 */
export const SPLIT_MARGIN = 0.03;

/**
 * The pairs per run with the least predicted mean time per pair over the sweep's label counts,
 * each count split into balanced runs. Ties go to fewer runs, then to the smaller size (20 labels
 * at 10 or at 19 per run are the same two runs of 10: that is 10). The largest size (all pairs)
 * wins unless the best is more than SPLIT_MARGIN faster.
 */
export function choosePairsPerRun(perPairMs: ReadonlyMap<number, number>, labelCounts: readonly number[]): number {
  const largest = Math.max(...labelCounts);
  const predicted = (size: number) => {
    const splits = labelCounts.map((count) => runSizes(count, size));
    const cost = splits.reduce((sum, sizes, index) => sum + sizes.reduce((total, rows) => total + rows * perPairCost(perPairMs, rows), 0) / (labelCounts[index] ?? 1), 0);
    return { size, cost, runs: splits.reduce((sum, sizes) => sum + sizes.length, 0) };
  };
  let best = predicted(largest);
  const all = best;
  for (let size = 1; size < largest; size += 1) {
    const candidate = predicted(size);
    const cheaper = candidate.cost < best.cost - 1e-9;
    const tied = Math.abs(candidate.cost - best.cost) <= 1e-9;
    if (cheaper || (tied && candidate.runs < best.runs)) best = candidate;
  }
  return best.cost < all.cost / (1 + SPLIT_MARGIN) ? best.size : all.size;
}

export interface CalibrationRequest {
  text: string;
  /** As many labels as the largest label count of the sweep. */
  labels: readonly string[];
  labelCounts: readonly number[];
  template: string;
  rounds?: number;
  /** JSON file of calibrations per host, model, precision, provider and thread count; none: always measure. */
  cacheFile?: string;
  /** Ctrl-C: checked before every timed run (calibration takes seconds to minutes). */
  signal?: AbortSignal;
  /** Measure afresh even when the cache holds a calibration (`run --reprobe`). */
  fresh?: boolean;
  /** The machine's state now (tests pass fixed readings). */
  readMachine?: () => MachineReading;
}

/** The per-host cache of calibrations, beside the built models. */
export function pairsCalibrationCacheFile(): string {
  return join(zscBenchHome(), 'calibration', 'pairs-per-run.json');
}

/** Identifies what a calibration is valid for: the model file by path, size and modification time, and the session's settings. */
export function calibrationKey(classifier: Classifier): string {
  const stat = statSync(classifier.model.onnxFile);
  // A session off ONNX Runtime's defaults (graph level, memory, execution mode) splits at its own speed.
  const variant = classifier.sessionVariant ?? '';
  return [hostname(), classifier.model.onnxFile, stat.size, Math.round(stat.mtimeMs), classifier.model.precision, classifier.provider, `threads=${classifier.intraOpThreads}`, ...(variant === '' ? [] : [variant])].join('|');
}

interface CachedMeasurement {
  perPairMs: Record<string, number>;
  sequence: number;
  rounds: number;
  measuredAt: string;
  machine?: ProbeMachine;
}

const isCachedMeasurement = (value: unknown): value is CachedMeasurement =>
  typeof value === 'object' && value !== null && typeof (value as CachedMeasurement).perPairMs === 'object' && typeof (value as CachedMeasurement).measuredAt === 'string';

export async function calibratePairsPerRun(classifier: Classifier, request: CalibrationRequest): Promise<PairsCalibration> {
  const sizes = calibrationSizes(request.labels.length);
  const key = request.cacheFile === undefined ? undefined : calibrationKey(classifier);
  const cached = request.cacheFile === undefined || key === undefined || request.fresh === true ? undefined : readCacheEntry(request.cacheFile, key, isCachedMeasurement);
  const measured = cached !== undefined && sizes.every((size) => Number.isFinite(cached.perPairMs[String(size)])) ? { ...cached, cached: true } : undefined;
  let result: CachedMeasurement & { cached: boolean; notCached?: boolean } | undefined = measured;
  if (result === undefined) {
    const read = request.readMachine ?? readMachine;
    const before = read();
    const fresh = await measure(classifier, request, sizes);
    const machine = probeMachine(before, read(), cpus().length);
    const keep = cacheable(machine);
    if (keep && request.cacheFile !== undefined && key !== undefined) writeCacheEntry(request.cacheFile, key, { ...fresh, machine });
    result = { ...fresh, machine, cached: false, ...(keep ? {} : { notCached: true }) };
  }
  const costs = new Map(sizes.map((size) => [size, result.perPairMs[String(size)] ?? Number.NaN]));
  return { ...result, pairsPerRun: choosePairsPerRun(costs, request.labelCounts) };
}

async function measure(classifier: Classifier, request: CalibrationRequest, sizes: readonly number[]): Promise<CachedMeasurement> {
  const rounds = request.rounds ?? 5;
  const batches = sizes.map((size) => classifier.encode(request.text, request.labels.slice(0, size), request.template).batch);
  // The largest run first, untimed: it grows the memory arena once for every smaller shape.
  for (const batch of [...batches].reverse()) {
    request.signal?.throwIfAborted();
    await classifier.run(batch);
  }
  const samples = sizes.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    // Rotated order: slow drift of this machine's speed hits every size alike.
    for (let step = 0; step < sizes.length; step += 1) {
      const index = (step + round) % sizes.length;
      const batch = batches[index];
      if (batch === undefined) continue;
      request.signal?.throwIfAborted();
      const started = performance.now();
      await classifier.run(batch);
      samples[index]?.push((performance.now() - started) / batch.rows);
    }
  }
  const perPairMs = Object.fromEntries(sizes.map((size, index) => [String(size), median(samples[index] ?? [])]));
  return { perPairMs, sequence: batches[batches.length - 1]?.sequence ?? 0, rounds, measuredAt: new Date().toISOString() };
}
