/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../bench/serve-process.js';
import { oneLineError, runCli } from '../helpers/cli.js';
import { ARTIFACTS, testModel } from '../helpers/models.js';
import { writeRun } from '../helpers/result-files.js';

/** Debian's chromium package, launched as the page tests launch it. */
const CHROMIUM = process.env['ZSC_BENCH_CHROMIUM'] ?? '/usr/bin/chromium';
const SCREENSHOTS = join(ARTIFACTS, 'screenshots');

let work: string;
let server: ServeProcess | undefined;
let browser: Browser;
const files = { cpu: '', int8: '', fallback: '', load: '', webui: '' };

/** The one CSV (not -samples) a command wrote into a fresh folder. */
function onlyCsv(dir: string): string {
  const csv = readdirSync(dir).filter((file) => file.endsWith('.csv') && !file.endsWith('-samples.csv'));
  if (csv.length !== 1) throw new Error(`expected one CSV in ${dir}, found ${csv.join(', ')}`);
  return join(dir, csv[0] as string);
}

async function cli(args: string[], out: string): Promise<string> {
  const result = await runCli([...args, '--out', out]);
  if (result.code !== 0) throw new Error(`${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return onlyCsv(out);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run 'bash scripts/setup-chromium.sh' or set ZSC_BENCH_CHROMIUM`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'zsc-report-'));
  const tiny = await testModel('tiny');
  // Run results as `run` writes them (report, compare and recommend only read them), on this host.
  const run = { labelCounts: [3, 5, 10], overrides: { items: 4, repeats: 2 }, model: tiny };
  const tinyMs = (labels: number): number => 2 + 0.5 * labels;
  files.cpu = writeRun(join(work, 'cpu'), { ...run, profile: 'cpu', timestamp: '2026-12-01T10:00:00.000Z', ms: tinyMs });
  files.int8 = writeRun(join(work, 'int8'), { ...run, profile: 'cpu-int8', timestamp: '2026-12-01T10:05:00.000Z', ms: (labels) => tinyMs(labels) * 0.7 });
  files.fallback = writeRun(join(work, 't4'), { ...run, profile: 't4', timestamp: '2026-12-01T10:10:00.000Z', ms: (labels) => tinyMs(labels) * 1.3, fallbackReason: 'CUDA execution provider unavailable' });
  // The server runs the cpu profile on this host, so its load curve and web page belong to the cpu platform.
  server = await startServe(['--model', tiny, '--profile', 'cpu'], { ZSC_BENCH_HOME: mkdtempSync(join(tmpdir(), 'zsc-report-home-')) });
  files.load = await cli(['load', '--url', server.url, '--concurrency', '1,2', '--duration', '1.5', '--warmup', '0.5'], join(work, 'load'));
  files.webui = await cli(['webui', '--url', server.url, '--loads', '2', '--classifications', '2'], join(work, 'webui'));
  await server.stop();
  server = undefined;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('zsc-bench webui', () => {
  it('wrote one row per page, normal and lite, with the page cost and the verdict by the stated rule', () => {
    const [header, ...rows] = readFileSync(files.webui, 'utf8').trim().split('\n');
    const columns = (header ?? '').split(',');
    const cells = rows.map((row) => Object.fromEntries(row.split(',').map((cell, index) => [String(columns[index]), cell] as const)));
    expect(cells.map((cell) => [cell['kind'], cell['page'], cell['page_path'], cell['loads'], cell['classifications'], cell['server_profile'], cell['smooth_limit_ms']])).toEqual([
      ['webui', 'normal', '/', '2', '4', 'cpu', '100'],
      ['webui', 'lite', '/?lite=1', '2', '4', 'cpu', '100'],
    ]);
    for (const cell of cells) {
      // The bars come after the server answered: the page's own share is positive and below the whole.
      expect(Number(cell['bars_p50_ms'])).toBeGreaterThan(Number(cell['server_p50_ms']));
      expect(Number(cell['added_p50_ms'])).toBeGreaterThan(0);
      expect(Number(cell['dom_content_loaded_p50_ms'])).toBeGreaterThan(0);
      expect(Number(cell['load_p50_ms'])).toBeGreaterThanOrEqual(Number(cell['dom_content_loaded_p50_ms']));
      expect(cell['smooth']).toBe(String(Number(cell['added_p95_ms']) < 100));
      expect(cell['browser']).toMatch(/^Chromium \d+/);
    }
  });

  it('refuses a browser that cannot start, and an unreachable server, with one line and exit 2', async () => {
    // A stand-in server whose /api/info looks like zsc-bench serve: the browser is what fails.
    const info = JSON.stringify({ tool: 'zsc-bench', provider: 'cpu', batching: { enabled: false }, model: {}, limits: {}, fallback: null });
    const stub = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(info));
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      const result = await runCli(['webui', '--url', url, '--chromium', '/nonexistent/chromium', '--out', join(work, 'no-browser')]);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toMatch(/^error: --chromium: \/nonexistent\/chromium not found; install Debian's chromium \(bash scripts\/setup-chromium\.sh\) or pass --chromium PATH$/);
    } finally {
      stub.close();
    }
    const unreachable = await runCli(['webui', '--url', 'http://127.0.0.1:9', '--out', join(work, 'no-server')]);
    expect(unreachable.code).toBe(2);
    expect(oneLineError(unreachable)).toMatch(/^error: --url: cannot get http:\/\/127\.0\.0\.1:9\/api\/info/);
    const page = await runCli(['webui', '--url', 'http://127.0.0.1:9', '--pages', 'fancy']);
    expect(oneLineError(page)).toBe("error: --pages: expected normal and/or lite, got 'fancy'");
  });
});

