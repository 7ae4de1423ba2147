/**
 * The split a classifier uses when its caller names none: `classify` of the CLI and of the
 * library both go through here, so a library user gets the CLI's speed by default. `auto`
 * calibrates once per session and label count (and per host in the calibration cache, as `run`
 * does); a number or `all` is used as given.
 */
import type { Classifier, ClassifyManyOptions, ClassifyOptions, ClassifyRequest, ClassifyResult } from '../core/classifier.js';
import { DEFAULT_TEMPLATE } from '../core/labels.js';
import type { PairsPerRun } from '../profiles/profile.js';
import { calibratePairsPerRun, pairsCalibrationCacheFile, type PairsCalibration } from './pairs-calibration.js';

export interface SessionSplitOptions {
  /** Default `auto`. */
  pairsPerRun?: PairsPerRun;
  /** Where `auto` calibrations are cached; default beside the built models ($ZSC_BENCH_HOME). */
  calibrationCacheFile?: string;
}

/** A classifier whose classify() splits a text's pairs as the session's setting says. */
export class SessionSplitClassifier implements Classifier {
  /** Calibrations made or read by this session, by label count. */
  private readonly calibrations = new Map<number, Promise<PairsCalibration>>();
  private readonly setting: PairsPerRun;
  private readonly cacheFile: string;

  constructor(
    private readonly inner: Classifier,
    options: SessionSplitOptions = {},
  ) {
    this.setting = options.pairsPerRun ?? 'auto';
    this.cacheFile = options.calibrationCacheFile ?? pairsCalibrationCacheFile();
  }

  get model() {
    return this.inner.model;
  }
  get provider() {
    return this.inner.provider;
  }
  get requestedProvider() {
    return this.inner.requestedProvider;
  }
  get fallback() {
    return this.inner.fallback;
  }
  get intraOpThreads() {
    return this.inner.intraOpThreads;
  }
  get threadsReason() {
    return this.inner.threadsReason;
  }
  get sessionVariant() {
    return this.inner.sessionVariant;
  }
  get hypothesisCache() {
    return this.inner.hypothesisCache;
  }

  /** Most pairs per run for `labels` on this text (undefined: all in one run). */
  async pairsPerRunFor(text: string, labels: readonly string[], template?: string): Promise<number | undefined> {
    if (this.setting === 'all') return undefined;
    if (this.setting !== 'auto') return this.setting;
    let calibration = this.calibrations.get(labels.length);
    if (calibration === undefined) {
      calibration = calibratePairsPerRun(this.inner, { text, labels, labelCounts: [labels.length], template: template ?? DEFAULT_TEMPLATE, cacheFile: this.cacheFile });
      this.calibrations.set(labels.length, calibration);
      // A refused text must not leave a failed calibration behind for the next one.
      calibration.catch(() => this.calibrations.delete(labels.length));
    }
    return (await calibration).pairsPerRun;
  }

  async classify(text: string, labels: readonly string[], options: ClassifyOptions = {}): Promise<ClassifyResult> {
    if (options.pairsPerRun !== undefined) return this.inner.classify(text, labels, options);
    const pairsPerRun = await this.pairsPerRunFor(text, labels, options.template);
    return this.inner.classify(text, labels, { ...options, ...(pairsPerRun !== undefined ? { pairsPerRun } : {}) });
  }

  classifyMany(requests: readonly ClassifyRequest[], options?: ClassifyManyOptions): Promise<ClassifyResult[]> {
    return this.inner.classifyMany(requests, options);
  }
  profilePlacement(text: string, labels: readonly string[], template?: string) {
    return this.inner.profilePlacement(text, labels, template);
  }
  encode(text: string, labels: readonly string[], template?: string) {
    return this.inner.encode(text, labels, template);
  }
  run(...args: Parameters<Classifier['run']>) {
    return this.inner.run(...args);
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
