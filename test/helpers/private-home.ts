/**
 * Setup file of every tier: code a test runs in its own process (the peak probe, the pairs
 * calibration, model builds by name) keeps its cache in a temporary zsc-bench home, never in the
 * user's (~/.cache/zsc-bench). CLIs a test starts get one through test/helpers/cli.ts; the global
 * setup real-cache-guard.ts fails the run if the user's cache changed anyway.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env['ZSC_BENCH_HOME'] = mkdtempSync(join(tmpdir(), 'zsc-bench-home-'));
// Code that loses ZSC_BENCH_HOME (a test clearing it, a child given a fresh environment) falls
// back to $XDG_CACHE_HOME/zsc-bench: that is temporary too, never ~/.cache.
process.env['XDG_CACHE_HOME'] = mkdtempSync(join(tmpdir(), 'zsc-bench-xdg-'));
