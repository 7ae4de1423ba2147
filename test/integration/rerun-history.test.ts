import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_RUNS, readRerunHistory } from '../../src/runner/rerun-history.js';
import { rerunColumns } from '../../src/runner/summary.js';
import { formatSummaryCsv } from '../../src/runner/results-csv.js';
import type { SummaryRow } from '../../src/schema/results.js';
import { summaryRow } from '../helpers/result-row.js';

const NOW = '2026-12-05T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

/** A folder holding one summary file per run (each run: its rows at 3 and 5 labels). */
function folderWith(runs: ReadonlyArray<Partial<SummaryRow>>, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-rerun-history-'));
  runs.forEach((run, index) => {
    const rows = [3, 5].map((labels) => summaryRow({ ...run, labels, meanMs: (run.meanMs ?? 100) * (labels / 3), p50Ms: (run.p50Ms ?? 100) * (labels / 3) }));
    writeFileSync(join(dir, `run-${index}.csv`), formatSummaryCsv(rows));
  });
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  return dir;
}

const identity = { ...summaryRow(), timestamp: NOW };

describe('readRerunHistory', () => {
  it('keeps the earlier runs of the same command on the same machine, oldest first, per label count', () => {
    const dir = folderWith(
      [
        { timestamp: at(5), meanMs: 110, p50Ms: 108 },
        { timestamp: at(10), meanMs: 90, p50Ms: 88 },
        { timestamp: at(1), meanMs: 120, p50Ms: 118, profileHash: 'e'.repeat(64) }, // another command
        { timestamp: at(2), meanMs: 130, p50Ms: 128, host: 'other-host' }, // another machine
        { timestamp: at(3), meanMs: 140, p50Ms: 138, processesFailed: '2: killed by SIGKILL' }, // incomplete
        { timestamp: at(4), meanMs: 150, p50Ms: 148, onnxruntimeVersion: '1.29.0' }, // another onnxruntime
        { timestamp: at(-1), meanMs: 160, p50Ms: 158 }, // after this run
      ],
      { 'run-0-samples.csv': 'not,a,summary\n1,2,3\n', 'ab.csv': 'schema_version,kind\n1,ab\n', 'damaged.csv': '"unterminated\n' },
    );
    const history = readRerunHistory(dir, identity);
    expect(history.get(3)?.map((run) => [run.meanMs, run.medianMs])).toEqual([[90, 88], [110, 108]]);
    expect(history.get(5)?.map((run) => run.meanMs)).toEqual([150, 183.333]);
    expect([...history.keys()].sort()).toEqual([3, 5]);
  });

  it('keeps only the newest runs', () => {
    const dir = folderWith(Array.from({ length: MAX_HISTORY_RUNS + 3 }, (_, index) => ({ timestamp: at(index + 1), meanMs: 100 + index })));
    const history = readRerunHistory(dir, identity).get(3) ?? [];
    expect(history).toHaveLength(MAX_HISTORY_RUNS);
    expect(history.at(-1)?.meanMs).toBe(100);
    expect(history[0]?.meanMs).toBe(100 + MAX_HISTORY_RUNS - 1);
  });

  it('a folder that does not exist yet holds no history', () => {
    expect(readRerunHistory(join(tmpdir(), 'zsc-no-such-folder-for-history'), identity).size).toBe(0);
  });
});

describe('rerunColumns', () => {
  it('fills the rerun columns from the earlier runs, or leaves them empty below three', () => {
    const history = new Map([[3, [{ timestamp: at(3), meanMs: 90, medianMs: 90 }, { timestamp: at(2), meanMs: 110, medianMs: 110 }, { timestamp: at(1), meanMs: 100, medianMs: 100 }]]]);
    const columns = rerunColumns(history, 3, 100, 100);
    expect(columns.rerunEarlierRuns).toBe(3);
    expect(columns.rerunMeanLowMs).toBeCloseTo(54.29257452006856, 6);
    expect(columns.rerunMeanHighMs).toBeCloseTo(184.18725006867427, 6);
    expect(columns.rerunMedianSdLog).toBeCloseTo(0.10037728548770339, 12);
    const alone = rerunColumns(history, 5, 100, 100);
    expect(alone.rerunEarlierRuns).toBe(0);
    expect(alone.rerunMeanLowMs).toBeNaN();
    expect(alone.rerunMeanSdLog).toBeNaN();
  });

  it('leaves a bound past a day empty', () => {
    const history = new Map([[3, [{ timestamp: at(3), meanMs: 1, medianMs: 1 }, { timestamp: at(2), meanMs: 1e6, medianMs: 1e6 }, { timestamp: at(1), meanMs: 1000, medianMs: 1000 }]]]);
    expect(rerunColumns(history, 3, 1000, 1000).rerunMeanHighMs).toBeNaN();
  });
});
