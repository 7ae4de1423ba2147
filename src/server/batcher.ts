import type { ClassifyRequest, ClassifyResult } from '../core/classifier.js';
import { HttpError } from './http-error.js';

/** Hears of one request's result (by its index in the batch) as soon as its run is done. */
export type OnAnswered = (index: number, result: ClassifyResult) => void;

/**
 * Runs a batch of requests on the model: merged into shared session.runs, or each alone.
 * `onAnswered`, when the engine supports it, lets a request be answered before the batch ends.
 */
export interface Engine {
  run(requests: readonly ClassifyRequest[], merge: boolean, onAnswered?: OnAnswered): Promise<EngineResult>;
}

/** A request the engine could not classify (the others in its batch still can be). */
export interface EngineFailure {
  error: string;
  /** The request itself was refused (a label too long for the model): a 400, not a server fault. */
  refused?: boolean;
}

export interface EngineResult {
  /** In request order. */
  results: Array<ClassifyResult | EngineFailure>;
  /** session.run calls the batch took (padding may split a merged batch). */
  runs: number;
  inferenceMs: number;
}

export interface BatcherOptions {
  /** Merge different requests into shared session.runs (false: one request per run). */
  merge: boolean;
  maxBatchPairs: number;
  maxWaitMs: number;
  /** Requests allowed to wait (not counting the batch that runs); more get 503. */
  maxQueue: number;
}

/** What a response can tell about the batch its request ran in. */
export interface BatchInfo {
  requests: number;
  pairs: number;
  runs: number;
  queueMs: number;
}

export interface BatchedResult {
  result: ClassifyResult;
  batch: BatchInfo;
}

export interface DispatchState {
  /** Pairs of each waiting request, oldest first. */
  queuedPairs: readonly number[];
  busy: boolean;
  merge: boolean;
  maxBatchPairs: number;
  /** Requests expected to be waiting soon: those queued when the model freed plus the ones it just answered. */
  expected: number;
  /** Until when waiting for them is allowed (the moment the model freed + max wait). */
  waitUntilMs: number;
  nowMs: number;
}

export type DispatchDecision = { kind: 'none' } | { kind: 'dispatch'; count: number } | { kind: 'wait'; untilMs: number };

/** How many of the oldest requests fit in one batch (always at least one, however large). */
export function batchSize(queuedPairs: readonly number[], maxBatchPairs: number): number {
  let pairs = 0;
  let count = 0;
  for (const requestPairs of queuedPairs) {
    if (count > 0 && pairs + requestPairs > maxBatchPairs) break;
    pairs += requestPairs;
    count += 1;
  }
  return count;
}

/**
 * The batching policy, as a pure function. Requests that queued while the model was busy go
 * as soon as it frees: they have waited already, and holding them back would only idle the
 * model. The one wait is for clients the model just answered: in a closed loop they come
 * back within a moment, and without that wait a batch of one and a batch of the rest would
 * alternate for ever. So, when the model frees, the batcher waits at most maxWait for the
 * expected number of requests, and never when nothing more is expected (a lone client).
 */
export function planDispatch(state: DispatchState): DispatchDecision {
  if (state.busy || state.queuedPairs.length === 0) return { kind: 'none' };
  if (!state.merge) return { kind: 'dispatch', count: 1 };
  const count = batchSize(state.queuedPairs, state.maxBatchPairs);
  const full = count < state.queuedPairs.length || state.queuedPairs.slice(0, count).reduce((sum, pairs) => sum + pairs, 0) >= state.maxBatchPairs;
  if (full || state.queuedPairs.length >= state.expected || state.nowMs >= state.waitUntilMs) return { kind: 'dispatch', count };
  return { kind: 'wait', untilMs: state.waitUntilMs };
}

/** 499 as nginx logs it: nobody is left to read the answer. */
function abandonedError(): HttpError {
  return new HttpError(499, 'the client closed the connection before its request ran');
}

interface Job {
  request: ClassifyRequest;
  pairs: number;
  enqueuedAt: number;
  resolve(value: BatchedResult): void;
  reject(error: unknown): void;
}

export interface BatcherClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: BatcherClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Queues requests on the main thread and feeds the engine one batch at a time: the model uses
 * every core for one run, so running two batches at once would only make both slower.
 */
