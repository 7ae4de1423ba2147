import { EventEmitter } from 'node:events';
import type { Classifier, RunShape } from '../core/classifier.js';
import { encoderRunFlops } from '../core/flops.js';
import type { PairsPerRun } from '../profiles/profile.js';
import type { PairsCalibration } from './pairs-calibration.js';
import { gpuMemoryUsedMiB } from '../env/gpu.js';
import { peakRssBytes, resetPeakRss } from '../env/memory.js';
import { raplJoules, readRaplEnergy, type HardwareSample } from '../env/hardware-sample.js';
import { machineConditions, readGovernor, readMachine, readTurbo, type MachineConditions } from '../env/machine-state.js';
import { labelSet } from './label-sets.js';
import type { ProcessSample, Sample } from '../schema/results.js';
import { formatSampleScores } from './sample-scores.js';
import { labelSetsOf, resolvePairsPerRun, warmUp, type BenchItem } from './workload.js';
import type { Stage } from './stages.js';

export type { BenchItem };

export interface RunPlan {
  items: readonly BenchItem[];
  labelCounts: readonly number[];
  labelPool: readonly string[];
  repeats: number;
  warmup: number;
  template: string;
  /** `auto` is calibrated after the cold start, before the sweep. */
  pairsPerRun: PairsPerRun;
  /** Where `auto` calibrations are cached (per host, model, precision, provider, threads). */
  calibrationCacheFile?: string;
  /** Calibrate afresh even when the cache holds a calibration. */
  recalibrate?: boolean;
  seed: number;
  /**
   * Offline scenario (MLPerf's Offline): after each label count's single-stream samples, every item
   * once more in batches of each of these sizes, all pairs of a batch in one session.run. Empty: none.
   */
  offlineBatchSizes: readonly number[];
  /** Ask nvidia-smi for this process's GPU memory after each label count. */
  measureGpuMemory: boolean;
}

export type { Sample };

/** One offline pass: every item once, `batchItems` items per session.run. */
export interface OfflinePass {
  batchItems: number;
  items: number;
  pairs: number;
  runs: number;
  wallMs: number;
}

export interface LabelCountMeasurement {
  labelCount: number;
  /** In sweep order; with several processes, each sample says which one measured it. */
  samples: ProcessSample[];
  /** Filled after the single-stream sweep when the plan has offline batch sizes. */
  offline: OfflinePass[];
  /** Epoch ms of the timed loop's start and end: the window for hardware samples. */
  startedAtMs: number;
  endedAtMs: number;
  /** CPU package energy of the timed loop from the RAPL counter, when readable. */
  raplJoules?: number;
  /** Clock, temperature and power samples taken during the timed loop (filled by the caller's monitor). */
  hardware: HardwareSample[];
  /** Load, steal and other processes' CPU over the timed loop; governor and turbo (absent: not measured). */
  machine?: MachineConditions;
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** This label count's own peak: the mark is reset to the current RSS before its warm-up. */
  peakRssBytes: number;
  gpuMemoryMiB?: number;
}

export interface RunnerEvents {
  /**
   * After every classification: samples done (of this label count and overall) and pairs done,
   * cold start and warm-up runs included, the unit a time estimate needs (cost grows with pairs).
   */
  progress: [{ labelCount: number; done: number; total: number; overallDone: number; overallTotal: number; pairsDone: number; pairsTotal: number }];
  labelCount: [LabelCountMeasurement];
  coldStart: [number];
  calibrated: [PairsCalibration];
  /** A label count's offline passes are done (its measurement now holds them). */
  offline: [LabelCountMeasurement];
  /** After each offline pass: items classified of every offline pass's total (no ETA from the sweep's pace). */
  offlineProgress: [{ labelCount: number; batchItems: number; itemsDone: number; itemsTotal: number }];
}

/**
 * The (text, label) pairs the sweep classifies: `timed` ones (every item `repeats` times per label
 * count) and `untimed` ones (the cold start at the first count, the warm-up runs of each count).
 * Progress counts both; the plan says both, so the two add up.
 */
export function sweepPairs(plan: Pick<RunPlan, 'labelCounts' | 'items' | 'repeats' | 'warmup'>): { timed: number; untimed: number } {
  const perCount = plan.items.length * plan.repeats;
  const labels = plan.labelCounts.reduce((sum, count) => sum + count, 0);
  return { timed: labels * perCount, untimed: (plan.labelCounts[0] ?? 0) + labels * plan.warmup };
}

/**
 * Measures one loaded classifier: the cold start, the `auto` calibration, the label sweep and
 * the offline passes, each a stage of a run (stages.ts), reporting through events; it never
 * prints. The timing loop is our own rather than tinybench's: tinybench keeps samples sorted
 * (losing which item and repeat each belongs to), cannot pair a sample with its session.run
 * time, and reports per task, not per iteration, so a progress bar could not move. session.run
 * blocks the event loop, so the abort signal is checked between classifications.
 */
