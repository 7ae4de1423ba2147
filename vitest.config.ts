import { defineConfig } from 'vitest/config';

/**
 * Four tiers, one folder each (a fifth, arm64, when scripts/arm64.sh runs it), so every test file is in exactly one (README "Tests"); `vitest run`
 * runs them in this order, `--project NAME` one of them. Files that run models go one at a time:
 * model sessions are CPU-heavy, and two cores do best that way.
 */
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    setupFiles: ['test/helpers/private-home.ts'],
    // Fails the run if any test touched the user's own cache (a project's globalSetup replaces this list, so each repeats it).
    globalSetup: ['test/helpers/real-cache-guard.ts'],
    projects: [
      // Pure functions and small fakes: no model session, no dist/. Seconds: the files share one
      // module graph per worker (isolate: false), which cuts the tier from ~30 s to ~7 s here.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false, sequence: { groupOrder: 0 } } },
      // ONNX sessions, the server and the worker in this process, from src/.
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
      // The built CLI as a user runs it.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, globalSetup: ['test/helpers/real-cache-guard.ts', 'test/helpers/fresh-dist.ts'], sequence: { groupOrder: 2 } } },
      // The built CLI where it takes minutes or needs the machine: the load soak, Chromium, cgroup limits.
      { extends: true, test: { name: 'slow', include: ['test/slow/**/*.test.ts'], fileParallelism: false, globalSetup: ['test/helpers/real-cache-guard.ts', 'test/helpers/fresh-dist.ts'], sequence: { groupOrder: 3 } } },
      // The built CLI on arm64 under qemu-user: only when scripts/arm64.sh has set it up (npm run test:arm64, root).
      ...(process.env['ZSC_ARM64_NODE'] !== undefined
        ? [{ extends: true as const, test: { name: 'arm64', include: ['test/arm64/**/*.test.ts'], fileParallelism: false, testTimeout: 600_000, globalSetup: ['test/helpers/real-cache-guard.ts', 'test/helpers/fresh-dist.ts'], sequence: { groupOrder: 4 } } }]
        : []),
    ],
  },
});
