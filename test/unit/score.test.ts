import { describe, expect, it } from 'vitest';
import { nliLabelIds, rankLabels, scoreLabels, softmax } from '../../src/core/score.js';

describe('nliLabelIds', () => {
  it('matches names case-insensitively', () => {
    expect(nliLabelIds({ ENTAILMENT: 0, Neutral: 1, contradiction: 2 }, 'config.json')).toEqual({ entailment: 0, contradiction: 2 });
  });
  it('accepts not_entailment as the contradiction of a two-way head', () => {
    expect(nliLabelIds({ entailment: 1, not_entailment: 0 }, 'config.json')).toEqual({ entailment: 1, contradiction: 0 });
  });
  it('names the file and what it found when entailment is absent', () => {
    expect(() => nliLabelIds({ positive: 0, negative: 1 }, 'm/config.json')).toThrow(
      "m/config.json: label2id has no 'entailment' label (found: positive, negative); expected an NLI head's labels, 'entailment' and 'contradiction' (or 'not_entailment'), in any case",
    );
  });
  it('names the labels as the file spells them', () => {
    expect(() => nliLabelIds({ LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 }, 'm/config.json')).toThrow("label2id has no 'entailment' label (found: LABEL_0, LABEL_1, LABEL_2)");
  });
  it('names the file when contradiction is absent', () => {
    expect(() => nliLabelIds({ entailment: 0, neutral: 1 }, 'm/config.json')).toThrow(
      "m/config.json: label2id has no 'contradiction' or 'not_entailment' label (found: entailment, neutral); expected an NLI head's labels, 'entailment' and 'contradiction' (or 'not_entailment'), in any case",
    );
  });
});

describe('softmax', () => {
  it('gives exact values for simple logits', () => {
    expect(softmax([0, 0])).toEqual([0.5, 0.5]);
    const [a, b] = softmax([Math.log(3), 0]);
    expect(a).toBeCloseTo(0.75, 15);
    expect(b).toBeCloseTo(0.25, 15);
  });
  it('is stable for large logits', () => {
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
  });
});

describe('scoreLabels', () => {
  // Three pairs, classes [entailment, neutral, contradiction].
  const logits = [Math.log(3), 9, 0, 0, 9, 0, Math.log(1 / 4), 9, Math.log(4)];
  const ids = { entailment: 0, contradiction: 2 };

  it('single-label: softmax of entailment logits across labels', () => {
    const scores = scoreLabels(logits, 3, ids, false);
    // exp: 3, 1, 0.25 -> sum 4.25
    expect(scores[0]).toBeCloseTo(3 / 4.25, 15);
    expect(scores[1]).toBeCloseTo(1 / 4.25, 15);
    expect(scores[2]).toBeCloseTo(0.25 / 4.25, 15);
  });
  it('multi-label: softmax of [contradiction, entailment] per label, neutral ignored', () => {
    const scores = scoreLabels(logits, 3, ids, true);
    expect(scores[0]).toBeCloseTo(3 / 4, 15);
    expect(scores[1]).toBeCloseTo(0.5, 15);
    expect(scores[2]).toBeCloseTo(0.25 / 4.25, 15);
  });
  it('a lone label is scored per label, as the Hugging Face pipeline does', () => {
    expect(scoreLabels([Math.log(3), 0, 0], 3, ids, false)[0]).toBeCloseTo(0.75, 15);
  });
});

describe('rankLabels', () => {
  it('sorts by score descending and keeps input order on ties', () => {
    expect(rankLabels(['a', 'b', 'c', 'd'], [0.1, 0.4, 0.1, 0.4])).toEqual({ labels: ['b', 'd', 'a', 'c'], scores: [0.4, 0.4, 0.1, 0.1] });
  });
});
