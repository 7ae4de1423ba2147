/**
 * Hardware profile files (profiles/*.json): every field once, with its zod check, the words an
 * error uses for what was expected, and whether a resolved profile must have it. The `Profile`
 * type, the per-file checks, the list of required fields and the resolved-profile check all
 * come from this table: a new profile field is one entry here (src/profiles/profile.ts merges
 * `extends` chains and needs no change).
 */
import * as z from 'zod';
import { MAX_LABELS, TEMPLATE_PLACEHOLDER } from '../core/labels.js';
import { EXECUTION_MODES, EXECUTION_PROVIDERS, GRAPH_OPTIMIZATION_LEVELS, type ProviderOptions } from '../core/session.js';
import { PRECISIONS } from '../models/precision.js';

/** required: every resolved profile has it (base.json supplies it); defaulted: filled in when missing; optional: may stay unset. */
type Presence = 'required' | 'defaulted' | 'optional';

interface Field<T extends z.ZodType, P extends Presence> {
  schema: T;
  /** Finishes "expected ..." in an error message; undefined when the schema's own messages say it (one per way to be wrong). */
  expected: string | undefined;
  presence: P;
}

const field = <T extends z.ZodType, P extends Presence>(schema: T, expected: string | undefined, presence: P): Field<T, P> => ({ schema, expected, presence });

const nonEmptyString = z.string().refine((value) => value.trim() !== '');
const positiveInteger = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const isRegExp = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

/** What is wrong with a providerOptions value, or undefined. */
function providerOptionsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an object keyed by provider';
  for (const [provider, options] of Object.entries(value)) {
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(provider)) return `provider names as keys (found "${provider}")`;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) return `an object of options for "${provider}"`;
    if (!Object.values(options as object).every((option) => ['string', 'number', 'boolean'].includes(typeof option))) {
      return `string, number or boolean option values for "${provider}"`;
    }
  }
  return undefined;
}

/** A whole number in [min, max]: every numeric field has a range, like every numeric flag. */
const integerIn = (min: number, max: number) => z.number().int().min(min).max(max);
const integerInWords = (min: number, max: number): string => (min === 1 ? `a positive integer up to ${max}` : `a whole number from ${min} to ${max}`);
/** Threads per session; the machine's own limit (4 per logical core) is checked when a session opens. */
export const MAX_PROFILE_THREADS = 1024;
export const MAX_WARMUP = 1000;
/** Items drawn from a dataset and timed runs per item: the run flags share these bounds. */
export const MAX_ITEMS = 1_000_000;
export const MAX_REPEATS = 10_000;
/** Child processes a run's passes may spread over: each loads the model (seconds, hundreds of MB), one after another. */
export const MAX_PROCESSES = 64;
export const MAX_COST_PER_HOUR = 10_000;
/** More pairs than any batch holds (64 labels per text, 4096 pairs per merged server batch). */
export const MAX_PAIRS_PER_RUN = 4096;
/** A profile's name becomes part of result file names: letters, digits, dot, dash, underscore. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const PAIRS_PER_RUN = z.union([z.literal('auto'), z.literal('all'), integerIn(1, MAX_PAIRS_PER_RUN)]);
/**
 * Most (text, label) pairs per session.run: `auto` measures at load which size is fastest on
 * this hardware (cached), `all` puts every pair of a text into one run, N splits into runs of N.
 */
export type PairsPerRun = z.output<typeof PAIRS_PER_RUN>;
export const PAIRS_PER_RUN_EXPECTED = `"auto", "all" or a positive integer up to ${MAX_PAIRS_PER_RUN}`;

