import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { parsePositiveNumber } from '../shell/parse.js';
import { addFlags, applyOverrides, described, flag, flagWithDefault, givenFlags, outputOnly, switchFlag, formatFlags, WIDE_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { PROFILE_FIELD_FLAGS, PROFILE_FLAG } from '../shell/profile-flags.js';
import { checkWritable } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadProfile } from '../profiles/profile.js';
import type { RunCommand } from '../profiles/saved-profile.js';
import { DEFAULT_PROGRESS_INTERVAL_S } from '../format/progress.js';
import { formatInterruption, formatRunTables, runWarnings } from '../format/run-table.js';
import { listenToRun } from '../format/run-listener.js';
import { Benchmark } from '../runner/benchmark.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';

/** The profile every bundled profile extends: its values are the defaults help texts show. */
const BASE = loadProfile('base');

const FIELD = PROFILE_FIELD_FLAGS;

/** run's flags: those that override a profile field name it; output-only ones stay out of the saved command line. */
export const RUN_FLAGS = {
  profile: PROFILE_FLAG,
  model: described(FIELD.model, 'model folder, Hugging Face id or synthetic:<arch> (default: the profile\'s)'),
  dataset: described(FIELD.dataset, 'dataset CSV with id,label,text (default: the profile\'s)'),
  items: described(FIELD.items, `items to use from the dataset, spread across labels (default: the profile's; base ${BASE.items})`),
  repeats: described(FIELD.repeats, `timed runs per item at each label count (default: the profile's; base ${BASE.repeats})`),
  labels: described(FIELD.labels, `label counts to sweep (default: the profile's; base ${BASE.labelCounts.join(',')})`),
  processes: described(FIELD.processes, `fresh processes the passes spread over, one after another, each loading the model; the intervals are then over processes (default: the profile's; base ${BASE.processes ?? 1}; at most one per repeat)`),
  warmup: described(FIELD.warmup, `untimed runs before each label count (default: the profile's; base ${BASE.warmup})`),
  precision: described(FIELD.precision, `fp32, fp16 or int8 (default: the profile's; base ${BASE.precision})`),
  provider: described(FIELD.provider, `execution provider(s) in priority order, e.g. cuda or tensorrt,cuda (default: the profile's; base ${BASE.executionProviders.join(',')})`),
  threads: described(FIELD.threads, 'intra-op threads (default: the profile\'s, else every core this process may use)'),
  pairsPerRun: described(FIELD.pairsPerRun, 'most (text, label) pairs per session.run (default: the profile\'s pairsPerRun); auto measures the fastest size once per host'),
  parityReference: flag('--parity-reference <dir>', 'fp32 model folder to compare an fp16/int8 run with (default: the fp32 file in the run\'s own folder, when there)'),
  parity: switchFlag('--no-parity', 'skip the precision parity pass of an fp16/int8 run'),
  scenario: described(FIELD.scenario, 'single-stream (one text at a time), or offline: that, then every item again in batches of the profile\'s offlineBatchSizes items per run (default: the profile\'s)'),
  out: outputOnly(flagWithDefault('-o, --out <dir>', 'results folder', 'results')),
  history: outputOnly(flag('--history <dir>', 'folder of earlier runs of this command on this machine, for where a rerun lands (default: the --out folder)')),
  monitor: switchFlag('--no-monitor', 'no hardware monitor (clock and temperature each second): to measure what it costs; the rows say monitor off'),
  reprobe: switchFlag('--reprobe', 'measure the peak probe and the pairs-per-run calibration afresh, ignoring their caches'),
  allowFallback: switchFlag('--allow-fallback', 'run on CPU when the profile\'s provider cannot load (marked as fallback)'),
  progressInterval: outputOnly(flagWithDefault('--progress-interval <s>', 'seconds between progress lines when stderr is not a terminal', String(DEFAULT_PROGRESS_INTERVAL_S))),
  ...WIDE_FLAGS,
  ...formatFlags(['table', 'json'] as const, 'table', 'table (with progress) or json (JSON only: no table, no progress)'),
};

export type RunFlags = FlagValues<typeof RUN_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  addFlags(program.command('run').description('benchmark a profile: latency, throughput, memory and CPU over the label sweep'), RUN_FLAGS)
    .action(async (flags: RunFlags) => setExitCode(await runCommand(flags, io)));
}

/** The --profile argument and the flags that shaped what ran, as given, for the saved profile. */
export function runCommandOf(flags: RunFlags): RunCommand {
  const { profile: _profile, ...shaping } = RUN_FLAGS;
  return { profile: flags.profile, flags: givenFlags(shaping, flags) };
}

export async function runCommand(flags: RunFlags, io: Io): Promise<ExitCode> {
  const profile = applyOverrides(loadProfile(flags.profile), RUN_FLAGS, flags);
  const bench = new Benchmark({
    profile,
    outDir: resolve(flags.out),
    ...(flags.history !== undefined ? { historyDir: resolve(flags.history) } : {}),
    allowFallback: flags.allowFallback === true,
    parityReference: flags.parity === false ? false : flags.parityReference,
    command: runCommandOf(flags),
    ...(flags.threads !== undefined ? { threadsReason: '--threads' } : {}),
    modelLabel: '--model',
    monitor: flags.monitor !== false,
    reprobe: flags.reprobe === true,
    spreadOverProcesses: true,
  });
  if (flags.parityReference !== undefined && flags.parity === false) throw new UsageError('--parity-reference and --no-parity contradict each other; pass one');
  checkWritable(resolve(flags.out));
  if (flags.history !== undefined && existsSync(flags.history) && !statSync(flags.history).isDirectory()) {
    throw new UsageError(`--history: ${flags.history} is not a folder (expected the folder that holds earlier runs' summary CSVs)`);
  }
  const json = flags.json === true;
  const intervalMs = parsePositiveNumber(flags.progressInterval, '--progress-interval') * 1000;
  const finishProgress = listenToRun(bench, { err: io.err, style: io.errStyle, interactive: io.errIsTTY, intervalMs, quiet: json });
  let outcome;
  try {
    // Opened outside the Ctrl-C handler: an interrupt while the model builds or loads ends the process at once.
    await bench.open();
    outcome = await withInterrupt((signal) => bench.measure(signal));
  } finally {
    finishProgress();
  }
  if (json) {
    io.out(`${JSON.stringify({ state: outcome.state, files: outcome.files ?? null, failedProcesses: outcome.failedProcesses, rows: outcome.rows }, null, 2)}\n`);
  } else {
    for (const warning of runWarnings(outcome.rows)) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
    if (outcome.rows.length > 0) io.out(formatRunTables(outcome.rows, io.outStyle, { wide: flags.wide === true }));
    if (outcome.files !== undefined) io.err(`${io.errStyle.dim(`results: ${outcome.files.summary}\n         ${outcome.files.samples}\n         ${outcome.files.profile}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`${formatInterruption(outcome, outcome.files?.summary)}\n`);
    return EXIT.interrupted;
  }
  if (outcome.failedProcesses.length > 0) {
    const failed = outcome.failedProcesses.map((failure) => `process ${failure.process} (${failure.reason})`).join(', ');
    io.err(`${io.errStyle.red(`incomplete: ${failed} failed; the results hold the other processes only${outcome.files !== undefined ? '' : ' (none completed: no results written)'}`)}\n`);
    return EXIT.incomplete;
  }
  return EXIT.ok;
}
