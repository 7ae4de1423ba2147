/**
 * The comparison in four formats. Every number passes through `fixed` once, so a table, the
 * Markdown, the CSV and the JSON carry the same rounded values.
 */
import { formatCsv } from '../io/csv-table.js';
import type { ComparisonGroup, ComparisonReport, PlatformEntry, SweepEntry } from '../compare/report.js';
import type { Style } from './style.js';
import { renderMarkdownTable, renderTable } from './tables.js';

export const COMPARE_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

type Value = string | number | boolean | null;

/** Digits each kind of number is shown with, in every format. */
const DIGITS = { ms: 1, qps: 2, memory: 0, cpu: 0, accuracy: 3, perDollar: 2, ratio: 2, percent: 1, msPerLabel: 2, r2: 3 } as const;

/** The one rounding: the number as it appears everywhere, or null when there is none. */
function fixed(value: number | undefined, digits: number): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));
}

const show = (value: number | null, digits: number): string => (value === null ? '-' : value.toFixed(digits));

interface PlatformFields {
  profile: string;
  host: string;
  run: string;
  requested_provider: string;
  actual_provider: string;
  fallback: boolean;
  precision: string;
  labels: number;
  samples: number;
  mean_ms: number | null;
  p95_ms: number | null;
  qps: number | null;
  peak_memory_mib: number | null;
  peak_memory_kind: 'GPU' | 'RAM';
  cpu_percent_one_core: number | null;
  accuracy: number | null;
  synthetic: boolean;
  qps_per_usd_hour: number | null;
  speed_vs_baseline: number | null;
}

/** The platform fields after the run's identity (profile, host, run), in CSV column order. */
const PLATFORM_CSV_FIELDS = [
  'requested_provider', 'actual_provider', 'fallback', 'precision', 'labels', 'samples', 'mean_ms', 'p95_ms', 'qps', 'peak_memory_mib',
  'peak_memory_kind', 'cpu_percent_one_core', 'accuracy', 'synthetic', 'qps_per_usd_hour', 'speed_vs_baseline',
] as const satisfies ReadonlyArray<keyof PlatformFields>;

function platformFields(entry: PlatformEntry): PlatformFields {
  return {
    profile: entry.profile,
    host: entry.host,
    run: entry.run,
    requested_provider: entry.requestedProvider,
    actual_provider: entry.actualProvider,
    fallback: entry.fallback,
    precision: entry.precision,
    labels: entry.labels,
    samples: entry.samples,
    mean_ms: fixed(entry.meanMs, DIGITS.ms),
    p95_ms: fixed(entry.p95Ms, DIGITS.ms),
    qps: fixed(entry.qps, DIGITS.qps),
    peak_memory_mib: fixed(entry.memoryMiB, DIGITS.memory),
    peak_memory_kind: entry.memoryKind,
    cpu_percent_one_core: fixed(entry.cpuPercentOneCore, DIGITS.cpu),
    accuracy: fixed(entry.accuracy, DIGITS.accuracy),
    synthetic: entry.synthetic,
    qps_per_usd_hour: fixed(entry.qpsPerDollarHour, DIGITS.perDollar),
    speed_vs_baseline: fixed(entry.speedVsBaseline, DIGITS.ratio),
  };
}

interface SweepFields {
  profile: string;
  host: string;
  run: string;
  points: Array<{ labels: number; mean_ms: number | null; increase_percent: number | null }>;
  fit_ms_per_label: number | null;
  fit_intercept_ms: number | null;
  fit_r2: number | null;
}

function sweepFields(entry: SweepEntry): SweepFields {
  return {
    profile: entry.profile,
    host: entry.host,
    run: entry.run,
    points: entry.points.map((point) => ({
      labels: point.labels,
      mean_ms: fixed(point.meanMs, DIGITS.ms),
      increase_percent: fixed(point.increasePercent, DIGITS.percent),
    })),
    fit_ms_per_label: fixed(entry.fitMsPerLabel, DIGITS.msPerLabel),
    fit_intercept_ms: fixed(entry.fitInterceptMs, DIGITS.ms),
    fit_r2: fixed(entry.fitR2, DIGITS.r2),
  };
}

function platformRows(group: ComparisonGroup, baseline: string | undefined): { head: string[]; rows: string[][] } {
  const head = ['profile', 'host', 'run', 'provider', 'precision', 'labels', 'samples', 'mean ms', 'p95 ms', 'QPS', 'peak memory', 'CPU % (1 core)', 'accuracy', 'QPS per $/h'];
  if (baseline !== undefined) head.push(`speed vs ${baseline} (x)`);
  const rows = group.platforms.map((entry) => {
    const f = platformFields(entry);
    const row = [
      f.profile,
      f.host,
      f.run,
      f.fallback ? `${f.actual_provider} (FALLBACK from ${f.requested_provider})` : f.actual_provider,
      f.precision,
      String(f.labels),
      String(f.samples),
      show(f.mean_ms, DIGITS.ms),
      show(f.p95_ms, DIGITS.ms),
      show(f.qps, DIGITS.qps),
      f.peak_memory_mib === null ? '-' : `${show(f.peak_memory_mib, DIGITS.memory)} MiB ${f.peak_memory_kind}`,
      show(f.cpu_percent_one_core, DIGITS.cpu),
      f.synthetic ? 'synthetic' : show(f.accuracy, DIGITS.accuracy),
      show(f.qps_per_usd_hour, DIGITS.perDollar),
    ];
    if (baseline !== undefined) row.push(show(f.speed_vs_baseline, DIGITS.ratio));
    return row;
  });
  return { head, rows };
}

