import type { Io } from '../shell/io.js';
import { listProfiles, loadProfile } from '../profiles/profile.js';

export async function profilesListCommand(flags: { json?: boolean }, io: Io): Promise<void> {
  const profiles = listProfiles();
  if (flags.json === true) {
    io.out(`${JSON.stringify(profiles, null, 2)}\n`);
    return;
  }
  const nameWidth = Math.max(...profiles.map((profile) => profile.name.length));
  for (const profile of profiles) {
    io.out(`${io.outStyle.bold(profile.name.padEnd(nameWidth))}  ${profile.providers.padEnd(8)} ${profile.precision.padEnd(5)} ${profile.description}\n`);
  }
}

/** The resolved profile (after inheritance), as JSON: exactly what `run` would use. */
export async function profilesShowCommand(reference: string, io: Io): Promise<void> {
  io.out(`${JSON.stringify(loadProfile(reference), null, 2)}\n`);
}
