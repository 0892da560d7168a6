/**
 * The hourly metric tables, recomputed in SQL from the operational rows, one pass per table. Each family's
 * recomputation is keyed by the model's value columns (src/model/metrics.ts) with `satisfies`: a metric
 * column added to the model fails to compile here until its recomputation exists. The shared pieces (paid,
 * the routes of a view and a cart add, the currency conversion, the price at a time) are in ./metric-sql.ts.
 */
import {
  METRIC_FAMILIES,
  METRIC_KEYS,
  METRIC_TABLES,
  METRIC_VALUES,
  type MetricFamily,
  type ValueColumn,
} from '../../model/metrics.js';
import type { TableName } from '../../model/tables.js';
import { type CheckContext, type CheckDef, exceptBoth, H } from '../check.js';
import {
  inventoryValueCte,
  isCartAdd,
  isView,
  PAID_STATUSES,
  priceAtEndCte,
  rateCtes,
  stockAtEndCte,
  toReporting,
} from './metric-sql.js';

/**
 * How a value column is recomputed: an aggregate expression (NULL when nothing happened, read as 0 and cast
 * to the column's type), a nullable one (NULL stays NULL: min/max of nothing), the entity's own value as is
 * (`plain`), or NOT_RECORDED when the operational tables cannot say it yet (left out of the comparison).
 */
type Recompute = string | { nullable: string } | { plain: string } | typeof NOT_RECORDED;
const NOT_RECORDED = null;

interface Recomputation<F extends MetricFamily> extends AnyRecomputation {
  values: Record<ValueColumn<F>, Recompute>;
}

interface AnyRecomputation {
  /** the CTEs, each keyed by (entity, hour bucket b), and `k`: every (entity, b) that has any */
  with: (T: CheckContext['T']) => string;
  /** the select list before the values: the entity, its bucket as event_time, the other references */
  head: string;
  /** the FROM clause joining k to the CTEs */
  from: (T: CheckContext['T']) => string;
  /** by value column */
  values: Record<string, Recompute>;
}

/**
 * CTE `itm`: every order item with its order's bucket, buyer, shop and status, and its money in the reporting
 * currency: net (line_total - the item's discount), the discount, the unit price (the item's discount is
 * checked against the promotion by the 'promotions' check).
 */
const items = (T: CheckContext['T']): string => `itm AS (
         SELECT i.shop_product_id, i.shop_order_id, o.user_id, o.shop_id, ${H('o.event_time')} AS b,
                o.status IN ${PAID_STATUSES} AS paid, o.shop_promotion_id IS NOT NULL AS promo, i.quantity,
                ${toReporting('i.line_total - i.discount')} AS net, ${toReporting('i.discount')} AS discount,
                ${toReporting('i.unit_price')} AS price
         FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
         JOIN rate rt ON rt.code = o.currency)`;

/** CTE `api`: logged requests per (column, b): count, errors, latency sum */
const api = (T: CheckContext['T'], column: string): string => `api AS (
         SELECT ${column}, ${H('event_time')} AS b, count(*) AS n,
                count(*) FILTER (WHERE status_code >= 400) AS errors, sum(latency_ms) AS latency
         FROM ${T('request_response_log')} WHERE ${column} IS NOT NULL GROUP BY 1, 2)`;

/** CTE `trf`: logged product views and cart adds per (product, its shop, b) */
const traffic = (T: CheckContext['T']): string => `trf AS (
         SELECT l.shop_product_id, p.shop_id, ${H('l.event_time')} AS b,
                count(*) FILTER (WHERE ${isView('l.')}) AS views, count(*) FILTER (WHERE ${isCartAdd('l.')}) AS adds
         FROM ${T('request_response_log')} l JOIN ${T('shop_product')} p ON p.id = l.shop_product_id
         WHERE (${isView('l.')}) OR (${isCartAdd('l.')}) GROUP BY 1, 2, 3)`;

/** the payment attempts of the orders (refund rows are not attempts: they count nowhere here) */
const ATTEMPT = "status IN ('succeeded', 'failed')";

