import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AbComparison } from '../../src/compare/ab.js';
import { formatAbCsv, type AbContext } from '../../src/compare/ab-csv.js';
import { parseResultCsv, parseResultTable, resultKindOf } from '../../src/compare/read-results.js';
import { readResultFiles } from '../../src/compare/runs.js';
import { ResultFiles, resultStem, SINGLE_CSV } from '../../src/io/result-files.js';
import { formatSamplesCsv, formatSummaryCsv, RUN_FILES } from '../../src/runner/results-csv.js';
import { writeEveryResultKind } from '../helpers/result-folder.js';
import { summaryRow } from '../helpers/result-row.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'zsc-result-files-'));

describe('resultStem', () => {
  it('joins the parts made safe for a file name and the time stamp', () => {
    expect(resultStem('out', ['ab', '../cpu', 'vs', 'my host', ''], '2026-12-03T10:11:12.345Z')).toBe(join('out', 'ab-__cpu-vs-my_host-_-20261203T101112Z'));
  });
});

describe('ResultFiles', () => {
  it('takes the stem on the first write, then replaces the files in place', () => {
    const dir = fresh();
    const files = new ResultFiles(join(dir, 'load-vm-20261203T100000Z'), SINGLE_CSV);
    expect(files.created).toBe(false);
    expect(files.paths).toEqual({ csv: join(dir, 'load-vm-20261203T100000Z.csv') });
    files.write({ csv: 'one level\n' });
    files.write({ csv: 'two levels\n' });
    expect(files.created).toBe(true);
    expect(readdirSync(dir)).toEqual(['load-vm-20261203T100000Z.csv']);
    expect(readFileSync(files.paths.csv, 'utf8')).toBe('two levels\n');
  });

  it('takes a new name when the stem exists: -2, -3, every file of the set under one suffix', () => {
    const dir = fresh();
    const stem = join(dir, 'cpu-vm-20261203T100000Z');
    // A stale samples file alone is enough to make the stem taken.
    writeFileSync(`${stem}-samples.csv`, 'another run');
    const first = new ResultFiles(stem, RUN_FILES);
    first.write({ summary: 's', samples: 'x', profile: (paths) => `profile of ${paths.summary}` });
    const second = new ResultFiles(stem, RUN_FILES);
    second.write({ summary: 's', samples: 'x', profile: (paths) => `profile of ${paths.summary}` });
    expect(first.paths).toEqual({ summary: `${stem}-2.csv`, samples: `${stem}-2-samples.csv`, profile: `${stem}-2.profile.json` });
    expect(second.paths.summary).toBe(`${stem}-3.csv`);
    expect(readFileSync(`${stem}-samples.csv`, 'utf8')).toBe('another run');
    expect(readFileSync(first.paths.profile, 'utf8')).toBe(`profile of ${stem}-2.csv`);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a write-once file with the first write only', () => {
    const dir = fresh();
    const files = new ResultFiles(join(dir, 'cpu-vm-20261203T100000Z'), RUN_FILES);
    files.write({ summary: 'row 1', samples: 'samples 1', profile: 'profile 1' });
    let asked = false;
    files.write({ summary: 'rows 1-2', samples: 'samples 1-2', profile: () => ((asked = true), 'profile 2') });
    expect([files.paths.summary, files.paths.samples, files.paths.profile].map((path) => readFileSync(path, 'utf8'))).toEqual(['rows 1-2', 'samples 1-2', 'profile 1']);
    expect(asked).toBe(false);
  });
});

const comparison: AbComparison = { labels: 3, pairs: 4, aValueMs: 120.1234, bValueMs: 100.5, ratio: 1.195, interval: [1.101234, 1.29], pairRatios: [1.1, 1.2, 1.25, 1.23456], verdict: 'slower' };
const side = { profile: 'slow', profileHash: 'p'.repeat(64), precision: 'fp32', actualProvider: 'cpu', modelId: 'synthetic:structbert-base', modelSha256: 'a'.repeat(64), synthetic: true, template: '这是一篇关于{}的新闻。', pairsPerRun: 'auto: 3', intraOpThreads: 1 };
const context: AbContext = {
  timestamp: '2026-12-03T10:00:00.000Z', host: 'vm', toolVersion: '0.1.0', onnxruntimeVersion: '1.30.0', dataset: 'datasets/thucnews-style-100.csv', datasetHash: 'd'.repeat(64),
  items: 4, metric: 'median', level: 0.95, maxRegression: undefined, sides: { a: side, b: { ...side, profile: 'good', pairsPerRun: 'all', synthetic: false } },
};

