import { describe, expect, it } from 'vitest';
import { compareAnswers, type AnswerSide } from '../../src/compare/answers.js';
import type { SampleRecord } from '../../src/compare/read-results.js';
import { formatParity, parityVerdict, scoreDiff } from '../../src/format/parity-format.js';
import { makeStyle } from '../../src/format/style.js';
import { formatSampleScores, parseSampleScores } from '../../src/runner/sample-scores.js';

const sample = (labelCount: number, itemId: string, scores: string, repeat = 0): SampleRecord => ({ schemaVersion: 2, profile: 'cpu', timestamp: 't', labelCount, itemId, repeat, totalMs: 1, correct: false, scores });

const row = { precision: 'int8', modelId: 'synthetic:tiny', modelSha256: 'a'.repeat(64), datasetHash: 'd'.repeat(64), template: '这是一篇关于{}的新闻。', host: 'vm', arch: 'x64', emulated: '', actualProvider: 'cpu' };

function side(file: string, samples: SampleRecord[], overrides: Partial<typeof row> = {}): AnswerSide {
  return { file, row: { ...row, ...overrides }, samples };
}

describe('sample scores cell', () => {
  it('writes every label in the label set order with 9 significant digits, and reads it back', () => {
    const cell = formatSampleScores(['财经', '体育', 'a:b'], { labels: ['体育', 'a:b', '财经'], scores: [0.9646631559719038, 0.017668422014048047, 0.0176684220140481] });
    expect(cell).toBe('财经:0.0176684220|体育:0.964663156|a:b:0.0176684220');
    expect(parseSampleScores(cell)).toEqual([['财经', 0.017668422], ['体育', 0.964663156], ['a:b', 0.017668422]]);
    expect(parseSampleScores('')).toBeUndefined();
    expect(parseSampleScores('体育:0.5|财经:')).toBeUndefined();
    expect(parseSampleScores(':0.5')).toBeUndefined();
  });
});

describe('compareAnswers', () => {
  it('pairs the first sample of each item per label count and counts flips and score differences', () => {
    const a = side('a.csv', [
      sample(3, 'i1', 'x:0.5|y:0.3|z:0.2'),
      sample(3, 'i1', 'x:0.9|y:0.05|z:0.05', 1), // a later pass: not compared
      sample(3, 'i2', 'x:0.40|y:0.39|z:0.21'),
      sample(3, 'only-a', 'x:1|y:0|z:0'),
    ]);
    const b = side('b.csv', [sample(3, 'i2', 'y:0.41|x:0.38|z:0.21'), sample(3, 'i1', 'z:0.2|y:0.3|x:0.5')], { host: 'pi', arch: 'arm64', emulated: 'qemu' });
    const report = compareAnswers(a, b);
    expect(report.unpaired).toBe(1);
    expect(report.byLabelCount).toHaveLength(1);
    const [three] = report.byLabelCount;
    expect(three?.labels).toBe(3);
    expect(three?.items).toBe(2);
    expect(three?.flips).toBe(1);
    expect(three?.flipPercent).toBe(50);
    // |Δ| over the six scores: 0, 0, 0 for i1; 0.02, 0.02, 0 for i2.
    expect(three?.maxAbsDiff).toBeCloseTo(0.02, 12);
    expect(three?.meanAbsDiff).toBeCloseTo(0.04 / 6, 12);
    expect(three?.flipMarginMax).toBeCloseTo(0.01, 12);
    expect(parityVerdict(three!)).toBe('3 labels: 1 of 2 items changed their top label (50.0%); the widest top-two margin among them was 1.0e-2 against score differences up to 2.0e-2');
    const table = formatParity(report, 'table', makeStyle(false));
    expect(table).toContain('B: b.csv (pi, arm64, emulated: qemu, cpu)');
    expect(table).toContain('1 (item, label count) pairs ran on one side only and are left out');
    expect(JSON.parse(formatParity(report, 'json', makeStyle(false)))).toMatchObject({ by_label_count: [{ labels: 3, items: 2, flips: 1, flip_percent: 50 }], unpaired_items: 1 });
  });

  it('says the same answers plainly', () => {
    const samples = [sample(5, 'i1', 'x:0.2|y:0.2|z:0.6')];
    const [same] = compareAnswers(side('a.csv', samples), side('b.csv', samples)).byLabelCount;
    expect(parityVerdict(same!)).toBe('5 labels: the same top label for all 1 items; scores differ by at most 0');
    expect([scoreDiff(0), scoreDiff(1.9371525772360343e-9), scoreDiff(undefined), scoreDiff(Number.NaN)]).toEqual(['0', '1.9e-9', '-', '-']);
  });

  it('refuses another workload, other label sets, files without scores and runs with no item in common, naming the file', () => {
    const samples = [sample(3, 'i1', 'x:0.5|y:0.3|z:0.2')];
    expect(() => compareAnswers(side('a.csv', samples), side('b.csv', samples, { precision: 'fp32' }))).toThrow("b.csv: precision 'fp32' differs from a.csv's 'int8'; parity compares the same workload on two machines");
    expect(() => compareAnswers(side('a.csv', samples), side('b.csv', samples, { template: '{}' }))).toThrow(/^b\.csv: template '\{\}' differs/);
    expect(() => compareAnswers(side('a.csv', samples), side('b.csv', [sample(3, 'i1', 'x:0.5|y:0.3|w:0.2')]))).toThrow(
      'b.csv: item i1 at 3 labels was scored against x|y|w, in a.csv against x|y|z: not the same label sets (another label pool or seed)',
    );
    expect(() => compareAnswers(side('a.csv', samples), side('old.csv', [sample(3, 'i1', '')]))).toThrow('old.csv: its samples have no scores column (written before zsc-bench recorded scores); run it again with this version');
    expect(() => compareAnswers(side('a.csv', samples), side('b.csv', [sample(3, 'i9', 'x:0.5|y:0.3|z:0.2')]))).toThrow('b.csv: no item at any label count is also in a.csv; parity needs runs of the same items');
  });
});
