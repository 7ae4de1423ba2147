/**
 * Global setup of the e2e and slow tiers, which run the built CLI (dist/): a source file newer
 * than everything built means the tests would run old code, so they stop before they start.
 * `npm run test:e2e` and `npm test` build first; this catches `npx vitest` after an edit.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of the files under `dir` whose names end with `suffix`. */
function newestMtimeMs(dir: string, suffix: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  if (!existsSync(join('dist', 'src', 'cli', 'bin.js'))) throw new Error('dist/ is missing: run npm run build');
  if (newestMtimeMs('src', '.ts') > newestMtimeMs(join('dist', 'src'), '.js')) throw new Error('dist/ is older than src/: run npm run build');
}