export class Batcher {
  private readonly queue: Job[] = [];
  private running: Job[] = [];
  private expected = 0;
  private waitUntilMs = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private msPerPair = Number.NaN;
  private idleWaiters: Array<() => void> = [];
  private batches = 0;
  private abandonedCount = 0;

  constructor(
    private readonly engine: Engine,
    readonly options: BatcherOptions,
    private readonly clock: BatcherClock = systemClock,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.running.length;
  }

  get batchCount(): number {
    return this.batches;
  }

  /** Requests dropped from the queue because their client went away before they ran. */
  get abandoned(): number {
    return this.abandonedCount;
  }

  /**
   * Queues a request. When `signal` aborts while the request still waits (its client closed
   * the connection), it leaves the queue unrun, so a client that gave up costs the model
   * nothing; once its batch runs, it runs to the end with the others.
   */
  submit(request: ClassifyRequest, signal?: AbortSignal): Promise<BatchedResult> {
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(
        new HttpError(503, `queue full: ${this.queue.length} requests waiting (limit ${this.options.maxQueue}); retry later`, {
          'Retry-After': String(this.retryAfterSeconds()),
        }),
      );
    }
    if (signal?.aborted === true) return Promise.reject(abandonedError());
    return new Promise<BatchedResult>((resolve, reject) => {
      const job: Job = { request, pairs: request.labels.length, enqueuedAt: this.clock.now(), resolve, reject };
      this.queue.push(job);
      signal?.addEventListener('abort', () => this.abandon(job), { once: true });
      this.pump();
    });
  }

  private abandon(job: Job): void {
    const index = this.queue.indexOf(job);
    if (index < 0) return; // already running or answered
    this.queue.splice(index, 1);
    this.abandonedCount += 1;
    job.reject(abandonedError());
    this.pump();
  }

  /** Resolves once nothing is queued or running (for a graceful shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Seconds until the queue has likely drained, from the recent cost per pair; at least 1. */
  retryAfterSeconds(): number {
    const pairs = [...this.queue, ...this.running].reduce((sum, job) => sum + job.pairs, 0);
    const seconds = Number.isFinite(this.msPerPair) ? (pairs * this.msPerPair) / 1000 : 1;
    return Math.max(1, Math.ceil(seconds));
  }

  private pump(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const decision = planDispatch({
      queuedPairs: this.queue.map((job) => job.pairs),
      busy: this.running.length > 0,
      merge: this.options.merge,
      maxBatchPairs: this.options.maxBatchPairs,
      expected: this.expected,
      waitUntilMs: this.waitUntilMs,
      nowMs: this.clock.now(),
    });
    if (decision.kind === 'wait') {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.max(0, decision.untilMs - this.clock.now()));
    } else if (decision.kind === 'dispatch') {
      void this.dispatch(this.queue.splice(0, decision.count));
    } else if (this.running.length === 0 && this.queue.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async dispatch(jobs: Job[]): Promise<void> {
    this.running = jobs;
    const started = this.clock.now();
    const pairs = jobs.reduce((sum, job) => sum + job.pairs, 0);
    const answer = (job: Job, result: ClassifyResult, runs: number) =>
      job.resolve({ result, batch: { requests: jobs.length, pairs, runs, queueMs: started - job.enqueuedAt } });
    try {
      const outcome = await this.engine.run(
        jobs.map((job) => job.request),
        this.options.merge,
        (index, result) => {
          const job = jobs[index];
          if (job !== undefined) answer(job, result, result.timings.runs);
        },
      );
      const perPair = outcome.inferenceMs / Math.max(1, pairs);
      this.msPerPair = Number.isFinite(this.msPerPair) ? 0.8 * this.msPerPair + 0.2 * perPair : perPair;
      jobs.forEach((job, index) => {
        const result = outcome.results[index];
        if (result === undefined) job.reject(new Error(`engine returned ${outcome.results.length} results for ${jobs.length} requests`));
        else if ('error' in result) job.reject(result.refused === true ? new HttpError(400, result.error) : new Error(result.error));
        // (Resolving a request answered early again changes nothing.)
        else answer(job, result, outcome.runs);
      });
    } catch (error) {
      for (const job of jobs) job.reject(error);
    } finally {
      this.batches += 1;
      this.running = [];
      this.expected = this.queue.length + jobs.length;
      this.waitUntilMs = this.clock.now() + this.options.maxWaitMs;
      this.pump();
    }
  }
}