const USER: Recomputation<'user'> = {
  with: (T) => `${items(T)},
       ord AS (SELECT user_id, ${H('event_time')} AS b,
                      count(*) FILTER (WHERE status IN ${PAID_STATUSES}) AS orders,
                      count(*) FILTER (WHERE status IN ${PAID_STATUSES} AND shop_promotion_id IS NOT NULL) AS promos,
                      count(*) FILTER (WHERE status = 'abandoned') AS abandoned
               FROM ${T('shop_order')} GROUP BY 1, 2),
       val AS (SELECT user_id, b, sum(net) AS value FROM itm WHERE paid GROUP BY 1, 2),
       pay AS (SELECT user_id, ${H('event_time')} AS b, count(*) FILTER (WHERE status = 'succeeded') AS ok,
                      count(*) FILTER (WHERE status = 'failed') AS failed
               FROM ${T('shop_order_payment')} WHERE ${ATTEMPT} GROUP BY 1, 2),
       rev AS (SELECT user_id, ${H('event_time')} AS b, count(*) AS n FROM ${T('shop_review')} GROUP BY 1, 2),
       ${api(T, 'user_id')},
       k AS (SELECT user_id, b FROM ord UNION SELECT user_id, b FROM rev
             UNION SELECT user_id, b FROM pay UNION SELECT user_id, b FROM api)`,
  head: 'k.user_id, k.b AS event_time',
  from: () => `k LEFT JOIN ord USING (user_id, b) LEFT JOIN val USING (user_id, b) LEFT JOIN pay USING (user_id, b)
              LEFT JOIN rev USING (user_id, b) LEFT JOIN api USING (user_id, b)`,
  values: {
    orders_count: 'ord.orders',
    orders_value: 'val.value',
    payments_succeeded: 'pay.ok',
    payments_failed: 'pay.failed',
    reviews_count: 'rev.n',
    promotions_used: 'ord.promos',
    carts_abandoned: 'ord.abandoned',
    api_requests: 'api.n',
    api_errors: 'api.errors',
    api_latency_ms_sum: 'api.latency',
  },
};

const SHOP: Recomputation<'shop'> = {
  with: (T) => `${items(T)},
       ord AS (SELECT shop_id, ${H('event_time')} AS b,
                      count(*) FILTER (WHERE status IN ${PAID_STATUSES}) AS orders,
                      count(DISTINCT user_id) FILTER (WHERE status IN ${PAID_STATUSES}) AS customers,
                      count(*) FILTER (WHERE status IN ${PAID_STATUSES} AND shop_promotion_id IS NOT NULL)
                        AS promo_orders,
                      count(*) FILTER (WHERE status = 'abandoned') AS abandoned
               FROM ${T('shop_order')} GROUP BY 1, 2),
       sold AS (SELECT shop_id, b, sum(net) AS revenue, sum(discount) AS discount, sum(quantity) AS units,
                       count(DISTINCT shop_product_id) AS products
                FROM itm WHERE paid GROUP BY 1, 2),
       -- a buyer's first paid order at the shop in the window (the data has no earlier one)
       fst AS (SELECT shop_id, b, count(*) AS n
               FROM (SELECT shop_id, ${H('event_time')} AS b,
                            row_number() OVER (PARTITION BY shop_id, user_id ORDER BY event_time, id) AS nth
                     FROM ${T('shop_order')} WHERE status IN ${PAID_STATUSES}) f
               WHERE nth = 1 GROUP BY 1, 2),
       pay AS (SELECT o.shop_id, ${H('p.event_time')} AS b, count(*) FILTER (WHERE p.status = 'failed') AS failed
               FROM ${T('shop_order_payment')} p JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
               WHERE p.${ATTEMPT} GROUP BY 1, 2),
       rev AS (SELECT shop_id, ${H('event_time')} AS b, count(*) AS n, sum(rating) AS rating
               FROM ${T('shop_review')} GROUP BY 1, 2),
       ${api(T, 'shop_id')},
       ${traffic(T)},
       views AS (SELECT shop_id, b, sum(views) AS views, sum(adds) AS adds FROM trf GROUP BY 1, 2),
       k AS (SELECT shop_id, b FROM ord UNION SELECT shop_id, b FROM pay UNION SELECT shop_id, b FROM rev
             UNION SELECT shop_id, b FROM api UNION SELECT shop_id, b FROM views),
       ${inventoryValueCte(T, 'k', "k.b + interval '1 hour'", H)}`,
  head: 'k.shop_id, k.b AS event_time',
  from: () => `k LEFT JOIN ord USING (shop_id, b) LEFT JOIN sold USING (shop_id, b)
              LEFT JOIN fst USING (shop_id, b) LEFT JOIN pay USING (shop_id, b) LEFT JOIN rev USING (shop_id, b)
              LEFT JOIN api USING (shop_id, b) LEFT JOIN views USING (shop_id, b)
              LEFT JOIN stockval USING (shop_id, b)`,
  values: {
    orders_count: 'ord.orders',
    revenue: 'sold.revenue',
    customers_count: 'ord.customers',
    new_customers: 'fst.n',
    units_sold: 'sold.units',
    products_sold: 'sold.products',
    reviews_count: 'rev.n',
    rating_sum: 'rev.rating',
    promotion_orders: 'ord.promo_orders',
    discount_total: 'sold.discount',
    carts_abandoned: 'ord.abandoned',
    payments_failed: 'pay.failed',
    inventory_value: 'stockval.value',
    page_views: 'views.views',
    cart_adds: 'views.adds',
    api_requests: 'api.n',
    api_errors: 'api.errors',
    api_latency_ms_sum: 'api.latency',
  },
};

