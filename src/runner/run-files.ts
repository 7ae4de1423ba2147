import { join } from 'node:path';
import { createNewFiles, writeFilesAtomic } from '../io/atomic.js';
import type { Profile } from '../profiles/profile.js';
import { formatSavedProfile, savedProfilePathFor, type RunCommand } from '../profiles/saved-profile.js';
import type { Sample, SummaryRow } from '../schema/results.js';
import { formatSamplesCsv, formatSummaryCsv } from './results-csv.js';
import { fileNamePart, fileStamp } from '../shell/output-dir.js';

export interface RunFilePaths {
  summary: string;
  samples: string;
  profile: string;
}

/**
 * The three files of one run: `<profile>-<host>-<stamp>.csv`, `...-samples.csv` and the saved
 * profile `....profile.json`. Written after every label count, so an interrupted run keeps what
 * it finished; both CSVs are complete before either replaces the last pair, so a summary never
 * outruns its samples. The first write takes names no other run has (two runs can start in the
 * same second) and links the saved profile first: whoever sees the summary sees its profile. It
 * never changes, so it is never rewritten.
 */
export class RunResultFiles {
  private stem: string;
  private created = false;

  constructor(
    outDir: string,
    private readonly run: { profile: Profile; host: string; timestamp: string; command: RunCommand },
  ) {
    this.stem = join(outDir, `${fileNamePart(run.profile.name)}-${fileNamePart(run.host)}-${fileStamp(run.timestamp)}`);
  }

  get paths(): RunFilePaths {
    const summary = `${this.stem}.csv`;
    return { summary, samples: `${this.stem}-samples.csv`, profile: savedProfilePathFor(summary) };
  }

  write(rows: readonly SummaryRow[], samples: readonly Sample[], actualProvider: string): void {
    const summary = formatSummaryCsv(rows);
    const samplesCsv = formatSamplesCsv(samples, { profile: this.run.profile.name, host: this.run.host, timestamp: this.run.timestamp, actualProvider, precision: this.run.profile.precision });
    const pair = (stem: string) => [
      { path: `${stem}.csv`, content: summary },
      { path: `${stem}-samples.csv`, content: samplesCsv },
    ];
    if (this.created) {
      writeFilesAtomic(pair(this.stem));
      return;
    }
    const base = this.stem;
    const suffix = createNewFiles((candidate) => [
      { path: savedProfilePathFor(`${base}${candidate}.csv`), content: formatSavedProfile(this.run.profile, { summary: `${base}${candidate}.csv`, command: this.run.command }) },
      ...pair(`${base}${candidate}`),
    ]);
    this.stem = `${base}${suffix}`;
    this.created = true;
  }
}
