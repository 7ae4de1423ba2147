import Table from 'cli-table3';
import type { LoadContext } from '../io/load-csv.js';
import type { LevelSpec, LevelSummary } from '../load/summary.js';
import type { Style } from './style.js';

const num = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function describeLevel(spec: LevelSpec): string {
  return spec.mode === 'closed' ? `concurrency ${spec.concurrency}` : `${spec.rateRps} req/s (open loop)`;
}

function errorsCell(level: LevelSummary): string {
  if (level.errors === 0) return '0';
  const kinds = Object.entries(level.errorsByKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`);
  return `${level.errors} (${kinds.join(', ')})`;
}

/** One line on what ran on the server: model, precision, provider (and any fallback), batching. */
export function describeServer(context: LoadContext): string {
  const provider = context.fallback ? `${context.actualProvider} (FALLBACK from ${context.requestedProvider})` : context.actualProvider;
  const batching = context.batching === 'on' ? `on (≤ ${context.maxBatchPairs} pairs, wait ≤ ${context.maxWaitMs} ms${context.inexactBatching ? ', inexact' : ''})` : 'off';
  return `server ${context.serverHost}: ${context.modelId} (${context.precision}) · provider ${provider} · batching ${batching}${context.synthetic ? ' · synthetic weights' : ''}`;
}

/** The throughput-latency curve: one row per level. */
export function formatLoadTable(levels: readonly LevelSummary[], context: LoadContext, style: Style): string {
  const table = new Table({
    head: ['load', 'requests', 'ok', 'errors', 'req/s', 'pairs/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'batch'].map((cell) => style.bold(cell)),
    style: { head: [], border: [] },
  });
  for (const level of levels) {
    table.push([
      describeLevel(level.spec),
      String(level.requests),
      String(level.ok),
      level.errors > 0 ? style.red(errorsCell(level)) : '0',
      num(level.throughputRps, 2),
      num(level.pairsPerS, 1),
      num(level.latencyMs.p50, 1),
      num(level.latencyMs.p90, 1),
      num(level.latencyMs.p95, 1),
      num(level.latencyMs.p99, 1),
      num(level.latencyMs.max, 1),
      num(level.meanBatchRequests, 2),
    ]);
  }
  const notes = [
    describeServer(context),
    `${context.labels} labels per request · ${context.durationS} s per level after ${context.warmupS} s warm-up · latency of ok responses, from when each request was due · batch: mean requests per server batch`,
  ];
  if (context.fallback) notes.push(style.yellow(`FALLBACK: ${context.requestedProvider} unavailable (${context.fallbackReason}); these numbers are from the CPU`));
  if (context.synthetic) notes.push('weights are synthetic: latency is real, the scores are meaningless');
  return `${table.toString()}\n${notes.join('\n')}\n`;
}

/** The live line on a terminal while a level runs. */
export function formatLoadProgress(progress: { spec: LevelSpec; warmup: boolean; elapsedMs: number; durationMs: number; ok: number; errors: number }): string {
  const seconds = Math.min(progress.elapsedMs, progress.durationMs) / 1000;
  const phase = progress.warmup ? 'warm-up' : 'measuring';
  return `${describeLevel(progress.spec)}: ${phase} ${seconds.toFixed(0)}/${(progress.durationMs / 1000).toFixed(0)} s · ${progress.ok} ok${progress.errors > 0 ? ` · ${progress.errors} errors` : ''}`;
}

/** The line left on stderr when a level completes. */
export function formatLevelDone(level: LevelSummary): string {
  return `${describeLevel(level.spec)}: ${level.ok}/${level.requests} ok, ${num(level.throughputRps, 2)} req/s, p95 ${num(level.latencyMs.p95, 1)} ms`;
}
