import { describe, expect, it } from 'vitest';
import { parseCudaVersion, parseGpuQuery, parseProcessMemory } from '../../src/env/gpu.js';
import { parseStatusKiB, peakRssBytes } from '../../src/env/memory.js';
import { relevantCpuFlags } from '../../src/env/snapshot.js';

describe('nvidia-smi parsing', () => {
  it('reads GPUs from a --query-gpu csv', () => {
    expect(parseGpuQuery('NVIDIA A10G, 535.104.05, 23028\nTesla T4, 535.104.05, 15360\n')).toEqual([
      { name: 'NVIDIA A10G', driver: '535.104.05', memoryTotalMiB: 23028 },
      { name: 'Tesla T4', driver: '535.104.05', memoryTotalMiB: 15360 },
    ]);
    expect(parseGpuQuery('')).toEqual([]);
  });
  it('reads the CUDA version from the banner', () => {
    expect(parseCudaVersion('| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2     |')).toBe('12.2');
    expect(parseCudaVersion('no banner')).toBe('');
  });
  it('sums one process\'s GPU memory', () => {
    expect(parseProcessMemory('1234, 900\n999, 100\n1234, 24\n', 1234)).toBe(924);
    expect(parseProcessMemory('999, 100\n', 1234)).toBeUndefined();
  });
});

describe('memory', () => {
  it('parses /proc/self/status fields in kB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n';
    expect(parseStatusKiB(status, 'VmHWM')).toBe(123456 * 1024);
    expect(parseStatusKiB(status, 'VmRSS')).toBe(100000 * 1024);
    expect(parseStatusKiB('Name: x', 'VmHWM')).toBeUndefined();
  });
  it('peak RSS is at least the current RSS', () => {
    expect(peakRssBytes()).toBeGreaterThanOrEqual(process.memoryUsage.rss() * 0.9);
  });
});

describe('cpu flags', () => {
  it('keeps the flags that matter for kernels, in a fixed order', () => {
    expect(relevantCpuFlags('fpu sse avx512f avx2 fma avx mmx')).toBe('avx avx2 fma avx512f');
    expect(relevantCpuFlags('fp asimd evtstrm asimddp')).toBe('asimd asimddp');
  });
});
