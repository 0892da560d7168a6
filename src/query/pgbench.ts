/**
 * `gen query --pgbench DIR`: the query suite as pgbench custom scripts, with the parameter sets gen query
 * draws (same data, same --param-seed, same sets), so the dashboards can be replayed by pgbench and the two
 * tools' latencies compared (issue 7 §2).
 *
 * One script per query. pgbench's `\set` holds numbers only (no uuid, no timestamp), so each script picks a
 * set with `\set i random(0, N-1)` and a `\if :i = k` branch per set holding the statement with that set's
 * values inlined as typed literals. Why this shape and not the alternatives:
 * - the `\if` chain is evaluated by pgbench itself: no extra round trip, and the server receives one
 *   statement per transaction, as from gen query (a `\gset` lookup of the set would add a round trip to every
 *   transaction's latency; a CASE over the sets inside the statement would make it kilobytes longer to parse);
 * - one script per query keeps pgbench's per-script figures (and the script_no column of its -l log) per
 *   query; N scripts per query with weights would need 7 x 32 -f files, over pgbench's limit of 128 scripts.
 * Literals instead of gen query's bind parameters: gen query sends an unnamed statement with values, which
 * the server plans as a custom plan with those values, pruned at plan time; literals give the same plan.
 * gen query takes the sets in turn, pgbench uniformly at random: the same mix in expectation.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { withClient } from '../db/connection.js';
import { UserError } from '../errors.js';
import { ident } from '../model/ddl.js';
import { type PreparedQuery, prepareSuite } from './explain.js';
import type { ParamType, Value } from './suite.js';
import { valuesOf } from './suite.js';

/** The first comment line of every file we write: an existing file without it is not ours to overwrite. */
export const PGBENCH_MARK = 'data-playground: written by gen query --pgbench';
const RUN_FILE = 'run.sh';

export interface PgbenchScript {
  query: string;
  /** the file name inside DIR: <query>.sql */
  file: string;
  text: string;
}

export interface PgbenchRun {
  clients: number;
  durationS: number;
  /** transactions/s over all clients, as gen query's --rate (one transaction = one query) */
  rate?: number;
  /** -l --log-prefix: the per-transaction log files' prefix */
  logPrefix?: string;
}

/**
 * pgbench reads `:name` in a statement as a variable (a letter, underscore or non-ASCII byte after the colon)
 * even inside a quoted literal, and in -M extended/prepared turns it into a bind parameter. `::type` casts and
 * the digits of `12:00:00` are safe. Text values are split into concatenated pieces (still a constant the
 * planner folds); any other type never contains such a colon, and a schema name that does is refused.
 */
const VARIABLE = /:[A-Za-z_\u0080-\uffff]/;

function pgbenchLiteral(v: Value, type: ParamType): string {
  const s = String(v);
  if (!VARIABLE.test(s)) return `${pg.escapeLiteral(s)}::${type}`;
  if (type !== 'text') throw new Error(`a ${type} value ${s} contains ":" followed by a name`);
  // split after each colon, so no piece holds a colon followed by a letter
  const pieces = s.split(/(?<=:)/).map((p) => pg.escapeLiteral(p));
  return `(${pieces.join(' || ')})::text`;
}

/** The scripts for prepared queries (their drawn parameter sets) in `schema`. */
export function pgbenchScripts(
  prepared: readonly PreparedQuery[],
  schema: string,
  seed: number,
): PgbenchScript[] {
  if (VARIABLE.test(schema)) {
    throw new UserError(
      `--schema: "${schema}" contains ":" followed by a letter, which pgbench reads as a variable; ` +
        'expected a schema name without one for --pgbench',
    );
  }
  return prepared.map(({ query: q, sets }) => {
    const branches = sets.flatMap((set, k) => {
      const values = valuesOf(q, set);
      // one pass over both kinds of placeholder, as renderSql does (a schema named "$1" stays a name)
      const sql = q.sql.replace(/\{\{schema\}\}|\$(\d+)/g, (_m, n: string | undefined) => {
        if (n === undefined) return ident(schema);
        const i = Number(n) - 1;
        const v = values[i];
        const spec = q.params[i];
        if (v === undefined || spec === undefined) throw new Error(`${q.name}: no value for $${n}`);
        return pgbenchLiteral(v, spec.type);
      });
      return [`${k === 0 ? '\\if' : '\\elif'} :i = ${k}`, `${sql};`];
    });
    const text = [
      `-- ${PGBENCH_MARK} (overwritten by its next run)`,
      `-- ${q.name}: ${q.description}`,
      `-- schema ${schema}; ${sets.length} parameter set(s) drawn with --param-seed ${seed}, as gen query draws them.`,
      '-- One branch per set, chosen by pgbench itself (\\set and \\if need no round trip): the server gets one',
      "-- statement per transaction with the values as literals, planned as gen query's bound values are.",
      `\\set i random(0, ${sets.length - 1})`,
      ...branches,
      '\\endif',
      '',
    ].join('\n');
    return { query: q.name, file: `${q.name}.sql`, text };
  });
}

