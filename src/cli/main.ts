import { Command, CommanderError, Option } from 'commander';
import { AB_DEFAULTS, abCommand, type AbFlags } from '../commands/ab.js';
import { AB_METRICS } from '../compare/ab.js';
import { CHECK_DEFAULTS, checkCommand, type CheckFlags } from '../commands/check.js';
import { CLASSIFY_DEFAULTS, classifyCommand, type ClassifyFlags } from '../commands/classify.js';
import { COMPARE_DEFAULTS, compareCommand, type CompareFlags } from '../commands/compare.js';
import { CHECK_METRICS } from '../compare/check.js';
import { DATASET_IMPORT_DEFAULTS, datasetImportCommand, type DatasetImportFlags } from '../commands/dataset-import.js';
import { LOAD_DEFAULTS, loadCommand, type LoadFlags } from '../commands/load.js';
import { MODEL_BUILD_DEFAULTS, modelBuildCommand, type ModelBuildFlags } from '../commands/model-build.js';
import { cacheCleanCommand, modelListCommand, modelRmCommand } from '../commands/model-cache.js';
import { profilesListCommand, profilesShowCommand } from '../commands/profiles.js';
import { RECOMMEND_DEFAULTS, recommendCommand, type RecommendFlags } from '../commands/recommend.js';
import { REPORT_DEFAULTS, reportCommand, type ReportFlags } from '../commands/report.js';
import { RUN_DEFAULTS, runCommand, type RunFlags } from '../commands/run.js';
import { loadProfile } from '../profiles/profile.js';
import { SERVE_DEFAULTS, serveCommand, type ServeFlags } from '../commands/serve.js';
import { WEBUI_DEFAULTS, webUiCommand, type WebUiFlags } from '../commands/webui.js';
import { toolVersion } from '../env/package.js';
import { ARCHS } from '../models/build.js';
import { CHECK_FORMATS } from '../format/check-format.js';
import { COMPARE_FORMATS } from '../format/compare-format.js';
import { RECOMMEND_FORMATS } from '../format/recommend-format.js';
import { processIo, type Io } from '../shell/io.js';
import { reportInterrupts } from '../shell/interrupt.js';

/** The profile every bundled profile extends: its values are the defaults help texts show. */
const BASE_PROFILE = loadProfile('base');
import { EXIT, failureOf, type ExitCode } from '../shell/exit.js';

// Commander hands each action its parsed options untyped (`any`): every action below names the
// flags type that the options declared above it produce, so each command gets a typed object.
type JsonFlag = { json?: boolean };

