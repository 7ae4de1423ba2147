import { Command, CommanderError, Option } from 'commander';
import { CLASSIFY_DEFAULTS, classifyCommand } from '../commands/classify.js';
import { MODEL_BUILD_DEFAULTS, modelBuildCommand } from '../commands/model-build.js';
import { isUsageError } from '../core/errors.js';
import { toolVersion } from '../env/package.js';
import { ARCHS } from '../models/build.js';
import { processIo, type Io } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function buildProgram(io: Io): Command {
  const program = new Command('zsc-bench')
    .description('Benchmark Chinese zero-shot (NLI) text classification across hardware')
    .version(toolVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('classify')
    .description('classify one text against candidate labels and show each label\'s score')
    .argument('<text>', 'the text to classify (the NLI premise)')
    .requiredOption('-l, --labels <labels>', 'candidate labels, separated by , or ，')
    .option('-m, --model <dir|id>', 'model folder, Hugging Face id, or synthetic:<arch> (default: synthetic:structbert-base)')
    .option('-p, --precision <precision>', 'fp32, fp16 or int8 (selects the ONNX file)', CLASSIFY_DEFAULTS.precision)
    .option('-t, --template <template>', 'hypothesis template; {} is replaced by the label', CLASSIFY_DEFAULTS.template)
    .option('--multi-label', 'score each label on its own (entailment vs contradiction)')
    .option('--provider <names>', 'execution provider(s) in priority order, e.g. cuda or tensorrt,cuda', CLASSIFY_DEFAULTS.provider)
    .option('--allow-fallback', 'run on CPU when the provider cannot load (reported, never silent)')
    .option('--threads <n>', 'intra-op threads (default: ONNX Runtime\'s, one per physical core)')
    .option('--json', 'print JSON only')
    .action(async (text: string, flags) => classifyCommand(text, flags, io));

  const model = program.command('model').description('build and manage models');
  model
    .command('build')
    .description('build a synthetic NLI model (deterministic weights) in the transformers.js layout')
    .addOption(new Option('--arch <arch>', 'architecture').choices(ARCHS).makeOptionMandatory())
    .option('--precision <list>', 'precisions to write: fp32,fp16,int8', MODEL_BUILD_DEFAULTS.precision)
    .option('--seed <n>', 'weight seed; same seed and arguments give identical files', MODEL_BUILD_DEFAULTS.seed)
    .option('-o, --out <dir>', 'output folder (default: models/<arch>-seed<seed>)')
    .option('--json', 'print JSON only')
    .action(async (flags) => modelBuildCommand(flags, io));

  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage or input error. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message; help and --version are not errors.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (isUsageError(error)) {
      io.err(`${io.errStyle.red('error:')} ${error.message}\n`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? (io.env['ZSC_BENCH_DEBUG'] ? error.stack : error.message) : String(error);
    io.err(`${io.errStyle.red('error:')} ${detail}\n(set ZSC_BENCH_DEBUG=1 for a stack trace; this is likely a zsc-bench bug)\n`);
    return EXIT_FAILURE;
  }
}
