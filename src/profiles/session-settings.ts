import type { SessionSettings } from '../core/session.js';
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
