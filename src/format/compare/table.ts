/** compare's terminal tables: narrow by default (about 100 columns), every column with --wide. */
import type { ComparisonReport } from '../../compare/comparison.js';
import type { Style } from '../style.js';
import { renderTable } from '../tables.js';
import { wrapText } from '../text.js';
import { webUiRows, WEBUI_RULE } from '../webui-format.js';
import type { Layout } from './columns.js';
import { curveRows } from './curves.js';
import { curveHeading, groupHeading, noPlatformsNote } from './groups.js';
import { platformRows } from './platforms.js';
import { sweepRows } from './sweep.js';

const SWEEP_TITLE: Record<Layout, string> = {
  narrow: 'Label sweep: mean latency in ms at each label count and fitted ms per label (--wide adds the increases)',
  wide: 'Label sweep: mean latency (increase against the smallest count) and fitted ms per label',
};

export function formatTable(report: ComparisonReport, style: Style, layout: Layout): string {
  const sections = report.groups.map((group, index) => {
    const platforms = platformRows(group, report.baseline, report.webUi.length > 0, layout);
    const sweep = sweepRows(group, layout);
    return [
      style.bold(groupHeading(group, index, report.groups.length)),
      `Platforms at ${report.referenceLabels} labels`,
      platforms.rows.length > 0 ? renderTable(platforms.head, platforms.rows, style, { wide: layout === 'wide' }) : noPlatformsNote(report.referenceLabels),
      SWEEP_TITLE[layout],
      renderTable(sweep.head, sweep.rows, style, { wide: layout === 'wide' }),
    ].join('\n');
  });
  const curveSections = report.curves.map((group, index) => {
    const curves = curveRows(group, layout);
    return [style.bold(curveHeading(group, index, report.curves.length)), renderTable(curves.head, curves.rows, style, { wide: layout === 'wide' })].join('\n');
  });
  const pages = webUiRows(report.webUi);
  const webUi = report.webUi.length === 0 ? [] : [[style.bold('Web UI responsiveness (zsc-bench webui)'), renderTable(pages.head, pages.rows, style, { wide: layout === 'wide' }), WEBUI_RULE].join('\n')];
  return wrapText(`${[...sections, ...curveSections, ...webUi].join('\n\n')}\n`);
}
