import { describe, expect, it } from 'vitest';
import type { ClassifyRequest, ClassifyResult } from '../../src/core/classifier.js';
import { Batcher, batchSize, planDispatch, type BatcherClock, type BatcherOptions, type DispatchState, type Engine, type EngineResult, type OnAnswered } from '../../src/server/batcher.js';
import { HttpError } from '../../src/server/http-error.js';

const base: DispatchState = { queuedPairs: [3], busy: false, merge: true, maxBatchPairs: 64, expected: 0, waitUntilMs: 0, nowMs: 10 };

describe('batchSize', () => {
  it('takes the oldest requests that fit, and always at least one', () => {
    expect(batchSize([3, 3, 3], 7)).toBe(2);
    expect(batchSize([3, 4], 7)).toBe(2);
    expect(batchSize([64, 1], 10)).toBe(1);
    expect(batchSize([], 10)).toBe(0);
  });
});

describe('planDispatch', () => {
  it('does nothing while the model is busy or nothing waits', () => {
    expect(planDispatch({ ...base, busy: true })).toEqual({ kind: 'none' });
    expect(planDispatch({ ...base, queuedPairs: [] })).toEqual({ kind: 'none' });
  });

  it('without merging sends one request at a time', () => {
    expect(planDispatch({ ...base, merge: false, queuedPairs: [3, 3, 3] })).toEqual({ kind: 'dispatch', count: 1 });
  });

  it('sends at once when nobody else is expected (a lone client never waits)', () => {
    expect(planDispatch({ ...base, expected: 1, waitUntilMs: 15 })).toEqual({ kind: 'dispatch', count: 1 });
  });

  it('waits for clients the model just answered, until they are back', () => {
    expect(planDispatch({ ...base, queuedPairs: [3, 3], expected: 4, waitUntilMs: 15 })).toEqual({ kind: 'wait', untilMs: 15 });
    expect(planDispatch({ ...base, queuedPairs: [3, 3, 3, 3], expected: 4, waitUntilMs: 15 })).toEqual({ kind: 'dispatch', count: 4 });
  });

  it('stops waiting at the deadline', () => {
    expect(planDispatch({ ...base, queuedPairs: [3, 3], expected: 4, waitUntilMs: 10 })).toEqual({ kind: 'dispatch', count: 2 });
  });

  it('never waits when the batch is full', () => {
    expect(planDispatch({ ...base, queuedPairs: [3, 3, 3], maxBatchPairs: 6, expected: 8, waitUntilMs: 15 })).toEqual({ kind: 'dispatch', count: 2 });
    expect(planDispatch({ ...base, queuedPairs: [3, 3], maxBatchPairs: 6, expected: 8, waitUntilMs: 15 })).toEqual({ kind: 'dispatch', count: 2 });
  });
});

const result = (labels: readonly string[]): ClassifyResult => ({
  labels: [...labels],
  scores: labels.map(() => 1 / labels.length),
  multiLabel: false,
  timings: { tokenizeMs: 0, inferenceMs: 1, totalMs: 1, runs: 1 },
  runShapes: [{ rows: labels.length, sequence: 16 }],
});

/** An engine whose batches finish only when the test says so. */
class ManualEngine implements Engine {
  readonly batches: Array<{ requests: readonly ClassifyRequest[]; merge: boolean; answer: (index: number) => void; finish: () => void; fail: (error: Error) => void }> = [];
  run(requests: readonly ClassifyRequest[], merge: boolean, onAnswered?: OnAnswered): Promise<EngineResult> {
    return new Promise((resolve, reject) => {
      this.batches.push({
        requests,
        merge,
        answer: (index) => onAnswered?.(index, result(requests[index]?.labels ?? [])),
        finish: () => resolve({ results: requests.map((request) => result(request.labels)), runs: 1, inferenceMs: 30 * requests.length }),
        fail: reject,
      });
    });
  }
}

