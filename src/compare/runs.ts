/**
 * Result files from many machines, as runs: reading them (with the samples beside each summary
 * when asked), grouping runs that can be compared, and pooling repeated runs of one profile on
 * one host. Reading touches the filesystem; grouping and pooling are pure.
 */
import { latencyColumns } from '../runner/summary.js';
import { readInputFile } from '../base/input-file.js';
import { sweepFits } from '../runner/summary.js';
import { summarize } from '../stats/statistics.js';
import { unitIntervals } from '../stats/clustered.js';
import { providerName } from '../core/placement.js';
import { UsageError } from '../base/errors.js';
import { decodeUtf8 } from '../io/dataset.js';
import { distinctFiles } from '../io/glob.js';
import { isSavedProfilePath, summaryPathForSavedProfile } from '../profiles/saved-profile.js';
import { parseResultCsv, parseResultTable, readResultTable, resultKindOf, samplesPathFor, type LoadLevel, type ResultKind, type ResultRow, type SampleRecord, type WebUiRecord } from './read-results.js';
import { checkLoadLevel, checkSampleRecord, checkSamplesMatchSummary, checkSummaryRow, checkWebUiRecord } from './validate-results.js';

/** One `zsc-bench run`: its summary rows (one per label count) and, when read, its samples. */
export interface Run {
  file: string;
  profile: string;
  host: string;
  timestamp: string;
  /** Rows sorted by label count. */
  rows: ResultRow[];
  samples?: SampleRecord[];
  /** How many runs were pooled into this one (1 for a plain run). */
  pooled: number;
}

/** How a run is named in tables: its timestamp to the second, or how many runs were pooled. */
export function runLabel(run: Pick<Run, 'timestamp' | 'pooled'>): string {
  if (run.pooled > 1) return `${run.pooled} runs pooled`;
  return run.timestamp.replace(/\.\d+Z$/, 'Z');
}

export interface ReadResults {
  runs: Run[];
  /** Levels of `zsc-bench load` runs: points of throughput-latency curves. */
  loadLevels: LoadLevel[];
  /** Pages measured in a browser by `zsc-bench webui`. */
  webUi: WebUiRecord[];
  warnings: string[];
  /** Result files of kinds the command does not read, one line each: skipped, not wrong. */
  notes: string[];
}

/** The kinds a command can use: runs (their samples are read beside the summary), load curves, web UI pages. */
export type ReadKind = Extract<ResultKind, 'summary' | 'load' | 'webui'>;

export interface ReadOptions {
  withSamples: boolean;
  /** What the command uses; files of the other kinds are skipped with a note. */
  kinds: readonly ReadKind[];
  /** The command's name, for the notes. */
  command: string;
}

/**
 * Rows one result file may hold (its bytes are bounded by INPUT_LIMITS.results): the tables of
 * compare and check take time quadratic in their rows (a 100k-row summary died of heap
 * exhaustion after 34 s). A run writes at most 64 summary rows; more was put together by hand.
 */
export const MAX_RESULT_ROWS = 1024;

/** A file that is missing or cannot be opened: not one refused for its kind or size, which stays its own message. */
class UnreadableError extends UsageError {}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readInputFile(file, 'results');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UnreadableError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return decodeUtf8(bytes, file);
}

/** The samples of one run, from the `-samples.csv` beside its summary, checked against the summary's rows. */
export function readSamplesBeside(summaryFile: string, run: Pick<Run, 'profile' | 'timestamp' | 'rows'>): SampleRecord[] {
  const path = samplesPathFor(summaryFile);
  let content: string;
  try {
    content = readText(path);
  } catch (error) {
    if (!(error instanceof UnreadableError)) throw error;
    throw new UsageError(`${summaryFile}: its samples file ${path} is missing or unreadable; keep the -samples.csv that zsc-bench run wrote beside it`);
  }
  const parsed = parseResultCsv(content, path);
  if (parsed.kind !== 'samples') throw new UsageError(`${path}: not a samples CSV (no total_ms column)`);
  const stranger = parsed.samples.find((sample) => sample.profile !== run.profile || sample.timestamp !== run.timestamp);
  if (stranger !== undefined) {
    throw new UsageError(`${path}: samples of ${stranger.profile} at ${stranger.timestamp} do not belong to the run ${run.profile} at ${run.timestamp} in ${summaryFile}`);
  }
  // Samples rows never span lines (no cell holds a newline): row i is on line i + 2.
  parsed.samples.forEach((sample, index) => checkSampleRecord(sample, path, index + 2));
  checkSamplesMatchSummary(run.rows, parsed.samples, path);
  return parsed.samples;
}

