/**
 * gen: parse flags, call a stage, print, exit code. Takes argv and streams as parameters so tests run it
 * in-process. User errors: one line and exit code 2. Bugs: the full stack and exit code 1.
 */
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import yargs from 'yargs';
import { connect, describeServer, redactUrl, resolveConnectionString } from './db/connection.js';
import { embeddedStatus, ensureEmbedded, stopEmbedded } from './db/embedded.js';
import { buildPlan } from './generate/index.js';
import { ChunkError, runLoad } from './load/index.js';
import { DEFAULT_SCHEMA, schemaSql } from './model/ddl.js';
import { formatProgress, formatSummary } from './report/terminal.js';
import { applyOverrides, listScenarios, loadScenario, parseStart } from './scenario/index.js';
import { type ScenarioOverrides, UserError } from './scenario/types.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** declarative partitioning with primary keys and partition pruning as gen uses them */
const MIN_SERVER_VERSION = 140000;

interface GenArgs {
  scenario: string;
  hours?: number;
  scale?: number;
  seed?: number;
  start?: string;
  jobs?: number;
  db?: string;
  schema: string;
  out?: string;
  quiet: boolean;
}

function intFlag(name: string, v: unknown, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(
      `--${name}: ${String(v)} is not allowed; expected a whole number from ${min} to ${max}`,
    );
  }
  return n;
}

function numFlag(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new UserError(`--${name}: ${String(v)} is not a number`);
  return n;
}

async function gen(a: GenArgs, io: Io): Promise<number> {
  const say = (s: string): void => {
    io.stderr.write(`${s}\n`);
  };
  const overrides: ScenarioOverrides = {};
  const hours = intFlag('hours', a.hours, 1, 8760);
  const scale = numFlag('scale', a.scale);
  const seed = intFlag('seed', a.seed, 0, 4294967295);
  if (hours !== undefined) overrides.hours = hours;
  if (scale !== undefined) overrides.scale = scale;
  if (seed !== undefined) overrides.seed = seed;
  if (a.start !== undefined) overrides.start = parseStart(a.start, '--start');
  const jobs = intFlag('jobs', a.jobs, 1, 64) ?? Math.min(4, availableParallelism());
  if (a.schema.length === 0 || a.schema.length > 63) {
    throw new UserError(`--schema: "${a.schema}" is not allowed; expected 1 to 63 characters`);
  }
  // validate everything before touching the database
  const scenario = applyOverrides(loadScenario(a.scenario), overrides);
  const plan = buildPlan(scenario);

  let target: Parameters<typeof runLoad>[0]['target'];
  let where: string;
  if (a.out !== undefined) {
    target = { kind: 'dir', dir: a.out };
    where = a.out;
  } else {
    const given = resolveConnectionString({ ...(a.db !== undefined ? { db: a.db } : {}), env: io.env });
    let url: string;
    if (given) {
      url = given.url;
      where = `${redactUrl(url)} (from ${given.source})`;
    } else {
      const e = await ensureEmbedded();
      url = e.url;
      where = `embedded PostgreSQL at ${redactUrl(url)}${e.started ? ' (started)' : ''}`;
    }
    target = { kind: 'db', url, schema: a.schema };
    // connect once before anything else, so a bad URL is one clear line and nothing is written
    const client = await connect(url);
    try {
      const v = await describeServer(client);
      if (v.versionNum < MIN_SERVER_VERSION) {
        throw new UserError(`${redactUrl(url)} runs PostgreSQL ${v.version}; gen needs 14 or later`);
      }
      where = `PostgreSQL ${v.version}, ${where}`;
    } finally {
      await client.end();
    }
  }
  say(
    `gen: scenario ${scenario.name} (seed ${scenario.seed}, scale ${scenario.scale}), ${scenario.hours} hours from ` +
      `${new Date(scenario.start).toISOString()}, ${jobs} jobs -> ${where}${target.kind === 'db' ? `, schema ${a.schema}` : ''}`,
  );
  const tty = io.stderr.isTTY === true;
  const summary = await runLoad({
    plan,
    target,
    jobs,
    ...(a.quiet
      ? {}
      : {
          onProgress: (p) => {
            if (tty) io.stderr.write(`\r${formatProgress(p)}\u001b[K`);
            else say(formatProgress(p));
          },
          progressEveryMs: tty ? 500 : 5000,
        }),
  });
  if (tty && !a.quiet) io.stderr.write('\n');
  io.stdout.write(`${formatSummary(summary)}\n`);
  if (target.kind === 'db' && a.db === undefined && !resolveConnectionString({ env: io.env })) {
    io.stdout.write(
      `\nThe embedded server keeps running. Connect: psql "$(npm run -s gen -- db url)"; stop it: npm run gen -- db stop\n`,
    );
  }
  return 0;
}

