/**
 * The query suite: sql/queries/<name>.sql holds each query's text and its header (what it does, which
 * partitioned tables its pruning claim is about, the time range rule, the parameters); this module adds what
 * SQL cannot say: how to draw real parameters from the loaded data, and which event_time range each checked
 * table is read over for given parameters. The expected number of partitions is then computed from the
 * catalog (src/query/catalog.ts), so "1 hour = 1 partition" is a result for the hourly layout, not a constant.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { UserError } from '../errors.js';
import { ident, qualified } from '../model/ddl.js';
import { DAY_MS, floorTo, HOUR_MS } from '../model/partitions.js';
import { TABLES } from '../model/tables.js';
import { fromRoot } from '../package-root.js';
import type { TimeRange } from './catalog.js';

/** The repo's sql/queries/ folder. */
export const QUERY_DIR: string = fromRoot('sql', 'queries');

export type ParamType = 'uuid' | 'timestamptz' | 'integer' | 'text';
const PARAM_TYPES: readonly string[] = ['uuid', 'timestamptz', 'integer', 'text'];

export interface ParamSpec {
  name: string;
  type: ParamType;
}

export type Value = string | number;
/** Parameter values by name; timestamps are ISO 8601 strings in UTC. */
export type Params = Readonly<Record<string, Value>>;

/** One checked table and the event_time range the query reads from it; null: no time predicate. */
export interface TableRead {
  table: string;
  range: TimeRange | null;
}

/** What a .sql file says. */
export interface QueryText {
  name: string;
  description: string;
  /** the partitioned tables whose pruning is checked */
  checks: string[];
  /** the time range rule, in words */
  range: string;
  /** $1..$n in order */
  params: ParamSpec[];
  /** the statement, with {{schema}} and $1..$n */
  sql: string;
  file: string;
}

export interface DrawContext {
  client: pg.ClientBase;
  schema: string;
  seed: number;
  /** how many parameter sets to draw (fewer when the data has fewer) */
  sets: number;
  /** N of "the last N hours" */
  lastHours: number;
}

export interface Query extends QueryText {
  /** parameter sets drawn from the loaded data, deterministically from the seed; [] when there is no data */
  draw(ctx: DrawContext): Promise<Params[]>;
  /** per checked table, the event_time range these parameters make the query read */
  reads(p: Params): TableRead[];
}

type Behaviour = Pick<Query, 'draw' | 'reads'>;

const HEADER_KEYS = ['name', 'description', 'checks', 'range', 'params'] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

/**
 * Parses a query file: a header of `-- key: value` lines (a line `--   more` continues the previous
 * value), then the statement. A malformed shipped file is a bug, so errors are plain Errors naming the
 * file and line.
 */
export function parseQueryText(file: string, text: string): QueryText {
  const lines = text.split('\n');
  const header = new Map<HeaderKey, string>();
  let key: HeaderKey | undefined;
  let i = 0;
  const fail = (line: number, what: string): never => {
    throw new Error(`${file}:${line + 1}: ${what}`);
  };
  for (; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (!raw.startsWith('--')) break;
    const line = raw.slice(2);
    const m = /^ ([a-z]+): (.*)$/.exec(line);
    if (m) {
      const [, k = '', value = ''] = m;
      if (!(HEADER_KEYS as readonly string[]).includes(k)) {
        fail(i, `unknown header key "${k}"; expected one of ${HEADER_KEYS.join(', ')}`);
      }
      key = k as HeaderKey;
      if (header.has(key)) fail(i, `header key "${key}" given twice`);
      header.set(key, value.trim());
    } else if (key !== undefined && /^ {2,}\S/.test(line)) {
      header.set(key, `${header.get(key)} ${line.trim()}`);
    } else {
      fail(i, 'expected "-- key: value" or a continuation line "--   text"');
    }
  }
  const need = (k: HeaderKey): string => header.get(k) ?? fail(0, `header key "${k}" is missing`);
  const name = need('name');
  if (`${name}.sql` !== basename(file)) fail(0, `name "${name}" does not match the file name`);
  const paramText = need('params');
  const params: ParamSpec[] =
    paramText === 'none'
      ? []
      : paramText.split(',').map((part, n) => {
          const [, num, pname = '', ptype = ''] =
            /^\$(\d+) ([a-z_][a-z0-9_]*) ([a-z]+)$/.exec(part.trim()) ?? [];
          if (Number(num) !== n + 1 || !PARAM_TYPES.includes(ptype)) {
            return fail(0, `params: "${part.trim()}" is not "$${n + 1} <name> <${PARAM_TYPES.join('|')}>"`);
          }
          return { name: pname, type: ptype as ParamType };
        });
  const sql = lines.slice(i).join('\n').trim();
  // Every declared parameter must be used and no other: PREPARE would reject the first, EXPLAIN the second.
  const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const declared = new Set(params.map((_, n) => n + 1));
  if (used.size !== declared.size || [...used].some((n) => !declared.has(n))) {
    fail(
      i,
      `the statement uses $${[...used].sort((a, b) => a - b).join(', $')} but the header declares ${params.length}`,
    );
  }
  if (/--|\/\*/.test(sql)) fail(i, 'comments belong in the header: parameters are substituted textually');
  return {
    name,
    description: need('description'),
    checks: need('checks')
      .split(',')
      .map((s) => s.trim()),
    range: need('range'),
    params,
    sql,
    file,
  };
}

