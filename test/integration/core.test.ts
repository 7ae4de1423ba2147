import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBudget } from '../../src/env/cpu-budget.js';
import { type Classifier } from '../../src/core/classifier.js';
import { loadClassifier } from '../../src/model-store/source.js';
import { testModel } from '../helpers/models.js';

const SPORTS = '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。';
const FINANCE = '财经快讯：央行今日公布的数据显示，上月财政收入同比增长，股市与债市随之走强。';

describe('zero-shot core on the overlap model (known answers)', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    classifier = await loadClassifier({ model: await testModel('overlap') });
  });
  afterAll(() => classifier.dispose());

  it('picks the label whose characters the text shares', async () => {
    expect((await classifier.classify(SPORTS, ['财经', '体育', '科技'])).labels[0]).toBe('体育');
    expect((await classifier.classify(FINANCE, ['体育', '科技', '财经'])).labels[0]).toBe('财经');
  });

  it('reports the provider that ran, the model facts and one session.run per text', async () => {
    expect(classifier.provider).toBe('cpu');
    expect(classifier.fallback).toBeUndefined();
    expect(classifier.model.synthetic).toBe(true);
    expect(classifier.model.arch).toBe('overlap');
    const result = await classifier.classify(SPORTS, ['体育', '财经', '科技']);
    expect(result.timings.runs).toBe(1);
    expect(result.timings.inferenceMs).toBeLessThanOrEqual(result.timings.totalMs);
  });
});

