/** Worker thread: samples the hardware on its own clock, so sampling goes on while session.run blocks the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { readHardwareSample } from './hardware-sample.js';

const { intervalMs, tools } = workerData as { intervalMs: number; tools: { vcgencmd: boolean; nvidiaSmi: boolean } };
let stopped = false;
parentPort?.on('message', (message) => {
  if (message === 'stop') stopped = true;
});
while (!stopped) {
  parentPort?.postMessage(await readHardwareSample(tools));
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
parentPort?.postMessage('stopped');
