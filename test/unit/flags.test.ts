/**
 * The command flags without a database: the bounds table, repeated flags, and the CLI's exit code for bad
 * flags (checked before any connection: the --db URL here points at a closed port and is never used).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import {
  jobsFlag,
  listFlag,
  numericFlag,
  refuseRepeatedFlags,
  schemaFlag,
  shardFlag,
} from '../../src/commands/flags.js';
import { EXIT, UserError } from '../../src/errors.js';
import { DEFAULT_JOBS } from '../../src/load/index.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function gen(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(args, { stdout, stderr, env: {} });
  return { code, out: stdout.text, err: stderr.text };
}

const closed = ['--db', 'postgres://me:pw@127.0.0.1:1/db'];

describe('numericFlag', () => {
  it('passes values within bounds and undefined through', () => {
    expect(numericFlag('clients', 256)).toBe(256);
    expect(numericFlag('duration', 0.1)).toBe(0.1);
    expect(numericFlag('count', undefined)).toBeUndefined();
    expect(jobsFlag(undefined)).toBe(DEFAULT_JOBS);
  });

  it.each([
    ['jobs', 0, '--jobs: 0 is not allowed; expected an integer from 1 to 64'],
    ['jobs', 2.5, '--jobs: 2.5 is not allowed; expected an integer from 1 to 64'],
    ['clients', 257, '--clients: 257 is not allowed; expected an integer from 1 to 256'],
    ['duration', 86_401, '--duration: 86401 is not allowed; expected a number from 0.1 to 86400'],
    ['rate', Number.NaN, '--rate: NaN is not allowed; expected a number from 0.001 to 1000000'],
    ['param-seed', -1, '--param-seed: -1 is not allowed; expected an integer from 0 to 4294967295'],
  ] as const)('--%s %s is refused', (name, v, message) => {
    expect(() => numericFlag(name, v)).toThrow(new UserError(message));
  });
});

describe('schemaFlag, listFlag, repeated flags', () => {
  it('refuses what Postgres will not create and names the flag', () => {
    expect(schemaFlag('any "name"; at all')).toBe('any "name"; at all');
    expect(() => schemaFlag('')).toThrow(/^--schema: "" is not allowed/);
    expect(() => schemaFlag('pg_x', '--schema-prefix')).toThrow(/^--schema-prefix: "pg_x"/);
    expect(() => schemaFlag('x'.repeat(64))).toThrow(/1 to 63 characters/);
  });

  it('splits lists without blanks', () => {
    expect(listFlag(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(listFlag(',')).toEqual([]);
  });

  it('refuses a flag given twice, but not the positionals', () => {
    expect(() => refuseRepeatedFlags({ _: ['a', 'b'], hours: 3 })).not.toThrow();
    expect(() => refuseRepeatedFlags({ _: [], schema: ['a', 'b'] })).toThrow(
      '--schema: given 2 times (a, b); expected it once',
    );
  });
});

describe('shardFlag', () => {
  const env = (v?: string): Record<string, string | undefined> => ({ JOB_COMPLETION_INDEX: v });

  it('reads K/N and JOB_COMPLETION_INDEX/N (0-based, so K is the variable + 1)', () => {
    expect(shardFlag(undefined, {}, 10)).toBeUndefined();
    expect(shardFlag('2/4', {}, 10)).toEqual({ k: 2, n: 4 });
    expect(shardFlag(' 1 / 1 ', {}, 1)).toEqual({ k: 1, n: 1 });
    expect(shardFlag('10/10', {}, 10)).toEqual({ k: 10, n: 10 });
    expect(shardFlag('JOB_COMPLETION_INDEX/4', env('0'), 10)).toEqual({ k: 1, n: 4 });
    expect(shardFlag('JOB_COMPLETION_INDEX/4', env('3'), 10)).toEqual({ k: 4, n: 4 });
  });

  const allowed = "expected K/N with 1 <= K <= N <= 10 (the run's chunks), or JOB_COMPLETION_INDEX/N";
  it.each([
    '0/4',
    '5/4',
    '1/0',
    '1/11',
    '2',
    '1/2/3',
    'a/4',
    '1.5/4',
    '-1/4',
    '1/',
    '/4',
    '',
    'job_completion_index/2',
  ])('--shard %j is refused, naming the flag, the value and what is allowed', (v) => {
    expect(() => shardFlag(v, env('0'), 10)).toThrow(
      new UserError(`--shard: "${v}" is not allowed; ${allowed}`),
    );
  });

  it.each([
    [undefined, 'not set'],
    ['', '""'],
    ['4', '"4"'],
    ['-1', '"-1"'],
    ['one', '"one"'],
    ['1.0', '"1.0"'],
  ])('JOB_COMPLETION_INDEX=%j with N=4 is refused', (v, shown) => {
    expect(() => shardFlag('JOB_COMPLETION_INDEX/4', env(v), 10)).toThrow(
      new UserError(
        `--shard JOB_COMPLETION_INDEX/4: JOB_COMPLETION_INDEX is ${shown}; expected an integer from 0 to 3 (Kubernetes' 0-based pod index)`,
      ),
    );
  });
});

describe('gen compare -', () => {
  it('is refused in one line: reports are read from files only', async () => {
    const r = await gen(['compare', '-', 'a.json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'gen: compare: "-" or an empty name is not a file; expected two --json report files (standard input is not read)\n',
    );
  });
});

describe('gen with bad flags: one line, exit code 2, before connecting', () => {
  it.each([
    [['--jobs', '0'], /^gen: --jobs: 0 is not allowed/],
    [['--hours', '0'], /^gen: --hours: 0 is not allowed; expected an integer from 1 to 8760/],
    [['--scale', 'lots'], /^gen: --scale: "lots" is not a number; expected a number such as 3/],
    [['--hours', '3abc'], /^gen: --hours: "3abc" is not a number; expected an integer such as 3 or 1e6$/m],
    [['--scale', ''], /^gen: --scale: no value given; expected a number after it$/m],
    [['--seed'], /^gen: --seed: no value given; expected an integer after it$/m],
    [['query', '--jobs', 'x'], /^gen: --jobs: "x" is not a number; expected an integer such as 3 or 1e6$/m],
    [['--hours', '0x2'], /^gen: --hours: "0x2" is not a number/],
    // "-" for standard output, as many tools take it: yargs would call it an argument
    [
      ['query', '--json', '-'],
      /^gen: --json -: gen reads no standard input and writes no standard output here; expected a value$/m,
    ],
    [
      ['query', '--json=-'],
      /^gen: --json -: gen reads no standard input and writes no standard output here; expected a value$/m,
    ],
    [
      ['--hours', '-'],
      /^gen: --hours -: gen reads no standard input and writes no standard output here; expected an integer$/m,
    ],
    [['--hours', '-3'], /^gen: --hours: -3 is not allowed; expected an integer from 1 to 8760/],
    // a flag with no value used its default: `--reset --schema $EMPTY` would have reset data_playground
    [
      ['--scenario', 'tiny', '--reset', '--schema'],
      /^gen: --schema: no value given; expected a value after it$/m,
    ],
    [['--scenario', 'tiny', '--schema', '', '--reset'], /^gen: --schema: no value given/],
    [['--scenario', 'tiny', '--schema=', '--reset'], /^gen: --schema: no value given/],
    [['--scenario', '--hours', '3'], /^gen: --scenario: no value given/],
    [
      ['--scenario', 'tiny', '--hours', '--scale', '1'],
      /^gen: --hours: no value given; expected an integer after it/,
    ],
    [['--scenario', 'tiny', '--hours', ''], /^gen: --hours: no value given/],
    [['query', '--schema', '--duration', '1'], /^gen: --schema: no value given/],
    [['live', '--scenario', 'tiny', '--speed', 'abc'], /^gen: --speed: "abc" is not a number/],
    [['--schema', 'a', '--schema', 'b'], /^gen: --schema: given 2 times/],
    [['query', '--clients', '0'], /^gen: --clients: 0 is not allowed/],
    // gen live takes 0 (no dashboards): its message says so
    [
      ['live', '--scenario', 'tiny', '--clients', '-1'],
      /^gen: --clients: -1 is not allowed; expected an integer from 0 \(no dashboards\) to 256$/m,
    ],
    [
      ['live', '--scenario', 'tiny', '--layout', 'none', '--retention', '5'],
      /^gen: --retention: layout "none" partitions none of the event tables, so nothing can be retired; expected a partitioned layout \(hourly, daily\), or no --retention$/m,
    ],
    // each shard would drop what the others committed
    [
      ['--scenario', 'tiny', '--shard', '1/2', '--reset'],
      /^gen: --reset: not with --shard, where each process would drop the chunks the others committed/,
    ],
    // --out writes the hourly layout's partitions: another layout was ignored without a word
    [
      ['--scenario', 'tiny', '--layout', 'daily', '--out', '/tmp/dp-never-written'],
      /^gen: --layout: daily is not used with --out, which writes a file per partition of the hourly layout; expected no --layout/,
    ],
    [
      ['query', '--queries', 'shop-orders-hour,nope'],
      /^gen: --queries: unknown query nope; expected one of: /,
    ],
    [['query', '--with-load', '--jobs', '0', '--scenario', 'tiny'], /^gen: --jobs: 0 is not allowed/],
    [
      ['query', '--arrivals', 'poisson'],
      /^gen: --arrivals: "poisson" is not allowed without --rate; expected --rate N/,
    ],
    [
      ['query', '--rate', '10', '--arrivals', 'bursty'],
      /^gen: --arrivals: "bursty" is not allowed; expected one of: even, poisson$/m,
    ],
    [
      ['query', '--rate', '10', '--arrivals', 'poisson', '--pgbench', '/tmp/x'],
      /^gen: --arrivals: "poisson" is not allowed with --pgbench; expected no --arrivals there \(pgbench -R always draws Poisson/,
    ],
    [['bench', '--duration', '0'], /^gen: --duration: 0 is not allowed/],
    [['bench', '--schema-prefix', 'pg_'], /^gen: --schema-prefix: "pg_" is not allowed/],
    [['verify', '--jobs', '65'], /^gen: --jobs: 65 is not allowed/],
    [
      ['--scenario', 'tiny', '--shard', '0/3'],
      /^gen: --shard: "0\/3" is not allowed; expected K\/N with 1 <= K <= N <= 51 /,
    ],
    [
      ['--scenario', 'tiny', '--shard', 'JOB_COMPLETION_INDEX/3'],
      /^gen: --shard JOB_COMPLETION_INDEX\/3: JOB_COMPLETION_INDEX is not set/,
    ],
    // yargs' own refusals, as gen words them: the flag as typed, the closest one, what lists them
    [
      ['--hour', '2'],
      /^gen: --hour is not a flag of gen \(did you mean --hours\?\); gen --help lists them$/m,
    ],
    [
      ['query', '--clientz', '2'],
      /^gen: --clientz is not a flag of gen query \(did you mean --clients\?\); gen query --help/,
    ],
    [
      ['live', '--bogus', '--hourz', '3'],
      /^gen: --bogus is not a flag of gen live; --hourz is not a flag of gen live \(did you mean --hours\?\)/,
    ],
    [
      ['quer'],
      /^gen: "quer" is not a command \(did you mean query\?\); expected one of: live, query, bench, compare, verify, db, sql, scenarios$/m,
    ],
    [
      ['sql', 'extra'],
      /^gen: --db is not a flag of gen sql; "extra" is an argument gen sql does not take; gen sql --help lists them$/m,
    ],
    [['compare', 'a.json'], /^gen: compare: 1 argument given, 2 needed \(gen compare <a> <b>\)$/m],
    // the command is found past the flags' values; negated, hyphenated and grouped short flags named as typed
    [['--bogus', '--schema', 'live'], /^gen: --bogus is not a flag of gen; gen --help lists them$/m],
    [
      ['--schema', 'x', 'query', '--clientz', '1'],
      /^gen: --clientz is not a flag of gen query \(did you mean --clients\?\)/,
    ],
    [['--hours', '2', 'compare'], /^gen: compare: 0 arguments given, 2 needed/],
    [
      ['--no-analyse'],
      /^gen: --no-analyse is not a flag of gen \(did you mean --no-analyze\?\); gen --help lists them$/m,
    ],
    [['--foo-bar'], /^gen: --foo-bar is not a flag of gen; gen --help lists them$/m],
    [['-ab'], /^gen: -a is not a flag of gen; -b is not a flag of gen; gen --help lists them$/m],
    // nothing is taken after `--` (it ran a default load before); a URL there is shown without its password
    [
      ['--', '--bogus'],
      /^gen: -- --bogus --db postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/db: gen takes nothing after --/,
    ],
    [
      ['foo', 'bar'],
      /^gen: "foo" is not a command; expected one of: [a-z, ]+; "bar" is an argument gen does not take$/m,
    ],
  ])('gen %j', async (args, pattern) => {
    const r = await gen([...args, ...closed]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(pattern);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('gen live --clients 0 is its default (no dashboards), so it may be given', async () => {
    // the next flag checked is --start: its error shows that --clients 0 passed
    const r = await gen(['live', '--scenario', 'tiny', '--clients', '0', '--start', 'bogus', ...closed]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/^gen: --start/);
    expect((await gen(['live', '--clients', '-1', ...closed])).err).toMatch(
      /^gen: --clients: -1 is not allowed/,
    );
  });

  it('an unknown command or flag is a usage error too; --help is not', async () => {
    expect((await gen(['nosuch'])).code).toBe(EXIT.usage);
    expect((await gen(['query', '--bogus', '1'])).code).toBe(EXIT.usage);
    const help = await gen(['verify', '--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toMatch(/--layout\s+the layout it was loaded with/);
  });
});
