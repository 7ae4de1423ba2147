import type { AbComparison } from '../../src/compare/ab.js';
import type { ClassifyResult } from '../../src/core/classifier.js';

// The CLI's JSON outputs as the tests read them. JSON.parse returns `any`, which lint does not let
// a test index into unchecked; a test names the shape it expects with `JSON.parse(text) as ...`,
// the source's own types where the output is one of them.

/** A row of compare --format json: the snake_case columns of its CSV format. */
export type JsonRow = Record<string, unknown>;

/** compare --format json. */
export interface ComparisonJson {
  groups: Array<{ precision: string; platforms: JsonRow[]; sweep: JsonRow[] }>;
  load_curves: Array<{ curves: Array<{ batching: string; points: Array<{ level: number; errors: number; throughput_rps: number }> }> }>;
}

/** ab --json. */
export interface AbJson {
  result: 'regression' | 'pass';
  comparisons: AbComparison[];
}

/** classify --json. */
export type ClassifyJson = Pick<ClassifyResult, 'labels' | 'scores' | 'multiLabel' | 'timings'> & {
  provider: string;
  requestedProvider: string;
  fallback: boolean;
  fallbackReason: string | null;
};

/** run --json. */
export interface RunJson {
  state: string;
  files: { summary: string; profile: string } | null;
  rows: unknown[];
}
