/** Worker thread: samples the hardware on its own clock, so sampling goes on while session.run blocks the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { readHardwareSample } from './hardware-sample.js';
import type { HardwareSources } from './hardware-sources.js';

const { intervalMs, sources } = workerData as { intervalMs: number; sources: HardwareSources };
let stopped = false;
parentPort?.on('message', (message) => {
  if (message === 'stop') stopped = true;
});
while (!stopped) {
  parentPort?.postMessage(await readHardwareSample(sources));
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
parentPort?.postMessage('stopped');
