import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, UsageError } from '../../src/base/errors.js';
import { ProviderUnavailableError } from '../../src/core/session.js';
import { EXIT, EXIT_CODES_HELP, failureOf } from '../../src/shell/exit.js';
import type { Io } from '../../src/shell/io.js';
import { makeStyle } from '../../src/format/style.js';
import { main } from '../../src/cli/main.js';
import { untilSignal, withInterrupt } from '../../src/shell/interrupt.js';
import { buildModel, type Arch } from '../../src/index.js';

describe('exit codes', () => {
  it('gives input errors 2, environment failures 3 and bugs 70, each as one line', () => {
    expect(failureOf(new UsageError('--items: expected a positive whole number, got \'0\''), false)).toEqual({ code: EXIT.usage, message: "--items: expected a positive whole number, got '0'", bug: false });
    expect(failureOf(new EnvironmentError('r.csv: cannot write (ENOSPC)'), false)).toEqual({ code: 3, message: 'r.csv: cannot write (ENOSPC)', bug: false });
    expect(failureOf(new TypeError('x is undefined'), false)).toEqual({ code: 70, message: 'x is undefined', bug: true });
    expect(failureOf(new TypeError('x is undefined'), true).message).toMatch(/^TypeError: x is undefined\n\s+at /);
  });
  it('exits 70 on a bug, with one line and the ZSC_BENCH_DEBUG hint, not the regression code 1', async () => {
    const errors: string[] = [];
    const io: Io = {
      out: () => {
        throw new TypeError('cannot read properties of undefined');
      },
      err: (text) => void errors.push(text),
      outStyle: makeStyle(false),
      errStyle: makeStyle(false),
      errIsTTY: false,
      env: {},
      stdin: Readable.from([]),
    };
    expect(await main(['profiles', 'list'], io)).toBe(70);
    expect(errors).toEqual(['error: cannot read properties of undefined\n', '(set ZSC_BENCH_DEBUG=1 for a stack trace; this is likely a zsc-bench bug)\n']);
    expect(EXIT.regression).toBe(1);
    expect(EXIT_CODES_HELP).toContain('70   an unexpected failure');
  });
  it('every command\'s --help ends with the exit codes', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['model', 'build', '--help'], ['check', '--help']]) {
      let out = '';
      const io = { out: (text: string) => void (out += text), err: () => undefined, outStyle: makeStyle(false), errStyle: makeStyle(false), errIsTTY: false, env: {}, stdin: Readable.from([]) };
      expect(await main(argv, io)).toBe(0);
      expect(out.endsWith(`\n${EXIT_CODES_HELP}`)).toBe(true);
    }
  });
  it('adds the flag that fixes a provider failure only on the command line', () => {
    const error = new ProviderUnavailableError('cuda', 'no GPU');
    expect(error.message).toBe('CUDA execution provider unavailable (no GPU)');
    expect(failureOf(error, false)).toEqual({ code: EXIT.environment, message: 'CUDA execution provider unavailable (no GPU); pass --allow-fallback to run on CPU', bug: false });
  });
});

describe('the library API names options, not flags', () => {
  it('buildModel refuses bad options by their option names; the CLI passes its flag for the folder', async () => {
    await expect(buildModel({ arch: 'huge' as Arch, outDir: 'm' })).rejects.toThrow("arch: unknown architecture 'huge'; expected one of structbert-base, tiny, overlap");
    await expect(buildModel({ arch: 'tiny', outDir: 'm', seed: -1 })).rejects.toThrow("seed: '-1' is not a non-negative safe integer");
    await expect(buildModel({ arch: 'tiny', outDir: ' ' })).rejects.toThrow('outDir: empty folder name');
    await expect(buildModel({ arch: 'tiny', outDir: ' ', outDirLabel: '--out' })).rejects.toThrow('--out: empty folder name');
  });
});

describe('Ctrl-C', () => {
  it('aborts the work on SIGINT and removes its handler afterwards', async () => {
    const before = process.listenerCount('SIGINT');
    const aborted = await withInterrupt(async (signal) => {
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      process.emit('SIGINT', 'SIGINT');
      return signal.aborted;
    });
    expect(aborted).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
  it('waits for the first stop signal, then stops listening', async () => {
    const before = process.listenerCount('SIGTERM');
    const stopped = untilSignal();
    process.emit('SIGTERM', 'SIGTERM');
    expect(await stopped).toBe('SIGTERM');
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
