/**
 * A child process of `run --processes N` (processes.ts): an internal entry, not a command. It
 * receives its spec over the IPC channel, loads the model itself (its cold start is part of what
 * a process is), runs the same stages as a one-process run (BenchmarkRunner: calibrate, which
 * here is the cold start only since pairs per run come resolved, then sweep) and sends every
 * event back. It never prints and never writes files: the parent owns the results.
 */
import { currentRssBytes, peakRssBytes } from '../env/memory.js';
import { loadClassifier } from '../model-store/source.js';
import type { ChildMessage, ChildSpec } from './processes.js';
import { BenchmarkRunner } from './runner.js';
import { runStages } from './stages.js';

/** Test-only hook: the child with this process number kills itself with SIGKILL after its first label count (tests of a crashed process). */
const TEST_KILL_PROCESS = 'ZSC_BENCH_TEST_KILL_PROCESS';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

async function measure(spec: ChildSpec): Promise<void> {
  const started = performance.now();
  const classifier = await loadClassifier({ model: spec.modelDir, precision: spec.precision, ...spec.settings });
  await send({ kind: 'loaded', modelLoadMs: performance.now() - started, rssAfterLoadBytes: currentRssBytes(), peakRssAfterLoadBytes: peakRssBytes() });
  const runner = new BenchmarkRunner(classifier);
  const pending: Array<Promise<void>> = [];
  runner.on('coldStart', (firstInferenceMs) => pending.push(send({ kind: 'coldStart', firstInferenceMs })));
  runner.on('progress', (state) => pending.push(send({ kind: 'progress', state })));
  runner.on('labelCount', (measurement) => {
    pending.push(send({ kind: 'labelCount', measurement }));
    if (process.env[TEST_KILL_PROCESS] === String(spec.process)) void Promise.all(pending).then(() => process.kill(process.pid, 'SIGKILL'));
  });
  try {
    await runStages(runner.stages(spec.plan), new AbortController().signal);
  } finally {
    await classifier.dispose();
  }
  await Promise.all(pending);
  await send({ kind: 'done' });
}

// Ctrl-C reaches the whole process group: the parent decides what stops (it ends this child with SIGTERM).
process.on('SIGINT', () => undefined);
process.once('message', (message: { kind: 'start'; spec: ChildSpec }) => {
  measure(message.spec)
    .then(() => process.disconnect())
    .catch(async (error: unknown) => {
      await send({ kind: 'error', message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) });
      process.exitCode = 1;
      process.disconnect();
    });
});