const PRODUCT: Recomputation<'product'> = {
  with: (T) => `${items(T)},
       sold AS (SELECT shop_product_id, b, sum(quantity) FILTER (WHERE paid) AS units,
                       sum(net) FILTER (WHERE paid) AS revenue,
                       count(DISTINCT shop_order_id) FILTER (WHERE paid) AS orders,
                       sum(quantity) FILTER (WHERE paid AND promo) AS promo_units,
                       min(price) FILTER (WHERE paid) AS min_price, max(price) FILTER (WHERE paid) AS max_price
                FROM itm GROUP BY 1, 2),
       rev AS (SELECT shop_product_id, ${H('event_time')} AS b, count(*) AS n, sum(rating) AS rating
               FROM ${T('shop_review')} GROUP BY 1, 2),
       ${traffic(T)},
       k AS (SELECT shop_product_id, b FROM sold UNION SELECT shop_product_id, b FROM rev
             UNION SELECT shop_product_id, b FROM trf),
       ${priceAtEndCte(T, 'k', "k.b + interval '1 hour'")},
       ${stockAtEndCte(T, 'k', H)}`,
  head: 'k.shop_product_id, k.b AS event_time, p.shop_id',
  from: (T) => `k LEFT JOIN ${T('shop_product')} p ON p.id = k.shop_product_id
              LEFT JOIN rate rt ON rt.code = p.currency
              LEFT JOIN sold USING (shop_product_id, b) LEFT JOIN rev USING (shop_product_id, b)
              LEFT JOIN trf USING (shop_product_id, b) LEFT JOIN nxt USING (shop_product_id, b)
              LEFT JOIN onhand USING (shop_product_id, b)`,
  values: {
    units_sold: 'sold.units',
    revenue: 'sold.revenue',
    orders_count: 'sold.orders',
    cart_adds: 'trf.adds',
    page_views: 'trf.views',
    reviews_count: 'rev.n',
    rating_sum: 'rev.rating',
    promotion_units: 'sold.promo_units',
    inventory_on_hand: 'onhand.stock',
    min_unit_price: { nullable: 'sold.min_price' },
    max_unit_price: { nullable: 'sold.max_price' },
    unit_price: { plain: toReporting('coalesce(nxt.old_price, p.price)') },
  },
};

const RECOMPUTATIONS = { user: USER, shop: SHOP, product: PRODUCT } satisfies {
  [F in MetricFamily]: Recomputation<F>;
};

/** The value columns of a family that some table records, in model order, with their recomputation. */
function recorded(family: MetricFamily, r: Record<string, Recompute>) {
  return METRIC_VALUES[family].flatMap((c) => {
    const expr = r[c.name];
    return expr === NOT_RECORDED || expr === undefined ? [] : [{ name: c.name, type: c.type, expr }];
  });
}

function recomputed(family: MetricFamily): CheckDef {
  const r: AnyRecomputation = RECOMPUTATIONS[family];
  const m: TableName = METRIC_TABLES[family].hourly;
  const [entity, ...refs] = METRIC_KEYS[family].map((k) => k.name);
  const values = recorded(family, r.values);
  const select = values.map(({ name, type, expr }) =>
    typeof expr === 'string'
      ? `coalesce(${expr}, 0)::${type} AS ${name}`
      : 'nullable' in expr
        ? `${expr.nullable}::${type} AS ${name}`
        : `(${expr.plain})::${type} AS ${name}`,
  );
  return {
    name: `metrics:${m}`,
    description: `${m} is not the aggregates of the operational rows`,
    sql: ({ T }) =>
      exceptBoth(
        // the entity, its bucket, the other references, every recorded value in model order, the currency
        [
          ...(entity === undefined ? [] : [entity]),
          'event_time',
          ...refs,
          ...values.map((v) => v.name),
          'currency',
        ],
        `WITH
       ${rateCtes(T, m)},
       ${r.with(T)}
       SELECT ${[r.head, ...select, 'rc.code AS currency'].join(', ')}
       FROM ${r.from(T)} CROSS JOIN rc`,
        // the entity, its bucket, the other references, every recorded value in model order, the currency
        `SELECT ${[entity, 'event_time', ...refs, ...values.map((v) => v.name)].join(', ')},
                extra_metrics->>'currency' AS currency FROM ${T(m)}`,
      ),
  };
}

export const METRICS: CheckDef[] = METRIC_FAMILIES.map(recomputed);
