import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOpenUnitInterval, parsePercentage } from '../../src/shell/parse.js';
import { buildComparison } from '../../src/compare/comparison.js';
import { parseBaseline } from '../../src/shell/parse.js';
import { groupComparableRuns, poolRuns, poolRepeatedRuns, runLabel, type Run } from '../../src/compare/runs.js';
import { expandFileArguments } from '../../src/io/glob.js';
import type { ResultRow, SampleRecord } from '../../src/compare/read-results.js';
import { resultRow } from '../helpers/result-row.js';
import type { ComparisonJson } from '../helpers/json.js';
import { MIB } from '../../src/schema/csv.js';
import { formatComparison } from '../../src/format/compare-format.js';
import { makeStyle } from '../../src/format/style.js';

const row = resultRow;

function run(rows: ResultRow[], samples?: SampleRecord[]): Run {
  const first = rows[0] as ResultRow;
  return { file: first.file, profile: first.profile, host: first.host, timestamp: first.timestamp, rows, pooled: 1, ...(samples ? { samples } : {}) };
}

const sample = (labels: number, totalMs: number, repeat = 0): SampleRecord => ({ schemaVersion: 1, profile: 'cpu', timestamp: '', labelCount: labels, itemId: '1', repeat, totalMs, correct: false });

describe('groupComparableRuns', () => {
  it('keeps different precisions, model files and datasets apart, in a stable order, and says why', () => {
    const a10g = run([row({ profile: 'a10g', precision: 'fp16', modelSha256: 'b'.repeat(64) })]);
    const cpu = run([row({})]);
    const pi = run([row({ profile: 'pi5-hailo8', precision: 'int8', modelSha256: 'c'.repeat(64) })]);
    const rtx = run([row({ profile: 'rtx3090' })]);
    const { groups, warnings } = groupComparableRuns([pi, rtx, a10g, cpu]);
    expect(groups.map((group) => [group.key.precision, group.runs.map((member) => member.profile)])).toEqual([
      ['fp16', ['a10g']],
      ['fp32', ['cpu', 'rtx3090']],
      ['int8', ['pi5-hailo8']],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^results kept apart in 3 groups because the precision, model file \(sha256\) differ: group 1 = fp16 · model synthetic:structbert-base \(sha256 bbbbbbbbbbbb\)/);
    expect(groupComparableRuns([cpu, rtx]).warnings).toEqual([]);
  });

  it('keeps apart every other difference in the workload or the engine, naming it', () => {
    const base = run([row({})]);
    const variants = [
      run([row({ profile: 'template', template: '{}' })]),
      run([row({ profile: 'pool', labelPool: '体育|财经' })]),
      run([row({ profile: 'batching', pairsPerRunSetting: '1' })]),
      run([row({ profile: 'graph', graphOptimizationLevel: 'basic' })]),
      run([row({ profile: 'ort', onnxruntimeVersion: '1.29.0' })]),
      run([row({ profile: 'qemu', emulated: 'qemu-aarch64 -cpu cortex-a76' })]),
    ];
    for (const variant of variants) {
      const { groups, warnings } = groupComparableRuns([base, variant]);
      expect(groups, variant.profile).toHaveLength(2);
      const named = { template: 'template', pool: 'label pool', batching: 'pairs per run', graph: 'graph optimization level', ort: 'onnxruntime version', qemu: 'emulation' }[variant.profile];
      expect(warnings[0]).toMatch(new RegExp(`^results kept apart in 2 groups because the ${named} differ:`));
    }
  });

  it('warns when runs in one group ran with different thread counts or repeats', () => {
    const two = run([row({ host: 'a' })]);
    const one = run([row({ host: 'b', intraOpThreads: 1, repeats: 5 })]);
    const { groups, warnings } = groupComparableRuns([two, one]);
    expect(groups).toHaveLength(1);
    expect(warnings).toEqual([
      'group 1: runs differ in intra/inter-op threads (2/default: cpu@a; 1/default: cpu@b); latency depends on the thread count, so part of the difference is that',
      'group 1: runs differ in repeats (2, 5): their statistics rest on different numbers of samples',
    ]);
  });
});

describe('poolRuns', () => {
  it('recomputes latency from the pooled samples and combines the rest', () => {
    const first = run([row({ labels: 3, samples: 2, repeats: 1, peakRssBytes: 800 * MIB, cpuPercentOneCore: 180 }), row({ labels: 5, samples: 2, repeats: 1 })], [sample(3, 100), sample(3, 110), sample(5, 150), sample(5, 170)]);
    const second = run(
      [row({ labels: 3, samples: 2, repeats: 1, peakRssBytes: 900 * MIB, cpuPercentOneCore: 200, timestamp: '2026-11-24T11:00:00.000Z' }), row({ labels: 5, samples: 2, repeats: 1, timestamp: '2026-11-24T11:00:00.000Z' })],
      [sample(3, 120), sample(3, 130), sample(5, 190), sample(5, 210)],
    );
    const pooled = poolRuns([first, second]);
    expect(pooled.pooled).toBe(2);
    expect(runLabel(pooled)).toBe('2 runs pooled');
    const [at3, at5] = pooled.rows;
    expect(at3?.samples).toBe(4);
    expect(at3?.meanMs).toBe(115);
    expect(at3?.p50Ms).toBe(115);
    expect(at3?.itemsPerSecond).toBeCloseTo(1000 / 115, 12);
    expect(at3?.peakRssBytes).toBe(900 * MIB);
    expect(at3?.cpuPercentOneCore).toBe(190);
    expect(at3?.repeats).toBe(2);
    expect(at5?.meanMs).toBe(180);
    // The sweep is refitted on the pooled means: (3, 115) and (5, 180).
    expect(at5?.increaseVsMinLabelsPercent).toBeCloseTo(((180 - 115) / 115) * 100, 10);
    expect(at5?.fitMsPerLabel).toBeCloseTo(32.5, 12);
    expect(at5?.fitInterceptMs).toBeCloseTo(17.5, 12);
  });

  it('pools only runs of one configuration', () => {
    const a = run([row({})], [sample(3, 100)]);
    const b = run([row({ timestamp: '2026-11-24T11:00:00.000Z', profileHash: 'p2' })], [sample(3, 100)]);
    const result = poolRepeatedRuns([a, b]);
    expect(result.runs).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/cpu on vm: 2 runs differ in profile configuration, items, threads or the provider that ran, so they are not pooled/);
  });
});

