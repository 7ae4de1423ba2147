import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, unwrap } from '../helpers/cli.js';
import { writeEveryResultKind, type ResultFolder } from '../helpers/result-folder.js';

let dir: string;
let folder: ResultFolder;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zsc-result-folder-'));
  folder = writeEveryResultKind(join(dir, 'results'));
});

/** The note lines on stderr, in order. */
const notes = (stderr: string): string[] => unwrap(stderr).split('\n').filter((line) => line.startsWith('note: '));
const skipped = (file: string, kind: string, command: string, reads: string) => `note: ${file}: skipped, kind ${kind} (${command} reads ${reads})`;

describe('a results folder holding every kind zsc-bench writes', () => {
  it('compare reads runs, load and web UI results, and skips the A/B results with a note each', async () => {
    const result = await runCli(['compare', join(dir, 'results', '*.csv')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('cpu');
    expect(notes(result.stderr)).toEqual([skipped(folder.ab[1], 'ab', 'compare', 'summary, load, webui'), skipped(folder.ab[0], 'ab', 'compare', 'summary, load, webui')]);
  });

  it('report takes the whole folder, saved profile included', async () => {
    const out = join(dir, 'report.html');
    const result = await runCli(['report', join(dir, 'results', '*'), '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(notes(result.stderr)).toEqual([skipped(folder.ab[1], 'ab', 'report', 'summary, load, webui'), skipped(folder.ab[0], 'ab', 'report', 'summary, load, webui')]);
    expect(result.stderr).not.toMatch(/profile\.json/);
  });

  it('recommend reads runs and load curves, and skips A/B and web UI results', async () => {
    const result = await runCli(['recommend', join(dir, 'results', '*.csv'), '--slo', 'p95<500ms']);
    expect(result.code, result.stderr).toBe(0);
    expect(notes(result.stderr)).toEqual([
      skipped(folder.ab[1], 'ab', 'recommend', 'summary, load'),
      skipped(folder.ab[0], 'ab', 'recommend', 'summary, load'),
      skipped(folder.webui, 'webui', 'recommend', 'summary, load'),
    ]);
  });

  it('check compares the runs, with their samples, and skips the rest once each', async () => {
    const all = join(dir, 'results', '*.csv');
    const result = await runCli(['check', '--baseline', all, '--current', all]);
    expect(result.code, result.stderr).toBe(0);
    expect(notes(result.stderr)).toEqual([
      skipped(folder.ab[1], 'ab', 'check', 'summary'),
      skipped(folder.ab[0], 'ab', 'check', 'summary'),
      skipped(folder.load, 'load', 'check', 'summary'),
      skipped(folder.webui, 'webui', 'check', 'summary'),
    ]);
  });
});
