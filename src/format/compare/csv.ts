/**
 * compare as CSV: one wide row per run (`section` run: the group, the platform figures, then the
 * sweep) and one per load level (`section` load: a point of a throughput-latency curve), every
 * field at the precision the result files recorded. Columns a section does not use stay empty.
 */
import type { ComparisonReport } from '../../compare/comparison.js';
import { formatCsv, type CsvCell } from '../../io/csv-table.js';
import { exact, recordOf, type Json } from './columns.js';
import { spreadsheetSafe } from '../text.js';
import { CURVE_FIELDS, CURVE_POINT_FIELDS } from './curves.js';
import { KEY_FIELDS, MEASURED_FIELDS, type Measured } from './groups.js';
import { PLATFORM_FIELDS } from './platforms.js';
import { SWEEP_FIELDS, SWEEP_POINT_FIELDS } from './sweep.js';

/** The platform fields after the run's identity (profile, host, run), in CSV column order. */
const PLATFORM_COLUMNS = [
  'files', 'requested_provider', 'actual_provider', 'fallback', 'precision', 'labels', 'samples', 'mean_ms', 'std_ms', 'min_ms', 'p50_ms',
  'p90_ms', 'p95_ms', 'p99_ms', 'max_ms', 'mean_ci95_low_ms', 'mean_ci95_high_ms', 'median_ci95_low_ms', 'median_ci95_high_ms', 'single_stream_qps',
  'pairs_per_s', 'offline_items_per_s', 'offline_pairs_per_s', 'offline_best_batch_items', 'mfu_percent', 'intra_op_threads', 'inter_op_threads', 'pairs_per_run', 'parity_flip_percent',
  'parity_mean_abs_diff', 'parity_max_abs_diff', 'batch_composition_flip_percent', 'batch_composition_max_abs_diff', 'parity_weights', 'peak_memory_mib',
  'peak_memory_kind', 'cpu_percent_one_core', 'cpu_percent_all_cores', 'harness_overhead_percent', 'accuracy', 'synthetic', 'single_stream_qps_per_usd_hour', 'speed_vs_baseline',
  'web_ui', 'web_ui_added_p95_ms',
] as const satisfies ReadonlyArray<keyof typeof PLATFORM_FIELDS>;

/** Columns only load rows use, in CSV column order (p95_ms and the provider columns are shared with run rows). */
const LOAD_COLUMNS = [
  'batching', 'inexact_batching', 'max_batch_pairs', 'mode', 'level', 'requests', 'ok', 'errors', 'throughput_rps', 'pairs_per_s',
  'p50_ms', 'p99_ms', 'mean_batch_requests',
] as const satisfies ReadonlyArray<keyof typeof CURVE_FIELDS | keyof typeof CURVE_POINT_FIELDS>;

/** A run row has a `precision` column of its own, so the group's is `precision_group`. */
function groupRecord(index: number, measured: Measured): Record<string, Json> {
  const { precision, ...rest } = recordOf(MEASURED_FIELDS, measured, exact);
  return { group: index + 1, precision_group: precision, ...rest };
}

/** A sweep point's fields, as columns of its label count: `mean_ms_5_labels`. */
const SWEEP_POINT_COLUMNS = ['mean_ms', 'increase_percent'] as const satisfies ReadonlyArray<keyof typeof SWEEP_POINT_FIELDS>;
const perLabelCount = (name: string, labels: number): string => `${name}_${labels}_labels`;

/** A record's value in its column; only the nested points are not scalars, and they have no column. */
const csvCell = (value: Json | undefined): CsvCell => (value === undefined || typeof value === 'object' ? null : spreadsheetSafe(value));

export function formatCsvReport(report: ComparisonReport): string {
  const labelCounts = [...new Set(report.groups.flatMap((group) => group.labelCounts))].sort((a, b) => a - b);
  const header = [
    'section', 'group', 'precision_group', ...Object.keys(MEASURED_FIELDS).filter((name) => name !== 'precision'), 'items', ...Object.keys(KEY_FIELDS), 'profile', 'host', 'run',
    ...PLATFORM_COLUMNS,
    ...labelCounts.flatMap((count) => SWEEP_POINT_COLUMNS.map((name) => perLabelCount(name, count))),
    'fit_ms_per_label', 'fit_intercept_ms', 'fit_r2',
    // Columns run and load rows share (p50_ms, pairs_per_s…) appear once.
    ...LOAD_COLUMNS.filter((name) => !(PLATFORM_COLUMNS as readonly string[]).includes(name)),
  ];
  const records: Array<Record<string, Json>> = [];
  report.groups.forEach((group, index) => {
    for (const entry of group.sweep) {
      const platform = group.platforms.find((candidate) => candidate.profile === entry.profile && candidate.host === entry.host && candidate.run === entry.run);
      const points = entry.points.flatMap((point) => {
        const fields = recordOf(SWEEP_POINT_FIELDS, point, exact);
        return SWEEP_POINT_COLUMNS.map((name) => [perLabelCount(name, point.labels), fields[name]] as const);
      });
      records.push({
        section: 'run', ...groupRecord(index, group.key), ...recordOf(KEY_FIELDS, group.key, exact),
        ...(platform === undefined ? {} : recordOf(PLATFORM_FIELDS, platform, exact)),
        ...recordOf(SWEEP_FIELDS, entry, exact), ...Object.fromEntries(points),
      });
    }
  });
  report.curves.forEach((group, index) => {
    for (const curve of group.curves) {
      for (const point of curve.points) {
        records.push({
          section: 'load', ...groupRecord(index, group), ...recordOf(CURVE_FIELDS, curve, exact), ...recordOf(CURVE_POINT_FIELDS, point, exact),
          profile: curve.serverProfile, host: curve.serverHost, precision: group.precision, labels: group.labels,
        });
      }
    }
  });
  return formatCsv(header, records.map((record) => header.map((name) => csvCell(record[name]))));
}
