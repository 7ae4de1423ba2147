import { EventEmitter } from 'node:events';
import type { Classifier, RunShape } from '../core/classifier.js';
import { encoderRunFlops } from '../core/flops.js';
import type { PairsPerRun } from '../profiles/profile.js';
import { calibratePairsPerRun, type PairsCalibration } from './pairs-calibration.js';
import { gpuMemoryUsedMiB } from '../env/gpu.js';
import { peakRssBytes, resetPeakRss } from '../env/memory.js';
import { raplJoules, readRaplEnergy, type HardwareSample } from '../env/hardware-sample.js';
import { labelSet } from './label-sets.js';
import type { Sample } from '../schema/results.js';

export interface BenchItem {
  id: string;
  label: string;
  text: string;
}

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
  samples: Sample[];
  /** Filled after the single-stream sweep when the plan has offline batch sizes. */
  offline: OfflinePass[];
  /** Epoch ms of the timed loop's start and end: the window for hardware samples. */
  startedAtMs: number;
  endedAtMs: number;
  /** CPU package energy of the timed loop from the RAPL counter, when readable. */
  raplJoules?: number;
  /** Clock, temperature and power samples taken during the timed loop (filled by the caller's monitor). */
  hardware: HardwareSample[];
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** This label count's own peak: the mark is reset to the current RSS before its warm-up. */
  peakRssBytes: number;
  gpuMemoryMiB?: number;
}

export type RunOutcome =
  | { state: 'completed'; firstInferenceMs: number; pairsPerRun: number | undefined; measurements: LabelCountMeasurement[] }
  | { state: 'aborted'; firstInferenceMs: number; pairsPerRun: number | undefined; measurements: LabelCountMeasurement[]; abortedAt: number };

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
 * Runs the label sweep and reports through events; it never prints. The timing loop is our
 * own rather than tinybench's: tinybench keeps samples sorted (losing which item and repeat
 * each belongs to), cannot pair a sample with its session.run time, and reports per task, not
 * per iteration, so a progress bar could not move. session.run blocks the event loop, so the
 * abort signal is checked between classifications.
 */
export class BenchmarkRunner extends EventEmitter<RunnerEvents> {
  constructor(private readonly classifier: Classifier) {
    super();
  }

  async run(plan: RunPlan, signal?: AbortSignal): Promise<RunOutcome> {
    const measurements: LabelCountMeasurement[] = [];
    const perCount = plan.items.length * plan.repeats;
    const overallTotal = perCount * plan.labelCounts.length;
    const firstCount = plan.labelCounts[0] ?? 0;
    const pairsTotal = firstCount + plan.labelCounts.reduce((sum, count) => sum + count * (plan.warmup + perCount), 0);
    let pairsDone = 0;
    const firstInferenceMs = await this.coldStart(plan);
    this.emit('coldStart', firstInferenceMs);
    pairsDone += firstCount;
    this.emit('progress', { labelCount: firstCount, done: 0, total: perCount, overallDone: 0, overallTotal, pairsDone, pairsTotal });
    const pairsPerRun = await this.resolvePairsPerRun(plan);
    for (const [countIndex, labelCount] of plan.labelCounts.entries()) {
      const labelSets = plan.items.map((item) => labelSet(item.label, plan.labelPool, labelCount, item.id, plan.seed));
      const options = { template: plan.template, ...(pairsPerRun !== undefined ? { pairsPerRun } : {}) };
      resetPeakRss();
      for (let warm = 0; warm < plan.warmup; warm += 1) {
        const index = warm % plan.items.length;
        await this.classifier.classify(plan.items[index]?.text ?? '', labelSets[index] ?? [], options);
        pairsDone += labelCount;
        this.emit('progress', { labelCount, done: 0, total: perCount, overallDone: countIndex * perCount, overallTotal, pairsDone, pairsTotal });
      }
      const samples: Sample[] = [];
      const cpuBefore = process.cpuUsage();
      const energyBefore = readRaplEnergy();
      const startedAtMs = Date.now();
      const wallStarted = performance.now();
      for (let repeat = 0; repeat < plan.repeats; repeat += 1) {
        for (const [index, item] of plan.items.entries()) {
          if (signal?.aborted === true) return { state: 'aborted', firstInferenceMs, pairsPerRun, measurements, abortedAt: labelCount };
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
          });
          pairsDone += labelCount;
          this.emit('progress', { labelCount, done: samples.length, total: perCount, overallDone: countIndex * perCount + samples.length, overallTotal, pairsDone, pairsTotal });
        }
      }
      const wallMs = performance.now() - wallStarted;
      const endedAtMs = Date.now();
      const energyAfter = readRaplEnergy();
      const cpu = process.cpuUsage(cpuBefore);