class FakeClock implements BatcherClock {
  time = 0;
  private timers: Array<{ at: number; callback: () => void }> = [];
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer !== handle);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((timer) => timer.at <= this.time);
    this.timers = this.timers.filter((timer) => timer.at > this.time);
    for (const timer of due) timer.callback();
  }
}

function setup(options: Partial<BatcherOptions> = {}): { engine: ManualEngine; clock: FakeClock; batcher: Batcher } {
  const engine = new ManualEngine();
  const clock = new FakeClock();
  const batcher = new Batcher(engine, { merge: true, maxBatchPairs: 64, maxWaitMs: 5, maxQueue: 10, ...options }, clock);
  return { engine, clock, batcher };
}

const request = (text: string): ClassifyRequest => ({ text, labels: ['体育', '财经', '科技'] });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  /** a runs alone; b and c queue meanwhile; a's client comes back as d: all three go together. */
  async function threeAfterOne(engine: ManualEngine, batcher: Batcher): Promise<void> {
    const first = batcher.submit(request('a'));
    const rest = [batcher.submit(request('b')), batcher.submit(request('c'))];
    expect(engine.batches.map((batch) => batch.requests.length)).toEqual([1]);
    engine.batches[0]?.finish();
    await first;
    await flush();
    // b and c waited already, and a's client is expected back: the batcher holds for it.
    expect(engine.batches).toHaveLength(1);
    rest.push(batcher.submit(request('d')));
    expect(engine.batches.map((batch) => batch.requests.map((entry) => entry.text))).toEqual([['a'], ['b', 'c', 'd']]);
    expect(engine.batches[1]?.merge).toBe(true);
    engine.batches[1]?.finish();
    const answers = await Promise.all(rest);
    expect(answers.map((answer) => [answer.batch.requests, answer.batch.pairs])).toEqual([[3, 9], [3, 9], [3, 9]]);
    await flush();
  }

  it('merges what queued while the model was busy with the client it just answered', async () => {
    const { engine, batcher } = setup();
    await threeAfterOne(engine, batcher);
  });

  it('after a batch of three, waits for three clients, then goes', async () => {
    const { engine, clock, batcher } = setup();
    await threeAfterOne(engine, batcher);
    void batcher.submit(request('e'));
    clock.advance(2);
    void batcher.submit(request('f'));
    expect(engine.batches).toHaveLength(2);
    void batcher.submit(request('g'));
    expect(engine.batches[2]?.requests.map((entry) => entry.text)).toEqual(['e', 'f', 'g']);
  });

  it('waits no longer than maxWait', async () => {
    const { engine, clock, batcher } = setup();
    await threeAfterOne(engine, batcher);
    void batcher.submit(request('e'));
    clock.advance(4);
    expect(engine.batches).toHaveLength(2);
    clock.advance(1);
    expect(engine.batches[2]?.requests.map((entry) => entry.text)).toEqual(['e']);
  });

  it('a lone client never waits', async () => {
    const { engine, batcher } = setup();
    for (const text of ['a', 'b', 'c']) {
      const answer = batcher.submit(request(text));
      expect(engine.batches.at(-1)?.requests.map((entry) => entry.text)).toEqual([text]);
      engine.batches.at(-1)?.finish();
      await answer;
      await flush();
    }
  });

  it('without merging runs one request per batch', async () => {
    const { engine, batcher } = setup({ merge: false });
    const all = [batcher.submit(request('a')), batcher.submit(request('b')), batcher.submit(request('c'))];
    for (let index = 0; index < 3; index += 1) {
      engine.batches[index]?.finish();
      await flush();
    }
    expect(engine.batches.map((batch) => [batch.requests.length, batch.merge])).toEqual([[1, false], [1, false], [1, false]]);
    expect((await Promise.all(all)).map((answer) => answer.batch.requests)).toEqual([1, 1, 1]);
  });

  it('refuses with 503 and Retry-After when the queue is full', async () => {
    const { batcher } = setup({ maxQueue: 2 });
    void batcher.submit(request('running'));
    void batcher.submit(request('q1'));
    void batcher.submit(request('q2'));
    const refused = await batcher.submit(request('q3')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(503);
    expect((refused as HttpError).message).toBe('queue full: 2 requests waiting (limit 2); retry later');
    expect((refused as HttpError).headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('estimates Retry-After from the recent cost per pair', async () => {
    const { engine, batcher } = setup({ merge: false, maxWaitMs: 0, maxQueue: 100 });
    const first = batcher.submit(request('a'));
    engine.batches[0]?.finish(); // 30 ms for 3 pairs: 10 ms per pair
    await first;
    for (let index = 0; index < 60; index += 1) void batcher.submit(request(String(index)));
    // 60 requests x 3 pairs x 10 ms = 1.8 s -> 2 s
    expect(batcher.retryAfterSeconds()).toBe(2);
  });

  it('fails every request of a batch the engine could not run, then carries on', async () => {
    const { engine, batcher } = setup({ maxWaitMs: 0 });
    const failing = batcher.submit(request('a'));
    engine.batches[0]?.fail(new Error('worker crashed'));
    await expect(failing).rejects.toThrow('worker crashed');
    const next = batcher.submit(request('b'));
    engine.batches[1]?.finish();
    await expect(next).resolves.toMatchObject({ batch: { requests: 1 } });
  });

  it('answers a request as soon as the engine has its result, before the batch ends', async () => {
    const { engine, batcher } = setup({ maxWaitMs: 0 });
    const first = batcher.submit(request('a'));
    const merged = [batcher.submit(request('b')), batcher.submit(request('c'))];
    engine.batches[0]?.finish();
    await first;
    await flush();
    const settled: string[] = [];
    merged.forEach((answer, index) => void answer.then(() => settled.push(['b', 'c'][index] ?? '')));
    engine.batches[1]?.answer(1);
    await flush();
    expect(settled).toEqual(['c']);
    expect(batcher.inFlight).toBe(2); // the batch itself still runs
    engine.batches[1]?.finish();
    await flush();
    expect(settled).toEqual(['c', 'b']);
    expect((await merged[1])?.batch).toMatchObject({ requests: 2, pairs: 6 });
  });

  it('drops a waiting request whose client went away, unrun, and carries on', async () => {
    const { engine, batcher } = setup({ merge: false, maxWaitMs: 0 });
    const first = batcher.submit(request('a'));
    const gone = new AbortController();
    const abandoned = batcher.submit(request('b'), gone.signal).catch((error: unknown) => error);
    const third = batcher.submit(request('c'));
    gone.abort();
    const refusal = (await abandoned) as HttpError;
    expect([refusal.status, refusal.message]).toEqual([499, 'the client closed the connection before its request ran']);
    expect([batcher.queued, batcher.abandoned]).toEqual([1, 1]);
    engine.batches[0]?.finish();
    await first;
    await flush();
    engine.batches[1]?.finish();
    await third;
    expect(engine.batches.map((batch) => batch.requests.map((entry) => entry.text))).toEqual([['a'], ['c']]);
  });

  it('a request already running is answered even if its client goes away', async () => {
    const { engine, batcher } = setup({ maxWaitMs: 0 });
    const gone = new AbortController();
    const running = batcher.submit(request('a'), gone.signal);
    gone.abort();
    engine.batches[0]?.finish();
    await expect(running).resolves.toMatchObject({ batch: { requests: 1 } });
    expect(batcher.abandoned).toBe(0);
    // An already aborted signal never queues.
    await expect(batcher.submit(request('b'), gone.signal)).rejects.toMatchObject({ status: 499 });
    expect(engine.batches).toHaveLength(1);
  });

  it('idle() resolves once queued and running requests are done', async () => {
    const { engine, batcher } = setup({ merge: false, maxWaitMs: 0 });
    void batcher.submit(request('a'));
    void batcher.submit(request('b'));
    let idle = false;
    void batcher.idle().then(() => (idle = true));
    engine.batches[0]?.finish();
    await flush();
    expect(idle).toBe(false);
    engine.batches[1]?.finish();
    await flush();
    expect(idle).toBe(true);
  });
});
