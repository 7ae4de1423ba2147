/**
 * The machine's practical peak for MFU: a large MatMul at the run's precision through the same
 * ONNX Runtime, providers and thread count as the benchmark, best of several runs. Measured once
 * per host and configuration and cached with its date; `run` does it before loading the model,
 * so neither its memory nor its warm caches touch the benchmark's figures.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { openSession, type SessionSettings } from '../core/session.js';
import { cpuBudget } from '../env/cpu-budget.js';
import { cacheable, probeMachine, readMachine, type MachineReading, type ProbeMachine } from '../env/machine-state.js';
import { readCacheEntry, writeCacheEntry } from '../io/json-cache.js';
import { float32ToFloat16 } from '../models/float16.js';
import { matmulProbeModel, PROBE_SHAPE, probeFlops, probeInputType } from '../models/matmul-probe.js';
import type { Precision } from '../models/precision.js';
import { uniformFloats } from '../models/prng.js';
import { zscBenchHome } from '../model-store/source.js';

export interface PeakProbe {
  gflopPerS: number;
  /** e.g. `matmul 512x1024x4096 fp32, cpu, 2 thread(s), best of 8` (PROBE_SHAPE). */
  description: string;
  provider: string;
  intraOpThreads: number;
  measuredAt: string;
  cached: boolean;
  /** Load, steal and other processes' CPU while it ran (absent in entries cached before zsc-bench recorded them). */
  machine?: ProbeMachine;
  /** Measured now on a busy machine: used for this run, not written to the cache. */
  notCached?: boolean;
}

const WARMUP_RUNS = 2;
const TIMED_RUNS = 8;

export function peakCacheFile(): string {
  return join(zscBenchHome(), 'calibration', 'peak.json');
}

/** What a cached probe is valid for: host, CPU, ONNX Runtime version, precision, providers, threads and shape. */
export function peakCacheKey(precision: Precision, providers: string, threads: number): string {
  const shape = PROBE_SHAPE;
  return [hostname(), cpus()[0]?.model ?? '', ort.env.versions.common ?? '', precision, providers, `threads=${threads}`, `${shape.m}x${shape.k}x${shape.n}`].join('|');
}

const isPeak = (value: unknown): value is Omit<PeakProbe, 'cached'> =>
  typeof value === 'object' && value !== null && typeof (value as PeakProbe).gflopPerS === 'number' && typeof (value as PeakProbe).measuredAt === 'string';

export interface ProbeOptions {
  /** The per-host cache: read first, written after a probe on a quiet machine. */
  cacheFile?: string;
  /** Measure afresh even when the cache holds a probe (`run --reprobe`, or MFU above 100%). */
  fresh?: boolean;
  /** The machine's state now (tests pass fixed readings). */
  readMachine?: () => MachineReading;
}

/** Best GFLOP/s of the probe; reads `cacheFile` first when given (unless `fresh`). */
export async function probePeak(precision: Precision, settings: SessionSettings, options: ProbeOptions = {}): Promise<PeakProbe> {
  const read = options.readMachine ?? readMachine;
  const shape = PROBE_SHAPE;
  const requested = settings.providers.join('+') || 'cpu';
  const threads = settings.intraOpThreads ?? cpuBudget().threads;
  const key = peakCacheKey(precision, requested, threads);
  if (options.cacheFile !== undefined && options.fresh !== true) {
    const cached = readCacheEntry(options.cacheFile, key, isPeak);
    // A probe that fell back to the CPU answers for a later run only if that run may fall back too.
    if (cached !== undefined && (cached.provider === requested || settings.allowFallback === true)) return { ...cached, cached: true };
  }
  const folder = join(zscBenchHome(), 'calibration');
  const file = join(folder, `matmul-probe-${precision}-${shape.m}x${shape.k}x${shape.n}.onnx`);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    // Deterministic bytes: two processes writing it at once write the same file.
    writeFileSync(file, matmulProbeModel(precision, shape));
  }
  const opened = await openSession(file, { ...settings, intraOpThreads: threads });
  const before = read();
  try {
    const values = uniformFloats(shape.m * shape.k, 0x1234, 1);
    const input =
      probeInputType(precision) === 'float16' ? new ort.Tensor('float16', float32ToFloat16(values), [shape.m, shape.k]) : new ort.Tensor('float32', values, [shape.m, shape.k]);
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < WARMUP_RUNS + TIMED_RUNS; run += 1) {
      const started = performance.now();
      await opened.session.run({ x: input });
      const elapsed = performance.now() - started;
      if (run >= WARMUP_RUNS) best = Math.min(best, elapsed);
    }
    const probe = {
      gflopPerS: probeFlops(shape) / 1e9 / (best / 1000),
      description: `matmul ${shape.m}x${shape.k}x${shape.n} ${precision}, ${opened.provider}, ${opened.intraOpThreads} thread(s), best of ${TIMED_RUNS}`,
      provider: opened.provider,
      intraOpThreads: opened.intraOpThreads,
      measuredAt: new Date().toISOString(),
      machine: probeMachine(before, read(), cpus().length),
    };
    const keep = cacheable(probe.machine);
    if (options.cacheFile !== undefined && keep) writeCacheEntry(options.cacheFile, key, probe);
    return { ...probe, cached: false, ...(keep ? {} : { notCached: true }) };
  } finally {
    await opened.session.release();
  }
}
