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
 * The logged requests the traffic metrics count (the routes of src/generate/api-load.ts, stored as templates,
 * the product in request_response_log.shop_product_id), with a 2xx status; a view by a person, not a crawler
 * (extra_data bot), as sessions.ts hourTraffic counts them.
 */
export const PRODUCT_VIEW = { method: 'GET', path: '/api/products/{id}' } as const;
export const CART_ADD = { method: 'POST', path: '/api/cart/items' } as const;
const is = (r: { method: string; path: string }, a: string): string =>
  `${a}method = '${r.method}' AND ${a}path = '${r.path}' AND ${a}status_code BETWEEN 200 AND 299`;
/** a condition on request_response_log alias `a` (with its dot: 'l.') */
export const isView = (a = ''): string =>
  `${is(PRODUCT_VIEW, a)} AND (${a}extra_data->>'bot') IS DISTINCT FROM 'true'`;
export const isCartAdd = (a = ''): string => is(CART_ADD, a);

/**
 * CTEs `rc` (the reporting currency: the one the metric table says it is in, extra_metrics.currency; USD for an
 * empty table) and `rate(code, factor, step)` per currency: the factor to the reporting currency and the
 * reporting currency's rounding step in hundredths (100: whole yen). The table's own claim is compared row by
 * row by the checks (every row carries the same code), not against the scenario, which verify does not read.
 */
export function rateCtes(T: CheckContext['T'], metricTable: TableName): string {
  const values = CURRENCIES.map((c) => `('${c.code}', ${c.usd}::float8, ${c.decimals})`).join(', ');
  return `rc AS (SELECT coalesce((SELECT min(extra_metrics->>'currency') FROM ${T(metricTable)}), 'USD') AS code),
       fx (code, usd, decimals) AS (VALUES ${values}),
       rate AS (SELECT f.code, f.usd / r.usd AS factor, CASE WHEN r.decimals = 0 THEN 100 ELSE 1 END AS step
                FROM fx f CROSS JOIN fx r JOIN rc ON rc.code = r.code)`;
}

/**
 * An amount in a shop currency converted to the reporting currency, given `rate` joined as `rt` on that
 * currency: the arithmetic of src/generate/money.ts toReporting, in the same double precision (hundredths x
 * factor, rounded half away from zero to the step). Exact decimal arithmetic would differ: 0.54 GBP is exactly
 * 0.635 EUR at these rates, 63.49999999999999 hundredths in doubles, so the generator writes 0.63.
 */
export const toReporting = (amount: string, rt = 'rt'): string =>
  `(sign(${amount}) * (floor(abs((${amount}) * 100)::float8 * ${rt}.factor / ${rt}.step + 0.5) * ${rt}.step)::numeric / 100)`;

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

/**
 * CTE `onhand(shop_product_id, b, stock)`: the stock of each (product, bucket start b) of CTE `keys` (unique) at the
 * bucket's end, recovered as the orders checks do: shop_product.inventory (the stock at the window end) minus
 * every movement of shop_inventory_log after the bucket. One sort per product of its buckets' movements and the
 * keys (a running sum), no subquery per row. `bucket` is H or D of ../check.ts: the keys' bucketing.
 */
export function stockAtEndCte(T: CheckContext['T'], keys: string, bucket: (expr: string) => string): string {
  return `mv AS (SELECT shop_product_id, ${bucket('event_time')} AS b, sum(quantity_change) AS d
               FROM ${T('shop_inventory_log')} GROUP BY 1, 2),
       tot AS (SELECT shop_product_id, sum(d) AS total FROM mv GROUP BY 1),
       run AS (SELECT shop_product_id, b, upto
               FROM (SELECT shop_product_id, b, is_key,
                            sum(d) OVER (PARTITION BY shop_product_id ORDER BY b, is_key) AS upto
                     FROM (SELECT shop_product_id, b, d, 0 AS is_key FROM mv
                           UNION ALL SELECT shop_product_id, b, 0, 1 FROM ${keys}) s) r
               WHERE is_key = 1),
       onhand AS (SELECT run.shop_product_id, run.b, p.inventory - (coalesce(tot.total, 0) - run.upto) AS stock
                  FROM run JOIN ${T('shop_product')} p ON p.id = run.shop_product_id
                  LEFT JOIN tot USING (shop_product_id))`;
}

/**
 * CTEs `stockval(shop_id, b, value)` for each (shop, b) of CTE `keys`: the shop's inventory value at the
 * bucket's end `endExpr` (in terms of k.b), the sum over its products existing then of stock x price at that
 * end, each product's value converted to the reporting currency. Needs rateCtes.
 *
 * A product's value only changes in its first bucket and in the buckets of its stock movements and price
 * changes, so it is computed at those points only (`pts`), as the change since the product's previous point;
 * a shop's value at a key is the running sum of its products' changes up to the key's bucket. Exact: the values
 * are numeric, so summing the changes gives the very sum of the values. One sort per shop, where the value of
 * every product at every key would be O(products x buckets) rows (minutes at --scale 1, issue 9 §3).
 */
export function inventoryValueCte(
  T: CheckContext['T'],
  keys: string,
  endExpr: string,
  bucket: (expr: string) => string,
): string {
  return `pts AS (SELECT id AS shop_product_id, ${bucket('event_time')} AS b FROM ${T('shop_product')}
               UNION SELECT shop_product_id, ${bucket('event_time')} FROM ${T('shop_inventory_log')}
               UNION SELECT entity_id, ${bucket('event_time')} FROM ${T('global_event')}
                     WHERE event_type = 'price_changed'),
       ${stockAtEndCte(T, 'pts', bucket)},
       ${priceAtEndCte(T, 'pts', endExpr)},
       pv AS (SELECT p.shop_id, pts.b,
                     v.value - coalesce(lag(v.value) OVER (PARTITION BY pts.shop_product_id ORDER BY pts.b), 0)
                       AS delta
              FROM pts JOIN ${T('shop_product')} p ON p.id = pts.shop_product_id
              JOIN rate rt ON rt.code = p.currency
              JOIN onhand USING (shop_product_id, b) LEFT JOIN nxt USING (shop_product_id, b)
              CROSS JOIN LATERAL (SELECT ${toReporting('greatest(onhand.stock, 0) * coalesce(nxt.old_price, p.price)')}
                                    AS value) v
              -- a product counts from the bucket it was created in (created before that bucket's end)
              WHERE pts.b >= ${bucket('p.event_time')}),
       stockval AS (SELECT shop_id, b, value
                    FROM (SELECT shop_id, b, is_key,
                                 sum(delta) OVER (PARTITION BY shop_id ORDER BY b, is_key) AS value
                          FROM (SELECT shop_id, b, sum(delta) AS delta, 0 AS is_key FROM pv GROUP BY 1, 2
                                UNION ALL SELECT DISTINCT shop_id, b, 0, 1 FROM ${keys}) s) r
                    WHERE is_key = 1)`;
}
