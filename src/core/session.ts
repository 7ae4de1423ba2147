import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { EnvironmentError, UsageError } from '../base/errors.js';
import { parseOrtProfile, type ProviderPlacement } from './placement.js';
import { cpuBudget } from '../env/cpu-budget.js';
import { commandLineBytes } from '../env/command-line.js';

/** Execution providers onnxruntime-node can be asked for by name (web-only ones left out). */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'qnn', 'xnnpack', 'nnapi'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

export type ProviderOptions = Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;

export const EXECUTION_MODES = ['sequential', 'parallel'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/**
 * ONNX Runtime's memory knobs, each absent = its default (on): weight prepacking (faster
 * kernels, a second copy of the weights), the CPU memory arena, and memory-pattern planning.
 */
export interface MemorySettings {
  prepacking?: boolean;
  cpuMemArena?: boolean;
  memPattern?: boolean;
}

/**
 * The session settings besides threads and provider that change its speed, in words, only where
 * they differ from ONNX Runtime's defaults ('' for a default session): what a cached measurement
 * made on one session (the pairs-per-run calibration) must match to be reused on another.
 */
export function sessionVariant(settings: Pick<SessionSettings, 'graphOptimizationLevel' | 'executionMode' | 'memory'>): string {
  const memory = settings.memory ?? {};
  return [
    settings.graphOptimizationLevel !== undefined && settings.graphOptimizationLevel !== 'all' ? `graph=${settings.graphOptimizationLevel}` : undefined,
    settings.executionMode === 'parallel' ? 'parallel' : undefined,
    memory.prepacking === false ? 'no-prepacking' : undefined,
    memory.cpuMemArena === false ? 'no-arena' : undefined,
    memory.memPattern === false ? 'no-mem-pattern' : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join(',');
}

/** What a session runs with when a memory setting or the execution mode is left unset: ONNX Runtime's defaults. */
export const SESSION_DEFAULTS = { prepacking: true, cpuMemArena: true, memPattern: true, executionMode: 'sequential' } as const satisfies Required<MemorySettings> & { executionMode: ExecutionMode };

export interface SessionSettings {
  /** In priority order; ONNX Runtime always adds the CPU provider for nodes others cannot run. */
  providers: readonly ExecutionProvider[];
  providerOptions?: ProviderOptions;
  intraOpThreads?: number;
  interOpThreads?: number;
  graphOptimizationLevel?: GraphOptimizationLevel;
  executionMode?: ExecutionMode;
  memory?: MemorySettings;
  /** Run on CPU when a requested provider cannot load, and say so in `fallback`. */
  allowFallback?: boolean;
}

export interface Fallback {
  from: string;
  reason: string;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  /** The providers that were actually registered, e.g. `cuda`, `tensorrt+cuda` or `cpu`. */
  provider: string;
  requestedProvider: string;
  fallback?: Fallback;
  /** The intra-op thread count the session was created with: the caller's, else decided here. */
  intraOpThreads: number;
  /** Why that count: `set by the caller`, or the CPU budget's reasoning. */
  threadsReason: string;
}

const PROVIDER_TITLES: Readonly<Record<ExecutionProvider, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  tensorrt: 'TensorRT',
  dml: 'DirectML',
  coreml: 'CoreML',
  webgpu: 'WebGPU',
  qnn: 'QNN',
  xnnpack: 'XNNPACK',
  nnapi: 'NNAPI',
};

// ORT logs provider-loading failures to stderr on its own; we report them in one line instead.
ort.env.logLevel = 'fatal';

/** The requested provider cannot load on this machine; `allowFallback` runs on the CPU instead (recorded as a fallback). */
export class ProviderUnavailableError extends EnvironmentError {
  override readonly name = 'ProviderUnavailableError';
  constructor(
    readonly provider: string,
    readonly reason: string,
  ) {
    super(`${providerTitle(provider)} execution provider unavailable (${reason})`);
  }
}

export function providerTitle(provider: string): string {
  return PROVIDER_TITLES[provider as ExecutionProvider] ?? provider;
}

export function parseProvider(value: string, where: string): ExecutionProvider {
  const name = value.trim().toLowerCase();
  if ((EXECUTION_PROVIDERS as readonly string[]).includes(name)) return name as ExecutionProvider;
  const hint = name.includes('hailo')
    ? ' (ONNX Runtime has no Hailo execution provider; the pi5-hailo8 profile runs INT8 on the CPU)'
    : '';
  throw new UsageError(`${where}: unknown execution provider '${value}'${hint}; expected one of ${EXECUTION_PROVIDERS.join(', ')}`);
}

export function parseProviderList(value: string, where: string): ExecutionProvider[] {
  const providers = value.split(/[,+]/).filter((part) => part.trim().length > 0).map((part) => parseProvider(part, where));
  if (providers.length === 0) throw new UsageError(`${where}: no execution provider given; expected e.g. cpu or cuda`);
  return providers;
}

/**
 * Opens a session on the requested providers. ONNX Runtime does not fall back by itself when a
 * provider library is missing (['cuda', 'cpu'] throws), so a failure is reported, or, when the
 * caller allows it, retried on CPU and recorded as a fallback: never a silent CPU run.
 */
export async function openSession(modelPath: string, requestedSettings: SessionSettings): Promise<OpenedSession> {
  checkCommandLineLength();
  checkThreadCount(requestedSettings.intraOpThreads, 'intra-op threads');
  checkThreadCount(requestedSettings.interOpThreads, 'inter-op threads');
  const requested = requestedSettings.providers.length > 0 ? requestedSettings.providers : (['cpu'] as const);
  // Never ONNX Runtime's guess: it ran one thread on some 2-core hosts and two on others.
  const budget = requestedSettings.intraOpThreads === undefined ? cpuBudget() : undefined;
  const threads = { intraOpThreads: requestedSettings.intraOpThreads ?? budget?.threads ?? 1, threadsReason: budget === undefined ? 'set by the caller' : `auto: ${budget.reason}` };
  const settings: SessionSettings = { ...requestedSettings, intraOpThreads: threads.intraOpThreads };
  const requestedProvider = describeProviders(requested);
  const accelerated = requested.filter((provider) => provider !== 'cpu');
  try {
    const session = await ort.InferenceSession.create(modelPath, sessionOptions(requested, settings));
    return { session, provider: requestedProvider, requestedProvider, ...threads };
  } catch (error) {
    if (accelerated.length === 0) throw modelLoadError(modelPath, error);
    // Tell a missing provider from a broken model: if CPU cannot load the file either, the model is at fault.
    let cpuSession: ort.InferenceSession;
    try {
      cpuSession = await ort.InferenceSession.create(modelPath, sessionOptions(['cpu'], settings));
    } catch (cpuError) {
      throw modelLoadError(modelPath, cpuError);
    }
    const failed = accelerated[0] ?? 'cpu';
    const reason = providerFailureReason(failed, error);
    if (settings.allowFallback !== true) {
      await cpuSession.release();
      throw new ProviderUnavailableError(failed, reason);
    }
    return { session: cpuSession, provider: 'cpu', requestedProvider, fallback: { from: requestedProvider, reason }, ...threads };
  }
}

/**
 * onnxruntime-node 1.30 segfaults (exit 139, no message) while creating a session when the
 * process's command line is longer than about 29 KB: 28,816 bytes worked and 29,016 crashed
 * here, whatever the arguments were. Nothing can be done about it once the process runs, so
 * a session is never created past this (safe) limit: the caller gets one line instead.
 */
export const MAX_COMMAND_LINE_BYTES = 28_000;

export class CommandLineTooLongError extends UsageError {
  constructor(readonly bytes: number) {
    super(
      `the command line is ${bytes} bytes; ONNX Runtime crashes creating a session above about 29 KB, so nothing longer than ${MAX_COMMAND_LINE_BYTES} runs: pass long texts in a file (classify --text-file FILE, or - for stdin)`,
    );
  }
}

/**
 * The last line of defence for every way a thread count arrives (flags, profiles, the library):
 * more than four per logical core only queue behind each other (2000 took 39 s per
 * classification on 2 cores, 99999 never finished).
 */
export function checkThreadCount(threads: number | undefined, what: string): void {
  const most = 4 * availableParallelism();
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1 || threads > most)) {
    throw new UsageError(`${what}: ${threads}; expected 1 to ${most} on this machine (4 per logical core)`);
  }
}