/**
 * Reads the result CSVs of the kinds a command uses; files of other kinds are skipped with a
 * note, so a folder holding every kind zsc-bench writes can be given whole. Samples files given
 * directly are skipped (they are found beside their summary when needed). Files of one kind must
 * share one schema version.
 */
export function readResultFiles(named: readonly string[], options: ReadOptions): ReadResults {
  if (named.length === 0) throw new UsageError('no result files given');
  const runs: Run[] = [];
  const loadLevels: LoadLevel[] = [];
  const webUi: WebUiRecord[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const versions = new Map<string, { value: number; file: string }>();
  // One file named twice, or one run in two files (a copy), would be pooled with itself.
  const { files, repeated } = distinctFiles(named);
  for (const { skipped, kept } of repeated) notes.push(`${skipped}: the same file as ${kept}; read once`);
  const runFiles = new Map<string, string>();
  for (const file of files) {
    // A run's saved profile (a glob such as results/* matches it) is read from beside its summary when needed.
    if (isSavedProfilePath(file)) {
      if (!files.includes(summaryPathForSavedProfile(file))) warnings.push(`${file}: a saved profile on its own is skipped; pass its summary CSV`);
      continue;
    }
    const content = readText(file);
    const notResult = notAResultFile(content);
    if (notResult !== undefined) {
      // A glob such as results/*.csv also matches compare's own CSV output, datasets, notes...
      warnings.push(`${file}: skipped, not a zsc-bench result file (${notResult})`);
      continue;
    }
    const table = parseResultTable(content, file);
    const fileKind = resultKindOf(table, file);
    if (fileKind !== 'samples' && table.records.length > MAX_RESULT_ROWS) {
      throw new UsageError(`${file}: ${table.records.length} rows; a ${fileKind} file zsc-bench reads has at most ${MAX_RESULT_ROWS} (a run writes one row per label count, at most 64): split it`);
    }
    if (fileKind !== 'samples' && !(options.kinds as readonly ResultKind[]).includes(fileKind)) {
      notes.push(`${file}: skipped, kind ${fileKind} (${options.command} reads ${options.kinds.join(', ')})`);
      continue;
    }
    const parsed = readResultTable(table, fileKind, file);
    const kind = parsed.kind === 'samples' || parsed.kind === 'summary' ? 'run' : parsed.kind;
    const version = versions.get(kind);
    if (version !== undefined && parsed.schemaVersion !== version.value) {
      throw new UsageError(`${file}: result schema version ${parsed.schemaVersion}, but ${version.file} has version ${version.value}; rows compare only within one result schema version`);
    }
    if (version === undefined) versions.set(kind, { value: parsed.schemaVersion, file });
    if (parsed.kind === 'samples') {
      if (!files.includes(file.replace(/-samples\.csv$/i, '.csv'))) warnings.push(`${file}: a samples file on its own is skipped; pass its summary CSV (samples are read from beside it)`);
      continue;
    }
    if (parsed.kind === 'load') {
      parsed.levels.forEach((level, index) => checkLoadLevel(level, index + 2));
      loadLevels.push(...parsed.levels);
      continue;
    }
    if (parsed.kind === 'webui') {
      // One line per page: no web UI cell holds a newline.
      parsed.pages.forEach((page, index) => checkWebUiRecord(page, index + 2));
      webUi.push(...parsed.pages);
      continue;
    }
    // Unreachable (no command can list ab): it tells the compiler the rows below are a summary's.
    if (parsed.kind === 'ab') continue;
    parsed.rows.forEach(checkSummaryRow);
    for (const [key, rows] of groupBy(parsed.rows, (row) => `${row.profile}\u0000${row.host}\u0000${row.timestamp}`)) {
      const first = rows[0];
      if (first === undefined) continue;
      const counts = rows.map((row) => row.labels);
      const repeated = counts.find((count, index) => counts.indexOf(count) !== index);
      if (repeated !== undefined) throw new UsageError(`${file}: run ${key.split('\u0000').join(' ')} has two rows for ${repeated} labels`);
      const earlier = runFiles.get(key);
      if (earlier !== undefined) {
        notes.push(`${file}: run ${first.profile} on ${first.host} at ${first.timestamp} is also in ${earlier}; counted once`);
        continue;
      }
      runFiles.set(key, file);
      const run: Run = { file, profile: first.profile, host: first.host, timestamp: first.timestamp, rows: [...rows].sort((a, b) => a.labels - b.labels), pooled: 1 };
      if (options.withSamples) run.samples = readSamplesBeside(file, run);
      runs.push(run);
    }
  }
  return { runs, loadLevels, webUi, warnings, notes };
}

/** Why a file is not a result CSV at all (as opposed to a damaged one), or undefined. */
export function notAResultFile(content: string): string | undefined {
  const text = content.replace(/^\uFEFF/, '');
  if (text.trim() === '') return 'empty';
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
  return header.includes('schema_version') ? undefined : 'no schema_version column';
}

export function groupBy<T>(values: readonly T[], keyOf: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [value]);
    else group.push(value);
  }
  return groups;
}

