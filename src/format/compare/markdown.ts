/** compare as Markdown: the wide tables, then the notes. */
import type { ComparisonReport } from '../../compare/comparison.js';
import { renderMarkdownTable } from '../tables.js';
import { markdownSafe } from '../text.js';
import { webUiRows, WEBUI_RULE } from '../webui-format.js';
import { curveRows } from './curves.js';
import { curveHeading, groupHeading, noPlatformsNote } from './groups.js';
import { platformRows } from './platforms.js';
import { sweepRows } from './sweep.js';

export function formatMarkdown(report: ComparisonReport): string {
  const parts: string[] = ['## zsc-bench comparison', ''];
  report.groups.forEach((group, index) => {
    const platforms = platformRows(group, report.baseline, report.webUi.length > 0);
    const sweep = sweepRows(group);
    parts.push(`### ${markdownSafe(groupHeading(group, index, report.groups.length))}`, '');
    parts.push(`Platforms at ${report.referenceLabels} labels:`, '');
    parts.push(platforms.rows.length > 0 ? renderMarkdownTable(platforms.head, platforms.rows) : `${noPlatformsNote(report.referenceLabels)}\n`);
    parts.push('Label sweep (mean ms, increase against the smallest count, fitted ms per label):', '');
    parts.push(renderMarkdownTable(sweep.head, sweep.rows));
  });
  report.curves.forEach((group, index) => {
    const curves = curveRows(group);
    parts.push(`### ${markdownSafe(curveHeading(group, index, report.curves.length))}`, '', renderMarkdownTable(curves.head, curves.rows));
  });
  if (report.webUi.length > 0) {
    const rows = webUiRows(report.webUi);
    parts.push('### Web UI responsiveness (zsc-bench webui)', '', renderMarkdownTable(rows.head, rows.rows), WEBUI_RULE, '');
  }
  if (report.warnings.length > 0) parts.push('**Notes**', '', ...report.warnings.map((warning) => `- ${markdownSafe(warning)}`), '');
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
