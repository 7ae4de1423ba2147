import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { checkThreads, parseIntegerInRange, parseList, parsePositiveNumber, parseThreads } from '../shell/parse.js';
import { BOUNDS } from '../shell/bounds.js';
import { MAX_LABELS } from '../core/labels.js';
import { checkWritable } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { loadProfile, parsePairsPerRun, parseScenario, type Profile } from '../profiles/profile.js';
import type { RunCommand } from '../profiles/saved-profile.js';
import { parsePrecision } from '../models/precision.js';
import { parseProviderList } from '../core/session.js';
import { DEFAULT_PROGRESS_INTERVAL_S } from '../format/progress.js';
import { formatInterruption, formatRunTables, runWarnings } from '../format/run-table.js';
import { listenToRun } from '../format/run-listener.js';
import { Benchmark } from '../runner/benchmark.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';

export interface RunFlags {
  profile: string;
  model?: string;
  dataset?: string;
  items?: string;
  repeats?: string;
  labels?: string;
  pairsPerRun?: string;
  scenario?: string;
  parityReference?: string;
  /** Commander's --no-parity sets this false. */
  parity?: boolean;
  precision?: string;
  provider?: string;
  threads?: string;
  warmup?: string;
  progressInterval: string;
  out: string;
  allowFallback?: boolean;
  json?: boolean;
  wide?: boolean;
}

export const RUN_DEFAULTS = { out: 'results', progressInterval: String(DEFAULT_PROGRESS_INTERVAL_S) } as const;

function applyOverrides(profile: Profile, flags: RunFlags): Profile {
  const labelCounts = flags.labels === undefined ? profile.labelCounts : [...new Set(parseList(flags.labels, '--labels', (item, flag) => parseIntegerInRange(item, flag, 1, MAX_LABELS)))].sort((a, b) => a - b);
  return {
    ...profile,
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}),
    ...(flags.items !== undefined ? { items: parseIntegerInRange(flags.items, '--items', 1, BOUNDS.items) } : {}),
    ...(flags.repeats !== undefined ? { repeats: parseIntegerInRange(flags.repeats, '--repeats', 1, BOUNDS.repeats) } : {}),
    labelCounts,
    ...(flags.pairsPerRun !== undefined ? { pairsPerRun: parsePairsPerRun(flags.pairsPerRun, '--pairs-per-run') } : {}),
    ...(flags.scenario !== undefined ? { scenario: parseScenario(flags.scenario, '--scenario') } : {}),
    ...(flags.precision !== undefined ? { precision: parsePrecision(flags.precision, '--precision') } : {}),
    ...(flags.provider !== undefined ? { executionProviders: parseProviderList(flags.provider, '--provider') } : {}),
    ...(flags.threads !== undefined ? { intraOpThreads: parseThreads(flags.threads, '--threads') } : {}),
    ...(flags.warmup !== undefined ? { warmup: parseIntegerInRange(flags.warmup, '--warmup', 0, 1000) } : {}),
  };
}

/** The flags that shaped what ran, as given (output-only flags such as --out and --json left out), for the saved profile. */
function runCommandOf(flags: RunFlags): RunCommand {
  const given: Array<[string, string | boolean | undefined]> = [
    ['--model', flags.model],
    ['--dataset', flags.dataset],
    ['--items', flags.items],
    ['--repeats', flags.repeats],
    ['--labels', flags.labels],
    ['--warmup', flags.warmup],
    ['--precision', flags.precision],
    ['--provider', flags.provider],
    ['--threads', flags.threads],
    ['--pairs-per-run', flags.pairsPerRun],
    ['--scenario', flags.scenario],
    ['--parity-reference', flags.parityReference],
    ['--no-parity', flags.parity === false ? true : undefined],
    ['--allow-fallback', flags.allowFallback === true ? true : undefined],
  ];
  return { profile: flags.profile, flags: Object.fromEntries(given.filter((entry): entry is [string, string | boolean] => entry[1] !== undefined)) };
}

export async function runCommand(flags: RunFlags, io: Io): Promise<ExitCode> {
  const profile = applyOverrides(loadProfile(flags.profile), flags);
  const bench = new Benchmark({
    profile,
    outDir: resolve(flags.out),
    allowFallback: flags.allowFallback === true,
    parityReference: flags.parity === false ? false : flags.parityReference,
    command: runCommandOf(flags),
    ...(flags.threads !== undefined ? { threadsReason: '--threads' } : {}),
    modelLabel: '--model',
  });
  checkThreads(profile.intraOpThreads, `profile ${profile.name}: field "intraOpThreads"`);
  checkThreads(profile.interOpThreads, `profile ${profile.name}: field "interOpThreads"`);
  if (flags.parityReference !== undefined && flags.parity === false) throw new UsageError('--parity-reference and --no-parity contradict each other; pass one');
  checkWritable(resolve(flags.out));
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
    io.out(`${JSON.stringify({ state: outcome.state, files: outcome.files ?? null, rows: outcome.rows }, null, 2)}\n`);
  } else {
    for (const warning of runWarnings(outcome.rows)) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
    if (outcome.rows.length > 0) io.out(formatRunTables(outcome.rows, io.outStyle, { wide: flags.wide === true }));
    if (outcome.files !== undefined) io.err(`${io.errStyle.dim(`results: ${outcome.files.summary}\n         ${outcome.files.samples}\n         ${outcome.files.profile}`)}\n`);
  }
  if (outcome.state === 'aborted') {
    io.err(`${formatInterruption(outcome, outcome.files?.summary)}\n`);
    return EXIT.interrupted;
  }
  return EXIT.ok;
}
