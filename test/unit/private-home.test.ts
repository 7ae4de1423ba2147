import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zscBenchHome } from '../../src/model-store/source.js';
import { cacheListing, listingChanges } from '../helpers/real-cache-guard.js';

describe('tests never use the user\'s zsc-bench cache', () => {
  it('the home this process and its children resolve is temporary, with or without ZSC_BENCH_HOME', () => {
    const realCache = join(homedir(), '.cache', 'zsc-bench');
    expect(zscBenchHome().startsWith(tmpdir())).toBe(true);
    // A child that loses ZSC_BENCH_HOME still lands in a temporary folder (XDG_CACHE_HOME).
    const { ZSC_BENCH_HOME: _dropped, ...withoutHome } = process.env;
    expect(zscBenchHome(withoutHome).startsWith(tmpdir())).toBe(true);
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(process.env.ZSC_BENCH_HOME ?? "")'], { encoding: 'utf8' });
    expect(child).toBe(zscBenchHome());
    expect(zscBenchHome()).not.toBe(realCache);
  });

  it('the guard sees a file added, changed or removed under the cache, and nothing when it is untouched', () => {
    const root = mkdtempSync(join(tmpdir(), 'zsc-guard-'));
    expect(cacheListing(join(root, 'missing')).size).toBe(0);
    mkdirSync(join(root, 'calibration'));
    writeFileSync(join(root, 'calibration', 'peak.json'), '{}');
    const before = cacheListing(root);
    expect(listingChanges(before, cacheListing(root))).toEqual([]);
    writeFileSync(join(root, 'calibration', 'pairs-per-run.json'), '{}');
    utimesSync(join(root, 'calibration', 'peak.json'), new Date(0), new Date(0));
    expect(listingChanges(before, cacheListing(root))).toEqual(['calibration (changed)', 'calibration/pairs-per-run.json (added)', 'calibration/peak.json (changed)']);
    expect(listingChanges(cacheListing(root), new Map())).toEqual(['calibration (removed)', 'calibration/pairs-per-run.json (removed)', 'calibration/peak.json (removed)']);
  });
});
