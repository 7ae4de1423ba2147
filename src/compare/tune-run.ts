/**
 * One `zsc-bench tune`: screen settings one dimension at a time, each setting in a fresh child
 * process (its peak RSS is its own: memory freed by an earlier session stays in a process), then
 * prove the winner against the starting profile with the `ab` stage (interleaved passes, a 95%
 * interval per label count). Reports through events; never prints.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDataset, resolveDataset } from '../io/dataset.js';
import { resolveModelDir, SYNTHETIC_PREFIX } from '../model-store/source.js';
import { MODEL_FILE_BY_PRECISION, type Precision } from '../models/precision.js';
import { PROFILE_NAME, type Profile } from '../profiles/profile.js';
import { sessionSettingsOf } from '../profiles/session-settings.js';
import { pairsCalibrationCacheFile } from '../runner/pairs-calibration.js';
import { processPeakRssBytes, runChild, type ProcessResult } from '../runner/processes.js';
import { requireWorkloadFits, selectItems, type BenchItem } from '../runner/workload.js';
import { DEFAULT_SEED } from '../stats/random.js';
import { mean, percentile } from '../stats/statistics.js';
import { AbBenchmark } from './ab-run.js';
import type { AbComparison } from './ab.js';
import type { SloMetric } from './recommend.js';
import { candidatesFor, decideDimension, describeSettings, flipPercent, sameSettings, settingsOf, TUNE_DIMENSIONS, violations, type Constraints, type DimensionDecision, type Screening, type SearchSpace, type TuneDimension, type TuneSettings } from './tune.js';

export interface TuneSpec {
  profile: Profile;
  labelCounts: readonly number[];
  precisions: readonly Precision[];
  /** Intra-op threads tried: 1 to this. */
  maxThreads: number;
  constraints: Constraints;
  /** The statistic the SLO is on (p95 when no SLO is given: shown, not enforced). */
  sloMetric: SloMetric;
  /** Items of every screening process and of each proof pass: the same texts, so the proof checks what the screening saw. */
  items: number;
  proofPairs: number;
  /** Where the proof's A/B CSV goes. */
  outDir: string;
}

/** One screened setting, in the order run: why it ran and what became of it. */
export interface Tried {
  index: number;
  dimension: TuneDimension | 'start' | 'reference';
  /** `current` (the setting a dimension starts from, measured again after its candidates) or `candidate`. */
  role: 'current' | 'candidate' | 'reference';
  description: string;
  screening: Screening;
  verdict: string;
}

export interface TuneProof {
  comparisons: AbComparison[];
  file: string | undefined;
  /** Every label count's interval lies below 1: the winner is faster with the interval's bound. */
  proven: boolean;
}

interface TuneBase {
  start: TuneSettings;
  tried: Tried[];
  /** Processes run to screen; seconds spent screening. */
  screeningSeconds: number;
  /** What was not searched, and why. */
  notSearched: string[];
}

export type TuneOutcome =
  | (TuneBase & { state: 'tuned'; winner: TuneSettings; proof: TuneProof; profile: Profile; adoptedFor: string | undefined; versus: string })
  | (TuneBase & { state: 'kept'; winner: TuneSettings; reason: string; proof: TuneProof | undefined })
  | (TuneBase & { state: 'infeasible'; winner: TuneSettings; kind: 'memory' | 'slo' | 'flips'; message: string })
  | (TuneBase & { state: 'aborted' });

export interface TuneEvents {
  model: [string];
  note: [string];
  screening: [{ index: number; dimension: Tried['dimension']; description: string }];
  screened: [Tried];
  decided: [{ dimension: TuneDimension; decision: DimensionDecision; description: string }];
  proof: [{ comparison: AbComparison }];
}

/**
 * Concurrent single-thread runs (two session.run calls in flight on one session) are not a
 * setting of this binding: onnxruntime-node 1.30 runs session.run on the JS thread (measured: no
 * event-loop tick during a 183 ms run; two calls in flight took 186 ms, one 1-thread run 184 ms).
 */
export const NOT_SEARCHED = [
  'concurrent single-thread runs on one session: onnxruntime-node runs session.run on the JS thread, so two runs in flight take turns (bench:concurrent measures it)',
];

export class TuneRun extends EventEmitter<TuneEvents> {
  private readonly items: BenchItem[];
  private readonly modelDirs = new Map<Precision, string>();
  private readonly tried: Tried[] = [];
  private referenceTops: Map<string, string> | undefined;
  private screeningMs = 0;

