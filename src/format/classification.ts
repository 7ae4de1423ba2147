import type { ClassifyResult, ModelInfo } from '../core/classifier.js';
import type { Fallback } from '../core/session.js';
import type { Style } from './style.js';
import { bar, displayWidth, formatMs, padEndDisplay } from './text.js';
import { fallbackNote, syntheticNote } from './notes.js';

export interface ClassificationView {
  result: ClassifyResult;
  model: ModelInfo;
  provider: string;
  fallback?: Fallback;
}

const BAR_WIDTH = 30;

/** Scores this close are the same score (the web page uses the same tolerance). */
export const TIE_TOLERANCE = 1e-6;

/** The labels that share the best score, when more than one does (ranked order: best first). */
export function tiedBest(result: Pick<ClassifyResult, 'labels' | 'scores'>): string[] {
  const best = result.scores[0];
  if (best === undefined) return [];
  const tied = result.labels.filter((_label, index) => best - (result.scores[index] ?? Number.NEGATIVE_INFINITY) <= TIE_TOLERANCE);
  return tied.length > 1 ? tied : [];
}

export function describeModel(model: ModelInfo): string {
  const name = model.synthetic ? `synthetic ${model.arch ?? model.modelType}` : model.dir;
  return `${name} (${model.precision})`;
}

/** Ranked labels, one line each with a bar, then a line on what ran. */
export function formatClassification(view: ClassificationView, style: Style): string {
  const { result } = view;
  const labelWidth = Math.max(...result.labels.map(displayWidth));
  const tied = tiedBest(result);
  const lines = result.labels.map((label, index) => {
    const score = result.scores[index] ?? 0;
    const line = `${padEndDisplay(label, labelWidth)}  ${padEndDisplay(bar(score, BAR_WIDTH), BAR_WIDTH)}  ${score.toFixed(4)}`;
    // Only a sole best label is bold: tied best labels are not.
    return index === 0 && tied.length === 0 ? style.bold(line) : line;
  });
  const mode = result.multiLabel ? 'multi-label' : 'single-label';
  lines.push(
    style.dim(`${mode} · model ${describeModel(view.model)} · provider ${view.provider} · ${formatMs(result.timings.totalMs)}`),
  );
  return `${lines.join('\n')}\n`;
}

/** Notes that belong on stderr: what the user must know about how far to trust the scores. */
export function classificationNotes(view: ClassificationView, style: Style): string[] {
  const notes: string[] = [];
  const synthetic = syntheticNote(view.model);
  if (synthetic !== undefined) notes.push(style.yellow(`note: ${synthetic}; use --model for a real NLI model`));
  if (view.fallback !== undefined) {
    notes.push(style.yellow(`note: ${fallbackNote(view.fallback)}`));
  }
  const tied = tiedBest(view.result);
  if (tied.length > 0) notes.push(style.yellow(`note: tie: ${tied.join(', ')} score the same (${(view.result.scores[0] ?? 0).toFixed(4)}); no label wins`));
  const truncated = view.result.truncated;
  if (truncated !== undefined) {
    notes.push(
      style.yellow(
        `note: text truncated to ${truncated.premiseTokensKept} of ${truncated.premiseTokens} tokens to fit the model's ${truncated.maxLength}-token limit`,
      ),
    );
  }
  return notes;
}
