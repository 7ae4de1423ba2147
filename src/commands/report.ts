import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, flagWithDefault, type CommandContext, type FlagValues } from '../shell/flags.js';
import { parseLabelCount } from '../shell/parse.js';
import { buildCurves } from '../compare/curves.js';
import { buildComparison } from '../compare/comparison.js';
import { groupComparableRuns, readRunsOf, readResultFiles } from '../compare/runs.js';
import { profileSettingWarnings } from '../compare/profile-diff.js';
import { UsageError } from '../base/errors.js';
import { toolVersion } from '../env/package.js';
import { writeFileAtomic } from '../io/atomic.js';
import { expandFileArguments } from '../io/glob.js';
import { readChartLibrary } from '../report/chart-library.js';
import { renderReport } from '../report/html.js';
import { refuseOverwritingResults } from '../shell/output-dir.js';
import { stopOnSignals } from '../shell/interrupt.js';

const REPORT_DEFAULTS = { out: 'report.html', labels: '3' } as const;

export const REPORT_FLAGS = {
  out: flagWithDefault('-o, --out <file>', 'the HTML file to write (atomically)', REPORT_DEFAULTS.out),
  labels: flagWithDefault('--labels <n>', 'reference label count of the latency, memory and CPU charts', REPORT_DEFAULTS.labels),
};

export type ReportFlags = FlagValues<typeof REPORT_FLAGS>;

export function register(program: Command, { io }: CommandContext): void {
  const command = program
    .command('report')
    .description('write one self-contained HTML file with charts and tables of run, load and webui results')
    .argument('<files...>', 'CSVs of `run`, `load` and `webui` (globs allowed)');
  addFlags(command, REPORT_FLAGS).action(async (files: string[], flags: ReportFlags) => stopOnSignals((step) => reportCommand(files, flags, io, step)));
}

export async function reportCommand(patterns: readonly string[], flags: ReportFlags, io: Io, step: () => Promise<void> = async () => {}): Promise<void> {
  const referenceLabels = parseLabelCount(flags.labels, '--labels');
  if (!/\.html?$/i.test(flags.out)) throw new UsageError(`--out: expected a file name ending in .html, got '${flags.out}'`);
  const files = expandFileArguments(patterns, 'report');
  refuseOverwritingResults(flags.out, files);
  const read = readResultFiles(files, { withSamples: false, kinds: ['summary', 'load', 'webui'], command: 'report' });
  const grouped = groupComparableRuns(read.runs);
  const curves = buildCurves(read.loadLevels);
  if (grouped.groups.length === 0 && curves.groups.length === 0 && read.webUi.length === 0) {
    throw new UsageError(`report: no results in ${files.join(' ')} (pass CSVs of zsc-bench run, load or webui)`);
  }
  for (const note of read.notes) io.err(`${io.errStyle.yellow(`note: ${note}`)}\n`);
  const comparison = buildComparison(grouped.groups, curves.groups, { referenceLabels, webUi: read.webUi });
  comparison.warnings.unshift(...read.warnings, ...profileSettingWarnings(grouped.groups.map((group) => readRunsOf(group, read.runs))), ...grouped.warnings, ...curves.warnings);
  const html = renderReport({
    comparison,
    groups: grouped.groups,
    files,
    generatedAt: new Date().toISOString(),
    toolVersion: toolVersion(),
    library: readChartLibrary(),
  });
  // Reading is synchronous: here a Ctrl-C that came meanwhile stops the command, before any output.
  await step();
  writeFileAtomic(flags.out, html);
  for (const warning of comparison.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  io.err(`${io.errStyle.dim(`wrote ${flags.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, self-contained)`)}\n`);
}
