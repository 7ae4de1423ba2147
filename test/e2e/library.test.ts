/** The README's library example, run as written from a project that installed zsc-bench. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, summaryOf } from '../helpers/csv.js';

function readmeExample(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf("import { benchmark, loadClassifier } from 'zsc-bench';");
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('```', start));
}

describe('the library API (README example)', () => {
  it('classifies with the CLI split and runs a benchmark that writes its result files', async () => {
    const project = mkdtempSync(join(tmpdir(), 'zsc-library-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(resolve('.'), join(project, 'node_modules', 'zsc-bench'));
    writeFileSync(join(project, 'example.mjs'), readmeExample());
    const home = mkdtempSync(join(tmpdir(), 'zsc-library-home-'));
    const child = spawn(process.execPath, ['example.mjs'], { cwd: project, env: { ...process.env, ZSC_BENCH_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toContain('labels 3: 4 samples');
    expect(code).toBe(0);
    const [classified, ran] = stdout.trim().split('\n');
    // The known-answer model puts 体育 first: the text shares its characters.
    expect(classified).toMatch(/^体育 0\.\d+$/);
    expect(ran).toMatch(/^completed \d+(\.\d+)? results\/cpu-.*\.csv$/);
    expect(readdirSync(join(project, 'results')).sort()).toHaveLength(3);
    // classify went through the calibrated split, cached per host as the CLI does. A calibration
    // taken on a busy machine is not cached; then the benchmark calibrated again, and either it
    // was quiet and cached it, or its row says it was busy too.
    const cached = readdirSync(join(home, 'calibration')).includes('pairs-per-run.json');
    const [row] = readCsv(summaryOf(join(project, 'results')));
    const source = row?.['pairs_per_run_calibration_source'];
    if (cached) expect(source).toMatch(/^(cached|measured)$/);
    else expect(source, 'pairs-per-run.json missing though the calibration was not busy').toBe('measured, busy: not cached');
  });
});
