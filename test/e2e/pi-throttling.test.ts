import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, unwrap } from '../helpers/cli.js';
import { readCsv, summaryOf, type Row } from '../helpers/csv.js';
import { testModel } from '../helpers/models.js';

/**
 * The Pi path of the hardware monitor, end to end: a `vcgencmd` stub first on the CLI's PATH
 * answers as a Raspberry Pi's does, and the run's rows and warnings must say what it reported.
 */

let tiny: string;
beforeAll(async () => {
  tiny = await testModel('tiny');
});

/**
 * A folder holding an executable `vcgencmd` whose case branches are `body(log)` (a shell
 * `case "$*"`), each call's arguments appended to the file `log` before it answers.
 */
function stubVcgencmd(body: (log: string) => string): { bin: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'zsc-vcgencmd-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  writeFileSync(join(bin, 'vcgencmd'), `#!/bin/sh\necho "$*" >> '${log}'\ncase "$*" in\n${body(log)}\nesac\n`);
  chmodSync(join(bin, 'vcgencmd'), 0o755);
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

const onPath = (bin: string) => ({ PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` });

/** The reasons in a row's throttle_reason that are not vcgencmd's (a clock drop where the machine has cpufreq, or an NVIDIA GPU). */
const otherReasons = (row: Row | undefined) => (row?.['throttle_reason'] ?? '').split('; ').filter((reason) => reason !== '' && !reason.startsWith('vcgencmd'));

/**
 * One label count of the tiny model lasts about 3 s at 3 labels on the 2-core development VM
 * (100 items x 15 repeats at ~2.2 ms): the monitor, reading once a second, reads the stub two or
 * more times within each. A slower or busier machine only makes the windows longer.
 */
const SWEEP = ['--items', '100', '--repeats', '15', '--warmup', '1', '--labels', '3,4,5', '--processes', '1', '--threads', '1', '--no-parity'];

describe('run on a Raspberry Pi (a vcgencmd stub on PATH)', () => {
  it('under-voltage before the run, brief ARM capping, then under-voltage and throttling now: each label count told apart, with warnings', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-pi-out-'));
    // What get_throttled says follows the summary rows written so far (after each label count's
    // timed loop, before the next one's), so which count sees which state is not a matter of
    // timing; each count only needs a reading or two within it:
    //   none yet (3 labels): 0x50000, under-voltage has occurred, before the run: not this run's;
    //   one (4 labels): ARM capping comes and goes between readings, its "has occurred" bit set
    //     on every other reading and cleared between (as Linux's raspberrypi-hwmon driver clears
    //     them): 0x70000 / 0x50000, no "now" bit at any reading (two readings in the count
    //     include a 0x70000 that followed a 0x50000);
    //   two (5 labels): 0x50005, under-voltage and throttled now.
    const stub = stubVcgencmd((log) =>
      [
        // A Pi's `vcgencmd version`; the monitor asks it once, to know the tool answers.
        `  version) printf '%s\\n' 'Mar 17 2023 10:52:42 ' 'Copyright (c) 2012 Broadcom' 'version 82f3750a65fadae9a38077e3c2e217ad158c8d54 (clean) (release) (start)' ;;`,
        `  measure_temp) echo "temp=52.1'C" ;;`,
        '  "measure_clock arm") echo "frequency(0)=2400000000" ;;',
        '  get_throttled)',
        `    rows=$(cat '${out}'/*Z.csv 2>/dev/null | grep -c '^2,summary,')`,
        `    calls=$(grep -c '^get_throttled$' '${log}')`,
        '    case $rows in',
        '      0) echo throttled=0x50000 ;;',
        '      1) if [ $((calls % 2)) -eq 1 ]; then echo throttled=0x70000; else echo throttled=0x50000; fi ;;',
        '      *) echo throttled=0x50005 ;;',
        '    esac ;;',
        '  *) echo "error=1 error_msg=\\"Command not registered\\""; exit 255 ;;',
      ].join('\n'),
    );
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, ...SWEEP, '--out', out], onPath(stub.bin));
    expect(result.code, result.stderr).toBe(0);

    const calls = stub.calls();
    expect(calls.filter((call) => call === 'version')).toHaveLength(1);
    expect(calls.filter((call) => call === 'get_throttled').length).toBeGreaterThanOrEqual(6);

    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => row['labels'])).toEqual(['3', '4', '5']);
    for (const row of rows) {
      expect(row['monitor']).toBe('on');
      expect(row['monitor_sources']).toMatch(/; tools: vcgencmd$/);
      // Where no kernel file gives the CPU's temperature (this VM), the stub's measure_temp does.
      if (row['monitor_sources']?.startsWith('temp: vcgencmd;') === true) expect(row['max_temp_c']).toBe('52.1');
    }
    const [three, four, five] = rows;
    // Nothing from vcgencmd at 3 labels; on a machine that gives no other reason (no cpufreq clock
    // to fall, no NVIDIA GPU, as on this VM) throttled is false, not empty.
    expect(three?.['throttle_reason']).not.toContain('vcgencmd');
    expect(three?.['throttled']).toBe(otherReasons(three).length === 0 ? 'false' : 'true');
    expect(four?.['throttled']).toBe('true');
    expect(four?.['throttle_reason']?.split('; ')).toContain('vcgencmd get_throttled 0x70000 (0x20000 newly set)');
    expect(five?.['throttled']).toBe('true');
    expect(five?.['throttle_reason']?.split('; ')).toContain('vcgencmd get_throttled 0x50005');

    const stderr = unwrap(result.stderr);
    expect(stderr).toMatch(/warning: the machine throttled at 4 labels \(vcgencmd get_throttled 0x70000 \(0x20000 newly set\)(; [^)]*)?\): later samples ran slower hardware/);
    expect(stderr).toMatch(/warning: the machine throttled at 5 labels \(vcgencmd get_throttled 0x50005(; [^)]*)?\): later samples ran slower hardware/);
    if (otherReasons(three).length === 0) expect(stderr).not.toContain('the machine throttled at 3 labels');
  }, 60_000);

  // A vcgencmd that answers `version` but nothing useful after: the run goes on without its figures.
  const broken: Array<[string, string]> = [
    ['prints garbage', `  version) echo 'version ?' ;;\n  measure_temp) echo "temp=.'C" ;;\n  get_throttled) echo 'throttled=0x' ;;\n  *) echo 'garbage ?!' ;;`],
    ['fails', `  version) printf '%s\\n' 'version 82f3750a' ;;\n  *) echo 'VCHI initialization failed' >&2; exit 255 ;;`],
    ['hangs past the 2 s timeout', `  version) printf '%s\\n' 'version 82f3750a' ;;\n  *) exec sleep 30 ;;`],
  ];
  it.each(broken)('a vcgencmd that %s: the run completes, throttled not claimed from it', async (_name, body) => {
    const out = mkdtempSync(join(tmpdir(), 'zsc-pi-broken-'));
    const stub = stubVcgencmd(() => body);
    const result = await runCli(['run', '--profile', 'cpu', '--model', tiny, '--items', '2', '--repeats', '1', '--labels', '3,5', '--processes', '1', '--threads', '1', '--no-parity', '--out', out], onPath(stub.bin));
    expect(result.code, result.stderr).toBe(0);
    expect(stub.calls()).toContain('get_throttled');
    const rows = readCsv(summaryOf(out));
    expect(rows.map((row) => row['labels'])).toEqual(['3', '5']);
    for (const row of rows) {
      expect(row['monitor_sources']).toMatch(/; tools: vcgencmd$/);
      expect(row['throttle_reason']).not.toContain('vcgencmd');
      // Empty (no reading in the window, or nothing readable) or false; true only from another source.
      expect(['', 'false', ...(otherReasons(row).length > 0 ? ['true'] : [])]).toContain(row['throttled']);
      if (row['monitor_sources']?.startsWith('temp: vcgencmd;') === true) expect(row['max_temp_c']).toBe('');
    }
    expect(unwrap(result.stderr)).not.toContain('vcgencmd get_throttled');
  }, 60_000);
});
