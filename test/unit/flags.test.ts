import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { RUN_FLAGS, runCommandOf, type RunFlags } from '../../src/commands/run.js';
import { AB_FLAGS } from '../../src/commands/ab.js';
import { SERVE_FLAGS } from '../../src/commands/serve.js';
import { loadProfile, type Profile } from '../../src/profiles/profile.js';
import { addFlags, applyOverrides, flag, givenFlags, overrideFlag, switchFlag, type Flags } from '../../src/shell/flags.js';
import { PROFILE_FIELD_FLAGS } from '../../src/shell/profile-flags.js';
import { parsePositiveNumber } from '../../src/shell/parse.js';

/** Parses argv against the declarations the way the CLI does, without running the command. */
function parse(declarations: Flags, argv: string[]): Record<string, unknown> {
  const command = addFlags(new Command('test').exitOverride(), declarations);
  command.parse(argv, { from: 'user' });
  return command.opts();
}

function helpOf(declarations: Flags): string {
  return addFlags(new Command('test'), declarations).helpInformation();
}

describe('run: the saved command line and the overrides come from the declarations', () => {
  const argv = ['--profile', 'cpu', '--items', '8', '--labels', '5,3,5', '--no-parity', '--allow-fallback', '--out', 'elsewhere', '--json', '--wide', '--progress-interval', '2', '-p', 'int8'];

  it('records the flags that shaped what ran, as given; output-only flags and --profile itself are left out', () => {
    const flags = parse(RUN_FLAGS, argv) as RunFlags;
    expect(runCommandOf(flags)).toEqual({
      profile: 'cpu',
      flags: { '--items': '8', '--labels': '5,3,5', '--precision': 'int8', '--no-parity': true, '--allow-fallback': true },
    });
  });

  it('records nothing but the profile when no flag is given', () => {
    expect(runCommandOf(parse(RUN_FLAGS, ['--profile', 'base']) as RunFlags)).toEqual({ profile: 'base', flags: {} });
  });

  it('applies each override to its profile field with its parser and bounds', () => {
    const base = loadProfile('base');
    const profile = applyOverrides(base, RUN_FLAGS, parse(RUN_FLAGS, [...argv, '--provider', 'cpu', '--threads', '1', '--pairs-per-run', 'auto', '--scenario', 'offline', '--warmup', '0', '--repeats', '2']));
    expect(profile).toEqual({ ...base, items: 8, labelCounts: [3, 5], precision: 'int8', executionProviders: ['cpu'], intraOpThreads: 1, pairsPerRun: 'auto', scenario: 'offline', warmup: 0, repeats: 2 });
    expect(applyOverrides(base, RUN_FLAGS, parse(RUN_FLAGS, ['--profile', 'base']))).toEqual(base);
    expect(() => applyOverrides(base, RUN_FLAGS, parse(RUN_FLAGS, ['--profile', 'base', '--labels', '0']))).toThrow("--labels: expected a whole number from 1 to 64, got '0'");
    expect(() => applyOverrides(base, RUN_FLAGS, parse(RUN_FLAGS, ['--profile', 'base', '--warmup', '1001']))).toThrow("--warmup: expected a whole number from 0 to 1000, got '1001'");
  });

  it('ab and serve share run\'s declarations of the profile fields: same name and parser, their own help text', () => {
    expect(AB_FLAGS.labels.parse).toBe(RUN_FLAGS.labels.parse);
    expect(AB_FLAGS.dataset.spec).toBe(RUN_FLAGS.dataset.spec);
    expect(SERVE_FLAGS.precision.parse).toBe(PROFILE_FIELD_FLAGS.precision.parse);
    expect(SERVE_FLAGS.threads.field).toBe('intraOpThreads');
    expect(AB_FLAGS.labels.description).not.toBe(RUN_FLAGS.labels.description);
  });
});

describe('a flag declared once', () => {
  const FLAGS = {
    ...RUN_FLAGS,
    costPerHour: overrideFlag<Profile, 'costPerHour'>('costPerHour', '--cost-per-hour <usd>', parsePositiveNumber, 'what an hour of this machine costs'),
  };

  it('appears in help, in the overrides and in the saved command line', () => {
    expect(helpOf(FLAGS)).toMatch(/--cost-per-hour <usd>\s+what an hour of this machine costs/);
    const flags = parse(FLAGS, ['--profile', 'base', '--cost-per-hour', '0.5']);
    expect(applyOverrides(loadProfile('base'), FLAGS, flags).costPerHour).toBe(0.5);
    const { profile: _profile, ...shaping } = FLAGS;
    expect(givenFlags(shaping, flags)).toEqual({ '--cost-per-hour': '0.5' });
  });

  it('is refused when its key is not the property commander sets', () => {
    expect(() => addFlags(new Command('test'), { pairs: flag('--pairs-per-run <n>', '') })).toThrow("flag --pairs-per-run <n> is declared as 'pairs'; commander names it 'pairsPerRun'");
    expect(() => addFlags(new Command('test'), { noParity: switchFlag('--no-parity', '') })).toThrow(/commander names it 'parity'/);
  });
});
