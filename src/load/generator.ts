import { EventEmitter } from 'node:events';
import { Agent } from 'node:http';
import { postJson } from './client.js';
import { summarizeLevel, type LevelSpec, type LevelSummary, type RequestSample } from './summary.js';
import type { ClassifyPayload } from './workload.js';

export interface LoadPlan {
  /** The classify endpoint. */
  url: URL;
  levels: readonly LevelSpec[];
  durationMs: number;
  /** Unrecorded traffic at each level's own load before its timed part. */
  warmupMs: number;
  timeoutMs: number;
  workload: readonly ClassifyPayload[];
}

export interface LoadProgress {
  spec: LevelSpec;
  index: number;
  warmup: boolean;
  elapsedMs: number;
  durationMs: number;
  ok: number;
  errors: number;
}

export interface LoadEvents {
  progress: [LoadProgress];
  level: [LevelSummary];
}

export type LoadOutcome = { state: 'completed'; levels: LevelSummary[] } | { state: 'aborted'; levels: LevelSummary[]; abortedAt: LevelSpec };

interface Phase {
  spec: LevelSpec;
  index: number;
  warmup: boolean;
  durationMs: number;
  agent: Agent;
  signal: AbortSignal | undefined;
}

/** A function, not an inline check: TypeScript would keep a narrowed `aborted` across awaits. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Drives the server level by level and reports through events; it never prints. Closed loop:
 * `concurrency` clients, each sending its next request when the last one answered. Open loop:
 * requests leave on a fixed schedule whatever the server does, and each one's latency counts
 * from when it was due, not when it finally left, so a stalled server cannot hide its queueing
 * (coordinated omission, as wrk2 and MLPerf LoadGen avoid it).
 */
export class LoadGenerator extends EventEmitter<LoadEvents> {
  async run(plan: LoadPlan, signal?: AbortSignal): Promise<LoadOutcome> {
    const levels: LevelSummary[] = [];
    for (const [index, spec] of plan.levels.entries()) {
      const agent = new Agent({ keepAlive: true, maxSockets: spec.mode === 'closed' ? spec.concurrency : Infinity });
      try {
        if (plan.warmupMs > 0) await this.phase(plan, { spec, index, warmup: true, durationMs: plan.warmupMs, agent, signal });
        if (isAborted(signal)) return { state: 'aborted', levels, abortedAt: spec };
        const started = performance.now();
        const { samples, peakInFlight } = await this.phase(plan, { spec, index, warmup: false, durationMs: plan.durationMs, agent, signal });
        if (isAborted(signal)) return { state: 'aborted', levels, abortedAt: spec };
        const summary = summarizeLevel(spec, samples, performance.now() - started, peakInFlight);
        levels.push(summary);
        this.emit('level', summary);
      } finally {
        agent.destroy();
      }
    }
    return { state: 'completed', levels };
  }

  private async phase(plan: LoadPlan, phase: Phase): Promise<{ samples: RequestSample[]; peakInFlight: number }> {
    const samples: RequestSample[] = [];
    const started = performance.now();
    let cursor = 0;
    let inFlight = 0;
    let peakInFlight = 0;
    let errors = 0;
    const send = async (dueAt: number): Promise<void> => {
      const payload = plan.workload[cursor % plan.workload.length];
      cursor += 1;
      if (payload === undefined) return;
      inFlight += 1;
      peakInFlight = Math.max(peakInFlight, inFlight);
      const outcome = await postJson(plan.url, JSON.stringify(payload), phase.agent, plan.timeoutMs);
      inFlight -= 1;
      const sample: RequestSample = { outcome: outcome.outcome, latencyMs: performance.now() - dueAt, pairs: payload.labels.length };
      if (outcome.outcome === 'ok') {
        if (outcome.serverMs !== undefined) sample.serverMs = outcome.serverMs;
        if (outcome.batchRequests !== undefined) sample.batchRequests = outcome.batchRequests;
        if (outcome.batchRuns !== undefined) sample.batchRuns = outcome.batchRuns;
      } else {
        errors += 1;
      }
      samples.push(sample);
      this.emit('progress', {
        spec: phase.spec,
        index: phase.index,
        warmup: phase.warmup,
        elapsedMs: performance.now() - started,
        durationMs: phase.durationMs,
        ok: samples.length - errors,
        errors,
      });
    };
    const deadline = started + phase.durationMs;
    const stopped = () => isAborted(phase.signal);
    if (phase.spec.mode === 'closed') {
      const client = async () => {
        while (performance.now() < deadline && !stopped()) await send(performance.now());
      };
      await Promise.all(Array.from({ length: phase.spec.concurrency }, client));
    } else {
      const intervalMs = 1000 / phase.spec.rateRps;
      const total = Math.max(1, Math.floor(phase.durationMs / intervalMs));
      const pending: Array<Promise<void>> = [];
      for (let index = 0; index < total && !stopped(); index += 1) {
        const dueAt = started + index * intervalMs;
        if (dueAt > performance.now()) await sleep(dueAt - performance.now());
        pending.push(send(dueAt));
      }
      await Promise.all(pending);
    }
    return { samples, peakInFlight };
  }
}