describe('buildComparison and formats', () => {
  const cpu = run([row({}), row({ labels: 5, meanMs: 160, increaseVsMinLabelsPercent: 60 })]);
  const rtx = run([row({ profile: 'rtx3090', host: 'gpu-box', actualProvider: 'cuda', requestedProvider: 'cuda', meanMs: 20, p95Ms: 25, itemsPerSecond: 50, gpuMemoryMiB: 1234, costPerHour: 0.5 })]);
  const fallback = run([row({ profile: 't4', host: 'ci', requestedProvider: 'cuda', actualProvider: 'cpu', fallback: true, meanMs: 400 })]);

  it('computes the platform figures and the relative column within the group', () => {
    const { groups } = groupComparableRuns([cpu, rtx, fallback]);
    const report = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu') });
    const [cpuEntry, rtxEntry, t4Entry] = report.groups[0]?.platforms ?? [];
    expect(rtxEntry?.memoryKind).toBe('GPU');
    expect(rtxEntry?.memoryMiB).toBe(1234);
    expect(cpuEntry?.memoryKind).toBe('RAM');
    expect(rtxEntry?.qpsPerDollarHour).toBe(100);
    expect(rtxEntry?.speedVsBaseline).toBe(5);
    expect(t4Entry?.speedVsBaseline).toBe(0.25);
    expect(cpuEntry?.accuracy).toBeUndefined();
    expect(report.warnings).toEqual([
      't4 on ci asked for cuda but ran on cpu (fallback): its numbers are not cuda\'s',
      'cpu@vm: two label counts only, so the fitted line passes through both points and R² is 1 by construction (not shown); sweep three or more counts for a meaningful fit',
    ]);
    expect(report.groups[0]?.labelCounts).toEqual([3, 5]);
  });

  it('a run without the reference label count is only in the sweep', () => {
    const { groups } = groupComparableRuns([cpu, rtx]);
    const report = buildComparison(groups, [], { referenceLabels: 5 });
    expect(report.groups[0]?.platforms.map((entry) => entry.profile)).toEqual(['cpu']);
    expect(report.groups[0]?.sweep.map((entry) => entry.profile)).toEqual(['cpu', 'rtx3090']);
    expect(report.warnings[0]).toMatch(/rtx3090 on gpu-box has no 5-label row, so it is only in the sweep table/);
  });

  it('labels single-stream QPS and, when a run measured it, offline items/s (with the best batch size); MFU in the CSV', () => {
    const offlineRows = cpu.rows.map((row) => ({ ...row, offlineItemsPerSecond: 12.345, offlinePairsPerSecond: 37.035, offlineBestBatchItems: 4, mfuPercent: 81.26, intraOpThreads: 2, pairsPerRun: 3, parityFlipPercent: 2.5, parityMaxAbsDiff: 0.012345, parityWeights: 'synthetic' }));
    const { groups } = groupComparableRuns([{ ...cpu, rows: offlineRows }, rtx]);
    const report = buildComparison(groups, [], { referenceLabels: 3 });
    const table = formatComparison(report, 'markdown', makeStyle(false));
    expect(table).toContain('| single-stream QPS | offline items/s (batch) |');
    expect(table).toContain('| 10.00 | 12.35 (4) |');
    expect(table).toContain('| 50.00 | - |');
    const json = JSON.parse(formatComparison(report, 'json', makeStyle(false))) as ComparisonJson;
    expect(json.groups[0]?.platforms[0]).toMatchObject({ single_stream_qps: 10, offline_items_per_s: 12.345, offline_pairs_per_s: 37.035, offline_best_batch_items: 4, mfu_percent: 81.26, intra_op_threads: 2, pairs_per_run: 3, parity_flip_percent: 2.5, parity_max_abs_diff: 0.012345, parity_weights: 'synthetic' });
  });

  it('formats: rounded once and alike in every format for people, every statistic at full precision for machines', () => {
    // Every number shown has more digits than the formats show, so each one is really rounded.
    const precise = run([row({ meanMs: 100.123456, p95Ms: 110.987654 }), row({ labels: 5, meanMs: 160, increaseVsMinLabelsPercent: 59.803 })]);
    const rtxPrecise = run([row({ profile: 'rtx3090', host: 'gpu-box', actualProvider: 'cuda', requestedProvider: 'cuda', meanMs: 20.04, p95Ms: 24.96, itemsPerSecond: 49.996, gpuMemoryMiB: 1234.4, costPerHour: 0.5 })]);
    const { groups } = groupComparableRuns([precise, rtxPrecise]);
    const report = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu@vm') });
    const csv = formatComparison(report, 'csv', makeStyle(false));
    const [header, first] = csv.trim().split('\n');
    expect(header).toBe(
      'section,group,precision_group,model_id,model_sha256,dataset,dataset_hash,items,label_pool,template,pairs_per_run_setting,graph_optimization,onnxruntime_version,emulated,profile,host,run,files,requested_provider,actual_provider,fallback,precision,labels,samples,mean_ms,std_ms,min_ms,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,mean_ci95_low_ms,mean_ci95_high_ms,median_ci95_low_ms,median_ci95_high_ms,single_stream_qps,pairs_per_s,offline_items_per_s,offline_pairs_per_s,offline_best_batch_items,mfu_percent,intra_op_threads,inter_op_threads,pairs_per_run,parity_flip_percent,parity_mean_abs_diff,parity_max_abs_diff,batch_composition_flip_percent,batch_composition_max_abs_diff,parity_weights,peak_memory_mib,peak_memory_kind,cpu_percent_one_core,cpu_percent_all_cores,harness_overhead_percent,accuracy,synthetic,single_stream_qps_per_usd_hour,speed_vs_baseline,web_ui,web_ui_added_p95_ms,mean_ms_3_labels,increase_percent_3_labels,mean_ms_5_labels,increase_percent_5_labels,fit_ms_per_label,fit_intercept_ms,fit_r2,batching,inexact_batching,max_batch_pairs,mode,level,requests,ok,errors,throughput_rps,mean_batch_requests',
    );
    expect(first).toBe(`run,1,fp32,synthetic:structbert-base,${'a'.repeat(64)},datasets/thucnews-style-100.csv,${'d'.repeat(64)},2,体育|财经|科技,这是一篇关于{}的新闻。,auto,all,1.30.0,,cpu,vm,2026-11-24T10:00:00Z,r.csv,cpu,cpu,false,fp32,3,4,100.123456,5.123456,91.25,100,108.5,110.987654,112,113.75,92.0625,107.9375,91.25,113.75,10,30,,,,,2,,,,,,,,,800,RAM,190,95,0.5,,true,,1,,,100.123456,0,160,59.803,50,-50,,,,,,,,,,,`);
    const markdown = formatComparison(report, 'markdown', makeStyle(false));
    const cpuRow = '| cpu | vm | 2026-11-24T10:00:00Z | cpu | fp32 | 3 | 4 | 100.1 | 111.0 | 10.00 | 800 MiB RAM | 190 | synthetic | - | 1.00 |';
    const rtxRow = '| rtx3090 | gpu-box | 2026-11-24T10:00:00Z | cuda | fp32 | 3 | 4 | 20.0 | 25.0 | 50.00 | 1234 MiB GPU | 190 | synthetic | 99.99 | 5.00 |';
    expect(markdown).toContain(cpuRow);
    expect(markdown).toContain(rtxRow);
    expect(markdown).toContain('| cpu | vm | 2026-11-24T10:00:00Z | 100.1 | 160.0 (+59.8%) | 50.00 | - |');
    // The terminal tables show the same rounded numbers: --wide every column, the default a subset.
    const cells = (table: string, start: string): string[] => {
      const line = table.split('\n').find((text) => text.startsWith(`│ ${start} `)) ?? '';
      return line.split('│').slice(1, -1).map((cell) => cell.trim());
    };
    const wide = formatComparison(report, 'table', makeStyle(false), { wide: true });
    const markdownCells = (markdownRow: string) => markdownRow.split('|').slice(1, -1).map((cell) => cell.trim());
    expect(cells(wide, 'cpu ')).toEqual(markdownCells(cpuRow));
    expect(cells(wide, 'rtx3090')).toEqual(markdownCells(rtxRow));
    const narrow = formatComparison(report, 'table', makeStyle(false));
    expect(cells(narrow, 'cpu@vm')).toEqual(['cpu@vm', 'cpu', 'fp32', '100.1', '111.0', '10.00', '800', '1.00']);
    expect(cells(narrow, 'rtx3090@gpu-box')).toEqual(['rtx3090@gpu-box', 'cuda', 'fp32', '20.0', '25.0', '50.00', '1234 GPU', '5.00']);
    const json = JSON.parse(formatComparison(report, 'json', makeStyle(false))) as ComparisonJson;
    expect(json.groups[0]?.platforms[0]).toMatchObject({ profile: 'cpu', mean_ms: 100.123456, p95_ms: 110.987654, std_ms: 5.123456, mean_ci95_low_ms: 92.0625, median_ci95_high_ms: 113.75, files: 'r.csv' });
    expect(json.groups[0]?.platforms[1]).toMatchObject({ profile: 'rtx3090', mean_ms: 20.04, p95_ms: 24.96, single_stream_qps: 49.996, peak_memory_mib: 1234.4, peak_memory_kind: 'GPU' });
    expect(json.groups[0]?.platforms[1]?.['single_stream_qps_per_usd_hour']).toBeCloseTo(99.992, 9);
    expect(json.groups[0]?.platforms[1]?.['speed_vs_baseline']).toBeCloseTo(100.123456 / 20.04, 9);
    expect(json.groups[0]?.sweep[0]?.['fit_r2']).toBeNull();
  });

  it('the default table fits 100 columns; --wide shows every column', () => {
    const { groups } = groupComparableRuns([cpu, rtx, fallback]);
    const report = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu') });
    const narrow = formatComparison(report, 'table', makeStyle(false));
    const wide = formatComparison(report, 'table', makeStyle(false), { wide: true });
    const widest = (text: string) => Math.max(...text.split('\n').filter((line) => /^[│┌├└]/.test(line)).map((line) => [...line].length));
    expect(widest(narrow)).toBeLessThanOrEqual(100);
    expect(widest(wide)).toBeGreaterThan(100);
    expect(narrow).toMatch(/│ platform\s+│ provider\s+│ precision │ mean ms │ p95 ms │ QPS\s+│ peak MiB │ speed \(x\) │/);
    expect(narrow).toContain('│ rtx3090@gpu-box │');
    expect(wide).toMatch(/│ CPU % \(1 core\) │ accuracy\s+│ single-stream QPS per \$\/h │/);
  });

  it('warns when the harness dominates and when baseline and run have very different sample counts', () => {
    const fast = run([row({ profile: 'tiny', host: 'vm', samples: 120, harnessOverheadPercent: 28.4 })]);
    const { groups } = groupComparableRuns([cpu, fast]);
    const report = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu') });
    expect(report.warnings).toContain("tiny on vm (2026-11-24T10:00:00Z): 28.4% of the timed loop is zsc-bench's own time (harness %): the model is so fast that the tool's overhead dominates these figures");
    expect(report.warnings).toContain('speed vs cpu: the baseline has 4 samples, but tiny@vm (2026-11-24T10:00:00Z) has 120: a ratio between so different sample counts is only as certain as the smaller one; run both with the same --items and --repeats');
  });
});

