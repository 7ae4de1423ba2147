/**
 * The files one command run writes its results to (`run`: summary, samples and saved profile;
 * `ab`, `load`, `webui`: one CSV), named and written one way: the first write takes a name no
 * other run has, every later write replaces the set atomically, so an interrupted run keeps
 * what it finished and two runs started in the same second never share a file.
 */
import { join } from 'node:path';
import { createNewFiles, writeFilesAtomic, type FileWrite } from './atomic.js';

/** A name (profile, host) as part of a file name: no separators, no dots at the start. */
export function fileNamePart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';
}

/** An ISO timestamp as a file-name stamp: 2025-01-02T03:04:05.678Z -> 20250102T030405Z. */
function fileStamp(timestamp: string): string {
  return timestamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `dir/part-part-20250102T030405Z`: each part made safe for a file name, then the time stamp. */
export function resultStem(dir: string, parts: readonly string[], timestamp: string): string {
  return join(dir, [...parts.map(fileNamePart), fileStamp(timestamp)].join('-'));
}

/** One file of a set: what follows the stem (`.csv`, `-samples.csv`), and whether only the first write writes it. */
export interface ResultFile {
  ending: string;
  once?: boolean;
}

/** The set of `ab`, `load` and `webui`: one CSV, `<stem>.csv`. */
export const SINGLE_CSV = { csv: { ending: '.csv' } } as const satisfies Record<string, ResultFile>;

export type Content = string | Uint8Array;

/** A file's content, or a function of the set's paths for content that names another file of the set. */
export type ContentOf<Name extends string> = Content | ((paths: Readonly<Record<Name, string>>) => Content);

/**
 * The state of one result file set. Files are listed in reading order, the file readers start
 * from (a summary) first: later files are replaced first, so a summary never outruns its samples.
 * Write-once files (a saved profile) are created first, so whoever sees the summary sees them.
 */
export class ResultFiles<Name extends string> {
  private suffix = '';
  private isCreated = false;

  constructor(
    readonly stem: string,
    private readonly files: Readonly<Record<Name, ResultFile>>,
  ) {}

  /** The paths: those the first write took, or before it the ones it will try first. */
  get paths(): Readonly<Record<Name, string>> {
    return this.pathsWith(this.suffix);
  }

  /** Whether a write has created the files. */
  get created(): boolean {
    return this.isCreated;
  }

  /**
   * The first call creates every file under a new name (`stem`, else `stem-2`, `stem-3`...); later
   * calls replace the files not marked once, all together. Throws WriteError (exit 2) or, for a
   * full or failing disk, DiskWriteError (exit 3), leaving the previous files as they were.
   */
  write(contents: Readonly<Record<Name, ContentOf<Name>>>): void {
    const names = Object.keys(this.files) as Name[];
    const once = names.filter((name) => this.files[name].once === true);
    const always = names.filter((name) => this.files[name].once !== true);
    const writes = (suffix: string, which: readonly Name[]): FileWrite[] => {
      const paths = this.pathsWith(suffix);
      return which.map((name) => {
        const content: ContentOf<Name> = contents[name];
        return { path: paths[name], content: typeof content === 'function' ? content(paths) : content };
      });
    };
    if (this.isCreated) {
      writeFilesAtomic(writes(this.suffix, always));
      return;
    }
    this.suffix = createNewFiles((suffix) => writes(suffix, [...once, ...always]));
    this.isCreated = true;
  }

  private pathsWith(suffix: string): Record<Name, string> {
    const entries = (Object.entries(this.files) as Array<[Name, ResultFile]>).map(([name, file]) => [name, `${this.stem}${suffix}${file.ending}`]);
    return Object.fromEntries(entries) as Record<Name, string>;
  }
}
