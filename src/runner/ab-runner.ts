import { EventEmitter } from 'node:events';
import type { Batching, Classifier } from '../core/classifier.js';
import type { BenchItem } from './runner.js';
import { labelSet } from './label-sets.js';

/** One side of an A/B comparison: a loaded classifier and how it classifies. */
export interface AbSide {
  classifier: Classifier;
  template: string;
  batching: Batching;
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
    for (const labelCount of plan.labelCounts) {
      const labelSets = plan.items.map((item) => labelSet(item.label, plan.labelPool, labelCount, item.id, plan.seed));
      for (const side of [this.a, this.b]) {
        for (let warm = 0; warm < plan.warmup; warm += 1) {
          const index = warm % plan.items.length;
          await side.classifier.classify(plan.items[index]?.text ?? '', labelSets[index] ?? [], { template: side.template, batching: side.batching });
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
            const result = await side.classifier.classify(item.text, labelSets[index] ?? [], { template: side.template, batching: side.batching });
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
}
