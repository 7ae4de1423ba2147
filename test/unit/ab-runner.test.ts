import { describe, expect, it } from 'vitest';
import { AbRunner, passOrder } from '../../src/runner/ab-runner.js';

/** A classifier that records which side ran each classification. */
const side = (name: string, calls: string[], onCall?: () => void) => ({
  classifier: {
    model: { dims: undefined, classes: 3 },
    classify: async (_text: string, labels: readonly string[]) => {
      calls.push(name);
      onCall?.();
      return { labels: [...labels], scores: labels.map(() => 1 / labels.length), multiLabel: false, timings: { tokenizeMs: 0, inferenceMs: 1, totalMs: 1, runs: 1 }, runShapes: [] };
    },
  } as never,
  template: '{}',
  pairsPerRun: 'all' as const,
});

const items = [
  { id: '1', label: '体育', text: '比赛' },
  { id: '2', label: '财经', text: '股市' },
];
const plan = { items, labelCounts: [3, 5], labelPool: ['体育', '财经', '科技', '教育', '游戏'], pairs: 4, warmup: 1, seed: 1 };

describe('AbRunner', () => {
  it('alternates passes A B B A A B B A, after one warm-up run a side', async () => {
    const calls: string[] = [];
    const runner = new AbRunner(side('a', calls), side('b', calls));
    const outcome = await runner.run(plan);
    expect(outcome.state).toBe('completed');
    // Per label count: warm-up a, warm-up b, then 4 pairs of two passes of two items each.
    const perCount = ['a', 'b', ...['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a'].flatMap((name) => [name, name])];
    expect(calls).toEqual([...perCount, ...perCount]);
    expect(outcome.measurements.map((measurement) => measurement.passes.map((pass) => `${pass.side}${pass.pair}${pass.position}`).join(' '))).toEqual([
      'a00 b01 b10 a11 a20 b21 b30 a31',
      'a00 b01 b10 a11 a20 b21 b30 a31',
    ]);
    expect([0, 1, 2, 3].map(passOrder)).toEqual([['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a']]);
  });

  it('Ctrl-C stops within a pass and keeps the label counts that completed', async () => {
    const calls: string[] = [];
    const abort = new AbortController();
    // Abort on the 3rd classification of the second label count (18 per count).
    const runner = new AbRunner(side('a', calls, () => calls.length === 21 && abort.abort()), side('b', calls));
    const outcome = await runner.run(plan, abort.signal);
    expect(outcome.state).toBe('aborted');
    expect(outcome.measurements.map((measurement) => measurement.labelCount)).toEqual([3]);
    expect(outcome.state === 'aborted' ? outcome.abortedAt : undefined).toBe(5);
    expect(calls).toHaveLength(21);
  });
});
