/**
 * Flag values: the generic parsers and their bounds, and the parsers of flags only (ports, URLs,
 * levels, SLOs). Parsers of values that profile files hold too (precision, providers, pairs per
 * run, scenario, label lists) stay in models/core/profiles: those layers may not import shell.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { maxThreads } from '../env/cpu-budget.js';
import { MAX_ITEMS, MAX_PROCESSES, MAX_REPEATS } from '../profiles/profile.js';
import { LOAD_LIMITS, MAX_PLAUSIBLE_MS } from '../schema/results.js';
import { MAX_LABELS } from '../core/labels.js';
import type { LevelSpec } from '../load/summary.js';
import { SLO_METRICS, type Slo, type SloMetric } from '../compare/recommend.js';
import type { BaselineSpec } from '../compare/comparison.js';

/**
 * The ranges every numeric flag accepts, in one place. Each bound stops a value that cannot be
 * meant (a run that never ends, a timer Node cannot hold, a table no screen shows), not a
 * value that is merely unusual.
 */
export const BOUNDS = {
  /** Timed runs per item at each label count. */
  repeats: MAX_REPEATS,
  /** Child processes of one run (each loads the model; they run one after another). */
  processes: MAX_PROCESSES,
  /** Untimed runs before each label count. */
  warmupRuns: 1_000,
  /** Items drawn from a dataset (also at most the dataset's size). */
  items: MAX_ITEMS,
  /** Seeds are 32-bit everywhere they are used. */
  seed: 0xffff_ffff,
  /** Load test: seconds per level, warm-up, request timeout (Node timers hold at most ~24.8 days). */
  durationS: LOAD_LIMITS.durationS,
  warmupS: LOAD_LIMITS.warmupS,
  timeoutS: LOAD_LIMITS.timeoutS,
  concurrency: LOAD_LIMITS.concurrency,
  rateRps: LOAD_LIMITS.rateRps,
  /** serve */
  maxBatchPairs: LOAD_LIMITS.maxBatchPairs,
  maxWaitMs: LOAD_LIMITS.maxWaitMs,
  maxQueue: LOAD_LIMITS.maxQueue,
  maxTextChars: 1_000_000,
  hypothesisCache: 1_000_000,
  /** dataset import-thucnews */
  perClass: 1_000_000,
  maxChars: 1_000_000,
} as const;

/**
 * The ceiling of the generic number parsers, so no numeric flag is ever unbounded: a flag with a
 * tighter natural range uses parseIntegerInRange / parseNumberInRange with a bound of BOUNDS.
 */
export const DEFAULT_MAX = 1_000_000;

function refuseAboveMax(number: number, value: string, flag: string, expected: string, max: number): void {
  if (number > max) throw new UsageError(`${flag}: expected ${expected} up to ${max}, got '${value}'`);
}

export function parsePositiveInteger(value: string, flag: string, max = DEFAULT_MAX): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag}: expected a positive whole number, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a positive whole number', max);
  return number;
}

export function parseNonNegativeInteger(value: string, flag: string, max = DEFAULT_MAX): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number)) {
    throw new UsageError(`${flag}: expected a whole number >= 0, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a whole number >= 0', max);
  return number;
}

export function parseList<T>(value: string, flag: string, parseItem: (item: string, flag: string) => T): T[] {
  const items = value.split(/[,，]/).map((item) => item.trim()).filter((item) => item.length > 0);
  if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list, got '${value}'`);
  return items.map((item) => parseItem(item, flag));
}

/** `10%` or `10` (percent) -> 0.1. Anything else names the flag and the expected form. */
export function parsePercentage(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const percent = match === null ? Number.NaN : Number(match[1]);
  if (!Number.isFinite(percent) || percent >= 1000) {
    throw new UsageError(`${flag}: expected a percentage such as 10% (0 to 999), got '${value}'`);
  }
  return percent / 100;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };
/** More memory than any machine this tool measures has (1 TiB); 400 digits read as Infinity. */
const MAX_MEMORY_BYTES = 2 ** 40;

/** A memory size such as `600MB`, `600MiB` or `1.5GB` (decimal and binary units) -> bytes. */
export function parseMemorySize(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(kb|mb|gb|kib|mib|gib)\s*$/i.exec(value);
  const bytes = match === null ? Number.NaN : Number(match[1]) * (SIZE_UNITS[(match[2] as string).toLowerCase()] ?? Number.NaN);
  if (!(bytes >= 1) || bytes > MAX_MEMORY_BYTES) {
    throw new UsageError(`${flag}: expected a memory size above 0 such as 600MB, 600MiB or 1.5GB (up to 1 TiB), got '${value}'`);
  }
  return Math.round(bytes);
}

/** A probability strictly between 0 and 1, such as a significance level. */
export function parseOpenUnitInterval(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = /^\d*\.?\d+(e-?\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(number > 0 && number < 1)) throw new UsageError(`${flag}: expected a number between 0 and 1 (exclusive), such as 0.05, got '${value}'`);
  return number;
}

export function parsePositiveNumber(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag}: expected a positive number, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a positive number', DEFAULT_MAX);
  return number;
}

export function parseNonNegativeNumber(value: string, flag: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(number)) {
    throw new UsageError(`${flag}: expected a number >= 0, got '${value}'`);
  }
  refuseAboveMax(number, value, flag, 'a number >= 0', DEFAULT_MAX);
  return number;
}

