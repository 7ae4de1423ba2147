import { dirname, relative, resolve } from 'node:path';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, described, flag, flagWithDefault, outputOnly, formatFlags, WIDE_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { PROFILE_FIELD_FLAGS, PROFILE_FLAG } from '../shell/profile-flags.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { withInterrupt } from '../shell/interrupt.js';
import { parseList, parseMemorySize, parsePercentage, parsePositiveInteger, parseSlo } from '../shell/parse.js';
import { checkWritable } from '../shell/output-dir.js';
import { UsageError } from '../base/errors.js';
import { checkWriteTarget, writeFileAtomic } from '../io/atomic.js';
import { cpuBudget } from '../env/cpu-budget.js';
import { parsePrecision } from '../models/precision.js';
import { isProfilePath, loadProfile, profileFile } from '../profiles/profile.js';
import { checkProfileThreads } from '../profiles/session-settings.js';
import { refuseMissingProviders } from '../core/session.js';
import { TuneRun } from '../compare/tune-run.js';
import { describeSettings } from '../compare/tune.js';
import { tunedProfileDocument } from '../compare/tuned-profile.js';
import { formatTriedTable, formatTune } from '../format/tune-format.js';

const TUNE_DEFAULTS = { labels: '3,10', precisions: 'fp32,int8', maxFlips: '1%', items: '10', pairs: '4', out: 'tuned.json', results: 'results' } as const;

export const TUNE_FLAGS = {
  profile: described(PROFILE_FLAG, 'the starting profile: a name or JSON file'),
  labels: { ...described(PROFILE_FIELD_FLAGS.labels, 'label counts to tune for'), defaultValue: TUNE_DEFAULTS.labels },
  precisions: flagWithDefault('--precisions <list>', 'precisions to try (the model must have them; synthetic models are built)', TUNE_DEFAULTS.precisions),
  maxFlips: flagWithDefault('--max-flips <percent>', 'most top-label flips against fp32 a precision may cause (0% to 100%)', TUNE_DEFAULTS.maxFlips),
  memoryBudget: flag('--memory-budget <size>', 'most peak RSS a setting may reach, e.g. 600MB'),
  slo: flag('--slo <objective>', 'latency objective every label count must meet, e.g. "p95<200ms"'),
  items: flagWithDefault('--items <n>', "items of each screening process and of each pass of the winner's A/B proof (the same texts)", TUNE_DEFAULTS.items),
  pairs: flagWithDefault('--pairs <n>', 'pass pairs of the proof per label count (2 or more)', TUNE_DEFAULTS.pairs),
  out: flagWithDefault('-o, --out <file>', 'where the tuned profile JSON is written', TUNE_DEFAULTS.out),
  results: outputOnly(flagWithDefault('--results <dir>', "folder for the proof's A/B CSV", TUNE_DEFAULTS.results)),
  ...WIDE_FLAGS,
  ...formatFlags(['table', 'json'] as const, 'table', 'table (with progress) or json (JSON only: no table, no progress)'),
};

export type TuneFlags = FlagValues<typeof TUNE_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program.command('tune').description('find the settings to deploy with on this machine (precision, threads, pairs per run, memory, graph optimization), prove the winner with an A/B, write it as a profile');
  addFlags(command, TUNE_FLAGS).action(async (flags: TuneFlags) => {
    setExitCode(await tuneCommand(flags, io));
  });
}

function parseMaxFlips(value: string): number {
  const fraction = parsePercentage(value, '--max-flips');
  if (fraction > 1) throw new UsageError(`--max-flips: expected a percentage from 0% to 100% (of items whose top label may differ from fp32), got '${value}'`);
  return fraction * 100;
}

