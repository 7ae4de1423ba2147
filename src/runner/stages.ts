/**
 * A run is a list of named stages (open, calibrate, sweep, offline, parity, ab passes...): each
 * knows its name and does its work; Ctrl-C aborts the signal, which every stage checks between
 * classifications (`signal.throwIfAborted()`), and the run stops where it is, keeping what the
 * completed parts produced. The stage order and the events are the same for `run`, `ab` and
 * the library's benchmark.
 */

export type StageName = 'open' | 'calibrate' | 'sweep' | 'offline' | 'parity' | 'ab';

export interface Stage {
  readonly name: StageName;
  /** False: skipped (e.g. no parity reference); decided when the stage's turn comes. */
  readonly enabled?: () => boolean;
  run(signal: AbortSignal): Promise<void>;
}

export type StagesOutcome = { state: 'completed' } | { state: 'aborted'; stage: StageName };

export interface StageListener {
  (event: { stage: StageName; state: 'started' | 'ended' }): void;
}

/**
 * Runs the stages in order. An abort (the signal's own, thrown by a stage's check) ends the run
 * with the stage it happened in; any other error propagates.
 */
export async function runStages(stages: readonly Stage[], signal: AbortSignal, listener?: StageListener): Promise<StagesOutcome> {
  for (const stage of stages) {
    if (stage.enabled !== undefined && !stage.enabled()) continue;
    if (signal.aborted) return { state: 'aborted', stage: stage.name };
    listener?.({ stage: stage.name, state: 'started' });
    try {
      await stage.run(signal);
    } catch (error) {
      if (signal.aborted && error === signal.reason) return { state: 'aborted', stage: stage.name };
      throw error;
    }
    listener?.({ stage: stage.name, state: 'ended' });
  }
  return { state: 'completed' };
}
