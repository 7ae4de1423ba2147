/**
 * The earlier runs of the same command on this machine, read from the summaries already in the
 * results folder: what a rerun interval (stats/rerun.ts, summary.ts's rerunColumns) is made of. No hidden state: the files a
 * user sees are the history, and deleting them starts it afresh.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRows } from '../io/csv-table.js';
import { SUMMARY_CSV, type RunContext, type SummaryReadRow } from '../schema/results.js';

/** The newest runs kept: a machine's state from weeks ago says little about a rerun today. */
export const MAX_HISTORY_RUNS = 19;

/** What makes two summary rows the same command on the same machine. */
const IDENTITY = ['profileHash', 'host', 'cpuModel', 'cpuCores', 'modelSha256', 'datasetHash', 'toolVersion', 'onnxruntimeVersion', 'actualProvider', 'monitor', 'emulated'] as const;

export type RunIdentity = Pick<RunContext, (typeof IDENTITY)[number] | 'timestamp'>;

/** Per label count, the mean and median of each earlier run of the same command, oldest first. */
export type RerunHistory = ReadonlyMap<number, ReadonlyArray<{ timestamp: string; meanMs: number; medianMs: number }>>;

function sameCommand(row: SummaryReadRow, run: RunIdentity): boolean {
  return IDENTITY.every((field) => (row[field] ?? '') === (run[field] ?? ''));
}

/**
 * The summaries in `dir` of runs before this one of the same command, complete at their label
 * count (no failed process). Files that are not summaries of this zsc-bench's schema (ab, load,
 * older versions, damaged files) are no history and are passed over; a missing folder is none.
 */
export function readRerunHistory(dir: string, run: RunIdentity): RerunHistory {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.csv') && !name.endsWith('-samples.csv'));
  } catch {
    return new Map();
  }
  const byLabels = new Map<number, Array<{ timestamp: string; meanMs: number; medianMs: number }>>();
  for (const name of names) {
    let rows: SummaryReadRow[];
    try {
      rows = parseRows(SUMMARY_CSV, readFileSync(join(dir, name), 'utf8'), join(dir, name));
    } catch {
      continue;
    }
    for (const row of rows) {
      if (row.timestamp >= run.timestamp || !sameCommand(row, run) || (row.processesFailed ?? '') !== '') continue;
      const entries = byLabels.get(row.labels) ?? [];
      entries.push({ timestamp: row.timestamp, meanMs: row.meanMs, medianMs: row.p50Ms });
      byLabels.set(row.labels, entries);
    }
  }
  for (const [labels, entries] of byLabels) byLabels.set(labels, entries.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)).slice(-MAX_HISTORY_RUNS));
  return byLabels;
}
