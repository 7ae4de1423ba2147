/**
 * `tune`'s decisions, pure: the settings it searches, one dimension at a time (coordinate
 * descent from the starting profile), the constraints that rule a setting out, and the rule that
 * keeps screening noise from picking a winner: each dimension measures the current setting twice
 * (before and after its candidates, each in a fresh process), and a candidate must beat it by
 * more than those two measurements differ (at least MIN_SCREEN_GAIN).
 */
import type { ExecutionMode, GraphOptimizationLevel } from '../core/session.js';
import type { Precision } from '../models/precision.js';
import type { PairsPerRun, Profile } from '../profiles/profile.js';
import { formatBytes } from '../base/bytes.js';

export interface TuneSettings {
  precision: Precision;
  intraOpThreads: number;
  pairsPerRun: PairsPerRun;
  executionMode: ExecutionMode;
  prepacking: boolean;
  cpuMemArena: boolean;
  memPattern: boolean;
  graphOptimizationLevel: GraphOptimizationLevel;
}

export const TUNE_DIMENSIONS = ['precision', 'threads', 'pairs/run', 'memory', 'graph', 'exec mode'] as const;
export type TuneDimension = (typeof TUNE_DIMENSIONS)[number];

/** The dimension that searches each setting. */
export const DIMENSION_OF_FIELD: Readonly<Record<keyof TuneSettings, TuneDimension>> = {
  precision: 'precision',
  intraOpThreads: 'threads',
  pairsPerRun: 'pairs/run',
  prepacking: 'memory',
  cpuMemArena: 'memory',
  memPattern: 'memory',
  graphOptimizationLevel: 'graph',
  executionMode: 'exec mode',
};

/** The smallest screening gain taken as real: back-to-back fresh processes differ by a few % here even when nothing changed. */
export const MIN_SCREEN_GAIN = 0.03;

/** What may be tried on this machine. */
export interface SearchSpace {
  precisions: readonly Precision[];
  /** Every intra-op thread count from 1 to this (the cores this process may use). */
  maxThreads: number;
}

/** Splits tried besides the current one: one run per text, one pair per run, and two. */
const PAIRS_PER_RUN_CANDIDATES: readonly PairsPerRun[] = ['all', 1, 2];
const GRAPH_LEVELS: readonly GraphOptimizationLevel[] = ['all', 'extended', 'basic'];

/** The settings a profile runs with; unset threads are the count zsc-bench would pick here. */
export function settingsOf(profile: Profile, defaultThreads: number): TuneSettings {
  return {
    precision: profile.precision,
    intraOpThreads: profile.intraOpThreads ?? defaultThreads,
    pairsPerRun: profile.pairsPerRun,
    executionMode: profile.executionMode ?? 'sequential',
    prepacking: profile.prepacking ?? true,
    cpuMemArena: profile.cpuMemArena ?? true,
    memPattern: profile.memPattern ?? true,
    graphOptimizationLevel: profile.graphOptimizationLevel,
  };
}

export const sameSettings = (a: TuneSettings, b: TuneSettings): boolean => (Object.keys(a) as Array<keyof TuneSettings>).every((key) => a[key] === b[key]);

/** The settings that differ from `current` in one dimension only, in a fixed order. */
export function candidatesFor(dimension: TuneDimension, current: TuneSettings, space: SearchSpace): TuneSettings[] {
  const variants: Array<Partial<TuneSettings>> = (() => {
    switch (dimension) {
      case 'precision':
        return space.precisions.map((precision) => ({ precision }));
      case 'threads':
        return Array.from({ length: space.maxThreads }, (_, index) => ({ intraOpThreads: index + 1 }));
      case 'pairs/run':
        return PAIRS_PER_RUN_CANDIDATES.map((pairsPerRun) => ({ pairsPerRun }));
      case 'memory':
        return [{ prepacking: !current.prepacking }, { cpuMemArena: !current.cpuMemArena }, { memPattern: !current.memPattern }];
      case 'graph':
        return GRAPH_LEVELS.map((graphOptimizationLevel) => ({ graphOptimizationLevel }));
      case 'exec mode':
        return [{ executionMode: current.executionMode === 'sequential' ? 'parallel' : 'sequential' }];
    }
  })();
  return variants.map((variant) => ({ ...current, ...variant })).filter((candidate) => !sameSettings(candidate, current));
}

