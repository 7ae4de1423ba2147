import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, jsonErrorPosition, listProfiles, loadProfile, parsePairsPerRun, profileHash, profileProblems } from '../../src/profiles/profile.js';
import { sessionSettingsOf } from '../../src/profiles/session-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'zsc-profiles-'));
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('bundled profiles', () => {
  it('all load and validate; base is listed first, and what each extends is shown', () => {
    const listed = listProfiles().map((profile) => [profile.name, profile.extends]);
    expect(listed).toEqual([['base', null], ['a10g', 'base'], ['cpu', 'base'], ['cpu-int8', 'base'], ['pi5-hailo8', 'base'], ['rtx3090', 'base'], ['t4', 'base']]);
  });
  it('resolve inheritance from base', () => {
    const a10g = loadProfile('a10g');
    expect(a10g).toMatchObject({ name: 'a10g', executionProviders: ['cuda'], precision: 'fp16', repeats: 5, labelCounts: [3, 5, 10, 20], pairsPerRun: 'auto', costPerHour: 1.006 });
    expect(a10g.providerOptions).toEqual({ cuda: { deviceId: 0 } });
    expect(a10g.labelPool).toHaveLength(20);
    expect(loadProfile('rtx3090').precision).toBe('fp32');
    expect(loadProfile('cpu-int8').precision).toBe('int8');
  });
  it('pi5-hailo8 runs INT8 on the CPU and says there is no Hailo provider', () => {
    const pi = loadProfile('pi5-hailo8');
    expect(pi.executionProviders).toEqual(['cpu']);
    expect(pi.precision).toBe('int8');
    expect(pi.platform.arch).toBe('arm64');
    expect(pi.description).toMatch(/no Hailo execution provider/);
  });
});

describe('user profiles', () => {
  it('a path works, parents by name or relative path, fields override, providerOptions merge', () => {
    write('parent.json', { extends: 'base', name: 'parent', providerOptions: { cuda: { deviceId: 1, a: true } }, repeats: 3 });
    const child = write('child.json', { extends: './parent.json', name: 'child', executionProviders: ['cuda'], providerOptions: { cuda: { deviceId: 2 } }, items: 7 });
    const profile = loadProfile(child);
    expect(profile).toMatchObject({ name: 'child', repeats: 3, items: 7, executionProviders: ['cuda'] });
    expect(profile.providerOptions).toEqual({ cuda: { deviceId: 2, a: true } });
  });
  it('a profile without base names the missing fields', () => {
    const file = write('orphan.json', { name: 'orphan', precision: 'fp32' });
    expect(() => loadProfile(file)).toThrow(`${file}: missing field(s) executionProviders, graphOptimizationLevel, model, dataset, items, repeats, warmup, labelCounts, labelPool, template, pairsPerRun, scenario, offlineBatchSizes; set them or add "extends": "base"`);
  });
  it('detects cycles', () => {
    write('a.json', { extends: './b.json' });
    const b = write('b.json', { extends: './a.json' });
    expect(() => loadProfile(b)).toThrow(/"extends" forms a cycle \(b\.json -> a\.json -> b\.json\)/);
  });
  it('names unknown profiles and lists the known ones', () => {
    expect(() => loadProfile('h100')).toThrow("--profile: unknown profile 'h100'; known profiles: a10g, cpu, cpu-int8, pi5-hailo8, rtx3090, t4 (or pass a path to a profile JSON file)");
  });
  it('reports malformed JSON with line and column', () => {
    const file = write('bad.json', '{\n  "name": "x",\n}\n');
    expect(() => loadProfile(file)).toThrow(new RegExp(`^${file}: malformed JSON at line 3, column 1 `));
    expect(jsonErrorPosition('{\n  "a": 1,\n}', new Error('Expected double-quoted property name in JSON at position 12'))).toBe('at line 3, column 1 ');
  });
});

describe('validation: one line per problem', () => {
  it('names file, field, expectation and value', () => {
    expect(profileProblems({ repeats: '5', precision: 'int4', labelCounts: [5, 3], executionProviders: ['hailo'], colour: 'red' }, 'p.json')).toEqual([
      'p.json: field "repeats": expected a positive integer up to 10000, got "5"',
      'p.json: field "precision": expected one of fp32, fp16, int8, got "int4"',
      'p.json: field "labelCounts": expected an ascending list of distinct positive integers up to 64, got [5,3]',
      'p.json: field "executionProviders": expected a non-empty list of cpu, cuda, tensorrt, dml, coreml, webgpu, qnn, xnnpack, nnapi (ONNX Runtime has no Hailo provider), got ["hailo"]',
      expect.stringMatching(/^p\.json: unknown field "colour"; known fields: extends, name, /),
    ]);
  });
  it('checks templates, pools, platform and costs', () => {
    expect(profileProblems({ template: '新闻', labelPool: ['a', 'a'], platform: { arch: 'mips' }, costPerHour: 0 }, 'p.json')).toEqual([
      'p.json: field "template": expected a string containing {}, got "新闻"',
      'p.json: field "labelPool": expected a list of two or more distinct non-empty labels, got ["a","a"]',
      'p.json: field "platform": expected "arch" x64 or arm64, got {"arch":"mips"}',
      'p.json: field "costPerHour": expected a positive number (USD per hour) up to 10000, got 0',
    ]);
  });
});

