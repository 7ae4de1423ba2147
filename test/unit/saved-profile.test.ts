import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, loadProfile, profileHash, type Profile } from '../../src/profiles/profile.js';
import { formatSavedProfile, readSavedProfile, savedProfilePathFor, summaryPathForSavedProfile, type SavedProfile } from '../../src/profiles/saved-profile.js';
import { describeConfigurations, diffProfiles, formatDifferences, profileSettingWarnings, savedProfileOf } from '../../src/compare/profile-diff.js';
import { pairRunSets } from '../../src/compare/check.js';
import { readResultFiles, type Run } from '../../src/compare/runs.js';
import { expandFileArguments } from '../../src/io/glob.js';
import { resultRow } from '../helpers/result-row.js';

const dir = mkdtempSync(join(tmpdir(), 'zsc-saved-profile-'));
const cpu = loadProfile('cpu');
/** A profile as run would resolve `--profile cpu --precision int8 --pairs-per-run 4 --threads 2` on a CUDA-less copy. */
const overridden: Profile = { ...cpu, precision: 'int8', pairsPerRun: 4, intraOpThreads: 2, providerOptions: { cuda: { deviceId: 1 } }, costPerHour: 1.006 };
const command = { profile: 'cpu', flags: { '--precision': 'int8', '--pairs-per-run': '4', '--threads': '2', '--allow-fallback': true } };

function save(name: string, profile: Profile, text?: (content: string) => string): string {
  const summary = join(dir, `${name}.csv`);
  const content = formatSavedProfile(profile, { summary, command });
  writeFileSync(savedProfilePathFor(summary), text === undefined ? content : text(content));
  return savedProfilePathFor(summary);
}

describe('diffProfiles', () => {
  it('names every differing field with its value in each profile, nested options by path, sorted', () => {
    expect(diffProfiles([cpu, overridden])).toEqual([
      { field: 'costPerHour', values: ['(not set)', '1.006'] },
      { field: 'intraOpThreads', values: ['(not set)', '2'] },
      { field: 'pairsPerRun', values: ['auto', '4'] },
      { field: 'precision', values: ['fp32', 'int8'] },
      { field: 'providerOptions.cuda.deviceId', values: ['(not set)', '1'] },
    ]);
    expect(formatDifferences(diffProfiles([cpu, overridden]))).toBe(
      'costPerHour: (not set) vs 1.006; intraOpThreads: (not set) vs 2; pairsPerRun: auto vs 4; precision: fp32 vs int8; providerOptions.cuda.deviceId: (not set) vs 1',
    );
  });

  it('lists as JSON, and one value per profile when there are several', () => {
    const three = diffProfiles([cpu, { ...cpu, labelCounts: [3, 5] }, { ...cpu, labelCounts: [3, 5], labelPool: ['体育', '财,经'] }]);
    expect(three).toEqual([
      { field: 'labelCounts', values: ['[3,5,10,20]', '[3,5]', '[3,5]'] },
      { field: 'labelPool', values: [JSON.stringify(cpu.labelPool), JSON.stringify(cpu.labelPool), '["体育","财,经"]'] },
    ]);
  });

  it('shows a string and a number that read the same as JSON ("4" hashes otherwise than 4)', () => {
    expect(diffProfiles([{ ...cpu, pairsPerRun: 4 }, { ...cpu, pairsPerRun: '4' }])).toEqual([{ field: 'pairsPerRun', values: ['4', '"4"'] }]);
  });

  it('is empty exactly when the profile hashes are equal', () => {
    const reordered = JSON.parse(JSON.stringify({ ...cpu })) as Profile;
    for (const other of [reordered, { ...cpu, warmup: 0 }, { ...cpu, description: 'another' }, { ...cpu, platform: { arch: 'arm64' as const } }]) {
      expect(diffProfiles([cpu, other]).length === 0).toBe(profileHash(cpu) === profileHash(other));
    }
    expect(diffProfiles([cpu, { ...cpu, platform: { arch: 'arm64' } }])).toEqual([{ field: 'platform.arch', values: ['(not set)', 'arm64'] }]);
  });
});