  constructor(private readonly spec: TuneSpec) {
    super();
    const { profile } = spec;
    const datasetPath = resolveDataset(profile.dataset);
    const dataset = readDataset(datasetPath);
    requireWorkloadFits({ items: spec.items, labelCounts: spec.labelCounts, profile, datasetPath, datasetSize: dataset.length });
    this.items = selectItems(dataset, spec.items);
  }

  /** The whole tune: screening, then the proof; Ctrl-C ends it with what was screened. */
  async run(signal: AbortSignal): Promise<TuneOutcome> {
    const start = settingsOf(this.spec.profile, this.spec.maxThreads);
    const base = (): TuneBase => ({ start, tried: this.tried, screeningSeconds: this.screeningMs / 1000, notSearched: NOT_SEARCHED });
    const space: SearchSpace = { precisions: await this.availablePrecisions(), maxThreads: this.spec.maxThreads };
    const { constraints } = this.spec;
    try {
      let current = await this.screen(start, 'start', 'current', start, signal);
      this.verdict(current, 'the starting profile');
      let feasibleFrom: TuneSettings | undefined;
      for (const dimension of TUNE_DIMENSIONS) {
        const settings = current.settings;
        const candidates = candidatesFor(dimension, settings, space);
        if (candidates.length === 0) continue;
        const screened: Screening[] = [];
        for (const candidate of candidates) screened.push(await this.screen(candidate, dimension, 'candidate', start, signal));
        const again = await this.screen(settings, dimension, 'current', start, signal);
        const decision = decideDimension([current, again], screened, constraints);
        for (const verdict of decision.verdicts) this.verdict(verdict.screening, verdict.reason, dimension);
        this.verdict(again, decision.winner === again ? `kept (noise ${(decision.margin * 100).toFixed(1)}%)` : 'replaced', dimension);
        if (feasibleFrom === undefined && violations(decision.winner, constraints).length === 0 && violations(current, constraints).length > 0) feasibleFrom = decision.winner.settings;
        current = decision.winner;
        this.emit('decided', { dimension, decision, description: describeSettings(current.settings, start) });
      }
      const winner = current.settings;
      const broken = violations(current, constraints);
      const first = broken[0];
      if (first !== undefined) return { ...base(), state: 'infeasible', winner, kind: first.kind, message: this.infeasibleMessage(first.kind, start) };
      if (sameSettings(winner, start)) return { ...base(), state: 'kept', winner, reason: 'no setting beat the starting profile by more than the screening noise', proof: undefined };
      const startScreens = this.tried.filter((entry) => sameSettings(entry.screening.settings, start)).map((entry) => entry.screening);
      const startBroken = startScreens.flatMap((screening) => violations(screening, constraints));
      const adoptedFor = startBroken.length > 0 ? `the starting profile breaks the constraints (${[...new Set(startBroken.map((violation) => violation.text))].join('; ')})` : undefined;
      // A start that breaks a constraint: the first setting that met them all is what the rest must beat.
      const fix = adoptedFor === undefined ? undefined : (feasibleFrom ?? winner);
      const versus = fix === undefined || sameSettings(fix, winner) ? { settings: start, profile: this.spec.profile } : { settings: fix, profile: this.profileOf(fix, 'fixed') };
      const proof = await this.prove(this.profileOf(winner), versus.profile, signal);
      if (proof === undefined) return { ...base(), state: 'aborted' };
      if (fix !== undefined && !proof.proven && versus.settings !== start) {
        // The other changes were not proven faster than the fix alone: the fix is what is adopted.
        const more = `${adoptedFor}; the further changes (${describeSettings(winner, fix)}) were not proven faster than it, so they are left out`;
        return { ...base(), state: 'tuned', winner: fix, proof, profile: this.profileOf(fix), adoptedFor: more, versus: versus.profile.name };
      }
      const kept = keptReason(proof, adoptedFor);
      if (kept !== undefined) return { ...base(), state: 'kept', winner, reason: kept, proof };
      return { ...base(), state: 'tuned', winner, proof, profile: this.profileOf(winner), adoptedFor, versus: versus.profile.name };
    } catch (error) {
      if (signal.aborted && error === signal.reason) return { ...base(), state: 'aborted' };
      throw error;
    }
  }

