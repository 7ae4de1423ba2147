import type { AbComparison } from './ab.js';
import { formatCsv, type CsvCell } from '../io/csv-table.js';
import { fixed } from '../base/fixed.js';

/** An A/B CSV column: its name and how a row fills it. (A/B rows are written, never read back.) */
type Column<T> = readonly [name: string, value: (row: T) => CsvCell];

/** What stays the same for every row of one A/B run. */
export interface AbContext {
  timestamp: string;
  host: string;
  toolVersion: string;
  onnxruntimeVersion: string;
  dataset: string;
  datasetHash: string;
  items: number;
  metric: string;
  level: number;
  maxRegression: number | undefined;
  sides: Record<'a' | 'b', { profile: string; profileHash: string; precision: string; actualProvider: string; modelId: string; modelSha256: string; synthetic: boolean; template: string; pairsPerRun: string; intraOpThreads: number }>;
}

type AbRow = AbComparison & AbContext;

const ms = fixed(3);
const ratio = fixed(5);

const sideColumns = (side: 'a' | 'b'): Column<AbRow>[] => [
  [`profile_${side}`, (r) => r.sides[side].profile],
  [`profile_hash_${side}`, (r) => r.sides[side].profileHash],
  [`precision_${side}`, (r) => r.sides[side].precision],
  [`actual_provider_${side}`, (r) => r.sides[side].actualProvider],
  [`model_id_${side}`, (r) => r.sides[side].modelId],
  [`model_sha256_${side}`, (r) => r.sides[side].modelSha256],
  [`synthetic_${side}`, (r) => r.sides[side].synthetic],
  [`template_${side}`, (r) => r.sides[side].template],
  [`pairs_per_run_${side}`, (r) => r.sides[side].pairsPerRun],
  [`intra_op_threads_${side}`, (r) => r.sides[side].intraOpThreads],
];

/** `zsc-bench ab` results: one row per label count (`kind` ab, its own schema version). */
export const AB_SCHEMA_VERSION = 1;

export const AB_COLUMNS: readonly Column<AbRow>[] = [
  ['schema_version', () => AB_SCHEMA_VERSION],
  ['kind', () => 'ab'],
  ['tool_version', (r) => r.toolVersion],
  ['timestamp', (r) => r.timestamp],
  ['host', (r) => r.host],
  ['onnxruntime_version', (r) => r.onnxruntimeVersion],
  ...sideColumns('a'),
  ...sideColumns('b'),
  ['dataset', (r) => r.dataset],
  ['dataset_hash', (r) => r.datasetHash],
  ['items', (r) => r.items],
  ['labels', (r) => r.labels],
  ['pass_pairs', (r) => r.pairs],
  ['metric', (r) => r.metric],
  ['a_ms', (r) => ms(r.aValueMs)],
  ['b_ms', (r) => ms(r.bValueMs)],
  ['ratio_a_over_b', (r) => ratio(r.ratio)],
  ['ci_level', (r) => r.level],
  ['ci_low', (r) => ratio(r.interval[0])],
  ['ci_high', (r) => ratio(r.interval[1])],
  ['pair_ratios', (r) => r.pairRatios.map((value) => value.toFixed(5)).join(' ')],
  ['max_regression', (r) => (r.maxRegression === undefined ? '' : r.maxRegression)],
  ['verdict', (r) => r.verdict],
];

export function formatAbCsv(rows: readonly AbComparison[], context: AbContext): string {
  const full = rows.map((row): AbRow => ({ ...row, ...context }));
  return formatCsv(AB_COLUMNS.map(([name]) => name), full.map((row) => AB_COLUMNS.map(([, value]) => value(row))));
}