/** The profile fields a setting changes from the start, as a profile file spells them. */
export function changedFields(start: TuneSettings, settings: TuneSettings): Partial<Pick<Profile, 'precision' | 'intraOpThreads' | 'pairsPerRun' | 'executionMode' | 'prepacking' | 'cpuMemArena' | 'memPattern' | 'graphOptimizationLevel'>> {
  return Object.fromEntries((Object.keys(settings) as Array<keyof TuneSettings>).filter((key) => settings[key] !== start[key]).map((key) => [key, settings[key]]));
}

/** A setting in words, only where it differs from the start (`start` when nowhere). */
export function describeSettings(settings: TuneSettings, start: TuneSettings): string {
  const parts: string[] = [];
  if (settings.precision !== start.precision) parts.push(settings.precision);
  if (settings.intraOpThreads !== start.intraOpThreads) parts.push(`${settings.intraOpThreads} thr`);
  if (settings.pairsPerRun !== start.pairsPerRun) parts.push(`pairs/run ${settings.pairsPerRun}`);
  if (settings.prepacking !== start.prepacking) parts.push(settings.prepacking ? 'prepacking' : 'no prepacking');
  if (settings.cpuMemArena !== start.cpuMemArena) parts.push(settings.cpuMemArena ? 'arena' : 'no arena');
  if (settings.memPattern !== start.memPattern) parts.push(settings.memPattern ? 'mem pattern' : 'no mem pattern');
  if (settings.graphOptimizationLevel !== start.graphOptimizationLevel) parts.push(`graph ${settings.graphOptimizationLevel}`);
  if (settings.executionMode !== start.executionMode) parts.push(settings.executionMode);
  return parts.length === 0 ? 'start' : parts.join(', ');
}

/** One screening process's figures. */
export interface Screening {
  settings: TuneSettings;
  /** Per label count, in the plan's order. */
  labelCounts: Array<{ labels: number; meanMs: number; sloMs: number }>;
  /** The process's peak RSS: model load and every label count. */
  peakRssBytes: number;
  /** % of (item, label count) whose top label differs from the fp32 screening's; 0 for fp32. */
  flipPercent: number;
}

export interface Constraints {
  /** Most label flips against fp32, in %. */
  maxFlipPercent: number;
  memoryBudgetBytes: number | undefined;
  /** The SLO's text and limit on the screening's statistic (`sloMs`). */
  slo: { text: string; limitMs: number; inclusive: boolean } | undefined;
}