/**
 * What makes latencies comparable: the same cost per item (model file, precision, dataset, label
 * pool, template, pairs per run setting) run by the same engine settings (graph optimization
 * level, onnxruntime version). Runs that differ in any of these are kept apart. The item count is
 * not in the key: it changes how many samples stand behind a figure, not what one item costs, so
 * short runs of different sizes sit side by side (with a note). Thread counts and repeats are not
 * in it either: machines differ in cores by design. They are shown and noted instead (see
 * `settingWarnings`).
 */
export interface ComparabilityKey {
  precision: string;
  modelId: string;
  modelSha256: string;
  dataset: string;
  datasetHash: string;
  labelPool: string;
  template: string;
  /** The pairs-per-run setting (auto, all or a number): how a text's pairs are batched. */
  pairsPerRunSetting: string;
  graphOptimizationLevel: string;
  onnxruntimeVersion: string;
  /** '' on the machine itself; else the emulator: an emulated run's timings compare with nothing native. */
  emulated: string;
}

export interface RunGroup {
  key: ComparabilityKey;
  runs: Run[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts runs by profile, host, then time: the same order whatever order the files came in. */
export function sortRuns(runs: readonly Run[]): Run[] {
  return [...runs].sort((a, b) => compareText(a.profile, b.profile) || compareText(a.host, b.host) || compareText(a.timestamp, b.timestamp) || compareText(a.file, b.file));
}

function keyOf(run: Run): ComparabilityKey {
  const row = run.rows[0] as ResultRow;
  return {
    precision: row.precision,
    modelId: row.modelId,
    modelSha256: row.modelSha256,
    dataset: row.dataset,
    datasetHash: row.datasetHash,
    labelPool: row.labelPool,
    template: row.template,
    pairsPerRunSetting: row.pairsPerRunSetting,
    graphOptimizationLevel: row.graphOptimizationLevel,
    onnxruntimeVersion: row.onnxruntimeVersion,
    emulated: row.emulated ?? '',
  };
}

/** The key's fields as users know them, in the order differences are named. */
const KEY_FIELDS: ReadonlyArray<[field: Exclude<keyof ComparabilityKey, 'modelId' | 'dataset'>, name: string]> = [
  ['precision', 'precision'],
  ['modelSha256', 'model file (sha256)'],
  ['datasetHash', 'dataset (sha256)'],
  ['labelPool', 'label pool'],
  ['template', 'template'],
  ['pairsPerRunSetting', 'pairs per run'],
  ['graphOptimizationLevel', 'graph optimization level'],
  ['onnxruntimeVersion', 'onnxruntime version'],
  ['emulated', 'emulation'],
];

const keyText = (key: ComparabilityKey): string => KEY_FIELDS.map(([field]) => String(key[field])).join('\u0000');

const short = (text: string, length = 24): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

export function describeKey(key: ComparabilityKey): string {
  return [
    key.precision,
    `model ${key.modelId} (sha256 ${key.modelSha256.slice(0, 12)})`,
    `dataset ${key.dataset} (sha256 ${key.datasetHash.slice(0, 12)})`,
    `template ${short(key.template)}`,
    `pairs per run ${key.pairsPerRunSetting}`,
    `graph ${key.graphOptimizationLevel}`,
    `onnxruntime ${key.onnxruntimeVersion}`,
    ...(key.emulated !== '' ? [`EMULATED (${key.emulated}): timings are the emulator's`] : []),
  ].join(' · ');
}

/**
 * A run's execution mode and memory settings in words, only what differs from ONNX Runtime's
 * defaults (`defaults` when nothing does; files from before these columns ran with the defaults).
 */
export function sessionSettingsText(row: Pick<ResultRow, 'executionMode' | 'prepacking' | 'cpuMemArena' | 'memPattern'>): string {
  const changed = [
    row.prepacking === false ? 'no prepacking' : undefined,
    row.cpuMemArena === false ? 'no arena' : undefined,
    row.memPattern === false ? 'no mem pattern' : undefined,
    row.executionMode === 'parallel' ? 'parallel' : undefined,
  ].filter((part): part is string => part !== undefined);
  return changed.length === 0 ? 'defaults' : changed.join(', ');
}

const threadsOf = (run: Run): string => {
  const row = run.rows[0] as ResultRow;
  return `${row.intraOpThreads ?? 'default'}/${row.interOpThreads ?? 'default'}`;
};

/** Settings that change latency but are not in the key: warned about when runs in one group differ. */
function settingWarnings(group: RunGroup, index: number): string[] {
  const warnings: string[] = [];
  const byThreads = groupBy(group.runs, threadsOf);
  if (byThreads.size > 1) {
    const list = [...byThreads.entries()].map(([threads, runs]) => `${threads}: ${[...new Set(runs.map((run) => `${run.profile}@${run.host}`))].join(', ')}`).join('; ');
    warnings.push(`group ${index + 1}: runs differ in intra/inter-op threads (${list}); latency depends on the thread count, so part of the difference is that`);
  }
  const repeats = new Set(group.runs.map((run) => run.rows[0]?.repeats));
  if (repeats.size > 1) warnings.push(`group ${index + 1}: runs differ in repeats (${[...repeats].join(', ')}): their statistics rest on different numbers of samples`);
  const items = [...new Set(group.runs.map((run) => run.rows[0]?.items ?? 0))].sort((a, b) => a - b);
  if (items.length > 1) {
    warnings.push(`group ${index + 1}: runs of ${items.join(', ')} items side by side: per-item figures (mean and p95 ms, QPS) compare, but the items differ and so do the samples behind each interval`);
  }
  return warnings;
}

/**
 * Splits runs into groups that may be compared with each other. Runs whose comparability key
 * differs are kept apart, and the warning names which fields differ; settings outside the key
 * that differ inside a group are warned about.
 */
export function groupComparableRuns(runs: readonly Run[]): { groups: RunGroup[]; warnings: string[] } {
  const byKey = groupBy(sortRuns(runs), (run) => keyText(keyOf(run)));
  const groups = [...byKey.values()]
    .map((members) => ({ key: keyOf(members[0] as Run), runs: members }))
    .sort((a, b) => compareText(a.key.precision, b.key.precision) || compareText(a.key.modelId, b.key.modelId) || compareText(keyText(a.key), keyText(b.key)));
  const warnings: string[] = [];
  if (groups.length > 1) {
    const differs = KEY_FIELDS.filter(([field]) => new Set(groups.map((group) => String(group.key[field]))).size > 1).map(([, name]) => name);
    warnings.push(
      `results kept apart in ${groups.length} groups because the ${differs.join(', ')} differ: ` +
        groups.map((group, index) => `group ${index + 1} = ${describeKey(group.key)}: ${[...new Set(group.runs.map((run) => run.profile))].join(', ')}`).join('; '),
    );
  }
  groups.forEach((group, index) => warnings.push(...settingWarnings(group, index)));
  return { groups, warnings };
}

/** The runs as read that make up a group's runs (a pooled run stands for several). */
export function readRunsOf(group: RunGroup, read: readonly Run[]): Run[] {
  return read.filter((run) =>
    group.runs.some((member) => member === run || (member.pooled > 1 && member.profile === run.profile && member.host === run.host && member.file.split(' + ').includes(run.file))),
  );
}

/**
 * Pools repeated runs of one profile on one host (same group, same profile configuration) into
 * one run whose statistics come from all their samples. Runs whose configuration differs are
 * left separate, with a warning.
 */
export function poolRepeatedRuns(runs: readonly Run[]): { runs: Run[]; warnings: string[] } {
  const warnings: string[] = [];
  const pooledRuns: Run[] = [];
  for (const members of groupBy(sortRuns(runs), (run) => `${run.profile}\u0000${run.host}\u0000${keyText(keyOf(run))}`).values()) {
    const first = members[0] as Run;
    if (members.length === 1) {
      pooledRuns.push(first);
      continue;
    }
    const configurations = new Set(members.map((run) => `${run.rows[0]?.profileHash}\u0000${run.rows[0]?.items}\u0000${providerName(run.rows[0]?.actualProvider ?? '')}\u0000${threadsOf(run)}`));
    if (configurations.size > 1) {
      warnings.push(`${first.profile} on ${first.host}: ${members.length} runs differ in profile configuration, items, threads or the provider that ran, so they are not pooled`);
      pooledRuns.push(...members);
      continue;
    }
    pooledRuns.push(poolRuns(members));
  }
  return { runs: sortRuns(pooledRuns), warnings };
}

/** One run from several: latency statistics recomputed from the pooled samples. */
export function poolRuns(members: readonly Run[]): Run {
  const first = members[0];
  if (first === undefined) throw new Error('poolRuns: no runs');
  const counts = [...new Set(members.flatMap((run) => run.rows.map((row) => row.labels)))].sort((a, b) => a - b);
  const rows = counts.flatMap((labels): ResultRow[] => {
    const rowsHere = members.flatMap((run) => run.rows.filter((row) => row.labels === labels));
    const samples = members.flatMap((run) => {
      if (run.samples === undefined) throw new Error(`poolRuns: samples of ${run.file} were not read`);
      return run.samples.filter((sample) => sample.labelCount === labels);
    });
    const template = rowsHere[0];
    if (template === undefined || samples.length === 0) return [];
    const stats = summarize(samples.map((sample) => sample.totalMs));
    // Each pooled run is one unit of the intervals: a run-to-run spread, not the single samples'.
    const intervals = unitIntervals(members.map((run) => (run.samples ?? []).filter((sample) => sample.labelCount === labels).map((sample) => sample.totalMs)));
    const weight = (row: ResultRow) => row.samples / rowsHere.reduce((sum, other) => sum + other.samples, 0);
    const meanOf = (value: (row: ResultRow) => number) => rowsHere.reduce((sum, row) => sum + value(row), 0) / rowsHere.length;
    const gpu = rowsHere.map((row) => row.gpuMemoryMiB).filter((value): value is number => value !== undefined);
    return [
      {
        ...template,
        repeats: rowsHere.reduce((sum, row) => sum + row.repeats, 0),
        ...latencyColumns(stats, intervals, labels),
        ciBlocks: intervals.units,
        ciUnit: 'run',
        // Pooled runs are the rerun spread themselves: one run's history says nothing about their mean.
        rerunEarlierRuns: undefined,
        rerunMeanLowMs: Number.NaN,
        rerunMeanHighMs: Number.NaN,
        rerunMedianLowMs: Number.NaN,
        rerunMedianHighMs: Number.NaN,
        rerunMeanSdLog: Number.NaN,
        rerunMedianSdLog: Number.NaN,
        harnessOverheadPercent: meanOf((row) => row.harnessOverheadPercent),
        cpuPercentAllCores: rowsHere.reduce((sum, row) => sum + row.cpuPercentAllCores * weight(row), 0),
        peakRssBytes: Math.max(...rowsHere.map((row) => row.peakRssBytes)),
        gpuMemoryMiB: gpu.length > 0 ? Math.max(...gpu) : undefined,
        cpuPercentOneCore: rowsHere.reduce((sum, row) => sum + row.cpuPercentOneCore * weight(row), 0),
        accuracy: meanOf((row) => row.accuracy),
        modelLoadMs: meanOf((row) => row.modelLoadMs),
        firstInferenceMs: meanOf((row) => row.firstInferenceMs),
      },
    ];
  });
  const fits = sweepFits(rows);
  rows.forEach((row, index) => {
    const fit = fits[index];
    if (fit === undefined) return;
    row.increaseVsMinLabelsPercent = fit.increaseVsMinLabelsPercent;
    row.fitMsPerLabel = fit.fitMsPerLabel;
    row.fitInterceptMs = fit.fitInterceptMs;
    row.fitR2 = fit.fitR2;
  });
  return {
    file: members.map((run) => run.file).join(' + '),
    profile: first.profile,
    host: first.host,
    timestamp: first.timestamp,
    rows,
    samples: members.flatMap((run) => run.samples ?? []),
    pooled: members.reduce((sum, run) => sum + run.pooled, 0),
  };
}

/**
 * What the runs' 95% intervals are over, when any run has several processes: the process-level
 * spread describes a rerun, the pass-level one only the run itself. Undefined when no run has
 * processes (one-process files: today's output unchanged).
 */
export function intervalUnitsNote(runs: readonly Run[]): string | undefined {
  const counts = new Map<string, number>();
  for (const run of runs) {
    const unit = run.rows[0]?.ciUnit ?? 'pass';
    counts.set(unit, (counts.get(unit) ?? 0) + 1);
  }
  if (!counts.has('process')) return undefined;
  const parts = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([unit, count]) => `over ${unit === 'process' ? 'processes' : unit === 'pass' ? 'passes' : `${unit}s`} in ${count} run(s)`);
  return `95% intervals (ci_unit): ${parts.join(', ')}; intervals over processes come nearest to a rerun, but miss the machine's drift between runs; the rerun_* columns, from earlier runs of the same command, say where a rerun lands (README: Where a rerun lands)`;
}
