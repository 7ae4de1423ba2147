import type { Profile } from '../schema/profile.js';

/** The machine as far as a profile's `platform` can describe it. */
export interface MachineKind {
  arch: string;
  gpuModel: string;
}

/**
 * The profile was written for another machine: what it expects and what this machine is, one
 * sentence each (empty: it matches). A mismatch is reported and recorded, never fatal.
 */
export function platformMismatches(profile: Pick<Profile, 'name' | 'platform'>, machine: MachineKind): string[] {
  const notes: string[] = [];
  const { arch, gpuNamePattern } = profile.platform;
  if (arch !== undefined && arch !== machine.arch) {
    notes.push(`profile ${profile.name} expects ${arch}; this machine is ${machine.arch}`);
  }
  if (gpuNamePattern !== undefined && !new RegExp(gpuNamePattern, 'i').test(machine.gpuModel)) {
    notes.push(`profile ${profile.name} expects a GPU matching /${gpuNamePattern}/; this machine has ${machine.gpuModel || 'no GPU found'}`);
  }
  return notes;
}
