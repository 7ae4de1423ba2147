/**
 * bench:monitor's stand-in for the monitor as it was before 2026-12: a worker calling
 * systeminformation's cpuCurrentSpeed() and cpuTemperature() every interval (the latter starts
 * about six processes per call on a Linux VM). Only the bench runs it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import si from 'systeminformation';

const { intervalMs } = workerData as { intervalMs: number };
let stopped = false;
let samples = 0;
let wake: (() => void) | undefined;
parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  stopped = true;
  wake?.();
});
while (!stopped) {
  await Promise.all([si.cpuCurrentSpeed().catch(() => undefined), si.cpuTemperature().catch(() => undefined)]);
  samples += 1;
  if (stopped) break;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, intervalMs);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}
parentPort?.postMessage(samples);
// The port would keep this thread alive.
parentPort?.removeAllListeners('message');
parentPort?.unref();
