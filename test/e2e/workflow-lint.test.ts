import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const WORKFLOW = 'docs/github-actions-benchmark.yml';
// action-validator (a devDependency) checks a workflow against GitHub's published schema, offline.
const VALIDATOR = resolve('node_modules/.bin/action-validator');

function validate(file: string): { code: number | null; output: string } {
  const result = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the GitHub Actions example', () => {
  it('is the file the README points at', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`\`${WORKFLOW}\``);
  });

  it('passes the workflow linter', () => {
    const result = validate(WORKFLOW);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('uploads the .profile.json files beside the CSVs, which compare reads to name differing settings', () => {
    const workflow = readFileSync(WORKFLOW, 'utf8');
    const upload = workflow.slice(workflow.indexOf('name: zsc-bench-${{ matrix.profile }}'));
    expect(upload).toMatch(/path: \|\n\s+results\/ci\/\$\{\{ matrix\.profile \}\}\/\*\.csv\n\s+results\/ci\/\$\{\{ matrix\.profile \}\}\/\*\.profile\.json\n/);
  });

  it('the linter refuses a broken workflow (so the check above can fail)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'zsc-workflow-')), 'broken.yml');
    writeFileSync(broken, readFileSync(WORKFLOW, 'utf8').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'));
    const result = validate(broken);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/runs_on/);
  });
});
