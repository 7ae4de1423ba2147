import type { Io } from '../shell/io.js';
import { cleanCache, listCache, removeModels } from '../model-store/cache.js';
import { formatCacheList } from '../format/model-cache.js';
import { formatBytes } from '../format/text.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

/** `model list`: what the cache holds, how big, synthetic or not. */
export async function modelListCommand(flags: { json?: boolean }, io: Io): Promise<ExitCode> {
  const contents = listCache();
  io.out(flags.json === true ? `${JSON.stringify(contents, null, 2)}\n` : formatCacheList(contents, io.outStyle));
  return EXIT.ok;
}

/** `model rm NAME...`: removes cached models by the name `model list` shows. */
export async function modelRmCommand(names: readonly string[], flags: { json?: boolean }, io: Io): Promise<ExitCode> {
  const removed = removeModels(names);
  if (flags.json === true) {
    io.out(`${JSON.stringify({ removed }, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const model of removed) io.out(`removed ${model.name} (${formatBytes(model.bytes)}): ${model.dir}\n`);
  return EXIT.ok;
}

/** `cache clean`: removes every cached model; they are rebuilt or downloaded again when used. */
export async function cacheCleanCommand(flags: { json?: boolean }, io: Io): Promise<ExitCode> {
  const { removed, kept } = cleanCache();
  if (flags.json === true) {
    io.out(`${JSON.stringify({ home: removed.home, removed: removed.models, leftoversRemoved: removed.leftovers, leftoversKept: kept, bytes: removed.bytes }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.out(`removed ${removed.models.length} model(s) and ${removed.leftovers.length} unfinished build(s), ${formatBytes(removed.bytes)}, from ${removed.home}\n`);
  for (const leftover of kept) io.err(`${io.errStyle.yellow(`note: kept ${leftover.dir}: changed in the last 10 minutes, a build may still be writing it`)}\n`);
  return EXIT.ok;
}