export class BenchmarkRunner extends EventEmitter<RunnerEvents> {
  /** Measurements of completed label counts, in sweep order. */
  readonly measurements: LabelCountMeasurement[] = [];
  firstInferenceMs = Number.NaN;
  /** What the plan's pairs-per-run setting resolved to (undefined: all pairs of a text per run). */
  pairsPerRun: number | undefined;
  /** The label count being measured, for "interrupted at N labels". */
  private current = 0;
  private pairsDone = 0;

  constructor(private readonly classifier: Classifier) {
    super();
  }

  /** The label count the sweep was in (or last finished) when it stopped. */
  get labelCountInProgress(): number {
    return this.current;
  }

  /** The stages of a run after its model opened: calibrate, sweep, and offline when the plan has batch sizes. */
  stages(plan: RunPlan): Stage[] {
    return [
      { name: 'calibrate', run: (signal) => this.calibrate(plan, signal) },
      { name: 'sweep', run: (signal) => this.sweep(plan, signal) },
      { name: 'offline', enabled: () => plan.offlineBatchSizes.length > 0, run: (signal) => this.offline(plan, signal) },
    ];
  }

  /** Work units of the sweep: pairs, the cold start and warm-up runs included (cost grows with pairs). */
  pairsTotal(plan: RunPlan): number {
    const pairs = sweepPairs(plan);
    return pairs.timed + pairs.untimed;
  }

  /** The cold start, then what `auto` pairs per run means here (measured once per host and cached). */
  async calibrate(plan: RunPlan, signal: AbortSignal): Promise<void> {
    const perCount = plan.items.length * plan.repeats;
    const firstCount = plan.labelCounts[0] ?? 0;
    this.current = firstCount;
    this.firstInferenceMs = await this.coldStart(plan);
    this.emit('coldStart', this.firstInferenceMs);
    this.pairsDone = firstCount;
    this.emit('progress', { labelCount: firstCount, done: 0, total: perCount, overallDone: 0, overallTotal: perCount * plan.labelCounts.length, pairsDone: this.pairsDone, pairsTotal: this.pairsTotal(plan) });
    const resolved = await resolvePairsPerRun(
      this.classifier,
      plan.pairsPerRun,
      { item: plan.items[0], labelPool: plan.labelPool, labelCounts: plan.labelCounts, template: plan.template, seed: plan.seed },
      { ...(plan.calibrationCacheFile !== undefined ? { cacheFile: plan.calibrationCacheFile } : {}), signal, fresh: plan.recalibrate === true },
    );
    this.pairsPerRun = resolved.pairsPerRun;
    if (resolved.calibration !== undefined) this.emit('calibrated', resolved.calibration);
  }

  /** Every item `repeats` times at each label count, after `warmup` untimed runs; one measurement per count. */
  async sweep(plan: RunPlan, signal: AbortSignal): Promise<void> {
    const perCount = plan.items.length * plan.repeats;
    const overallTotal = perCount * plan.labelCounts.length;
    const pairsTotal = this.pairsTotal(plan);
    const options = { template: plan.template, ...(this.pairsPerRun !== undefined ? { pairsPerRun: this.pairsPerRun } : {}) };
    for (const [countIndex, labelCount] of plan.labelCounts.entries()) {
      this.current = labelCount;
      const labelSets = labelSetsOf(plan.items, plan.labelPool, labelCount, plan.seed);
      resetPeakRss();
      await warmUp(this.classifier, { items: plan.items, labelSets, runs: plan.warmup, options }, signal, () => {
        this.pairsDone += labelCount;
        this.emit('progress', { labelCount, done: 0, total: perCount, overallDone: countIndex * perCount, overallTotal, pairsDone: this.pairsDone, pairsTotal });
      });
      const samples: Sample[] = [];
      // The machine and energy reads sit outside the CPU window: CPU % is CPU time over the same
      // wall time (on the tiny model's millisecond loops, reads inside made it 318% of 2 cores).
      const energyBefore = readRaplEnergy();
      const machineBefore = readMachine();
      const startedAtMs = Date.now();
      const cpuBefore = process.cpuUsage();
      const wallStarted = performance.now();
      for (let repeat = 0; repeat < plan.repeats; repeat += 1) {
        for (const [index, item] of plan.items.entries()) {
          signal.throwIfAborted();
          const result = await this.classifier.classify(item.text, labelSets[index] ?? [], options);
          samples.push({
            labelCount,
            itemId: item.id,
            repeat,
            totalMs: result.timings.totalMs,
            inferenceMs: result.timings.inferenceMs,
            tokenizeMs: result.timings.tokenizeMs,
            runs: result.timings.runs,
            gflop: this.gflopOf(result.runShapes),
            predicted: result.labels[0] ?? '',
            gold: item.label,
            scores: formatSampleScores(labelSets[index] ?? [], result),
          });
          this.pairsDone += labelCount;
          this.emit('progress', { labelCount, done: samples.length, total: perCount, overallDone: countIndex * perCount + samples.length, overallTotal, pairsDone: this.pairsDone, pairsTotal });
        }
      }
      const wallMs = performance.now() - wallStarted;
      const cpu = process.cpuUsage(cpuBefore);
      const endedAtMs = Date.now();
      const energyAfter = readRaplEnergy();
      const machineAfter = readMachine();

      const measurement: LabelCountMeasurement = {
        labelCount,
        samples,
        offline: [],
        startedAtMs,
        endedAtMs,
        hardware: [],
        machine: machineConditions(machineBefore, machineAfter, { governor: readGovernor(), turbo: readTurbo() }),
        ...(energyBefore !== undefined && energyAfter !== undefined ? { raplJoules: raplJoules(energyBefore, energyAfter) } : {}),
        wallMs,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        peakRssBytes: peakRssBytes(),
      };
      if (plan.measureGpuMemory) {
        const gpu = await gpuMemoryUsedMiB();
        if (gpu !== undefined) measurement.gpuMemoryMiB = gpu;
      }
      this.measurements.push(measurement);
      this.emit('labelCount', measurement);
    }
  }