describe('zsc-bench compare and recommend with load and web UI files', () => {
  it('compare shows the web UI column for the platform whose server was measured, with the rule', async () => {
    const result = await runCli(['compare', files.cpu, files.webui, '--wide']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/web UI/);
    expect(result.stdout).toMatch(/(smooth|NOT smooth) \(normal (\(slow\) )?\+[\d.]+ ms, lite (\(slow\) )?\+[\d.]+ ms at p95\)/);
    expect(result.stdout).toContain('Smooth when the page adds less than 100 ms at p95');
  });

  it('recommend sizes the cpu platform from its load curve', async () => {
    const result = await runCli(['recommend', files.cpu, files.int8, files.fallback, files.load, '--slo', 'p95<10s', '--qps', '50', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const ranking = (JSON.parse(result.stdout) as { ranking: Array<Record<string, unknown>> }).ranking;
    const cpu = ranking.find((entry) => entry['profile'] === 'cpu');
    expect(cpu?.['capacity_source']).toBe('load');
    expect(cpu?.['load_curve']).toContain(`load ${hostname()}`);
    expect(ranking.find((entry) => entry['profile'] === 'cpu-int8')?.['capacity_source']).toBe('single-stream');
    const t4 = ranking.find((entry) => entry['profile'] === 't4');
    expect(t4?.['passes']).toBe(false);
    expect(t4?.['fallback']).toBe(true);
    expect(ranking[ranking.length - 1]?.['profile']).toBe('t4');
  });
});

describe('zsc-bench report', () => {
  it('writes one self-contained HTML file that opens in Chromium with no console errors and every chart drawn', async () => {
    const out = join(work, 'report.html');
    const result = await runCli(['report', files.cpu, files.int8, files.fallback, files.load, files.webui, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/wrote .*report\.html \(\d+ KiB, self-contained\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(statSync(out).size).toBeLessThan(1024 * 1024);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`network request: ${request.url()}`);
    });
    await page.goto(`file://${out}`);
    const state = await page.evaluate<{ charts: number; drawn: string[] }>('window.zscReport');
    const canvases = await page.$$eval('canvas', (elements) => elements.map((canvas) => canvas.id));
    // fp16 (fallback t4), fp32 (cpu) and int8 groups: latency, sweep, memory, CPU each; one load chart; the web UI chart;
    // plus a chart per optional column the runs carry (MFU, drift, offline...).
    expect(canvases.length).toBeGreaterThanOrEqual(3 * 4 + 2);
    expect(state.charts).toBe(canvases.length);
    expect(state.drawn.sort()).toEqual([...canvases].sort());
    // Drawn means pixels: every canvas has some that are not blank.
    const inked = await page.$$eval('canvas', (elements) =>
      elements.map((canvas) => {
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let painted = 0;
        for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) painted += 1;
        return painted;
      }),
    );
    for (const count of inked) expect(count).toBeGreaterThan(1000);
    expect(problems).toEqual([]);

    const text = await page.locator('body').innerText();
    expect(text).toContain('cpu (FALLBACK from cuda)');
    expect(text).toContain('SYNTHETIC (accuracy meaningless)');
    expect(text).toContain('Environment 环境');
    expect(text).toContain('Web UI responsiveness 网页响应');
    expect(text).toMatch(/results kept apart in 3 groups/);
    expect(text).toMatch(/Throughput-latency curves/);
    expect(await page.locator('canvas[aria-label^="标签数扫描"]').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: true });
    await page.close();
  });

  it('refuses bad input with one line and exit 2', async () => {
    const newer = join(work, 'newer.csv');
    writeFileSync(newer, readFileSync(files.int8, 'utf8').replace(/^(.*\n)2,/m, '$13,').replace(/\n2,/g, '\n3,'));
    const cases: Array<[string[], RegExp]> = [
      [['report', files.cpu, newer], /newer\.csv: result schema version 3/],
      [['report', join(work, 'none-*.csv')], /^error: report: no files match/],
      [['report', files.cpu, '--out', join(work, 'report.txt')], /^error: --out: expected a file name ending in \.html/],
      [['report', files.cpu, '--labels', '0'], /^error: --labels: expected a whole number from 1 to 64, got '0'$/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLineError(result)).toMatch(message);
    }
  });
});
