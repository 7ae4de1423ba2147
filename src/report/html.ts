/**
 * The HTML report: one self-contained file with the charts (Chart.js inlined), compare's tables
 * and warnings, and each host's environment. Pure: takes what was read and the library's source,
 * returns the page as a string; a Content-Security-Policy forbids every network request.
 */
import { MIB } from '../schema/csv.js';
import type { ComparisonGroup, ComparisonReport } from '../compare/comparison.js';
import type { CurveGroup } from '../compare/curves.js';
import type { ResultRow, WebUiRecord } from '../compare/read-results.js';
import { runLabel, type Run, type RunGroup } from '../compare/runs.js';
import { curveRows } from '../format/compare/curves.js';
import { curveHeading, groupHeading } from '../format/compare/groups.js';
import { platformRows } from '../format/compare/platforms.js';
import { sweepRows } from '../format/compare/sweep.js';
import { webUiRows, WEBUI_RULE } from '../format/webui-format.js';
import type { ChartLibrary } from './chart-library.js';

export interface ReportInput {
  comparison: ComparisonReport;
  /** The comparable groups behind the comparison, in the same order (their rows carry every CSV cell). */
  groups: readonly RunGroup[];
  files: readonly string[];
  generatedAt: string;
  toolVersion: string;
  library: ChartLibrary;
}

