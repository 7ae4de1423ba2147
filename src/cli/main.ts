import { Command, CommanderError } from 'commander';
import { register as registerAb } from '../commands/ab.js';
import { register as registerCheck } from '../commands/check.js';
import { register as registerClassify } from '../commands/classify.js';
import { register as registerCompare } from '../commands/compare.js';
import { register as registerDatasetImport } from '../commands/dataset-import.js';
import { register as registerLoad } from '../commands/load.js';
import { register as registerModelBuild } from '../commands/model-build.js';
import { register as registerModelCache } from '../commands/model-cache.js';
import { register as registerModelInspect } from '../commands/model-inspect.js';
import { register as registerParity } from '../commands/parity.js';
import { register as registerProfiles } from '../commands/profiles.js';
import { register as registerRecommend } from '../commands/recommend.js';
import { register as registerReport } from '../commands/report.js';
import { register as registerRun } from '../commands/run.js';
import { register as registerServe } from '../commands/serve.js';
import { register as registerTune } from '../commands/tune.js';
import { register as registerWebUi } from '../commands/webui.js';
import { toolVersion } from '../env/package.js';
import { processIo, type Io } from '../shell/io.js';
import { reportInterrupts } from '../shell/interrupt.js';
import type { CommandContext } from '../shell/flags.js';
import { EXIT, EXIT_CODES_HELP, failureOf, type ExitCode } from '../shell/exit.js';

/** The program: each command declares and registers its own flags; the order here is the order help lists them. */
function buildProgram(io: Io, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('zsc-bench')
    .description('Benchmark Chinese zero-shot (NLI) text classification across hardware')
    .version(toolVersion())
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  const context: CommandContext = { io, setExitCode };
  registerClassify(program, context);
  const model = program.command('model').description('build synthetic models, inspect a model, list and remove cached ones');
  const cache = program.command('cache').description('the model cache ($ZSC_BENCH_HOME, else $XDG_CACHE_HOME/zsc-bench, else ~/.cache/zsc-bench)');
  registerModelBuild(model, context);
  registerModelInspect(model, context);
  registerModelCache(model, cache, context);
  registerRun(program, context);
  registerCompare(program, context);
  registerReport(program, context);
  registerRecommend(program, context);
  registerCheck(program, context);
  registerParity(program, context);
  registerAb(program, context);
  registerTune(program, context);
  registerServe(program, context);
  registerLoad(program, context);
  registerWebUi(program, context);
  registerProfiles(program, context);
  registerDatasetImport(program, context);
  // What a script or CI job can act on, under every command's help.
  const withExitCodes = (command: Command): void => {
    if (command.commands.length === 0 || command === program) command.addHelpText('after', `\n${EXIT_CODES_HELP.trimEnd()}`);
    command.commands.forEach(withExitCodes);
  };
  withExitCodes(program);
  return program;
}

/** Runs the CLI and returns the exit code (README "Exit codes"; src/shell/exit.ts). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<ExitCode> {
  let commandExitCode: ExitCode = EXIT.ok;
  const program = buildProgram(io, (code) => (commandExitCode = code));
  const stopReportingInterrupts = reportInterrupts(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return commandExitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message; help and --version are not errors.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const failure = failureOf(error, Boolean(io.env['ZSC_BENCH_DEBUG']));
    io.err(failure.interrupted === true ? `${failure.message}\n` : `${io.errStyle.red('error:')} ${failure.message}\n`);
    if (failure.bug) io.err('(set ZSC_BENCH_DEBUG=1 for a stack trace; this is likely a zsc-bench bug)\n');
    return failure.code;
  } finally {
    stopReportingInterrupts();
  }
}
