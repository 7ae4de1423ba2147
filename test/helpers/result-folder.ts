import type { AbComparison } from '../../src/compare/ab.js';
import { formatAbCsv, type AbContext } from '../../src/compare/ab-csv.js';
import { ResultFiles, resultStem, SINGLE_CSV } from '../../src/io/result-files.js';
import { formatLoadCsv, type LoadContext } from '../../src/load/csv.js';
import { summarizeLevel } from '../../src/load/summary.js';
import { formatWebUiCsv, type WebUiContext, type WebUiMeasurement } from '../../src/load/webui-csv.js';
import { loadProfile, profileHash } from '../../src/profiles/profile.js';
import { formatSavedProfile } from '../../src/profiles/saved-profile.js';
import { formatSamplesCsv, formatSummaryCsv, RUN_FILES } from '../../src/runner/results-csv.js';
import type { Sample } from '../../src/schema/results.js';
import { summaryRow } from './result-row.js';

export interface ResultFolder {
  run: Readonly<Record<keyof typeof RUN_FILES, string>>;
  /** Two A/B runs stamped the same second: the second takes `-2`. */
  ab: [string, string];
  load: string;
  webui: string;
}

const TIMESTAMP = '2026-12-03T10:00:00.000Z';
const spread = (p50: number): WebUiMeasurement['loadMs'] => ({ p50, p95: p50 * 1.5, max: p50 * 2 });

/**
 * A results folder holding every kind zsc-bench writes (a run's summary, samples and saved
 * profile; two A/B CSVs; a load CSV; a web UI CSV), written by the project's own formatters and
 * ResultFiles from rows built here, not by running benchmarks.
 */
export function writeEveryResultKind(dir: string): ResultFolder {
  const profile = loadProfile('cpu');
  const shared = { host: 'vm', timestamp: TIMESTAMP, profile: profile.name, precision: profile.precision, actualProvider: 'cpu' };
  const rows = [3, 5].map((labels, index) =>
    summaryRow({
      ...shared, profileHash: profileHash(profile), requestedProvider: 'cpu', fallback: false, fallbackReason: '', template: profile.template, labelPool: profile.labelPool.join('|'),
      dataset: 'datasets/thucnews-style-100.csv', gpuMemoryMiB: undefined, items: 2, repeats: 2, samples: 4, labels, meanMs: 100 + 50 * index, p50Ms: 100 + 50 * index, p95Ms: 110 + 50 * index, p99Ms: 112 + 50 * index,
      minMs: 95 + 50 * index, p90Ms: 108 + 50 * index, maxMs: 115 + 50 * index, meanCi95LowMs: 98 + 50 * index, meanCi95HighMs: 102 + 50 * index, medianCi95LowMs: 98 + 50 * index, medianCi95HighMs: 102 + 50 * index,
    }),
  );
  const samples: Sample[] = [3, 5].flatMap((labelCount) =>
    ['s-01', 's-02'].flatMap((itemId, item) => [0, 1].map((repeat) => ({ labelCount, itemId, repeat, totalMs: 90 + 10 * item + repeat + 10 * labelCount, inferenceMs: 80, tokenizeMs: 1, runs: 1, gflop: 10, predicted: '体育', gold: '体育', scores: '体育:0.600000000|财经:0.400000000' }))),
  );
  const run = new ResultFiles(resultStem(dir, [profile.name, 'vm'], TIMESTAMP), RUN_FILES);
  run.write({
    summary: formatSummaryCsv(rows),
    samples: formatSamplesCsv(samples, shared),
    profile: (paths) => formatSavedProfile(profile, { summary: paths.summary, command: { profile: profile.name, flags: {} } }),
  });

  const side = { profile: profile.name, profileHash: profileHash(profile), precision: 'fp32', actualProvider: 'cpu', modelId: 'synthetic:structbert-base', modelSha256: 'a'.repeat(64), synthetic: true, template: profile.template, pairsPerRun: 'auto: 3', intraOpThreads: 1 };
  const abContext: AbContext = {
    timestamp: TIMESTAMP, host: 'vm', toolVersion: '0.1.0', onnxruntimeVersion: '1.30.0', dataset: 'datasets/thucnews-style-100.csv', datasetHash: 'd'.repeat(64),
    items: 4, metric: 'mean', level: 0.95, maxRegression: 0.1, sides: { a: side, b: { ...side, profile: 'cpu-int8', precision: 'int8' } },
  };
  const comparison: AbComparison = { labels: 3, pairs: 3, aValueMs: 120.5, bValueMs: 100.25, ratio: 1.2, interval: [1.1, 1.3], pairRatios: [1.15, 1.2, 1.25], verdict: 'regression' };
  const ab = [0, 1].map(() => {
    const files = new ResultFiles(resultStem(dir, ['ab', 'cpu', 'vs', 'cpu-int8', 'vm'], TIMESTAMP), SINGLE_CSV);
    files.write({ csv: formatAbCsv([comparison], abContext) });
    return files.paths.csv;
  });

  const server = {
    serverHost: 'vm', serverProfile: profile.name, serverToolVersion: '0.1.0', modelId: 'synthetic:structbert-base', modelSha256: 'a'.repeat(64), precision: 'fp32',
    requestedProvider: 'cpu', actualProvider: 'cpu', fallback: false, synthetic: true,
  };
  const loadContext: LoadContext = {
    ...server, toolVersion: '0.1.0', timestamp: TIMESTAMP, clientHost: 'client', url: 'http://vm:7860', sameMachine: false, durationS: 10, warmupS: 2, timeoutS: 30,
    labels: 3, dataset: 'datasets/thucnews-style-100.csv', datasetHash: 'd'.repeat(64), fallbackReason: '', batching: 'on', inexactBatching: false, maxBatchPairs: 64, maxWaitMs: 5, maxQueue: 64,
  };
  const levels = [1, 2].map((concurrency) =>
    summarizeLevel({ mode: 'closed', concurrency }, [100, 110, 120].map((latencyMs) => ({ outcome: 'ok' as const, latencyMs: latencyMs * concurrency, pairs: 3, serverMs: 90, batchRequests: concurrency, batchRuns: 1 })), 1000, concurrency),
  );
  const load = new ResultFiles(resultStem(dir, ['load', 'vm'], TIMESTAMP), SINGLE_CSV);
  load.write({ csv: formatLoadCsv(levels, loadContext) });

  const webUiContext: WebUiContext = { toolVersion: '0.1.0', timestamp: TIMESTAMP, clientHost: 'client', browser: 'Chromium 140', url: 'http://vm:7860', cpuSlowdown: 1, ...server };
  const pages: WebUiMeasurement[] = (['normal', 'lite'] as const).map((page, index) => ({
    page, path: page === 'normal' ? '/' : '/lite', loads: 5, classifications: 20, domContentLoadedMs: spread(50 + index), loadMs: spread(80 + index), barsMs: spread(150 + index),
    serverMs: spread(100), addedMs: spread(50 + index), renderMs: spread(5), longTasks: 1, longTaskTotalMs: 60, longTaskMaxMs: 60,
  }));
  const webui = new ResultFiles(resultStem(dir, ['webui', 'vm'], TIMESTAMP), SINGLE_CSV);
  webui.write({ csv: formatWebUiCsv(pages, webUiContext) });

  return { run: run.paths, ab: [ab[0] as string, ab[1] as string], load: load.paths.csv, webui: webui.paths.csv };
}
