/** The throughput-latency curves of `zsc-bench load`: one row per load level of each curve. */
import type { Curve, CurveGroup } from '../../compare/curves.js';
import type { LoadLevel } from '../../compare/read-results.js';
import { batchingCell, providerCell } from '../text.js';
import { DIGITS, recordOf, repeatedPlatforms, runColumns, shown, tableRows, type Column, type Fields, type Layout, type RunContext, type TableRows } from './columns.js';

export const CURVE_POINT_FIELDS = {
  mode: { read: (point) => point.mode },
  level: { read: (point) => point.level },
  requests: { read: (point) => point.requests },
  ok: { read: (point) => point.ok },
  errors: { read: (point) => point.errors },
  throughput_rps: { digits: DIGITS.qps, read: (point) => point.throughputRps },
  pairs_per_s: { digits: DIGITS.pairsPerSecond, read: (point) => point.pairsPerSecond },
  p50_ms: { digits: DIGITS.ms, read: (point) => point.p50Ms },
  p95_ms: { digits: DIGITS.ms, read: (point) => point.p95Ms },
  p99_ms: { digits: DIGITS.ms, read: (point) => point.p99Ms },
  mean_batch_requests: { digits: DIGITS.batch, read: (point) => point.meanBatchRequests },
} satisfies Fields<LoadLevel>;

export const CURVE_FIELDS = {
  server_host: { read: (curve) => curve.serverHost },
  server_profile: { read: (curve) => curve.serverProfile },
  run: { read: (curve) => curve.run },
  requested_provider: { read: (curve) => curve.requestedProvider },
  actual_provider: { read: (curve) => curve.actualProvider },
  fallback: { read: (curve) => curve.fallback },
  synthetic: { read: (curve) => curve.synthetic },
  batching: { read: (curve) => curve.batching },
  inexact_batching: { read: (curve) => curve.inexactBatching },
  max_batch_pairs: { read: (curve) => curve.maxBatchPairs },
  points: { read: (curve, precise) => curve.points.map((point) => recordOf(CURVE_POINT_FIELDS, point, precise)) },
} satisfies Fields<Curve>;

/** A row of the table: one load level of a curve. */
interface CurvePoint {
  curve: Curve;
  point: LoadLevel;
}

const P = CURVE_POINT_FIELDS;

const levelText = (point: LoadLevel): string => (point.mode === 'closed' ? `${point.level} client${point.level === 1 ? '' : 's'}` : `${point.level} req/s sent`);

const CURVE_COLUMNS: ReadonlyArray<Column<CurvePoint, RunContext>> = [
  { head: 'server', shownIn: 'both', cell: ({ curve }) => curve.serverHost },
  { head: 'profile', shownIn: 'wide', cell: ({ curve }) => (curve.serverProfile === '' ? '-' : curve.serverProfile) },
  ...runColumns<CurvePoint, RunContext>(({ curve }) => curve.run),
  { head: 'provider', shownIn: 'wide', cell: ({ curve }) => providerCell(curve) },
  { head: 'batching', shownIn: 'both', cell: ({ curve }) => batchingCell(curve) },
  { head: 'load', shownIn: 'both', cell: ({ point }) => levelText(point) },
  { head: 'req/s', shownIn: 'both', cell: ({ point }) => shown(P.throughput_rps, point) },
  { head: 'pairs/s', shownIn: 'wide', cell: ({ point }) => shown(P.pairs_per_s, point) },
  { head: 'p50 ms', shownIn: 'wide', cell: ({ point }) => shown(P.p50_ms, point) },
  { head: 'p95 ms', shownIn: 'both', cell: ({ point }) => shown(P.p95_ms, point) },
  { head: 'p99 ms', shownIn: 'both', cell: ({ point }) => shown(P.p99_ms, point) },
  { head: 'errors', shownIn: 'both', cell: ({ point }) => `${point.errors}/${point.requests}` },
  { head: 'requests/batch', narrowHead: 'req/batch', shownIn: 'both', cell: ({ point }) => shown(P.mean_batch_requests, point) },
];

export function curveRows(group: CurveGroup, layout: Layout = 'wide'): TableRows {
  const rows = group.curves.flatMap((curve) => curve.points.map((point) => ({ curve, point })));
  const repeated = repeatedPlatforms(group.curves.map((curve) => ({ profile: curve.serverProfile, host: curve.serverHost })));
  return tableRows(CURVE_COLUMNS, rows, { repeated }, layout);
}
