/**
 * The query suite's parameters relative to a scenario clock, for dashboards that run while `gen live`
 * inserts (issue 7, "Dashboards meanwhile"). suite.ts draws parameters from a finished load (an hour or a day
 * where a shop has orders); a dashboard asks about now instead: "this shop's orders in the last hour",
 * "today's revenue so far". Ids come from rows that exist before the clock starts: the population, the rows
 * with event_time = window start, which the live run seeds first; an order for order-detail comes from the
 * last hour of orders, sampled again as the clock moves on.
 *
 * Time parameters are half-open [from, to) as the SQL reads them, with `to` the clock itself: the rows of the
 * clock's own millisecond are left for the next query, which is what "up to now" means for a range.
 */
import type pg from 'pg';
import { UserError } from '../errors.js';
import { ident, qualified } from '../model/ddl.js';
import { DAY_MS, floorTo, HOUR_MS } from '../model/partitions.js';
import { TABLES } from '../model/tables.js';
import { type Params, TS, timeOf } from './suite.js';

/** Ids of the population (event_time = window start), sampled once. */
export interface Population {
  shops: readonly string[];
  users: readonly string[];
  entities: readonly string[];
}

/** An order of the last hour: its exact event_time (ISO, microseconds) and id. */
export interface RecentOrder {
  t: string;
  id: string;
}

export interface RuleContext {
  /** the scenario clock, epoch ms */
  now: number;
  pop: Population;
  orders: readonly RecentOrder[];
  /** N of "the last N hours" */
  lastHours: number;
  /** a number in [0, n), from the client's own seeded sequence */
  pick: (n: number) => number;
}

/** A query's parameters at `now`; undefined when there is nothing to ask about yet (no order so far). */
export type Rule = (c: RuleContext) => Params | undefined;

const iso = (ms: number): string => new Date(ms).toISOString();
const one = <T>(c: RuleContext, xs: readonly T[]): T | undefined => xs[c.pick(xs.length)];

/**
 * One rule per query of sql/queries, by name. user-order-history and entity-type have no time parameter
 * (all partitions, on purpose): their ids come from the population, so only the rows' age changes.
 */
export const RULES: Readonly<Record<string, Rule>> = {
  // this shop's orders in the last hour
  'shop-orders-hour': (c) => {
    const shop = one(c, c.pop.shops);
    return shop === undefined ? undefined : { shop_id: shop, from: iso(c.now - HOUR_MS), to: iso(c.now) };
  },
  // this shop's revenue today so far, per hour
  'shop-revenue-day': (c) => {
    const shop = one(c, c.pop.shops);
    return shop === undefined
      ? undefined
      : { shop_id: shop, from: iso(floorTo(c.now, 'day')), to: iso(c.now) };
  },
  // Yesterday's best sellers: a day's metric rows are written when the day closes (the last, partial day's
  // at the window end), so "today so far" would read nothing until the day is over.
  'top-products-day': (c) => {
    const day = floorTo(c.now, 'day');
    return { from: iso(day - DAY_MS), to: iso(day), top: 10 };
  },
  'user-order-history': (c) => {
    const user = one(c, c.pop.users);
    return user === undefined ? undefined : { user_id: user };
  },
  // an order of the last hour, with its children up to the end of its hour
  'order-detail': (c) => {
    const o = one(c, c.orders);
    if (o === undefined) return undefined;
    return { event_time: o.t, id: o.id, to: iso(floorTo(timeOf({ t: o.t }, 't'), 'hour') + HOUR_MS) };
  },
  // API errors over the last N hours
  'api-error-rate': (c) => ({ from: iso(c.now - c.lastHours * HOUR_MS), to: iso(c.now) }),
  'entity-type': (c) => {
    const e = one(c, c.pop.entities);
    return e === undefined ? undefined : { entity_id: e };
  },
};

/** How many ids of each kind the population sample holds, and how many orders an order sample. */
export const SAMPLE_SIZE = 300;

const idOf = (name: string): string => TABLES.find((t) => t.name === name)?.idColumn ?? 'id';