describe('zero-shot core on the tiny model', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    classifier = await loadClassifier({ model: await testModel('tiny') });
  });
  afterAll(() => classifier.dispose());

  const labels = ['体育', '财经', '科技', '国际新闻', '房产'];

  it('profiles one classification on a copy of the session: every node on the CPU here', async () => {
    const placement = await classifier.profilePlacement('国足昨晚在主场以二比一战胜对手', labels);
    expect(placement.shares).toHaveLength(1);
    expect(placement.shares[0]).toMatchObject({ provider: 'cpu', nodeShare: 1, timeShare: 1 });
    expect(placement.shares[0]?.nodes).toBe(placement.nodes);
    expect(placement.kernelMicroseconds).toBeGreaterThan(0);
    // The measured session is untouched: it still classifies.
    expect((await classifier.classify('国足昨晚在主场以二比一战胜对手', labels)).labels).toHaveLength(labels.length);
  });

  it('batched logits equal one-pair-at-a-time logits exactly at fp32', async () => {
    const { batch, pairs } = classifier.encode(SPORTS, labels);
    const batched = await classifier.run(batch);
    expect(new Set(pairs.map((pair) => pair.inputIds.length)).size).toBeGreaterThan(1); // padding really happens
    for (const [index] of pairs.entries()) {
      const { batch: single } = classifier.encode(SPORTS, [labels[index] ?? '']);
      const alone = await classifier.run(single);
      expect(Array.from(alone)).toEqual(Array.from(batched.subarray(index * 3, index * 3 + 3)));
    }
  });

  it('every pairs-per-run split gives exactly the same scores at fp32', async () => {
    const all = await classifier.classify(SPORTS, labels);
    expect(all.timings.runs).toBe(1);
    for (const [pairsPerRun, runs] of [[1, 5], [2, 3], [3, 2], [4, 2], [5, 1], [99, 1]] as const) {
      const split = await classifier.classify(SPORTS, labels, { pairsPerRun });
      expect(split.timings.runs).toBe(runs);
      expect(split.labels).toEqual(all.labels);
      expect(split.scores).toEqual(all.scores);
    }
  });

  it('refuses a pairs-per-run that is not a positive integer', async () => {
    await expect(classifier.classify(SPORTS, labels, { pairsPerRun: 0 })).rejects.toThrow(/pairsPerRun: expected a positive integer, got 0/);
    await expect(classifier.classify(SPORTS, labels, { pairsPerRun: 1.5 })).rejects.toThrow(/pairsPerRun/);
  });

  it('runs with an explicit intra-op thread count: every core this process may use unless told otherwise', async () => {
    expect(classifier.intraOpThreads).toBe(cpuBudget().threads);
    expect(classifier.threadsReason).toMatch(/^auto: \d+ thread\(s\)/);
    const one = await loadClassifier({ model: await testModel('tiny'), intraOpThreads: 1 });
    expect([one.intraOpThreads, one.threadsReason]).toEqual([1, 'set by the caller']);
    await one.dispose();
  });

  it('classifyMany equals classify per text at fp32', async () => {
    const many = await classifier.classifyMany([
      { text: SPORTS, labels },
      { text: FINANCE, labels: ['财经', '体育'], options: { multiLabel: true } },
    ]);
    const one = await classifier.classify(SPORTS, labels);
    const two = await classifier.classify(FINANCE, ['财经', '体育'], { multiLabel: true });
    expect(many[0]?.labels).toEqual(one.labels);
    expect(many[1]?.labels).toEqual(two.labels);
    many[0]?.scores.forEach((score, index) => expect(score).toBeCloseTo(one.scores[index] ?? Number.NaN, 6));
    many[1]?.scores.forEach((score, index) => expect(score).toBeCloseTo(two.scores[index] ?? Number.NaN, 6));
  });

  it('caches tokenized hypotheses per (template, label)', async () => {
    // The hypothesis segment (token type 1) of a pair: what the cache supplies.
    const hypothesis = (pair: { inputIds: number[]; tokenTypeIds: number[] } | undefined): number[] =>
      (pair?.inputIds ?? []).filter((_, index) => pair?.tokenTypeIds[index] === 1);
    const start = classifier.hypothesisCache;
    const first = classifier.encode(SPORTS, ['独一无二的标签甲']);
    // A new (template, label): tokenized and stored, not a hit.
    expect(classifier.hypothesisCache).toMatchObject({ size: start.size + 1, hits: start.hits, misses: start.misses + 1 });
    // The same (template, label) with another text: served from the cache, the same tokens.
    const again = classifier.encode(FINANCE, ['独一无二的标签甲']);
    expect(classifier.hypothesisCache).toMatchObject({ size: start.size + 1, hits: start.hits + 1, misses: start.misses + 1 });
    expect(hypothesis(again.pairs[0])).toEqual(hypothesis(first.pairs[0]));
    // The same label under another template is another entry, with that template's tokens.
    const other = classifier.encode(FINANCE, ['独一无二的标签甲'], '关于{}');
    expect(classifier.hypothesisCache).toMatchObject({ size: start.size + 2, hits: start.hits + 1, misses: start.misses + 2 });
    // Characters plus [SEP]: the tiny model's vocabulary has one token per character.
    expect(hypothesis(other.pairs[0])).toHaveLength('关于独一无二的标签甲'.length + 1);
    expect(hypothesis(first.pairs[0])).toHaveLength('这是一篇关于独一无二的标签甲的新闻。'.length + 1);
  });

  it('truncates only the premise: every pair keeps its whole hypothesis and fits the limit', () => {
    const long = '体'.repeat(700);
    const encoded = classifier.encode(long, ['体育', '国际新闻']);
    expect(encoded.premiseTokens).toBe(700);
    for (const pair of encoded.pairs) expect(pair.inputIds.length).toBeLessThanOrEqual(512);
    // [CLS] premise [SEP] hypothesis [SEP]: the hypothesis segment (type 1) is intact.
    const hypothesisLengths = encoded.pairs.map((pair) => pair.tokenTypeIds.filter((type) => type === 1).length);
    expect(hypothesisLengths).toEqual(['这是一篇关于体育的新闻。'.length + 1, '这是一篇关于国际新闻的新闻。'.length + 1]);
  });
});
