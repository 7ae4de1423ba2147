/** The label sweep table: each run's mean latency at every label count, and the fitted cost of a label. */
import type { ComparisonGroup, SweepEntry, SweepPoint } from '../../compare/comparison.js';
import { DIGITS, platformColumns, recordOf, repeatedPlatforms, shown, tableRows, type Column, type Fields, type Layout, type RunContext, type TableRows } from './columns.js';

export const SWEEP_POINT_FIELDS = {
  labels: { read: (point) => point.labels },
  mean_ms: { digits: DIGITS.ms, read: (point) => point.meanMs },
  increase_percent: { digits: DIGITS.percent, read: (point) => point.increasePercent },
} satisfies Fields<SweepPoint>;

export const SWEEP_FIELDS = {
  profile: { read: (entry) => entry.profile },
  host: { read: (entry) => entry.host },
  run: { read: (entry) => entry.run },
  points: { read: (entry, precise) => entry.points.map((point) => recordOf(SWEEP_POINT_FIELDS, point, precise)) },
  fit_ms_per_label: { digits: DIGITS.msPerLabel, read: (entry) => entry.fitMsPerLabel },
  fit_intercept_ms: { digits: DIGITS.ms, read: (entry) => entry.fitInterceptMs },
  fit_r2: { digits: DIGITS.r2, read: (entry) => entry.fitR2 },
} satisfies Fields<SweepEntry>;

/** The mean at `count` labels; the wide table adds the increase against the smallest count. */
function labelCountColumns(counts: readonly number[]): Array<Column<SweepEntry, RunContext>> {
  const pointAt = (entry: SweepEntry, count: number): SweepPoint | undefined => entry.points.find((point) => point.labels === count);
  const mean = (point: SweepPoint | undefined): string => (point === undefined ? '-' : shown(SWEEP_POINT_FIELDS.mean_ms, point));
  const withIncrease = (point: SweepPoint | undefined, count: number): string => {
    const increase = point === undefined ? '-' : shown(SWEEP_POINT_FIELDS.increase_percent, point);
    return count === counts[0] || increase === '-' ? mean(point) : `${mean(point)} (${increase.startsWith('-') ? '' : '+'}${increase}%)`;
  };
  return [
    ...counts.map((count): Column<SweepEntry, RunContext> => ({ head: `${count} labels ms`, shownIn: 'wide', cell: (entry) => withIncrease(pointAt(entry, count), count) })),
    ...counts.map((count): Column<SweepEntry, RunContext> => ({ head: `${count} labels`, shownIn: 'narrow', cell: (entry) => mean(pointAt(entry, count)) })),
  ];
}

export function sweepRows(group: ComparisonGroup, layout: Layout = 'wide'): TableRows {
  const columns: Array<Column<SweepEntry, RunContext>> = [
    ...platformColumns<SweepEntry, RunContext>(),
    ...labelCountColumns(group.labelCounts),
    { head: 'ms per label', narrowHead: 'ms/label', shownIn: 'both', cell: (entry) => shown(SWEEP_FIELDS.fit_ms_per_label, entry) },
    { head: 'R²', shownIn: 'both', cell: (entry) => shown(SWEEP_FIELDS.fit_r2, entry) },
  ];
  return tableRows(columns, group.sweep, { repeated: repeatedPlatforms(group.sweep) }, layout);
}