/** `single-stream`: one text at a time (latency, QPS); `offline`: that, then batches of many texts per run (throughput). */
export const SCENARIOS = ['single-stream', 'offline'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const ascending = (values: readonly number[]): boolean => values.every((value, index) => index === 0 || value > (values[index - 1] as number));

export const PROFILE_FIELDS = {
  name: field(z.string().regex(PROFILE_NAME), 'a name of letters, digits, ., - and _ (up to 64, no slashes: it becomes part of file names)', 'defaulted'),
  description: field(z.string(), 'a string', 'defaulted'),
  platform: field(
    z.strictObject(
      {
        arch: z.enum(['x64', 'arm64'], { error: '"arch" x64 or arm64' }).optional(),
        gpuNamePattern: z
          .string({ error: '"gpuNamePattern" as a regular expression string' })
          .refine(isRegExp, { error: '"gpuNamePattern" as a valid regular expression' })
          .optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys' ? `only "arch" and "gpuNamePattern" (found "${issue.keys[0] ?? ''}")` : 'an object like {"arch": "x64", "gpuNamePattern": "A10G"}',
      },
    ),
    undefined,
    'defaulted',
  ),
  executionProviders: field(
    z.array(z.enum(EXECUTION_PROVIDERS)).min(1),
    `a non-empty list of ${EXECUTION_PROVIDERS.join(', ')} (ONNX Runtime has no Hailo provider)`,
    'required',
  ),
  providerOptions: field(
    z.custom<ProviderOptions>((value) => providerOptionsProblem(value) === undefined, { error: (issue) => providerOptionsProblem(issue.input) }),
    undefined,
    'defaulted',
  ),
  precision: field(z.enum(PRECISIONS), `one of ${PRECISIONS.join(', ')}`, 'required'),
  intraOpThreads: field(integerIn(1, MAX_PROFILE_THREADS), integerInWords(1, MAX_PROFILE_THREADS), 'optional'),
  interOpThreads: field(integerIn(1, MAX_PROFILE_THREADS), integerInWords(1, MAX_PROFILE_THREADS), 'optional'),
  graphOptimizationLevel: field(z.enum(GRAPH_OPTIMIZATION_LEVELS), `one of ${GRAPH_OPTIMIZATION_LEVELS.join(', ')}`, 'required'),
  /** ONNX Runtime's execution mode; absent: sequential (its default). */
  executionMode: field(z.enum(EXECUTION_MODES), `one of ${EXECUTION_MODES.join(', ')}`, 'optional'),
  /** Memory for speed (ONNX Runtime defaults, all true, when absent): false trades latency for a smaller peak. */
  prepacking: field(z.boolean(), 'true or false (weight prepacking: faster, a second copy of the weights)', 'optional'),
  cpuMemArena: field(z.boolean(), 'true or false (the CPU memory arena)', 'optional'),
  memPattern: field(z.boolean(), 'true or false (memory-pattern planning)', 'optional'),
  model: field(nonEmptyString, 'a non-empty string', 'required'),
  dataset: field(nonEmptyString, 'a non-empty string', 'required'),
  items: field(integerIn(1, MAX_ITEMS), integerInWords(1, MAX_ITEMS), 'required'),
  repeats: field(integerIn(1, MAX_REPEATS), integerInWords(1, MAX_REPEATS), 'required'),
  warmup: field(integerIn(0, MAX_WARMUP), integerInWords(0, MAX_WARMUP), 'required'),
  /** Fresh processes the passes spread over (at most one per pass); absent: 1, the run's own process. */
  processes: field(integerIn(1, MAX_PROCESSES), integerInWords(1, MAX_PROCESSES), 'optional'),
  labelCounts: field(
    z.array(positiveInteger.max(MAX_LABELS)).min(1).refine(ascending),
    `an ascending list of distinct positive integers up to ${MAX_LABELS}`,
    'required',
  ),
  labelPool: field(
    z.array(nonEmptyString).min(2).refine((labels) => new Set(labels).size === labels.length),
    'a list of two or more distinct non-empty labels',
    'required',
  ),
  template: field(z.string().includes(TEMPLATE_PLACEHOLDER), `a string containing ${TEMPLATE_PLACEHOLDER}`, 'required'),
  pairsPerRun: field(PAIRS_PER_RUN, PAIRS_PER_RUN_EXPECTED, 'required'),
  scenario: field(z.enum(SCENARIOS), `one of ${SCENARIOS.join(', ')}`, 'required'),
  /** Items per session.run tried by the offline scenario. */
  offlineBatchSizes: field(z.array(positiveInteger).min(1).refine(ascending), 'an ascending list of distinct positive integers (items per session.run)', 'required'),
  costPerHour: field(z.number().positive().max(MAX_COST_PER_HOUR), `a positive number (USD per hour) up to ${MAX_COST_PER_HOUR}`, 'optional'),
};

type Fields = typeof PROFILE_FIELDS;

/** What a profile file may also say: its parent, by bundled name or by path relative to the file. */
export const EXTENDS_FIELD = field(nonEmptyString, 'a non-empty string', 'optional');

/** A resolved execution profile: what runs where, and how it is measured. */
export type Profile = { [K in keyof Fields as Fields[K]['presence'] extends 'optional' ? never : K]: z.output<Fields[K]['schema']> } & {
  [K in keyof Fields as Fields[K]['presence'] extends 'optional' ? K : never]?: z.output<Fields[K]['schema']>;
};

/** Fields a resolved profile must have, in declaration order. */
export const REQUIRED_PROFILE_FIELDS = (Object.keys(PROFILE_FIELDS) as Array<keyof Fields>).filter((key) => PROFILE_FIELDS[key].presence === 'required');

/** Older profiles' name for pairsPerRun: "text" is "all", "pair" is 1 (read, never written; see loadProfile). */
export const BATCHING_ALIAS_FIELD = field(z.enum(['text', 'pair']), 'one of text, pair', 'optional');

/**
 * What `zsc-bench tune` measured for each field it changed (field name to a sentence): kept in the
 * file for the reader, not part of the resolved profile.
 */
export const TUNED_FIELD = field(z.record(z.string(), z.string()), 'an object of field names to notes', 'optional');

/** Every field a profile file may have, `extends` first. */
export const PROFILE_FILE_FIELDS: Readonly<Record<string, Field<z.ZodType, Presence>>> = { extends: EXTENDS_FIELD, ...PROFILE_FIELDS, batching: BATCHING_ALIAS_FIELD, tuned: TUNED_FIELD };

/** The check of a whole resolved profile; fields were checked one by one already, this types the result. */
export const RESOLVED_PROFILE = z.object(
  Object.fromEntries(Object.entries(PROFILE_FIELDS).map(([key, spec]) => [key, spec.presence === 'optional' ? spec.schema.optional() : spec.schema])),
) as unknown as z.ZodType<Profile>;
