/** The pure and file-level functions behind issue 24's hostile findings 1, 2, 4, 8 and 10. */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/base/errors.js';
import { checkInputFile, formatMiB, INPUT_LIMITS, readInputFile } from '../../src/base/input-file.js';
import { checkWriteTarget, SpecialFileError, writeFileAtomic } from '../../src/io/atomic.js';
import { distinctFiles } from '../../src/io/glob.js';
import { markdownSafe, spreadsheetSafe, terminalSafe } from '../../src/format/text.js';
import { PidFile } from '../../src/shell/output-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'zsc-file-safety-'));
const at = (name: string) => join(dir, name);

describe('terminalSafe', () => {
  it('removes OSC, BEL, clear-screen and other control characters from data', () => {
    expect(terminalSafe('a\u001b]0;PWNED\u0007\u001b[2Jb')).toBe('a]0;PWNED[2Jb');
    expect(terminalSafe('x\u0000\u0008\u007f\u009by')).toBe('xy');
  });

  it("keeps the tool's own colours, the progress line's erase, tab, newline and carriage return", () => {
    expect(terminalSafe('\u001b[1mbold\u001b[22m\t\u001b[33mw\u001b[39m\r\u001b[K\n')).toBe('\u001b[1mbold\u001b[22m\t\u001b[33mw\u001b[39m\r\u001b[K\n');
  });
});

describe('markdownSafe', () => {
  it('escapes HTML and drops control characters', () => {
    expect(markdownSafe('<script>alert("x")</script> & \u001b[2J')).toBe('&lt;script&gt;alert("x")&lt;/script&gt; &amp; [2J');
  });
});

describe('spreadsheetSafe', () => {
  it('prefixes text that a spreadsheet would run', () => {
    expect(["=cmd|' /C calc'!A0", '+1+2', '-x', '@SUM(A1)', '\tx', '\rx'].map(spreadsheetSafe)).toEqual(["'=cmd|' /C calc'!A0", "'+1+2", "'-x", "'@SUM(A1)", "'\tx", "'\rx"]);
  });

  it('leaves numbers, numeric text and plain text alone', () => {
    expect([-1.5, '-1.5', '+3', 'cpu', '', null, true].map(spreadsheetSafe)).toEqual([-1.5, '-1.5', '+3', 'cpu', '', null, true]);
  });
});