      const measurement: LabelCountMeasurement = {
        labelCount,
        samples,
        offline: [],
        startedAtMs,
        endedAtMs,
        hardware: [],
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
      measurements.push(measurement);
      this.emit('labelCount', measurement);
    }
    // Offline passes come after the whole single-stream sweep, so their big batches never
    // raise the single-stream rows' peak memory.
    const offlineItemsTotal = plan.offlineBatchSizes.length * measurements.length * plan.items.length;
    let offlineItemsDone = 0;
    const firstOfflineCount = measurements[0]?.labelCount;
    const firstBatch = plan.offlineBatchSizes[0];
    if (firstOfflineCount !== undefined && firstBatch !== undefined) this.emit('offlineProgress', { labelCount: firstOfflineCount, batchItems: firstBatch, itemsDone: 0, itemsTotal: offlineItemsTotal });
    for (const measurement of plan.offlineBatchSizes.length > 0 ? measurements : []) {
      const labelSets = plan.items.map((item) => labelSet(item.label, plan.labelPool, measurement.labelCount, item.id, plan.seed));
      for (const batchItems of plan.offlineBatchSizes) {
        if (signal?.aborted === true) return { state: 'aborted', firstInferenceMs, pairsPerRun, measurements, abortedAt: measurement.labelCount };
        measurement.offline.push(await this.offlinePass(plan, labelSets, batchItems));
        offlineItemsDone += plan.items.length;
        this.emit('offlineProgress', { labelCount: measurement.labelCount, batchItems, itemsDone: offlineItemsDone, itemsTotal: offlineItemsTotal });
      }
      this.emit('offline', measurement);
    }
    return { state: 'completed', firstInferenceMs, pairsPerRun, measurements };
  }

  /**
   * Every item once, `batchItems` at a time through classifyMany (all their pairs in one run,
   * padded to the longest), after one untimed batch so the run shape's buffers exist. Items keep
   * the dataset order: no sorting by length, so the padding a plain batch job pays is in the figure.
   */
  private async offlinePass(plan: RunPlan, labelSets: readonly string[][], batchItems: number): Promise<OfflinePass> {
    const requests = plan.items.map((item, index) => ({ text: item.text, labels: labelSets[index] ?? [], options: { template: plan.template } }));
    await this.classifier.classifyMany(requests.slice(0, batchItems));
    let runs = 0;
    const started = performance.now();
    for (let start = 0; start < requests.length; start += batchItems) {
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

  /** The pairs per run of the sweep: undefined is all pairs of a text in one run. */
  private async resolvePairsPerRun(plan: RunPlan): Promise<number | undefined> {
    if (plan.pairsPerRun === 'all') return undefined;
    if (plan.pairsPerRun !== 'auto') return plan.pairsPerRun;
    const item = plan.items[0];
    const largest = Math.max(...plan.labelCounts);
    if (item === undefined) return undefined;
    const calibration = await calibratePairsPerRun(this.classifier, {
      text: item.text,
      labels: labelSet(item.label, plan.labelPool, largest, item.id, plan.seed),
      labelCounts: plan.labelCounts,
      template: plan.template,
      ...(plan.calibrationCacheFile !== undefined ? { cacheFile: plan.calibrationCacheFile } : {}),
    });
    this.emit('calibrated', calibration);
    return calibration.pairsPerRun;
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