/**
 * pgbench's arguments for the scripts (the database to add): -n (no vacuum of pgbench's own tables, which do
 * not exist here), -M extended, one transaction per query. script_no in the -l log is the index of the
 * script in this order.
 *
 * -M extended rather than prepared: node-postgres, which gen query uses, sends every query as an unnamed
 * statement (Parse, Bind, Execute each time), which is what -M extended does. -M prepared reuses a named
 * statement, so pgbench would skip the parse that gen query pays for; with literals the difference is only
 * that parse, the plan is the same custom plan either way.
 */
export function pgbenchArgs(scripts: readonly PgbenchScript[], dir: string, run: PgbenchRun): string[] {
  return [
    '-n',
    '-M',
    'extended',
    '-c',
    String(run.clients),
    '-j',
    '1',
    '-T',
    String(run.durationS),
    ...(run.rate === undefined ? [] : ['-R', String(run.rate)]),
    ...(run.logPrefix === undefined ? [] : ['-l', `--log-prefix=${run.logPrefix}`]),
    ...scripts.flatMap((s) => ['-f', `${join(dir, s.file)}@1`]),
  ];
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** run.sh: the pgbench command line that replays the scripts at gen query's clients, rate and duration. */
export function pgbenchRunScript(scripts: readonly PgbenchScript[], run: PgbenchRun): string {
  const args = pgbenchArgs(scripts, '.', { ...run, logPrefix: run.logPrefix ?? 'pgbench_log' });
  return [
    '#!/bin/sh',
    `# ${PGBENCH_MARK} (overwritten by its next run)`,
    "# Replays gen query's suite with pgbench: the same queries, parameter sets, clients and rate",
    `# (${run.rate === undefined ? 'no -R: closed loop, as gen query without --rate' : `-R ${run.rate} transactions/s over all clients, Poisson arrivals = gen query --rate ${run.rate} --arrivals poisson`}).`,
    "# Usage: ./run.sh [pgbench options] [DBNAME or postgres:// URL]  (else libpq's PG* variables)",
    '# -M extended: node-postgres (gen query) sends unnamed statements, parsed each time, as -M extended does.',
    '# -l writes pgbench_log.<pid>: client_id transaction_no time script_no time_epoch time_us [schedule_lag];',
    "# with -R, time (microseconds) counts from the scheduled start, as gen query's latency under --rate does;",
    `# script_no is the position of the -f below, from 0: ${scripts.map((s, i) => `${i} ${s.query}`).join(', ')}.`,
    'set -eu',
    'cd "$(dirname "$0")"',
    `exec pgbench ${args.map(shellQuote).join(' ')} "$@"`,
    '',
  ].join('\n');
}

/**
 * Writes the scripts and run.sh into `dir` (created when missing; the command checked that it can be written).
 * Checked first, nothing written on error: a file there of the same name is overwritten only when we wrote it
 * (its first lines carry PGBENCH_MARK). Returns the paths written.
 */
export function writePgbenchDir(dir: string, scripts: readonly PgbenchScript[], run: PgbenchRun): string[] {
  const flag = '--pgbench';
  mkdirSync(dir, { recursive: true });
  const files = [
    ...scripts.map((s) => ({ path: join(dir, s.file), text: s.text })),
    { path: join(dir, RUN_FILE), text: pgbenchRunScript(scripts, run) },
  ];
  const foreign = files.filter((f) => existsSync(f.path) && !isOurs(f.path));
  if (foreign.length > 0) {
    throw new UserError(
      `${flag}: ${foreign.map((f) => f.path).join(', ')} already exist and were not written by gen query --pgbench; ` +
        'expected an empty directory or one an earlier --pgbench wrote (remove those files or choose another)',
    );
  }
  for (const f of files) writeFileSync(f.path, f.text, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
  return files.map((f) => f.path);
}

function isOurs(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    return readFileSync(path, 'utf8')
      .split('\n', 2)
      .some((l) => l.includes(PGBENCH_MARK));
  } catch {
    // unreadable: not provably ours
    return false;
  }
}

export interface PgbenchSuiteOptions extends PgbenchRun {
  url: string;
  schema: string;
  /** --param-seed */
  seed: number;
  dir: string;
  queries?: readonly string[];
  lastHours?: number;
}

/** Draws the parameter sets from the loaded schema as gen query does, then writes DIR. */
export async function writePgbenchSuite(
  o: PgbenchSuiteOptions,
): Promise<{ scripts: PgbenchScript[]; paths: string[] }> {
  const prepared = await withClient(o.url, (c) =>
    prepareSuite(c, {
      schema: o.schema,
      seed: o.seed,
      ...(o.queries === undefined ? {} : { queries: o.queries }),
      ...(o.lastHours === undefined ? {} : { lastHours: o.lastHours }),
    }),
  );
  const scripts = pgbenchScripts(prepared, o.schema, o.seed);
  return { scripts, paths: writePgbenchDir(o.dir, scripts, o) };
}