describe('pairs per run', () => {
  it('accepts auto, all and positive integers; refuses 0, fractions and words with the field named', () => {
    expect(profileProblems({ pairsPerRun: 'auto' }, 'p.json')).toEqual([]);
    expect(profileProblems({ pairsPerRun: 8 }, 'p.json')).toEqual([]);
    expect(profileProblems({ pairsPerRun: 0 }, 'p.json')).toEqual(['p.json: field "pairsPerRun": expected "auto", "all" or a positive integer up to 4096, got 0']);
    expect(profileProblems({ pairsPerRun: 'some' }, 'p.json')).toEqual(['p.json: field "pairsPerRun": expected "auto", "all" or a positive integer up to 4096, got "some"']);
    expect(parsePairsPerRun('12')).toBe(12);
    expect(() => parsePairsPerRun('0')).toThrow('--pairs-per-run: expected "auto", "all" or a positive integer up to 4096, got "0"');
    expect(() => parsePairsPerRun('2.5')).toThrow('--pairs-per-run: expected "auto", "all" or a positive integer up to 4096, got "2.5"');
  });
  it('reads the old "batching" field as its alias: text is all, pair is 1, and it overrides a parent\'s pairsPerRun', () => {
    expect(loadProfile(write('old-text.json', { extends: 'base', batching: 'text' })).pairsPerRun).toBe('all');
    expect(loadProfile(write('old-pair.json', { extends: 'base', batching: 'pair' })).pairsPerRun).toBe(1);
    const both = write('both.json', { extends: 'base', batching: 'pair', pairsPerRun: 4 });
    expect(() => loadProfile(both)).toThrow(`${both}: both "batching" and "pairsPerRun"; keep only "pairsPerRun" ("batching" is its old name)`);
  });
});

describe('profile schema', () => {
  it('reads back a resolved profile written as JSON unchanged', () => {
    for (const name of ['a10g', 'cpu', 'pi5-hailo8']) {
      const profile = loadProfile(name);
      expect(loadProfile(write(`${name}-resolved.json`, profile))).toEqual(profile);
    }
  });
  it('words each way a platform or provider options can be wrong', () => {
    expect(profileProblems({ platform: { arch: 'x64', os: 'linux' }, providerOptions: { hailo: {} } }, 'p.json')).toEqual([
      'p.json: field "platform": expected only "arch" and "gpuNamePattern" (found "os"), got {"arch":"x64","os":"linux"}',
      'p.json: field "providerOptions": expected provider names as keys (found "hailo"), got {"hailo":{}}',
    ]);
    expect(profileProblems({ platform: { gpuNamePattern: '(' }, providerOptions: { cuda: { deviceId: [0] } } }, 'p.json')).toEqual([
      'p.json: field "platform": expected "gpuNamePattern" as a valid regular expression, got {"gpuNamePattern":"("}',
      'p.json: field "providerOptions": expected string, number or boolean option values for "cuda", got {"cuda":{"deviceId":[0]}}',
    ]);
    expect(profileProblems({ platform: [], intraOpThreads: 1.5 }, 'p.json')).toEqual([
      'p.json: field "platform": expected an object like {"arch": "x64", "gpuNamePattern": "A10G"}, got []',
      'p.json: field "intraOpThreads": expected a positive integer up to 1024, got 1.5',
    ]);
  });
});

describe('profile hash', () => {
  it('is canonical: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    const profile = loadProfile('cpu');
    const reordered = Object.fromEntries(Object.entries(profile).reverse()) as typeof profile;
    expect(profileHash(reordered)).toBe(profileHash(profile));
    expect(profileHash(profile)).not.toBe(profileHash({ ...profile, repeats: 6 }));
  });
});

describe('memory settings and the tuned note', () => {
  it('reach the session settings only when set, and a tuned profile file loads with its notes left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zsc-memory-'));
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify({ extends: 'cpu', name: 'small', prepacking: false, executionMode: 'parallel', tuned: { prepacking: 'peak 557 MiB instead of 762' } }));
    const profile = loadProfile(file);
    expect(profile).not.toHaveProperty('tuned');
    expect(sessionSettingsOf(profile, false)).toMatchObject({ executionMode: 'parallel', memory: { prepacking: false } });
    expect(sessionSettingsOf(loadProfile('cpu'), false)).not.toHaveProperty('memory');
  });

  it('refuses a memory setting that is not a boolean, naming the field', () => {
    expect(profileProblems({ extends: 'cpu', cpuMemArena: 'off' }, 'x.json')).toEqual(['x.json: field "cpuMemArena": expected true or false (the CPU memory arena), got "off"']);
    expect(profileProblems({ extends: 'cpu', tuned: { precision: 3 } }, 'x.json')).toEqual(['x.json: field "tuned": expected an object of field names to notes, got {"precision":3}']);
  });
});
