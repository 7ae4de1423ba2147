import { EventEmitter } from 'node:events';
import type { Classifier } from '../core/classifier.js';
import type { PairsPerRun } from '../profiles/profile.js';
import { labelSetsOf, resolvePairsPerRun, warmUp, type BenchItem } from './workload.js';
import { runStages } from './stages.js';

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

  async run(plan: AbPlan, signal: AbortSignal = new AbortController().signal): Promise<AbOutcome> {
    const measurements: AbLabelCount[] = [];
    let current = plan.labelCounts[0] ?? 0;
    const outcome = await runStages(
      [
        {
          name: 'ab',
          run: async (stageSignal) => {
            const options = { a: await this.resolve(this.a, plan, stageSignal), b: await this.resolve(this.b, plan, stageSignal) };
            this.emit('resolved', { a: options.a.pairsPerRun, b: options.b.pairsPerRun });
            for (const labelCount of plan.labelCounts) {
              current = labelCount;
              const measurement = await this.labelCount(plan, labelCount, options, measurements.length, stageSignal);
              measurements.push(measurement);
              this.emit('labelCount', measurement);
            }
          },
        },
      ],
      signal,
    );
    return outcome.state === 'completed' ? { state: 'completed', measurements } : { state: 'aborted', measurements, abortedAt: current };
  }

  /** Both sides warmed up, then `pairs` pass pairs in A B B A order. */
  private async labelCount(plan: AbPlan, labelCount: number, options: Record<'a' | 'b', { template: string; pairsPerRun?: number }>, countIndex: number, signal: AbortSignal): Promise<AbLabelCount> {
    const perPass = plan.items.length;
    const overallTotal = perPass * 2 * plan.pairs * plan.labelCounts.length;
    let overallDone = countIndex * perPass * 2 * plan.pairs;
    const labelSets = labelSetsOf(plan.items, plan.labelPool, labelCount, plan.seed);
    for (const name of ['a', 'b'] as const) {
      await warmUp(this.side(name).classifier, { items: plan.items, labelSets, runs: plan.warmup, options: options[name] }, signal);
    }
    const passes: AbPass[] = [];
    for (let pair = 0; pair < plan.pairs; pair += 1) {
      for (const [position, name] of passOrder(pair).entries()) {
        const side = this.side(name);
        const totalMs: number[] = [];
        for (const [index, item] of plan.items.entries()) {
          signal.throwIfAborted();
          const result = await side.classifier.classify(item.text, labelSets[index] ?? [], options[name]);
          totalMs.push(result.timings.totalMs);
          overallDone += 1;
          this.emit('progress', { labelCount, overallDone, overallTotal });
        }
        passes.push({ side: name, pair, position: position === 0 ? 0 : 1, totalMs });
      }
    }
    return { labelCount, passes };
  }

  private side(name: 'a' | 'b'): AbSide {
    return name === 'a' ? this.a : this.b;
  }

  /** A side's classify options; `auto` pairs per run is calibrated on this side's session, as `run` does. */
  private async resolve(side: AbSide, plan: AbPlan, signal: AbortSignal): Promise<{ template: string; pairsPerRun?: number }> {
    const { pairsPerRun } = await resolvePairsPerRun(side.classifier, side.pairsPerRun, { item: plan.items[0], labelPool: plan.labelPool, labelCounts: plan.labelCounts, template: side.template, seed: plan.seed }, { signal });
    return { template: side.template, ...(pairsPerRun !== undefined ? { pairsPerRun } : {}) };
  }
}

/** Pair k runs A then B when k is even, B then A when odd: A B B A A B ... */
export function passOrder(pair: number): ['a', 'b'] | ['b', 'a'] {
  return pair % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
}
