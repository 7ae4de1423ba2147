import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probePeak } from '../../src/runner/peak-probe.js';

describe('peak probe through ONNX Runtime', () => {
  it('measures a large MatMul at fp32 and int8, caches per configuration with the date', async () => {
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'zsc-peak-')), 'peak.json');
    const settings = { providers: ['cpu'] as const, intraOpThreads: 1 };
    // A quiet machine, whatever this one is doing: a busy one's probe is not cached (tested in unit/probe-cache).
    const quiet = () => ({ load: { load1: 0.5, load5: 0.5, load15: 0.5 }, ticks: undefined, ownCpuMs: 0 });
    const fp32 = await probePeak('fp32', settings, { cacheFile, readMachine: quiet });
    expect(fp32.cached).toBe(false);
    expect(fp32.gflopPerS).toBeGreaterThan(0.5);
    expect(fp32.description).toBe('matmul 512x1024x4096 fp32, cpu, 1 thread(s), best of 8');
    expect(fp32.measuredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const again = await probePeak('fp32', settings, { cacheFile });
    expect(again).toEqual({ ...fp32, cached: true });
    const int8 = await probePeak('int8', settings, { cacheFile, readMachine: quiet });
    expect(int8.cached).toBe(false);
    expect(int8.gflopPerS).toBeGreaterThan(0.5);
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')) as object)).toHaveLength(2);
  });
});
