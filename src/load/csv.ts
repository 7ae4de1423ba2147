import type { LevelSummary } from './summary.js';
import { formatRows } from '../io/csv-table.js';
import { LOAD_CSV, LOAD_SCHEMA_VERSION, type LoadContext, type LoadCsvRow, type LoadLevelCells } from '../schema/results.js';

export type { LoadContext } from '../schema/results.js';

/** A level summary flattened into its load CSV fields. */
export function levelCells(level: LevelSummary): LoadLevelCells {
  return {
    mode: level.spec.mode,
    concurrency: level.spec.mode === 'closed' ? level.spec.concurrency : undefined,
    targetRateRps: level.spec.mode === 'open' ? level.spec.rateRps : undefined,
    wallS: level.wallS,
    requests: level.requests,
    ok: level.ok,
    errors: level.errors,
    errorsConnection: level.errorsByKind.connection,
    errorsTimeout: level.errorsByKind.timeout,
    errorsHttp4xx: level.errorsByKind.http_4xx,
    errorsHttp503: level.errorsByKind.http_503,
    errorsHttp5xx: level.errorsByKind.http_5xx,
    errorsOther: level.errorsByKind.other,
    throughputRps: level.throughputRps,
    pairsPerSecond: level.pairsPerS,
    meanMs: level.latencyMs.mean,
    p50Ms: level.latencyMs.p50,
    p90Ms: level.latencyMs.p90,
    p95Ms: level.latencyMs.p95,
    p99Ms: level.latencyMs.p99,
    maxMs: level.latencyMs.max,
    meanServerMs: level.meanServerMs,
    meanBatchRequests: level.meanBatchRequests,
    meanBatchRuns: level.meanBatchRuns,
    peakInFlight: level.peakInFlight,
  };
}

/** One row per level: a throughput-latency curve `compare` can merge across machines and servers. */
export function loadRows(levels: readonly LevelSummary[], context: LoadContext): LoadCsvRow[] {
  return levels.map((level) => ({ schemaVersion: LOAD_SCHEMA_VERSION, kind: 'load', ...levelCells(level), ...context }));
}

export function formatLoadCsv(levels: readonly LevelSummary[], context: LoadContext): string {
  return formatRows(LOAD_CSV, loadRows(levels, context));
}
