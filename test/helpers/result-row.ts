import type { ResultRow } from '../../src/compare/read-results.js';
import { MIB } from '../../src/schema/csv.js';
import type { SummaryRow } from '../../src/schema/results.js';

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

/** A summary row as written, every field set with values the file holds exactly (reading back gives them unchanged). */
export function summaryRow(overrides: Partial<SummaryRow> = {}): SummaryRow {
  return {
    schemaVersion: 2, kind: 'summary', toolVersion: '0.1.0', gitCommit: 'abc123', timestamp: '2026-11-25T00:26:57.018Z', profile: 'cpu', profileHash: 'f'.repeat(64),
    host: 'vm', os: 'linux 6.1', arch: 'x64', emulated: '', cpuModel: 'Xeon, "quoted"', cpuCores: 2, cpuFlags: 'avx avx2', ramBytes: 23999.5 * MIB,
    gpuModel: '', gpuDriver: '', cudaVersion: '', nodeVersion: 'v20.20.0', onnxruntimeVersion: '1.30.0', requestedProvider: 'cuda',
    actualProvider: 'cpu', providerTimeShares: 'cpu 100.0%', providerNodeShares: 'cpu 100.0%', labelPool: '体育|财经', ciBlocks: 5, ciUnit: 'pass', processes: 1, processesFailed: '', coldStartMsMean: 1250.5, coldStartsMs: '', fallback: true, fallbackReason: 'cuda unavailable\nsecond line', precision: 'int8', modelId: 'synthetic:structbert-base',
    modelSha256: 'a'.repeat(64), synthetic: true, dataset: 'datasets/x.csv', datasetHash: 'd'.repeat(64), template: '这是一篇关于{}的新闻。',
    intraOpThreads: 2, threadsReason: 'auto: 2 physical cores', pairsPerRunSetting: 'auto', pairsPerRunCalibration: '1:151.2 3:149.8', pairsPerRunCalibrationSource: 'measured', interOpThreads: undefined, graphOptimizationLevel: 'all', executionMode: 'sequential', prepacking: true, cpuMemArena: true, memPattern: true, platformMatch: false, items: 10, repeats: 5, warmup: 2,
    labels: 3, pairsPerRun: 3, samples: 50, meanMs: 101.125, stdMs: 3.5, minMs: 95.001, p50Ms: 100.5, p90Ms: 104.25, p95Ms: 105.75, p99Ms: 110.125, maxMs: 111,
    meanCi95LowMs: 100.25, meanCi95HighMs: 102, medianCi95LowMs: 99.5, medianCi95HighMs: 101.5,
    rerunEarlierRuns: 4, rerunMeanLowMs: 70.125, rerunMeanHighMs: 145.75, rerunMedianLowMs: 69.5, rerunMedianHighMs: 145.25, rerunMeanSdLog: 0.10625, rerunMedianSdLog: 0.1125, itemsPerSecond: 9.8765, pairsPerSecond: 29.6295,
    rssAfterLoadBytes: 400.5 * MIB, peakRssBytes: 812.5 * MIB, gpuMemoryMiB: 1234, cpuPercentOneCore: 190.25, cpuPercentAllCores: 95.13,
    modelLoadMs: 1500.5, firstInferenceMs: 120.125, accuracy: 0.5, accuracyMeaningful: false, harnessOverheadPercent: 0.35,
    increaseVsMinLabelsPercent: 0, fitMsPerLabel: 50.5, fitInterceptMs: -49.75, fitR2: 0.9999, costPerHour: 1.006,
    scenario: 'single-stream+offline', offlineItemsPerSecond: 12.3456, offlinePairsPerSecond: 37.0368, offlineBestBatchItems: 4, offlineByBatch: '1:10.00 4:12.35',
    gflopPerItem: 69.812, achievedGflopPerS: 180.25, peakGflopPerS: 193.5, peakProbe: 'matmul 512x1024x4096 fp32, cpu, 2 thread(s), best of 8, 2026-12-02', mfuPercent: 93.15,
    cpuMhzMin: 2400, cpuMhzMax: 3100, maxTempC: 61.5, throttled: false, throttleReason: '', passMeansMs: '101.1 100.9 101.4', driftPercent: 0.25, driftNoisePercent: 1.5, driftBeyondNoise: false,
    energyJoulesPer1000: 812.25, energySource: 'rapl', parityReference: 'models/x/onnx/model.onnx', parityWeights: 'synthetic', parityItems: 10, parityFlipPercent: 10,
    parityMeanAbsDiff: 0.001234, parityMaxAbsDiff: 0.012345, batchCompositionItems: 8, batchCompositionFlipPercent: 0, batchCompositionMaxAbsDiff: 0.000123,
    loadStart: 0.52, loadEnd: 1.25, stealPercent: 0.5, othersCpuPercent: 2.25, cpuGovernor: 'performance', cpuTurbo: true, machineBusy: '',
    monitor: 'on', monitorSources: 'temp: coretemp x2; clock: cpufreq x2', peakProbeSource: 'measured',
    ...overrides,
  };
}
