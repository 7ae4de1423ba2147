/** `zsc-bench ab`'s CSV: comparisons and the run's context as rows of the A/B kind (src/schema/ab.ts). */
import type { AbComparison } from './ab.js';
import { formatRows } from '../io/csv-table.js';
import { AB_CSV, AB_SCHEMA_VERSION, type AbComparisonCells, type AbContextCells } from '../schema/ab.js';

/** One side of an A/B run: what ran as A or as B. */
export interface AbSide {
  profile: string;
  profileHash: string;
  precision: string;
  actualProvider: string;
  modelId: string;
  modelSha256: string;
  synthetic: boolean;
  template: string;
  pairsPerRun: string;
  intraOpThreads: number;
}

/** What stays the same for every row of one A/B run. */
export interface AbContext {
  timestamp: string;
  host: string;
  toolVersion: string;
  onnxruntimeVersion: string;
  dataset: string;
  datasetHash: string;
  items: number;
  metric: AbContextCells['metric'];
  level: number;
  maxRegression: number | undefined;
  sides: Record<'a' | 'b', AbSide>;
}

function contextCells(context: AbContext): AbContextCells {
  const { a, b } = context.sides;
  return {
    toolVersion: context.toolVersion,
    timestamp: context.timestamp,
    host: context.host,
    onnxruntimeVersion: context.onnxruntimeVersion,
    profileA: a.profile,
    profileHashA: a.profileHash,
    precisionA: a.precision,
    actualProviderA: a.actualProvider,
    modelIdA: a.modelId,
    modelSha256A: a.modelSha256,
    syntheticA: a.synthetic,
    templateA: a.template,
    pairsPerRunA: a.pairsPerRun,
    intraOpThreadsA: a.intraOpThreads,
    profileB: b.profile,
    profileHashB: b.profileHash,
    precisionB: b.precision,
    actualProviderB: b.actualProvider,
    modelIdB: b.modelId,
    modelSha256B: b.modelSha256,
    syntheticB: b.synthetic,
    templateB: b.template,
    pairsPerRunB: b.pairsPerRun,
    intraOpThreadsB: b.intraOpThreads,
    dataset: context.dataset,
    datasetHash: context.datasetHash,
    items: context.items,
    metric: context.metric,
    level: context.level,
    maxRegression: context.maxRegression,
  };
}

function comparisonCells(comparison: AbComparison): AbComparisonCells {
  return {
    labels: comparison.labels,
    pairs: comparison.pairs,
    aMs: comparison.aValueMs,
    bMs: comparison.bValueMs,
    ratio: comparison.ratio,
    ciLow: comparison.interval[0],
    ciHigh: comparison.interval[1],
    pairRatios: comparison.pairRatios,
    verdict: comparison.verdict,
  };
}

export function formatAbCsv(comparisons: readonly AbComparison[], context: AbContext): string {
  const cells = contextCells(context);
  return formatRows(AB_CSV, comparisons.map((comparison) => ({ schemaVersion: AB_SCHEMA_VERSION, kind: 'ab' as const, ...cells, ...comparisonCells(comparison) })));
}