describe('ab CSV schema', () => {
  it('reads back every row as written, rounded as the file rounds', () => {
    const parsed = parseResultCsv(formatAbCsv([comparison, { ...comparison, labels: 20, verdict: 'regression' }], context), 'ab.csv');
    if (parsed.kind !== 'ab') throw new Error(parsed.kind);
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.rows[0]).toEqual({
      schemaVersion: 1, kind: 'ab', toolVersion: '0.1.0', timestamp: '2026-12-03T10:00:00.000Z', host: 'vm', onnxruntimeVersion: '1.30.0',
      profileA: 'slow', profileHashA: 'p'.repeat(64), precisionA: 'fp32', actualProviderA: 'cpu', modelIdA: 'synthetic:structbert-base', modelSha256A: 'a'.repeat(64), syntheticA: true, templateA: '这是一篇关于{}的新闻。', pairsPerRunA: 'auto: 3', intraOpThreadsA: 1,
      profileB: 'good', profileHashB: 'p'.repeat(64), precisionB: 'fp32', actualProviderB: 'cpu', modelIdB: 'synthetic:structbert-base', modelSha256B: 'a'.repeat(64), syntheticB: false, templateB: '这是一篇关于{}的新闻。', pairsPerRunB: 'all', intraOpThreadsB: 1,
      dataset: 'datasets/thucnews-style-100.csv', datasetHash: 'd'.repeat(64), items: 4, labels: 3, pairs: 4, metric: 'median',
      aMs: 120.123, bMs: 100.5, ratio: 1.195, level: 0.95, ciLow: 1.10123, ciHigh: 1.29, pairRatios: [1.1, 1.2, 1.25, 1.23456], maxRegression: undefined, verdict: 'slower',
    });
    expect(parsed.rows[1]).toMatchObject({ labels: 20, verdict: 'regression' });
  });

  it('keeps the header and cells the A/B CSV always had', () => {
    const [header, row] = formatAbCsv([comparison], { ...context, maxRegression: 0.1 }).trim().split('\n');
    expect(header).toBe(
      'schema_version,kind,tool_version,timestamp,host,onnxruntime_version,' +
        'profile_a,profile_hash_a,precision_a,actual_provider_a,model_id_a,model_sha256_a,synthetic_a,template_a,pairs_per_run_a,intra_op_threads_a,' +
        'profile_b,profile_hash_b,precision_b,actual_provider_b,model_id_b,model_sha256_b,synthetic_b,template_b,pairs_per_run_b,intra_op_threads_b,' +
        'dataset,dataset_hash,items,labels,pass_pairs,metric,a_ms,b_ms,ratio_a_over_b,ci_level,ci_low,ci_high,pair_ratios,max_regression,verdict',
    );
    expect(row).toMatch(/,3,4,median,120\.123,100\.500,1\.19500,0\.95,1\.10123,1\.29000,1\.10000 1\.20000 1\.25000 1\.23456,0\.1,slower$/);
  });

  it('refuses a bad cell naming file, line and column', () => {
    const text = formatAbCsv([comparison], context).replace('1.10000 1.20000', '1.10000 fast');
    expect(() => parseResultCsv(text, 'ab.csv')).toThrow("ab.csv:2: column pair_ratios: expected a number above 0 up to 1000000, got 'fast'");
  });
});

describe('reading by kind', () => {
  const kindOf = (text: string) => resultKindOf(parseResultTable(text, 'f.csv'), 'f.csv');
  it('knows every kind by its kind column, and summary and samples files written before it by their header', () => {
    const samples = formatSamplesCsv([{ labelCount: 3, itemId: 'a', repeat: 0, totalMs: 1, inferenceMs: 1, tokenizeMs: 0, runs: 1, gflop: 1, predicted: 'x', gold: 'x', scores: '' }], { profile: 'cpu', host: 'vm', timestamp: 't', actualProvider: 'cpu', precision: 'fp32' });
    expect(kindOf(formatSummaryCsv([summaryRow()]))).toBe('summary');
    expect(kindOf(samples)).toBe('samples');
    expect(kindOf(formatAbCsv([comparison], context))).toBe('ab');
    expect(kindOf('schema_version,profile,mean_ms\n2,cpu,1\n')).toBe('summary');
    expect(kindOf('schema_version,profile,total_ms\n2,cpu,1\n')).toBe('samples');
    expect(() => kindOf('schema_version,kind\n1,tune\n')).toThrow("f.csv:2: kind 'tune' is not a result kind this zsc-bench reads (summary, samples, load, webui, ab); upgrade zsc-bench to read it");
  });

  it('reads the kinds a command uses and skips the others with one note each', () => {
    const dir = fresh();
    const folder = writeEveryResultKind(dir);
    const files = readdirSync(dir).sort().map((name) => join(dir, name));
    const read = readResultFiles(files, { withSamples: true, kinds: ['summary'], command: 'check' });
    expect(read.runs.map((run) => [run.file, run.rows.length, run.samples?.length])).toEqual([[folder.run.summary, 2, 8]]);
    expect(read.loadLevels).toEqual([]);
    expect(read.warnings).toEqual([]);
    // In the order the files came: sorted by name here.
    expect(read.notes).toEqual(
      [
        `${folder.ab[0]}: skipped, kind ab (check reads summary)`,
        `${folder.ab[1]}: skipped, kind ab (check reads summary)`,
        `${folder.load}: skipped, kind load (check reads summary)`,
        `${folder.webui}: skipped, kind webui (check reads summary)`,
      ].sort(),
    );
    const compare = readResultFiles(files, { withSamples: false, kinds: ['summary', 'load', 'webui'], command: 'compare' });
    expect([compare.runs.length, compare.loadLevels.length, compare.webUi.length]).toEqual([1, 2, 2]);
    expect(compare.notes).toEqual([folder.ab[1], folder.ab[0]].map((file) => `${file}: skipped, kind ab (compare reads summary, load, webui)`));
  });
});
