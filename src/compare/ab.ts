/**
 * The A/B verdict, pure: per label count, the ratio A / B of a latency metric from interleaved
 * pass pairs, a t interval over the pairs, and a gate on it.
 */
import { pairedRatio } from '../stats/clustered.js';
import { decideVerdict, METRIC_STATISTICS, type Verdict } from './check.js';

export const AB_METRICS = ['mean', 'median'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export interface AbSettings {
  metric: AbMetric;
  /** Confidence of the two-sided interval (0.95). */
  level: number;
  /** With a threshold, a ratio whose whole interval is above 1 and whose estimate exceeds 1 + threshold is a regression. */
  maxRegression: number | undefined;
}

export interface AbComparison {
  labels: number;
  pairs: number;
  /** Geometric mean over passes of each pass's metric, per side. */
  aValueMs: number;
  bValueMs: number;
  /** A / B: above 1, A is slower. */
  ratio: number;
  interval: [number, number];
  /** A's ratio to B in each pass pair, in order: the raw evidence. */
  pairRatios: number[];
  verdict: Verdict;
}

export interface AbPassInput {
  side: 'a' | 'b';
  pair: number;
  totalMs: readonly number[];
}

export function compareAbPasses(labels: number, passes: readonly AbPassInput[], settings: AbSettings): AbComparison {
  const statistic = METRIC_STATISTICS[settings.metric];
  const valueOf = (side: 'a' | 'b', pair: number): number | undefined => {
    const pass = passes.find((candidate) => candidate.side === side && candidate.pair === pair);
    return pass === undefined ? undefined : statistic([...pass.totalMs].sort((x, y) => x - y));
  };
  const pairNumbers = [...new Set(passes.map((pass) => pass.pair))].sort((x, y) => x - y);
  const pairs = pairNumbers.flatMap((pair) => {
    const a = valueOf('a', pair);
    const b = valueOf('b', pair);
    return a === undefined || b === undefined ? [] : [{ a, b }];
  });
  const result = pairedRatio(pairs, settings.level);
  const geometric = (values: number[]) => Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
  // The verdict's evidence is the two-sided interval's lower end: a one-sided (1 + level) / 2 bound.
  const alpha = (1 - settings.level) / 2;
  const pFaster = Number.isNaN(result.pSlower) ? Number.NaN : 1 - result.pSlower;
  return {
    labels,
    pairs: result.pairs,
    aValueMs: geometric(pairs.map((pair) => pair.a)),
    bValueMs: geometric(pairs.map((pair) => pair.b)),
    ratio: result.ratio,
    interval: result.interval,
    pairRatios: pairs.map((pair) => pair.a / pair.b),
    verdict: decideVerdict({ ratio: result.ratio, pSlower: result.pSlower, pFaster, alpha, maxRegression: settings.maxRegression ?? Number.POSITIVE_INFINITY }),
  };
}
