import { describeActualProvider } from '../core/placement.js';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { BOUNDS, checkThreads, parseHostName, parseIntegerInRange, parseList, parsePort } from '../shell/parse.js';
import { addFlags, described, flag, flagWithDefault, switchFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { PROFILE_FIELD_FLAGS } from '../shell/profile-flags.js';
import { DEFAULT_TEMPLATE } from '../core/labels.js';
import { resolveModelDir } from '../model-store/source.js';
import { HYPOTHESIS_CACHE_LIMIT } from '../core/pairs.js';
import { MODEL_FILE_BY_PRECISION, type Precision } from '../models/precision.js';
import { UsageError } from '../base/errors.js';
import { toolVersion } from '../env/package.js';
import { sha256File } from '../io/hash.js';
import { loadProfile, type Profile } from '../profiles/profile.js';
import { sessionSettingsOf } from '../profiles/session-settings.js';
import { Batcher } from '../server/batcher.js';
import { MAX_PADDING_OVERHEAD } from '../server/engine.js';
import { WorkerEngine, type LoadedModel } from '../server/model-worker.js';
import { DEFAULT_MAX_TEXT_CHARS, requestLimits } from '../server/request.js';
import { ClassifierServer, type ApiInfo } from '../server/server.js';
import { fallbackNote, syntheticNote } from '../format/notes.js';
import { rmSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { untilSignal } from '../shell/interrupt.js';

const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  port: '7860',
  maxWaitMs: '2',
  maxQueue: '64',
  maxTextChars: String(DEFAULT_MAX_TEXT_CHARS),
  hypothesisCache: String(HYPOTHESIS_CACHE_LIMIT),
} as const;

const FIELD = PROFILE_FIELD_FLAGS;

/** serve's flags; --model, --precision, --provider and --threads are run's (the same name and parser). */
export const SERVE_FLAGS = {
  host: flagWithDefault('--host <host>', 'address to listen on (other than loopback, anyone who reaches it can use the API)', SERVE_DEFAULTS.host),
  port: flagWithDefault('--port <n>', 'port to listen on; 0 picks a free one', SERVE_DEFAULTS.port),
  model: described(FIELD.model, 'model folder, Hugging Face id or synthetic:<arch> (default: the profile\'s, else synthetic:structbert-base)'),
  profile: flag('--profile <name|path>', 'take model, precision, providers and session settings from a profile'),
  precision: described(FIELD.precision, 'fp32, fp16 or int8 (default: the profile\'s, else fp32)'),
  provider: described(FIELD.provider, 'execution provider(s) in priority order (default: the profile\'s, else cpu)'),
  allowFallback: switchFlag('--allow-fallback', 'run on CPU when the provider cannot load (reported, never silent)'),
  threads: described(FIELD.threads, 'intra-op threads (default: every core this process may use: affinity, cgroup quota, physical cores)'),
  batching: switchFlag('--no-batching', 'run every request alone: no merging of concurrent requests'),
  inexactBatching: switchFlag('--inexact-batching', 'merge requests at fp16/int8 too, where batch composition changes scores slightly'),
  maxBatchPairs: flag('--max-batch-pairs <n>', 'most (text, label) pairs in one merged batch (default: 8 on CPU, 64 on GPU providers)'),
  maxWaitMs: flagWithDefault('--max-wait-ms <n>', 'longest wait for returning clients when the model frees up (0: never wait)', SERVE_DEFAULTS.maxWaitMs),
  maxQueue: flagWithDefault('--max-queue <n>', 'requests allowed to wait; more are refused with 503 and Retry-After', SERVE_DEFAULTS.maxQueue),
  maxTextChars: flagWithDefault('--max-text-chars <n>', 'longest text accepted (413 beyond)', SERVE_DEFAULTS.maxTextChars),
  hypothesisCache: flagWithDefault('--hypothesis-cache <n>', 'tokenized (template, label) hypotheses kept (LRU)', SERVE_DEFAULTS.hypothesisCache),
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

/**
 * Default batch cap by the provider that actually runs. On a 2-core CPU merging buys little and
 * large batches can lose: StructBERT-base, 3-label requests of equal length, throughput against
 * one request per run (median of interleaved rounds): int8 1.03 at 2 requests per run, 1.00 at
 * 4, 0.97 at 8; fp32 1.03, 1.05, 1.07. Two requests per run is the safe point; GPUs gain from
 * large batches.
 */
export function defaultMaxBatchPairs(provider: string): number {
  return provider === 'cpu' ? 8 : 64;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface BatchingDecision {
  merge: boolean;
  note: string;
}

/**
 * Whether different requests share a session.run. At fp32 a row's logits do not depend on the
 * batch around it, so merging is exact. At int8, dynamic quantization picks one activation
 * scale per batch (padding included) and fp16 rounds differently: merged, a request's scores
 * would depend on whoever else happened to be in its batch, and the server would no longer
 * match `zsc-bench classify`. So those precisions run each request alone unless the user
 * opts in with --inexact-batching.
 */
export function batchingDecision(requested: boolean, precision: Precision, inexact: boolean): BatchingDecision {
  if (!requested) return { merge: false, note: 'off (--no-batching): one request per session.run' };
  if (precision === 'fp32') return { merge: true, note: 'on: concurrent requests share session.runs; scores are identical to unbatched at fp32' };
  if (inexact) {
    return { merge: true, note: `on (--inexact-batching): at ${precision} a request's scores depend slightly on the batch it shares` };
  }
  return {
    merge: false,
    note: `off at ${precision}: merged requests would change each other's scores (${precision === 'int8' ? 'one activation scale per batch' : 'rounding'}); pass --inexact-batching to merge anyway`,
  };
}

interface Settings {
  profile: Profile | undefined;
  precision: Precision;
  host: string;
  port: number;
  merge: BatchingDecision;
  batchingRequested: boolean;
  inexact: boolean;
  maxBatchPairs: number | undefined;
  maxWaitMs: number;
  maxQueue: number;
  maxTextChars: number;
  hypothesisCache: number;
  allowedHosts: string[];
}

function parseSettings(flags: ServeFlags): Settings {
  const profile = flags.profile === undefined ? undefined : loadProfile(flags.profile);
  const precision = flags.precision === undefined ? (profile?.precision ?? 'fp32') : FIELD.precision.parse(flags.precision, '--precision');
  const inexact = flags.inexactBatching === true;
  return {
    profile,
    precision,
    host: flags.host.trim() === '' ? SERVE_DEFAULTS.host : flags.host.trim(),
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

/** How /api/info names the model: never an absolute path (a folder is named by its last part). */
function modelId(loaded: LoadedModel, spec: string | undefined): string {
  if (loaded.model.synthetic) return `synthetic:${loaded.model.arch ?? 'unknown'}`;
  const value = spec ?? loaded.model.dir;
  return existsSync(value) ? basename(resolve(value)) : value;
}

/** `zsc-bench serve`: the page and JSON API until SIGTERM/SIGINT, then a graceful drain. */
export async function serveCommand(flags: ServeFlags, io: Io): Promise<ExitCode> {
  const settings = parseSettings(flags);
  const { profile, precision } = settings;
  const providers = flags.provider === undefined ? (profile?.executionProviders ?? ['cpu']) : FIELD.provider.parse(flags.provider, '--provider');
  const progress = (message: string) => io.err(`${io.errStyle.dim(message)}\n`);
  const note = (message: string) => io.err(`${io.errStyle.yellow(`note: ${message}`)}\n`);
  const modelSpec = flags.model ?? profile?.model;
  const modelDir = await resolveModelDir(modelSpec, precision, progress, '--model');
  const threads = flags.threads === undefined ? profile?.intraOpThreads : FIELD.threads.parse(flags.threads, '--threads');
  const allowFallback = flags.allowFallback === true;
  checkThreads(threads, flags.threads === undefined ? `profile ${profile?.name ?? ''}: field "intraOpThreads"` : '--threads');

  const [{ engine, loaded }, sha256] = await Promise.all([
    WorkerEngine.start(
      {
        classifier: {
          model: modelDir,
          precision,
          hypothesisCacheLimit: settings.hypothesisCache,
          ...(profile !== undefined ? sessionSettingsOf({ ...profile, intraOpThreads: threads }, allowFallback) : { allowFallback, ...(threads !== undefined ? { intraOpThreads: threads } : {}) }),
          providers,
        },
      },
      progress,
      (reason) => io.err(`${io.errStyle.red('error:')} model worker crashed (${reason}); restarting it\n`),
    ),
    // Hashing a 400 MB file takes a second or two: overlap it with loading the model.
    sha256File(join(modelDir, 'onnx', MODEL_FILE_BY_PRECISION[precision])).catch(() => ''),
  ]);

  const limits = { ...requestLimits(settings.maxTextChars), maxQueue: settings.maxQueue };
  const maxBatchPairs = settings.maxBatchPairs ?? defaultMaxBatchPairs(loaded.provider);
  const batcher = new Batcher(engine, { merge: settings.merge.merge, maxBatchPairs, maxWaitMs: settings.maxWaitMs, maxQueue: settings.maxQueue });
  const baseInfo: Omit<ApiInfo, 'hypothesisCache'> = {
    tool: 'zsc-bench',
    toolVersion: toolVersion(),
    profile: profile?.name ?? null,
    model: { id: modelId(loaded, modelSpec), arch: loaded.model.arch ?? null, modelType: loaded.model.modelType, sha256, maxLength: loaded.model.maxLength },
    precision,
    provider: describeActualProvider(loaded.provider, loaded.placement ?? undefined),
    requestedProvider: loaded.requestedProvider,
    fallback: loaded.fallback,
    providerPlacement: loaded.placement,
    providerPlacementNote: loaded.placementNote,
    synthetic: loaded.model.synthetic,
    syntheticNote: syntheticNote(loaded.model) ?? null,
    defaultTemplate: profile?.template ?? DEFAULT_TEMPLATE,
    batching: {
      enabled: settings.merge.merge,
      requested: settings.batchingRequested,
      inexact: settings.inexact,
      maxBatchPairs,
      maxWaitMs: settings.maxWaitMs,
      maxPaddingOverhead: MAX_PADDING_OVERHEAD,
      note: settings.merge.note,
    },
    limits,
  };
  const server = new ClassifierServer({
    batcher,
    limits,
    loaded,
    info: () => ({ ...baseInfo, hypothesisCache: engine.hypothesisCache ?? null }),
    engineStatus: () => engine.status,
    onError: (message) => io.err(`${io.errStyle.red('error:')} ${message}\n`),
    allowedHosts: settings.allowedHosts,
  });
  let url: string;
  try {
    url = await server.listen(settings.port, settings.host);
  } catch (error) {
    await engine.close();
    throw error;
  }

  // The node process's own id: `npx` runs node as a child that a signal to npm never reaches.
  const pidFile = flags.pidFile === undefined ? undefined : resolve(flags.pidFile);
  if (pidFile !== undefined) {
    try {
      writeFileAtomic(pidFile, `${process.pid}\n`);
    } catch (error) {
      await server.close();
      await engine.close();
      throw new UsageError(`--pid-file: cannot write '${pidFile}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  io.err(`zsc-bench serve: listening on ${url}${pidFile === undefined ? '' : ` (pid ${process.pid} in ${pidFile})`}\n`);
  io.err(
    `${io.errStyle.dim(`model ${baseInfo.model.id} (${precision}) · provider ${loaded.provider} · batching ${settings.merge.note} · max ${maxBatchPairs} pairs/batch, wait ≤ ${settings.maxWaitMs} ms · queue ≤ ${settings.maxQueue}`)}\n`,
  );
  if (loaded.fallback !== null) note(fallbackNote(loaded.fallback));
  if (loaded.placementNote !== null) note(loaded.placementNote);
  if (baseInfo.syntheticNote !== null) note(baseInfo.syntheticNote);
  if (!LOOPBACK.has(settings.host)) note(`listening on ${settings.host}: other machines can reach this server, and the API has no authentication`);

  const signal = await untilSignal();
  io.err(`${signal}: draining (${batcher.queued} queued, ${batcher.inFlight} running)…\n`);
  await server.close();
  await engine.close();
  if (pidFile !== undefined) rmSync(pidFile, { force: true });
  io.err('stopped\n');
  return EXIT.ok;
}