  /** A setting as a resolved profile (the starting one with the changed fields), named `<start>-tuned` (or another suffix). */
  profileOf(settings: TuneSettings, suffix = 'tuned'): Profile {
    const { profile } = this.spec;
    const name = `${profile.name}-${suffix}`.slice(0, 64);
    return {
      ...profile,
      name: PROFILE_NAME.test(name) ? name : suffix,
      description: `${profile.name}, ${suffix} by zsc-bench tune`,
      precision: settings.precision,
      intraOpThreads: settings.intraOpThreads,
      pairsPerRun: settings.pairsPerRun,
      executionMode: settings.executionMode,
      prepacking: settings.prepacking,
      cpuMemArena: settings.cpuMemArena,
      memPattern: settings.memPattern,
      graphOptimizationLevel: settings.graphOptimizationLevel,
    };
  }

  private infeasibleMessage(kind: 'memory' | 'slo' | 'flips', start: TuneSettings): string {
    const all = this.tried.map((entry) => entry.screening);
    const { constraints } = this.spec;
    if (kind === 'memory') {
      const smallest = [...all].sort((a, b) => a.peakRssBytes - b.peakRssBytes)[0];
      const budget = constraints.memoryBudgetBytes ?? 0;
      return `no setting fits --memory-budget ${(budget / 2 ** 20).toFixed(0)} MiB: the smallest peak seen was ${smallest === undefined ? '?' : `${(smallest.peakRssBytes / 2 ** 20).toFixed(1)} MiB (${describeSettings(smallest.settings, start)})`}`;
    }
    if (kind === 'slo') {
      const statistic = (screening: Screening) => Math.max(...screening.labelCounts.map((count) => count.sloMs));
      const best = [...all].sort((a, b) => statistic(a) - statistic(b))[0];
      return `no setting meets ${constraints.slo?.text ?? 'the SLO'}; best: ${this.spec.sloMetric} ${best === undefined ? '?' : `${statistic(best).toFixed(0)} ms (${describeSettings(best.settings, start)})`}`;
    }
    return `no setting stays within --max-flips ${constraints.maxFlipPercent}%`;
  }

  private verdict(screening: Screening, verdict: string, dimension?: TuneDimension): void {
    const entry = [...this.tried].reverse().find((candidate) => candidate.screening === screening && (dimension === undefined || candidate.dimension === dimension));
    if (entry === undefined) return;
    entry.verdict = verdict;
    this.emit('screened', entry);
  }

  /** The precisions to try: the start's and those asked for; a model folder without a precision's file drops it (said). */
  private async availablePrecisions(): Promise<Precision[]> {
    const wanted = [...new Set([this.spec.profile.precision, ...this.spec.precisions])];
    const present: Precision[] = [];
    for (const precision of wanted) {
      if (!this.spec.profile.model.startsWith(SYNTHETIC_PREFIX)) {
        const dir = await resolveModelDir(this.spec.profile.model, precision, (message) => this.emit('model', message), '--profile model');
        if (!existsSync(join(dir, 'onnx', MODEL_FILE_BY_PRECISION[precision]))) {
          this.emit('note', `${precision}: ${this.spec.profile.model} has no onnx/${MODEL_FILE_BY_PRECISION[precision]}; not tried`);
          continue;
        }
      }
      present.push(precision);
    }
    return present;
  }

  private async modelDir(precision: Precision): Promise<string> {
    const known = this.modelDirs.get(precision);
    if (known !== undefined) return known;
    const dir = await resolveModelDir(this.spec.profile.model, precision, (message) => this.emit('model', message), '--profile model');
    this.modelDirs.set(precision, dir);
    return dir;
  }