export function checkCommandLineLength(bytes = commandLineBytes()): void {
  if (bytes > MAX_COMMAND_LINE_BYTES) throw new CommandLineTooLongError(bytes);
}

function describeProviders(providers: readonly string[]): string {
  const named = providers.filter((provider) => provider !== 'cpu');
  return named.length > 0 ? named.join('+') : 'cpu';
}

/**
 * Runs `feeds` once on a separate session opened like the real one but with ONNX Runtime's
 * profiler on, and returns where each kernel ran. A separate session keeps the profiler's cost
 * out of the measured session (its cold start included); it is released before returning.
 */
export async function profilePlacement(modelPath: string, providers: readonly ExecutionProvider[], settings: SessionSettings, feeds: Record<string, ort.Tensor>): Promise<ProviderPlacement> {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-bench-profile-'));
  try {
    const session = await ort.InferenceSession.create(modelPath, { ...sessionOptions(providers, settings), enableProfiling: true, profileFilePrefix: join(dir, 'profile') });
    try {
      await session.run(feeds);
      // The binding does not return the file name: the folder holds only this session's file.
      session.endProfiling();
    } finally {
      await session.release();
    }
    const file = readdirSync(dir).find((name) => name.endsWith('.json'));
    if (file === undefined) throw new Error('ONNX Runtime wrote no profile file');
    return parseOrtProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sessionOptions(providers: readonly ExecutionProvider[], settings: SessionSettings): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: providers.map((name) => ({ ...(settings.providerOptions?.[name] ?? {}), name })),
    graphOptimizationLevel: settings.graphOptimizationLevel ?? 'all',
    logSeverityLevel: 3,
  };
  if (settings.intraOpThreads !== undefined) options.intraOpNumThreads = settings.intraOpThreads;
  if (settings.interOpThreads !== undefined) options.interOpNumThreads = settings.interOpThreads;
  if (settings.executionMode !== undefined) options.executionMode = settings.executionMode;
  const memory = settings.memory ?? {};
  if (memory.cpuMemArena !== undefined) options.enableCpuMemArena = memory.cpuMemArena;
  if (memory.memPattern !== undefined) options.enableMemPattern = memory.memPattern;
  // A session config entry, not a SessionOptions field: onnxruntime-node passes `extra.session.*` through.
  if (memory.prepacking === false) options.extra = { session: { disable_prepacking: '1' } };
  return options;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).replace(/\s+/g, ' ').trim();
}

