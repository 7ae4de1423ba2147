import type { Io } from '../shell/io.js';
import { listProfiles, loadProfile } from '../profiles/profile.js';
import { formatProfileList } from '../format/profile-list.js';

export async function profilesListCommand(flags: { json?: boolean }, io: Io): Promise<void> {
  const profiles = listProfiles();
  if (flags.json === true) {
    io.out(`${JSON.stringify(profiles, null, 2)}\n`);
    return;
  }
  io.out(formatProfileList(profiles, io.outStyle));
}

/** The resolved profile (after inheritance), as JSON: exactly what `run` would use. */
export async function profilesShowCommand(reference: string, io: Io): Promise<void> {
  io.out(`${JSON.stringify(loadProfile(reference), null, 2)}\n`);
}
