/**
 * The data profile: what the loaded rows look like, so a user sees the scenario's shape before writing a
 * query (issue 8, "Show the data"). Orders and revenue per hour against the scenario's curve, the order,
 * payment and API status mixes, the top products' share of revenue, API latency per hour and the funnel.
 *
 * Each query is one pass over its tables: aggregates grouped once (GROUPING SETS where one scan serves two
 * figures), hash joins, never a subquery per row, and every table read within the window's bounds so the
 * planner prunes to the window's partitions. The queries run one after the other on one connection after
 * the load, each timed on its own: the profile's time is reported apart from the load's.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { at } from '../at.js';
import { expectedArrivals, type Plan } from '../generate/plan.js';
import { qualified } from '../model/ddl.js';
import type { TableName } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';

/** A named count: a status, a status and its reason, an HTTP status code, a funnel stage. */
export interface Share {
  name: string;
  count: number;
}

export interface ProfileHour {
  /** ISO start of the hour */
  start: string;
  /** the scenario's curve: rate x scale x rhythm x events, before the generator's noise and rounding */
  expectedOrders: number;
  /** the plan's order count of the hour (the curve with noise, rounded): what the generator wrote */
  plannedOrders: number;
  /** shop_order rows of the hour, whatever their status */
  orders: number;
  paidOrders: number;
  /** sum of paid orders' totals */
  revenue: number;
  /** request_response_log rows of the hour */
  requests: number;
  /** requests answered with status 400 and above, and 500 and above */
  errors: number;
  serverErrors: number;
  /** latency_ms percentiles of the hour's requests (0 when there are none) */
  latencyP50: number;
  latencyP95: number;
}

export interface TopProduct {
  id: string;
  name: string;
  /** sum of the product's line totals in paid orders (before the order's promotion discount) */
  revenue: number;
  units: number;
}

export interface ProfileQuery {
  name: string;
  ms: number;
  /** rows the query returned */
  rows: number;
}

export interface DataProfile {
  schema: string;
  /** all the profile's queries, one after the other */
  ms: number;
  queries: ProfileQuery[];
  /** currencies of the paid orders: amounts are added up as they are */
  currencies: string[];
  hours: ProfileHour[];
  /** shop_order rows by status */
  orderStatus: Share[];
  /** shop_order_payment attempts by status, failures by reason: `failed: expired_card` */
  payments: Share[];
  /** the 10 products with the most revenue in paid orders (line totals: before discounts), and the rest */
  topProducts: { products: TopProduct[]; productsSold: number; revenue: number; restRevenue: number };
  /** request_response_log rows by status code */
  apiStatus: Share[];
  /** carts created (every order), checkouts (a payment was attempted), paid */
  funnel: Share[];
}

