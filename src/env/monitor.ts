import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { probeHardwareSources, type HardwareSample } from './hardware-sample.js';
import { describeSources, type HardwareSources } from './hardware-sources.js';
import { packageRoot } from './package.js';

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // Under the test runner this module is TypeScript; the worker runs from the build.
  return here.endsWith('.ts') ? join(packageRoot(), 'dist', 'src', 'env', 'monitor-worker.js') : join(here, '..', 'monitor-worker.js');
}

/** Samples clocks, temperatures and GPU power in a worker thread while a benchmark runs (file reads; see hardware-sources.ts). */
export class HardwareMonitor {
  private readonly samples: HardwareSample[] = [];
  private worker: Worker | undefined;

  /** What the worker reads, found once at start; undefined before start. */
  sources: HardwareSources | undefined;

  async start(intervalMs = 1000): Promise<void> {
    const sources = await probeHardwareSources();
    this.sources = sources;
    this.worker = new Worker(workerFile(), { workerData: { intervalMs, sources } });
    this.worker.on('message', (message: HardwareSample | 'stopped') => {
      if (message !== 'stopped') this.samples.push(message);
    });
    this.worker.unref();
  }

  /** What the worker reads, one line; empty before start. */
  describeSources(): string {
    return this.sources === undefined ? '' : describeSources(this.sources);
  }

  /** Samples taken between two epoch-ms instants (inclusive). */
  between(fromMs: number, toMs: number): HardwareSample[] {
    return this.samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= toMs);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    // The worker was unref'd so it never holds the process open; waiting for its exit must.
    worker.ref();
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => void worker.terminate(), 3000);
      worker.once('exit', () => {
        clearTimeout(deadline);
        resolve();
      });
      worker.postMessage('stop');
    });
  }
}