/** Geometric mean over label counts of the mean latency: one number per setting, each label count weighing alike. */
export function screeningScore(screening: Pick<Screening, 'labelCounts'>): number {
  const values = screening.labelCounts.map((count) => count.meanMs);
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

export type Violation = { kind: 'flips' | 'memory' | 'slo'; text: string };

/** Why a screened setting is ruled out, if it is. */
export function violations(screening: Screening, constraints: Constraints): Violation[] {
  const found: Violation[] = [];
  if (screening.flipPercent > constraints.maxFlipPercent) {
    found.push({ kind: 'flips', text: `flips ${screening.flipPercent.toFixed(1)}% > --max-flips ${constraints.maxFlipPercent}%` });
  }
  const budget = constraints.memoryBudgetBytes;
  if (budget !== undefined && screening.peakRssBytes > budget) {
    found.push({ kind: 'memory', text: `peak ${formatBytes(screening.peakRssBytes)} > --memory-budget ${formatBytes(budget)}` });
  }
  const slo = constraints.slo;
  if (slo !== undefined) {
    const missed = screening.labelCounts.filter((count) => (slo.inclusive ? count.sloMs > slo.limitMs : count.sloMs >= slo.limitMs));
    if (missed.length > 0) found.push({ kind: 'slo', text: `misses ${slo.text} at ${missed.map((count) => `${count.labels} labels (${count.sloMs.toFixed(0)} ms)`).join(', ')}` });
  }
  return found;
}

/** How far a setting is from meeting its memory and SLO constraints (0: meets them); flips can never be approached. */
function shortfall(screening: Screening, constraints: Constraints): number {
  const memory = constraints.memoryBudgetBytes === undefined ? 0 : Math.max(0, screening.peakRssBytes / constraints.memoryBudgetBytes - 1);
  const slo = constraints.slo === undefined ? 0 : Math.max(0, ...screening.labelCounts.map((count) => count.sloMs / (constraints.slo?.limitMs ?? 1) - 1));
  return memory + slo;
}

export interface CandidateVerdict {
  screening: Screening;
  adopted: boolean;
  /** Why it was adopted or dropped, e.g. "8.1% slower" or "peak 762 MiB > --memory-budget 600 MiB". */
  reason: string;
}

export interface DimensionDecision {
  winner: Screening;
  /** The screening noise margin used: the larger of MIN_SCREEN_GAIN and how much the current setting's two runs differed. */
  margin: number;
  verdicts: CandidateVerdict[];
}

/**
 * One dimension's decision. The current setting ran twice (`currentRuns`, before and after the
 * candidates). A feasible current is replaced only by a feasible candidate faster by more than
 * the margin; an infeasible one by the fastest feasible candidate, else by the candidate that
 * comes closest to its memory and SLO limits (flips rule a setting out for good).
 */
export function decideDimension(currentRuns: readonly [Screening, Screening], candidates: readonly Screening[], constraints: Constraints): DimensionDecision {
  const [first, second] = currentRuns;
  const scores = [screeningScore(first), screeningScore(second)];
  const currentScore = Math.sqrt((scores[0] as number) * (scores[1] as number));
  const margin = Math.max(MIN_SCREEN_GAIN, Math.abs((scores[0] as number) - (scores[1] as number)) / Math.min(scores[0] as number, scores[1] as number));
  const currentFeasible = violations(first, constraints).length === 0 && violations(second, constraints).length === 0;
  const gain = (screening: Screening) => 1 - screeningScore(screening) / currentScore;
  const speed = (screening: Screening) => {
    const change = gain(screening);
    return change >= 0 ? `${(change * 100).toFixed(1)}% faster` : `${(-change * 100).toFixed(1)}% slower`;
  };
  const feasible = candidates.filter((candidate) => violations(candidate, constraints).length === 0);
  const fastest = [...feasible].sort((a, b) => screeningScore(a) - screeningScore(b))[0];
  let winner: Screening | undefined;
  let why = '';
  if (currentFeasible) {
    if (fastest !== undefined && gain(fastest) > margin) {
      winner = fastest;
      why = `${speed(fastest)} (noise ${(margin * 100).toFixed(1)}%)`;
    }
  } else if (fastest !== undefined) {
    winner = fastest;
    why = `${speed(fastest)}; meets the constraints the current setting breaks`;
  } else {
    const approachable = candidates.filter((candidate) => violations(candidate, constraints).every((violation) => violation.kind !== 'flips'));
    const closest = [...approachable].sort((a, b) => shortfall(a, constraints) - shortfall(b, constraints))[0];
    if (closest !== undefined && shortfall(closest, constraints) < shortfall(second, constraints)) {
      winner = closest;
      why = `${speed(closest)}; closer to the constraints (${violations(closest, constraints).map((violation) => violation.text).join('; ')})`;
    }
  }
  const verdicts = candidates.map((candidate): CandidateVerdict => {
    if (candidate === winner) return { screening: candidate, adopted: true, reason: `ADOPTED: ${why}` };
    const broken = violations(candidate, constraints);
    if (broken.length > 0) return { screening: candidate, adopted: false, reason: broken.map((violation) => violation.text).join('; ') };
    if (winner !== undefined) return { screening: candidate, adopted: false, reason: `${speed(candidate)}; another setting won` };
    const change = gain(candidate);
    return { screening: candidate, adopted: false, reason: change > 0 ? `${speed(candidate)}, within noise (${(margin * 100).toFixed(1)}%)` : speed(candidate) };
  });
  return { winner: winner ?? second, margin, verdicts };
}

/** The top labels of one screening, by `${labels}|${itemId}`, and the flips of another against them in %. */
export function flipPercent(reference: ReadonlyMap<string, string>, tops: ReadonlyMap<string, string>): number {
  let compared = 0;
  let flips = 0;
  for (const [key, top] of tops) {
    const expected = reference.get(key);
    if (expected === undefined) continue;
    compared += 1;
    if (expected !== top) flips += 1;
  }
  return compared === 0 ? Number.NaN : (flips / compared) * 100;
}
