import type { LevelSummary } from './summary.js';
import { toCsv, type Column } from '../runner/results-csv.js';
import { fixed } from '../io/fixed.js';

/** Bumped whenever a load column changes meaning or goes away. */
export const LOAD_SCHEMA_VERSION = 1;

/** Everything about a load run that is the same on every row: the client, the workload, the server. */
export interface LoadContext {
  toolVersion: string;
  timestamp: string;
  clientHost: string;
  url: string;
  /**
   * The load generator ran on the server's machine (same host name, or a loopback URL): the two
   * competed for the same cores, so the server's figures are lower than it would reach alone.
   */
  sameMachine: boolean;
  durationS: number;
  warmupS: number;
  timeoutS: number;
  labels: number;
  dataset: string;
  datasetHash: string;
  /** From the server's /api/info. */
  serverHost: string;
  serverProfile: string;
  serverToolVersion: string;
  modelId: string;
  modelSha256: string;
  precision: string;
  requestedProvider: string;
  actualProvider: string;
  fallback: boolean;
  fallbackReason: string;
  synthetic: boolean;
  /** Whether different requests were really merged into shared session.runs. */
  batching: 'on' | 'off';
  inexactBatching: boolean;
  maxBatchPairs: number;
  maxWaitMs: number;
  maxQueue: number;
}

export type LoadRow = LevelSummary & LoadContext;

const ms = fixed(3);
const rate = fixed(4);

/** One row per level: a throughput-latency curve `compare` can merge across machines and servers. */
export const LOAD_COLUMNS: readonly Column<LoadRow>[] = [
  ['schema_version', () => LOAD_SCHEMA_VERSION],
  ['kind', () => 'load'],
  ['tool_version', (r) => r.toolVersion],
  ['timestamp', (r) => r.timestamp],
  ['client_host', (r) => r.clientHost],
  ['url', (r) => r.url],
  ['same_machine', (r) => r.sameMachine],
  ['mode', (r) => r.spec.mode],
  ['concurrency', (r) => (r.spec.mode === 'closed' ? r.spec.concurrency : undefined)],
  ['target_rate_rps', (r) => (r.spec.mode === 'open' ? r.spec.rateRps : undefined)],
  ['duration_s', (r) => r.durationS],
  ['warmup_s', (r) => r.warmupS],
  ['timeout_s', (r) => r.timeoutS],
  ['wall_s', (r) => fixed(3)(r.wallS)],
  ['labels', (r) => r.labels],
  ['dataset', (r) => r.dataset],
  ['dataset_hash', (r) => r.datasetHash],
  ['requests', (r) => r.requests],
  ['ok', (r) => r.ok],
  ['errors', (r) => r.errors],
  ['errors_connection', (r) => r.errorsByKind.connection],
  ['errors_timeout', (r) => r.errorsByKind.timeout],
  ['errors_http_4xx', (r) => r.errorsByKind.http_4xx],
  ['errors_http_503', (r) => r.errorsByKind.http_503],
  ['errors_http_5xx', (r) => r.errorsByKind.http_5xx],
  ['errors_other', (r) => r.errorsByKind.other],
  ['throughput_rps', (r) => rate(r.throughputRps)],
  ['pairs_per_s', (r) => rate(r.pairsPerS)],
  ['mean_ms', (r) => ms(r.latencyMs.mean)],
  ['p50_ms', (r) => ms(r.latencyMs.p50)],
  ['p90_ms', (r) => ms(r.latencyMs.p90)],
  ['p95_ms', (r) => ms(r.latencyMs.p95)],
  ['p99_ms', (r) => ms(r.latencyMs.p99)],
  ['max_ms', (r) => ms(r.latencyMs.max)],
  ['mean_server_ms', (r) => ms(r.meanServerMs)],
  ['mean_batch_requests', (r) => fixed(3)(r.meanBatchRequests)],
  ['mean_batch_runs', (r) => fixed(3)(r.meanBatchRuns)],
  ['peak_in_flight', (r) => r.peakInFlight],
  ['server_host', (r) => r.serverHost],
  ['server_profile', (r) => r.serverProfile],
  ['server_tool_version', (r) => r.serverToolVersion],
  ['model_id', (r) => r.modelId],
  ['model_sha256', (r) => r.modelSha256],
  ['precision', (r) => r.precision],
  ['requested_provider', (r) => r.requestedProvider],
  ['actual_provider', (r) => r.actualProvider],
  ['fallback', (r) => r.fallback],
  ['fallback_reason', (r) => r.fallbackReason],
  ['synthetic', (r) => r.synthetic],
  ['batching', (r) => r.batching],
  ['inexact_batching', (r) => r.inexactBatching],
  ['max_batch_pairs', (r) => r.maxBatchPairs],
  ['max_wait_ms', (r) => r.maxWaitMs],
  ['max_queue', (r) => r.maxQueue],
];

export const LOAD_COLUMN_NAMES: readonly string[] = LOAD_COLUMNS.map(([name]) => name);

export function formatLoadCsv(levels: readonly LevelSummary[], context: LoadContext): string {
  return toCsv(LOAD_COLUMNS, levels.map((level) => ({ ...level, ...context })));
}
