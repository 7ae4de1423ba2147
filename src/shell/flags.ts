import { Option, type Command } from 'commander';
import type { Io } from './io.js';
import type { ExitCode } from './exit.js';
import { UsageError } from '../base/errors.js';

/**
 * One command-line flag, declared once beside its command: commander's option (name, value,
 * description, default, choices), how a given value is read (`parse`, with its bounds), and
 * whether it shaped what ran or only where and how results are shown (`output`). `V` is what
 * commander hands the action: the value as given (a string), a boolean, or a list.
 */
export interface Flag<V> {
  readonly spec: string;
  readonly description: string;
  readonly defaultValue?: string;
  readonly choices?: readonly string[];
  readonly mandatory?: boolean;
  /** Output-only (--out, --json, --wide): left out of the command line saved with results. */
  readonly output?: boolean;
  /** Phantom: carries the value type only. */
  readonly value?: V;
}

/** A flag whose value overrides one field of a target (a profile): the field and its parser. */
export interface OverrideFlag<T, K extends keyof T> extends Flag<string | undefined> {
  readonly field: K;
  readonly parse: (value: string, flag: string) => T[K];
}

export type Flags = Record<string, Flag<unknown>>;
type ValueOf<F> = F extends Flag<infer V> ? V : never;
type OptionalKeys<D extends Flags> = { [K in keyof D]: undefined extends ValueOf<D[K]> ? K : never }[keyof D];

/** The parsed options of a command, typed from its declarations (a flag without a default may be absent). */
export type FlagValues<D extends Flags> = { [K in Exclude<keyof D, OptionalKeys<D>>]: ValueOf<D[K]> } & { [K in OptionalKeys<D>]?: Exclude<ValueOf<D[K]>, undefined> };

/** What every command's action needs: where to print and where to leave its exit code. */
export interface CommandContext {
  io: Io;
  setExitCode: (code: ExitCode) => void;
}

/** A value flag (`--name <value>`); absent unless given. */
export function flag(spec: string, description: string): Flag<string | undefined> {
  return { spec, description };
}

/** A value flag with a default, which help shows. */
export function flagWithDefault(spec: string, description: string, defaultValue: string): Flag<string> {
  return { spec, description, defaultValue };
}

/** A flag that must be given; `<values...>` collects a list. */
export function requiredFlag(spec: `${string}...>`, description: string): Flag<string[]>;
export function requiredFlag(spec: string, description: string): Flag<string>;
export function requiredFlag(spec: string, description: string): Flag<string> | Flag<string[]> {
  return { spec, description, mandatory: true };
}

/** A switch (`--wide`); `--no-name` declares one that is on unless given. */
export function switchFlag(spec: `--no-${string}`, description: string): Flag<boolean>;
export function switchFlag(spec: string, description: string): Flag<boolean | undefined>;
export function switchFlag(spec: string, description: string): Flag<boolean | undefined> {
  return { spec, description };
}

/** One of a fixed set of values, with a default. */
export function choiceFlag<C extends string>(spec: string, description: string, choices: readonly C[], defaultValue: C): Flag<C> {
  return { spec, description, choices, defaultValue };
}

/** One of a fixed set of values, required. */
export function requiredChoiceFlag<C extends string>(spec: string, description: string, choices: readonly C[]): Flag<C> {
  return { spec, description, choices, mandatory: true };
}

/** A flag that overrides `field` of the target with `parse(value)`. */
export function overrideFlag<T, K extends keyof T>(field: K, spec: string, parse: (value: string, flag: string) => T[K], description = ''): OverrideFlag<T, K> {
  return { spec, description, field, parse };
}

/** The same flag with this command's help text: a shared flag keeps its name, field and parser. */
export function described<F extends Flag<unknown>>(declared: F, description: string): F {
  return { ...declared, description };
}

/** Marks a flag output-only: it changes where or how results are shown, not what runs. */
export function outputOnly<F extends Flag<unknown>>(declared: F): F {
  return { ...declared, output: true };
}

