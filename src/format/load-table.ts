import type { LoadContext } from '../load/csv.js';
import type { LoadProgress } from '../load/generator.js';
import type { LevelSpec, LevelSummary } from '../load/summary.js';
import type { ProgressSnapshot } from './progress.js';
import type { Style } from './style.js';
import { renderTable } from './tables.js';
import { batchingCell, num, providerCell, wrapText } from './text.js';
import { fallbackNote, syntheticNoteForId } from './notes.js';

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
export function formatLoadTable(levels: readonly LevelSummary[], context: LoadContext, style: Style, options: { wide?: boolean } = {}): string {
  const wide = options.wide === true;
  // The default fits about 100 columns: requests, p90 and max only with --wide.
  const head = wide
    ? ['load', 'requests', 'ok', 'errors', 'req/s', 'pairs/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'batch']
    : ['load', 'ok', 'errors', 'req/s', 'pairs/s', 'p50 ms', 'p95 ms', 'p99 ms', 'batch'];
  const keep = new Set(head);
  const allHead = ['load', 'requests', 'ok', 'errors', 'req/s', 'pairs/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'batch'];
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
  ].filter((_, index) => keep.has(allHead[index] ?? '')));
  const notes = [
    describeServer(context),
    `${context.labels} labels per request · ${context.durationS} s per level after ${context.warmupS} s warm-up · latency of ok responses, from when each request was due · batch: mean requests per server batch`,
  ];
  if (context.sameMachine) notes.push(style.yellow('same machine: load generator and server shared the cores, so the server alone would do better'));
  if (context.fallback) notes.push(style.yellow(`FALLBACK: ${fallbackNote({ from: context.requestedProvider, reason: context.fallbackReason })}`));
  const synthetic = syntheticNoteForId(context.modelId, context.synthetic);
  if (synthetic !== undefined) notes.push(synthetic);
  return wrapText(`${renderTable(head, rows, style, options)}\n${notes.join('\n')}\n`);
}

/** What the load run will do: levels and their schedule, the work the ETA is measured against. */
export function formatLoadPlan(levels: readonly LevelSpec[], warmupS: number, durationS: number): string {
  const total = levels.length * (warmupS + durationS);
  return `plan: ${levels.length} level(s) (${levels.map(describeLevel).join(', ')}), each ${warmupS} s warm-up + ${durationS} s measured: ${total} s`;
}

/**
 * The generator's progress as the reporter shows it. The work is the schedule: every level
 * takes its warm-up plus its duration, so the ETA is the schedule left (plus the wait for
 * answers still in flight at each level's end, which the measured pace includes).
 */
export function loadProgressSnapshot(progress: LoadProgress, levels: number, warmupMs: number, durationMs: number): ProgressSnapshot {
  const perLevel = warmupMs + durationMs;
  const inPhase = Math.min(progress.elapsedMs, progress.durationMs);
  const workDone = progress.index * perLevel + (progress.warmup ? inPhase : warmupMs + inPhase);
  const phase = progress.warmup ? 'warm-up' : 'measuring';
  return {
    phase: `${describeLevel(progress.spec)} · ${phase} ${(inPhase / 1000).toFixed(0)}/${(progress.durationMs / 1000).toFixed(0)} s · ${progress.ok} ok${progress.errors > 0 ? ` · ${progress.errors} errors` : ''}`,
    counts: `level ${progress.index + 1}/${levels}, ${(workDone / 1000).toFixed(0)}/${((levels * perLevel) / 1000).toFixed(0)} s of the schedule`,
    workDone,
    workTotal: levels * perLevel,
  };
}

/** The line left on stderr when a level completes. */
export function formatLevelDone(level: LevelSummary): string {
  return `${describeLevel(level.spec)}: ${level.ok}/${level.requests} ok, ${num(level.throughputRps, 2)} req/s, p95 ${num(level.latencyMs.p95, 1)} ms`;
}
