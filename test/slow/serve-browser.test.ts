/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../bench/serve-process.js';
import { ARTIFACTS, testModel } from '../helpers/models.js';

/** Debian's chromium package; `npx playwright install` cannot download browsers here. */
const CHROMIUM = process.env['ZSC_BENCH_CHROMIUM'] ?? '/usr/bin/chromium';
const SCREENSHOTS = join(ARTIFACTS, 'screenshots');
const SPORTS = '体育新闻：昨晚的足球比赛中，主队在体育场凭借两个进球战胜客队，体育迷们欢呼。';

let server: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  // Never skipped: a machine without the browser fails here, saying how to get it.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run 'bash scripts/setup-chromium.sh' (installs Debian's chromium package) or set ZSC_BENCH_CHROMIUM`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startServe(['--model', await testModel('overlap')], { ZSC_BENCH_HOME: mkdtempSync(join(tmpdir(), 'zsc-browser-home-')) });
  // launch() gives the browser a fresh temporary profile of its own, removed on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function classifyOnPage(page: Page, path: string): Promise<Array<{ label: string; score: number }>> {
  const external: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url)) external.push(request.url());
  });
  await page.goto(`${server.url}${path}`);
  await expect.poll(() => page.locator('#model').textContent()).toContain('synthetic:overlap');
  await page.fill('#text', SPORTS);
  await page.fill('#labels', '体育,财经,科技');
  await page.click('#classify');
  await page.locator('.bar-row').first().waitFor();
  expect(external).toEqual([]);
  return page.$$eval('.bar-row', (rows) => rows.map((row) => ({ label: (row as HTMLElement).dataset['label'] ?? '', score: Number((row as HTMLElement).dataset['score']) })));
}

/** The top bar's width as a fraction of its track. */
function fillFraction(page: Page): Promise<number> {
  return page.locator('.bar-fill').first().evaluate((fill) => fill.getBoundingClientRect().width / (fill.parentElement?.getBoundingClientRect().width ?? 1));
}

describe('the classification page in Chromium', () => {
  it('shows the bars sorted by score with 体育 first, the latency, provider and synthetic note', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const bars = await classifyOnPage(page, '/');
    expect(bars.map((bar) => bar.label)).toHaveLength(3);
    expect(bars[0]?.label).toBe('体育');
    expect(bars.map((bar) => bar.score)).toEqual([...bars.map((bar) => bar.score)].sort((a, b) => b - a));
    expect(await page.locator('.bar-score').first().textContent()).toBe(bars[0]?.score.toFixed(4));
    expect(await page.locator('#timing').textContent()).toMatch(/server [\d.]+ ms .* provider cpu · fp32/);
    expect(await page.locator('#synthetic').isVisible()).toBe(true);
    // The top bar grows to its score's width (after its transition).
    await expect.poll(() => fillFraction(page)).toBeGreaterThan((bars[0]?.score ?? 0) - 0.02);
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-page.png'), fullPage: true });
    await page.close();
  });

  it('lite mode draws the same result without animations or transitions', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 700 } });
    const bars = await classifyOnPage(page, '/?lite=1');
    expect(bars[0]?.label).toBe('体育');
    expect(await page.evaluate(() => document.documentElement.classList.contains('lite'))).toBe(true);
    const style = await page.locator('.bar-fill').first().evaluate((fill) => {
      const computed = getComputedStyle(fill);
      const results = getComputedStyle(document.getElementById('results') as HTMLElement);
      return { transition: computed.transitionDuration, animation: results.animationName, shadow: results.boxShadow };
    });
    expect(style).toEqual({ transition: '0s', animation: 'none', shadow: 'none' });
    // Drawn at full width at once, no transition to wait for.
    expect(await fillFraction(page)).toBeCloseTo(bars[0]?.score ?? 0, 2);
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-page-lite.png'), fullPage: true });
    await page.close();
  });

  it('loads without a console error or a failed request (the icon included), with examples that do not look like input', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(server.url);
    await expect.poll(() => page.locator('#model').textContent()).toContain('synthetic:overlap');
    await page.waitForLoadState('networkidle');
    const icon = await page.request.get(`${server.url}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/svg+xml');
    expect(problems).toEqual([]);
    const look = await page.locator('#text').evaluate((area) => ({
      placeholder: (area as HTMLTextAreaElement).placeholder,
      text: getComputedStyle(area).color,
      example: getComputedStyle(area, '::placeholder').color,
      exampleStyle: getComputedStyle(area, '::placeholder').fontStyle,
    }));
    expect(look.placeholder).toMatch(/^e\.g\. 例如：/);
    expect(look.example).not.toBe(look.text);
    expect(look.exampleStyle).toBe('italic');
    await page.close();
  });

  it('colours no label as the winner when the best scores tie, and says so', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await page.goto(server.url);
    await expect.poll(() => page.locator('#model').textContent()).toContain('synthetic:overlap');
    // None of these labels shares a character with the text: the overlap model scores them equally.
    await page.fill('#text', SPORTS);
    await page.fill('#labels', '财经,科技,房产');
    await page.click('#classify');
    await page.locator('.bar-row').first().waitFor();
    const scores = await page.$$eval('.bar-score', (cells) => cells.map((cell) => cell.textContent));
    expect(scores).toEqual(['0.3333', '0.3333', '0.3333']);
    expect(await page.locator('.bar-row.winner').count()).toBe(0);
    expect(await page.locator('#tie').textContent()).toMatch(/^tie: .+ score the same \(0\.3333\); no label wins$/);
    // A clear best label is coloured again, and the tie note goes away.
    await page.fill('#labels', '体育,科技,房产');
    await page.click('#classify');
    await expect.poll(() => page.locator('.bar-row.winner').count()).toBe(1);
    expect(await page.locator('.bar-row.winner').getAttribute('data-label')).toBe('体育');
    expect(await page.locator('#tie').isVisible()).toBe(false);
    await page.close();
  });

  it('shows the server\'s message for bad input', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('#text', SPORTS);
    await page.fill('#labels', '体育,体育');
    await page.click('#classify');
    await expect.poll(() => page.locator('#error').textContent()).toBe("400: labels: duplicate label '体育'; each label may appear once");
    await page.close();
  });
});
