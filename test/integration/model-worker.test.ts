import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyRequest } from '../../src/core/classifier.js';
import { WorkerEngine } from '../../src/server/model-worker.js';
import { testModel } from '../helpers/models.js';

/** The engine's private parts a crash test has to reach: the thread, and the batches it owes. */
type Internals = { worker: Worker | undefined; pending: Map<number, unknown> };
const internals = (engine: WorkerEngine) => engine as unknown as Internals;

const LABELS = ['体育', '财经', '科技'];

describe('the model worker', () => {
  let engine: WorkerEngine;
  const crashes: string[] = [];
  beforeAll(async () => {
    ({ engine } = await WorkerEngine.start({ classifier: { model: await testModel('tiny') } }, () => {}, (reason) => crashes.push(reason)));
  });
  afterAll(() => engine.close());

  it('answers batches in request order', async () => {
    const outcome = await engine.run([{ text: '今天的足球比赛很精彩', labels: LABELS }, { text: '股市上涨', labels: ['财经', '体育'] }], true);
    expect(outcome.results.map((result) => ('labels' in result ? result.labels.length : 0))).toEqual([3, 2]);
    expect(engine.status).toBe('ready');
  });

  it('passes on answers that come before the batch ends (padding split it)', async () => {
    const long = '财经快讯：央行今日公布的数据显示，上月财政收入同比增长，股市与债市随之走强。'.repeat(4);
    const heard: number[] = [];
    const outcome = await engine.run([{ text: long, labels: LABELS }, { text: '体育快讯', labels: LABELS }], true, (index) => heard.push(index));
    expect(outcome.runs).toBe(2);
    expect(heard).toEqual([1, 0]);
  });

  it('when the thread dies mid-batch: fails that batch, restarts, and serves again', async () => {
    // Enough pairs to keep the worker busy while the thread is killed under it.
    const text = '本场比赛双方攻防转换很快，主队在下半场连进两球，观众起立鼓掌。'.repeat(8);
    const labels = Array.from({ length: 64 }, (_, index) => `类别${index}`);
    const big: ClassifyRequest[] = Array.from({ length: 16 }, () => ({ text, labels }));
    const doomed = engine.run(big, true).then(
      () => 'answered',
      (error: unknown) => (error as Error).message,
    );
    await expect.poll(() => internals(engine).pending.size).toBe(1);
    // Stands in for a native crash: the thread exits with the batch unanswered.
    await internals(engine).worker?.terminate();
    expect(await doomed).toMatch(/^model worker crashed \(exit code 1\)$/);
    expect(crashes).toEqual(['exit code 1']);
    expect(engine.restarts).toBe(1);
    await expect.poll(() => engine.status, { timeout: 20_000 }).toBe('ready');
    const after = await engine.run([{ text: '今天的足球比赛很精彩', labels: LABELS }], true);
    expect(after.results).toHaveLength(1);
    expect('labels' in (after.results[0] ?? {})).toBe(true);
  });
});
