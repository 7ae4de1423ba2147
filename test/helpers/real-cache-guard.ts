/**
 * Global setup of every tier: the user's own zsc-bench cache ($ZSC_BENCH_HOME as the shell set
 * it, else ~/.cache/zsc-bench) must be exactly as it was when the tests end. Every test process
 * and CLI gets a temporary home (private-home.ts, helpers/cli.ts); a test that escapes it (a
 * spawned process without the environment, a cleared variable) changes the listing here, and the
 * run fails, naming what changed.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zscBenchHome } from '../../src/model-store/source.js';

/** Every file and folder under `root` with its size and modification time; empty when it does not exist. */
export function cacheListing(root: string): Map<string, string> {
  const listing = new Map<string, string>();
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true, recursive: true });
  } catch {
    return listing;
  }
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    try {
      const stat = statSync(path);
      listing.set(relative(root, path), `${stat.size} ${stat.mtimeMs}`);
    } catch {
      listing.set(relative(root, path), 'gone');
    }
  }
  return listing;
}

/** What differs between two listings, one `path (added|removed|changed)` each. */
export function listingChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.flatMap((path) => {
    const [was, is] = [before.get(path), after.get(path)];
    if (was === is) return [];
    return [`${path} (${was === undefined ? 'added' : is === undefined ? 'removed' : 'changed'})`];
  });
}

export default function setup(): () => void {
  const home = zscBenchHome(process.env);
  const before = cacheListing(home);
  return () => {
    const changes = listingChanges(before, cacheListing(home));
    if (changes.length === 0) return;
    // Vitest only logs a teardown error: the exit code makes the run fail.
    process.exitCode = 1;
    throw new Error(`the tests touched the user's zsc-bench cache ${home}: ${changes.slice(0, 10).join(', ')}; every test must use a temporary ZSC_BENCH_HOME (test/helpers/private-home.ts)`);
  };
}
