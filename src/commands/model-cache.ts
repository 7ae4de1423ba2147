import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, JSON_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { cleanCache, listCache, removeModels } from '../model-store/cache.js';
import { formatCacheList } from '../format/model-cache.js';
import { formatBytes } from '../format/text.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

/** `model list`: what the cache holds, how big, synthetic or not. */
export async function modelListCommand(flags: JsonFlags, io: Io): Promise<ExitCode> {
  const contents = listCache();
  io.out(flags.json === true ? `${JSON.stringify(contents, null, 2)}\n` : formatCacheList(contents, io.outStyle));
  return EXIT.ok;
}

/** `model rm NAME...`: removes cached models by the name `model list` shows. */
export async function modelRmCommand(names: readonly string[], flags: JsonFlags, io: Io): Promise<ExitCode> {
  const removed = removeModels(names);
  if (flags.json === true) {
    io.out(`${JSON.stringify({ removed }, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const model of removed) io.out(`removed ${model.name} (${formatBytes(model.bytes)}): ${model.dir}\n`);
  return EXIT.ok;
}

/** `cache clean`: removes every cached model (rebuilt or downloaded again when used) and the calibration folder (measured again). */
export async function cacheCleanCommand(flags: JsonFlags, io: Io): Promise<ExitCode> {
  const { removed, kept } = cleanCache();
  if (flags.json === true) {
    io.out(`${JSON.stringify({ home: removed.home, removed: removed.models, leftoversRemoved: removed.leftovers, leftoversKept: kept, calibrationRemoved: removed.calibration ?? null, bytes: removed.bytes }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.out(`removed ${removed.models.length} model(s) and ${removed.leftovers.length} unfinished build(s), ${formatBytes(removed.bytes)}, from ${removed.home}\n`);
  if (removed.calibration !== undefined) io.out(`removed the cached peak probes and pairs-per-run calibrations: ${removed.calibration}\n`);
  for (const leftover of kept) io.err(`${io.errStyle.yellow(`note: kept ${leftover.dir}: changed in the last 10 minutes, a build may still be writing it`)}\n`);
  return EXIT.ok;
}

type JsonFlags = FlagValues<typeof JSON_FLAGS>;

/** `model list`, `model rm` (under the `model` command) and `cache clean` (under `cache`). */
export function register(model: Command, cache: Command, { io, setExitCode }: CommandContext): void {
  addFlags(model.command('list').description('list the models in the cache: synthetic or downloaded, ONNX files and sizes'), JSON_FLAGS)
    .action(async (flags: JsonFlags) => setExitCode(await modelListCommand(flags, io)));
  const rm = model
    .command('rm')
    .description('remove models from the cache (rebuilt or downloaded again when next used)')
    .argument('<names...>', 'models as `model list` names them, e.g. synthetic:structbert-base');
  addFlags(rm, JSON_FLAGS).action(async (names: string[], flags: JsonFlags) => setExitCode(await modelRmCommand(names, flags, io)));
  addFlags(cache.command('clean').description('remove every cached model and unfinished build, and the cached peak probes and calibrations'), JSON_FLAGS)
    .action(async (flags: JsonFlags) => setExitCode(await cacheCleanCommand(flags, io)));
}
