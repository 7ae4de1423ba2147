import { mean, summarize } from '../stats/statistics.js';

/** How a request can fail, as the load CSV counts them. */
export const ERROR_KINDS = ['connection', 'timeout', 'http_4xx', 'http_503', 'http_5xx', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** One request's outcome. Latency runs from the moment it was due: the scheduled time in open loop. */
export interface RequestSample {
  outcome: 'ok' | ErrorKind;
  latencyMs: number;
  pairs: number;
  /** From an ok response: the server's own latency and the requests its batch held. */
  serverMs?: number;
  batchRequests?: number;
  /** session.runs that batch took: fewer than its requests when requests shared runs. */
  batchRuns?: number;
}

export type LevelSpec = { mode: 'closed'; concurrency: number } | { mode: 'open'; rateRps: number };

export interface LevelSummary {
  spec: LevelSpec;
  /** Wall time from the first send to the last answer. */
  wallS: number;
  requests: number;
  ok: number;
  errors: number;
  errorsByKind: Record<ErrorKind, number>;
  /** Ok responses per second of wall time. */
  throughputRps: number;
  pairsPerS: number;
  /** Latency of ok responses only: fast refusals (503) must not make the server look quicker. NaN without any. */
  latencyMs: { mean: number; p50: number; p90: number; p95: number; p99: number; max: number };
  meanServerMs: number;
  meanBatchRequests: number;
  meanBatchRuns: number;
  peakInFlight: number;
}

const nan = { mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : mean(values);
}

/** Pure: a level's figures from its samples. Percentiles are the project's (linear, as numpy). */
export function summarizeLevel(spec: LevelSpec, samples: readonly RequestSample[], wallMs: number, peakInFlight: number): LevelSummary {
  const errorsByKind = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, 0])) as Record<ErrorKind, number>;
  const ok = samples.filter((sample) => sample.outcome === 'ok');
  for (const sample of samples) if (sample.outcome !== 'ok') errorsByKind[sample.outcome] += 1;
  const latencies = ok.map((sample) => sample.latencyMs);
  const stats = latencies.length === 0 ? undefined : summarize(latencies);
  const wallS = wallMs / 1000;
  return {
    spec,
    wallS,
    requests: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    errorsByKind,
    throughputRps: wallS > 0 ? ok.length / wallS : Number.NaN,
    pairsPerS: wallS > 0 ? ok.reduce((sum, sample) => sum + sample.pairs, 0) / wallS : Number.NaN,
    latencyMs: stats === undefined ? nan : { mean: stats.mean, p50: stats.p50, p90: stats.p90, p95: stats.p95, p99: stats.p99, max: stats.max },
    meanServerMs: meanOf(ok.flatMap((sample) => (sample.serverMs === undefined ? [] : [sample.serverMs]))),
    meanBatchRequests: meanOf(ok.flatMap((sample) => (sample.batchRequests === undefined ? [] : [sample.batchRequests]))),
    meanBatchRuns: meanOf(ok.flatMap((sample) => (sample.batchRuns === undefined ? [] : [sample.batchRuns]))),
    peakInFlight,
  };
}
