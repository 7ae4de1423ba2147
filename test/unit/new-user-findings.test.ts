/** The new user's findings (issue 24) in pure functions, value by value: run's notes, the report's charts, the threads note. */
import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/compare/comparison.js';
import type { ResultRow } from '../../src/compare/read-results.js';
import { groupComparableRuns, type Run } from '../../src/compare/runs.js';
import { tiedBest } from '../../src/format/classification.js';
import { formatRunTables, paritySummary } from '../../src/format/run-table.js';
import { makeStyle } from '../../src/format/style.js';
import { accuracyMeaningful } from '../../src/models/build.js';
import { profileThreadsNote } from '../../src/profiles/session-settings.js';
import { renderReport, warningGroup } from '../../src/report/html.js';
import { sweepPairs } from '../../src/runner/runner.js';
import { unwrap } from '../helpers/cli.js';
import { resultRow, summaryRow } from '../helpers/result-row.js';

const plain = makeStyle(false);

describe('run prints what it found', () => {
  it('a parity line per label count that had a parity pass', () => {
    const rows = [summaryRow({ labels: 3 }), summaryRow({ labels: 5, parityFlipPercent: 20, parityItems: 5, parityMaxAbsDiff: 0.25, batchCompositionItems: undefined }), summaryRow({ labels: 10, parityItems: undefined })];
    expect(paritySummary(rows)).toEqual([
      'parity at 3 labels: top label changed for 10.0% of 10 items vs fp32 (max score diff 0.0123); in batches 0.0% (max 0.0001)',
      'parity at 5 labels: top label changed for 20.0% of 5 items vs fp32 (max score diff 0.2500)',
    ]);
    expect(formatRunTables(rows, plain)).toContain('\nparity at 5 labels: top label changed for 20.0% of 5 items vs fp32');
  });

  it('a negative fitted slope is warned about under the fit; a positive one is not', () => {
    const falling = [summaryRow({ labels: 3, fitMsPerLabel: -122.09 }), summaryRow({ labels: 5, fitMsPerLabel: -122.09, fitInterceptMs: 900 })];
    expect(unwrap(formatRunTables(falling, plain))).toContain('the fitted slope is negative (-122.09 ms per label: more labels ran faster), so noise outweighs the cost of a label here; repeat with more --items or --repeats');
    expect(formatRunTables([summaryRow({ labels: 3 }), summaryRow({ labels: 5 })], plain)).not.toContain('slope is negative');
  });

  it('the known-answer model keeps its accuracy; random weights do not', () => {
    expect([accuracyMeaningful('synthetic:overlap', true), accuracyMeaningful('synthetic:tiny', true), accuracyMeaningful('synthetic:structbert-base', true), accuracyMeaningful('acme/nli', false), accuracyMeaningful('synthetic:unknown', true)]).toEqual([true, false, false, true, false]);
    const table = formatRunTables([summaryRow({ modelId: 'synthetic:overlap', accuracy: 0.61, accuracyMeaningful: true })], plain, { wide: true });
    expect(table).toMatch(/│ accuracy │/);
    expect(table).toMatch(/│ 0\.610 +│/);
  });

  it('the plan counts what progress counts: timed pairs and the cold start and warm-ups', () => {
    const items = Array.from({ length: 20 }, () => ({ id: '', label: '', text: '' }));
    // labels 3,5,10 x 20 items x 2 repeats = 720 timed pairs; cold start 3 + 2 warm-ups x 18 = 39 untimed.
    expect(sweepPairs({ labelCounts: [3, 5, 10], items, repeats: 2, warmup: 2 })).toEqual({ timed: 720, untimed: 39 });
  });

  it('classify: ties at the top are found within 1e-6, and only there', () => {
    expect(tiedBest({ labels: ['a', 'b', 'c'], scores: [0.2533, 0.2533, 0.2533] })).toEqual(['a', 'b', 'c']);
    expect(tiedBest({ labels: ['a', 'b', 'c'], scores: [0.4, 0.4 - 5e-7, 0.2] })).toEqual(['a', 'b']);
    expect(tiedBest({ labels: ['a', 'b'], scores: [0.6, 0.4] })).toEqual([]);
  });

  it('a profile asking for more intra-op threads than the machine gives gets a note', () => {
    const budget = { threads: 2, reason: '2 thread(s): 2 physical core(s) of 2 logical CPU(s)' };
    expect(profileThreadsNote({ name: 'pi5-hailo8', intraOpThreads: 4 }, budget)).toBe(
      "pi5-hailo8 runs 4 intra-op threads, but this machine gives 2 (2 thread(s): 2 physical core(s) of 2 logical CPU(s)): the extra threads queue, so latency here is not the profile's machine's; --threads 2 fits this one",
    );
    expect(profileThreadsNote({ name: 'cpu', intraOpThreads: 2 }, budget)).toBeUndefined();
    expect(profileThreadsNote({ name: 'cpu', intraOpThreads: undefined }, budget)).toBeUndefined();
  });
});

const run = (rows: ResultRow[], file = 'r.csv'): Run => ({ file, profile: rows[0]?.profile ?? '', host: rows[0]?.host ?? 'vm', timestamp: rows[0]?.timestamp ?? '', rows, pooled: 1 });

