import type { Command } from 'commander';
import type { Io } from '../shell/io.js';
import { addFlags, JSON_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { UsageError } from '../base/errors.js';
import { locateModel, type LocatedModel } from '../model-store/source.js';
import { inspectModel } from '../model-store/inspect.js';
import { formatModelInspection } from '../format/model-inspect.js';
import { EXIT, type ExitCode } from '../shell/exit.js';

export const MODEL_INSPECT_FLAGS = { ...JSON_FLAGS };

type ModelInspectFlags = FlagValues<typeof MODEL_INSPECT_FLAGS>;

/** `model inspect`, under the `model` command. */
export function register(model: Command, { io, setExitCode }: CommandContext): void {
  const command = model
    .command('inspect')
    .description('what zsc-bench finds in a model and would do with it, before any run; exit 2 when it would refuse the model')
    .argument('<model>', 'a model folder, synthetic:<arch> or a Hugging Face id (owner/name) already in the cache');
  addFlags(command, MODEL_INSPECT_FLAGS).action(async (model: string, flags: ModelInspectFlags) => setExitCode(await modelInspectCommand(model, flags, io)));
}

/** Inspecting builds and downloads nothing: a cached model not there yet is refused with how to get it. */
function notThereYet(value: string, located: LocatedModel): UsageError {
  if (located.arch !== undefined) {
    return new UsageError(
      `model inspect: ${value} is not built yet (${located.dir}), and inspect builds nothing: classify or run with --model ${value} builds it into the cache; or inspect the folder of \`zsc-bench model build --arch ${located.arch} --out DIR\``,
    );
  }
  return new UsageError(
    `model inspect: '${value}' is not in the cache (${located.dir}), and inspect downloads nothing: classify or run with --model ${value} downloads it (online); or inspect a local copy's folder`,
  );
}

export async function modelInspectCommand(value: string, flags: ModelInspectFlags, io: Io): Promise<ExitCode> {
  const located = locateModel(value, 'model inspect');
  if (!located.present) throw notThereYet(value, located);
  const inspection = inspectModel(located, value);
  io.out(flags.json === true ? `${JSON.stringify(inspection, null, 2)}\n` : formatModelInspection(inspection, io.outStyle));
  // The report is printed either way; the exit code says whether a run would accept the model.
  return inspection.usable ? EXIT.ok : EXIT.usage;
}