  /** One setting in a fresh process (the same setting screened twice runs twice: that is the noise estimate). */
  private async screen(settings: TuneSettings, dimension: Tried['dimension'], role: Tried['role'], start: TuneSettings, signal: AbortSignal): Promise<Screening> {
    // Flips need the fp32 answers on the same items and label sets: screened once, first (any fp32 screening sets them).
    if (settings.precision !== 'fp32' && this.referenceTops === undefined) await this.screen({ ...settings, precision: 'fp32' }, 'reference', 'reference', start, signal);
    const index = this.tried.length + 1;
    const description = describeSettings(settings, start);
    this.emit('screening', { index, dimension, description });
    const started = performance.now();
    const result = await this.runProcess(settings, signal);
    this.screeningMs += performance.now() - started;
    const tops = topsOf(result);
    if (settings.precision === 'fp32' && this.referenceTops === undefined) this.referenceTops = tops;
    const flips = settings.precision === 'fp32' ? 0 : flipPercent(this.referenceTops ?? new Map(), tops);
    const screening: Screening = {
      settings,
      labelCounts: result.measurements.map((measurement) => {
        const totals = measurement.samples.map((sample) => sample.totalMs);
        return { labels: measurement.labelCount, meanMs: mean(totals), sloMs: sloStatistic(totals, this.spec.sloMetric) };
      }),
      peakRssBytes: processPeakRssBytes(result),
      flipPercent: flips,
    };
    const entry: Tried = { index, dimension, role, description, screening, verdict: role === 'reference' ? 'fp32 answers for the flip count' : '' };
    this.tried.push(entry);
    if (role === 'reference') this.emit('screened', entry);
    return screening;
  }

  private async runProcess(settings: TuneSettings, signal: AbortSignal): Promise<ProcessResult> {
    const { profile } = this.spec;
    const outcome = await runChild(
      {
        modelDir: await this.modelDir(settings.precision),
        precision: settings.precision,
        settings: sessionSettingsOf(this.profileOf(settings), false),
        plan: {
          items: this.items,
          labelCounts: this.spec.labelCounts,
          labelPool: profile.labelPool,
          repeats: 1,
          // The profile's warm-up: with one, a fresh process's first passes ran up to 2x slow on the tiny model.
          warmup: Math.max(1, profile.warmup),
          template: profile.template,
          pairsPerRun: settings.pairsPerRun,
          calibrationCacheFile: pairsCalibrationCacheFile(),
          seed: DEFAULT_SEED,
          offlineBatchSizes: [],
          measureGpuMemory: false,
        },
        process: 1,
        firstPass: 0,
      },
      () => undefined,
      signal,
    );
    if (outcome.state === 'aborted') throw signal.reason;
    if (outcome.state === 'failed') throw new Error(`tune: the screening process of ${describeSettings(settings, settingsOf(profile, this.spec.maxThreads))} failed (${outcome.reason})`);
    return outcome.result;
  }

  /** The `ab` stage: the winner (A) against the starting profile or the constraint fix (B), interleaved, per label count. */
  private async prove(winner: Profile, versus: Profile, signal: AbortSignal): Promise<TuneProof | undefined> {
    const ab = new AbBenchmark({ a: winner, b: versus, items: this.spec.items, pairs: this.spec.proofPairs, labelCounts: this.spec.labelCounts, metric: 'mean', maxRegression: undefined, outDir: this.spec.outDir });
    ab.on('model', (message) => this.emit('model', message));
    ab.on('labelCount', ({ comparison }) => this.emit('proof', { comparison }));
    await ab.open();
    const outcome = await ab.measure(signal);
    if (outcome.state === 'aborted') return undefined;
    return { comparisons: outcome.comparisons, file: outcome.file, proven: provenFaster(outcome.comparisons) };
  }
}

/** The winner is faster with the interval's bound: every label count's 95% interval of tuned/start lies below 1. */
export function provenFaster(comparisons: ReadonlyArray<Pick<AbComparison, 'interval'>>): boolean {
  return comparisons.length > 0 && comparisons.every((comparison) => comparison.interval[1] < 1);
}

/**
 * Why the starting profile is kept after the proof, or undefined when the winner is adopted: it
 * must be proven faster, unless the start breaks a constraint the winner meets (then it is
 * adopted whatever its speed, and the proof's ratio says what that costs).
 */
export function keptReason(proof: Pick<TuneProof, 'proven'>, adoptedFor: string | undefined): string | undefined {
  if (proof.proven || adoptedFor !== undefined) return undefined;
  return 'the A/B proof did not show the winner faster at every label count (an interval reaches 1 or above)';
}

/** The top label of each (label count, item) of a screening (its single pass). */
function topsOf(result: ProcessResult): Map<string, string> {
  return new Map(result.measurements.flatMap((measurement) => measurement.samples.map((sample) => [`${measurement.labelCount}|${sample.itemId}`, sample.predicted] as const)));
}

function sloStatistic(values: readonly number[], metric: SloMetric): number {
  return metric === 'mean' ? mean(values) : percentile(values, Number(metric.slice(1)));
}
