/**
 * Which platform to deploy on: per platform, whether it meets a latency SLO at a label count
 * (single stream, and under load when load curves are given), how many instances a request rate
 * needs, what that costs, and a ranking with the reason for every place. Pure: the command reads
 * the files, src/format prints the answer.
 */
import type { LoadLevel, ResultRow } from './read-results.js';
import type { CurveGroup } from './curves.js';
import { runLabel, sortRuns, type Run } from './runs.js';

export const SLO_METRICS = ['mean', 'p50', 'p95', 'p99'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

/** A latency objective such as `p95<150ms`: the metric must stay below (or at) the limit. */
export interface Slo {
  metric: SloMetric;
  limitMs: number;
  /** `<=` allows the limit itself; `<` does not. */
  inclusive: boolean;
  text: string;
}

export function sloMet(slo: Slo, latencyMs: number): boolean {
  return Number.isFinite(latencyMs) && (slo.inclusive ? latencyMs <= slo.limitMs : latencyMs < slo.limitMs);
}

function rowMetric(row: ResultRow, metric: SloMetric): number {
  return { mean: row.meanMs, p50: row.p50Ms, p95: row.p95Ms, p99: row.p99Ms }[metric];
}

function levelMetric(level: LoadLevel, metric: SloMetric): number {
  return { mean: level.meanMs ?? Number.NaN, p50: level.p50Ms, p95: level.p95Ms, p99: level.p99Ms }[metric];
}

/**
 * Capacity per instance from single-stream figures: one request at a time, as `run` measured
 * it. An offline (batched) throughput, where a file has one, is the more honest ceiling; either
 * way latency under that load is not verified without a load curve.
 */
export const OFFLINE_COLUMNS = ['offline_items_per_s'] as const;

/** How one platform's capacity per instance was found. */
export type CapacitySource =
  | { kind: 'load'; curve: string; level: LoadLevel }
  | { kind: 'offline'; column: string }
  | { kind: 'single-stream' };

export interface LoadVerdict {
  /** The curve (server, run, batching) that gave the best capacity within the SLO, or the one tried. */
  curve: string;
  /** Highest throughput among levels that met the SLO without errors; undefined when none did. */
  capacityRps: number | undefined;
  /** The level behind the capacity, or the lightest level when none met the SLO. */
  level: LoadLevel;
}

export interface Candidate {
  profile: string;
  host: string;
  run: string;
  precision: string;
  requestedProvider: string;
  actualProvider: string;
  fallback: boolean;
  synthetic: boolean;
  labels: number;
  /** The SLO's metric at this label count, single stream; NaN when the run has no such row. */
  latencyMs: number;
  meetsSingleStream: boolean;
  load: LoadVerdict | undefined;
  capacityRps: number | undefined;
  capacity: CapacitySource | undefined;
  instances: number | undefined;
  costPerHour: number | undefined;
  fleetCostPerHour: number | undefined;
  /** USD per million classifications at the requested rate (or at one instance's capacity without --qps). */
  costPerMillion: number | undefined;
  passes: boolean;
  failures: string[];
  notes: string[];
  rank: number;
  reason: string;
}

export interface RecommendOptions {
  slo: Slo;
  labels: number;
  qps: number | undefined;
  budgetPerHour: number | undefined;
}

export interface Recommendation extends RecommendOptions {
  candidates: Candidate[];
  /** How the instance counts were found, stated once for the reader. */
  rules: string[];
  /** What the reader must know about the files (different models, fallbacks); filled by the caller. */
  warnings: string[];
}

const usd = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(2));
const msText = (value: number): string => `${value.toFixed(1)} ms`;

function curveName(level: LoadLevel): string {
  return `load ${level.serverHost} ${level.timestamp.replace(/\.\d+Z$/, 'Z')} (${level.mode} loop, batching ${level.batching})`;
}

/** Load curves of this platform: the same server profile and host, precision and labels per request. */
function loadVerdict(row: ResultRow, curves: readonly CurveGroup[], options: RecommendOptions): LoadVerdict | undefined {
  const levels = curves
    .filter((group) => group.precision === row.precision && group.labels === options.labels && group.modelSha256 === row.modelSha256)
    .flatMap((group) => group.curves)
    .filter((curve) => curve.serverProfile === row.profile && curve.serverHost === row.host)
    .flatMap((curve) => curve.points);
  if (levels.length === 0) return undefined;
  const passing = levels.filter((level) => level.errors === 0 && sloMet(options.slo, levelMetric(level, options.slo.metric)));
  const best = passing.reduce<LoadLevel | undefined>((top, level) => (top === undefined || level.throughputRps > top.throughputRps ? level : top), undefined);
  if (best !== undefined) return { curve: curveName(best), capacityRps: best.throughputRps, level: best };
  const lightest = [...levels].sort((a, b) => a.throughputRps - b.throughputRps)[0] as LoadLevel;
  return { curve: curveName(lightest), capacityRps: undefined, level: lightest };
}