describe('the saved profile', () => {
  it('round-trips: the file reads back equal, and loaded as a profile it has the hash it records', () => {
    const file = save('round-trip', overridden);
    const saved = readSavedProfile(file);
    expect(saved).toEqual({ file, profileHash: profileHash(overridden), summary: 'round-trip.csv', command, profile: overridden });
    // The file's profile is exactly the object profile_hash hashes (one-line lists change no value).
    const document = JSON.parse(readFileSync(file, 'utf8')) as { profile_hash: string; profile: unknown };
    expect(document.profile).toEqual(JSON.parse(canonicalJson(overridden)));
    expect(document.profile_hash).toBe(profileHash(overridden));
    // --profile <stem>.profile.json runs the same configuration again.
    const reloaded = loadProfile(file);
    expect(reloaded).toEqual(overridden);
    expect(profileHash(reloaded)).toBe(profileHash(overridden));
  });

  it('README shows every top-level field of the file', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('#### The saved profile (`.profile.json`)');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n### ', start));
    const fields = Object.keys(JSON.parse(readFileSync(save('readme', cpu), 'utf8')) as object);
    expect(fields.filter((field) => !section.includes(`"${field}":`))).toEqual([]);
  });

  it('keeps lists of plain values on one line', () => {
    const text = readFileSync(save('lines', cpu), 'utf8');
    expect(text).toContain('"labelCounts": [3, 5, 10, 20],');
    expect(text).toContain('"executionProviders": ["cpu"],');
    expect(text).toContain('"platform": {},');
  });

  it('sits beside the summary under its stem, and a glob for CSVs does not take it', () => {
    expect(savedProfilePathFor('results/cpu-vm-20261124T221650Z.csv')).toBe('results/cpu-vm-20261124T221650Z.profile.json');
    expect(summaryPathForSavedProfile('results/cpu-vm-20261124T221650Z-2.profile.json')).toBe('results/cpu-vm-20261124T221650Z-2.csv');
    const folder = mkdtempSync(join(tmpdir(), 'zsc-saved-glob-'));
    for (const name of ['a.csv', 'a-samples.csv', 'a.profile.json']) writeFileSync(join(folder, name), '');
    expect(expandFileArguments([join(folder, '*.csv')], 'compare')).toEqual([join(folder, 'a-samples.csv'), join(folder, 'a.csv')]);
  });

  it('missing is undefined; anything wrong with it is one message naming the file and what was expected', () => {
    expect(readSavedProfile(join(dir, 'nothing.profile.json'))).toBeUndefined();
    const expected = /expected the resolved profile zsc-bench run saves beside a result \(\{"kind": "zsc-bench resolved profile", "version": 1, "profile_hash": …, "profile": \{…\}\}\)$/;
    const cases: Array<[string, (content: string) => string, RegExp]> = [
      ['truncated', (content) => content.slice(0, 40), /truncated\.profile\.json: malformed JSON .*; expected the resolved profile/],
      ['a list', () => '[]', /a list\.profile\.json: not a JSON object; expected/],
      ['a plain profile', () => JSON.stringify({ extends: 'cpu' }), /a plain profile\.profile\.json: field "kind" is missing; expected/],
      ['newer', (content) => content.replace('"version": 1', '"version": 2'), /newer\.profile\.json: field "version" is 2, this zsc-bench reads version 1; expected/],
      ['no hash', (content) => content.replace(/"profile_hash": "\w+"/, '"profile_hash": "abc"'), /no hash\.profile\.json: field "profile_hash" is "abc", not a sha256 in hex; expected/],
      ['bad flags', (content) => content.replace('"--allow-fallback": true', '"--allow-fallback": 3'), /bad flags\.profile\.json: field "command": flag --allow-fallback is 3, not a string or true\/false; expected/],
    ];
    for (const [name, edit, message] of cases) {
      const file = save(name, cpu, edit);
      expect(() => readSavedProfile(file), name).toThrow(message);
      expect(() => readSavedProfile(file), name).toThrow(expected);
    }
    // A field that breaks the profile rules: run's own message for that field.
    const badField = save('bad-field', cpu, (content) => content.replace('"precision": "fp32"', '"precision": "fp64"'));
    expect(() => readSavedProfile(badField)).toThrow(/bad-field\.profile\.json: field "precision": expected one of fp32, fp16, int8, got "fp64"$/);
    // An edited value that still passes the rules: its hash gives it away.
    const edited = save('edited', cpu, (content) => content.replace('"warmup": 2', '"warmup": 3'));
    expect(() => readSavedProfile(edited)).toThrow(new RegExp(`edited\\.profile\\.json: its profile hashes to ${profileHash({ ...cpu, warmup: 3 }).slice(0, 12)}…, not to the profile_hash ${profileHash(cpu).slice(0, 12)}… it records: the file was edited; restore it or delete it$`));
  });
});

const runOf = (file: string, profile: Profile): Run => ({ file, profile: profile.name, host: 'vm', timestamp: '2026-11-24T10:00:00.000Z', rows: [resultRow({ file, profileHash: profileHash(profile), schemaVersion: 2 })], pooled: 1 });
const savedOf = (entries: Array<[Run, Profile]>) => (run: Run): SavedProfile | undefined => {
  const profile = entries.find(([known]) => known === run)?.[1];
  return profile === undefined ? undefined : { file: savedProfilePathFor(run.file), profileHash: profileHash(profile), summary: run.file, command, profile };
};