export async function tuneCommand(flags: TuneFlags, io: Io): Promise<ExitCode> {
  const profile = loadProfile(flags.profile);
  checkProfileThreads(profile);
  refuseMissingProviders(profile.executionProviders);
  const labelCounts = TUNE_FLAGS.labels.parse(flags.labels, '--labels');
  const precisions = parseList(flags.precisions, '--precisions', parsePrecision);
  const maxFlipPercent = parseMaxFlips(flags.maxFlips);
  const memoryBudgetBytes = flags.memoryBudget === undefined ? undefined : parseMemorySize(flags.memoryBudget, '--memory-budget');
  const slo = flags.slo === undefined ? undefined : parseSlo(flags.slo);
  const items = parsePositiveInteger(flags.items, '--items');
  const pairs = parsePositiveInteger(flags.pairs, '--pairs');
  if (pairs < 2) throw new UsageError(`--pairs: expected 2 or more pass pairs (an interval needs at least two), got '${flags.pairs}'`);
  const outFile = resolve(flags.out);
  // The starting profile is an input: never written over (nor any profile it extends, which are bundled or beside it).
  const startFile = profileFile(flags.profile);
  if (resolve(startFile) === outFile) throw new UsageError(`--out: ${flags.out} is the starting profile (--profile); write the tuned profile to another file`);
  checkWriteTarget(outFile);
  checkWritable(dirname(outFile));
  const resultsDir = resolve(flags.results);
  checkWritable(resultsDir);
  const json = flags.json === true;
  const tune = new TuneRun({
    profile,
    labelCounts,
    precisions,
    maxThreads: cpuBudget().threads,
    constraints: { maxFlipPercent, memoryBudgetBytes, slo },
    sloMetric: slo?.metric ?? 'p95',
    items,
    proofPairs: pairs,
    outDir: resultsDir,
  });
  tune.on('model', (message) => io.err(`${io.errStyle.dim(message)}\n`));
  if (!json) {
    tune.on('note', (text) => io.err(`${io.errStyle.yellow(`note: ${text}`)}\n`));
    tune.on('screening', ({ index, dimension, description }) => io.err(io.errStyle.dim(`screening ${index} (${dimension}): ${description}\n`)));
    tune.on('decided', ({ dimension, decision, description }) => io.err(io.errStyle.dim(`${dimension}: now ${description} (screening margin ${(decision.margin * 100).toFixed(1)}%)\n`)));
    tune.on('proof', ({ comparison }) => io.err(io.errStyle.dim(`proof, ${comparison.labels} labels: tuned/start ${comparison.ratio.toFixed(3)} (95% ${comparison.interval[0].toFixed(3)}-${comparison.interval[1].toFixed(3)})\n`)));
  }
  const outcome = await withInterrupt((signal) => tune.run(signal));
  const tunedName = tune.profileOf(outcome.start).name;
  let file: string | undefined;
  let document: Record<string, unknown> | undefined;
  if (outcome.state === 'tuned') {
    const extendsRef = isProfilePath(flags.profile) ? relativeReference(dirname(outFile), startFile) : flags.profile;
    document = tunedProfileDocument({
      extendsRef,
      name: outcome.profile.name,
      startName: profile.name,
      versus: outcome.versus,
      host: hostname(),
      date: new Date().toISOString().slice(0, 10),
      start: outcome.start,
      winner: outcome.winner,
      tried: outcome.tried,
      proof: outcome.proof.comparisons,
      proofItems: items,
      adoptedFor: outcome.adoptedFor,
    });
    writeFileAtomic(outFile, `${JSON.stringify(document, null, 2)}\n`);
    file = flags.out;
  }
  if (json) {
    const { tried, ...rest } = outcome;
    io.out(`${JSON.stringify({ ...rest, tried: tried.map((entry) => ({ ...entry, settings: entry.screening.settings })), file: file ?? null, tunedProfile: document ?? null }, null, 2)}\n`);
  } else if (outcome.state === 'aborted') {
    if (outcome.tried.length > 0) io.out(`${formatTriedTable(outcome.tried, slo?.metric ?? 'p95', io.outStyle, { wide: flags.wide === true })}\n`);
  } else {
    io.out(formatTune({ outcome, profile: profile.name, tunedName, sloMetric: slo?.metric ?? 'p95', file }, io.outStyle, { wide: flags.wide === true }));
  }
  if (outcome.state === 'aborted') {
    io.err(`interrupted after ${outcome.tried.length} screened setting(s): nothing written\n`);
    return EXIT.interrupted;
  }
  if (outcome.state === 'infeasible') {
    io.err(`error: ${outcome.message}\n`);
    return EXIT.noneMeets;
  }
  if (outcome.state === 'tuned' && !json) io.err(io.errStyle.dim(`tuned: ${describeSettings(outcome.winner, outcome.start)}\n`));
  return EXIT.ok;
}

/** `extends` as a path from the written file's folder (a profile file's parents resolve relative to it). */
function relativeReference(fromDir: string, file: string): string {
  const path = relative(fromDir, file);
  return path.startsWith('.') || path.startsWith('/') ? path : `./${path}`;
}