function optionOf(declared: Flag<unknown>): Option {
  const option = new Option(declared.spec, declared.description);
  if (declared.choices !== undefined) option.choices(declared.choices);
  if (declared.defaultValue !== undefined) option.default(declared.defaultValue);
  if (declared.mandatory === true) option.makeOptionMandatory();
  return option;
}

/** The long name (`--pairs-per-run`, `--no-parity`). */
export function longName(declared: Flag<unknown>): string {
  const name = optionOf(declared).long;
  if (name === undefined) throw new Error(`flag ${declared.spec} has no long name`);
  return name;
}

/**
 * Adds the declared flags to a command in declaration order (the order help shows). Each key is
 * the property commander sets (`--pairs-per-run` -> pairsPerRun, `--no-parity` -> parity), so
 * a declaration whose key does not match is a bug, refused here.
 */
export function addFlags(command: Command, declarations: Flags): Command {
  for (const [key, declared] of Object.entries(declarations)) {
    const option = optionOf(declared);
    if (option.attributeName() !== key) throw new Error(`flag ${declared.spec} is declared as '${key}'; commander names it '${option.attributeName()}'`);
    command.addOption(option);
  }
  if ('json' in declarations && 'format' in declarations) command.hook('preAction', (_, action) => unifyJsonAndFormat(action));
  return command;
}

/**
 * `--json` and `--format json` are one option spelt two ways: after parsing, each implies the
 * other, so a command reads either. `--json` with another format given is refused.
 */
function unifyJsonAndFormat(command: Command): void {
  const values = command.opts<{ json?: boolean; format?: string }>();
  if (values.json === true && values.format !== 'json') {
    if (command.getOptionValueSource('format') !== 'default') throw new UsageError(`--json: is short for --format json, but --format ${values.format} was given too`);
    command.setOptionValue('format', 'json');
  } else if (values.format === 'json') {
    command.setOptionValue('json', true);
  }
}

/** Applies every given override flag to the target, in declaration order. */
export function applyOverrides<T extends object>(target: T, declarations: Flags, values: Readonly<Record<string, unknown>>): T {
  let result = target;
  for (const [key, declared] of Object.entries(declarations)) {
    const value = values[key];
    if (!('field' in declared) || typeof value !== 'string') continue;
    const override = declared as OverrideFlag<T, keyof T>;
    result = { ...result, [override.field]: override.parse(value, longName(declared)) };
  }
  return result;
}

/**
 * The flags as given, by long name, for the record of what ran: output-only flags left out, a
 * switch as true, a `--no-name` switch only when given, values as typed.
 */
export function givenFlags(declarations: Flags, values: Readonly<Record<string, unknown>>): Record<string, string | boolean> {
  const given: Record<string, string | boolean> = {};
  for (const [key, declared] of Object.entries(declarations)) {
    const value = values[key];
    if (declared.output === true || value === undefined) continue;
    const name = longName(declared);
    if (name.startsWith('--no-')) {
      if (value === false) given[name] = true;
    } else if (typeof value === 'string' || value === true) {
      given[name] = value;
    }
  }
  return given;
}

/** `--json`: the shorthand of `--format json` that every command printing results accepts. */
export const JSON_FLAG = outputOnly(switchFlag('--json', 'print JSON only (short for --format json)'));

/** `--format`, one option with `--json` (addFlags makes each imply the other); `table` is the default. */
export function formatFlags<C extends string>(choices: readonly C[], defaultValue: C, description = 'output format'): { format: Flag<C>; json: Flag<boolean | undefined> } {
  return { format: outputOnly(choiceFlag<C>('--format <format>', `${description} (--json is short for --format json)`, choices, defaultValue)), json: JSON_FLAG };
}

/** For commands that print a table or JSON: `--format table|json` and `--json`. */
export const JSON_FLAGS = formatFlags(['table', 'json'] as const, 'table');

/** `--wide`: tables with every cell on one line, however wide (the default fits 100 columns). */
export const WIDE_FLAGS = { wide: outputOnly(switchFlag('--wide', 'tables at full width, every cell on one line (the default fits 100 columns)')) };
