import { describe, expect, it } from 'vitest';
import { MIB } from '../../src/schema/csv.js';
import { buildComparison } from '../../src/compare/comparison.js';
import type { ResultRow } from '../../src/compare/read-results.js';
import { groupComparableRuns, type Run } from '../../src/compare/runs.js';
import { renderReport } from '../../src/report/html.js';

function row(overrides: Partial<ResultRow>): ResultRow {
  return {
    file: 'r.csv', line: 2, schemaVersion: 1, toolVersion: '0.1.0', timestamp: '2026-11-24T10:00:00.000Z', profile: 'cpu',
    profileHash: 'p1', host: 'vm', requestedProvider: 'cpu', actualProvider: 'cpu', fallback: false, fallbackReason: '',
    precision: 'fp32', modelId: 'synthetic:structbert-base', modelSha256: 'a'.repeat(64), synthetic: true,
    dataset: 'datasets/thucnews-style-100.csv', datasetHash: 'd'.repeat(64), items: 2, repeats: 2, labels: 3, samples: 4,
    meanMs: 100, p50Ms: 100, p95Ms: 110, p99Ms: 112, itemsPerSecond: 10, pairsPerSecond: 30, peakRssBytes: 800 * MIB,
    gpuMemoryMiB: undefined, cpuPercentOneCore: 190, accuracy: 0.5, accuracyMeaningful: false, increaseVsMinLabelsPercent: 0,
    fitMsPerLabel: 50, fitInterceptMs: -50, fitR2: 1, costPerHour: undefined, modelLoadMs: 1000, firstInferenceMs: 120, template: '这是一篇关于{}的新闻。', pairsPerRunSetting: 'auto', labelPool: '体育|财经|科技', intraOpThreads: 2, interOpThreads: undefined, graphOptimizationLevel: 'all', onnxruntimeVersion: '1.30.0', stdMs: 5, minMs: 90, p90Ms: 108, maxMs: 115, meanCi95LowMs: 95, meanCi95HighMs: 105, medianCi95LowMs: 95, medianCi95HighMs: 105, cpuPercentAllCores: 95, harnessOverheadPercent: 0.5,
    cells: { mean_ci95_low_ms: '95', mean_ci95_high_ms: '105', cpu_model: 'Evil <script>alert(1)</script> CPU' },
    ...overrides,
  };
}

const run = (rows: ResultRow[]): Run => ({ file: 'r.csv', profile: rows[0]?.profile ?? '', host: 'vm', timestamp: rows[0]?.timestamp ?? '', rows, pooled: 1 });

function render(runs: Run[]): string {
  const { groups } = groupComparableRuns(runs);
  const comparison = buildComparison(groups, [], { referenceLabels: 3 });
  return renderReport({ comparison, groups, files: ['r.csv'], generatedAt: 'now', toolVersion: '0.1.0', library: { name: 'Chart.js', version: '4', license: 'MIT', source: '/* lib </script> */' } });
}

const chartIds = (html: string): string[] => [...html.matchAll(/<canvas id="([^"]+)"/g)].map((match) => match[1] as string);

describe('renderReport', () => {
  it('draws latency, sweep, memory and CPU per group; the interval comes from the row; text is escaped', () => {
    const html = render([run([row({}), row({ labels: 5, meanMs: 200, cells: {} })])]);
    expect(chartIds(html)).toEqual(['g1-latency', 'g1-sweep', 'g1-memory', 'g1-cpu']);
    expect(html).toContain("content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\"");
    expect(html).toContain('Evil &#60;script&#62;alert(1)&#60;/script&#62; CPU');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('/* lib <\\/script> */');
    const data = JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '[]') as Array<{ id: string; config: { data: { datasets: Array<{ label: string; data: unknown[] }> } } }>;
    const latency = data.find((chart) => chart.id === 'g1-latency');
    expect(latency?.config.data.datasets.map((dataset) => [dataset.label, dataset.data])).toEqual([
      ['mean 平均 (ms)', [100]],
      ['95% interval of the mean 置信区间 (ms)', [[95, 105]]],
      ['p95 (ms)', [110]],
    ]);
    const sweep = data.find((chart) => chart.id === 'g1-sweep');
    expect(sweep?.config.data.datasets.map((dataset) => dataset.label)).toEqual(['cpu@vm mean (ms)', 'cpu@vm fit: 50.00 ms/label (R² 1.000)']);
    expect(sweep?.config.data.datasets[1]?.data).toEqual([{ x: 3, y: 100 }, { x: 5, y: 200 }]);
  });

  it('shows columns newer files carry (utilisation, energy) as charts and a table, and nothing when absent', () => {
    const withExtras = render([run([row({ cells: { mfu_percent: '12.5', energy_j_per_item: '0.8' } })]), run([row({ profile: 'gpu', cells: { mfu_percent: '40' } })])]);
    expect(chartIds(withExtras)).toEqual(['g1-latency', 'g1-sweep', 'g1-memory', 'g1-cpu', 'g1-energy_j_per_item', 'g1-mfu_percent']);
    expect(withExtras).toContain('Further measurements at 3 labels');
    expect(withExtras).toContain('mfu_percent (%)');
    expect(render([run([row({ cells: {} })])])).not.toContain('Further measurements');
  });
});
