import { EventEmitter } from 'node:events';
import type { Classifier } from '../core/classifier.js';
import type { PairsPerRun } from '../profiles/profile.js';
import type { BenchItem } from './runner.js';
import { labelSet } from './label-sets.js';
import { calibratePairsPerRun } from './pairs-calibration.js';

/** One side of an A/B comparison: a loaded classifier and how it classifies. */
export interface AbSide {
  classifier: Classifier;
  template: string;
  pairsPerRun: PairsPerRun;
}

export interface AbPlan {
  items: readonly BenchItem[];
  labelCounts: readonly number[];
  labelPool: readonly string[];
  /** Pass pairs per label count: pair k runs A then B when k is even, B then A when odd (A B B A ...). */
  pairs: number;
  warmup: number;
  seed: number;
}

/** One pass: every item once on one side, in item order. */
export interface AbPass {
  side: 'a' | 'b';
  pair: number;
  /** 0 for the first pass of its pair, 1 for the second. */
  position: 0 | 1;
  totalMs: number[];
}

export interface AbLabelCount {
  labelCount: number;
  passes: AbPass[];
}

export type AbOutcome =
  | { state: 'completed'; measurements: AbLabelCount[] }
  | { state: 'aborted'; measurements: AbLabelCount[]; abortedAt: number };

export interface AbRunnerEvents {
  progress: [{ labelCount: number; overallDone: number; overallTotal: number }];
  /** What each side's pairs-per-run setting resolved to (undefined: all pairs of a text in one run). */
  resolved: [{ a: number | undefined; b: number | undefined }];
  labelCount: [AbLabelCount];
}

/**
 * Alternates passes of two configurations on this machine (A B B A ...), so slow drift and
 * neighbours' load hit both sides alike and each pair of adjacent passes is one fair ratio.
 * Reports through events; never prints.
 */
export class AbRunner extends EventEmitter<AbRunnerEvents> {
  constructor(
    private readonly a: AbSide,
    private readonly b: AbSide,
  ) {
    super();
  }

  async run(plan: AbPlan, signal?: AbortSignal): Promise<AbOutcome> {
    const measurements: AbLabelCount[] = [];
    const perPass = plan.items.length;
    const overallTotal = perPass * 2 * plan.pairs * plan.labelCounts.length;
    let overallDone = 0;
    const options = { a: await this.resolve(this.a, plan), b: await this.resolve(this.b, plan) };
    this.emit('resolved', { a: options.a.pairsPerRun, b: options.b.pairsPerRun });
    for (const labelCount of plan.labelCounts) {
      const labelSets = plan.items.map((item) => labelSet(item.label, plan.labelPool, labelCount, item.id, plan.seed));
      for (const name of ['a', 'b'] as const) {
        const side = name === 'a' ? this.a : this.b;
        for (let warm = 0; warm < plan.warmup; warm += 1) {
          const index = warm % plan.items.length;
          await side.classifier.classify(plan.items[index]?.text ?? '', labelSets[index] ?? [], options[name]);
        }
      }
      const passes: AbPass[] = [];
      for (let pair = 0; pair < plan.pairs; pair += 1) {
        const order: Array<'a' | 'b'> = pair % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
        for (const [position, name] of order.entries()) {
          const side = name === 'a' ? this.a : this.b;
          const totalMs: number[] = [];
          for (const [index, item] of plan.items.entries()) {
            if (signal?.aborted === true) return { state: 'aborted', measurements, abortedAt: labelCount };
            const result = await side.classifier.classify(item.text, labelSets[index] ?? [], options[name]);
            totalMs.push(result.timings.totalMs);
            overallDone += 1;
            this.emit('progress', { labelCount, overallDone, overallTotal });
          }
          passes.push({ side: name, pair, position: position === 0 ? 0 : 1, totalMs });
        }
      }
      const measurement = { labelCount, passes };
      measurements.push(measurement);
      this.emit('labelCount', measurement);
    }
    return { state: 'completed', measurements };
  }

  /** A side's classify options; `auto` pairs per run is calibrated on this side's session, as `run` does. */
  private async resolve(side: AbSide, plan: AbPlan): Promise<{ template: string; pairsPerRun?: number }> {
    if (side.pairsPerRun === 'all') return { template: side.template };
    if (side.pairsPerRun !== 'auto') return { template: side.template, pairsPerRun: side.pairsPerRun };
    const item = plan.items[0];
    if (item === undefined) return { template: side.template };
    const largest = Math.max(...plan.labelCounts);
    const calibration = await calibratePairsPerRun(side.classifier, {
      text: item.text,
      labels: labelSet(item.label, plan.labelPool, largest, item.id, plan.seed),
      labelCounts: plan.labelCounts,
      template: side.template,
    });
    return { template: side.template, pairsPerRun: calibration.pairsPerRun };
  }
}