/** A Chart.js configuration: plain data, serialised into the page. */
interface ChartSpec {
  id: string;
  title: string;
  config: Record<string, unknown>;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#9333ea'];
const colour = (index: number): string => PALETTE[index % PALETTE.length] as string;
const translucent = (hex: string, alpha: number): string => `${hex}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;

/**
 * Extra measurements newer result files may carry (utilisation, parity, drift, energy, offline
 * throughput, throttling, provider shares): shown when a file has them, never required.
 */
const OPTIONAL_COLUMN = /^(mfu|utili[sz]ation|parity|drift|energy|joules|watts|offline|throttl|provider_share|peak_rss_mb_per_label)/;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function finite(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(3));
}

function cellNumber(row: ResultRow, column: string): number | undefined {
  const raw = (row.cells[column] ?? '').trim();
  const value = raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** `cpu@vm`, with the run's time when the same platform appears twice. */
function platformNames(runs: readonly Run[]): string[] {
  const base = runs.map((run) => `${run.profile}@${run.host}`);
  return runs.map((run, index) => (base.filter((name) => name === base[index]).length > 1 ? `${base[index]} (${runLabel(run)})` : (base[index] as string)));
}

const axis = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ title: { display: true, text: title }, ...extra });

function baseOptions(title: string, x: Record<string, unknown>, y: Record<string, unknown>): Record<string, unknown> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
    scales: { x, y },
  };
}

function spec(id: string, title: string, type: string, data: Record<string, unknown>, x: Record<string, unknown>, y: Record<string, unknown>): ChartSpec {
  return { id, title, config: { type, data, options: baseOptions(title, x, y) } };
}

/** A chart over named bars (platforms, pages): the x axis lists `names`, each dataset a bar or line per name. */
function namedBarsSpec(id: string, title: string, names: readonly string[], datasets: ReadonlyArray<Record<string, unknown>>, xTitle: string, yTitle: string): ChartSpec {
  return spec(id, title, 'bar', { labels: names, datasets }, axis(xTitle), axis(yTitle, { beginAtZero: true }));
}

function latencyChart(id: string, group: RunGroup, labels: number): ChartSpec | undefined {
  const runs = group.runs.filter((run) => run.rows.some((row) => row.labels === labels));
  if (runs.length === 0) return undefined;
  const names = platformNames(runs);
  const rows = runs.map((run) => run.rows.find((row) => row.labels === labels) as ResultRow);
  // A pooled run's interval cells belong to its first run, so pooled runs show no interval.
  const interval = rows.map((row, index) => {
    const low = cellNumber(row, 'mean_ci95_low_ms');
    const high = cellNumber(row, 'mean_ci95_high_ms');
    return (runs[index] as Run).pooled === 1 && low !== undefined && high !== undefined ? [finite(low), finite(high)] : null;
  });
  const title = `延迟 Latency at ${labels} labels: mean with its 95% interval, and p95`;
  return namedBarsSpec(
    id,
    title,
    names,
    [
        { type: 'bar', label: 'mean 平均 (ms)', data: rows.map((row) => finite(row.meanMs)), backgroundColor: translucent(colour(0), 0.55), grouped: false, maxBarThickness: 120, order: 3 },
        { type: 'bar', label: '95% interval of the mean 置信区间 (ms)', data: interval, backgroundColor: '#111827', grouped: false, barPercentage: 0.08, order: 2 },
        { type: 'line', label: 'p95 (ms)', data: rows.map((row) => finite(row.p95Ms)), showLine: false, pointStyle: 'line', pointRadius: 18, pointBorderWidth: 3, borderColor: colour(1), backgroundColor: colour(1), order: 1 },
    ],
    '平台 platform (profile@host)',
    '延迟 latency (ms)',
  );
}

/** The label counts a group's runs measured, each once, in order. */
const labelCountsOf = (group: RunGroup): number[] => [...new Set(group.runs.flatMap((run) => run.rows.map((row) => row.labels)))].sort((a, b) => a - b);

function sweepChart(id: string, group: RunGroup): ChartSpec {
  const names = platformNames(group.runs);
  const labelCounts = labelCountsOf(group);
  const [low, high] = [Math.min(...labelCounts), Math.max(...labelCounts)];
  const datasets = group.runs.flatMap((run, index) => {
    const last = run.rows[run.rows.length - 1];
    const points = run.rows.map((row) => ({ x: row.labels, y: finite(row.meanMs) }));
    const slope = last?.fitMsPerLabel ?? Number.NaN;
    const intercept = last?.fitInterceptMs ?? Number.NaN;
    const measured = { type: 'line', label: `${names[index]} mean (ms)`, data: points, showLine: false, pointRadius: 5, borderColor: colour(index), backgroundColor: colour(index) };
    if (!Number.isFinite(slope) || !Number.isFinite(intercept) || run.rows.length < 2) return [measured];
    const fit = {
      type: 'line',
      // Through two points any line fits exactly: R² would be 1 whatever the data (the terminal hides it too).
      label: `${names[index]} fit: ${slope.toFixed(2)} ms/label (${run.rows.length >= 3 ? `R² ${(last?.fitR2 ?? Number.NaN).toFixed(3)}` : 'two label counts: no R²'})`,
      data: [low, high].map((x) => ({ x, y: finite(intercept + slope * x) })),
      borderColor: colour(index),
      borderDash: [6, 4],
      pointRadius: 0,
      fill: false,
    };
    return [measured, fit];
  });
  const title = '标签数扫描 Label sweep: mean latency against label count, with the fitted line';
  return spec(id, title, 'line', { datasets }, axis('候选标签数 candidate labels (count)', { type: 'linear', ticks: { stepSize: 1 } }), axis('平均延迟 mean latency (ms)', { beginAtZero: true }));
}

function barChart(id: string, title: string, names: readonly string[], label: string, values: ReadonlyArray<number | null>, yTitle: string, index: number): ChartSpec {
  return namedBarsSpec(id, title, names, [{ label, data: values, backgroundColor: translucent(colour(index), 0.7) }], '平台 platform (profile@host)', yTitle);
}

function resourceCharts(prefix: string, group: RunGroup, labels: number): ChartSpec[] {
  const runs = group.runs.filter((run) => run.rows.some((row) => row.labels === labels));
  if (runs.length === 0) return [];
  const names = platformNames(runs);
  const rows = runs.map((run) => run.rows.find((row) => row.labels === labels) as ResultRow);
  const gpu = rows.some((row) => row.gpuMemoryMiB !== undefined);
  const charts = [
    barChart(`${prefix}-memory`, `内存 Peak memory at ${labels} labels`, names, 'peak RSS 峰值内存 (MiB)', rows.map((row) => finite(row.peakRssBytes / MIB)), '峰值内存 peak memory (MiB)', 2),
    barChart(`${prefix}-cpu`, `CPU at ${labels} labels (100% = one core busy)`, names, 'CPU (% of one core)', rows.map((row) => finite(row.cpuPercentOneCore)), 'CPU 占用 (% of one core)', 3),
  ];
  if (gpu) charts.push(barChart(`${prefix}-gpu`, `GPU memory at ${labels} labels`, names, 'GPU memory (MiB)', rows.map((row) => finite(row.gpuMemoryMiB)), '显存 GPU memory (MiB)', 4));
  return charts;
}

/** The optional columns some rows of the group have, with a chart for each numeric one. */
function optionalColumns(group: RunGroup, labels: number): string[] {
  const rows = group.runs.flatMap((run) => run.rows.filter((row) => row.labels === labels));
  const columns = new Set<string>();
  for (const row of rows) for (const [name, value] of Object.entries(row.cells)) if (OPTIONAL_COLUMN.test(name) && value.trim() !== '') columns.add(name);
  return [...columns].sort();
}

/** A unit for an axis title, read from the column name's suffix. */
function unitOf(column: string): string {
  if (/_percent$|_pct$/.test(column)) return '%';
  if (/_ms$/.test(column)) return 'ms';
  if (/(^|_)j(_|$)|joules/.test(column)) return 'J';
  if (/(^|_)w(_|$)|watts/.test(column)) return 'W';
  if (/_per_s$/.test(column)) return 'per s';
  if (/_mb$/.test(column)) return 'MiB';
  return 'value';
}

/** Counts (items compared, the best batch's size) describe how a figure was made: a table cell, not a chart. */
const COUNT_COLUMN = /_items$/;

/** Chart titles and axis names of the optional columns zsc-bench writes, in words (Chinese and English, as the other charts). */
const OPTIONAL_TITLES: Readonly<Record<string, { title: string; axis: string }>> = {
  mfu_percent: { title: '算力利用率 Model FLOPs utilisation (MFU) against the MatMul peak', axis: '利用率 MFU (%)' },
  drift_percent: { title: '漂移 Latency drift from the first to the last pass', axis: '漂移 drift (%)' },
  drift_noise_percent: { title: '噪声 Pass-to-pass noise of the mean latency', axis: '噪声 noise (%)' },
  energy_j_per_1000: { title: '能耗 Energy per 1000 classifications', axis: '能耗 energy (J)' },
  offline_items_per_s: { title: '离线吞吐 Offline throughput at the best batch size', axis: '吞吐 items per second' },
  offline_pairs_per_s: { title: '离线吞吐 Offline throughput in (text, label) pairs', axis: '吞吐 pairs per second' },
  parity_flip_percent: { title: '精度一致性 Top-label flips against fp32', axis: '翻转 flips (% of items)' },
  parity_mean_abs_diff: { title: '精度差异 Mean score difference against fp32', axis: '差异 score difference' },
  parity_max_abs_diff: { title: '精度差异 Largest score difference against fp32', axis: '差异 score difference' },
};

/** A column's chart title and axis: its words when zsc-bench wrote it, else its name in words with the unit its suffix says. */
function optionalTitle(column: string): { title: string; axis: string } {
  const known = OPTIONAL_TITLES[column];
  if (known !== undefined) return known;
  const words = column.replace(/_/g, ' ');
  return { title: words.charAt(0).toUpperCase() + words.slice(1), axis: `${words} (${unitOf(column)})` };
}

/** MFU over 100% cannot be: the cached peak probe ran slower than the run (a busy machine). Marked in red, with the 100% line. */
const MFU_COLUMN = 'mfu_percent';
const OVER_PEAK = '#dc2626';

function optionalCharts(prefix: string, group: RunGroup, labels: number, columns: readonly string[]): ChartSpec[] {
  const runs = group.runs.filter((run) => run.rows.some((row) => row.labels === labels));
  const names = platformNames(runs);
  const rows = runs.map((run) => run.rows.find((row) => row.labels === labels) as ResultRow);
  return columns
    .filter((column) => !COUNT_COLUMN.test(column) && rows.some((row) => cellNumber(row, column) !== undefined))
    .map((column, index) => {
      const { title, axis: yTitle } = optionalTitle(column);
      const values = rows.map((row) => finite(cellNumber(row, column)));
      const chart = barChart(`${prefix}-${column}`, `${title} (${labels} labels)`, names, yTitle, values, yTitle, 5 + index);
      if (column !== MFU_COLUMN || !values.some((value) => value !== null && value > 100)) return chart;
      return markOverPeak(chart, values);
    });
}

/** The MFU chart when a bar passes 100%: those bars red, a 100% line, and the title says why. */
function markOverPeak(chart: ChartSpec, values: ReadonlyArray<number | null>): ChartSpec {
  const data = chart.config['data'] as { labels: string[]; datasets: Array<Record<string, unknown>> };
  const bars = data.datasets[0] ?? {};
  const base = bars['backgroundColor'] as string;
  const title = `${chart.title}: above 100% (red) the cached peak probe ran slower than this run`;
  const datasets = [
    { ...bars, backgroundColor: values.map((value) => (value !== null && value > 100 ? OVER_PEAK : base)) },
    { type: 'line', label: '100% = the measured peak 峰值', data: values.map(() => 100), borderColor: '#111827', borderDash: [4, 4], pointRadius: 0 },
  ];
  const options = chart.config['options'] as { plugins: { title: Record<string, unknown> } };
  return { ...chart, title, config: { ...chart.config, data: { ...data, datasets }, options: { ...options, plugins: { ...options.plugins, title: { ...options.plugins.title, text: title } } } } };
}

function curveChart(id: string, group: CurveGroup, index: number, count: number): ChartSpec {
  const datasets = group.curves.map((curve, curveIndex) => ({
    type: 'line',
    label: `${curve.serverHost}${curve.serverProfile === '' ? '' : ` ${curve.serverProfile}`} ${curve.run} (${curve.mode} loop, batching ${curve.batching}${curve.fallback ? ', FALLBACK' : ''}) p95`,
    data: curve.points.map((point) => ({ x: finite(point.throughputRps), y: finite(point.p95Ms) })),
    borderColor: colour(curveIndex),
    backgroundColor: colour(curveIndex),
    pointRadius: 5,
  }));
  const title = `吞吐-延迟 Throughput-latency: p95 latency against throughput (${group.labels} labels per request)${count > 1 ? `, curve group ${index + 1} of ${count}` : ''}`;
  return spec(id, title, 'line', { datasets }, axis('吞吐量 throughput (requests/s)', { type: 'linear', beginAtZero: true }), axis('p95 延迟 latency (ms)', { beginAtZero: true }));
}

function webUiChart(id: string, pages: readonly WebUiRecord[]): ChartSpec {
  const names = pages.map((page) => `${page.serverHost} ${page.page}${page.cpuSlowdown > 1 ? ` (CPU ÷${page.cpuSlowdown})` : ''} ${page.timestamp.replace(/\.\d+Z$/, 'Z')}`);
  const limit = pages[0]?.smoothLimitMs ?? 100;
  const title = `网页响应 Web UI: what the page adds to the server's latency (Classify to bars drawn, minus server time)`;
  return namedBarsSpec(
    id,
    title,
    names,
    [
        { type: 'bar', label: 'page adds, p50 (ms)', data: pages.map((page) => finite(page.addedMs.p50)), backgroundColor: translucent(colour(0), 0.6) },
        { type: 'bar', label: 'page adds, p95 (ms)', data: pages.map((page) => finite(page.addedMs.p95)), backgroundColor: translucent(colour(1), 0.6) },
        { type: 'line', label: `smooth limit (${limit} ms at p95)`, data: pages.map(() => limit), borderColor: '#111827', borderDash: [4, 4], pointRadius: 0 },
    ],
    '页面 page (server, normal or lite)',
    '页面耗时 page time (ms)',
  );
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const headHtml = head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table"><table><thead><tr>${headHtml}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const chartHtml = (chart: ChartSpec): string => `<figure class="chart"><div class="canvas"><canvas id="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`;

const ENVIRONMENT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['os', 'OS'], ['arch', 'arch'], ['cpu_model', 'CPU'], ['cpu_cores', 'cores'], ['cpu_flags', 'CPU flags'], ['ram_mb', 'RAM MiB'],
  ['gpu_model', 'GPU'], ['gpu_driver', 'driver'], ['cuda_version', 'CUDA'], ['node_version', 'Node'], ['onnxruntime_version', 'onnxruntime-node'],
  ['intra_op_threads', 'threads'], ['pairs_per_run', 'pairs per run'], ['tool_version', 'zsc-bench'],
];

/** One row per run: where it ran, what ran, and whether the weights were real. */
function environmentTable(runs: readonly Run[]): string {
  const head = ['host', 'profile', 'run', ...ENVIRONMENT_COLUMNS.map(([, name]) => name), 'provider asked', 'provider that ran', 'precision', 'model', 'weights'];
  const rows = runs.map((run) => {
    const row = run.rows[0] as ResultRow;
    const provider = row.fallback ? `${row.actualProvider} (FALLBACK: ${row.fallbackReason || 'requested provider unavailable'})` : row.actualProvider;
    return [
      run.host, run.profile, runLabel(run),
      ...ENVIRONMENT_COLUMNS.map(([column]) => (row.cells[column] ?? '').trim() || '-'),
      row.requestedProvider, provider, row.precision, `${row.modelId} (sha256 ${row.modelSha256.slice(0, 12)})`,
      row.synthetic ? (row.accuracyMeaningful ? 'SYNTHETIC, known answers (accuracy checks the pipeline, not a real NLI model)' : 'SYNTHETIC (accuracy meaningless)') : 'real',
    ];
  });
  return table(head, rows);
}

function groupSection(shownGroup: ComparisonGroup, shownRuns: RunGroup, index: number, input: ReportInput, charts: ChartSpec[], groupWarnings: readonly string[]): string {
  const group = fallbackLast(shownGroup);
  const runGroup = { ...shownRuns, runs: [...shownRuns.runs].sort((a, b) => Number(ranOnFallback(a)) - Number(ranOnFallback(b))) };
  const count = input.comparison.groups.length;
  const labels = input.comparison.referenceLabels;
  const prefix = `g${index + 1}`;
  const own: ChartSpec[] = [];
  const latency = latencyChart(`${prefix}-latency`, runGroup, labels);
  if (latency !== undefined) own.push(latency);
  // One label count has no sweep to draw: its axis would hold a single point per run.
  const counts = labelCountsOf(runGroup);
  if (counts.length >= 2) own.push(sweepChart(`${prefix}-sweep`, runGroup));
  own.push(...resourceCharts(prefix, runGroup, labels));
  const extra = optionalColumns(runGroup, labels);
  own.push(...optionalCharts(prefix, runGroup, labels, extra));
  charts.push(...own);
  const platforms = platformRows(group, input.comparison.baseline, input.comparison.webUi.length > 0);
  const sweep = sweepRows(group);
  const parts = [
    `<section class="group"><h2>${escapeHtml(groupHeading(group, index, count))}</h2>`,
    groupWarnings.length > 0 ? `<div class="warnings"><h3>Warnings for this group</h3>${warningList(groupWarnings)}</div>` : '',
    `<div class="charts">${own.map(chartHtml).join('\n')}</div>`,
    counts.length < 2 ? `<p class="meta">No label sweep chart: every run here measured one label count (${counts.join(', ')}); run --labels with two or more counts to see how latency grows with labels.</p>` : '',
    `<h3>Platforms at ${labels} labels</h3>`,
    platforms.rows.length > 0 ? table(platforms.head, platforms.rows) : `<p>(no run has a ${labels}-label row)</p>`,
    '<h3>Label sweep: mean latency (increase against the smallest count) and fitted ms per label</h3>',
    table(sweep.head, sweep.rows),
  ].filter((part) => part !== '');
  if (extra.length > 0) {
    const runs = runGroup.runs.filter((run) => run.rows.some((row) => row.labels === labels));
    const names = platformNames(runs);
    const rows = runs.map((run, runIndex) => [names[runIndex] as string, ...extra.map((column) => (run.rows.find((row) => row.labels === labels)?.cells[column] ?? '').trim() || '-')]);
    parts.push(`<h3>Further measurements at ${labels} labels (columns these files carry)</h3>`, table(['platform', ...extra], rows));
  }
  parts.push('<h3>Environment 环境</h3>', environmentTable(runGroup.runs), '</section>');
  return parts.join('\n');
}

const ranOnFallback = (run: Run): boolean => run.rows.some((row) => row.fallback);

/** Within a group, runs that fell back to the CPU come after those that ran what they asked for (stable otherwise). */
function fallbackLast(group: ComparisonGroup): ComparisonGroup {
  const rank = (entry: { fallback: boolean }): number => Number(entry.fallback);
  return { ...group, platforms: [...group.platforms].sort((a, b) => rank(a) - rank(b)) };
}

function warningList(warnings: readonly string[]): string {
  return `<ul>${warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('\n')}</ul>`;
}

/**
 * Which group a warning is about: `group N: ...`, or one that names runs (`profile@host`,
 * `profile on host`) of exactly one group. Undefined: it is about the results as a whole.
 */
export function warningGroup(warning: string, groups: readonly ComparisonGroup[]): number | undefined {
  const numbered = /^group (\d+):/.exec(warning);
  if (numbered !== null) return Number(numbered[1]) - 1;
  const naming = groups.flatMap((group, index) => (group.sweep.some((entry) => warning.includes(`${entry.profile}@${entry.host}`) || warning.includes(`${entry.profile} on ${entry.host}`)) ? [index] : []));
  return naming.length === 1 ? naming[0] : undefined;
}

const STYLE = `
:root { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", system-ui, sans-serif; color: #111827; background: #f9fafb; }
body { margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; }
h1 { font-size: 1.6rem; margin: 8px 0; } h2 { font-size: 1.25rem; margin-top: 32px; border-bottom: 2px solid #e5e7eb; padding-bottom: 4px; } h3 { font-size: 1rem; margin: 20px 0 8px; }
.meta { color: #4b5563; font-size: 0.9rem; }
.warnings { background: #fef3c7; border-left: 4px solid #d97706; padding: 8px 16px; } .warnings li { margin: 4px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.chart { margin: 0; background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; }
.canvas { position: relative; height: 340px; }
.table { overflow-x: auto; } table { border-collapse: collapse; font-size: 0.85rem; background: #fff; }
th, td { border: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; white-space: nowrap; } th { background: #f3f4f6; }
footer { margin-top: 40px; color: #6b7280; font-size: 0.8rem; }
`;

/**
 * Draws every chart from the serialised configurations and records, for tests and for the
 * reader's console, how many were drawn. Runs after Chart.js in the same page.
 */
const DRAW = `
(function () {
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  var drawn = [];
  specs.forEach(function (spec) {
    var chart = new Chart(document.getElementById(spec.id), spec.config);
    if (chart.data.datasets.some(function (dataset) { return dataset.data.length > 0; })) drawn.push(spec.id);
  });
  window.zscReport = { charts: specs.length, drawn: drawn };
})();
`;

/** JSON inside a <script> element: `<` escaped so no string in the data can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** The warnings about the results as a whole, then where each group's own are. */
function warningsBox(general: readonly string[], pointers: readonly string[]): string {
  if (general.length === 0 && pointers.length === 0) return '';
  return `<section class="warnings"><h2>Warnings</h2>${general.length > 0 ? warningList(general) : ''}${pointers.length > 0 ? `<p>${pointers.map(escapeHtml).join('<br>')}</p>` : ''}</section>`;
}

const onlyFallback = (group: ComparisonGroup | undefined): boolean => group !== undefined && group.platforms.length > 0 && group.platforms.every((entry) => entry.fallback);

export function renderReport(input: ReportInput): string {
  const charts: ChartSpec[] = [];
  const { groups } = input.comparison;
  const byGroup = input.comparison.warnings.map((warning) => warningGroup(warning, groups));
  const general = input.comparison.warnings.filter((_warning, index) => byGroup[index] === undefined);
  // A group that only ran on a CPU fallback is not what its profiles are for: shown after the others (its number kept).
  const order = groups.map((_group, index) => index).sort((a, b) => Number(onlyFallback(groups[a])) - Number(onlyFallback(groups[b])));
  const sections = order.map((index) =>
    groupSection(groups[index] as ComparisonGroup, input.groups[index] as RunGroup, index, input, charts, input.comparison.warnings.filter((_warning, at) => byGroup[at] === index)),
  );
  const curveSections = input.comparison.curves.map((group, index) => {
    const chart = curveChart(`load-${index + 1}`, group, index, input.comparison.curves.length);
    charts.push(chart);
    const rows = curveRows(group);
    return `<section class="group"><h2>${escapeHtml(curveHeading(group, index, input.comparison.curves.length))}</h2>\n<div class="charts">${chartHtml(chart)}</div>\n${table(rows.head, rows.rows)}</section>`;
  });
  let webUiSection = '';
  if (input.comparison.webUi.length > 0) {
    const chart = webUiChart('webui', input.comparison.webUi);
    charts.push(chart);
    const rows = webUiRows(input.comparison.webUi);
    webUiSection = `<section class="group"><h2>Web UI responsiveness 网页响应</h2>\n<p class="meta">${escapeHtml(WEBUI_RULE)}</p>\n<div class="charts">${chartHtml(chart)}</div>\n${table(rows.head, rows.rows)}</section>`;
  }
  const library = input.library;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>zsc-bench report 基准报告</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>zsc-bench report 零样本分类基准报告</h1>
<p class="meta">Generated ${escapeHtml(input.generatedAt)} by zsc-bench ${escapeHtml(input.toolVersion)} from ${input.files.length} file(s): ${input.files.map(escapeHtml).join(', ')}. Reference label count ${input.comparison.referenceLabels}.</p>
</header>
${warningsBox(general, order.flatMap((index) => { const count = byGroup.filter((at) => at === index).length; return count > 0 ? [`Group ${index + 1}: ${count} warning(s), under its heading`] : []; }))}
${[...sections, ...curveSections, webUiSection].filter((part) => part !== '').join('\n')}
<footer>Charts drawn with ${escapeHtml(library.name)} ${escapeHtml(library.version)} (${escapeHtml(library.license)} licence), inlined: this file loads nothing from the network.</footer>
<script type="application/json" id="chart-data">${scriptJson(charts.map((chart) => ({ id: chart.id, config: chart.config })))}</script>
<script>${library.source.replace(/<\/script/gi, '<\\/script')}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
