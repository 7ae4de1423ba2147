/** Programmatic API: the same zero-shot core, benchmark and model builder the CLI uses. */
export { benchmark, loadClassifier, type BenchmarkOptions, type LoadClassifierOptions } from './runner/library.js';
export { Benchmark, type BenchmarkEvents, type BenchmarkOutcome, type BenchmarkSpec, type RunNote } from './runner/benchmark.js';
export type { SummaryRow } from './runner/summary.js';
export { loadProfile, type Profile } from './profiles/profile.js';
export { loadClassifierFromFolder } from './core/classifier.js';
export type { Classifier, ClassifierOptions, ClassifyManyOptions, ClassifyOptions, ClassifyRequest, ClassifyResult, ClassifyTimings, ModelInfo, Truncation } from './core/classifier.js';
export { EnvironmentError, UsageError } from './base/errors.js';
export { DEFAULT_TEMPLATE, MAX_LABELS, parseLabelList } from './core/labels.js';
export { DEFAULT_MODEL } from './model-store/source.js';
export { PRECISIONS, type Precision } from './models/precision.js';
export { scoreLabels, softmax } from './core/score.js';
export { EXECUTION_PROVIDERS, ProviderUnavailableError, type ExecutionProvider } from './core/session.js';
export { ARCHS, buildModel } from './models/build.js';
export type { Arch, BuildOptions, BuildResult } from './models/build.js';
