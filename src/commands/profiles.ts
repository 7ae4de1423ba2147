import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, JSON_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { listProfiles, loadProfile } from '../profiles/profile.js';
import { checkProfileThreads } from '../profiles/session-settings.js';
import { formatProfileList } from '../format/profile-list.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

export async function profilesListCommand(flags: JsonFlags, io: Io): Promise<ExitCode> {
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
  const profile = loadProfile(reference);
  // run's check too, so that show never accepts a profile run refuses on this machine.
  checkProfileThreads(profile);
  io.out(`${JSON.stringify(profile, null, 2)}\n`);
  return EXIT.ok;
}

type JsonFlags = FlagValues<typeof JSON_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const profiles = program.command('profiles').description('list and show execution profiles');
  addFlags(profiles.command('list').description('list the bundled profiles'), JSON_FLAGS).action(async (flags: JsonFlags) => setExitCode(await profilesListCommand(flags, io)));
  profiles
    .command('show')
    .description('show a profile after inheritance')
    .argument('<name|path>', 'profile name or JSON file')
    .action(async (name: string) => setExitCode(await profilesShowCommand(name, io)));
}
