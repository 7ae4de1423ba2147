/**
 * A growing table of hostile but fair inputs: every one must end with ONE line naming the flag,
 * file or field and what was expected, exit code 2, no stack trace, and quickly (none of them
 * may reach a model run, a timer overflow or a hang). Add a row for every defect found.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, runCli } from '../helpers/cli.js';
import { testModel } from '../helpers/models.js';

let tiny = '';
beforeAll(async () => {
  tiny = await testModel('tiny');
});

const dir = mkdtempSync(join(tmpdir(), 'zsc-bad-'));
const profile = (name: string, fields: Record<string, unknown>): string => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ extends: 'cpu', name, ...fields }));
  return file;
};
const maxThreads = 4 * availableParallelism();
const URL_NOBODY = 'http://127.0.0.1:9';

type Case = [name: string, args: () => string[], message: RegExp];
const CASES: Case[] = [
  // --threads: 2000 took 39 s per classification, 99999 never finished
  ['classify --threads 2000', () => ['classify', 'x', '--labels', 'a', '--model', tiny, '--threads', '2000'], new RegExp(`^error: --threads: expected a whole number from 1 to ${maxThreads} \\(4 per logical core; this machine has \\d+\\), got '2000'$`)],
  ['classify --threads 0', () => ['classify', 'x', '--labels', 'a', '--model', tiny, '--threads', '0'], /^error: --threads: expected a whole number from 1 to \d+/],
  ['serve --threads 99999', () => ['serve', '--model', tiny, '--threads', '99999', '--port', '0'], /^error: --threads: expected a whole number from 1 to \d+/],
  ['profile intraOpThreads 2000', () => ['run', '--profile', profile('threads', { intraOpThreads: 2000 }), '--model', tiny], /threads\.json: field "intraOpThreads": expected a positive integer up to 1024, got 2000$/],
  ['profile intraOpThreads over this machine', () => ['run', '--profile', profile('threads-here', { intraOpThreads: 1024 }), '--model', tiny], new RegExp(`^error: profile threads-here: field "intraOpThreads": 1024 threads; at most ${maxThreads} on this machine`)],
  // ab shares run's --labels parser and the per-machine thread ceiling of a profile
  ['ab --labels 3,65', () => ['ab', '--profile', 'cpu-int8', '--versus', 'cpu', '--labels', '3,65'], /^error: --labels: expected a whole number from 1 to 64, got '65'$/],
  ['ab profile intraOpThreads over this machine', () => ['ab', '--profile', profile('ab-threads', { intraOpThreads: 1024 }), '--versus', 'cpu'], new RegExp(`^error: profile ab-threads: field "intraOpThreads": 1024 threads; at most ${maxThreads} on this machine`)],
  // load --timeout 3000000 overflowed Node's timer: 1 ms timeouts, exit 0
  ['load --timeout 3000000', () => ['load', '--url', URL_NOBODY, '--timeout', '3000000'], /^error: --timeout: expected a number above 0 up to 3600 seconds, got '3000000'$/],
  ['load --timeout 0', () => ['load', '--url', URL_NOBODY, '--timeout', '0'], /^error: --timeout: expected a number above 0 up to 3600 seconds, got '0'$/],
  ['load --duration 1e9', () => ['load', '--url', URL_NOBODY, '--duration', '1000000000'], /^error: --duration: expected a number above 0 up to 86400 seconds/],
  ['load --warmup 99999', () => ['load', '--url', URL_NOBODY, '--warmup', '99999'], /^error: --warmup: expected a number from 0 up to 3600 seconds/],
  ['load --concurrency 1,100000', () => ['load', '--url', URL_NOBODY, '--concurrency', '1,100000'], /^error: --concurrency: expected a whole number from 1 to 1000, got '100000'$/],
  ['load --rate 1e6', () => ['load', '--url', URL_NOBODY, '--rate', '1000000'], /^error: --rate: expected a number above 0 up to 10000 requests per second/],
  ['load --labels 65', () => ['load', '--url', URL_NOBODY, '--labels', '65'], /^error: --labels: expected a whole number from 1 to 64, got '65'$/],
  ['serve --max-wait-ms 3000000', () => ['serve', '--model', tiny, '--max-wait-ms', '3000000'], /^error: --max-wait-ms: expected a whole number from 0 to 10000/],
  ['serve --max-queue 0', () => ['serve', '--model', tiny, '--max-queue', '0'], /^error: --max-queue: expected a whole number from 1 to 100000/],
  ['serve --max-text-chars 1e9', () => ['serve', '--model', tiny, '--max-text-chars', '1000000000'], /^error: --max-text-chars: expected a whole number from 1 to 1000000/],
  ['serve --max-batch-pairs 1e6', () => ['serve', '--model', tiny, '--max-batch-pairs', '1000000'], /^error: --max-batch-pairs: expected a whole number from 1 to 4096/],
  ['serve --hypothesis-cache 1e9', () => ['serve', '--model', tiny, '--hypothesis-cache', '1000000000'], /^error: --hypothesis-cache: expected a whole number from 1 to 1000000/],
  ['run --repeats 1e6', () => ['run', '--profile', 'cpu', '--model', tiny, '--repeats', '1000000'], /^error: --repeats: expected a whole number from 1 to 10000/],
  ['run --labels 3,100', () => ['run', '--profile', 'cpu', '--model', tiny, '--labels', '3,100'], /^error: --labels: expected a whole number from 1 to 64, got '100'$/],
  ['profile repeats 1e9', () => ['run', '--profile', profile('repeats', { repeats: 1e9 }), '--model', tiny], /repeats\.json: field "repeats": expected a positive integer up to 10000, got 1000000000$/],
  ['profile warmup -1', () => ['run', '--profile', profile('warmup', { warmup: -1 }), '--model', tiny], /warmup\.json: field "warmup": expected a whole number from 0 to 1000, got -1$/],
  ['profile costPerHour 1e308', () => ['run', '--profile', profile('cost', { costPerHour: 1e308 }), '--model', tiny], /cost\.json: field "costPerHour": expected a positive number \(USD per hour\) up to 10000/],
  ['compare --labels 1000', () => ['compare', 'x.csv', '--labels', '1000'], /^error: --labels: expected a whole number from 1 to 64, got '1000'$/],
  ['dataset --per-class 1e9', () => ['dataset', 'import-thucnews', 'test/fixtures/cnews', '--per-class', '1000000000', '--out', join(dir, 'd.csv')], /^error: --per-class: expected a whole number from 1 to 1000000/],
  ['model build --seed 2^40', () => ['model', 'build', '--arch', 'tiny', '--seed', String(2 ** 40), '--out', join(dir, 'm')], /^error: --seed: expected a whole number from 0 to 4294967295/],
  ['model build --out /proc/x', () => ['model', 'build', '--arch', 'tiny', '--out', '/proc/zsc-bench-x/m'], /^error: --out: cannot create the folder for '\/proc\/zsc-bench-x\/m' \(ENOENT\)$/],
  ['load --out /proc/x', () => ['load', '--url', URL_NOBODY, '--out', '/proc/zsc-bench-x'], /^error: --out: results folder '\/proc\/zsc-bench-x' is not writable \(ENOENT\)$/],
  ['serve --allowed-hosts with a URL', () => ['serve', '--model', tiny, '--allowed-hosts', 'http://evil/'], /^error: --allowed-hosts: 'http:\/\/evil\/' is not a host name; expected names like gpu-box\.local or 10\.0\.0\.5, separated by commas$/],
  ['run --pairs-per-run 100000', () => ['run', '--profile', 'cpu', '--model', tiny, '--pairs-per-run', '100000'], /^error: --pairs-per-run: expected "auto", "all" or a positive integer up to 4096, got "100000"$/],
];

describe.concurrent('bad inputs: one line, exit 2, no stack trace', () => {
  for (const [name, args, message] of CASES) {
    it(name, async () => {
      const result = await runCli(args());
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toMatch(/likely a zsc-bench bug/);
      expect(oneLineError(result)).toMatch(message);
    });
  }
});