describe('naming the settings that differ between runs', () => {
  const int8 = { ...cpu, precision: 'int8' as const };
  const fourPairs = { ...cpu, pairsPerRun: 4 };

  it('check: one configuration a side, each setting with both values', () => {
    const base = runOf('base/cpu.csv', cpu);
    const current = runOf('cur/cpu.csv', fourPairs);
    const { warnings } = pairRunSets([base], [current], savedOf([[base, cpu], [current, fourPairs]]));
    expect(warnings).toContain("cpu: the profile's settings differ between the runs, --baseline vs --current: pairsPerRun: auto vs 4");
  });

  it('check: a side with two configurations names each by its files', () => {
    const [a, b, c] = [runOf('a.csv', cpu), runOf('b.csv', { ...cpu, warmup: 0 }), runOf('c.csv', cpu)];
    const { warnings } = pairRunSets([a, b], [c], savedOf([[a, cpu], [b, { ...cpu, warmup: 0 }], [c, cpu]]));
    expect(warnings).toContain("cpu: the profile's settings differ between the runs, [1] a.csv, c.csv vs [2] b.csv: warmup: 2 vs 0");
  });

  it('without a saved profile: the profile_hash message, and which file is missing', () => {
    const base = runOf('results/baseline/cpu.csv', cpu);
    const current = runOf('cur/cpu.csv', fourPairs);
    const { warnings } = pairRunSets([base], [current], savedOf([[current, fourPairs]]));
    expect(warnings).toContain(
      "cpu: the profile's settings differ between the runs (profile_hash); which settings cannot be said: the saved profile is missing (results/baseline/cpu.profile.json; results written before zsc-bench saved one)",
    );
  });

  it('one saved profile per configuration is enough', () => {
    const [a, b, c] = [runOf('a.csv', cpu), runOf('b.csv', cpu), runOf('c.csv', int8)];
    expect(describeConfigurations([{ label: 'old', runs: [a, b] }, { label: 'new', runs: [c] }], savedOf([[b, cpu], [c, int8]]))).toBe('differ between the runs, old vs new: precision: fp32 vs int8');
  });

  it('compare: a warning per profile name that ran with several configurations, none when they agree', () => {
    const [a, b, other] = [runOf('a.csv', cpu), runOf('b.csv', int8), runOf('t4.csv', { ...cpu, name: 't4' })];
    const read = savedOf([[a, cpu], [b, int8], [other, { ...cpu, name: 't4' }]]);
    expect(profileSettingWarnings([[a, b, other]], read)).toEqual(["cpu: the profile's settings differ between the runs, [1] a.csv vs [2] b.csv: precision: fp32 vs int8"]);
    expect(profileSettingWarnings([[a, other]], read)).toEqual([]);
    // Already in different groups (the group warning names the difference): no second warning.
    expect(profileSettingWarnings([[a, other], [b]], read)).toEqual([]);
    // Differing only in what the grouping notes itself (items, repeats): nothing more to say.
    const bigger = runOf('c.csv', { ...cpu, items: cpu.items * 2, repeats: cpu.repeats + 1 });
    expect(profileSettingWarnings([[a, bigger]], savedOf([[a, cpu], [bigger, { ...cpu, items: cpu.items * 2, repeats: cpu.repeats + 1 }]]))).toEqual([]);
  });

  it('a saved profile of another run beside a summary is refused', () => {
    const file = join(dir, 'swapped.csv');
    writeFileSync(savedProfilePathFor(file), formatSavedProfile(int8, { summary: file, command }));
    expect(() => savedProfileOf(runOf(file, cpu))).toThrow(
      new RegExp(`swapped\\.profile\\.json: saved profile with profile_hash ${profileHash(int8).slice(0, 12)}…, but .*swapped\\.csv records ${profileHash(cpu).slice(0, 12)}…; expected the profile of that run`),
    );
    expect(savedProfileOf(runOf(file, int8))?.profile).toEqual(int8);
    expect(savedProfileOf(runOf(join(dir, 'none.csv'), cpu))).toBeUndefined();
  });

  it('compare and check skip a saved profile given as a file, with a warning only when its summary is not given', () => {
    const file = save('alone', cpu);
    expect(readResultFiles([file], { withSamples: false, kinds: ['summary'], command: 'compare' }).warnings).toEqual([`${file}: a saved profile on its own is skipped; pass its summary CSV`]);
  });
});
