/**
 * Issue 24's hostile findings 3 and 5 for `webui` (it needs Chromium, so it lives with the slow
 * tests): two runs started at once write two files, and SIGINT/SIGTERM keep the completed rounds
 * with one line and exit 130/143 instead of Playwright's log and "likely a zsc-bench bug".
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../bench/serve-process.js';
import { runCli, spawnCli, unwrap } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

const CHROMIUM = process.env['ZSC_BENCH_CHROMIUM'] ?? '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'zsc-hostile-webui-'));
let server: ServeProcess | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run 'bash scripts/setup-chromium.sh' or set ZSC_BENCH_CHROMIUM`);
  server = await startServe(['--model', await testModel('tiny')], { ZSC_BENCH_HOME: mkdtempSync(join(tmpdir(), 'zsc-hostile-webui-home-')) });
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

describe('webui', () => {
  it('two runs started at once write two files and report two paths', async () => {
    const out = join(work, 'parallel');
    const args = ['webui', '--url', server?.url ?? '', '--loads', '1', '--classifications', '1', '--out', out, '--json'];
    const results = await Promise.all([runCli(args), runCli(args)]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(new Set(results.map((result) => (JSON.parse(result.stdout) as { file: string }).file)).size).toBe(2);
    expect(readdirSync(out)).toHaveLength(2);
  }, 300_000);

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} after a round keeps it: one line, exit ${code}`, async () => {
      const out = join(work, signal);
      const child = spawnCli(['webui', '--url', server?.url ?? '', '--loads', '100', '--classifications', '1', '--out', out]);
      let stderr = '';
      let sent = false;
      const exited = new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // Once: a second signal after the command let go of them would end the process as Node does.
        if (!sent && /round 1\/100/.test(stderr)) sent = child.kill(signal);
      });
      expect(await exited, stderr).toBe(code);
      const lines = unwrap(stderr).trim().split('\n');
      expect(lines.at(-1)).toMatch(new RegExp(`^interrupted by ${signal}: kept \\d+ completed round\\(s\\) in .*webui-.*\\.csv$`));
      expect(stderr).not.toMatch(/likely a zsc-bench bug|pw:|browser/i);
      expect(readdirSync(out)).toHaveLength(1);
    }, 300_000);
  }
});
