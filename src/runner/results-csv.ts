import { formatRows } from '../io/csv-table.js';
import type { ResultFile } from '../io/result-files.js';
import { SAVED_PROFILE_SUFFIX } from '../profiles/saved-profile.js';
import { RESULT_SCHEMA_VERSION, SAMPLES_CSV, SUMMARY_CSV, type ProcessSample, type SampleContext, type SummaryRow } from '../schema/results.js';

/** The files of one `zsc-bench run`: `<stem>.csv`, `<stem>-samples.csv`, and the resolved profile, saved once. */
export const RUN_FILES = {
  summary: { ending: '.csv' },
  samples: { ending: '-samples.csv' },
  profile: { ending: SAVED_PROFILE_SUFFIX, once: true },
} as const satisfies Record<string, ResultFile>;

export function formatSummaryCsv(rows: readonly SummaryRow[]): string {
  return formatRows(SUMMARY_CSV, rows);
}

export function formatSamplesCsv(samples: readonly ProcessSample[], context: SampleContext): string {
  return formatRows(SAMPLES_CSV, samples.map((sample) => ({ ...sample, process: sample.process ?? 1, ...context, schemaVersion: RESULT_SCHEMA_VERSION, kind: 'samples', correct: sample.predicted === sample.gold })));
}
