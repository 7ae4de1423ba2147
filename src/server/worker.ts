/** The model worker's entry point: loads the classifier and runs batches the main thread sends. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadClassifier } from '../model-store/source.js';
import { runBatch } from './engine.js';
import { serializeError, type WorkerConfig, type WorkerMessage, type WorkerRequest } from './model-worker.js';
import { placementWarning, type ProviderPlacement } from '../core/placement.js';

const port = parentPort;
if (port === null) throw new Error('worker.js runs as a worker thread of zsc-bench serve');
const post = (message: WorkerMessage) => port.postMessage(message);
const config = workerData as WorkerConfig;
const PLACEMENT_TEXT = '国足昨晚在主场以二比一战胜对手，积分榜排名上升两位。';
const PLACEMENT_LABELS = ['体育', '财经', '科技'];

try {
  const classifier = await loadClassifier({ ...config.classifier, onProgress: (message) => post({ type: 'progress', message }) });
  port.on('message', (request: WorkerRequest) => {
    void runBatch(classifier, request.requests, request.merge, (index, result) => post({ type: 'answered', id: request.id, index, result }))
      .catch((error: unknown) => ({
        results: request.requests.map(() => ({ error: error instanceof Error ? error.message : String(error) })),
        runs: 0,
        inferenceMs: 0,
      }))
      .then((outcome) => post({ type: 'result', id: request.id, outcome, hypothesisCache: classifier.hypothesisCache }));
  });
  let placement: ProviderPlacement | null = null;
  let placementNote: string | null = null;
  try {
    // One profiled classification on a copy of the session: which provider really ran the graph.
    placement = await classifier.profilePlacement(PLACEMENT_TEXT, PLACEMENT_LABELS);
    placementNote = placementWarning(classifier.provider, placement) ?? null;
  } catch (error) {
    placementNote = `could not profile where the model runs (${error instanceof Error ? error.message : String(error)})`;
  }
  post({
    type: 'ready',
    placement,
    placementNote,
    model: classifier.model,
    provider: classifier.provider,
    requestedProvider: classifier.requestedProvider,
    fallback: classifier.fallback ?? null,
    hypothesisCache: classifier.hypothesisCache,
  });
} catch (error) {
  post({ type: 'failed', error: serializeError(error) });
}
