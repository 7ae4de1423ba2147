/**
 * What a run measures, shared by every stage and command that runs items: which items, whether
 * the sweep fits the dataset and the label pool, the untimed warm-up before timing, and what a
 * `pairsPerRun` setting resolves to on a loaded session.
 */
import { isUsageError, UsageError } from '../base/errors.js';
import { MAX_LABELS } from '../core/labels.js';
import type { Classifier } from '../core/classifier.js';
import type { DatasetItem } from '../io/dataset.js';
import type { PairsPerRun, Profile } from '../profiles/profile.js';
import { labelSet } from './label-sets.js';
import { calibratePairsPerRun, type PairsCalibration } from './pairs-calibration.js';

export interface BenchItem {
  id: string;
  label: string;
  text: string;
}

/** The items must exist in the dataset and the largest label count must fit the profile's pool. */
export function requireWorkloadFits(workload: { items: number; labelCounts: readonly number[]; profile: Pick<Profile, 'name' | 'labelPool'>; datasetPath: string; datasetSize: number }): void {
  if (workload.items > workload.datasetSize) {
    throw new UsageError(`--items: ${workload.items} exceeds the ${workload.datasetSize} items in ${workload.datasetPath}`);
  }
  const largest = Math.max(...workload.labelCounts);
  if (largest > workload.profile.labelPool.length) {
    throw new UsageError(`--labels: ${largest} labels exceed the label pool of profile ${workload.profile.name} (${workload.profile.labelPool.length} labels)`);
  }
}

/**
 * Every label of the pool in the profile's template fits the model's input: checked with the
 * model's tokenizer before anything runs, so a long label or template is a one-line
 * error naming it rather than ONNX Runtime's failure halfway through a sweep.
 */
export function requireHypothesesFit(encoder: { encode(text: string, labels: readonly string[], template: string): unknown }, profile: Pick<Profile, 'name' | 'labelPool' | 'template'>, text: string): void {
  try {
    for (let start = 0; start < profile.labelPool.length; start += MAX_LABELS) encoder.encode(text || '.', profile.labelPool.slice(start, start + MAX_LABELS), profile.template);
  } catch (error) {
    if (isUsageError(error)) throw new UsageError(`profile ${profile.name}: ${error.message}`);
    throw error;
  }
}

/** Takes items round-robin across labels, so a small --items still covers every category. */
export function selectItems(dataset: readonly DatasetItem[], count: number): DatasetItem[] {
  // Grouped in place (push, not copy-and-append) and rounds stop at the longest queue: linear in the dataset.
  const byLabel = new Map<string, DatasetItem[]>();
  for (const item of dataset) {
    const queue = byLabel.get(item.label);
    if (queue === undefined) byLabel.set(item.label, [item]);
    else queue.push(item);
  }
  const queues = [...byLabel.values()];
  const longest = queues.reduce((most, queue) => Math.max(most, queue.length), 0);
  const selected: DatasetItem[] = [];
  for (let round = 0; round < longest && selected.length < count; round += 1) {
    for (const queue of queues) {
      const item = queue[round];
      if (item !== undefined && selected.length < count) selected.push(item);
    }
  }
  return selected;
}

/** Each item's candidate labels at one label count: the same seeded sets on every machine. */
export function labelSetsOf(items: readonly BenchItem[], labelPool: readonly string[], labelCount: number, seed: number): string[][] {
  return items.map((item) => labelSet(item.label, labelPool, labelCount, item.id, seed));
}

/**
 * `runs` untimed classifications cycling through the items, so the timed ones meet warm caches
 * and arenas grown for this label count; `afterEach` counts them for progress.
 */
export async function warmUp(
  classifier: Classifier,
  work: { items: readonly BenchItem[]; labelSets: readonly string[][]; runs: number; options: { template: string; pairsPerRun?: number } },
  signal: AbortSignal | undefined,
  afterEach?: () => void,
): Promise<void> {
  for (let warm = 0; warm < work.runs; warm += 1) {
    signal?.throwIfAborted();
    const index = warm % work.items.length;
    await classifier.classify(work.items[index]?.text ?? '', work.labelSets[index] ?? [], work.options);
    afterEach?.();
  }
}

export interface ResolvedPairsPerRun {
  /** Most pairs per session.run; undefined: all pairs of a text in one run. */
  pairsPerRun: number | undefined;
  /** Present when `auto` was calibrated (or read from the calibration cache). */
  calibration?: PairsCalibration;
}

/**
 * What a pairs-per-run setting means on this session: a number as given, `all` as one run per
 * text, `auto` calibrated on the first item's text with as many labels as the largest count.
 */
export async function resolvePairsPerRun(
  classifier: Classifier,
  setting: PairsPerRun,
  sample: { item: BenchItem | undefined; labelPool: readonly string[]; labelCounts: readonly number[]; template: string; seed: number },
  options: { cacheFile?: string; signal?: AbortSignal; fresh?: boolean } = {},
): Promise<ResolvedPairsPerRun> {
  if (setting === 'all') return { pairsPerRun: undefined };
  if (setting !== 'auto') return { pairsPerRun: setting };
  const { item } = sample;
  if (item === undefined) return { pairsPerRun: undefined };
  const largest = Math.max(...sample.labelCounts);
  const calibration = await calibratePairsPerRun(classifier, {
    text: item.text,
    labels: labelSet(item.label, sample.labelPool, largest, item.id, sample.seed),
    labelCounts: sample.labelCounts,
    template: sample.template,
    ...(options.cacheFile !== undefined ? { cacheFile: options.cacheFile } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.fresh === true ? { fresh: true } : {}),
  });
  return { pairsPerRun: calibration.pairsPerRun, calibration };
}
