import { describe, expect, it } from 'vitest';
import { runStages, type StageName } from '../../src/runner/stages.js';

const recorder = () => {
  const events: string[] = [];
  return { events, listener: (event: { stage: StageName; state: string }) => events.push(`${event.stage} ${event.state}`) };
};

describe('runStages', () => {
  it('runs the stages in order, skips disabled ones, and reports each start and end', async () => {
    const { events, listener } = recorder();
    const ran: string[] = [];
    const outcome = await runStages(
      [
        { name: 'calibrate', run: async () => void ran.push('calibrate') },
        { name: 'offline', enabled: () => false, run: async () => void ran.push('offline') },
        { name: 'sweep', run: async () => void ran.push('sweep') },
      ],
      new AbortController().signal,
      listener,
    );
    expect(outcome).toEqual({ state: 'completed' });
    expect(ran).toEqual(['calibrate', 'sweep']);
    expect(events).toEqual(['calibrate started', 'calibrate ended', 'sweep started', 'sweep ended']);
  });

  it('an abort inside a stage ends the run in that stage; later stages never start', async () => {
    const abort = new AbortController();
    const { events, listener } = recorder();
    let steps = 0;
    const outcome = await runStages(
      [
        { name: 'sweep', run: async () => void (steps += 1) },
        {
          name: 'parity',
          run: async (signal) => {
            for (let step = 0; step < 10; step += 1) {
              signal.throwIfAborted();
              steps += 1;
              if (step === 2) abort.abort();
            }
          },
        },
        { name: 'offline', run: async () => void (steps += 100) },
      ],
      abort.signal,
      listener,
    );
    expect(outcome).toEqual({ state: 'aborted', stage: 'parity' });
    expect(steps).toBe(4);
    expect(events).toEqual(['sweep started', 'sweep ended', 'parity started']);
  });

  it('an abort between stages names the stage that did not start', async () => {
    const abort = new AbortController();
    const outcome = await runStages(
      [
        { name: 'sweep', run: async () => abort.abort() },
        { name: 'parity', run: async () => expect.unreachable('parity must not run') },
      ],
      abort.signal,
    );
    expect(outcome).toEqual({ state: 'aborted', stage: 'parity' });
  });

  it('an error that is not the abort propagates, aborted or not', async () => {
    const abort = new AbortController();
    await expect(runStages([{ name: 'sweep', run: async () => Promise.reject(new TypeError('bug')) }], abort.signal)).rejects.toThrow('bug');
    await expect(
      runStages(
        [
          {
            name: 'sweep',
            run: async () => {
              abort.abort();
              throw new RangeError('another bug');
            },
          },
        ],
        abort.signal,
      ),
    ).rejects.toThrow('another bug');
  });
});
