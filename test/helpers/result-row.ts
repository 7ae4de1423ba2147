import type { ResultRow } from '../../src/compare/read-results.js';
import { MIB } from '../../src/schema/csv.js';

/** A summary row read back, with plausible values; tests override what they are about. */
export function resultRow(overrides: Partial<ResultRow>): ResultRow {
  return {
    file: 'r.csv', line: 2, schemaVersion: 1, toolVersion: '0.1.0', timestamp: '2026-11-24T10:00:00.000Z', profile: 'cpu',
    profileHash: 'p1', host: 'vm', requestedProvider: 'cpu', actualProvider: 'cpu', fallback: false, fallbackReason: '',
    precision: 'fp32', modelId: 'synthetic:structbert-base', modelSha256: 'a'.repeat(64), synthetic: true,
    dataset: 'datasets/thucnews-style-100.csv', datasetHash: 'd'.repeat(64), items: 2, repeats: 2, labels: 3, samples: 4,
    meanMs: 100, p50Ms: 100, p95Ms: 110, p99Ms: 112, itemsPerSecond: 10, pairsPerSecond: 30, peakRssBytes: 800 * MIB,
    gpuMemoryMiB: undefined, cpuPercentOneCore: 190, accuracy: 0.5, accuracyMeaningful: false, increaseVsMinLabelsPercent: 0,
    fitMsPerLabel: 50, fitInterceptMs: -50, fitR2: 1, costPerHour: undefined, modelLoadMs: 1000, firstInferenceMs: 120,
    template: '这是一篇关于{}的新闻。', pairsPerRunSetting: 'auto', labelPool: '体育|财经|科技', intraOpThreads: 2, interOpThreads: undefined,
    graphOptimizationLevel: 'all', onnxruntimeVersion: '1.30.0', cells: {},
    stdMs: 5.123456, minMs: 91.25, p90Ms: 108.5, maxMs: 113.75, meanCi95LowMs: 92.0625, meanCi95HighMs: 107.9375,
    medianCi95LowMs: 91.25, medianCi95HighMs: 113.75, cpuPercentAllCores: 95, harnessOverheadPercent: 0.5,
    ...overrides,
  };
}