/** A whole number within [min, max]; the message names the flag and the range. */
export function parseIntegerInRange(value: string, flag: string, min: number, max: number, why = ''): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}${why}, got '${value}'`);
  }
  return number;
}

/** A decimal number within (0, max] (or [0, max] when zero is allowed). */
export function parseNumberInRange(value: string, flag: string, max: number, options: { zero?: boolean; unit?: string; why?: string } = {}): number {
  const trimmed = value.trim();
  const number = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  const low = options.zero === true ? number >= 0 : number > 0;
  if (!Number.isFinite(number) || !low || number > max) {
    const unit = options.unit === undefined ? '' : ` ${options.unit}`;
    throw new UsageError(`${flag}: expected a number ${options.zero === true ? 'from 0' : 'above 0'} up to ${max}${unit}${options.why ?? ''}, got '${value}'`);
  }
  return number;
}

/** One label count (the reference of compare, report, recommend and load): the same bound as a run's. */
export function parseLabelCount(value: string, flag: string): number {
  return parseIntegerInRange(value, flag, 1, MAX_LABELS);
}

export function parseThreads(value: string, flag: string): number {
  return parseIntegerInRange(value, flag, 1, maxThreads(), ` (4 per logical core; this machine has ${availableParallelism()})`);
}


/** A TCP port to listen on; 0 picks a free one. */
export function parsePort(value: string): number {
  const port = parseNonNegativeInteger(value, '--port');
  if (port > 65535) throw new UsageError(`--port: expected 0 to 65535 (0 picks a free port), got '${value}'`);
  return port;
}

/** A host name or address for --allowed-hosts: letters, digits, dots, dashes, or an IPv6 literal in brackets. */
export function parseHostName(value: string, flag: string): string {
  const name = value.trim().toLowerCase();
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?)$/.test(name)) {
    throw new UsageError(`${flag}: '${value}' is not a host name; expected names like gpu-box.local or 10.0.0.5, separated by commas`);
  }
  return name;
}

export function parseServerUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url: '${value}' is not a URL; expected e.g. http://127.0.0.1:7860`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--url: expected an http:// URL of zsc-bench serve, got '${value}'`);
  url.pathname = url.pathname.replace(/\/+$/, '');
  // zsc-bench serve asks for no password, and the URL is saved in result files and printed: credentials are dropped.
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url;
}

/** Load levels: closed-loop clients per level, or (--rate) open-loop requests per second; one of them. */
export function parseLevels(flags: { concurrency?: string; rate?: string }, defaultConcurrency: string): LevelSpec[] {
  if (flags.rate !== undefined && flags.concurrency !== undefined) {
    throw new UsageError('--rate: the open loop sends at fixed rates and --concurrency sets closed-loop clients; give one of them');
  }
  if (flags.rate !== undefined) return parseList(flags.rate, '--rate', (item, flag) => parseNumberInRange(item, flag, BOUNDS.rateRps, { unit: 'requests per second' })).map((rateRps) => ({ mode: 'open', rateRps }));
  return parseList(flags.concurrency ?? defaultConcurrency, '--concurrency', (item, flag) => parseIntegerInRange(item, flag, 1, BOUNDS.concurrency)).map((concurrency) => ({ mode: 'closed', concurrency }));
}

export function parseSlo(value: string): Slo {
  const match = /^\s*(mean|p50|p95|p99)\s*(<=|<)\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  const limit = match === null ? Number.NaN : Number(match[3]) * ((match[4] ?? 'ms').toLowerCase() === 's' ? 1000 : 1);
  // 400 digits read as Infinity: a limit beyond a day is no objective any run can be held to.
  if (match === null || !(limit > 0) || limit > MAX_PLAUSIBLE_MS) {
    throw new UsageError(`--slo: expected METRIC<LIMIT with METRIC one of ${SLO_METRICS.join(', ')} and LIMIT a positive number of ms or s up to ${MAX_PLAUSIBLE_MS} ms (a day), such as p95<150ms, got '${value}'`);
  }
  const metric = (match[1] as string).toLowerCase() as SloMetric;
  const inclusive = match[2] === '<=';
  return { metric, limitMs: limit, inclusive, text: `${metric}${inclusive ? '<=' : '<'}${limit}ms` };
}

const HOURS_PER = { h: 1, hour: 1, day: 24, month: 730 } as const;
/** A million USD per hour is beyond any fleet a benchmark prices; 400 digits read as Infinity. */
const MAX_BUDGET_PER_HOUR = 1_000_000;

/** `2/h`, `$2/hour`, `48/day`, `1460/month` (730 hours): the most the fleet may cost, in USD per hour. */
export function parseBudget(value: string): number {
  const match = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:usd)?\s*\/\s*(h|hour|day|month)\s*$/i.exec(value);
  const amount = match === null ? Number.NaN : Number(match[1]);
  const perHour = match === null ? Number.NaN : amount / HOURS_PER[(match[2] as string).toLowerCase() as keyof typeof HOURS_PER];
  if (match === null || !(perHour > 0) || perHour > MAX_BUDGET_PER_HOUR) {
    throw new UsageError(`--budget: expected USD per hour, day or month such as 2/h, 48/day or 1460/month, above 0 up to ${MAX_BUDGET_PER_HOUR}/h, got '${value}'`);
  }
  return perHour;
}

const looksLikeFile = (value: string): boolean => /\.csv$/i.test(value) || value.includes('/') || value.includes('\\');

export function parseBaseline(value: string): BaselineSpec {
  if (looksLikeFile(value)) return { kind: 'file', file: resolve(value) };
  const [profile, host, time, extra] = value.split('@').map((part) => part.trim());
  if (profile === undefined || profile === '' || extra !== undefined || host === '' || time === '') {
    throw new UsageError(`--baseline: expected PROFILE, PROFILE@HOST, PROFILE@HOST@TIME or a summary CSV file, got '${value}'`);
  }
  return { kind: 'platform', profile, host, time };
}