  /**
   * Offline passes come after the whole single-stream sweep, so their big batches never raise the
   * single-stream rows' peak memory: every completed label count, each batch size once.
   */
  async offline(plan: RunPlan, signal: AbortSignal): Promise<void> {
    const itemsTotal = plan.offlineBatchSizes.length * this.measurements.length * plan.items.length;
    let itemsDone = 0;
    const firstCount = this.measurements[0]?.labelCount;
    const firstBatch = plan.offlineBatchSizes[0];
    if (firstCount !== undefined && firstBatch !== undefined) this.emit('offlineProgress', { labelCount: firstCount, batchItems: firstBatch, itemsDone: 0, itemsTotal });
    for (const measurement of this.measurements) {
      this.current = measurement.labelCount;
      const labelSets = labelSetsOf(plan.items, plan.labelPool, measurement.labelCount, plan.seed);
      for (const batchItems of plan.offlineBatchSizes) {
        measurement.offline.push(await this.offlinePass(plan, labelSets, batchItems, signal));
        itemsDone += plan.items.length;
        this.emit('offlineProgress', { labelCount: measurement.labelCount, batchItems, itemsDone, itemsTotal });
      }
      this.emit('offline', measurement);
    }
  }

  /**
   * Every item once, `batchItems` at a time through classifyMany (all their pairs in one run,
   * padded to the longest), after one untimed batch so the run shape's buffers exist. Items keep
   * the dataset order: no sorting by length, so the padding a plain batch job pays is in the figure.
   */
  private async offlinePass(plan: RunPlan, labelSets: readonly string[][], batchItems: number, signal: AbortSignal): Promise<OfflinePass> {
    const requests = plan.items.map((item, index) => ({ text: item.text, labels: labelSets[index] ?? [], options: { template: plan.template } }));
    signal.throwIfAborted();
    await this.classifier.classifyMany(requests.slice(0, batchItems));
    let runs = 0;
    const started = performance.now();
    for (let start = 0; start < requests.length; start += batchItems) {
      signal.throwIfAborted();
      const results = await this.classifier.classifyMany(requests.slice(start, start + batchItems));
      runs += results[0]?.timings.runs ?? 0;
    }
    const wallMs = performance.now() - started;
    return { batchItems, items: requests.length, pairs: requests.reduce((sum, request) => sum + request.labels.length, 0), runs, wallMs };
  }

  private gflopOf(shapes: readonly RunShape[]): number {
    const { dims, classes } = this.classifier.model;
    if (dims === undefined) return Number.NaN;
    return shapes.reduce((sum, shape) => sum + encoderRunFlops(dims, shape.rows, shape.sequence, classes), 0) / 1e9;
  }

  /** The very first inference after loading: the cold-start cost a serverless user pays. */
  private async coldStart(plan: RunPlan): Promise<number> {
    const item = plan.items[0];
    const count = plan.labelCounts[0];
    if (item === undefined || count === undefined) return Number.NaN;
    const labels = labelSet(item.label, plan.labelPool, count, item.id, plan.seed);
    // With `auto` the size is not known yet: the cold start runs all pairs at once.
    const pairsPerRun = typeof plan.pairsPerRun === 'number' ? { pairsPerRun: plan.pairsPerRun } : {};
    const result = await this.classifier.classify(item.text, labels, { template: plan.template, ...pairsPerRun });
    return result.timings.totalMs;
  }
}