function offlineCapacity(row: ResultRow): { column: string; value: number } | undefined {
  for (const column of OFFLINE_COLUMNS) {
    const value = Number(row.cells[column] ?? '');
    if ((row.cells[column] ?? '').trim() !== '' && Number.isFinite(value) && value > 0) return { column, value };
  }
  return undefined;
}

function describeLevel(level: LoadLevel): string {
  return level.mode === 'closed' ? `${level.level} client${level.level === 1 ? '' : 's'}` : `${level.level} req/s sent`;
}

function assess(run: Run, curves: readonly CurveGroup[], options: RecommendOptions): Candidate {
  const { slo } = options;
  const row = run.rows.find((candidate) => candidate.labels === options.labels);
  const any = run.rows[0] as ResultRow;
  const base = {
    profile: run.profile,
    host: run.host,
    run: runLabel(run),
    precision: any.precision,
    requestedProvider: any.requestedProvider,
    actualProvider: any.actualProvider,
    fallback: any.fallback,
    synthetic: any.synthetic,
    labels: options.labels,
    rank: 0,
    reason: '',
  };
  const notes: string[] = [];
  if (any.synthetic) notes.push('synthetic weights: latency is real, accuracy meaningless');
  if (row === undefined) {
    const counts = run.rows.map((candidate) => candidate.labels).join(', ');
    return {
      ...base, latencyMs: Number.NaN, meetsSingleStream: false, load: undefined, capacityRps: undefined, capacity: undefined, instances: undefined,
      costPerHour: any.costPerHour, fleetCostPerHour: undefined, costPerMillion: undefined, passes: false,
      failures: [`no ${options.labels}-label result (this run measured ${counts} labels)`], notes,
    };
  }
  const failures: string[] = [];
  // An emulated CPU runs tens of times slower than the real one: its figures must never rank a platform.
  if ((row.emulated ?? '') !== '') failures.push(`emulated (${row.emulated ?? ''}): timings are the emulator's, not the machine's; run it on the machine itself`);
  if (row.fallback) failures.push(`fallback: asked for ${row.requestedProvider} but ran on ${row.actualProvider}, so these are not ${row.requestedProvider}'s numbers`);
  const latencyMs = rowMetric(row, slo.metric);
  const meetsSingleStream = sloMet(slo, latencyMs);
  if (!meetsSingleStream) failures.push(`${slo.metric} ${msText(latencyMs)} single stream, over the ${slo.text} limit`);

  const load = loadVerdict(row, curves, options);
  let capacity: CapacitySource | undefined;
  let capacityRps: number | undefined;
  if (load !== undefined) {
    if (load.capacityRps === undefined) {
      failures.push(`under load no level met ${slo.text} without errors (${describeLevel(load.level)}: ${slo.metric} ${msText(levelMetric(load.level, slo.metric))}, ${load.level.errors} errors)`);
    } else {
      capacity = { kind: 'load', curve: load.curve, level: load.level };
      capacityRps = load.capacityRps;
    }
  } else {
    const offline = offlineCapacity(row);
    capacity = offline === undefined ? { kind: 'single-stream' } : { kind: 'offline', column: offline.column };
    capacityRps = offline === undefined ? row.itemsPerSecond : offline.value;
  }
  if (capacityRps !== undefined && !(capacityRps > 0)) {
    failures.push('no throughput measured');
    capacityRps = undefined;
  }

  const instances = capacityRps === undefined ? undefined : options.qps === undefined ? 1 : Math.ceil(options.qps / capacityRps - 1e-9);
  const costPerHour = row.costPerHour;
  const fleetCostPerHour = costPerHour === undefined || instances === undefined ? undefined : costPerHour * instances;
  const servedRps = options.qps ?? capacityRps;
  const costPerMillion = fleetCostPerHour === undefined || servedRps === undefined ? undefined : (fleetCostPerHour / (servedRps * 3600)) * 1e6;
  if (options.budgetPerHour !== undefined) {
    if (costPerHour === undefined) failures.push('the profile names no costPerHour, so the budget cannot be checked');
    else if (fleetCostPerHour !== undefined && fleetCostPerHour > options.budgetPerHour) {
      failures.push(`${instances} instance${instances === 1 ? '' : 's'} cost ${usd(fleetCostPerHour)} USD/h, over the ${usd(options.budgetPerHour)} USD/h budget`);
    }
  }
  if (costPerHour === undefined && options.budgetPerHour === undefined) notes.push('no cost in the profile (costPerHour)');
  return {
    ...base, latencyMs, meetsSingleStream, load, capacityRps, capacity, instances, costPerHour, fleetCostPerHour, costPerMillion,
    passes: failures.length === 0, failures, notes,
  };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Passing platforms by fleet cost (unknown cost last), then latency; failing ones after, closest first. */
function compareCandidates(a: Candidate, b: Candidate, limitMs: number): number {
  if (a.passes !== b.passes) return a.passes ? -1 : 1;
  if (a.passes) {
    const costA = a.fleetCostPerHour ?? Number.POSITIVE_INFINITY;
    const costB = b.fleetCostPerHour ?? Number.POSITIVE_INFINITY;
    if (costA !== costB) return costA - costB;
  } else if (a.failures.length !== b.failures.length) {
    return a.failures.length - b.failures.length;
  }
  const latencyA = Number.isFinite(a.latencyMs) ? a.latencyMs / limitMs : Number.POSITIVE_INFINITY;
  const latencyB = Number.isFinite(b.latencyMs) ? b.latencyMs / limitMs : Number.POSITIVE_INFINITY;
  return latencyA - latencyB || compareText(a.profile, b.profile) || compareText(a.host, b.host) || compareText(a.run, b.run);
}

function capacityText(candidate: Candidate): string {
  const capacity = candidate.capacity;
  const rps = candidate.capacityRps ?? Number.NaN;
  if (capacity === undefined) return '';
  if (capacity.kind === 'load') return `${rps.toFixed(2)} req/s per instance within the SLO at ${describeLevel(capacity.level)} (${capacity.curve})`;
  if (capacity.kind === 'offline') return `${rps.toFixed(2)} req/s per instance from offline throughput (${capacity.column}), not verified under load`;
  return `${rps.toFixed(2)} req/s per instance from single-stream throughput, not verified under load`;
}

function reasonFor(candidate: Candidate, place: number, passing: readonly Candidate[], options: RecommendOptions): string {
  if (!candidate.passes) return `fails: ${candidate.failures.join('; ')}`;
  const parts: string[] = [];
  const cheapest = passing.find((other) => other.fleetCostPerHour !== undefined);
  if (place === 1) parts.push(cheapest === candidate ? 'cheapest that meets everything' : cheapest === undefined ? 'fastest that meets everything (no costs known)' : 'meets everything');
  else if (candidate.fleetCostPerHour === undefined) parts.push('meets everything, cost unknown');
  else if (cheapest !== undefined && cheapest.fleetCostPerHour !== undefined && cheapest !== candidate) {
    parts.push(`meets everything, ${(candidate.fleetCostPerHour / cheapest.fleetCostPerHour).toFixed(2)}x the cost of place ${passing.indexOf(cheapest) + 1}`);
  } else parts.push('meets everything');
  parts.push(`${options.slo.metric} ${msText(candidate.latencyMs)} single stream`);
  if (candidate.load?.capacityRps !== undefined) parts.push(`${options.slo.metric} ${msText(levelMetric(candidate.load.level, options.slo.metric))} at ${describeLevel(candidate.load.level)} under load`);
  if (options.qps !== undefined && candidate.instances !== undefined) parts.push(`${candidate.instances} instance${candidate.instances === 1 ? '' : 's'} for ${options.qps} QPS (${capacityText(candidate)})`);
  else parts.push(capacityText(candidate));
  if (candidate.fleetCostPerHour !== undefined) parts.push(`${usd(candidate.fleetCostPerHour)} USD/h, ${usd(candidate.costPerMillion ?? Number.NaN)} USD per million`);
  return parts.join('; ');
}

/**
 * Assesses and ranks every run. Runs of every precision and model are ranked together (that is
 * the deployment choice), but the caller warns when model files or datasets differ.
 */
export function recommend(runs: readonly Run[], curves: readonly CurveGroup[], options: RecommendOptions): Recommendation {
  const candidates = sortRuns(runs).map((run) => assess(run, curves, options));
  candidates.sort((a, b) => compareCandidates(a, b, options.slo.limitMs));
  const passing = candidates.filter((candidate) => candidate.passes);
  candidates.forEach((candidate, index) => {
    candidate.rank = index + 1;
    candidate.reason = reasonFor(candidate, index + 1, passing, options);
  });
  const rules = [
    `SLO ${options.slo.text} at ${options.labels} labels per request: single stream from the run results; under load from load curves of the same profile, host, precision and labels per request, where a level counts only without errors.`,
    options.qps === undefined
      ? 'No --qps: one instance each; cost per million at that instance\'s capacity.'
      : `Instances = ceil(${options.qps} QPS / capacity per instance). Capacity: the highest load-curve throughput that met the SLO; without a load curve, the offline throughput where measured, else single-stream throughput (1000 / mean ms: one request at a time, no batching gain, no headroom for queueing, so not verified under load).`,
    'Cost per hour = instances x the profile\'s costPerHour; per million classifications = cost per hour / (QPS x 3600) x 1e6. Ranked: passing platforms by cost per hour (unknown cost last), then latency; failing ones after, fewest failures first.',
  ];
  return { ...options, candidates, rules, warnings: [] };
}
