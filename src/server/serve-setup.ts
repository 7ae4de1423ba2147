/**
 * What `serve` decides before it listens: whether requests share runs, the batch cap, and what
 * /api/info says about the model and settings. Pure functions of the loaded model and settings.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DEFAULT_TEMPLATE } from '../core/labels.js';
import { describeActualProvider } from '../core/placement.js';
import { toolVersion } from '../env/package.js';
import type { Precision } from '../models/precision.js';
import type { Profile } from '../profiles/profile.js';
import { MAX_PADDING_OVERHEAD } from './engine.js';
import type { LoadedModel } from './model-worker.js';
import type { ApiInfo } from './server.js';

/**
 * Default batch cap by the provider that actually runs. On a 2-core CPU merging buys little and
 * large batches can lose: StructBERT-base, 3-label requests of equal length, throughput against
 * one request per run (median of interleaved rounds): int8 1.03 at 2 requests per run, 1.00 at
 * 4, 0.97 at 8; fp32 1.03, 1.05, 1.07. Two requests per run is the safe point; GPUs gain from
 * large batches.
 */
export function defaultMaxBatchPairs(provider: string): number {
  return provider === 'cpu' ? 8 : 64;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Only this machine can reach an address on loopback. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

export interface BatchingDecision {
  merge: boolean;
  note: string;
}

/**
 * Whether different requests share a session.run. At fp32 a row's logits do not depend on the
 * batch around it, so merging is exact. At int8, dynamic quantization picks one activation
 * scale per batch (padding included) and fp16 rounds differently: merged, a request's scores
 * would depend on whoever else happened to be in its batch, and the server would no longer
 * match `zsc-bench classify`. So those precisions run each request alone unless the user
 * opts in with --inexact-batching.
 */
export function batchingDecision(requested: boolean, precision: Precision, inexact: boolean): BatchingDecision {
  if (!requested) return { merge: false, note: 'off (--no-batching): one request per session.run' };
  if (precision === 'fp32') return { merge: true, note: 'on: concurrent requests share session.runs; scores are identical to unbatched at fp32' };
  if (inexact) {
    return { merge: true, note: `on (--inexact-batching): at ${precision} a request's scores depend slightly on the batch it shares` };
  }
  return {
    merge: false,
    note: `off at ${precision}: merged requests would change each other's scores (${precision === 'int8' ? 'one activation scale per batch' : 'rounding'}); pass --inexact-batching to merge anyway`,
  };
}

/** How /api/info names the model: never an absolute path (a folder is named by its last part). */
export function modelId(loaded: LoadedModel, spec: string | undefined): string {
  if (loaded.model.synthetic) return `synthetic:${loaded.model.arch ?? 'unknown'}`;
  const value = spec ?? loaded.model.dir;
  return existsSync(value) ? basename(resolve(value)) : value;
}


/** /api/info without the live hypothesis-cache figures. */
export function apiInfo(setup: {
  profile: Profile | undefined;
  precision: Precision;
  loaded: LoadedModel;
  modelSpec: string | undefined;
  sha256: string;
  limits: ApiInfo['limits'];
  syntheticNote: string | null;
  batching: { decision: BatchingDecision; requested: boolean; inexact: boolean; maxBatchPairs: number; maxWaitMs: number };
}): Omit<ApiInfo, 'hypothesisCache'> {
  const { loaded, batching } = setup;
  return {
    tool: 'zsc-bench',
    toolVersion: toolVersion(),
    profile: setup.profile?.name ?? null,
    model: { id: modelId(loaded, setup.modelSpec), arch: loaded.model.arch ?? null, modelType: loaded.model.modelType, sha256: setup.sha256, maxLength: loaded.model.maxLength },
    precision: setup.precision,
    provider: describeActualProvider(loaded.provider, loaded.placement ?? undefined),
    requestedProvider: loaded.requestedProvider,
    fallback: loaded.fallback,
    providerPlacement: loaded.placement,
    providerPlacementNote: loaded.placementNote,
    synthetic: loaded.model.synthetic,
    syntheticNote: setup.syntheticNote,
    defaultTemplate: setup.profile?.template ?? DEFAULT_TEMPLATE,
    batching: {
      enabled: batching.decision.merge,
      requested: batching.requested,
      inexact: batching.inexact,
      maxBatchPairs: batching.maxBatchPairs,
      maxWaitMs: batching.maxWaitMs,
      maxPaddingOverhead: MAX_PADDING_OVERHEAD,
      note: batching.decision.note,
    },
    limits: setup.limits,
  };
}