/** TABLESAMPLE percentages tried in turn until one gives SAMPLE_SIZE rows (100: every row). */
const SAMPLE_PERCENTS = [1, 10, 100] as const;

/**
 * Up to SAMPLE_SIZE ids of a table's rows with event_time = window start (the equality prunes to the
 * population's partition). Ordering the whole population by md5 took 1.4 s for black-friday's 950k
 * global_entity rows, so a block sample comes first (SYSTEM, REPEATABLE with the seed): 1% of the blocks,
 * more when that is too few rows, and the sampled rows are ordered by md5 of seed and id as suite.ts does.
 */
async function sampleIds(
  client: pg.ClientBase,
  schema: string,
  name: string,
  seed: number,
  start: number,
): Promise<string[]> {
  const id = ident(idOf(name));
  let ids: string[] = [];
  for (const percent of SAMPLE_PERCENTS) {
    const res = await client.query<{ id: string }>(
      `SELECT ${id}::text AS id FROM ${qualified(schema, name)} TABLESAMPLE SYSTEM (${percent}) REPEATABLE ($1)
       WHERE event_time = $2 ORDER BY md5($3 || ${id}::text), ${id} LIMIT $4`,
      [seed, iso(start), `${seed}:dashboards:`, SAMPLE_SIZE],
    );
    ids = res.rows.map((r) => r.id);
    if (ids.length >= SAMPLE_SIZE) break;
  }
  return ids;
}

/**
 * The population's shops, users and entities. A schema without the tables, or without rows at the window
 * start, is a UserError: the dashboards would have nothing to ask about.
 */
export async function samplePopulation(
  client: pg.ClientBase,
  schema: string,
  seed: number,
  windowStart: number,
): Promise<Population> {
  const exists = await client.query<{ missing: string[] }>(
    `SELECT coalesce(array_agg(t ORDER BY t) FILTER (WHERE to_regclass(format('%I.%I', $1::text, t)) IS NULL),
                     '{}') AS missing
     FROM unnest($2::text[]) AS t`,
    [schema, TABLES.map((t) => t.name)],
  );
  const missing = exists.rows[0]?.missing ?? [];
  if (missing.length > 0) {
    throw new UserError(
      `schema ${schema} has no table ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}; ` +
        'load a scenario into it first',
    );
  }
  const pop: Population = {
    shops: await sampleIds(client, schema, 'shop', seed, windowStart),
    users: await sampleIds(client, schema, 'users', seed, windowStart),
    entities: await sampleIds(client, schema, 'global_entity', seed, windowStart),
  };
  const empty = Object.entries(pop).find(([, ids]) => ids.length === 0);
  if (empty !== undefined) {
    throw new UserError(
      `schema ${schema} has no ${empty[0]} with event_time = ${iso(windowStart)} (the window start); ` +
        'the dashboards draw their ids from the population seeded there first',
    );
  }
  return pop;
}

/** Up to SAMPLE_SIZE orders of [now - 1 h, now), in an order fixed by the seed and the hour. */
export async function sampleRecentOrders(
  client: pg.ClientBase,
  schema: string,
  seed: number,
  now: number,
): Promise<RecentOrder[]> {
  const res = await client.query<RecentOrder>(
    `SELECT ${TS('event_time')} AS t, id::text AS id FROM ${qualified(schema, 'shop_order')}
     WHERE event_time >= $1 AND event_time < $2 ORDER BY md5($3 || id::text), id LIMIT $4`,
    [iso(now - HOUR_MS), iso(now), `${seed}:${floorTo(now, 'hour')}:`, SAMPLE_SIZE],
  );
  return res.rows;
}

/**
 * A client's own sequence of picks: splitmix32 from (seed, client), so each client's choice of shops and
 * users is repeatable (the timing of a live run is not, so neither is which clock value a pick meets).
 */
export function picker(seed: number, client: number): (n: number) => number {
  let s = (Math.imul(seed | 0, 0x9e3779b9) ^ Math.imul(client + 1, 0x85ebca6b)) >>> 0;
  return (n) => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return n <= 0 ? 0 : z % n;
  };
}
