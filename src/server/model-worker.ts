import type { ProviderPlacement } from '../core/placement.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ClassifyRequest, ClassifyResult, ModelInfo } from '../core/classifier.js';
import type { OpenClassifierOptions } from '../model-store/source.js';
import { EnvironmentError, isEnvironmentError, isUsageError, UsageError } from '../base/errors.js';
import type { HypothesisCacheStats } from '../core/pairs.js';
import { ProviderUnavailableError, type Fallback } from '../core/session.js';
import { packageRoot } from '../env/package.js';
import type { Engine, EngineResult, OnAnswered } from './batcher.js';

/** Everything the worker needs to load the classifier: plain data, so it crosses threads. */
export interface WorkerConfig {
  classifier: Omit<OpenClassifierOptions, 'onProgress'>;
}

/** What the loaded model turned out to be: what /api/info and every response report. */
export interface LoadedModel {
  model: ModelInfo;
  provider: string;
  requestedProvider: string;
  fallback: Fallback | null;
  /** Where one profiled classification after load ran; null when it could not be profiled (placementNote says why). */
  placement: ProviderPlacement | null;
  placementNote: string | null;
}

export type WorkerRequest = { type: 'batch'; id: number; requests: ClassifyRequest[]; merge: boolean };

export type WorkerMessage =
  | { type: 'progress'; message: string }
  | ({ type: 'ready'; hypothesisCache: HypothesisCacheStats } & LoadedModel)
  | { type: 'failed'; error: SerializedError }
  /** One request of a batch answered by a run before the batch's last. */
  | { type: 'answered'; id: number; index: number; result: ClassifyResult }
  | { type: 'result'; id: number; outcome: EngineResult; hypothesisCache: HypothesisCacheStats };

/** An error crossing the thread boundary keeps its kind, so the CLI gives it the same exit code and hint. */
export type SerializedError =
  | { kind: 'provider'; provider: string; reason: string }
  | { kind: 'usage' | 'environment' | 'other'; message: string };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ProviderUnavailableError) return { kind: 'provider', provider: error.provider, reason: error.reason };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: isUsageError(error) ? 'usage' : isEnvironmentError(error) ? 'environment' : 'other', message };
}

export function reviveError(error: SerializedError): Error {
  switch (error.kind) {
    case 'provider':
      return new ProviderUnavailableError(error.provider, error.reason);
    case 'usage':
      return new UsageError(error.message);
    case 'environment':
      return new EnvironmentError(error.message);
    case 'other':
      return new Error(error.message);
  }
}

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // Under the test runner this module is TypeScript source; the worker runs from the build.
  return here.endsWith('.ts') ? join(packageRoot(), 'dist', 'src', 'server', 'worker.js') : join(here, '..', 'worker.js');
}

interface Pending {
  resolve(outcome: EngineResult): void;
  reject(error: unknown): void;
  onAnswered: OnAnswered | undefined;
}

export type EngineStatus = 'starting' | 'ready' | 'restarting' | 'closed';

/**
 * The classifier in a worker thread. session.run is a native call that blocks its thread's
 * event loop for the whole inference (measured: timers stalled over a second during a run),
 * so on the main thread the server could neither accept requests, answer /api/health nor
 * refuse with 503 while a batch runs. The worker runs the same core code (tokenize,
 * session.run, score); HTTP, queue and batching stay on the main thread. A crashed worker
 * fails its batch with 500 and is started again.
 */
export class WorkerEngine implements Engine {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ready: Promise<LoadedModel> | undefined;
  private statusValue: EngineStatus = 'starting';
  private restartCount = 0;
  private cache: HypothesisCacheStats | undefined;

  private constructor(
    private readonly config: WorkerConfig,
    private readonly onProgress: (message: string) => void,
    private readonly onCrash: (reason: string) => void,
  ) {}

  /** Starts the worker and resolves once the model is loaded; rejects with its load error. */
  static async start(config: WorkerConfig, onProgress: (message: string) => void = () => {}, onCrash: (reason: string) => void = () => {}): Promise<{ engine: WorkerEngine; loaded: LoadedModel }> {
    const engine = new WorkerEngine(config, onProgress, onCrash);
    const loaded = await engine.spawn();
    return { engine, loaded };
  }

  get status(): EngineStatus {
    return this.statusValue;
  }

  get restarts(): number {
    return this.restartCount;
  }

  get hypothesisCache(): HypothesisCacheStats | undefined {
    return this.cache;
  }

  async run(requests: readonly ClassifyRequest[], merge: boolean, onAnswered?: OnAnswered): Promise<EngineResult> {
    if (this.statusValue === 'closed') throw new Error('the model worker is closed');
    await this.ready;
    const worker = this.worker;
    if (worker === undefined) throw new Error('the model worker is not running');
    const id = this.nextId++;
    return new Promise<EngineResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onAnswered });
      const message: WorkerRequest = { type: 'batch', id, requests: [...requests], merge };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.statusValue = 'closed';
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  private spawn(): Promise<LoadedModel> {
    const worker = new Worker(workerFile(), { workerData: this.config });
    this.worker = worker;
    this.ready = new Promise<LoadedModel>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'progress':
            this.onProgress(message.message);
            break;
          case 'ready': {
            const { type: _type, hypothesisCache, ...loaded } = message;
            this.cache = hypothesisCache;
            this.statusValue = 'ready';
            resolve(loaded);
            break;
          }
          case 'failed':
            reject(reviveError(message.error));
            void worker.terminate();
            break;
          case 'answered':
            this.pending.get(message.id)?.onAnswered?.(message.index, message.result);
            break;
          case 'result': {
            this.cache = message.hypothesisCache;
            const pending = this.pending.get(message.id);
            this.pending.delete(message.id);
            pending?.resolve(message.outcome);
            break;
          }
        }
      });
      const crashed = (reason: string) => {
        if (this.worker !== worker || this.statusValue === 'closed') return;
        reject(new Error(`model worker stopped while loading (${reason})`));
        if (this.statusValue === 'starting') return;
        for (const pending of this.pending.values()) pending.reject(new Error(`model worker crashed (${reason})`));
        this.pending.clear();
        this.restartCount += 1;
        this.statusValue = 'restarting';
        this.onCrash(reason);
        this.spawn().catch((error: unknown) => this.onCrash(`restart failed: ${error instanceof Error ? error.message : String(error)}`));
      };
      worker.on('error', (error) => crashed(error.message));
      worker.on('exit', (code) => crashed(`exit code ${code}`));
    });
    return this.ready;
  }
}
