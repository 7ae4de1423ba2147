import type { Io } from '../shell/io.js';
import { parsePositiveInteger } from '../shell/parse.js';
import { buildCurves } from '../compare/curves.js';
import { buildComparison } from '../compare/comparison.js';
import { groupComparableRuns, readResultFiles } from '../compare/runs.js';
import { profileSettingWarnings } from '../compare/profile-diff.js';
import { UsageError } from '../base/errors.js';
import { toolVersion } from '../env/package.js';
import { writeFileAtomic } from '../io/atomic.js';
import { expandFileArguments } from '../io/glob.js';
import { readChartLibrary } from '../report/chart-library.js';
import { renderReport } from '../report/html.js';

export interface ReportFlags {
  out: string;
  labels: string;
}

export const REPORT_DEFAULTS = { out: 'report.html', labels: '3' } as const;

export async function reportCommand(patterns: readonly string[], flags: ReportFlags, io: Io): Promise<void> {
  const referenceLabels = parsePositiveInteger(flags.labels, '--labels');
  if (!/\.html?$/i.test(flags.out)) throw new UsageError(`--out: expected a file name ending in .html, got '${flags.out}'`);
  const files = expandFileArguments(patterns, 'report');
  const read = readResultFiles(files, { withSamples: false, kinds: ['summary', 'load', 'webui'], command: 'report' });
  const grouped = groupComparableRuns(read.runs);
  const curves = buildCurves(read.loadLevels);
  if (grouped.groups.length === 0 && curves.groups.length === 0 && read.webUi.length === 0) {
    throw new UsageError(`report: no results in ${files.join(' ')} (pass CSVs of zsc-bench run, load or webui)`);
  }
  for (const note of read.notes) io.err(`${io.errStyle.yellow(`note: ${note}`)}\n`);
  const comparison = buildComparison(grouped.groups, curves.groups, { referenceLabels, webUi: read.webUi });
  comparison.warnings.unshift(...read.warnings, ...profileSettingWarnings(read.runs), ...grouped.warnings, ...curves.warnings);
  const html = renderReport({
    comparison,
    groups: grouped.groups,
    files,
    generatedAt: new Date().toISOString(),
    toolVersion: toolVersion(),
    library: readChartLibrary(),
  });
  writeFileAtomic(flags.out, html);
  for (const warning of comparison.warnings) io.err(`${io.errStyle.yellow(`warning: ${warning}`)}\n`);
  io.err(`${io.errStyle.dim(`wrote ${flags.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, self-contained)`)}\n`);
}
