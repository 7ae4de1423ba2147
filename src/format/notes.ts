/**
 * What the user must know about how far to trust a result, worded once for every command and
 * table: synthetic weights (model-notes.ts, per architecture), a provider fallback, a machine
 * that does not match its profile. Each function returns the sentence; the caller adds
 * `note: ` (stderr) or places it in a table. Commands and tables import them from here.
 */
import type { Fallback } from '../core/session.js';

export { syntheticNote, syntheticNoteForId } from './model-notes.js';

export function fallbackNote(fallback: Fallback): string {
  return `${fallback.from} unavailable (${fallback.reason}); ran on cpu instead, and the results say fallback`;
}

export interface PlatformExpectation {
  profile: string;
  expectedArch?: string;
  expectedGpuPattern?: string;
}

/** The profile was written for another machine: what it expects and what this machine is. */
export function platformMismatchNotes(expectation: PlatformExpectation, machine: { arch: string; gpuModel: string }): string[] {
  const notes: string[] = [];
  if (expectation.expectedArch !== undefined && expectation.expectedArch !== machine.arch) {
    notes.push(`profile ${expectation.profile} expects ${expectation.expectedArch}; this machine is ${machine.arch}`);
  }
  if (expectation.expectedGpuPattern !== undefined && !new RegExp(expectation.expectedGpuPattern, 'i').test(machine.gpuModel)) {
    notes.push(`profile ${expectation.profile} expects a GPU matching /${expectation.expectedGpuPattern}/; this machine has ${machine.gpuModel || 'no GPU found'}`);
  }
  return notes;
}
