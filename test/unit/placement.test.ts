import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acceleratedTimeShare, describeActualProvider, formatShares, parseOrtProfile, placementWarning, providerName, providerShortName } from '../../src/core/placement.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(`test/fixtures/ort-profiles/${name}`, 'utf8'));

describe('parseOrtProfile', () => {
  it('a CUDA session that ran the graph: shares of nodes and of kernel time per provider', () => {
    const placement = parseOrtProfile(fixture('cuda-mostly-gpu.json'));
    expect(placement.nodes).toBe(10);
    expect(placement.kernelMicroseconds).toBe(1000);
    expect(placement.shares).toEqual([
      { provider: 'cuda', nodes: 6, nodeShare: 0.6, kernelMicroseconds: 970, timeShare: 0.97 },
      { provider: 'cpu', nodes: 4, nodeShare: 0.4, kernelMicroseconds: 30, timeShare: 0.03 },
    ]);
    expect(formatShares(placement, 'time')).toBe('cuda 97.0%; cpu 3.0%');
    expect(formatShares(placement, 'nodes')).toBe('cuda 60.0%; cpu 40.0%');
    expect(describeActualProvider('cuda', placement)).toBe('cuda (97% of kernel time)');
    expect(placementWarning('cuda', placement)).toBeUndefined();
  });

  it('a CUDA session whose int8 MatMuls fell back to the CPU: named, and warned about under 90%', () => {
    const placement = parseOrtProfile(fixture('cuda-int8-mostly-cpu.json'));
    expect(placement.shares.map((share) => [share.provider, share.nodes, share.kernelMicroseconds])).toEqual([
      ['cpu', 4, 1074],
      ['cuda', 5, 226],
    ]);
    expect(acceleratedTimeShare(placement, 'cuda')).toBeCloseTo(226 / 1300, 12);
    expect(describeActualProvider('cuda', placement)).toBe('cuda (17% of kernel time)');
    expect(placementWarning('cuda', placement)).toBe(
      'cuda ran only 17.4% of the kernel time (cpu 82.6%; cuda 17.4%); the rest ran on the CPU, so these are not cuda\'s numbers',
    );
    // TensorRT with CUDA behind it counts both.
    expect(acceleratedTimeShare(placement, 'tensorrt+cuda')).toBeCloseTo(226 / 1300, 12);
  });

  it('a CPU session: no share in the provider name, no warning', () => {
    const placement = parseOrtProfile([{ cat: 'Node', name: 'MatMul_kernel_time', dur: 5, args: { provider: 'CPUExecutionProvider' } }]);
    expect(describeActualProvider('cpu', placement)).toBe('cpu');
    expect(placementWarning('cpu', placement)).toBeUndefined();
    expect(acceleratedTimeShare(placement, 'cpu')).toBe(1);
  });

  it('refuses what is not a profile of a run', () => {
    expect(() => parseOrtProfile({})).toThrow('expected a JSON array of trace events');
    expect(() => parseOrtProfile([{ cat: 'Session', name: 'model_loading_uri', dur: 3 }])).toThrow('no kernel events');
  });

  it('names providers as the command line does, and reads them back from a row', () => {
    expect(providerShortName('CUDAExecutionProvider')).toBe('cuda');
    expect(providerShortName('TensorrtExecutionProvider')).toBe('tensorrt');
    expect(providerName('cuda (97% of kernel time)')).toBe('cuda');
    expect(providerName('cpu')).toBe('cpu');
  });
});
