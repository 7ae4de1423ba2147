import { describe, expect, it } from 'vitest';
import { syntheticNote, syntheticNoteForId } from '../../src/format/model-notes.js';
import { weightsCell } from '../../src/format/model-cache.js';

describe('notes on synthetic models', () => {
  it('trained weights get no note', () => {
    expect(syntheticNote({ synthetic: false })).toBeUndefined();
    expect(syntheticNoteForId('/models/structbert-zsc', false)).toBeUndefined();
  });
  it('random weights of the real shape: real cost, meaningless scores', () => {
    expect(syntheticNoteForId('synthetic:structbert-base', true)).toBe(
      'synthetic weights (synthetic:structbert-base, deterministic random, no training): the cost per inference is the real architecture\'s, the scores are meaningless',
    );
  });
  it('tiny claims no real cost', () => {
    expect(syntheticNote({ synthetic: true, arch: 'tiny' })).toBe(
      'synthetic weights (synthetic:tiny, random and much smaller than a real model): neither its latency nor its scores say anything about a real model',
    );
  });
  it('the known-answer model is not called random or meaningless', () => {
    const note = syntheticNote({ synthetic: true, arch: 'overlap' }) ?? '';
    expect(note).toMatch(/^known-answer model \(synthetic:overlap, no training\): a label scores by the characters it shares with the text/);
    expect(note).not.toMatch(/random|meaningless/);
    expect(weightsCell({ synthetic: true, arch: 'overlap' })).toBe('synthetic, known answers');
    expect(weightsCell({ synthetic: true, arch: 'structbert-base' })).toBe('synthetic, random');
    expect(weightsCell({ synthetic: false })).toBe('downloaded');
  });
});
