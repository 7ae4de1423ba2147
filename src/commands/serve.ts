import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { BOUNDS, parseHostName, parseIntegerInRange, parseList, parsePort } from '../shell/parse.js';
import { addFlags, described, flag, flagWithDefault, switchFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { PROFILE_FIELD_FLAGS } from '../shell/profile-flags.js';
import { resolveModelDir } from '../model-store/source.js';
import { refuseMissingProviders } from '../core/session.js';
import { HYPOTHESIS_CACHE_LIMIT } from '../core/pairs.js';
import { MODEL_FILE_BY_PRECISION } from '../models/precision.js';
import { sha256File } from '../io/hash.js';
import { loadProfile } from '../profiles/profile.js';
import { checkProfileThreads, sessionSettingsOf } from '../profiles/session-settings.js';
import { Batcher } from '../server/batcher.js';
import { WorkerEngine } from '../server/model-worker.js';
import { DEFAULT_MAX_TEXT_CHARS, requestLimits } from '../server/request.js';
import { ClassifierServer } from '../server/server.js';
import { apiInfo, batchingDecision, defaultMaxBatchPairs, isLoopback } from '../server/serve-setup.js';
import { fallbackNote, syntheticNote } from '../format/notes.js';
import { PidFile } from '../shell/output-dir.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { untilSignal } from '../shell/interrupt.js';

const DEFAULT_HOST = '127.0.0.1';

const FIELD = PROFILE_FIELD_FLAGS;

/** serve's flags; --model, --precision, --provider and --threads are run's (the same name and parser). */
export const SERVE_FLAGS = {
  host: flagWithDefault('--host <host>', 'address to listen on (other than loopback, anyone who reaches it can use the API)', DEFAULT_HOST),
  port: flagWithDefault('--port <n>', 'port to listen on; 0 picks a free one', '7860'),
  model: described(FIELD.model, 'model folder, Hugging Face id or synthetic:<arch> (default: the profile\'s, else synthetic:structbert-base)'),
  profile: flag('--profile <name|path>', 'take model, precision, providers and session settings from a profile'),
  precision: described(FIELD.precision, 'fp32, fp16 or int8 (default: the profile\'s, else fp32)'),
  provider: described(FIELD.provider, 'execution provider(s) in priority order (default: the profile\'s, else cpu)'),
  allowFallback: switchFlag('--allow-fallback', 'run on CPU when the provider cannot load (reported, never silent)'),
  threads: described(FIELD.threads, 'intra-op threads (default: every core this process may use: affinity, cgroup quota, physical cores)'),
  batching: switchFlag('--no-batching', 'run every request alone: no merging of concurrent requests'),
  inexactBatching: switchFlag('--inexact-batching', 'merge requests at fp16/int8 too, where batch composition changes scores slightly'),
  maxBatchPairs: flag('--max-batch-pairs <n>', 'most (text, label) pairs in one merged batch (default: 8 on CPU, 64 on GPU providers)'),
  maxWaitMs: flagWithDefault('--max-wait-ms <n>', 'longest wait for returning clients when the model frees up (0: never wait)', '2'),
  maxQueue: flagWithDefault('--max-queue <n>', 'requests allowed to wait; more are refused with 503 and Retry-After', '64'),
  maxTextChars: flagWithDefault('--max-text-chars <n>', 'longest text accepted (413 beyond)', String(DEFAULT_MAX_TEXT_CHARS)),
  hypothesisCache: flagWithDefault('--hypothesis-cache <n>', 'tokenized (template, label) hypotheses kept (LRU)', String(HYPOTHESIS_CACHE_LIMIT)),
  /** For scripts and process managers. */
  pidFile: flag('--pid-file <file>', 'write the server process\'s id here once listening (removed on exit): `kill $(cat FILE)` drains and stops it'),
  allowedHosts: flag('--allowed-hosts <names>', 'more host names the API answers to (Host header), e.g. gpu-box.local; by default only the listening address (and localhost on loopback)'),
};

export type ServeFlags = FlagValues<typeof SERVE_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  addFlags(program.command('serve').description('serve the classification page and JSON API, with dynamic batching'), SERVE_FLAGS).action(async (flags: ServeFlags) => {
    setExitCode(await serveCommand(flags, io));
  });
}