function sweepRows(group: ComparisonGroup): { head: string[]; rows: string[][] } {
  const smallest = group.labelCounts[0];
  const head = ['profile', 'host', 'run', ...group.labelCounts.map((count) => `${count} labels ms`), 'ms per label', 'R²'];
  const rows = group.sweep.map((entry) => {
    const f = sweepFields(entry);
    const cells = group.labelCounts.map((count) => {
      const point = f.points.find((candidate) => candidate.labels === count);
      if (point === undefined) return '-';
      const mean = show(point.mean_ms, DIGITS.ms);
      if (count === smallest || point.increase_percent === null) return mean;
      return `${mean} (${point.increase_percent >= 0 ? '+' : ''}${show(point.increase_percent, DIGITS.percent)}%)`;
    });
    return [f.profile, f.host, f.run, ...cells, show(f.fit_ms_per_label, DIGITS.msPerLabel), show(f.fit_r2, DIGITS.r2)];
  });
  return { head, rows };
}

function groupHeading(group: ComparisonGroup, index: number, count: number): string {
  return count > 1 ? `Group ${index + 1} of ${count}: ${group.title}` : group.title;
}

function formatTable(report: ComparisonReport, style: Style): string {
  const sections = report.groups.map((group, index) => {
    const platforms = platformRows(group, report.baseline);
    const sweep = sweepRows(group);
    return [
      style.bold(groupHeading(group, index, report.groups.length)),
      `Platforms at ${report.referenceLabels} labels`,
      platforms.rows.length > 0 ? renderTable(platforms.head, platforms.rows, style) : `(no run has a ${report.referenceLabels}-label row)`,
      'Label sweep: mean latency (increase against the smallest count) and fitted ms per label',
      renderTable(sweep.head, sweep.rows, style),
    ].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}

function formatMarkdown(report: ComparisonReport): string {
  const parts: string[] = ['## zsc-bench comparison', ''];
  report.groups.forEach((group, index) => {
    const platforms = platformRows(group, report.baseline);
    const sweep = sweepRows(group);
    parts.push(`### ${groupHeading(group, index, report.groups.length)}`, '');
    parts.push(`Platforms at ${report.referenceLabels} labels:`, '');
    parts.push(platforms.rows.length > 0 ? renderMarkdownTable(platforms.head, platforms.rows) : `(no run has a ${report.referenceLabels}-label row)\n`);
    parts.push('Label sweep (mean ms, increase against the smallest count, fitted ms per label):', '');
    parts.push(renderMarkdownTable(sweep.head, sweep.rows));
  });
  if (report.warnings.length > 0) parts.push('**Notes**', '', ...report.warnings.map((warning) => `- ${warning}`), '');
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** One wide row per run: the group, the platform figures, then the sweep. */
function formatCsvReport(report: ComparisonReport): string {
  const labelCounts = [...new Set(report.groups.flatMap((group) => group.labelCounts))].sort((a, b) => a - b);
  const header = [
    'group', 'precision_group', 'model_id', 'model_sha256', 'dataset', 'dataset_hash', 'profile', 'host', 'run',
    ...PLATFORM_CSV_FIELDS,
    ...labelCounts.flatMap((count) => [`mean_ms_${count}_labels`, `increase_percent_${count}_labels`]),
    'fit_ms_per_label', 'fit_intercept_ms', 'fit_r2',
  ];
  const rows: Value[][] = [];
  report.groups.forEach((group, index) => {
    for (const sweepEntry of group.sweep) {
      const sweep = sweepFields(sweepEntry);
      const platform = group.platforms.find((entry) => entry.profile === sweep.profile && entry.host === sweep.host && entry.run === sweep.run);
      const fields = platform === undefined ? undefined : platformFields(platform);
      rows.push([
        index + 1, group.key.precision, group.key.modelId, group.key.modelSha256, group.key.dataset, group.key.datasetHash,
        sweep.profile, sweep.host, sweep.run,
        ...PLATFORM_CSV_FIELDS.map((name) => fields?.[name] ?? null),
        ...labelCounts.flatMap((count) => {
          const point = sweep.points.find((candidate) => candidate.labels === count);
          return [point?.mean_ms ?? null, point?.increase_percent ?? null];
        }),
        sweep.fit_ms_per_label, sweep.fit_intercept_ms, sweep.fit_r2,
      ]);
    }
  });
  return formatCsv(header, rows);
}

function formatJson(report: ComparisonReport): string {
  return `${JSON.stringify(
    {
      reference_labels: report.referenceLabels,
      baseline: report.baseline ?? null,
      groups: report.groups.map((group, index) => ({
        group: index + 1,
        precision: group.key.precision,
        model_id: group.key.modelId,
        model_sha256: group.key.modelSha256,
        dataset: group.key.dataset,
        dataset_hash: group.key.datasetHash,
        platforms: group.platforms.map(platformFields),
        sweep: group.sweep.map(sweepFields),
      })),
      warnings: report.warnings,
    },
    null,
    2,
  )}\n`;
}

export function formatComparison(report: ComparisonReport, format: CompareFormat, style: Style): string {
  switch (format) {
    case 'table':
      return formatTable(report, style);
    case 'markdown':
      return formatMarkdown(report);
    case 'csv':
      return formatCsvReport(report);
    case 'json':
      return formatJson(report);
  }
}
