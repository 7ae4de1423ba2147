/**
 * compare's output formats, one exporter each (src/format/compare/): each turns the comparison
 * into the text to print or write. Their tables are specified once, in compare/columns.ts's terms.
 */
import type { ComparisonReport } from '../compare/comparison.js';
import type { Style } from './style.js';
import { formatCsvReport } from './compare/csv.js';
import { formatJson } from './compare/json.js';
import { formatMarkdown } from './compare/markdown.js';
import { formatTable } from './compare/table.js';

export const COMPARE_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

type Exporter = (report: ComparisonReport, style: Style, wide: boolean) => string;

const EXPORTERS: Record<CompareFormat, Exporter> = {
  table: (report, style, wide) => formatTable(report, style, wide ? 'wide' : 'narrow'),
  markdown: formatMarkdown,
  csv: formatCsvReport,
  json: formatJson,
};

export function formatComparison(report: ComparisonReport, format: CompareFormat, style: Style, options: { wide?: boolean } = {}): string {
  return EXPORTERS[format](report, style, options.wide === true);
}
