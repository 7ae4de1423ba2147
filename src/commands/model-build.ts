import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { BOUNDS, parseIntegerInRange, parseList } from '../shell/parse.js';
import { addFlags, choiceFlag, flag, flagWithDefault, JSON_FLAGS, requiredChoiceFlag, switchFlag, type CommandContext, type FlagValues } from '../shell/flags.js';
import { DEFAULT_SEED } from '../stats/random.js';
import { parsePrecision } from '../models/precision.js';
import { ARCHS, buildModel, type Arch } from '../models/build.js';
import { DEFAULT_INTERFACE, resolveInterface, TOKENIZER_KINDS, type TokenizerKind } from '../models/interface.js';
import { formatBytes } from '../format/text.js';
import { syntheticNote } from '../format/notes.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

const MODEL_BUILD_DEFAULTS = { precision: 'fp32,fp16,int8', seed: String(DEFAULT_SEED) } as const;

export const MODEL_BUILD_FLAGS = {
  arch: requiredChoiceFlag<Arch>('--arch <arch>', 'architecture', ARCHS),
  precision: flagWithDefault('--precision <list>', 'precisions to write: fp32,fp16,int8', MODEL_BUILD_DEFAULTS.precision),
  seed: flagWithDefault('--seed <n>', 'weight seed; same seed and arguments give identical files', MODEL_BUILD_DEFAULTS.seed),
  out: flag('-o, --out <dir>', 'output folder (default: models/<arch>-seed<seed>)'),
  // The interfaces of the models users bring (README: Bringing your own NLI model).
  tokenizer: choiceFlag<TokenizerKind>('--tokenizer <kind>', 'wordpiece ([CLS] A [SEP] B [SEP]) or unigram (SentencePiece, <s> A </s></s> B </s>)', TOKENIZER_KINDS, 'wordpiece'),
  head: flagWithDefault('--head <labels>', "the head's labels in id order, e.g. contradiction,neutral,entailment (XLM-R) or entailment,not_entailment", DEFAULT_INTERFACE.headLabels.join(',')),
  tokenTypeIds: switchFlag('--no-token-type-ids', 'a graph without the token_type_ids input (XLM-R, mDeBERTa exports)'),
  fp16Outputs: switchFlag('--fp16-outputs', 'the fp16 file gives float16 logits (an export without keep_io_types)'),
  externalData: switchFlag('--external-data', 'weights in ONNX external data beside each file (onnx/model.onnx_data), as exports over 2 GiB come'),
  ...JSON_FLAGS,
};

export type ModelBuildFlags = FlagValues<typeof MODEL_BUILD_FLAGS>;

/** `model build`, under the `model` command. */
export function register(model: Command, { io, setExitCode }: CommandContext): void {
  const command = model.command('build').description('build a synthetic NLI model (deterministic weights) in the transformers.js layout');
  addFlags(command, MODEL_BUILD_FLAGS).action(async (flags: ModelBuildFlags) => setExitCode(await modelBuildCommand(flags, io)));
}

export async function modelBuildCommand(flags: ModelBuildFlags, io: Io): Promise<ExitCode> {
  // commander has checked --arch against ARCHS.
  const arch = flags.arch;
  const precisions = [...new Set(parseList(flags.precision, '--precision', parsePrecision))];
  const seed = parseIntegerInRange(flags.seed, '--seed', 0, BOUNDS.seed);
  const outDir = resolve(flags.out ?? `models/${arch}-seed${seed}`);
  const json = flags.json === true;
  const started = performance.now();
  const result = await buildModel({
    arch,
    outDir,
    seed,
    precisions,
    outDirLabel: '--out',
    externalData: flags.externalData === true,
    float16Outputs: flags.fp16Outputs === true,
    // Checked here too so errors name the flags.
    interface: resolveInterface(
      { tokenizer: flags.tokenizer, tokenTypeIds: flags.tokenTypeIds !== false, headLabels: flags.head.split(',').map((label) => label.trim()) },
      { head: '--head', tokenizer: '--tokenizer' },
    ),
    onProgress: json ? undefined : (message: string) => io.err(`${io.errStyle.dim(message)}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (json) {
    io.out(`${JSON.stringify({ ...result, synthetic: true, seconds }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`built ${arch} (seed ${seed}) in ${seconds.toFixed(1)} s: ${outDir}`];
  for (const file of result.files) {
    lines.push(`  ${file.path.padEnd(31)} ${formatBytes(file.bytes).padStart(10)}  sha256 ${file.sha256.slice(0, 16)}`);
  }
  io.out(`${lines.join('\n')}\n`);
  io.err(`${io.errStyle.yellow(`note: ${syntheticNote({ synthetic: true, arch })}`)}\n`);
  return EXIT.ok;
}
