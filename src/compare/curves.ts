/**
 * Throughput-latency curves from `zsc-bench load` files: one curve per load run and mode,
 * kept apart by the same rule as run results (model file, precision, dataset) plus the labels
 * per request. Pure.
 */
import type { LoadLevel } from './read-results.js';
import { groupBy } from './runs.js';

export interface Curve
  extends Pick<LoadLevel, 'serverHost' | 'serverProfile' | 'requestedProvider' | 'actualProvider' | 'fallback' | 'synthetic' | 'batching' | 'inexactBatching' | 'maxBatchPairs' | 'mode'> {
  /** The load run's timestamp, to the second. */
  run: string;
  /** Sorted by level: clients (closed loop) or requests per second (open loop). */
  points: LoadLevel[];
}

export interface CurveGroup extends Pick<LoadLevel, 'precision' | 'modelId' | 'modelSha256' | 'dataset' | 'datasetHash' | 'labels'> {
  curves: Curve[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function curveOf(points: LoadLevel[]): Curve {
  const first = points[0] as LoadLevel;
  return {
    serverHost: first.serverHost,
    serverProfile: first.serverProfile,
    run: first.timestamp.replace(/\.\d+Z$/, 'Z'),
    requestedProvider: first.requestedProvider,
    actualProvider: first.actualProvider,
    fallback: first.fallback,
    synthetic: first.synthetic,
    batching: first.batching,
    inexactBatching: first.inexactBatching,
    maxBatchPairs: first.maxBatchPairs,
    mode: first.mode,
    points: [...points].sort((a, b) => a.level - b.level),
  };
}

export function buildCurves(levels: readonly LoadLevel[]): { groups: CurveGroup[]; warnings: string[] } {
  const groupKey = (level: LoadLevel) => `${level.precision}\u0000${level.modelSha256}\u0000${level.datasetHash}\u0000${level.labels}`;
  const groups = [...groupBy(levels, groupKey).values()].map((members): CurveGroup => {
    const first = members[0] as LoadLevel;
    const curves = [...groupBy(members, (level) => `${level.file}\u0000${level.timestamp}\u0000${level.mode}`).values()]
      .map(curveOf)
      .sort((a, b) => compareText(a.serverHost, b.serverHost) || compareText(a.serverProfile, b.serverProfile) || compareText(a.batching, b.batching) || compareText(a.run, b.run) || compareText(a.mode, b.mode));
    return { precision: first.precision, modelId: first.modelId, modelSha256: first.modelSha256, dataset: first.dataset, datasetHash: first.datasetHash, labels: first.labels, curves };
  });
  groups.sort((a, b) => compareText(a.precision, b.precision) || compareText(a.modelId, b.modelId) || compareText(a.modelSha256, b.modelSha256) || a.labels - b.labels || compareText(a.datasetHash, b.datasetHash));
  const warnings: string[] = [];
  if (groups.length > 1) {
    warnings.push(`load curves kept apart in ${groups.length} groups (different precision, model file, dataset or labels per request): ${groups.map((group, index) => `curve group ${index + 1} = ${group.precision}, ${group.labels} labels, model sha256 ${group.modelSha256.slice(0, 12)}`).join('; ')}`);
  }
  for (const curve of groups.flatMap((group) => group.curves)) {
    if (curve.fallback) warnings.push(`load on ${curve.serverHost} (${curve.run}): the server asked for ${curve.requestedProvider} but ran on ${curve.actualProvider} (fallback)`);
  }
  return { groups, warnings };
}