// ---- parameters ---------------------------------------------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString();

/** Epoch ms of a timestamp parameter, floored to the millisecond (values may carry microseconds). */
export function timeOf(p: Params, key: string): number {
  const v = p[key];
  const ms = typeof v === 'string' ? Date.parse(v.length > 24 ? `${v.slice(0, 23)}Z` : v) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`parameter ${key} = ${String(v)} is not an ISO timestamp`);
  return ms;
}

/** A timestamp as an ISO string in UTC with microseconds, so an exact event_time round-trips. */
export const TS = (col: string): string =>
  `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * `ctx.sets` rows of a table in an order fixed by the seed and the salt: ordered by md5(seed, salt, id),
 * ties broken by id. The same data and seed give the same rows whatever the physical order on disk, and no
 * random() is involved. One pass over the table, which the planner turns into a top-N sort.
 */
async function sample<R extends pg.QueryResultRow>(
  ctx: DrawContext,
  tableName: string,
  columns: string,
  salt: string,
): Promise<R[]> {
  const idColumn = TABLES.find((t) => t.name === tableName)?.idColumn ?? 'id';
  const res = await ctx.client.query<R>(
    `SELECT ${columns} FROM ${qualified(ctx.schema, tableName)}
     ORDER BY md5($1 || ${ident(idColumn)}::text), ${ident(idColumn)} LIMIT $2`,
    [`${ctx.seed}:${salt}:`, ctx.sets],
  );
  return res.rows;
}

const between = (table: string, p: Params, from: string, to: string): TableRead => ({
  table,
  range: { from: timeOf(p, from), to: timeOf(p, to) },
});

/** The behaviour of each query, in the order the suite runs and reports them (the issue's order). */
const BEHAVIOUR: Record<string, Behaviour> = {
  'shop-orders-hour': {
    // a real shop in an hour where it has an order
    draw: async (ctx) =>
      (
        await sample<{ shop_id: string; t: string }>(
          ctx,
          'shop_order',
          `shop_id::text AS shop_id, ${TS('event_time')} AS t`,
          'shop-orders-hour',
        )
      ).map((r) => {
        const hour = floorTo(Date.parse(r.t), 'hour');
        return { shop_id: r.shop_id, from: iso(hour), to: iso(hour + HOUR_MS) };
      }),
    reads: (p) => [between('shop_order', p, 'from', 'to')],
  },
  'shop-revenue-day': {
    // a real shop on a UTC day where it has an order
    draw: async (ctx) =>
      (
        await sample<{ shop_id: string; t: string }>(
          ctx,
          'shop_order',
          `shop_id::text AS shop_id, ${TS('event_time')} AS t`,
          'shop-revenue-day',
        )
      ).map((r) => {
        const day = floorTo(Date.parse(r.t), 'day');
        return { shop_id: r.shop_id, from: iso(day), to: iso(day + DAY_MS) };
      }),
    reads: (p) => [between('shop_order', p, 'from', 'to')],
  },
  'top-products-day': {
    // a UTC day that has product metrics
    draw: async (ctx) =>
      (
        await sample<{ t: string }>(
          ctx,
          'shop_product_metrics_daily',
          `${TS('event_time')} AS t`,
          'top-products-day',
        )
      ).map((r) => {
        const day = floorTo(Date.parse(r.t), 'day');
        return { from: iso(day), to: iso(day + DAY_MS), top: 10 };
      }),
    reads: (p) => [between('shop_product_metrics_daily', p, 'from', 'to')],
  },
  'user-order-history': {
    // a user who has ordered
    draw: async (ctx) =>
      (
        await sample<{ user_id: string }>(ctx, 'shop_order', 'user_id::text AS user_id', 'user-order-history')
      ).map((r) => ({ user_id: r.user_id })),
    reads: () => [{ table: 'shop_order', range: null }],
  },
  'order-detail': {
    draw: async (ctx) =>
      (
        await sample<{ id: string; t: string }>(
          ctx,
          'shop_order',
          `id::text AS id, ${TS('event_time')} AS t`,
          'order-detail',
        )
      ).map((r) => ({
        event_time: r.t,
        id: r.id,
        to: iso(floorTo(Date.parse(r.t), 'hour') + HOUR_MS),
      })),
    reads: (p) => {
      const t = timeOf(p, 'event_time');
      return [
        // an instant: [t, t + 1 ms) holds it even when t carries microseconds (timeOf floors)
        { table: 'shop_order', range: { from: t, to: t + 1 } },
        between('shop_order_item', p, 'event_time', 'to'),
        between('shop_order_payment', p, 'event_time', 'to'),
      ];
    },
  },
  'api-error-rate': {
    // "the last N hours" of the loaded window: it ends with the hour of the newest request, not now
    draw: async (ctx) => {
      const res = await ctx.client.query<{ t: string | null }>(
        `SELECT ${TS('max(event_time)')} AS t FROM ${qualified(ctx.schema, 'request_response_log')}`,
      );
      const t = res.rows[0]?.t;
      if (t === null || t === undefined) return [];
      const end = floorTo(Date.parse(t), 'hour') + HOUR_MS;
      return [{ from: iso(end - ctx.lastHours * HOUR_MS), to: iso(end) }];
    },
    reads: (p) => [between('request_response_log', p, 'from', 'to')],
  },
  'entity-type': {
    draw: async (ctx) =>
      (
        await sample<{ entity_id: string }>(
          ctx,
          'global_entity',
          'entity_id::text AS entity_id',
          'entity-type',
        )
      ).map((r) => ({ entity_id: r.entity_id })),
    reads: () => [{ table: 'global_entity', range: null }],
  },
};

/** The shipped suite, in the issue's order. Throws when a file and the behaviour table disagree (a bug). */
export function loadSuite(dir: string = QUERY_DIR): Query[] {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')) : [];
  const texts = new Map(
    files.map((f) => {
      const file = join(dir, f);
      const q = parseQueryText(file, readFileSync(file, 'utf8'));
      return [q.name, q] as const;
    }),
  );
  const names = Object.keys(BEHAVIOUR);
  const orphans = [...texts.keys()].filter((n) => !names.includes(n));
  const missing = names.filter((n) => !texts.has(n));
  if (orphans.length > 0 || missing.length > 0) {
    throw new Error(
      `sql/queries and src/query/suite.ts disagree: ${[
        ...orphans.map((n) => `${n}.sql has no behaviour`),
        ...missing.map((n) => `${n}.sql is missing in ${dir}`),
      ].join('; ')}`,
    );
  }
  return Object.entries(BEHAVIOUR).map(([n, behaviour]) => {
    const text = texts.get(n);
    if (text === undefined) throw new Error(`internal: ${n}.sql vanished after the check above`);
    return { ...text, ...behaviour };
  });
}

/** The queries of the suite named in `names` (--queries; all when absent), in suite order; UserError on a typo. */
export function selectQueries(suite: Query[], names?: readonly string[]): Query[] {
  if (names === undefined || names.length === 0) return suite;
  const known = suite.map((q) => q.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UserError(
      `--queries: unknown query ${unknown.join(', ')}; expected one of: ${known.join(', ')}`,
    );
  }
  return suite.filter((q) => names.includes(q.name));
}

/** The positional values of a parameter set, in the header's $1..$n order. */
export function valuesOf(q: QueryText, p: Params): Value[] {
  return q.params.map((s) => {
    const v = p[s.name];
    if (v === undefined) throw new Error(`${q.name}: parameter ${s.name} is missing`);
    return v;
  });
}

/**
 * The statement for a schema. With `inline`, every $n becomes a typed SQL literal (escaped by pg's
 * escapeLiteral): the planner then sees constants and can prune at plan time. One pass over both kinds of
 * placeholder, so a schema name containing "$1" or a value containing "{{schema}}" cannot be substituted
 * twice.
 */
export function renderSql(q: QueryText, schema: string, inline?: readonly Value[]): string {
  return q.sql.replace(/\{\{schema\}\}|\$(\d+)/g, (m, n: string | undefined) => {
    if (n === undefined) return ident(schema);
    if (inline === undefined) return m;
    const i = Number(n) - 1;
    const v = inline[i];
    const spec = q.params[i];
    if (v === undefined || spec === undefined) throw new Error(`${q.name}: no value for $${n}`);
    return literal(v, spec.type);
  });
}

export function literal(v: Value, type: ParamType): string {
  return `${pg.escapeLiteral(String(v))}::${type}`;
}
