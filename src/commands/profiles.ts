import type { Io } from '../shell/io.js';
import { listProfiles, loadProfile } from '../profiles/profile.js';
import { formatProfileList } from '../format/profile-list.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

export async function profilesListCommand(flags: { json?: boolean }, io: Io): Promise<ExitCode> {
  const profiles = listProfiles();
  if (flags.json === true) {
    io.out(`${JSON.stringify(profiles, null, 2)}\n`);
    return EXIT.ok;
  }
  io.out(formatProfileList(profiles, io.outStyle));
  return EXIT.ok;
}

/** The resolved profile (after inheritance), as JSON: exactly what `run` would use. */
export async function profilesShowCommand(reference: string, io: Io): Promise<ExitCode> {
  io.out(`${JSON.stringify(loadProfile(reference), null, 2)}\n`);
  return EXIT.ok;
}
