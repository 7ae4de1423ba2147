import type { Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Io } from '../shell/io.js';
import { addFlags, flag, flagWithDefault, JSON_FLAGS, requiredFlag, WIDE_FLAGS, type CommandContext, type FlagValues } from '../shell/flags.js';
import { EXIT, type ExitCode } from '../shell/exit.js';
import { parseLabelCount, parseList, parsePositiveInteger, parsePositiveNumber, parseServerUrl } from '../shell/parse.js';
import { checkWritable } from '../shell/output-dir.js';
import { withInterrupt } from '../shell/interrupt.js';
import { UsageError } from '../base/errors.js';
import { toolVersion } from '../env/package.js';
import { ResultFiles, resultStem, SINGLE_CSV } from '../io/result-files.js';
import { readDataset, resolveDataset } from '../io/dataset.js';
import { launchBrowser, measureVisit, summarizeVisits, type Visit } from '../load/browser.js';
import { getJson } from '../load/client.js';
import { formatWebUiCsv, isSmooth, WEBUI_PAGES, type WebUiContext, type WebUiMeasurement, type WebUiPage } from '../load/webui-csv.js';
import { buildWorkload } from '../load/workload.js';
import { loadProfile } from '../profiles/profile.js';
import { measurementRow, webUiRows, WEBUI_RULE } from '../format/webui-format.js';
import { renderTable } from '../format/tables.js';
import { wrapText } from '../format/text.js';
import { serverFields } from '../load/server-info.js';


const WEBUI_DEFAULTS = {
  pages: 'normal,lite',
  loads: '5',
  classifications: '4',
  labels: '3',
  dataset: 'datasets/thucnews-style-100.csv',
  cpuSlowdown: '1',
  timeout: '30',
  out: 'results',
} as const;

