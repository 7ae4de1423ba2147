import { MAX_LABELS } from '../core/labels.js';
import { parseProviderList } from '../core/session.js';
import { parsePrecision } from '../models/precision.js';
import { parsePairsPerRun, parseScenario, type Profile } from '../profiles/profile.js';
import { overrideFlag, requiredFlag } from './flags.js';
import { BOUNDS, parseIntegerInRange, parseList, parseThreads } from './parse.js';

/**
 * The flags that override a profile field, shared by the commands that take a profile (run,
 * ab, serve): name, field and parser are declared here once; each command gives its own help
 * text with `described`.
 */
export const PROFILE_FLAG = requiredFlag('--profile <name|path>', 'profile name (see `profiles list`) or a profile JSON file');

/** Label counts: each 1 to MAX_LABELS, duplicates dropped, ascending. */
export function parseLabelCounts(value: string, flag: string): number[] {
  return [...new Set(parseList(value, flag, (item, name) => parseIntegerInRange(item, name, 1, MAX_LABELS)))].sort((a, b) => a - b);
}

export const PROFILE_FIELD_FLAGS = {
  model: overrideFlag<Profile, 'model'>('model', '-m, --model <dir|id>', (value) => value),
  dataset: overrideFlag<Profile, 'dataset'>('dataset', '--dataset <file>', (value) => value),
  items: overrideFlag<Profile, 'items'>('items', '--items <n>', (value, flag) => parseIntegerInRange(value, flag, 1, BOUNDS.items)),
  repeats: overrideFlag<Profile, 'repeats'>('repeats', '--repeats <n>', (value, flag) => parseIntegerInRange(value, flag, 1, BOUNDS.repeats)),
  labels: overrideFlag<Profile, 'labelCounts'>('labelCounts', '--labels <counts>', parseLabelCounts),
  processes: overrideFlag<Profile, 'processes'>('processes', '--processes <n>', (value, flag) => parseIntegerInRange(value, flag, 1, BOUNDS.processes)),
  warmup: overrideFlag<Profile, 'warmup'>('warmup', '--warmup <n>', (value, flag) => parseIntegerInRange(value, flag, 0, BOUNDS.warmupRuns)),
  precision: overrideFlag<Profile, 'precision'>('precision', '-p, --precision <precision>', parsePrecision),
  provider: overrideFlag<Profile, 'executionProviders'>('executionProviders', '--provider <names>', parseProviderList),
  threads: overrideFlag<Profile, 'intraOpThreads'>('intraOpThreads', '--threads <n>', parseThreads),
  pairsPerRun: overrideFlag<Profile, 'pairsPerRun'>('pairsPerRun', '--pairs-per-run <n|all|auto>', parsePairsPerRun),
  scenario: overrideFlag<Profile, 'scenario'>('scenario', '--scenario <name>', parseScenario),
} as const;
