/** Worker thread: samples the hardware on its own clock, so sampling goes on while session.run blocks the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { notePiEvents, readHardwareSample } from './hardware-sample.js';
import type { HardwareSources } from './hardware-sources.js';

const { intervalMs, sources } = workerData as { intervalMs: number; sources: HardwareSources };
let stopped = false;
/** Ends the wait between samples at once: stop does not wait out the interval. */
let wake: (() => void) | undefined;
/** The last `vcgencmd get_throttled` bits read, to tell which "has occurred" bits are new. */
let piBits: number | undefined;
parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  stopped = true;
  wake?.();
});
while (!stopped) {
  const sample = notePiEvents(await readHardwareSample(sources), piBits);
  piBits = sample.piThrottled ?? piBits;
  parentPort?.postMessage(sample);
  if (stopped) break;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, intervalMs);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}
parentPort?.postMessage('stopped');
// The port would keep this thread alive until the caller's 3 s deadline terminated it (every run's stop took 3 s).
parentPort?.removeAllListeners('message');
parentPort?.unref();