/** Debian's chromium package, unless the environment or the flag names another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const WEBUI_FLAGS = {
  url: requiredFlag('--url <url>', 'the server, e.g. http://127.0.0.1:7860'),
  pages: flagWithDefault('--pages <list>', 'pages to measure: normal and/or lite (/?lite=1: no animations, transitions, shadows)', WEBUI_DEFAULTS.pages),
  loads: flagWithDefault('--loads <n>', 'first visits per page, each in a fresh browser context', WEBUI_DEFAULTS.loads),
  classifications: flagWithDefault('--classifications <n>', 'classifications after each load', WEBUI_DEFAULTS.classifications),
  labels: flagWithDefault('--labels <n>', 'candidate labels per classification', WEBUI_DEFAULTS.labels),
  dataset: flagWithDefault('--dataset <file>', 'texts to classify (CSV with id,label,text)', WEBUI_DEFAULTS.dataset),
  chromium: flag('--chromium <path>', `Chromium executable (default: $ZSC_BENCH_CHROMIUM, else ${DEFAULT_CHROMIUM})`),
  cpuSlowdown: flagWithDefault('--cpu-slowdown <x>', 'Chromium CPU throttling, e.g. 4 to stand in for a weak device (1: none)', WEBUI_DEFAULTS.cpuSlowdown),
  timeout: flagWithDefault('--timeout <s>', 'longest wait for a page or a classification', WEBUI_DEFAULTS.timeout),
  out: flagWithDefault('-o, --out <dir>', 'results folder', WEBUI_DEFAULTS.out),
  ...WIDE_FLAGS,
  ...JSON_FLAGS,
};

export type WebUiFlags = FlagValues<typeof WEBUI_FLAGS>;

export function register(program: Command, { io, setExitCode }: CommandContext): void {
  const command = program.command('webui').description('measure the web page of a running zsc-bench serve in headless Chromium: page load, Classify to bars, long tasks');
  addFlags(command, WEBUI_FLAGS).action(async (flags: WebUiFlags) => {
    setExitCode(await webUiCommand(flags, io));
  });
}

function parsePage(value: string, flag: string): WebUiPage {
  if (!(WEBUI_PAGES as readonly string[]).includes(value)) throw new UsageError(`${flag}: expected ${WEBUI_PAGES.join(' and/or ')}, got '${value}'`);
  return value as WebUiPage;
}

export async function webUiCommand(flags: WebUiFlags, io: Io): Promise<ExitCode> {
  const base = parseServerUrl(flags.url);
  const pages = [...new Set(parseList(flags.pages, '--pages', parsePage))];
  const loads = parsePositiveInteger(flags.loads, '--loads');
  const classificationsPerLoad = parsePositiveInteger(flags.classifications, '--classifications');
  const labels = parseLabelCount(flags.labels, '--labels');
  const cpuSlowdown = parsePositiveNumber(flags.cpuSlowdown, '--cpu-slowdown');
  if (cpuSlowdown < 1) throw new UsageError(`--cpu-slowdown: expected 1 (none) or more (times slower), got '${flags.cpuSlowdown}'`);
  const timeoutMs = parsePositiveNumber(flags.timeout, '--timeout') * 1000;
  const workload = buildWorkload(readDataset(resolveDataset(flags.dataset)), loadProfile('base').labelPool, labels);
  const outDir = resolve(flags.out);
  checkWritable(outDir);
  const url = base.href.replace(/\/$/, '');
  let info: unknown;
  try {
    info = await getJson(new URL(`${url}/api/info`), 10_000);
  } catch (error) {
    throw new UsageError(`--url: cannot get ${url}/api/info (${(error as Error).message}); is zsc-bench serve running there?`);
  }
  const server = serverFields(info, base.href);
  const chromiumPath = flags.chromium ?? io.env['ZSC_BENCH_CHROMIUM'] ?? DEFAULT_CHROMIUM;
  const browser = await launchBrowser(chromiumPath);
  const timestamp = new Date().toISOString();
  const context: WebUiContext = {
    toolVersion: toolVersion(),
    timestamp,
    clientHost: hostname(),
    browser: `Chromium ${browser.version()}`,
    url,
    cpuSlowdown,
    serverHost: server.serverHost,
    serverProfile: server.serverProfile,
    modelId: server.modelId,
    modelSha256: server.modelSha256,
    precision: server.precision,
    requestedProvider: server.requestedProvider,
    actualProvider: server.actualProvider,
    fallback: server.fallback,
    synthetic: server.synthetic,
  };
  const files = new ResultFiles(resultStem(outDir, ['webui', server.serverHost], timestamp), SINGLE_CSV);
  const json = flags.json === true;
  if (!json) io.err(`${io.errStyle.dim(`${url}: ${context.browser}, ${pages.join(' and ')} page, ${loads} loads x ${classificationsPerLoad} classifications each${cpuSlowdown > 1 ? `, CPU ${cpuSlowdown}x slower` : ''}`)}\n`);
  let next = 0;
  const nextPayload = () => workload[next++ % workload.length] as (typeof workload)[number];
  const visits = new Map<WebUiPage, Visit[]>(pages.map((page) => [page, []]));
  const plan = { url, pages, loads, classificationsPerLoad, workload, cpuSlowdown, timeoutMs };
  let done: WebUiMeasurement[] = [];
  let rounds = 0;
  const stoppedBy = await withInterrupt(async (signal) => {
    // A signal closes the browser, so a visit in progress ends at once (its error is the interruption's).
    const closeOnSignal = () => void browser.close();
    signal.addEventListener('abort', closeOnSignal);
    try {
      for (let round = 0; round < loads && !signal.aborted; round += 1) {
        // Pages alternate within rounds (A B, B A, ...) so the machine's drift over time falls on both alike.
        for (const page of round % 2 === 0 ? pages : [...pages].reverse()) (visits.get(page) as Visit[]).push(await measureVisit(browser, page, plan, nextPayload));
        done = pages.map((page) => summarizeVisits(page, visits.get(page) as Visit[]));
        // Rewritten after each round, atomically: an interruption keeps the rounds that completed.
        files.write({ csv: formatWebUiCsv(done, context) });
        rounds = round + 1;
        if (!json) io.err(`${io.errStyle.dim(`round ${round + 1}/${loads}: ${done.map((measurement) => `${measurement.page} page adds ${measurement.addedMs.p95.toFixed(1)} ms at p95`).join(', ')}`)}\n`);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', closeOnSignal);
      await browser.close();
    }
    return signal.aborted ? (signal.reason as NodeJS.Signals) : undefined;
  }, ['SIGINT', 'SIGTERM']);
  if (stoppedBy !== undefined) {
    io.err(`interrupted by ${stoppedBy}: ${rounds > 0 ? `kept ${rounds} completed round(s) in ${files.paths.csv}` : 'no round completed; nothing was written'}\n`);
    return stoppedBy === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  }
  if (json) {
    io.out(`${JSON.stringify({ file: files.paths.csv, rule: WEBUI_RULE, context, pages: done.map((measurement) => ({ ...measurement, smooth: isSmooth(measurement) })) }, null, 2)}\n`);
    return EXIT.ok;
  }
  const table = webUiRows(done.map((measurement) => ({ ...measurementRow(measurement, cpuSlowdown, isSmooth(measurement)), ...context })));
  io.out(`${renderTable(table.head, table.rows, io.outStyle, { wide: flags.wide === true })}\n${wrapText(WEBUI_RULE)}\n`);
  io.err(`${io.errStyle.dim(`results: ${files.paths.csv}`)}\n`);
  return EXIT.ok;
}
