/**
 * The command flags checked in one place, against one table of bounds: the commands and bench/bench.ts call
 * these. The scenario flags (--hours, --scale, --seed, --start) are checked once, by the scenario stage
 * (applyOverrides), which knows what a window and a volume may be.
 */
import { redactUrl } from '../db/connection.js';
import { UserError } from '../errors.js';
import { buildPlan, type Plan } from '../generate/index.js';
import { COPY_FORMATS, type CopyFormat } from '../load/copy-format.js';
import { DEFAULT_JOBS } from '../load/index.js';
import type { LoadedScenario } from '../load/ledger.js';
import { type Layout, partitionLimitProblem } from '../model/layout.js';
import { ARRIVALS, type Arrivals } from '../query/index.js';
import { suggest } from '../scenario/fields.js';
import { applyOverrides, loadScenario } from '../scenario/index.js';
import { parseStartFlag, relativeStartHours, resolveStart } from '../scenario/time.js';
import type { Scenario, ScenarioOverrides } from '../scenario/types.js';

interface Bound {
  integer: boolean;
  min: number;
  max: number;
}

const UINT32_MAX = 4_294_967_295;

/** What each numeric flag may be. */
const BOUNDS = {
  jobs: { integer: true, min: 1, max: 64 },
  clients: { integer: true, min: 1, max: 256 },
  // seconds of queries: a day at most (gen query; gen bench spends it once per layout)
  duration: { integer: false, min: 0.1, max: 86_400 },
  count: { integer: true, min: 1, max: 100_000_000 },
  rate: { integer: false, min: 0.001, max: 1_000_000 },
  'last-hours': { integer: true, min: 1, max: 8760 },
  'param-seed': { integer: true, min: 0, max: UINT32_MAX },
  // npm run bench: rounds of each loader
  rounds: { integer: true, min: 1, max: 100 },
  // gen live: scenario seconds per wall second (1: real time; 1e6: as fast as the writers go)
  speed: { integer: false, min: 0.001, max: 10_000_000 },
  writers: { integer: true, min: 1, max: 256 },
  'pipeline-depth': { integer: true, min: 1, max: 16 },
  premake: { integer: true, min: 1, max: 8760 },
  retention: { integer: true, min: 1, max: 87_600 },
  // gen bench --live --find-speed: wall seconds a speed probe plays at most
  'probe-seconds': { integer: false, min: 1, max: 3600 },
} as const satisfies Record<string, Bound>;

type NumericFlag = keyof typeof BOUNDS;

/** The number flags that take whole numbers only: BOUNDS' and the scenario's (--hours, --seed; --scale may be 0.5). */
const INTEGER_FLAGS: ReadonlySet<string> = new Set([
  'hours',
  'seed',
  ...Object.entries(BOUNDS as Record<string, Bound>)
    .filter(([, b]) => b.integer)
    .map(([name]) => name),
]);

/** The flag's value checked against its bounds, or undefined when it was not given. */
export function numericFlag(name: NumericFlag, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const b: Bound = BOUNDS[name];
  const ok = Number.isFinite(v) && (!b.integer || Number.isSafeInteger(v)) && v >= b.min && v <= b.max;
  if (!ok) {
    throw new UserError(
      `--${name}: ${String(v)} is not allowed; expected ${b.integer ? 'an integer' : 'a number'} from ${b.min} to ${b.max}`,
    );
  }
  return v;
}

/** --clients of a live run (gen live, gen bench --live): dashboards beside it, 0 for none; gen query's needs 1. */
export function dashboardClientsFlag(v: number | undefined, fallback: number): number {
  if (v === 0) return 0;
  const max = BOUNDS.clients.max;
  // numericFlag's message would say "from 1", of a flag that takes 0 here
  if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1 && v <= max))
    throw new UserError(
      `--clients: ${String(v)} is not allowed; expected an integer from 0 (no dashboards) to ${max}`,
    );
  return v ?? fallback;
}

export function jobsFlag(v: number | undefined): number {
  return numericFlag('jobs', v) ?? DEFAULT_JOBS;
}

/** Any name is fine (it is always quoted) except what Postgres will not create: empty, too long, pg_*. */
export function schemaFlag(s: string, flag = '--schema'): string {
  if (s.length === 0 || s.length > 63 || s.startsWith('pg_')) {
    throw new UserError(`${flag}: "${s}" is not allowed; expected 1 to 63 characters, not starting with pg_`);
  }
  return s;
}

/** --copy-format: how a database load sends rows. */
export function copyFormatFlag(s: string): CopyFormat {
  const f = COPY_FORMATS.find((x) => x === s);
  if (f === undefined) {
    throw new UserError(`--copy-format: "${s}" is not allowed; expected one of: ${COPY_FORMATS.join(', ')}`);
  }
  return f;
}

