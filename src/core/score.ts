import { UsageError } from '../base/errors.js';

export interface NliLabelIds {
  entailment: number;
  contradiction: number;
}

/**
 * Finds the entailment and contradiction logit positions from a config's label2id, matching
 * names case-insensitively; `not_entailment` counts as contradiction for two-way NLI heads.
 */
export function nliLabelIds(label2id: Readonly<Record<string, number>> | undefined, configFile: string): NliLabelIds {
  const lowered = new Map<string, number>();
  for (const [name, id] of Object.entries(label2id ?? {})) lowered.set(name.toLowerCase(), id);
  const entailment = lowered.get('entailment');
  const contradiction = lowered.get('contradiction') ?? lowered.get('not_entailment');
  // Names as the file spells them, so the user finds them there.
  const found = Object.keys(label2id ?? {}).join(', ') || 'none';
  const expected = "expected an NLI head's labels, 'entailment' and 'contradiction' (or 'not_entailment'), in any case";
  if (entailment === undefined) {
    throw new UsageError(`${configFile}: label2id has no 'entailment' label (found: ${found}); ${expected}`);
  }
  if (contradiction === undefined) {
    throw new UsageError(`${configFile}: label2id has no 'contradiction' or 'not_entailment' label (found: ${found}); ${expected}`);
  }
  return { entailment, contradiction };
}

/** Numerically stable softmax (shifts by the maximum). */
export function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

/**
 * Scores each label from its pair's logits, with the Hugging Face pipeline's semantics:
 * single-label softmaxes the entailment logits across labels; multi-label (and a lone label)
 * softmaxes [contradiction, entailment] per label. Returns scores in the labels' input order.
 */
export function scoreLabels(
  logits: Float32Array | readonly number[],
  classes: number,
  ids: NliLabelIds,
  multiLabel: boolean,
): number[] {
  const pairs = logits.length / classes;
  const logit = (pair: number, id: number): number => logits[pair * classes + id] ?? Number.NaN;
  const perLabel = multiLabel || pairs === 1;
  if (perLabel) {
    return Array.from({ length: pairs }, (_, pair) => {
      const [, entail] = softmax([logit(pair, ids.contradiction), logit(pair, ids.entailment)]);
      return entail ?? Number.NaN;
    });
  }
  return softmax(Array.from({ length: pairs }, (_, pair) => logit(pair, ids.entailment)));
}

export interface RankedLabels {
  labels: string[];
  scores: number[];
}

/** Sorts by score, descending; ties keep input order so output is deterministic. */
export function rankLabels(labels: readonly string[], scores: readonly number[]): RankedLabels {
  const order = labels.map((_, index) => index).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  return { labels: order.map((index) => labels[index] ?? ''), scores: order.map((index) => scores[index] ?? 0) };
}
