/**
 * The data profile's SQL (profile.ts runs it). Each query is one pass over its tables: aggregates grouped once
 * (GROUPING SETS where one scan serves two figures, FILTER for the counts beside them), hash joins, never a
 * subquery per row, and every table read within the window's bounds ($1 <= event_time < $2) so the planner
 * prunes to the window's partitions.
 *
 * Money is added up in the scenario's reporting currency: a VALUES list of src/model/currencies.ts's fixed
 * rates (rate = the currency's usd / the reporting currency's usd), joined on the row's currency and applied
 * to each (currency, group) sum, not per row.
 */
import { CURRENCIES } from '../model/currencies.js';
import { qualified } from '../model/ddl.js';
import type { TableName } from '../model/tables.js';

/** The order statuses whose payment succeeded: paid, and paid then refunded or returned before the window end. */
export const SUCCEEDED = ['paid', 'refunded', 'returned'] as const;

const HOUR_BIN = (expr: string): string =>
  `date_bin(interval '1 hour', ${expr}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

interface Sql {
  T: (name: TableName) => string;
  /** `alias.event_time` within the window: $1 <= t < $2 */
  inWindow: (alias: string) => string;
  /** `(VALUES ('USD', 1), ...) AS fx(currency, rate)`: reporting-currency units per unit of each currency */
  fx: string;
}

const SUCCEEDED_SQL = `(${SUCCEEDED.map((s) => `'${s}'`).join(', ')})`;

/** Reporting-currency units per unit of each currency of CURRENCIES, as a SQL VALUES list aliased fx. */
function fxValues(reporting: string): string {
  const rep = CURRENCIES.find((c) => c.code === reporting);
  if (rep === undefined) throw new Error(`reporting currency ${reporting} is not in src/model/currencies.ts`);
  const rows = CURRENCIES.map((c) => `('${c.code}', ${String(c.usd / rep.usd)}::numeric)`);
  return `(VALUES ${rows.join(', ')}) AS fx(currency, rate)`;
}

/**
 * Orders per hour, status (with the reason of an order that says why, such as an out-of-stock cart) and
 * currency: the hourly curve, the status mix, revenue and refunds, in one pass. Money is subtotal - discount,
 * the shop's revenue: without the US and Canadian sales tax an order's total adds (the state's, not the shop's),
 * as the metrics' revenue and the top products' lines. `known` is false for a currency without a rate (then
 * `net` is its sum unconverted).
 */
const ordersSql = ({ T, inWindow, fx }: Sql): string =>
  `SELECT ${HOUR_BIN('o.event_time')} AS hour, o.status, coalesce(o.extra_data->>'reason', '') AS reason,
          o.currency, fx.rate IS NOT NULL AS known, count(*)::float8 AS n,
          (coalesce(sum(o.subtotal - o.discount), 0) * coalesce(fx.rate, 1))::float8 AS net
   FROM ${T('shop_order')} o LEFT JOIN ${fx} ON fx.currency = o.currency
   WHERE ${inWindow('o')}
   GROUP BY 1, 2, 3, 4, fx.rate`;

const paymentsSql = ({ T, inWindow }: Sql): string =>
  `SELECT p.status, coalesce(p.failure_reason, '') AS reason, count(*)::float8 AS n
   FROM ${T('shop_order_payment')} p WHERE ${inWindow('p')}
   GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`;

/**
 * Revenue per product (line totals less the lines' discounts, in the reporting currency) of the orders whose
 * payment succeeded, ranked once; the ten first named from shop_product, with the total and the number of
 * products sold carried on every row by window aggregates. A product sells in its shop's one currency: the
 * rate applies to its sum.
 */
const topProductsSql = ({ T, inWindow, fx }: Sql): string =>
  `WITH per AS (
     SELECT i.shop_product_id AS id, sum(i.line_total - i.discount) * fx.rate AS revenue, sum(i.quantity) AS units
     FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     JOIN ${fx} ON fx.currency = o.currency
     WHERE ${inWindow('i')} AND ${inWindow('o')} AND o.status IN ${SUCCEEDED_SQL}
     GROUP BY i.shop_product_id, fx.currency, fx.rate),
   ranked AS (
     SELECT id, revenue, units, row_number() OVER (ORDER BY revenue DESC, id) AS rank,
            sum(revenue) OVER () AS all_revenue, count(*) OVER () AS products
     FROM per)
   SELECT r.id::text AS id, coalesce(p.name, '') AS name, r.revenue::float8 AS revenue, r.units::float8 AS units,
          r.all_revenue::float8 AS all_revenue, r.products::float8 AS products
   FROM ranked r LEFT JOIN ${T('shop_product')} p ON p.id = r.id AND ${inWindow('p')}
   WHERE r.rank <= 10 ORDER BY r.rank`;

/** The request log per hour (counts, errors, 429s, latency percentiles) and per status code, in one scan. */
const apiSql = ({ T, inWindow }: Sql): string =>
  `SELECT ${HOUR_BIN('r.event_time')} AS hour, r.status_code, count(*)::float8 AS n,
          count(*) FILTER (WHERE r.status_code >= 400)::float8 AS errors,
          count(*) FILTER (WHERE r.status_code >= 500)::float8 AS server_errors,
          count(*) FILTER (WHERE r.status_code = 429)::float8 AS rate_limited,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY r.latency_ms) AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY r.latency_ms) AS p95
   FROM ${T('request_response_log')} r WHERE ${inWindow('r')}
   GROUP BY GROUPING SETS ((1), (2))`;

/**
 * The funnel from the request log: one scan grouped by session (extra_data.session; a session stays in its
 * hour), then humans and bots apart. A logged session weighs 1 / its sample_rate (the share of sessions the
 * generator logged, whole sessions or none), so the weighted sums estimate all sessions. Stages: a product
 * page seen (GET 200), a cart add (POST 201), a checkout reached (POST /api/checkout), a payment that went
 * through (POST /api/payments 201).
 */
const funnelSql = ({ T, inWindow }: Sql): string =>
  `WITH s AS (
     SELECT bool_or(coalesce((r.extra_data->>'bot')::boolean, false)) AS bot,
            min(coalesce((r.extra_data->>'sample_rate')::float8, 1)) AS rate,
            count(*) AS requests,
            bool_or(r.path = '/api/products/{id}' AND r.method = 'GET' AND r.status_code = 200) AS viewed,
            bool_or(r.path = '/api/cart/items' AND r.method = 'POST' AND r.status_code = 201) AS carted,
            bool_or(r.path = '/api/checkout' AND r.method = 'POST') AS checkout,
            bool_or(r.path = '/api/payments' AND r.method = 'POST' AND r.status_code = 201) AS paid
     FROM ${T('request_response_log')} r WHERE ${inWindow('r')}
     GROUP BY r.extra_data->>'session')
   SELECT bot, count(*)::float8 AS sessions, sum(requests)::float8 AS requests, min(rate) AS rate,
          sum(1 / rate) AS weighted,
          coalesce(sum(1 / rate) FILTER (WHERE viewed), 0) AS viewed,
          coalesce(sum(1 / rate) FILTER (WHERE carted), 0) AS carted,
          coalesce(sum(1 / rate) FILTER (WHERE checkout), 0) AS checkout,
          coalesce(sum(1 / rate) FILTER (WHERE paid), 0) AS paid
   FROM s GROUP BY bot ORDER BY bot`;

export type ProfileQueryName = 'orders' | 'payments' | 'topProducts' | 'api' | 'funnel';

/**
 * The profile's SQL against `schema`, amounts in `reporting` (a code of src/model/currencies.ts), for
 * profile.ts and for tests that compare its figures with counts of their own.
 */
export function profileSql(schema: string, reporting: string): Record<ProfileQueryName, string> {
  const sql: Sql = {
    T: (name) => qualified(schema, name),
    inWindow: (a) => `${a}.event_time >= $1 AND ${a}.event_time < $2`,
    fx: fxValues(reporting),
  };
  return {
    orders: ordersSql(sql),
    payments: paymentsSql(sql),
    topProducts: topProductsSql(sql),
    api: apiSql(sql),
    funnel: funnelSql(sql),
  };
}
