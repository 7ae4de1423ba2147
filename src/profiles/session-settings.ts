import { UsageError } from '../base/errors.js';
import type { SessionSettings } from '../core/session.js';
import { availableParallelism } from 'node:os';
import { cpuBudget, maxThreads, type CpuBudget } from '../env/cpu-budget.js';
import type { Profile } from '../schema/profile.js';

/**
 * How a profile opens an ONNX Runtime session: the one translation every command and stage uses
 * (run, ab, serve, and the library's benchmark), so a new session field is added here once.
 */
export function sessionSettingsOf(
  profile: Pick<Profile, 'executionProviders' | 'providerOptions' | 'graphOptimizationLevel' | 'intraOpThreads' | 'interOpThreads' | 'executionMode' | 'prepacking' | 'cpuMemArena' | 'memPattern'>,
  allowFallback: boolean,
): SessionSettings {
  const memory = { ...(profile.prepacking !== undefined ? { prepacking: profile.prepacking } : {}), ...(profile.cpuMemArena !== undefined ? { cpuMemArena: profile.cpuMemArena } : {}), ...(profile.memPattern !== undefined ? { memPattern: profile.memPattern } : {}) };
  return {
    providers: profile.executionProviders,
    providerOptions: profile.providerOptions,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    allowFallback,
    ...(profile.intraOpThreads !== undefined ? { intraOpThreads: profile.intraOpThreads } : {}),
    ...(profile.interOpThreads !== undefined ? { interOpThreads: profile.interOpThreads } : {}),
    ...(profile.executionMode !== undefined ? { executionMode: profile.executionMode } : {}),
    ...(Object.keys(memory).length > 0 ? { memory } : {}),
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

/**
 * Intra-op threads beyond the cores this process may use (pi5-hailo8's 4 on a 2-vCPU machine):
 * allowed, since a profile describes its own machine, but said, because threads over the cores
 * queue behind each other and the latency is then not what that machine would measure.
 */
export function profileThreadsNote(profile: Pick<Profile, 'name' | 'intraOpThreads'>, budget: Pick<CpuBudget, 'threads' | 'reason'> = cpuBudget()): string | undefined {
  const threads = profile.intraOpThreads;
  if (threads === undefined || threads <= budget.threads) return undefined;
  return `${profile.name} runs ${threads} intra-op threads, but this machine gives ${budget.threads} (${budget.reason}): the extra threads queue, so latency here is not the profile's machine's; --threads ${budget.threads} fits this one`;
}