function render(runs: Run[]): string {
  const { groups, warnings } = groupComparableRuns(runs);
  const comparison = buildComparison(groups, [], { referenceLabels: 3 });
  comparison.warnings.unshift(...warnings);
  return renderReport({ comparison, groups, files: ['r.csv'], generatedAt: 'now', toolVersion: '0.1.0', library: { name: 'Chart.js', version: '4', license: 'MIT', source: '' } });
}

interface ChartData {
  id: string;
  config: { data: { datasets: Array<{ label?: string; backgroundColor?: unknown; data: unknown[] }> }; options: { plugins: { title: { text: string } } } };
}
const chartsOf = (html: string): ChartData[] => JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '[]') as ChartData[];

describe('the report', () => {
  it('titles extra charts in words, charts no counts, and marks MFU above 100% with the 100% line', () => {
    const cells = { mfu_percent: '130', drift_noise_percent: '2.5', parity_items: '10', parity_flip_percent: '20' };
    const html = render([run([resultRow({ cells })]), run([resultRow({ profile: 'gpu', cells: { ...cells, mfu_percent: '40' } })])]);
    const charts = chartsOf(html);
    expect(charts.map((chart) => chart.id)).toEqual(['g1-latency', 'g1-memory', 'g1-cpu', 'g1-drift_noise_percent', 'g1-mfu_percent', 'g1-parity_flip_percent']);
    expect(charts.slice(3).map((chart) => chart.config.options.plugins.title.text)).toEqual([
      '噪声 Pass-to-pass noise of the mean latency (3 labels)',
      '算力利用率 Model FLOPs utilisation (MFU) against the MatMul peak (3 labels): above 100% (red) the cached peak probe ran slower than this run',
      '精度一致性 Top-label flips against fp32 (3 labels)',
    ]);
    const mfu = charts.find((chart) => chart.id === 'g1-mfu_percent');
    expect(mfu?.config.data.datasets[0]?.backgroundColor).toEqual(['#dc2626', expect.stringMatching(/^#[0-9a-f]{8}$/)]);
    expect(mfu?.config.data.datasets[1]).toMatchObject({ label: '100% = the measured peak 峰值', data: [100, 100] });
    // The table still has the count.
    expect(html).toContain('<th>parity_items</th>');
  });

  it('a one-count sweep has no chart but a line; a two-count fit shows no R²; three counts show it', () => {
    expect(render([run([resultRow({})])])).toContain('No label sweep chart: every run here measured one label count (3)');
    const two = chartsOf(render([run([resultRow({}), resultRow({ labels: 5, meanMs: 200 })])])).find((chart) => chart.id === 'g1-sweep');
    expect(two?.config.data.datasets[1]?.label).toBe('cpu@vm fit: 50.00 ms/label (two label counts: no R²)');
    const three = chartsOf(render([run([resultRow({}), resultRow({ labels: 5, meanMs: 200 }), resultRow({ labels: 7, meanMs: 300, fitR2: 0.987 })])])).find((chart) => chart.id === 'g1-sweep');
    expect(three?.config.data.datasets[1]?.label).toBe('cpu@vm fit: 50.00 ms/label (R² 0.987)');
  });

  it('warnings go to the group they are about; a fallback-only group comes last, keeping its number', () => {
    const fallback = resultRow({ profile: 'a10g', host: 'gpu', precision: 'fp16', modelSha256: 'b'.repeat(64), requestedProvider: 'cuda', actualProvider: 'cpu', fallback: true });
    const html = render([run([fallback], 'a.csv'), run([resultRow({ host: 'vm' })], 'c.csv'), run([resultRow({ host: 'box', intraOpThreads: 1 })], 'd.csv')]);
    // fp16 sorts first, so the fallback group is group 1, shown after group 2.
    expect(html.indexOf('Group 2 of 2')).toBeLessThan(html.indexOf('Group 1 of 2'));
    const box = /<section class="warnings"><h2>Warnings<\/h2>(.*?)<\/section>/s.exec(html)?.[1] ?? '';
    expect(box).toContain('results kept apart in 2 groups');
    expect(box).toContain('Group 2: 1 warning(s), under its heading');
    expect(box).toContain('Group 1: 1 warning(s), under its heading');
    const group2 = html.slice(html.indexOf('Group 2 of 2'), html.indexOf('Group 1 of 2'));
    expect(group2).toContain('<h3>Warnings for this group</h3><ul><li>group 2: runs differ in intra/inter-op threads');
  });

  it('warningGroup: numbered warnings and warnings naming one group\'s runs', () => {
    const { groups } = groupComparableRuns([run([resultRow({ host: 'vm' })]), run([resultRow({ profile: 't4', host: 'gpu', precision: 'fp16', modelSha256: 'b'.repeat(64) })])]);
    const comparison = buildComparison(groups, [], { referenceLabels: 3 });
    expect(warningGroup('group 2: runs differ', comparison.groups)).toBe(1);
    expect(warningGroup('t4 on gpu asked for cuda', comparison.groups)).toBe(0);
    expect(warningGroup('cpu@vm: two label counts only', comparison.groups)).toBe(1);
    expect(warningGroup('results kept apart in 2 groups: t4@gpu and cpu@vm', comparison.groups)).toBeUndefined();
  });
});
