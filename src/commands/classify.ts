import type { Io } from '../shell/io.js';
import { parsePositiveInteger } from '../shell/parse.js';
import { loadClassifier } from '../model-store/source.js';
import { parseLabelList, validateTemplate, DEFAULT_TEMPLATE } from '../core/labels.js';
import { parsePrecision } from '../models/precision.js';
import { parseProviderList } from '../core/session.js';
import { parsePairsPerRun } from '../profiles/profile.js';
import { calibratePairsPerRun, pairsCalibrationCacheFile } from '../runner/pairs-calibration.js';
import { classificationNotes, formatClassification } from '../format/classification.js';

export interface ClassifyFlags {
  labels: string;
  model?: string;
  precision: string;
  template: string;
  multiLabel?: boolean;
  provider: string;
  allowFallback?: boolean;
  threads?: string;
  pairsPerRun?: string;
  json?: boolean;
}

export async function classifyCommand(text: string, flags: ClassifyFlags, io: Io): Promise<void> {
  // Check every flag before the (possibly slow) model load, so mistakes fail fast.
  const labels = parseLabelList(flags.labels);
  validateTemplate(flags.template);
  const precision = parsePrecision(flags.precision);
  const providers = parseProviderList(flags.provider);
  const pairsSetting = parsePairsPerRun(flags.pairsPerRun ?? 'all', '--pairs-per-run');
  const json = flags.json === true;
  const classifier = await loadClassifier({
    model: flags.model,
    precision,
    providers,
    allowFallback: flags.allowFallback === true,
    ...(flags.threads !== undefined ? { intraOpThreads: parsePositiveInteger(flags.threads, '--threads') } : {}),
    // Building or downloading a model can take a while: said on stderr even with --json.
    onProgress: (message) => io.err(`${io.errStyle.dim(message)}\n`),
  });
  try {
    const pairsPerRun =
      pairsSetting === 'all'
        ? undefined
        : pairsSetting === 'auto'
          ? (await calibratePairsPerRun(classifier, { text, labels, labelCounts: [labels.length], template: flags.template, cacheFile: pairsCalibrationCacheFile() })).pairsPerRun
          : pairsSetting;
    const result = await classifier.classify(text, labels, { template: flags.template, multiLabel: flags.multiLabel === true, ...(pairsPerRun !== undefined ? { pairsPerRun } : {}) });
    const view = { result, model: classifier.model, provider: classifier.provider, ...(classifier.fallback ? { fallback: classifier.fallback } : {}) };
    if (json) {
      io.out(
        `${JSON.stringify(
          {
            text,
            labels: result.labels,
            scores: result.scores,
            multiLabel: result.multiLabel,
            template: flags.template,
            provider: classifier.provider,
            requestedProvider: classifier.requestedProvider,
            fallback: classifier.fallback ?? null,
            synthetic: classifier.model.synthetic,
            model: classifier.model,
            timings: result.timings,
            truncated: result.truncated ?? null,
          },
          null,
          2,
        )}\n`,
      );
      return;
    }
    io.out(formatClassification(view, io.outStyle));
    for (const note of classificationNotes(view, io.errStyle)) io.err(`${note}\n`);
  } finally {
    await classifier.dispose();
  }
}

export const CLASSIFY_DEFAULTS = { template: DEFAULT_TEMPLATE, precision: 'fp32', provider: 'cpu' } as const;