function buildProgram(io: Io, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('zsc-bench')
    .description('Benchmark Chinese zero-shot (NLI) text classification across hardware')
    .version(toolVersion())
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('classify')
    .description('classify one text against candidate labels and show each label\'s score')
    .argument('[text]', 'the text to classify (the NLI premise); - reads it from stdin')
    .option('-f, --text-file <file>', 'read the text from a UTF-8 file (- for stdin); long texts must come this way')
    .requiredOption('-l, --labels <labels>', 'candidate labels, separated by , or ，')
    .option('-m, --model <dir|id>', 'model folder, Hugging Face id, or synthetic:<arch> (default: synthetic:structbert-base)')
    .option('-p, --precision <precision>', 'fp32, fp16 or int8 (selects the ONNX file)', CLASSIFY_DEFAULTS.precision)
    .option('-t, --template <template>', 'hypothesis template; {} is replaced by the label', CLASSIFY_DEFAULTS.template)
    .option('--multi-label', 'score each label on its own (entailment vs contradiction)')
    .option('--provider <names>', 'execution provider(s) in priority order, e.g. cuda or tensorrt,cuda', CLASSIFY_DEFAULTS.provider)
    .option('--allow-fallback', 'run on CPU when the provider cannot load (reported, never silent)')
    .option('--threads <n>', 'intra-op threads (default: every core this process may use: affinity, cgroup quota, physical cores)')
    .option('--pairs-per-run <n|all|auto>', 'most (text, label) pairs per session.run; auto measures the fastest size once per host', CLASSIFY_DEFAULTS.pairsPerRun)
    .option('--json', 'print JSON only')
    .action(async (text: string | undefined, flags: ClassifyFlags) => setExitCode(await classifyCommand(text, flags, io)));

  const model = program.command('model').description('build synthetic models, list and remove cached ones');
  model
    .command('build')
    .description('build a synthetic NLI model (deterministic weights) in the transformers.js layout')
    .addOption(new Option('--arch <arch>', 'architecture').choices(ARCHS).makeOptionMandatory())
    .option('--precision <list>', 'precisions to write: fp32,fp16,int8', MODEL_BUILD_DEFAULTS.precision)
    .option('--seed <n>', 'weight seed; same seed and arguments give identical files', MODEL_BUILD_DEFAULTS.seed)
    .option('-o, --out <dir>', 'output folder (default: models/<arch>-seed<seed>)')
    .option('--json', 'print JSON only')
    .action(async (flags: ModelBuildFlags) => setExitCode(await modelBuildCommand(flags, io)));
  model
    .command('list')
    .description('list the models in the cache: synthetic or downloaded, ONNX files and sizes')
    .option('--json', 'print JSON only')
    .action(async (flags: JsonFlag) => setExitCode(await modelListCommand(flags, io)));
  model
    .command('rm')
    .description('remove models from the cache (rebuilt or downloaded again when next used)')
    .argument('<names...>', 'models as `model list` names them, e.g. synthetic:structbert-base')
    .option('--json', 'print JSON only')
    .action(async (names: string[], flags: JsonFlag) => setExitCode(await modelRmCommand(names, flags, io)));

  program
    .command('cache')
    .description('the model cache ($ZSC_BENCH_HOME, else $XDG_CACHE_HOME/zsc-bench, else ~/.cache/zsc-bench)')
    .command('clean')
    .description('remove every cached model and unfinished build')
    .option('--json', 'print JSON only')
    .action(async (flags: JsonFlag) => setExitCode(await cacheCleanCommand(flags, io)));

  program
    .command('run')
    .description('benchmark a profile: latency, throughput, memory and CPU over the label sweep')
    .requiredOption('--profile <name|path>', 'profile name (see `profiles list`) or a profile JSON file')
    .option('-m, --model <dir|id>', 'model folder, Hugging Face id or synthetic:<arch> (default: the profile\'s)')
    .option('--dataset <file>', 'dataset CSV with id,label,text (default: the profile\'s)')
    .option('--items <n>', `items to use from the dataset, spread across labels (default: the profile's; base ${BASE_PROFILE.items})`)
    .option('--repeats <n>', `timed runs per item at each label count (default: the profile's; base ${BASE_PROFILE.repeats})`)
    .option('--labels <counts>', `label counts to sweep (default: the profile's; base ${BASE_PROFILE.labelCounts.join(',')})`)
    .option('--warmup <n>', `untimed runs before each label count (default: the profile's; base ${BASE_PROFILE.warmup})`)
    .option('-p, --precision <precision>', `fp32, fp16 or int8 (default: the profile's; base ${BASE_PROFILE.precision})`)
    .option('--provider <names>', `execution provider(s) in priority order, e.g. cuda or tensorrt,cuda (default: the profile's; base ${BASE_PROFILE.executionProviders.join(',')})`)
    .option('--threads <n>', 'intra-op threads (default: the profile\'s, else every core this process may use)')
    .option('--pairs-per-run <n|all|auto>', 'most (text, label) pairs per session.run (default: the profile\'s pairsPerRun); auto measures the fastest size once per host')
    .option('--parity-reference <dir>', 'fp32 model folder to compare an fp16/int8 run with (default: the fp32 file in the run\'s own folder, when there)')
    .option('--no-parity', 'skip the precision parity pass of an fp16/int8 run')
    .option('--scenario <name>', 'single-stream (one text at a time), or offline: that, then every item again in batches of the profile\'s offlineBatchSizes items per run (default: the profile\'s)')
    .option('-o, --out <dir>', 'results folder', RUN_DEFAULTS.out)
    .option('--allow-fallback', 'run on CPU when the profile\'s provider cannot load (marked as fallback)')
    .option('--progress-interval <s>', 'seconds between progress lines when stderr is not a terminal', RUN_DEFAULTS.progressInterval)
    .option('--wide', 'tables with every column (the default fits about 100 columns)')
    .option('--json', 'print JSON only: no table, no progress')
    .action(async (flags: RunFlags) => setExitCode(await runCommand(flags, io)));

  program
    .command('compare')
    .description('merge result CSVs from many machines into the platforms table and the label sweep')
    .argument('<files...>', 'summary CSVs written by `run` (globs allowed; samples are read from beside them)')
    .addOption(new Option('--format <format>', 'output format').choices(COMPARE_FORMATS).default(COMPARE_DEFAULTS.format))
    .option('-o, --out <file>', 'write the output to a file (atomically) instead of stdout')
    .option('--baseline <run>', 'add a column: speed relative to this run (mean latency): PROFILE, PROFILE@HOST, PROFILE@HOST@TIME or its summary CSV file')
    .option('--labels <n>', 'reference label count of the platforms table', COMPARE_DEFAULTS.labels)
    .option('--merge-repeats', 'pool repeated runs of one profile on one host (statistics from their samples)')
    .option('--wide', 'table format: every column (the default fits about 100 columns)')
    .action(async (files: string[], flags: CompareFlags) => setExitCode(await compareCommand(files, flags, io)));

  program
    .command('report')
    .description('write one self-contained HTML file with charts and tables of run, load and webui results')
    .argument('<files...>', 'CSVs of `run`, `load` and `webui` (globs allowed)')
    .option('-o, --out <file>', 'the HTML file to write (atomically)', REPORT_DEFAULTS.out)
    .option('--labels <n>', 'reference label count of the latency, memory and CPU charts', REPORT_DEFAULTS.labels)
    .action(async (files: string[], flags: ReportFlags) => reportCommand(files, flags, io));

  program
    .command('recommend')
    .description('rank platforms for a deployment: latency SLO, instances for a request rate, cost')
    .argument('<files...>', 'summary CSVs of `run` and, for behaviour under load, CSVs of `load` (globs allowed)')
    .requiredOption('--slo <objective>', 'latency objective at the label count, e.g. p95<150ms (mean, p50, p95 or p99; < or <=; ms or s)')
    .option('--labels <n>', 'candidate labels per request', RECOMMEND_DEFAULTS.labels)
    .option('--qps <n>', 'requests per second the deployment must serve (sizes the number of instances)')
    .option('--budget <usd>', 'most the deployment may cost, e.g. 2/h, 48/day or 1460/month (USD)')
    .addOption(new Option('--format <format>', 'output format').choices(RECOMMEND_FORMATS).default(RECOMMEND_DEFAULTS.format))
    .option('-o, --out <file>', 'write the output to a file (atomically) instead of stdout')
    .action(async (files: string[], flags: RecommendFlags) => recommendCommand(files, flags, io));

  program
    .command('check')
    .description('CI regression gate: exit 1 when the current run is slower, significantly and beyond the threshold')
    .requiredOption('--baseline <files...>', 'baseline summary CSV(s): one or more runs per profile (samples beside them)')
    .requiredOption('--current <files...>', 'current summary CSV(s): one or more runs of the same profiles')
    .addOption(new Option('--metric <metric>', 'latency statistic compared').choices(CHECK_METRICS).default(CHECK_DEFAULTS.metric))
    .option('--max-regression <percent>', 'largest tolerated slowdown, e.g. 10%', CHECK_DEFAULTS.maxRegression)
    .option('--alpha <p>', 'one-sided error level: a regression needs the (1 - alpha) lower bound of the ratio above 1', CHECK_DEFAULTS.alpha)
    .option('--run-noise <percent>', 'with one run a side: run-to-run variation assumed (measured on the development VM)', CHECK_DEFAULTS.runNoise)
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default(CHECK_DEFAULTS.format))
    .action(async (flags: CheckFlags) => setExitCode(await checkCommand(flags, io)));

  program
    .command('ab')
    .description('A/B on this machine: alternate passes of two profiles (A B B A ...) and report the latency ratio A/B per label count')
    .requiredOption('--profile <name|path>', 'side A: a profile name or JSON file')
    .requiredOption('--versus <name|path>', 'side B, the reference: a different profile')
    .option('--dataset <file>', "dataset CSV with id,label,text (default: A's)")
    .option('--items <n>', 'items per pass (spread across labels)', AB_DEFAULTS.items)
    .option('--pairs <n>', 'pass pairs per label count (2 or more)', AB_DEFAULTS.pairs)
    .option('--labels <counts>', "label counts, e.g. 3,10 (default: A's sweep)")
    .addOption(new Option('--metric <metric>', 'latency statistic of each pass').choices(AB_METRICS).default(AB_DEFAULTS.metric))
    .option('--max-regression <percent>', 'gate: exit 1 when A is slower than B beyond this, with the whole 95% interval above 1')
    .option('-o, --out <dir>', 'results folder', AB_DEFAULTS.out)
    .option('--json', 'print JSON only: no table, no progress')
    .action(async (flags: AbFlags) => {
      setExitCode(await abCommand(flags, io));
    });

  program
    .command('serve')
    .description('serve the classification page and JSON API, with dynamic batching')
    .option('--host <host>', 'address to listen on (other than loopback, anyone who reaches it can use the API)', SERVE_DEFAULTS.host)
    .option('--port <n>', 'port to listen on; 0 picks a free one', SERVE_DEFAULTS.port)
    .option('-m, --model <dir|id>', 'model folder, Hugging Face id or synthetic:<arch> (default: the profile\'s, else synthetic:structbert-base)')
    .option('--profile <name|path>', 'take model, precision, providers and session settings from a profile')
    .option('-p, --precision <precision>', 'fp32, fp16 or int8 (default: the profile\'s, else fp32)')
    .option('--provider <names>', 'execution provider(s) in priority order (default: the profile\'s, else cpu)')
    .option('--allow-fallback', 'run on CPU when the provider cannot load (reported, never silent)')
    .option('--threads <n>', 'intra-op threads (default: every core this process may use: affinity, cgroup quota, physical cores)')
    .option('--no-batching', 'run every request alone: no merging of concurrent requests')
    .option('--inexact-batching', 'merge requests at fp16/int8 too, where batch composition changes scores slightly')
    .option('--max-batch-pairs <n>', 'most (text, label) pairs in one merged batch (default: 8 on CPU, 64 on GPU providers)')
    .option('--max-wait-ms <n>', 'longest wait for returning clients when the model frees up (0: never wait)', SERVE_DEFAULTS.maxWaitMs)
    .option('--max-queue <n>', 'requests allowed to wait; more are refused with 503 and Retry-After', SERVE_DEFAULTS.maxQueue)
    .option('--max-text-chars <n>', 'longest text accepted (413 beyond)', SERVE_DEFAULTS.maxTextChars)
    .option('--hypothesis-cache <n>', 'tokenized (template, label) hypotheses kept (LRU)', SERVE_DEFAULTS.hypothesisCache)
    .option('--pid-file <file>', 'write the server process\'s id here once listening (removed on exit): `kill $(cat FILE)` drains and stops it')
    .option('--allowed-hosts <names>', 'more host names the API answers to (Host header), e.g. gpu-box.local; by default only the listening address (and localhost on loopback)')
    .action(async (flags: ServeFlags) => {
      setExitCode(await serveCommand(flags, io));
    });

  program
    .command('load')
    .description('measure a running zsc-bench serve: throughput and latency over concurrency levels or request rates')
    .requiredOption('--url <url>', 'the server, e.g. http://127.0.0.1:7860')
    .option('-c, --concurrency <list>', `closed loop: clients per level (default: ${LOAD_DEFAULTS.concurrency})`)
    .option('--rate <list>', 'open loop instead: requests per second per level, sent on schedule')
    .option('--duration <s>', 'seconds measured per level', LOAD_DEFAULTS.duration)
    .option('--warmup <s>', 'unrecorded seconds at each level before measuring', LOAD_DEFAULTS.warmup)
    .option('--labels <n>', 'candidate labels per request (gold label plus distractors)', LOAD_DEFAULTS.labels)
    .option('--dataset <file>', 'texts to send (CSV with id,label,text)', LOAD_DEFAULTS.dataset)
    .option('--timeout <s>', 'a request without an answer by then counts as a timeout', LOAD_DEFAULTS.timeout)
    .option('-o, --out <dir>', 'results folder', LOAD_DEFAULTS.out)
    .option('--progress-interval <s>', 'seconds between progress lines when stderr is not a terminal', LOAD_DEFAULTS.progressInterval)
    .option('--wide', 'the table with every column (the default fits about 100 columns)')
    .option('--json', 'print JSON only: no table, no progress')
    .action(async (flags: LoadFlags) => setExitCode(await loadCommand(flags, io)));

  program
    .command('webui')
    .description('measure the web page of a running zsc-bench serve in headless Chromium: page load, Classify to bars, long tasks')
    .requiredOption('--url <url>', 'the server, e.g. http://127.0.0.1:7860')
    .option('--pages <list>', 'pages to measure: normal and/or lite (/?lite=1: no animations, transitions, shadows)', WEBUI_DEFAULTS.pages)
    .option('--loads <n>', 'first visits per page, each in a fresh browser context', WEBUI_DEFAULTS.loads)
    .option('--classifications <n>', 'classifications after each load', WEBUI_DEFAULTS.classifications)
    .option('--labels <n>', 'candidate labels per classification', WEBUI_DEFAULTS.labels)
    .option('--dataset <file>', 'texts to classify (CSV with id,label,text)', WEBUI_DEFAULTS.dataset)
    .option('--chromium <path>', `Chromium executable (default: $ZSC_BENCH_CHROMIUM, else ${'/usr/bin/chromium'})`)
    .option('--cpu-slowdown <x>', 'Chromium CPU throttling, e.g. 4 to stand in for a weak device (1: none)', WEBUI_DEFAULTS.cpuSlowdown)
    .option('--timeout <s>', 'longest wait for a page or a classification', WEBUI_DEFAULTS.timeout)
    .option('-o, --out <dir>', 'results folder', WEBUI_DEFAULTS.out)
    .option('--json', 'print JSON only')
    .action(async (flags: WebUiFlags) => {
      setExitCode(await webUiCommand(flags, io));
    });

  const profiles = program.command('profiles').description('list and show execution profiles');
  profiles
    .command('list')
    .description('list the bundled profiles')
    .option('--json', 'print JSON only')
    .action(async (flags: JsonFlag) => setExitCode(await profilesListCommand(flags, io)));
  profiles
    .command('show')
    .description('show a profile after inheritance')
    .argument('<name|path>', 'profile name or JSON file')
    .action(async (name: string) => setExitCode(await profilesShowCommand(name, io)));

  const dataset = program.command('dataset').description('prepare datasets');
  dataset
    .command('import-thucnews')
    .description('draw a stratified sample from a THUCNews folder or cnews-style files')
    .argument('<path>', 'THUCNews root (category/NNN.txt) or cnews file/folder (label<TAB>text)')
    .option('--per-class <n>', 'items per category', DATASET_IMPORT_DEFAULTS.perClass)
    .option('--seed <n>', 'sampling seed', DATASET_IMPORT_DEFAULTS.seed)
    .option('--max-chars <n>', 'cut each text at the sentence end nearest this length', DATASET_IMPORT_DEFAULTS.maxChars)
    .requiredOption('-o, --out <file>', 'output CSV (id,label,text)')
    .action(async (path: string, flags: DatasetImportFlags) => setExitCode(await datasetImportCommand(path, flags, io)));

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
    io.err(`${io.errStyle.red('error:')} ${failure.message}\n`);
    if (failure.bug) io.err('(set ZSC_BENCH_DEBUG=1 for a stack trace; this is likely a zsc-bench bug)\n');
    return failure.code;
  } finally {
    stopReportingInterrupts();
  }
}
