import { formatRows } from '../io/csv-table.js';
import { RESULT_SCHEMA_VERSION, SAMPLES_CSV, SUMMARY_CSV, type Sample, type SampleContext, type SummaryRow } from '../schema/results.js';

export function formatSummaryCsv(rows: readonly SummaryRow[]): string {
  return formatRows(SUMMARY_CSV, rows);
}

export function formatSamplesCsv(samples: readonly Sample[], context: SampleContext): string {
  return formatRows(SAMPLES_CSV, samples.map((sample) => ({ ...sample, ...context, schemaVersion: RESULT_SCHEMA_VERSION, correct: sample.predicted === sample.gold })));
}
