import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { checkCommandLineLength, checkThreadCount, MAX_COMMAND_LINE_BYTES } from '../../src/core/session.js';
import { notAResultFile } from '../../src/compare/runs.js';
import { failureOf } from '../../src/shell/exit.js';
import { fileNamePart } from '../../src/io/result-files.js';
import { DEFAULT_MAX, parseIntegerInRange, parseNonNegativeNumber, parseNumberInRange, parsePositiveInteger, parsePositiveNumber } from '../../src/shell/parse.js';

describe('parseIntegerInRange / parseNumberInRange', () => {
  it('accepts the ends of the range and refuses one beyond, naming flag and range', () => {
    expect(parseIntegerInRange('1', '--n', 1, 10)).toBe(1);
    expect(parseIntegerInRange(' 10 ', '--n', 1, 10)).toBe(10);
    expect(() => parseIntegerInRange('11', '--n', 1, 10)).toThrow("--n: expected a whole number from 1 to 10, got '11'");
    expect(() => parseIntegerInRange('0', '--n', 1, 10)).toThrow("--n: expected a whole number from 1 to 10, got '0'");
    for (const bad of ['-1', '1.5', '1e3', '', 'ten', '0x10', '99999999999999999999']) expect(() => parseIntegerInRange(bad, '--n', 0, 10)).toThrow(/^--n: /);
  });
  it('numbers: zero only when allowed, never beyond the maximum', () => {
    expect(parseNumberInRange('0.5', '--t', 3600, { unit: 'seconds' })).toBe(0.5);
    expect(parseNumberInRange('3600', '--t', 3600)).toBe(3600);
    expect(parseNumberInRange('0', '--w', 10, { zero: true })).toBe(0);
    expect(() => parseNumberInRange('0', '--t', 3600, { unit: 'seconds' })).toThrow("--t: expected a number above 0 up to 3600 seconds, got '0'");
    expect(() => parseNumberInRange('3600.5', '--t', 3600)).toThrow(/up to 3600/);
    expect(() => parseNumberInRange('Infinity', '--t', 3600)).toThrow(/--t/);
  });
});

describe('the command-line guard before any ONNX Runtime session', () => {
  it('passes up to the limit and refuses one byte more', () => {
    expect(() => checkCommandLineLength(MAX_COMMAND_LINE_BYTES)).not.toThrow();
    expect(() => checkCommandLineLength(MAX_COMMAND_LINE_BYTES + 1)).toThrow(/^the command line is 28001 bytes; ONNX Runtime crashes creating a session above about 29 KB/);
  });
});

describe('readers tell result files from other files', () => {
  it('no schema_version column or an empty file is not a result file', () => {
    expect(notAResultFile('')).toBe('empty');
    expect(notAResultFile('profile,host,mean_ms\ncpu,h,1\n')).toBe('no schema_version column');
    expect(notAResultFile('\uFEFF"schema_version",profile\n1,cpu\n')).toBeUndefined();
  });
  it('names in file names keep to safe characters', () => {
    expect(fileNamePart('../escaped')).toBe('__escaped'); // the slash and the leading dots become _
    expect(fileNamePart('sub/dir')).toBe('sub_dir');
    expect(fileNamePart('my-host.local')).toBe('my-host.local');
    expect(fileNamePart('')).toBe('_');
  });
});

describe('filesystem failures nothing else caught', () => {
  it('are one line naming the file, not a bug report', () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, write '/data/x.csv'"), { code: 'ENOSPC', path: '/data/x.csv', syscall: 'write' });
    // A full disk is the machine's failure (exit 3); a path that cannot be opened is the input's (exit 2).
    expect(failureOf(full, false)).toEqual({ code: 3, message: '/data/x.csv: cannot write (ENOSPC: no space left on device)', bug: false });
    const readOnly = Object.assign(new Error("EROFS: read-only file system, open '/ro/y'"), { code: 'EROFS', path: '/ro/y', syscall: 'open' });
    expect(failureOf(readOnly, false)).toEqual({ code: 3, message: '/ro/y: cannot open (EROFS: read-only file system)', bug: false });
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/in/z.csv'"), { code: 'ENOENT', path: '/in/z.csv', syscall: 'open' });
    expect(failureOf(missing, false)).toEqual({ code: 2, message: '/in/z.csv: cannot open (ENOENT: no such file or directory)', bug: false });
    expect(failureOf(new Error('boom'), false)).toEqual({ code: 70, message: 'boom', bug: true });
    expect(failureOf(Object.assign(new Error('x'), { code: 'ERR_SOMETHING', path: '/a' }), false)).toMatchObject({ code: 70, bug: true });
  });
});

describe('no numeric flag is unbounded', () => {
  it('the generic parsers refuse values above their ceiling, keeping their words below it', () => {
    expect(parsePositiveInteger(String(DEFAULT_MAX), '--n')).toBe(DEFAULT_MAX);
    expect(() => parsePositiveInteger('1000000000', '--n')).toThrow("--n: expected a positive whole number up to 1000000, got '1000000000'");
    expect(() => parsePositiveInteger('0', '--n')).toThrow("--n: expected a positive whole number, got '0'");
    expect(() => parsePositiveNumber('1e308', '--q')).toThrow("--q: expected a positive number, got '1e308'");
    expect(() => parsePositiveNumber('99999999', '--q')).toThrow("--q: expected a positive number up to 1000000, got '99999999'");
    expect(() => parseNonNegativeNumber('5000000', '--w')).toThrow("--w: expected a number >= 0 up to 1000000, got '5000000'");
  });
  it('a session never gets more than 4 threads per logical core, whatever asked for them', () => {
    const most = 4 * availableParallelism();
    expect(() => checkThreadCount(most, 'intra-op threads')).not.toThrow();
    expect(() => checkThreadCount(most + 1, 'intra-op threads')).toThrow(`intra-op threads: ${most + 1}; expected 1 to ${most} on this machine (4 per logical core)`);
    expect(() => checkThreadCount(undefined, 'intra-op threads')).not.toThrow();
  });
});
