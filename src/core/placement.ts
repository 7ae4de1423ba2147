/**
 * Where the model really ran. ONNX Runtime places every node on the first registered execution
 * provider that can run it and silently leaves the rest on the CPU (the warning is below the
 * log level we run at). Its profiler names the provider of each kernel event, so one profiled
 * classification says what share of the nodes and of the kernel time each provider took.
 * Parsing is pure; opening the profiled session is session.ts's job.
 */

export interface ProviderShare {
  /** Short name as on the command line: cpu, cuda, tensorrt… */
  provider: string;
  nodes: number;
  /** Fraction of the distinct nodes that ran. */
  nodeShare: number;
  kernelMicroseconds: number;
  /** Fraction of the summed kernel time. */
  timeShare: number;
}

export interface ProviderPlacement {
  /** Largest share of kernel time first. */
  shares: ProviderShare[];
  nodes: number;
  kernelMicroseconds: number;
}

/** `CUDAExecutionProvider` -> `cuda`, `TensorrtExecutionProvider` -> `tensorrt`. */
export function providerShortName(name: string): string {
  return name.replace(/ExecutionProvider$/, '').toLowerCase();
}

interface KernelEvent {
  node: string;
  provider: string;
  dur: number;
}

function kernelEvents(events: unknown): KernelEvent[] {
  if (!Array.isArray(events)) throw new Error('ONNX Runtime profile: expected a JSON array of trace events');
  const kernels: KernelEvent[] = [];
  for (const event of events) {
    if (typeof event !== 'object' || event === null) continue;
    const { cat, name, dur, args } = event as { cat?: unknown; name?: unknown; dur?: unknown; args?: unknown };
    // Only the kernel's own time: fence_before/fence_after events wrap it.
    if (cat !== 'Node' || typeof name !== 'string' || !name.endsWith('_kernel_time') || typeof dur !== 'number') continue;
    const provider = typeof args === 'object' && args !== null ? (args as { provider?: unknown }).provider : undefined;
    if (typeof provider !== 'string') continue;
    kernels.push({ node: name.slice(0, -'_kernel_time'.length), provider: providerShortName(provider), dur });
  }
  return kernels;
}

/** Shares per provider from the trace events of a profile file (Chrome trace format). */
export function parseOrtProfile(events: unknown): ProviderPlacement {
  const kernels = kernelEvents(events);
  if (kernels.length === 0) throw new Error('ONNX Runtime profile: no kernel events (was a run profiled?)');
  const nodesBy = new Map<string, Set<string>>();
  const timeBy = new Map<string, number>();
  for (const kernel of kernels) {
    nodesBy.set(kernel.provider, (nodesBy.get(kernel.provider) ?? new Set()).add(kernel.node));
    timeBy.set(kernel.provider, (timeBy.get(kernel.provider) ?? 0) + kernel.dur);
  }
  const nodes = [...nodesBy.values()].reduce((sum, set) => sum + set.size, 0);
  const kernelMicroseconds = [...timeBy.values()].reduce((sum, value) => sum + value, 0);
  const shares = [...nodesBy.keys()]
    .map((provider): ProviderShare => {
      const count = nodesBy.get(provider)?.size ?? 0;
      const time = timeBy.get(provider) ?? 0;
      return { provider, nodes: count, nodeShare: count / nodes, kernelMicroseconds: time, timeShare: kernelMicroseconds === 0 ? 0 : time / kernelMicroseconds };
    })
    .sort((a, b) => b.timeShare - a.timeShare || (a.provider < b.provider ? -1 : 1));
  return { shares, nodes, kernelMicroseconds };
}

const percent = (fraction: number): string => `${(Math.round(fraction * 1000) / 10).toFixed(1)}%`;

/** `cuda 97.0%; cpu 3.0%` by kernel time, or by nodes. */
export function formatShares(placement: ProviderPlacement, by: 'time' | 'nodes'): string {
  return placement.shares.map((share) => `${share.provider} ${percent(by === 'time' ? share.timeShare : share.nodeShare)}`).join('; ');
}

/** The share of kernel time of the accelerators a session asked for (`cuda`, `tensorrt+cuda`); 1 for cpu. */
export function acceleratedTimeShare(placement: ProviderPlacement, provider: string): number {
  const asked = provider.split('+').filter((name) => name !== 'cpu');
  if (asked.length === 0) return placement.shares.filter((share) => share.provider === 'cpu').reduce((sum, share) => sum + share.timeShare, 0);
  return placement.shares.filter((share) => asked.includes(share.provider)).reduce((sum, share) => sum + share.timeShare, 0);
}

/** `cpu`, or for an accelerator `cuda (97% of kernel time)`: what the result row says ran. */
export function describeActualProvider(provider: string, placement: ProviderPlacement | undefined): string {
  if (placement === undefined || !provider.split('+').some((name) => name !== 'cpu')) return provider;
  return `${provider} (${Math.round(acceleratedTimeShare(placement, provider) * 100)}% of kernel time)`;
}

/** Below this share of kernel time on the requested accelerator, a run gets a warning. */
export const LOW_ACCELERATOR_SHARE = 0.9;

export function placementWarning(provider: string, placement: ProviderPlacement): string | undefined {
  if (!provider.split('+').some((name) => name !== 'cpu')) return undefined;
  const share = acceleratedTimeShare(placement, provider);
  if (share >= LOW_ACCELERATOR_SHARE) return undefined;
  return `${provider} ran only ${percent(share)} of the kernel time (${formatShares(placement, 'time')}); the rest ran on the CPU, so these are not ${provider}'s numbers`;
}

/** The provider's name in `cuda (97% of kernel time)`: what comparisons key on. */
export function providerName(actualProvider: string): string {
  return actualProvider.replace(/\s*\(.*\)\s*$/, '');
}