describe('parseBaseline and choosing one run', () => {
  it('takes PROFILE, PROFILE@HOST, PROFILE@HOST@TIME or a summary CSV file', () => {
    expect(parseBaseline('cpu')).toEqual({ kind: 'platform', profile: 'cpu', host: undefined, time: undefined });
    expect(parseBaseline('cpu@vm')).toEqual({ kind: 'platform', profile: 'cpu', host: 'vm', time: undefined });
    expect(parseBaseline('cpu@vm@2026-11-24T10:00')).toEqual({ kind: 'platform', profile: 'cpu', host: 'vm', time: '2026-11-24T10:00' });
    expect(parseBaseline('results/a.csv')).toEqual({ kind: 'file', file: join(process.cwd(), 'results', 'a.csv') });
    expect(() => parseBaseline('cpu@')).toThrow("--baseline: expected PROFILE, PROFILE@HOST, PROFILE@HOST@TIME or a summary CSV file, got 'cpu@'");
    expect(() => parseBaseline('a@b@c@d')).toThrow('--baseline: expected PROFILE, PROFILE@HOST');
  });

  it('one baseline name, one match per comparable group: each group gets its own baseline', () => {
    // An fp32 and an int8 cpu run (kept apart: other precision, other model file) and a t4 run beside each.
    const cpu32 = run([row({ file: 'results/cpu32.csv', meanMs: 100 })]);
    const t4fp32 = run([row({ file: 'results/t4.csv', profile: 't4', host: 'gpu', meanMs: 25 })]);
    const cpu8 = run([row({ file: 'results/cpu8.csv', precision: 'int8', modelSha256: 'b'.repeat(64), timestamp: '2026-11-24T11:00:00.000Z', meanMs: 60 })]);
    const t4int8 = run([row({ file: 'results/t4-8.csv', profile: 't4', host: 'gpu', precision: 'int8', modelSha256: 'b'.repeat(64), meanMs: 20 })]);
    const { groups } = groupComparableRuns([cpu32, t4fp32, cpu8, t4int8]);
    const report = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu') });
    expect(report.groups.map((group) => group.platforms.map((entry) => [entry.profile, entry.speedVsBaseline]))).toEqual([
      [['cpu', 1], ['t4', 4]],
      [['cpu', 1], ['t4', 3]],
    ]);
    expect(report.warnings.filter((warning) => warning.startsWith('--baseline'))).toEqual([]);
    // A group without a cpu run is named as such.
    const gpuOnly = run([row({ file: 'results/t4-16.csv', profile: 't4', host: 'gpu', precision: 'fp16', modelSha256: 'c'.repeat(64), meanMs: 15 })]);
    const withGpuOnly = buildComparison(groupComparableRuns([cpu32, t4fp32, cpu8, t4int8, gpuOnly]).groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu') });
    expect(withGpuOnly.warnings.filter((warning) => warning.startsWith('--baseline'))).toEqual(['--baseline cpu is in groups 2, 3; group 1 gets no relative figures (not comparable)']);
  });

  it('two runs of one platform: named by time or by file; the error says how', () => {
    const early = run([row({ file: 'results/early.csv', timestamp: '2026-11-24T10:00:00.000Z', meanMs: 100 })]);
    const late = run([row({ file: 'results/late.csv', timestamp: '2026-11-25T08:30:00.000Z', meanMs: 200 })]);
    const { groups } = groupComparableRuns([early, late]);
    expect(() => buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu@vm') })).toThrow(
      '--baseline: cpu@vm matches 2 runs: cpu@vm@2026-11-24T10:00:00Z (results/early.csv), cpu@vm@2026-11-25T08:30:00Z (results/late.csv); name one by its file (--baseline results/early.csv) or by time (--baseline cpu@vm@2026-11-24T10:00:00Z), or pool repeats of one configuration with --merge-repeats',
    );
    const byTime = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('cpu@vm@20261125T08') });
    expect(byTime.groups[0]?.platforms.map((entry) => entry.speedVsBaseline)).toEqual([2, 1]);
    const byFile = buildComparison(groups, [], { referenceLabels: 3, baseline: parseBaseline('results/early.csv') });
    expect(byFile.groups[0]?.platforms.map((entry) => entry.speedVsBaseline)).toEqual([1, 0.5]);
    expect(byFile.baseline).toBe('early.csv');
  });
});