describe('readInputFile and checkInputFile', () => {
  it('read a regular file, through a link too', () => {
    writeFileSync(at('plain.txt'), 'hello');
    symlinkSync(at('plain.txt'), at('plain-link.txt'));
    expect(readInputFile(at('plain.txt'), 'text').toString()).toBe('hello');
    expect(readInputFile(at('plain-link.txt'), 'text', '--text-file').toString()).toBe('hello');
  });

  it('refuse a FIFO without blocking, a device and a folder, naming what and the file', () => {
    execFileSync('mkfifo', [at('pipe')]);
    symlinkSync('/dev/zero', at('zero'));
    mkdirSync(at('folder'));
    expect(() => readInputFile(at('pipe'), 'profile', '--profile')).toThrow(new UsageError(`--profile: ${at('pipe')}: a FIFO (named pipe), not a regular file; expected a file to read`));
    expect(() => readInputFile(at('zero'), 'results')).toThrow(new UsageError(`${at('zero')}: a character device, not a regular file; expected a file to read`));
    expect(() => checkInputFile(at('folder'), 'model')).toThrow(new UsageError(`${at('folder')}: a folder, not a regular file; expected a file to read`));
  });

  it('refuse a file over its limit before reading it', () => {
    writeFileSync(at('big.json'), Buffer.alloc(INPUT_LIMITS.profile + 1, 0x20));
    expect(() => readInputFile(at('big.json'), 'profile', '--profile')).toThrow(new UsageError(`--profile: ${at('big.json')}: 1.0 MiB; at most 1 MiB for this kind of file`));
  });

  it('leave a missing file to the caller, with the system code', () => {
    expect(() => readInputFile(at('missing'), 'text')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('formatMiB', () => {
    expect([16 * 1024 * 1024, 1.5 * 1024 * 1024, 17_000_000].map(formatMiB)).toEqual(['16 MiB', '1.5 MiB', '16.2 MiB']);
  });
});

describe('checkWriteTarget and writeFileAtomic', () => {
  it('accept a new path and a regular file', () => {
    writeFileSync(at('old.md'), 'old');
    expect(() => checkWriteTarget(at('new.md'))).not.toThrow();
    writeFileAtomic(at('old.md'), 'new');
    expect(readFileSync(at('old.md'), 'utf8')).toBe('new');
  });

  it('refuse a FIFO, a folder and every symbolic link, leaving them as they were', () => {
    execFileSync('mkfifo', [at('out.fifo')]);
    mkdirSync(at('out-folder'));
    writeFileSync(at('target.md'), 'target');
    symlinkSync(at('target.md'), at('to-file.md'));
    symlinkSync('/dev/null', at('to-null.md'));
    symlinkSync(at('nowhere'), at('dangling.md'));
    const refusal = (path: string, kind: string) => new SpecialFileError(path, kind);
    expect(() => writeFileAtomic(at('out.fifo'), 'x')).toThrow(refusal(at('out.fifo'), 'a FIFO (named pipe)'));
    expect(() => writeFileAtomic(at('out-folder'), 'x')).toThrow(refusal(at('out-folder'), 'a folder'));
    expect(() => writeFileAtomic(at('to-file.md'), 'x')).toThrow(refusal(at('to-file.md'), 'a symbolic link to a regular file'));
    expect(() => writeFileAtomic(at('to-null.md'), 'x')).toThrow(refusal(at('to-null.md'), 'a symbolic link to a character device'));
    expect(() => writeFileAtomic(at('dangling.md'), 'x')).toThrow(refusal(at('dangling.md'), 'a symbolic link to nothing that can be reached'));
    expect(readFileSync(at('target.md'), 'utf8')).toBe('target');
  });
});

describe('distinctFiles', () => {
  it('keeps the first name of each file: ../ and hard links are the same file', () => {
    mkdirSync(at('runs'));
    writeFileSync(at('runs/a.csv'), 'a');
    writeFileSync(at('runs/b.csv'), 'b');
    linkSync(at('runs/a.csv'), at('hard.csv'));
    const named = [at('runs/a.csv'), `${dir}/runs/../runs/a.csv`, at('runs/b.csv'), at('hard.csv'), at('missing.csv')];
    expect(distinctFiles(named)).toEqual({
      files: [at('runs/a.csv'), at('runs/b.csv'), at('missing.csv')],
      repeated: [
        { skipped: `${dir}/runs/../runs/a.csv`, kept: at('runs/a.csv') },
        { skipped: at('hard.csv'), kept: at('runs/a.csv') },
      ],
    });
  });
});

describe('PidFile', () => {
  it('refuses a special path at once, and removes only the file it wrote', () => {
    execFileSync('mkfifo', [at('serve.fifo')]);
    expect(() => new PidFile(at('serve.fifo'), '--pid-file')).toThrow(`--pid-file: ${at('serve.fifo')}: a FIFO (named pipe); zsc-bench writes only`);
    const ours = new PidFile(at('ours.pid'), '--pid-file');
    ours.write();
    expect(readFileSync(at('ours.pid'), 'utf8')).toBe(`${process.pid}\n`);
    ours.remove();
    expect(() => readFileSync(at('ours.pid'))).toThrow();
    const replaced = new PidFile(at('replaced.pid'), '--pid-file');
    replaced.write();
    writeFileAtomic(at('replaced.pid'), '12345\n');
    replaced.remove();
    expect(readFileSync(at('replaced.pid'), 'utf8')).toBe('12345\n');
  });
});
