/**
 * The SQL pieces the metric checks share (./metrics.ts, ./rollups.ts), each written once: what a paid order is,
 * which logged requests are a product view or a cart add, the conversion to the reporting currency at the
 * fixed rates of src/model/currencies.ts, and a product's list price at a time.
 */
import { CURRENCIES } from '../../model/currencies.js';
import type { TableName } from '../../model/tables.js';
import type { CheckContext } from '../check.js';

/**
 * Statuses of an order whose payment succeeded: a refund or a return later changes the order's status, not
 * the fact that it was paid in its hour (the metrics count it there).
 */
export const PAID_STATUSES = "('paid', 'refunded', 'returned')";

/**
 * The logged requests the traffic metrics count (the routes of src/generate/sessions.ts, stored as templates,
 * the product in request_response_log.shop_product_id), with a 2xx status.
 */
export const PRODUCT_VIEW = { method: 'GET', path: '/api/products/{id}' } as const;
export const CART_ADD = { method: 'POST', path: '/api/cart/items' } as const;
const is = (r: { method: string; path: string }, a: string): string =>
  `${a}method = '${r.method}' AND ${a}path = '${r.path}' AND ${a}status_code BETWEEN 200 AND 299`;
/** a condition on request_response_log alias `a` (with its dot: 'l.') */
export const isView = (a = ''): string => is(PRODUCT_VIEW, a);
export const isCartAdd = (a = ''): string => is(CART_ADD, a);

/**
 * CTEs `rc` (the reporting currency: the one the metric table says it is in, extra_metrics.currency; USD for an
 * empty table) and `rate(code, usd_from, usd_to)` per currency. The table's own claim is compared row by row
 * by the checks (every row carries the same code), not against the scenario, which verify does not read.
 */
export function rateCtes(T: CheckContext['T'], metricTable: TableName): string {
  const values = CURRENCIES.map((c) => `('${c.code}', ${c.usd}::numeric)`).join(', ');
  return `rc AS (SELECT coalesce((SELECT min(extra_metrics->>'currency') FROM ${T(metricTable)}), 'USD') AS code),
       fx (code, usd) AS (VALUES ${values}),
       rate AS (SELECT f.code, f.usd AS usd_from, r.usd AS usd_to FROM fx f CROSS JOIN fx r JOIN rc ON rc.code = r.code)`;
}

/**
 * An amount in a shop currency converted to the reporting currency, rounded to the cent (half away from
 * zero, as src/generate/money.ts toReporting), given `rate` joined as `rt` on that currency.
 */
export const toReporting = (amount: string, rt = 'rt'): string =>
  `round((${amount}) * ${rt}.usd_from / ${rt}.usd_to, 2)`;

/**
 * CTE `nxt(shop_product_id, b, old_price)`: for each (product, bucket start b) of CTE `keys`, the old price of
 * the product's first price change at or after the bucket's end `endExpr` (in terms of k.b); absent when its
 * price did not change after: then shop_product.price (the price at the window's end) is the price at the
 * bucket's end. One join of the keys with the price_changed events (a handful per product), no subquery per row.
 */
export function priceAtEndCte(T: CheckContext['T'], keys: string, endExpr: string): string {
  return `pc AS (SELECT entity_id AS shop_product_id, event_time, (extra_data->>'old_price')::numeric AS old_price
               FROM ${T('global_event')} WHERE event_type = 'price_changed'),
       nxt AS (SELECT DISTINCT ON (k.shop_product_id, k.b) k.shop_product_id, k.b, pc.old_price
               FROM ${keys} k JOIN pc USING (shop_product_id) WHERE pc.event_time >= ${endExpr}
               ORDER BY k.shop_product_id, k.b, pc.event_time)`;
}
