import type { LoadContext } from '../load/csv.js';
import type { LevelSpec, LevelSummary } from '../load/summary.js';
import type { Style } from './style.js';
import { renderTable } from './tables.js';
import { syntheticNoteForId } from './model-notes.js';
import { batchingCell, num, providerCell } from './text.js';

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
  return `server ${context.serverHost}: ${context.modelId} (${context.precision}) · provider ${providerCell(context)} · batching ${batchingCell(context)}${context.synthetic ? ' · synthetic weights' : ''}`;
}

/** The throughput-latency curve: one row per level. */
export function formatLoadTable(levels: readonly LevelSummary[], context: LoadContext, style: Style): string {
  const head = ['load', 'requests', 'ok', 'errors', 'req/s', 'pairs/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'batch'];
  const rows = levels.map((level) => [
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
  const notes = [
    describeServer(context),
    `${context.labels} labels per request · ${context.durationS} s per level after ${context.warmupS} s warm-up · latency of ok responses, from when each request was due · batch: mean requests per server batch`,
  ];
  if (context.fallback) notes.push(style.yellow(`FALLBACK: ${context.requestedProvider} unavailable (${context.fallbackReason}); these numbers are from the CPU`));
  const synthetic = syntheticNoteForId(context.modelId, context.synthetic);
  if (synthetic !== undefined) notes.push(synthetic);
  return `${renderTable(head, rows, style)}\n${notes.join('\n')}\n`;
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
