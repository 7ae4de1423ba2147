import { describe, expect, it } from 'vitest';
import { resultRow } from '../helpers/result-row.js';
import { buildComparison } from '../../src/compare/comparison.js';
import type { ResultRow } from '../../src/compare/read-results.js';
import { groupComparableRuns, type Run } from '../../src/compare/runs.js';
import { renderReport } from '../../src/report/html.js';

/** The shared row, with the interval and an environment cell that must come out escaped. */
function row(overrides: Partial<ResultRow>): ResultRow {
  return resultRow({
    stdMs: 5, minMs: 90, p90Ms: 108, maxMs: 115, meanCi95LowMs: 95, meanCi95HighMs: 105, medianCi95LowMs: 95, medianCi95HighMs: 105,
    cells: { mean_ci95_low_ms: '95', mean_ci95_high_ms: '105', cpu_model: 'Evil <script>alert(1)</script> CPU' },
    ...overrides,
  });
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
    expect(sweep?.config.data.datasets.map((dataset) => dataset.label)).toEqual(['cpu@vm mean (ms)', 'cpu@vm fit: 50.00 ms/label (two label counts: no R²)']);
    expect(sweep?.config.data.datasets[1]?.data).toEqual([{ x: 3, y: 100 }, { x: 5, y: 200 }]);
  });

  it('shows columns newer files carry (utilisation, energy) as charts and a table, and nothing when absent', () => {
    const withExtras = render([run([row({ cells: { mfu_percent: '12.5', energy_j_per_item: '0.8' } })]), run([row({ profile: 'gpu', cells: { mfu_percent: '40' } })])]);
    // One label count: no sweep chart.
    expect(chartIds(withExtras)).toEqual(['g1-latency', 'g1-memory', 'g1-cpu', 'g1-energy_j_per_item', 'g1-mfu_percent']);
    expect(withExtras).toContain('Further measurements at 3 labels');
    expect(withExtras).toContain('算力利用率 Model FLOPs utilisation (MFU) against the MatMul peak (3 labels)');
    expect(withExtras).toContain('Energy j per item (3 labels)');
    expect(render([run([row({ cells: {} })])])).not.toContain('Further measurements');
  });
});