describe('flag parsers', () => {
  it('parsePercentage: 10% and 10 mean 0.1; anything else is refused', () => {
    expect(parsePercentage('10%', '--max-regression')).toBe(0.1);
    expect(parsePercentage('2.5', '--max-regression')).toBe(0.025);
    expect(parsePercentage('0%', '--max-regression')).toBe(0);
    for (const bad of ['ten', '-5%', '10%%', '', '1000']) expect(() => parsePercentage(bad, '--max-regression')).toThrow(/--max-regression: expected a percentage such as 10%/);
  });
  it('parseOpenUnitInterval: strictly between 0 and 1', () => {
    expect(parseOpenUnitInterval('0.05', '--alpha')).toBe(0.05);
    expect(parseOpenUnitInterval('.01', '--alpha')).toBe(0.01);
    for (const bad of ['0', '1', '1.5', '-0.1', 'x', '']) expect(() => parseOpenUnitInterval(bad, '--alpha')).toThrow(/--alpha: expected a number between 0 and 1 \(exclusive\)/);
  });
});

describe('globs', () => {
  it('segment patterns: *, ? and classes stay within one name', () => {
    // Whether a one-segment glob matches a file of that name, through the real expansion.
    const segmentMatches = (segment: string, name: string): boolean => {
      const dir = mkdtempSync(join(tmpdir(), 'zsc-glob-segment-'));
      writeFileSync(join(dir, name), '');
      try {
        return expandFileArguments([join(dir, segment)], 'compare').includes(join(dir, name));
      } catch {
        return false;
      }
    };
    expect(segmentMatches('*.csv', 'cpu-vm.csv')).toBe(true);
    expect(segmentMatches('*.csv', 'cpu-vm.csvx')).toBe(false);
    expect(segmentMatches('cpu?.csv', 'cpu1.csv')).toBe(true);
    expect(segmentMatches('[ab]*.csv', 'b.csv')).toBe(true);
    expect(segmentMatches('[!ab]*.csv', 'b.csv')).toBe(false);
    expect(segmentMatches('a+b(1)*.csv', 'a+b(1).csv')).toBe(true);
  });

  it('expands sorted matches, recursively with **, and names a glob that matches nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'zsc-glob-'));
    mkdirSync(join(root, 'm1', 'deep'), { recursive: true });
    for (const file of ['m1/b.csv', 'm1/a.csv', 'm1/deep/c.csv', 'm1/notes.txt']) writeFileSync(join(root, file), '');
    expect(expandFileArguments([join(root, 'm1', '*.csv')], 'compare')).toEqual([join(root, 'm1', 'a.csv'), join(root, 'm1', 'b.csv')]);
    expect(expandFileArguments([join(root, '**', '*.csv')], 'compare')).toEqual([join(root, 'm1', 'a.csv'), join(root, 'm1', 'b.csv'), join(root, 'm1', 'deep', 'c.csv')]);
    expect(expandFileArguments(['plain.csv', 'plain.csv'], 'compare')).toEqual(['plain.csv']);
    expect(() => expandFileArguments([join(root, '*.json')], 'compare')).toThrow(/^compare: no files match '.*\*\.json'$/);
  });
});