/** gen query --arrivals: how queries arrive under --rate; only with it. */
export function arrivalsFlag(s: string | undefined, rate: number | undefined): Arrivals | undefined {
  if (s === undefined) return undefined;
  const f = ARRIVALS.find((x) => x === s);
  if (f === undefined) {
    throw new UserError(`--arrivals: "${s}" is not allowed; expected one of: ${ARRIVALS.join(', ')}`);
  }
  if (rate === undefined) {
    throw new UserError(
      `--arrivals: "${s}" is not allowed without --rate; expected --rate N with it (without a rate each client sends its next query when the last is done)`,
    );
  }
  return f;
}

/** A comma-separated list without blanks: `a, b,,c` is [a, b, c]. */
export function listFlag(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export interface ScenarioFlags {
  scenario: string;
  hours?: number | undefined;
  scale?: number | undefined;
  seed?: number | undefined;
  start?: string | undefined;
}

export interface ChosenScenario {
  scenario: Scenario;
  plan: Plan;
  /** the start is the recorded run's (a relative --start resolved when that run was first loaded) */
  startRecorded: boolean;
}

/**
 * The scenario with --hours/--scale/--seed/--start applied, and its plan: nothing has touched a database yet.
 * A relative --start (`now-72h`) is resolved against `now` (epoch ms, read once by the command), unless
 * `recorded` (the run a schema holds, from its ledger) was loaded with the same offset: then it means that
 * run's window, so a load interrupted at 10:59 and resumed at 11:02 continues the window it started.
 */
export function scenarioFromFlags(
  a: ScenarioFlags,
  o: { now: number; recorded?: LoadedScenario | null | undefined },
): ChosenScenario {
  const overrides: ScenarioOverrides = {};
  if (a.hours !== undefined) overrides.hours = a.hours;
  if (a.scale !== undefined) overrides.scale = a.scale;
  if (a.seed !== undefined) overrides.seed = a.seed;
  let startRecorded = false;
  if (a.start !== undefined) {
    const start = parseStartFlag(a.start, '--start');
    overrides.start = resolveStart(start, o.now);
    if (start.kind === 'now') {
      overrides.startFrom = start.expression;
      const was = o.recorded?.startFrom;
      // compared by offset, so now-3d finds a run loaded with now-72h
      if (was !== undefined && relativeStartHours(was) === start.offsetHours && o.recorded) {
        overrides.start = o.recorded.start;
        startRecorded = true;
      }
    }
  }
  const scenario = applyOverrides(loadScenario(a.scenario, a.hours), overrides);
  return { scenario, plan: buildPlan(scenario), startRecorded };
}

/**
 * A window the layout would cut into more partitions than gen creates (MAX_PARTITIONS) is refused here, before
 * anything connects or is written; `--out` and gen live make no partitions up front and need no check.
 */
export function refuseTooManyPartitions(s: Scenario, layout: Layout): void {
  const problem = partitionLimitProblem(layout, s.start, s.hours);
  if (problem !== undefined) throw new UserError(`--hours ${s.hours}: ${problem}`);
}

/** The window start for people: `2026-11-24T10:00:00Z (--start now-72h, as recorded by the schema's run)`. */
export function describeStart(c: ChosenScenario): string {
  const at = new Date(c.scenario.start).toISOString();
  if (c.scenario.startFrom === undefined) return at;
  return `${at} (--start ${c.scenario.startFrom}${c.startRecorded ? ", as recorded by the schema's run" : ''})`;
}

/**
 * yargs turns a flag given twice into an array, which no command expects (`--schema a --schema b` would reach
 * the code as ['a', 'b']): refused here, so every value has the type its option declares.
 */
export function refuseRepeatedFlags(args: Record<string, unknown>): void {
  for (const [key, v] of Object.entries(args)) {
    // skip the positionals (_) and yargs' camelCase copies of kebab-case flags
    // what follows `--` (yargs keeps it apart): no command of gen takes anything there
    if (key === '--' && Array.isArray(v) && v.length > 0)
      throw new UserError(
        `-- ${v.map((w) => redactUrl(String(w))).join(' ')}: gen takes nothing after --; expected flags before it, or no --`,
      );
    if (key === '_' || key === '$0' || key === '--' || /[A-Z]/.test(key) || !Array.isArray(v)) continue;
    throw new UserError(`--${key}: given ${v.length} times (${v.join(', ')}); expected it once`);
  }
}

/** The flags of the command being run that take a value, by their declared type (yargs' own table). */
export interface ValueFlags {
  string: readonly string[];
  number: readonly string[];
  /** each flag's other names */
  alias: Readonly<Record<string, readonly string[]>>;
}

/** ValueFlags of the yargs instance, as the command being run declared them: getOptions() is in yargs 18, not in @types/yargs. */
export function valueFlagsOf(y: unknown): ValueFlags {
  const o = (y as { getOptions?: () => Partial<ValueFlags> }).getOptions?.();
  if (o === undefined) throw new Error('yargs has no getOptions(): its declared flag types are needed');
  return { string: o.string ?? [], number: o.number ?? [], alias: o.alias ?? {} };
}

/** the flags the yargs instance knows for the command being run: all by first name, and the boolean ones */
export function flagNamesOf(y: unknown): { all: string[]; boolean: string[] } {
  const o = (
    y as { getOptions?: () => { key?: Record<string, unknown>; boolean?: string[] } }
  ).getOptions?.();
  return { all: Object.keys(o?.key ?? {}), boolean: o?.boolean ?? [] };
}

/**
 * The word after a `--flag` given without `=`: its value as yargs reads it. A negative number is a value (yargs
 * reads `--hours -3` so); another flag is not, nor `-` alone (yargs takes it for an argument).
 */
function isFlagValue(next: string | undefined): next is string {
  return next !== undefined && (!next.startsWith('-') || /^-[\d.]/.test(next));
}

/** a number as people write one: 3, -1, 0.5, .5, 1e6 (not 0x2, 3abc or "") */
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * A flag that takes a value given none, read from the command line itself: `--schema` last or followed by
 * another flag, `--schema=`, `--schema ""` (an empty shell variable). yargs used the flag's default then, so
 * `gen --reset --schema $EMPTY` reset data_playground. And a number flag's text that is not a number, named as
 * given (yargs makes it NaN, or 0 for an empty one).
 */
export function refuseMissingValues(argv: readonly string[], flags: ValueFlags): void {
  const typeOf = new Map<string, 'string' | 'number'>();
  for (const [list, type] of [
    [flags.string, 'string'],
    [flags.number, 'number'],
  ] as const) {
    for (const name of list) {
      typeOf.set(name, type);
      for (const other of flags.alias[name] ?? []) typeOf.set(other, type);
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') return;
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(token);
    const name = m?.[1];
    if (name === undefined) continue;
    const type = typeOf.get(name);
    if (type === undefined) continue;
    let value = m?.[2];
    if (value === undefined) {
      const next = argv[i + 1];
      // `--json -`, as many tools write to standard output: yargs would call "-" an argument of its own
      if (next === '-') value = next;
      else if (isFlagValue(next)) {
        value = next;
        i++;
      }
    }
    const whole = type === 'number' && INTEGER_FLAGS.has(name);
    const expected = type === 'string' ? 'a value' : whole ? 'an integer' : 'a number';
    // `--json -` or `--json=-`
    if (value === '-')
      throw new UserError(
        `--${name} -: gen reads no standard input and writes no standard output here; expected ${expected}`,
      );
    if (value === undefined || value.trim() === '')
      throw new UserError(`--${name}: no value given; expected ${expected} after it`);
    if (type === 'number' && !NUMBER_TEXT.test(value.trim()))
      throw new UserError(
        `--${name}: "${value}" is not a number; expected ${expected} such as ${whole ? '3 or 1e6' : '3, 0.5 or 1e6'}`,
      );
  }
}

/** `--shard K/N`: shard K (1-based) of N, N at most the run's chunks. */
export interface ShardFlag {
  k: number;
  n: number;
}

/** The environment variable an Indexed Job of Kubernetes sets to each pod's 0-based index. */
export const SHARD_INDEX_ENV = 'JOB_COMPLETION_INDEX';

const wholeNumber = (s: string): number | undefined => (/^\d{1,9}$/.test(s) ? Number(s) : undefined);

/**
 * --shard K/N, or JOB_COMPLETION_INDEX/N (K is that variable + 1: Kubernetes numbers the pods of an Indexed
 * Job from 0). `chunks` is the run's chunk count: more shards than chunks would leave some empty.
 */
export function shardFlag(
  s: string | undefined,
  env: Record<string, string | undefined>,
  chunks: number,
): ShardFlag | undefined {
  if (s === undefined) return undefined;
  const allowed = `expected K/N with 1 <= K <= N <= ${chunks} (the run's chunks), or ${SHARD_INDEX_ENV}/N`;
  const m = /^\s*([^/\s]+)\s*\/\s*(\S+)\s*$/.exec(s);
  const n = m?.[2] === undefined ? undefined : wholeNumber(m[2]);
  if (m === null || n === undefined || n < 1 || n > chunks) {
    throw new UserError(`--shard: "${s}" is not allowed; ${allowed}`);
  }
  if (m[1] === SHARD_INDEX_ENV) {
    const v = env[SHARD_INDEX_ENV];
    const i = v === undefined ? undefined : wholeNumber(v.trim());
    if (i === undefined || i >= n) {
      throw new UserError(
        `--shard ${s}: ${SHARD_INDEX_ENV} is ${v === undefined ? 'not set' : `"${v}"`}; expected an integer from 0 to ${n - 1} (Kubernetes' 0-based pod index)`,
      );
    }
    return { k: i + 1, n };
  }
  const k = m[1] === undefined ? undefined : wholeNumber(m[1]);
  if (k === undefined || k < 1 || k > n) throw new UserError(`--shard: "${s}" is not allowed; ${allowed}`);
  return { k, n };
}

/** `fooBar` for `foo-bar`: yargs reports an unknown flag under both names */
const camel = (k: string): string => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * yargs' own refusals as gen's one line: an unknown flag named as typed (`--hour`, not `hour`) with the closest
 * flag of the command, a word that is no command with the commands, an argument a command does not take, and
 * too few arguments with the command's usage. Other messages are returned as they are.
 * `commands`: each command's usage (`live`, `compare <a> <b>`; `$0` is gen itself); `flags`: the flags yargs
 * knew when it refused (the command's own: all, and which take no value).
 */
export function describeParseFailure(
  msg: string,
  argv: readonly string[],
  commands: readonly string[],
  flags: { all: readonly string[]; boolean: readonly string[] },
): string {
  const names = commands.map((c) => c.split(' ')[0] ?? c).filter((c) => c !== '$0');
  // the flags as typed (before `--`), each with the names yargs may report it by; the words that are no flag
  // and no flag's value (an unknown --x takes the word after it, as yargs reads it)
  const typed: { display: string; keys: Set<string> }[] = [];
  const words: string[] = [];
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const long = /^--([^=]+)(=.*)?$/s.exec(a);
    if (long?.[1] !== undefined) {
      const k = long[1];
      const bare = k.startsWith('no-') ? k.slice(3) : k;
      typed.push({ display: `--${k}`, keys: new Set([k, bare, camel(k), camel(bare)]) });
      const next = args[i + 1];
      const isBoolean = flags.boolean.includes(k) || flags.boolean.includes(bare) || bare !== k;
      if (long[2] === undefined && !isBoolean && isFlagValue(next)) i++;
    } else if (/^-[^-\d]/.test(a)) {
      for (const c of a.slice(1).split('=')[0] ?? '') typed.push({ display: `-${c}`, keys: new Set([c]) });
    } else words.push(a);
  }
  const cmd = words[0] !== undefined && names.includes(words[0]) ? words[0] : undefined;
  const gen = cmd === undefined ? 'gen' : `gen ${cmd}`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown?.[1] !== undefined) {
    const problems: string[] = [];
    const told = new Set<number>();
    let flagNamed = false;
    let commandTold = false;
    for (const name of unknown[1].split(', ')) {
      const at = typed.findIndex((t) => t.keys.has(name));
      if (at >= 0) {
        if (told.has(at)) continue;
        told.add(at);
        flagNamed = true;
        const { display } = typed[at] as { display: string };
        const bare = display.replace(/^-+(no-)?/, '');
        const hint =
          bare.length > 1
            ? suggest(
                bare,
                flags.all.filter((f) => f.length > 1),
              )
            : undefined;
        const no = display.startsWith('--no-') ? 'no-' : '';
        problems.push(`${display} is not a flag of ${gen}${hint ? ` (did you mean --${no}${hint}?)` : ''}`);
      } else if (cmd === undefined && !commandTold && name === words[0]) {
        commandTold = true;
        const hint = suggest(name, names);
        problems.push(
          `"${name}" is not a command${hint ? ` (did you mean ${hint}?)` : ''}; expected one of: ${names.join(', ')}`,
        );
      } else problems.push(`"${name}" is an argument ${gen} does not take`);
    }
    return `${problems.join('; ')}${flagNamed ? `; ${gen} --help lists them` : ''}`;
  }
  const few = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(msg);
  if (few) {
    const usage = commands.find((c) => c.split(' ')[0] === cmd);
    const given = `${few[1]} argument${few[1] === '1' ? '' : 's'} given, ${few[2]} needed`;
    return usage === undefined
      ? `${given}; gen --help lists the commands`
      : `${cmd}: ${given} (gen ${usage})`;
  }
  return msg;
}
