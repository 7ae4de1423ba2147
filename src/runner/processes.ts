/**
 * Processes as the unit of repetition (`run --processes N`): the run's passes spread over N
 * fresh child processes, one after another (never at once: they would share the cores). What
 * differs between processes (memory layout, thread placement, page cache, the VM's scheduling)
 * is invisible inside one process, and it is what a rerun changes; so the intervals of a run
 * with several processes are over the processes. Each child loads the model itself and runs the
 * same stages as a one-process run (process-child.ts: calibrate = its cold start, then sweep),
 * sending its measurements back over the IPC channel; the parent merges them here.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SessionSettings } from '../core/session.js';
import type { Precision } from '../models/precision.js';
import type { LabelCountMeasurement, RunnerEvents, RunPlan } from './runner.js';
import { mergeConditions, type MachineConditions } from '../env/machine-state.js';

/**
 * Passes per process: repeats spread as evenly as they go, the first processes taking the
 * remainder; never more processes than passes (a process without a pass measures nothing).
 */
export function splitRepeats(repeats: number, processes: number): number[] {
  const count = Math.max(1, Math.min(processes, repeats));
  const base = Math.floor(repeats / count);
  return Array.from({ length: count }, (_, index) => base + (index < repeats % count ? 1 : 0));
}

/** What a child needs to measure its share: the model folder, the session as the parent opened it, its plan. */
export interface ChildSpec {
  modelDir: string;
  precision: Precision;
  settings: SessionSettings;
  /** The parent's plan with this child's repeats and the resolved pairs per run (no calibration in children). */
  plan: RunPlan;
  /** 1..N, for the samples' `process` column. */
  process: number;
  /** The run's number of this child's first pass: its samples' `repeat` continue the previous processes'. */
  firstPass: number;
}

/** Messages from a child, in order: loaded, coldStart, progress..., labelCount... (one per label count), done. */
export type ChildMessage =
  | { kind: 'loaded'; modelLoadMs: number; rssAfterLoadBytes: number; peakRssAfterLoadBytes: number }
  | { kind: 'coldStart'; firstInferenceMs: number }
  | { kind: 'progress'; state: RunnerEvents['progress'][0] }
  | { kind: 'labelCount'; measurement: LabelCountMeasurement }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

/** One completed process: its cold start and its measurements (samples numbered with the run's pass numbers). */
export interface ProcessResult {
  process: number;
  modelLoadMs: number;
  firstInferenceMs: number;
  rssAfterLoadBytes: number;
  /** The process's peak RSS (VmHWM) once its model was loaded: session creation (prepacking) may peak above any label count. */
  peakRssAfterLoadBytes: number;
  measurements: LabelCountMeasurement[];
}

export type ProcessOutcome = { state: 'completed'; result: ProcessResult } | { state: 'failed'; process: number; reason: string } | { state: 'aborted' };

const CHILD_MODULE = fileURLToPath(new URL('./process-child.js', import.meta.url));

/**
 * Runs one child to its end. Ctrl-C reaches the whole process group: the child ignores SIGINT
 * and the parent ends it (SIGTERM) when the signal aborts, so only completed processes count.
 * A child that exits before `done` (a crash, SIGKILL, an error it reported) is a failed process.
 */
export function runChild(spec: ChildSpec, onMessage: (message: ChildMessage) => void, signal: AbortSignal): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ state: 'aborted' });
      return;
    }
    const child = fork(CHILD_MODULE, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', execArgv: [] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    let loaded = { modelLoadMs: Number.NaN, firstInferenceMs: Number.NaN, rssAfterLoadBytes: Number.NaN, peakRssAfterLoadBytes: Number.NaN };
    const measurements: LabelCountMeasurement[] = [];
    let done = false;
    let error: string | undefined;
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'loaded') loaded = { ...loaded, modelLoadMs: message.modelLoadMs, rssAfterLoadBytes: message.rssAfterLoadBytes, peakRssAfterLoadBytes: message.peakRssAfterLoadBytes };
      else if (message.kind === 'coldStart') loaded = { ...loaded, firstInferenceMs: message.firstInferenceMs };
      else if (message.kind === 'labelCount') {
        const { measurement } = message;
        measurements.push({ ...measurement, samples: measurement.samples.map((sample) => ({ ...sample, repeat: sample.repeat + spec.firstPass, process: spec.process })) });
      }
      else if (message.kind === 'done') done = true;
      else if (message.kind === 'error') error = message.message;
      onMessage(message);
    });
    child.on('error', (cause) => {
      error ??= cause.message;
    });
    child.on('exit', (code, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) resolve({ state: 'aborted' });
      else if (done && code === 0) resolve({ state: 'completed', result: { process: spec.process, ...loaded, measurements } });
      else {
        const how = exitSignal !== null ? `killed by ${exitSignal}` : `exit code ${code ?? 'unknown'}`;
        const why = error ?? stderr.trim().split('\n').pop() ?? '';
        resolve({ state: 'failed', process: spec.process, reason: why === '' ? how : `${how}: ${why}` });
      }
    });
    child.send({ kind: 'start', spec });
  });
}

/** A completed process's whole peak RSS: its model load and every label count. */
export function processPeakRssBytes(result: Pick<ProcessResult, 'peakRssAfterLoadBytes' | 'measurements'>): number {
  return Math.max(result.peakRssAfterLoadBytes, ...result.measurements.map((measurement) => measurement.peakRssBytes));
}

/**
 * One measurement per label count from the completed processes: samples in process order
 * (each with its process number), wall and CPU time summed, the peak the largest of the
 * processes' peaks, energy summed where every process read it, the machine's state over
 * the processes' windows (mergeConditions).
 */
export function mergeMeasurements(results: readonly ProcessResult[]): LabelCountMeasurement[] {
  const byCount = new Map<number, LabelCountMeasurement[]>();
  for (const result of results) {
    for (const measurement of result.measurements) {
      const list = byCount.get(measurement.labelCount) ?? [];
      list.push(measurement);
      byCount.set(measurement.labelCount, list);
    }
  }
  return [...byCount.entries()].map(([labelCount, parts]) => {
    const sum = (value: (part: LabelCountMeasurement) => number) => parts.reduce((total, part) => total + value(part), 0);
    const energies = parts.map((part) => part.raplJoules);
    const gpu = parts.map((part) => part.gpuMemoryMiB).filter((value): value is number => value !== undefined);
    const machine = parts.every((part) => part.machine !== undefined) ? mergeConditions(parts.map((part) => ({ conditions: part.machine as MachineConditions, wallMs: part.wallMs }))) : undefined;
    return {
      labelCount,
      samples: parts.flatMap((part) => part.samples),
      offline: [],
      startedAtMs: Math.min(...parts.map((part) => part.startedAtMs)),
      endedAtMs: Math.max(...parts.map((part) => part.endedAtMs)),
      hardware: parts.flatMap((part) => part.hardware),
      ...(energies.every((value) => value !== undefined) ? { raplJoules: sum((part) => part.raplJoules ?? 0) } : {}),
      wallMs: sum((part) => part.wallMs),
      cpuUserMs: sum((part) => part.cpuUserMs),
      cpuSystemMs: sum((part) => part.cpuSystemMs),
      peakRssBytes: Math.max(...parts.map((part) => part.peakRssBytes)),
      ...(gpu.length > 0 ? { gpuMemoryMiB: Math.max(...gpu) } : {}),
      ...(machine === undefined ? {} : { machine }),
    };
  });
}