async function db(action: string, io: Io): Promise<number> {
  switch (action) {
    case 'start': {
      const e = await ensureEmbedded();
      io.stdout.write(
        `${e.started ? 'started' : 'already running'}: ${redactUrl(e.url)} (data in ${e.home})\n`,
      );
      return 0;
    }
    case 'stop': {
      const stopped = await stopEmbedded();
      io.stdout.write(stopped ? 'stopped\n' : 'not running\n');
      return 0;
    }
    case 'status': {
      const s = await embeddedStatus();
      io.stdout.write(
        s.running
          ? `running: ${redactUrl(s.url ?? '')} (data in ${s.home})\n`
          : `not running (data in ${s.home})\n`,
      );
      return s.running ? 0 : 3;
    }
    case 'url': {
      const s = await embeddedStatus();
      if (!s.running || !s.url)
        throw new UserError('db url: the embedded server is not running; start it with `gen db start`');
      io.stdout.write(`${s.url}\n`);
      return 0;
    }
    default:
      throw new UserError(`db: "${action}" is not a command; expected one of: start, stop, status, url`);
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const parser = yargs(argv)
    .scriptName('gen')
    .usage('$0 [--scenario NAME] [--hours N] ...: generate a scenario and COPY it into PostgreSQL')
    .command(
      '$0',
      'generate a scenario and load it (or write CSV files with --out)',
      (y) =>
        y
          .option('scenario', {
            type: 'string',
            default: 'black-friday',
            describe: `name (${listScenarios().join(', ')}) or path to a .yaml file`,
          })
          .option('hours', { type: 'number', describe: "hours of the window (default: the scenario's)" })
          .option('scale', { type: 'number', describe: 'multiply volumes (population and rates)' })
          .option('seed', { type: 'number', describe: "override the scenario's seed" })
          .option('start', {
            type: 'string',
            describe: 'move the window to start here (ISO, hour-aligned UTC)',
          })
          .option('jobs', {
            type: 'number',
            describe: 'chunks loaded in parallel (default: cores, at most 4)',
          })
          .option('db', {
            type: 'string',
            describe: 'postgres URL (else DATABASE_URL, PG*, or the embedded server)',
          })
          .option('schema', { type: 'string', default: DEFAULT_SCHEMA, describe: 'target schema' })
          .option('out', {
            type: 'string',
            describe: 'write one CSV file per partition into this folder instead of loading',
          })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines' }),
      async (a) => {
        code = await gen(a as unknown as GenArgs, io);
      },
    )
    .command(
      'db <action>',
      'the embedded PostgreSQL server: start | stop | status | url',
      (y) => y.positional('action', { type: 'string', demandOption: true }),
      async (a) => {
        code = await db(String(a.action), io);
      },
    )
    .command(
      'sql',
      'print the DDL of the schema (tables; partitions are created per window by a load)',
      (y) => y.option('schema', { type: 'string', default: DEFAULT_SCHEMA }),
      (a) => {
        io.stdout.write(schemaSql(a.schema));
      },
    )
    .command(
      'scenarios',
      'list the shipped scenarios',
      (y) => y,
      () => {
        io.stdout.write(`${listScenarios().join('\n')}\n`);
      },
    )
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(msg);
    });
  try {
    let helpOut = '';
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      helpOut = output;
    });
    if (helpOut) io.stdout.write(`${helpOut}\n`);
    return code;
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: Io): number {
  if (e instanceof UserError) {
    io.stderr.write(`gen: ${e.message.split('\n')[0]}\n`);
    return 2;
  }
  if (e instanceof ChunkError && e.cause instanceof UserError) {
    io.stderr.write(`gen: ${e.cause.message}\n`);
    return 2;
  }
  // a database error is not a bug of ours: one line with its SQLSTATE
  const cause = e instanceof ChunkError ? e.cause : e;
  if (
    cause instanceof Error &&
    'code' in cause &&
    typeof cause.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(cause.code)
  ) {
    io.stderr.write(`gen: ${e instanceof Error ? e.message : String(e)} (SQLSTATE ${cause.code})\n`);
    return 1;
  }
  io.stderr.write(
    `gen: internal error, please report it:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return 1;
}
