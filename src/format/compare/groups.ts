/** What keeps a group of runs (or of load curves) apart: its headings and its fields. */
import type { ComparisonGroup } from '../../compare/comparison.js';
import type { CurveGroup } from '../../compare/curves.js';
import type { ComparabilityKey } from '../../compare/runs.js';
import type { Fields } from './columns.js';

/** The model and data behind a group, run or load alike. */
export type Measured = Pick<ComparabilityKey, 'precision' | 'modelId' | 'modelSha256' | 'dataset' | 'datasetHash'>;

export const MEASURED_FIELDS = {
  precision: { read: (group) => group.precision },
  model_id: { read: (group) => group.modelId },
  model_sha256: { read: (group) => group.modelSha256 },
  dataset: { read: (group) => group.dataset },
  dataset_hash: { read: (group) => group.datasetHash },
} satisfies Fields<Measured>;

/** The rest of a run group's comparability key. */
export const KEY_FIELDS = {
  label_pool: { read: (key) => key.labelPool },
  template: { read: (key) => key.template },
  pairs_per_run_setting: { read: (key) => key.pairsPerRunSetting },
  graph_optimization: { read: (key) => key.graphOptimizationLevel },
  onnxruntime_version: { read: (key) => key.onnxruntimeVersion },
  emulated: { read: (key) => key.emulated },
} satisfies Fields<ComparabilityKey>;

export function groupHeading(group: ComparisonGroup, index: number, count: number): string {
  return count > 1 ? `Group ${index + 1} of ${count}: ${group.title}` : group.title;
}

export function curveHeading(group: CurveGroup, index: number, count: number): string {
  const title = `${group.precision} · model ${group.modelId} (sha256 ${group.modelSha256.slice(0, 12)}) · dataset ${group.dataset} (sha256 ${group.datasetHash.slice(0, 12)}) · ${group.labels} labels per request`;
  return `Throughput-latency curves${count > 1 ? ` ${index + 1} of ${count}` : ''}: ${title}`;
}

/** In place of the platforms table when no run has a row at the reference label count. */
export const noPlatformsNote = (referenceLabels: number): string => `(no run has a ${referenceLabels}-label row)`;
