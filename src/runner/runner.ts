import { EventEmitter } from 'node:events';
import type { Batching, Classifier } from '../core/classifier.js';
import { gpuMemoryUsedMiB } from '../env/gpu.js';
import { peakRssBytes } from '../env/memory.js';
import { labelSet } from './label-sets.js';

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
  batching: Batching;
  seed: number;
  /** Ask nvidia-smi for this process's GPU memory after each label count. */
  measureGpuMemory: boolean;
}

/** One timed classification. */
export interface Sample {
  labelCount: number;
  itemId: string;
  repeat: number;
  totalMs: number;
  inferenceMs: number;
  tokenizeMs: number;
  runs: number;
  predicted: string;
  gold: string;
}

export interface LabelCountMeasurement {
  labelCount: number;
  samples: Sample[];
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssBytes: number;
  gpuMemoryMiB?: number;
}

export type RunOutcome =
  | { state: 'completed'; firstInferenceMs: number; measurements: LabelCountMeasurement[] }
  | { state: 'aborted'; firstInferenceMs: number; measurements: LabelCountMeasurement[]; abortedAt: number };

export interface RunnerEvents {
  progress: [{ labelCount: number; done: number; total: number; overallDone: number; overallTotal: number }];
  labelCount: [LabelCountMeasurement];
  coldStart: [number];
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
    const firstInferenceMs = await this.coldStart(plan);
    this.emit('coldStart', firstInferenceMs);
    for (const [countIndex, labelCount] of plan.labelCounts.entries()) {
      const labelSets = plan.items.map((item) => labelSet(item.label, plan.labelPool, labelCount, item.id, plan.seed));
      const options = { template: plan.template, batching: plan.batching };
      for (let warm = 0; warm < plan.warmup; warm += 1) {
        const index = warm % plan.items.length;
        await this.classifier.classify(plan.items[index]?.text ?? '', labelSets[index] ?? [], options);
      }
      const samples: Sample[] = [];
      const cpuBefore = process.cpuUsage();
      const wallStarted = performance.now();
      for (let repeat = 0; repeat < plan.repeats; repeat += 1) {
        for (const [index, item] of plan.items.entries()) {
          if (signal?.aborted === true) return { state: 'aborted', firstInferenceMs, measurements, abortedAt: labelCount };
          const result = await this.classifier.classify(item.text, labelSets[index] ?? [], options);
          samples.push({
            labelCount,
            itemId: item.id,
            repeat,
            totalMs: result.timings.totalMs,
            inferenceMs: result.timings.inferenceMs,
            tokenizeMs: result.timings.tokenizeMs,
            runs: result.timings.runs,
            predicted: result.labels[0] ?? '',
            gold: item.label,
          });
          this.emit('progress', { labelCount, done: samples.length, total: perCount, overallDone: countIndex * perCount + samples.length, overallTotal });
        }
      }
      const wallMs = performance.now() - wallStarted;
      const cpu = process.cpuUsage(cpuBefore);
      const measurement: LabelCountMeasurement = {
        labelCount,
        samples,
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
    return { state: 'completed', firstInferenceMs, measurements };
  }

  /** The very first inference after loading: the cold-start cost a serverless user pays. */
  private async coldStart(plan: RunPlan): Promise<number> {
    const item = plan.items[0];
    const count = plan.labelCounts[0];
    if (item === undefined || count === undefined) return Number.NaN;
    const labels = labelSet(item.label, plan.labelPool, count, item.id, plan.seed);
    const result = await this.classifier.classify(item.text, labels, { template: plan.template, batching: plan.batching });
    return result.timings.totalMs;
  }
}
