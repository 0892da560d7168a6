/**
 * gen: parse flags, call a command, print, exit code. Takes argv and streams as parameters so tests run it
 * in-process. Exit codes: src/errors.ts (EXIT).
 */
import yargs from 'yargs';
import { type BenchArgs, benchCommand } from './commands/bench.js';
import type { Io } from './commands/common.js';
import { compareCommand } from './commands/compare.js';
import { dbCommand } from './commands/db.js';
import { type LoadArgs, loadCommand } from './commands/load.js';
import { type QueryArgs, queryCommand } from './commands/query.js';
import { type VerifyArgs, verifyCommand } from './commands/verify.js';
import { describeFailure, EXIT, UserError } from './errors.js';
import { DEFAULT_SCHEMA, schemaSql } from './model/ddl.js';
import { listScenarios } from './scenario/index.js';

export type { Io } from './commands/common.js';

const SCENARIO_OPTIONS = {
  scenario: { type: 'string', default: 'black-friday', describe: 'scenario name or path to a .yaml file' },
  hours: { type: 'number', describe: "hours of the window (default: the scenario's)" },
  scale: { type: 'number', describe: 'multiply volumes (population and rates)' },
  seed: { type: 'number', describe: "override the scenario's seed" },
  start: { type: 'string', describe: 'move the window to start here (ISO, hour-aligned UTC)' },
} as const;

const OUTPUT_OPTIONS = {
  json: { type: 'string', describe: 'write the results as JSON to this file' },
  html: { type: 'string', describe: 'write a self-contained HTML report to this file' },
} as const;

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
            describe: 'chunks loaded in parallel (default: 2 per core, at most 8)',
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
          .option('reset', {
            type: 'boolean',
            default: false,
            describe: 'drop the schema first if it holds another run',
          })
          .option('layout', {
            type: 'string',
            default: 'hourly',
            describe: 'partition layout: hourly, daily, none, or a layout file',
          })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines' })
          .options(OUTPUT_OPTIONS),
      async (a) => {
        code = (await loadCommand(a as unknown as LoadArgs, argv, io)).code;
      },
    )
    .command(
      'query',
      'the query suite on a loaded schema: pruning proved with EXPLAIN, then concurrent clients',
      (y) =>
        y
          .option('db', {
            type: 'string',
            describe: 'postgres URL (else DATABASE_URL, PG*, or the embedded server)',
          })
          .option('schema', {
            type: 'string',
            default: DEFAULT_SCHEMA,
            describe: 'the loaded schema to query',
          })
          .option('clients', {
            type: 'number',
            describe: 'concurrent clients, one connection each (default 4)',
          })
          .option('duration', { type: 'number', describe: 'seconds of load (default 10)' })
          .option('count', { type: 'number', describe: 'stop after this many queries in all' })
          .option('rate', {
            type: 'number',
            describe: 'target queries/s over all clients; latency from the scheduled start',
          })
          .option('queries', { type: 'string', describe: 'comma-separated query names (default: all)' })
          .option('last-hours', { type: 'number', describe: 'N of the "last N hours" queries (default 2)' })
          .option('param-seed', { type: 'number', describe: 'seed of the parameter draw (default 1)' })
          .option('with-load', {
            type: 'boolean',
            default: false,
            describe: 'load --scenario into <schema>_mixed_load meanwhile',
          })
          .options(SCENARIO_OPTIONS)
          .option('jobs', { type: 'number', describe: 'parallel chunks of the --with-load load' })
          .options(OUTPUT_OPTIONS),
      async (a) => {
        code = await queryCommand(a as unknown as QueryArgs, argv, io);
      },
    )
    .command(
      'bench',
      'the same rows in several partition layouts, the same queries on each, one comparison table',
      (y) =>
        y
          .option('layouts', {
            type: 'string',
            default: 'hourly,daily,none',
            describe: 'built-in names or layout files, comma-separated',
          })
          .option('db', {
            type: 'string',
            describe: 'postgres URL (else DATABASE_URL, PG*, or the embedded server)',
          })
          .option('schema-prefix', {
            type: 'string',
            default: 'bench',
            describe: 'schemas are <prefix>_<layout>',
          })
          .option('jobs', { type: 'number', describe: 'chunks loaded in parallel' })
          .option('clients', { type: 'number', describe: 'concurrent query clients (default 4)' })
          .option('duration', { type: 'number', describe: 'seconds of queries per layout (default 5)' })
          .option('param-seed', { type: 'number', describe: 'seed of the parameter draw (default 1)' })
          .options(SCENARIO_OPTIONS)
          .options(OUTPUT_OPTIONS),
      async (a) => {
        code = await benchCommand(a as unknown as BenchArgs, argv, io);
      },
    )
    .command(
      'compare <a> <b>',
      'two --json reports side by side, per figure, as ratios b/a',
      (y) =>
        y
          .positional('a', { type: 'string', demandOption: true })
          .positional('b', { type: 'string', demandOption: true })
          .option('all', {
            type: 'boolean',
            default: false,
            describe: 'also the figures that did not change',
          }),
      async (a) => {
        code = await compareCommand({ a: String(a.a), b: String(a.b), all: a.all }, io);
      },
    )
    .command(
      'verify',
      'check a loaded schema against the scenario: ledger, counts, checksums and integrity checks',
      (y) =>
        y
          .options(SCENARIO_OPTIONS)
          .option('db', {
            type: 'string',
            describe: 'postgres URL (else DATABASE_URL, PG*, or the embedded server)',
          })
          .option('schema', { type: 'string', default: DEFAULT_SCHEMA, describe: 'the loaded schema' })
          .option('layout', {
            type: 'string',
            describe: 'the layout it was loaded with (default: as recorded)',
          })
          .option('jobs', { type: 'number', describe: 'chunks checked in parallel' })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines' }),
      async (a) => {
        code = await verifyCommand(a as unknown as VerifyArgs, io);
      },
    )
    .command(
      'db <action>',
      'the embedded PostgreSQL server: start | stop | status | url',
      (y) => y.positional('action', { type: 'string', demandOption: true }),
      async (a) => {
        code = await dbCommand(String(a.action), io);
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
  const { code, text } = describeFailure(e);
  io.stderr.write(`gen: ${text}\n`);
  return code;
}

/**
 * The process entry (bin/gen.js): Ctrl-C or SIGTERM stops a load cleanly (in-flight COPYs are aborted, the
 * summary says what was committed, exit code 130, or 143 for SIGTERM); a second Ctrl-C exits at once.
 */
export function runProcess(): void {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ngen: stopping (Ctrl-C again to quit at once)...\n');
    controller.abort('SIGINT');
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  });
  process.once('SIGTERM', () => controller.abort('SIGTERM'));
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