const HOUR_BIN = (expr: string): string =>
  `date_bin(interval '1 hour', ${expr}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

interface Sql {
  T: (name: TableName) => string;
  /** `alias.event_time` within the window: $1 <= t < $2 */
  inWindow: (alias: string) => string;
}

/** Orders per hour and status: the hourly curve, the status mix and the funnel, in one pass. */
const ordersSql = ({ T, inWindow }: Sql): string =>
  `SELECT ${HOUR_BIN('o.event_time')} AS hour, o.status, o.currency,
          count(*)::float8 AS n, coalesce(sum(o.total), 0)::float8 AS total
   FROM ${T('shop_order')} o WHERE ${inWindow('o')}
   GROUP BY 1, 2, 3`;

const paymentsSql = ({ T, inWindow }: Sql): string =>
  `SELECT p.status, coalesce(p.failure_reason, '') AS reason, count(*)::float8 AS n
   FROM ${T('shop_order_payment')} p WHERE ${inWindow('p')}
   GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`;

/**
 * Revenue per product in paid orders, ranked once; the ten first named from shop_product, with the total
 * and the number of products sold carried on every row by window aggregates.
 */
const topProductsSql = ({ T, inWindow }: Sql): string =>
  `WITH per AS (
     SELECT i.shop_product_id AS id, sum(i.line_total) AS revenue, sum(i.quantity) AS units
     FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     WHERE ${inWindow('i')} AND ${inWindow('o')} AND o.status = 'paid'
     GROUP BY 1),
   ranked AS (
     SELECT id, revenue, units, row_number() OVER (ORDER BY revenue DESC, id) AS rank,
            sum(revenue) OVER () AS all_revenue, count(*) OVER () AS products
     FROM per)
   SELECT r.id::text AS id, coalesce(p.name, '') AS name, r.revenue::float8 AS revenue, r.units::float8 AS units,
          r.all_revenue::float8 AS all_revenue, r.products::float8 AS products
   FROM ranked r LEFT JOIN ${T('shop_product')} p ON p.id = r.id AND ${inWindow('p')}
   WHERE r.rank <= 10 ORDER BY r.rank`;

/** The request log per hour (counts, errors, latency percentiles) and per status code, in one scan. */
const apiSql = ({ T, inWindow }: Sql): string =>
  `SELECT ${HOUR_BIN('r.event_time')} AS hour, r.status_code, count(*)::float8 AS n,
          count(*) FILTER (WHERE r.status_code >= 400)::float8 AS errors,
          count(*) FILTER (WHERE r.status_code >= 500)::float8 AS server_errors,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY r.latency_ms) AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY r.latency_ms) AS p95
   FROM ${T('request_response_log')} r WHERE ${inWindow('r')}
   GROUP BY GROUPING SETS ((1), (2))`;

/** The profile's SQL against `schema`, for tests that compare its figures with counts of their own. */
export function profileSql(schema: string): Record<'orders' | 'payments' | 'topProducts' | 'api', string> {
  const sql: Sql = {
    T: (name) => qualified(schema, name),
    inWindow: (a) => `${a}.event_time >= $1 AND ${a}.event_time < $2`,
  };
  return {
    orders: ordersSql(sql),
    payments: paymentsSql(sql),
    topProducts: topProductsSql(sql),
    api: apiSql(sql),
  };
}

const byCount = (m: Map<string, number>): Share[] =>
  [...m.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));

const add = (m: Map<string, number>, k: string, n: number): void => {
  m.set(k, (m.get(k) ?? 0) + n);
};

/** Runs the profile's queries on `client` over the plan's window of `schema`. */
export async function runProfile(client: pg.ClientBase, schema: string, plan: Plan): Promise<DataProfile> {
  const sql = profileSql(schema);
  const params = [
    new Date(plan.start).toISOString(),
    new Date(plan.start + plan.hours * HOUR_MS).toISOString(),
  ];
  const queries: ProfileQuery[] = [];
  const run = async <R extends pg.QueryResultRow>(name: keyof typeof sql): Promise<R[]> => {
    const t0 = performance.now();
    const res = await client.query<R>(sql[name], params);
    queries.push({ name, ms: performance.now() - t0, rows: res.rows.length });
    return res.rows;
  };

  const hours: ProfileHour[] = Array.from({ length: plan.hours }, (_, h) => ({
    start: new Date(plan.start + h * HOUR_MS).toISOString(),
    expectedOrders: expectedArrivals(plan.scenario, 'orders', h),
    plannedOrders: at(plan.orders, h),
    orders: 0,
    paidOrders: 0,
    revenue: 0,
    requests: 0,
    errors: 0,
    serverErrors: 0,
    latencyP50: 0,
    latencyP95: 0,
  }));
  const hourOf = (t: Date): ProfileHour => at(hours, Math.floor((t.getTime() - plan.start) / HOUR_MS));

  const orderStatus = new Map<string, number>();
  const currencies = new Set<string>();
  for (const r of await run<{ hour: Date; status: string; currency: string; n: number; total: number }>(
    'orders',
  )) {
    const h = hourOf(r.hour);
    h.orders += r.n;
    add(orderStatus, r.status, r.n);
    if (r.status === 'paid') {
      h.paidOrders += r.n;
      h.revenue += r.total;
      currencies.add(r.currency);
    }
  }

  const payments = (await run<{ status: string; reason: string; n: number }>('payments')).map((r) => ({
    name: r.reason === '' ? r.status : `${r.status}: ${r.reason}`,
    count: r.n,
  }));

  const top = await run<{
    id: string;
    name: string;
    revenue: number;
    units: number;
    all_revenue: number;
    products: number;
  }>('topProducts');
  const products = top.map(({ id, name, revenue, units }) => ({ id, name, revenue, units }));
  const allRevenue = top[0]?.all_revenue ?? 0;
  const topRevenue = products.reduce((a, p) => a + p.revenue, 0);

  const apiStatus = new Map<string, number>();
  for (const r of await run<{
    hour: Date | null;
    status_code: number | null;
    n: number;
    errors: number;
    server_errors: number;
    p50: number;
    p95: number;
  }>('api')) {
    if (r.hour !== null) {
      const h = hourOf(r.hour);
      h.requests = r.n;
      h.errors = r.errors;
      h.serverErrors = r.server_errors;
      h.latencyP50 = r.p50;
      h.latencyP95 = r.p95;
    } else if (r.status_code !== null) {
      add(apiStatus, String(r.status_code), r.n);
    }
  }

  const carts = hours.reduce((a, h) => a + h.orders, 0);
  return {
    schema,
    ms: queries.reduce((a, q) => a + q.ms, 0),
    queries,
    currencies: [...currencies].sort(),
    hours,
    orderStatus: byCount(orderStatus),
    payments,
    topProducts: {
      products,
      productsSold: top[0]?.products ?? 0,
      revenue: allRevenue,
      // the rest by difference, clamped: float sums of the same amounts may differ in the last digit
      restRevenue: Math.max(0, Math.round((allRevenue - topRevenue) * 100) / 100),
    },
    apiStatus: byCount(apiStatus),
    funnel: [
      { name: 'carts created', count: carts },
      { name: 'checkout (payment attempted)', count: carts - (orderStatus.get('abandoned') ?? 0) },
      { name: 'paid', count: orderStatus.get('paid') ?? 0 },
    ],
  };
}
