/** compare as JSON: every field of every table at the precision the result files recorded. */
import type { ComparisonReport } from '../../compare/comparison.js';
import { WEBUI_RULE } from '../webui-format.js';
import { exact, recordOf, rounded } from './columns.js';
import { CURVE_FIELDS } from './curves.js';
import { KEY_FIELDS, MEASURED_FIELDS } from './groups.js';
import { PLATFORM_FIELDS } from './platforms.js';
import { SWEEP_FIELDS } from './sweep.js';
import { WEBUI_FIELDS } from './web-ui.js';

export function formatJson(report: ComparisonReport): string {
  const json = {
    reference_labels: report.referenceLabels,
    baseline: report.baseline ?? null,
    groups: report.groups.map((group, index) => ({
      group: index + 1,
      ...recordOf(MEASURED_FIELDS, group.key, exact),
      ...recordOf(KEY_FIELDS, group.key, exact),
      platforms: group.platforms.map((entry) => recordOf(PLATFORM_FIELDS, entry, exact)),
      sweep: group.sweep.map((entry) => recordOf(SWEEP_FIELDS, entry, exact)),
    })),
    load_curves: report.curves.map((group, index) => ({
      group: index + 1,
      ...recordOf(MEASURED_FIELDS, group, exact),
      labels: group.labels,
      curves: group.curves.map((curve) => recordOf(CURVE_FIELDS, curve, exact)),
    })),
    // Unlike the tables above, the page timings are carried rounded to the digits they are shown with.
    web_ui: report.webUi.map((page) => recordOf(WEBUI_FIELDS, page, rounded)),
    web_ui_rule: report.webUi.length > 0 ? WEBUI_RULE : null,
    warnings: report.warnings,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
