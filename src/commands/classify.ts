import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, flag, flagWithDefault, JSON_FLAGS, requiredFlag, switchFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { UsageError } from '../base/errors.js';
import { parseThreads } from '../shell/parse.js';
import { readTextInput, textOrigin } from '../shell/text-input.js';
import { checkCommandLineLength, CommandLineTooLongError } from '../core/session.js';
import { loadClassifier } from '../runner/library.js';
import { parseLabelList, validateTemplate, DEFAULT_TEMPLATE } from '../core/labels.js';
import { parsePrecision } from '../models/precision.js';
import { parseProviderList } from '../core/session.js';
import { parsePairsPerRun } from '../profiles/profile.js';
import { classificationNotes, formatClassification } from '../format/classification.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

const CLASSIFY_DEFAULTS = { template: DEFAULT_TEMPLATE, precision: 'fp32', provider: 'cpu', pairsPerRun: 'auto' } as const;

export const CLASSIFY_FLAGS = {
  textFile: flag('-f, --text-file <file>', 'read the text from a UTF-8 file (- for stdin); long texts must come this way'),
  labels: requiredFlag('-l, --labels <labels>', 'candidate labels, separated by , or ，'),
  model: flag('-m, --model <dir|id>', 'model folder, Hugging Face id, or synthetic:<arch> (default: synthetic:structbert-base)'),
  precision: flagWithDefault('-p, --precision <precision>', 'fp32, fp16 or int8 (selects the ONNX file)', CLASSIFY_DEFAULTS.precision),
  template: flagWithDefault('-t, --template <template>', 'hypothesis template; {} is replaced by the label', CLASSIFY_DEFAULTS.template),
  multiLabel: switchFlag('--multi-label', 'score each label on its own (entailment vs contradiction)'),
  provider: flagWithDefault('--provider <names>', 'execution provider(s) in priority order, e.g. cuda or tensorrt,cuda', CLASSIFY_DEFAULTS.provider),
  allowFallback: switchFlag('--allow-fallback', 'run on CPU when the provider cannot load (reported, never silent)'),
  threads: flag('--threads <n>', 'intra-op threads (default: every core this process may use: affinity, cgroup quota, physical cores)'),
  pairsPerRun: flagWithDefault('--pairs-per-run <n|all|auto>', 'most (text, label) pairs per session.run; auto measures the fastest size once per host', CLASSIFY_DEFAULTS.pairsPerRun),
  ...JSON_FLAGS,
};

export type ClassifyFlags = FlagValues<typeof CLASSIFY_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program
    .command('classify')
    .description('classify one text against candidate labels and show each label\'s score')
    .argument('[text]', 'the text to classify (the NLI premise); - reads it from stdin');
  addFlags(command, CLASSIFY_FLAGS).action(async (text: string | undefined, flags: ClassifyFlags) => setExitCode(await classifyCommand(text, flags, io)));
}

export async function classifyCommand(argument: string | undefined, flags: ClassifyFlags, io: Io): Promise<ExitCode> {
  // Check every flag before the (possibly slow) model load, so mistakes fail fast.
  const origin = textOrigin({ ...(argument !== undefined ? { text: argument } : {}), ...(flags.textFile !== undefined ? { textFile: flags.textFile } : {}) });
  try {
    checkCommandLineLength();
  } catch (error) {
    if (!(error instanceof CommandLineTooLongError) || origin.kind !== 'argument' || Buffer.byteLength(origin.text) < error.bytes / 2) throw error;
    throw new UsageError(
      `text: ${[...origin.text].length} characters on the command line (${error.bytes} bytes in all); ONNX Runtime crashes above about 29 KB: pass long texts with --text-file FILE, or - to read stdin`,
    );
  }
  const labels = parseLabelList(flags.labels, '--labels');
  validateTemplate(flags.template, '--template');
  const precision = parsePrecision(flags.precision, '--precision');
  const providers = parseProviderList(flags.provider, '--provider');
  const pairsSetting = parsePairsPerRun(flags.pairsPerRun ?? CLASSIFY_DEFAULTS.pairsPerRun, '--pairs-per-run');
  const threads = flags.threads === undefined ? undefined : parseThreads(flags.threads, '--threads');
  const json = flags.json === true;
  const text = await readTextInput(origin, io.stdin);
  if (text.trim() === '') throw new UsageError(`${origin.kind === 'file' ? `--text-file ${origin.path}` : origin.kind === 'stdin' ? 'stdin' : 'text'}: empty; expected the text to classify`);
  const classifier = await loadClassifier({
    model: flags.model,
    modelLabel: '--model',
    precision,
    providers,
    allowFallback: flags.allowFallback === true,
    pairsPerRun: pairsSetting,
    ...(threads !== undefined ? { intraOpThreads: threads } : {}),
    // Building or downloading a model can take a while: said on stderr even with --json.
    onProgress: (message) => io.err(`${io.errStyle.dim(message)}
`),
  });
  try {
    const result = await classifier.classify(text, labels, { template: flags.template, multiLabel: flags.multiLabel === true });
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
            fallback: classifier.fallback !== undefined,
            fallbackReason: classifier.fallback?.reason ?? null,
            synthetic: classifier.model.synthetic,
            model: classifier.model,
            timings: result.timings,
            truncated: result.truncated ?? null,
          },
          null,
          2,
        )}\n`,
      );
      return EXIT.ok;
    }
    io.out(formatClassification(view, io.outStyle));
    for (const note of classificationNotes(view, io.errStyle)) io.err(`${note}\n`);
  } finally {
    await classifier.dispose();
  }
  return EXIT.ok;
}
