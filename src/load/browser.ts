/**
 * The web page's responsiveness, measured in headless Chromium against a running `serve`:
 * page loads (navigation timing), Classify-to-bars-painted minus the server's own latency, and
 * long tasks. Measures only; the command prints and writes.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { UsageError } from '../base/errors.js';
import { percentile } from '../stats/statistics.js';
import type { WebUiMeasurement, WebUiPage, Spread } from './webui-csv.js';
import type { ClassifyPayload } from './workload.js';

export const PAGE_PATHS: Record<WebUiPage, string> = { normal: '/', lite: '/?lite=1' };

export interface BrowserPlan {
  url: string;
  pages: readonly WebUiPage[];
  /** Page loads per page kind, each in a fresh browser context (a first visit: nothing cached). */
  loads: number;
  /** Classifications after each load. */
  classificationsPerLoad: number;
  workload: readonly ClassifyPayload[];
  /** Chromium's CPU throttling rate (1 = none, 4 = four times slower), to stand in for a weaker device. */
  cpuSlowdown: number;
  timeoutMs: number;
}

/**
 * Runs inside the page before its own script: records the Classify click, the first frame
 * painted after the bars change, the server latency the page shows, and long tasks. The page is
 * not modified: its fetch and rendering run as they do for a person.
 */
const INSTRUMENT = `
window.__zsc = { results: [], longTasks: [], click: undefined };
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (entry) { window.__zsc.longTasks.push(entry.duration); });
  }).observe({ type: 'longtask', buffered: true });
} catch (error) { window.__zsc.noLongTasks = String(error); }
document.addEventListener('click', function (event) {
  if (event.target && event.target.id === 'classify') window.__zsc.click = event.timeStamp;
}, true);
document.addEventListener('DOMContentLoaded', function () {
  var bars = document.getElementById('bars');
  if (!bars) return;
  new MutationObserver(function () {
    var clicked = window.__zsc.click;
    if (clicked === undefined || bars.children.length === 0) return;
    window.__zsc.click = undefined;
    // The frame that paints the bars: its rAF callback, then the task after it (the paint is done).
    requestAnimationFrame(function () {
      setTimeout(function () {
        var now = performance.now();
        var timing = document.getElementById('timing').textContent || '';
        var match = /server ([0-9.]+) ms/.exec(timing);
        var answers = performance.getEntriesByType('resource').filter(function (entry) { return entry.name.indexOf('/api/classify') !== -1; });
        var answer = answers[answers.length - 1];
        window.__zsc.results.push({ barsMs: now - clicked, serverMs: match ? Number(match[1]) : NaN, renderMs: answer ? now - answer.responseEnd : NaN });
      }, 0);
    });
  }).observe(bars, { childList: true });
});
`;

interface PageState {
  results: Array<{ barsMs: number; serverMs: number; renderMs: number }>;
  longTasks: number[];
  noLongTasks?: string;
}

// In-page code is passed as strings: it runs in the browser, not under Node's types.
const NAVIGATION = `(() => { const entry = performance.getEntriesByType('navigation')[0]; return entry === undefined ? null : { dcl: entry.domContentLoadedEventEnd, load: entry.loadEventEnd }; })()`;
/** What the page's globals look like to the polling function (the server's CSP forbids string evaluation there). */
interface PageGlobals {
  __zsc: PageState;
  document: { getElementById(id: string): { hidden: boolean } | null };
}
const SHOWN_ERROR = `document.getElementById('error').hidden ? '' : document.getElementById('error').textContent`;

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { p50: Number.NaN, p95: Number.NaN, max: Number.NaN };
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}

/** Starts Chromium; a browser that cannot start is the user's to fix (path, package), so exit 2. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  // Playwright reports a missing file as EACCES: say what is wrong before it tries.
  if (!existsSync(executablePath)) {
    throw new UsageError(`--chromium: ${executablePath} not found; install Debian's chromium (bash scripts/setup-chromium.sh) or pass --chromium PATH`);
  }
  try {
    return await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      timeout: 60_000,
      // The command decides what Ctrl-C and SIGTERM do (keep the rounds done, one line), not Playwright.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    const reason = ((error as Error).message.split('\n').find((line) => line.trim() !== '') ?? String(error)).replace(/^browserType\.launch:\s*/, '');
    throw new UsageError(`--chromium: cannot start ${executablePath} (${reason}); install Debian's chromium (bash scripts/setup-chromium.sh) or pass --chromium PATH`);
  }
}

async function classifyOnce(page: Page, payload: ClassifyPayload, done: number, timeoutMs: number): Promise<void> {
  await page.fill('#text', payload.text);
  await page.fill('#labels', payload.labels.join(','));
  await page.click('#classify');
  await page.waitForFunction(
    (count: number) => {
      const page = globalThis as unknown as PageGlobals;
      return page.__zsc.results.length >= count || page.document.getElementById('error')?.hidden === false;
    },
    done + 1,
    { timeout: timeoutMs },
  );
  const error = await page.evaluate<string>(SHOWN_ERROR);
  if (error !== '') throw new Error(`the page showed an error for a classification: ${error}`);
}

/** What one first visit of a page gave: its load timing and its classifications. */
export interface Visit {
  domContentLoadedMs: number | undefined;
  loadMs: number | undefined;
  classifications: Array<{ barsMs: number; serverMs: number; renderMs: number }>;
  longTasks: number[];
}

/** One first visit in a fresh browser context (nothing cached), followed by `classificationsPerLoad` classifications. */
export async function measureVisit(browser: Browser, kind: WebUiPage, plan: BrowserPlan, nextPayload: () => ClassifyPayload): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(plan.timeoutMs);
    await page.addInitScript(INSTRUMENT);
    if (plan.cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: plan.cpuSlowdown });
    }
    await page.goto(`${plan.url}${PAGE_PATHS[kind]}`, { waitUntil: 'load', timeout: plan.timeoutMs });
    const navigation = await page.evaluate<{ dcl: number; load: number } | null>(NAVIGATION);
    for (let index = 0; index < plan.classificationsPerLoad; index += 1) await classifyOnce(page, nextPayload(), index, plan.timeoutMs);
    const state = await page.evaluate<PageState>('window.__zsc');
    if (state.noLongTasks !== undefined) throw new Error(`this browser has no Long Tasks API (${state.noLongTasks})`);
    return { domContentLoadedMs: navigation?.dcl, loadMs: navigation?.load, classifications: state.results, longTasks: state.longTasks };
  } finally {
    await context.close();
  }
}

/** A page's measurement from its visits. */
export function summarizeVisits(kind: WebUiPage, visits: readonly Visit[]): WebUiMeasurement {
  const defined = (values: ReadonlyArray<number | undefined>): number[] => values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  const results = visits.flatMap((visit) => visit.classifications);
  const longTasks = visits.flatMap((visit) => visit.longTasks);
  return {
    page: kind,
    path: PAGE_PATHS[kind],
    loads: visits.length,
    classifications: results.length,
    domContentLoadedMs: spread(defined(visits.map((visit) => visit.domContentLoadedMs))),
    loadMs: spread(defined(visits.map((visit) => visit.loadMs))),
    barsMs: spread(results.map((result) => result.barsMs)),
    serverMs: spread(results.map((result) => result.serverMs)),
    addedMs: spread(results.map((result) => result.barsMs - result.serverMs)),
    renderMs: spread(defined(results.map((result) => result.renderMs))),
    longTasks: longTasks.length,
    longTaskTotalMs: longTasks.reduce((sum, duration) => sum + duration, 0),
    longTaskMaxMs: longTasks.length === 0 ? 0 : Math.max(...longTasks),
  };
}
