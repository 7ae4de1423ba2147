import type { Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { addFlags, flag, flagWithDefault, requiredFlag, formatFlags, WIDE_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { BOUNDS, parseLabelCount, parseLevels, parseNumberInRange, parsePositiveNumber, parseServerUrl } from '../shell/parse.js';
import { UsageError } from '../base/errors.js';
import { toolVersion } from '../env/package.js';
import { ResultFiles, resultStem, SINGLE_CSV } from '../io/result-files.js';
import { datasetName, readDataset, resolveDataset } from '../io/dataset.js';
import { sha256SmallFile } from '../io/hash.js';
import { formatLoadCsv, type LoadContext } from '../load/csv.js';
import { sameMachine, serverFields, serverLabel } from '../load/server-info.js';
import { getJson } from '../load/client.js';
import { LoadGenerator } from '../load/generator.js';
import type { LevelSummary } from '../load/summary.js';
import { buildWorkload } from '../load/workload.js';
import { loadProfile } from '../profiles/profile.js';
import { describeLevel, formatLevelDone, formatLoadPlan, formatLoadTable, loadProgressSnapshot } from '../format/load-table.js';
import { DEFAULT_PROGRESS_INTERVAL_S, ProgressReporter } from '../format/progress.js';
import { checkWritable } from '../shell/output-dir.js';

import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';

const LOAD_DEFAULTS = {
  concurrency: '1,2,4,8,16',
  duration: '10',
  warmup: '2',
  labels: '3',
  dataset: 'datasets/thucnews-style-100.csv',
  timeout: '30',
  out: 'results',
  progressInterval: String(DEFAULT_PROGRESS_INTERVAL_S),
} as const;

export const LOAD_FLAGS = {
  url: requiredFlag('--url <url>', 'the server, e.g. http://127.0.0.1:7860'),
  concurrency: flag('-c, --concurrency <list>', `closed loop: clients per level (default: ${LOAD_DEFAULTS.concurrency})`),
  rate: flag('--rate <list>', 'open loop instead: requests per second per level, sent on schedule'),
  duration: flagWithDefault('--duration <s>', 'seconds measured per level', LOAD_DEFAULTS.duration),
  warmup: flagWithDefault('--warmup <s>', 'unrecorded seconds at each level before measuring', LOAD_DEFAULTS.warmup),
  labels: flagWithDefault('--labels <n>', 'candidate labels per request (gold label plus distractors)', LOAD_DEFAULTS.labels),
  dataset: flagWithDefault('--dataset <file>', 'texts to send (CSV with id,label,text)', LOAD_DEFAULTS.dataset),
  timeout: flagWithDefault('--timeout <s>', 'a request without an answer by then counts as a timeout', LOAD_DEFAULTS.timeout),
  out: flagWithDefault('-o, --out <dir>', 'results folder', LOAD_DEFAULTS.out),
  progressInterval: flagWithDefault('--progress-interval <s>', 'seconds between progress lines when stderr is not a terminal', LOAD_DEFAULTS.progressInterval),
  ...WIDE_FLAGS,
  ...formatFlags(['table', 'json'] as const, 'table', 'table (with progress) or json (JSON only: no table, no progress)'),
};

export type LoadFlags = FlagValues<typeof LOAD_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program.command('load').description('measure a running zsc-bench serve: throughput and latency over concurrency levels or request rates');
  addFlags(command, LOAD_FLAGS).action(async (flags: LoadFlags) => setExitCode(await loadCommand(flags, io)));
}

export const SAME_MACHINE_NOTE =
  'the server runs on this machine: the load generator and the server compete for the same cores, so these figures understate what the server does alone (same_machine=true in the CSV); run load from another machine for clean numbers';

export async function loadCommand(flags: LoadFlags, io: Io): Promise<ExitCode> {
  const base = parseServerUrl(flags.url);
  const levels = parseLevels(flags, LOAD_DEFAULTS.concurrency);
  const durationS = parseNumberInRange(flags.duration, '--duration', BOUNDS.durationS, { unit: 'seconds' });
  const warmupS = parseNumberInRange(flags.warmup, '--warmup', BOUNDS.warmupS, { zero: true, unit: 'seconds' });
  const timeoutS = parseNumberInRange(flags.timeout, '--timeout', BOUNDS.timeoutS, { unit: 'seconds' });
  const labels = parseLabelCount(flags.labels, '--labels');
  const datasetPath = resolveDataset(flags.dataset);
  const workload = buildWorkload(readDataset(datasetPath), loadProfile('base').labelPool, labels);
  const outDir = resolve(flags.out);
  checkWritable(outDir);
  const json = flags.json === true;
  const progressIntervalS = parsePositiveNumber(flags.progressInterval, '--progress-interval');

  const infoUrl = `${base.href.replace(/\/$/, '')}/api/info`;
  let info: unknown;
  try {
    info = await getJson(new URL(infoUrl), 10_000);
  } catch (error) {
    throw new UsageError(`--url: cannot get ${infoUrl} (${(error as Error).message}); is zsc-bench serve running there?`);
  }
  const timestamp = new Date().toISOString();
  const server = serverFields(info, base.href);
  const context: LoadContext = {
    toolVersion: toolVersion(),
    timestamp,
    clientHost: hostname(),
    url: base.href.replace(/\/$/, ''),
    sameMachine: sameMachine(server.serverHost, base),
    durationS,
    warmupS,
    timeoutS,
    labels,
    dataset: datasetName(datasetPath),
    datasetHash: sha256SmallFile(datasetPath),
    ...server,
  };
  const files = new ResultFiles(resultStem(outDir, ['load', serverLabel(context.serverHost, base)], timestamp), SINGLE_CSV);

  const generator = new LoadGenerator();
  const done: LevelSummary[] = [];
  const progress = json ? undefined : new ProgressReporter(io.err, io.errIsTTY, io.errStyle, { intervalMs: progressIntervalS * 1000 });
  if (context.sameMachine && !json) {
    io.err(`${io.errStyle.yellow(`note: ${SAME_MACHINE_NOTE}`)}\n`);
  }
  if (progress !== undefined) {
    progress.line(io.errStyle.dim(`${context.url}: ${context.modelId} (${context.precision}) on ${context.actualProvider}${context.fallback ? ' (FALLBACK)' : ''}, batching ${context.batching}`));
    progress.line(io.errStyle.dim(formatLoadPlan(levels, warmupS, durationS)));
    generator.on('progress', (state) => progress.update(loadProgressSnapshot(state, levels.length, warmupS * 1000, durationS * 1000)));
  }
  generator.on('level', (level) => {
    done.push(level);
    // Rewritten after every level, atomically: Ctrl-C keeps every level that completed.
    files.write({ csv: formatLoadCsv(done, context) });
    progress?.line(io.errStyle.dim(formatLevelDone(level)));
  });

  const outcome = await withInterrupt((signal) =>
    generator.run(
      { url: new URL(`${context.url}/api/classify`), levels, durationMs: durationS * 1000, warmupMs: warmupS * 1000, timeoutMs: timeoutS * 1000, workload },
      signal,
    ),
  ).finally(() => progress?.finish());

  if (json) {
    io.out(`${JSON.stringify({ state: outcome.state, file: done.length > 0 ? files.paths.csv : null, context, levels: done }, null, 2)}\n`);
  } else if (done.length > 0) {
    io.out(formatLoadTable(done, context, io.outStyle, { wide: flags.wide === true }));
    io.err(`${io.errStyle.dim(`results: ${files.paths.csv}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted at ${describeLevel(outcome.abortedAt)}: kept ${done.length} completed level(s)${done.length > 0 ? ` in ${files.paths.csv}` : ''}\n`);
    return EXIT.interrupted;
  }
  return EXIT.ok;
}
