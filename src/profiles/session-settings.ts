import { UsageError } from '../base/errors.js';
import type { SessionSettings } from '../core/session.js';
import { availableParallelism } from 'node:os';
import { maxThreads } from '../env/cpu-budget.js';
import type { Profile } from '../schema/profile.js';

/**
 * How a profile opens an ONNX Runtime session: the one translation every command and stage uses
 * (run, ab, serve, and the library's benchmark), so a new session field is added here once.
 */
export function sessionSettingsOf(profile: Pick<Profile, 'executionProviders' | 'providerOptions' | 'graphOptimizationLevel' | 'intraOpThreads' | 'interOpThreads'>, allowFallback: boolean): SessionSettings {
  return {
    providers: profile.executionProviders,
    providerOptions: profile.providerOptions,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    allowFallback,
    ...(profile.intraOpThreads !== undefined ? { intraOpThreads: profile.intraOpThreads } : {}),
    ...(profile.interOpThreads !== undefined ? { interOpThreads: profile.interOpThreads } : {}),
  };
}

/** A profile's thread counts, held to the same per-machine limit as --threads (the one check of every command that runs a profile). */
export function checkProfileThreads(profile: Pick<Profile, 'name' | 'intraOpThreads' | 'interOpThreads'>): void {
  for (const field of ['intraOpThreads', 'interOpThreads'] as const) {
    const value = profile[field];
    if (value !== undefined && value > maxThreads()) {
      throw new UsageError(`profile ${profile.name}: field "${field}": ${value} threads; at most ${maxThreads()} on this machine (4 per logical core; it has ${availableParallelism()})`);
    }
  }
}