/** Every flag checked before the (possibly slow) model load. */
function parseSettings(flags: ServeFlags) {
  // The node process's own id: `npx` runs node as a child that a signal to npm never reaches.
  const pidFile = flags.pidFile === undefined ? undefined : new PidFile(resolve(flags.pidFile), '--pid-file');
  const profile = flags.profile === undefined ? undefined : loadProfile(flags.profile);
  const precision = flags.precision === undefined ? (profile?.precision ?? 'fp32') : FIELD.precision.parse(flags.precision, '--precision');
  const inexact = flags.inexactBatching === true;
  const threads = flags.threads === undefined ? profile?.intraOpThreads : FIELD.threads.parse(flags.threads, '--threads');
  if (profile !== undefined) checkProfileThreads(profile);
  const allowFallback = flags.allowFallback === true;
  const providers = flags.provider === undefined ? (profile?.executionProviders ?? ['cpu']) : FIELD.provider.parse(flags.provider, '--provider');
  return {
    profile,
    pidFile,
    precision,
    /** How the model's session opens: the profile's settings, with these flags over them. */
    session: { ...(profile !== undefined ? sessionSettingsOf({ ...profile, intraOpThreads: threads }, allowFallback) : { allowFallback, ...(threads !== undefined ? { intraOpThreads: threads } : {}) }), providers },
    host: flags.host.trim() === '' ? DEFAULT_HOST : flags.host.trim(),
    port: parsePort(flags.port),
    merge: batchingDecision(flags.batching, precision, inexact),
    batchingRequested: flags.batching,
    inexact,
    maxBatchPairs: flags.maxBatchPairs === undefined ? undefined : parseIntegerInRange(flags.maxBatchPairs, '--max-batch-pairs', 1, BOUNDS.maxBatchPairs),
    maxWaitMs: parseIntegerInRange(flags.maxWaitMs, '--max-wait-ms', 0, BOUNDS.maxWaitMs),
    maxQueue: parseIntegerInRange(flags.maxQueue, '--max-queue', 1, BOUNDS.maxQueue),
    maxTextChars: parseIntegerInRange(flags.maxTextChars, '--max-text-chars', 1, BOUNDS.maxTextChars),
    hypothesisCache: parseIntegerInRange(flags.hypothesisCache, '--hypothesis-cache', 1, BOUNDS.hypothesisCache),
    allowedHosts: flags.allowedHosts === undefined ? [] : parseList(flags.allowedHosts, '--allowed-hosts', parseHostName),
  };
}

/** `zsc-bench serve`: the page and JSON API until SIGTERM/SIGINT, then a graceful drain. */
export async function serveCommand(flags: ServeFlags, io: Io): Promise<ExitCode> {
  const settings = parseSettings(flags);
  const { profile, precision, pidFile } = settings;
  const progress = (message: string) => io.err(`${io.errStyle.dim(message)}\n`);
  const note = (message: string) => io.err(`${io.errStyle.yellow(`note: ${message}`)}\n`);
  const modelSpec = flags.model ?? profile?.model;
  // Before a model is built for a provider that certainly cannot load here.
  if (settings.session.allowFallback !== true) refuseMissingProviders(settings.session.providers);
  const modelDir = await resolveModelDir(modelSpec, precision, progress, '--model');

  const [{ engine, loaded }, sha256] = await Promise.all([
    WorkerEngine.start(
      { classifier: { model: modelDir, precision, hypothesisCacheLimit: settings.hypothesisCache, ...settings.session } },
      progress,
      (reason) => io.err(`${io.errStyle.red('error:')} model worker crashed (${reason}); restarting it\n`),
    ),
    // Hashing a 400 MB file takes a second or two: overlap it with loading the model.
    sha256File(join(modelDir, 'onnx', MODEL_FILE_BY_PRECISION[precision])).catch(() => ''),
  ]);

  const limits = { ...requestLimits(settings.maxTextChars), maxQueue: settings.maxQueue };
  const maxBatchPairs = settings.maxBatchPairs ?? defaultMaxBatchPairs(loaded.provider);
  const batcher = new Batcher(engine, { merge: settings.merge.merge, maxBatchPairs, maxWaitMs: settings.maxWaitMs, maxQueue: settings.maxQueue });
  const baseInfo = apiInfo({ profile, precision, loaded, modelSpec, sha256, limits, syntheticNote: syntheticNote(loaded.model) ?? null, batching: { decision: settings.merge, requested: settings.batchingRequested, inexact: settings.inexact, maxBatchPairs, maxWaitMs: settings.maxWaitMs } });
  const server = new ClassifierServer({
    batcher,
    limits,
    defaultTemplate: baseInfo.defaultTemplate,
    loaded,
    info: () => ({ ...baseInfo, hypothesisCache: engine.hypothesisCache ?? null }),
    engineStatus: () => engine.status,
    onError: (message) => io.err(`${io.errStyle.red('error:')} ${message}\n`),
    allowedHosts: settings.allowedHosts,
  });
  let url: string;
  try {
    url = await server.listen(settings.port, settings.host);
    pidFile?.write();
  } catch (error) {
    await server.close();
    await engine.close();
    throw error;
  }
  io.err(`zsc-bench serve: listening on ${url}${pidFile === undefined ? '' : ` (pid ${process.pid} in ${pidFile.path})`}\n`);
  io.err(`${io.errStyle.dim(`model ${baseInfo.model.id} (${precision}) · provider ${loaded.provider} · batching ${settings.merge.note} · max ${maxBatchPairs} pairs/batch, wait ≤ ${settings.maxWaitMs} ms · queue ≤ ${settings.maxQueue}`)}\n`);
  if (loaded.fallback !== null) note(fallbackNote(loaded.fallback));
  if (loaded.placementNote !== null) note(loaded.placementNote);
  if (baseInfo.syntheticNote !== null) note(baseInfo.syntheticNote);
  if (!isLoopback(settings.host)) note(`listening on ${settings.host}: other machines can reach this server, and the API has no authentication`);

  const signal = await untilSignal();
  io.err(`${signal}: draining (${batcher.queued} queued, ${batcher.inFlight} running)…\n`);
  await server.close();
  await engine.close();
  pidFile?.remove();
  io.err('stopped\n');
  return EXIT.ok;
}