function modelLoadError(modelPath: string, error: unknown): UsageError {
  return new UsageError(`${modelPath}: ONNX Runtime could not load the model (${firstLine(error)})`);
}

/** The binding's folder, where CUDA/TensorRT provider libraries land when installed. */
function ortBinaryFolder(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('onnxruntime-node/package.json');
    return join(dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/**
 * Why a provider certainly cannot load here, found without opening a session (and so without
 * building or reading a model first): its provider library is not installed. Undefined when it
 * may load; only opening a session can tell for sure.
 */
export function missingProviderLibrary(provider: ExecutionProvider): string | undefined {
  if (provider === 'cpu') return undefined;
  // Backends this onnxruntime-node build knows at all (cuda and tensorrt are listed, unbundled, on linux x64).
  const known = typeof ort.listSupportedBackends === 'function' ? ort.listSupportedBackends().map((backend) => backend.name) : undefined;
  if (known !== undefined && !known.includes(provider)) return `not in this onnxruntime-node build for ${process.platform} ${process.arch}`;
  if ((provider !== 'cuda' && provider !== 'tensorrt') || process.platform !== 'linux') return undefined;
  const folder = ortBinaryFolder();
  const library = `libonnxruntime_providers_${provider}.so`;
  if (folder === undefined || existsSync(join(folder, library))) return undefined;
  return `${library} is not installed; reinstall onnxruntime-node with its CUDA binaries (README: GPU machines)`;
}

/**
 * Refuses, before any model is built or read, a provider that certainly cannot load here (the
 * check of `missingProviderLibrary`): the same error opening the session would give, minutes
 * and a model build earlier. CPU is always there.
 */
export function refuseMissingProviders(providers: readonly ExecutionProvider[]): void {
  for (const provider of providers) {
    const missing = missingProviderLibrary(provider);
    if (missing !== undefined) throw new ProviderUnavailableError(provider, missing);
  }
}

function providerFailureReason(provider: string, error: unknown): string {
  const reason = firstLine(error);
  if (provider !== 'cuda' && provider !== 'tensorrt') return reason;
  const folder = ortBinaryFolder();
  const library = `libonnxruntime_providers_${provider}.so`;
  if (process.platform === 'linux' && folder !== undefined && !existsSync(join(folder, library))) {
    return `${reason}: ${library} is not installed; reinstall onnxruntime-node with its CUDA binaries (README: GPU machines)`;
  }
  return reason;
}
