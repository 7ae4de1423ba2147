import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { addFlags, formatFlags, WIDE_FLAGS, flag, flagWithDefault, switchFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { parseBaseline, parseLabelCount } from '../shell/parse.js';
import { buildCurves } from '../compare/curves.js';
import { buildComparison } from '../compare/comparison.js';
import { groupComparableRuns, intervalUnitsNote, readRunsOf, poolRepeatedRuns, readResultFiles } from '../compare/runs.js';
import { UsageError } from '../base/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { expandFileArguments } from '../io/glob.js';
import { profileSettingWarnings } from '../compare/profile-diff.js';
import { refuseOverwritingResults } from '../shell/output-dir.js';
import { COMPARE_FORMATS, formatComparison, type CompareFormat } from '../format/compare-format.js';
import { makeStyle } from '../format/style.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { stopOnSignals } from '../shell/interrupt.js';

const COMPARE_DEFAULTS = { format: 'table', labels: '3' } as const;

export const COMPARE_FLAGS = {
  ...formatFlags<CompareFormat>(COMPARE_FORMATS, COMPARE_DEFAULTS.format),
  out: flag('-o, --out <file>', 'write the output to a file (atomically) instead of stdout'),
  baseline: flag('--baseline <run>', 'add a column: speed relative to this run (mean latency): PROFILE, PROFILE@HOST, PROFILE@HOST@TIME or its summary CSV file'),
  labels: flagWithDefault('--labels <n>', 'reference label count of the platforms table', COMPARE_DEFAULTS.labels),
  mergeRepeats: switchFlag('--merge-repeats', 'pool repeated runs of one profile on one host (statistics from their samples)'),
  ...WIDE_FLAGS,
};

export type CompareFlags = FlagValues<typeof COMPARE_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program
    .command('compare')
    .description('merge result CSVs from many machines into the platforms table and the label sweep')
    .argument('<files...>', 'summary CSVs written by `run` (globs allowed; samples are read from beside them)');
  addFlags(command, COMPARE_FLAGS).action(async (files: string[], flags: CompareFlags) => setExitCode(await stopOnSignals((step) => compareCommand(files, flags, io, step))));
}

export async function compareCommand(patterns: readonly string[], flags: CompareFlags, io: Io, step: () => Promise<void> = async () => {}): Promise<ExitCode> {
  const referenceLabels = parseLabelCount(flags.labels, '--labels');
  const baseline = flags.baseline === undefined ? undefined : parseBaseline(flags.baseline);
  const expanded = expandFileArguments(patterns, 'compare');
  // A baseline named by its file joins the comparison if the patterns did not already bring it.
  const files = baseline?.kind === 'file' && !expanded.some((file) => resolve(file) === baseline.file) ? [...expanded, baseline.file] : expanded;
  if (flags.out !== undefined) refuseOverwritingResults(flags.out, files);
  const merge = flags.mergeRepeats === true;
  const read = readResultFiles(files, { withSamples: merge, kinds: ['summary', 'load', 'webui'], command: 'compare' });
  const pooled = merge ? poolRepeatedRuns(read.runs) : { runs: read.runs, warnings: [] };
  const grouped = groupComparableRuns(pooled.runs);
  const curves = buildCurves(read.loadLevels);
  if (grouped.groups.length === 0 && curves.groups.length === 0 && read.webUi.length === 0) {
    const skipped = [...read.warnings, ...read.notes];
    const why = skipped.length > 0 ? `: ${skipped.join('; ')}` : '';
    throw new UsageError(`compare: no results in ${files.join(' ')} (pass the summary CSVs of zsc-bench run or the CSVs of zsc-bench load or webui)${why}`);
  }
  // Saved profiles are read (and may be refused) before anything is printed: an error stays one line.
  const settingWarnings = profileSettingWarnings(grouped.groups.map((group) => readRunsOf(group, read.runs)));
  const unitsNote = intervalUnitsNote(pooled.runs);
  for (const note of [...read.notes, ...(unitsNote === undefined ? [] : [unitsNote])]) io.err(`${io.errStyle.yellow(`note: ${note}`)}\n`);
  const report = buildComparison(grouped.groups, curves.groups, { referenceLabels, webUi: read.webUi, merged: merge, ...(baseline === undefined ? {} : { baseline }) });
  report.warnings.unshift(...read.warnings, ...settingWarnings, ...pooled.warnings, ...grouped.warnings, ...curves.warnings);
  // The file gets no colour; the terminal gets it only when the style says so.
  const style = flags.out === undefined && flags.format === 'table' ? io.outStyle : makeStyle(false);
  const output = formatComparison(report, flags.format, style, { wide: flags.wide === true });
  // Reading is synchronous: here a Ctrl-C that came meanwhile stops the command, before any output.
  await step();
  for (const warning of report.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  if (flags.out === undefined) {
    io.out(output);
    return EXIT.ok;
  }
  writeFileAtomic(flags.out, output);
  io.err(`${io.errStyle.dim(`wrote ${flags.out}`)}\n`);
  return EXIT.ok;
}
