import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classifier, type ClassifyRequest } from '../../src/core/classifier.js';
import { loadClassifier } from '../../src/model-store/source.js';
import { MAX_PADDING_OVERHEAD, runBatch } from '../../src/server/engine.js';
import { testModel } from '../helpers/models.js';

const SHORT = '体育快讯';
const LONG = '财经快讯：央行今日公布的数据显示，上月财政收入同比增长，股市与债市随之走强。'.repeat(4);

describe('merged batches at fp32 on the tiny model', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    classifier = await loadClassifier({ model: await testModel('tiny'), hypothesisCacheLimit: 3 });
  });
  afterAll(() => classifier.dispose());

  const requests: ClassifyRequest[] = [
    { text: LONG, labels: ['体育', '财经', '科技'] },
    { text: SHORT, labels: ['体育', '财经'], options: { multiLabel: true } },
    { text: `${LONG}！`, labels: ['教育', '财经', '游戏', '房产'] },
  ];

  it('splits texts of very different lengths into runs by padding cost, with scores equal to classify', async () => {
    const merged = await runBatch(classifier, requests, true);
    expect(merged.runs).toBe(2); // the short text alone, the two long ones together
    const alone = await runBatch(classifier, requests, false);
    expect(alone.runs).toBe(3);
    for (const [index, result] of merged.results.entries()) {
      const single = alone.results[index];
      if ('error' in result || single === undefined || 'error' in single) throw new Error('unexpected failure');
      expect(result.labels).toEqual(single.labels);
      expect(result.scores).toEqual(single.scores);
    }
  });

  it('reports each run as it completes: the short text before the long ones have run', async () => {
    const calls: number[][] = [];
    const results = await classifier.classifyMany(requests, {
      maxPaddingOverhead: MAX_PADDING_OVERHEAD,
      onRunDone: (completed) => calls.push(completed.map((entry) => entry.index)),
    });
    expect(calls).toEqual([[1], [0, 2]]);
    // The short text's timings end with its own run; both runs count for every request.
    expect(results[1]?.timings.totalMs).toBeLessThan(results[0]?.timings.totalMs ?? 0);
    expect(results.map((result) => result.timings.runs)).toEqual([2, 2, 2]);
    // runBatch passes them on, and they are the results it returns.
    const heard = new Map<number, unknown>();
    const outcome = await runBatch(classifier, requests, true, (index, result) => heard.set(index, result));
    expect([...heard.keys()]).toEqual([1, 0, 2]);
    expect([0, 1, 2].map((index) => heard.get(index))).toEqual(outcome.results);
  });

  it('puts everything in one run without a padding limit', async () => {
    const results = await classifier.classifyMany(requests);
    expect(results[0]?.timings.runs).toBe(1);
  });

  it('keeps the hypothesis cache bounded and counts its hits', async () => {
    await classifier.classify(SHORT, ['甲', '乙', '丙', '丁', '戊']);
    expect(classifier.hypothesisCache.size).toBe(3);
    expect(classifier.hypothesisCache.capacity).toBe(3);
    const before = classifier.hypothesisCache.hits;
    await classifier.classify(SHORT, ['戊']);
    expect(classifier.hypothesisCache.hits).toBe(before + 1);
  });

  it('a request that fails alone does not fail the batch it was merged into', async () => {
    const bad = { text: '   ', labels: ['体育'] };
    const outcome = await runBatch(classifier, [requests[0] as ClassifyRequest, bad], true);
    expect('error' in (outcome.results[0] ?? {})).toBe(false);
    expect(outcome.results[1]).toEqual({ error: 'text: empty; expected the text to classify', refused: true });
  });
});
