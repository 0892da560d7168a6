/**
 * The hourly metric tables, recomputed in SQL from the operational rows. Each family's recomputation is keyed
 * by the model's value columns (src/model/metrics.ts) with `satisfies`: a metric column added to the model
 * fails to compile here until its recomputation exists.
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

/**
 * How a value column is recomputed: an aggregate expression (NULL when nothing happened, read as 0 and cast
 * to the column's type), the entity's own value as is (`plain`), or NOT_RECORDED when no table records its
 * source (page views), so it is left out of the comparison.
 */
type Recompute = string | { plain: string } | typeof NOT_RECORDED;
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

const USER: Recomputation<'user'> = {
  with: (T) => `ord AS (SELECT user_id, ${H('event_time')} AS b, count(*) AS orders_count,
                      sum(total) FILTER (WHERE status = 'paid') AS orders_value,
                      count(*) FILTER (WHERE status = 'paid' AND shop_promotion_id IS NOT NULL) AS promos,
                      count(*) FILTER (WHERE status = 'abandoned') AS abandoned
               FROM ${T('shop_order')} GROUP BY 1, 2),
       pay AS (SELECT user_id, ${H('event_time')} AS b, count(*) FILTER (WHERE status = 'succeeded') AS ok,
                      count(*) FILTER (WHERE status = 'failed') AS failed
               FROM ${T('shop_order_payment')} GROUP BY 1, 2),
       rev AS (SELECT user_id, ${H('event_time')} AS b, count(*) AS n FROM ${T('shop_review')} GROUP BY 1, 2),
       api AS (SELECT user_id, ${H('event_time')} AS b, count(*) AS n FROM ${T('request_response_log')}
               WHERE user_id IS NOT NULL GROUP BY 1, 2),
       k AS (SELECT user_id, b FROM ord UNION SELECT user_id, b FROM rev
             UNION SELECT user_id, b FROM pay UNION SELECT user_id, b FROM api)`,
  head: 'k.user_id, k.b AS event_time',
  from: () => `k LEFT JOIN ord USING (user_id, b) LEFT JOIN pay USING (user_id, b)
              LEFT JOIN rev USING (user_id, b) LEFT JOIN api USING (user_id, b)`,
  values: {
    orders_count: 'ord.orders_count',
    orders_value: 'ord.orders_value',
    payments_succeeded: 'pay.ok',
    payments_failed: 'pay.failed',
    reviews_count: 'rev.n',
    promotions_used: 'ord.promos',
    carts_abandoned: 'ord.abandoned',
    api_requests: 'api.n',
  },
};

const SHOP: Recomputation<'shop'> = {
  with: (T) => `ord AS (SELECT shop_id, ${H('event_time')} AS b,
                      count(*) FILTER (WHERE status = 'paid') AS orders,
                      sum(total) FILTER (WHERE status = 'paid') AS revenue,
                      count(DISTINCT user_id) FILTER (WHERE status = 'paid') AS customers,
                      count(*) FILTER (WHERE status = 'paid' AND shop_promotion_id IS NOT NULL) AS promo_orders,
                      sum(discount) FILTER (WHERE status = 'paid') AS discount,
                      count(*) FILTER (WHERE status = 'abandoned') AS abandoned
               FROM ${T('shop_order')} GROUP BY 1, 2),
       itm AS (SELECT o.shop_id, ${H('o.event_time')} AS b,
                      sum(i.quantity) FILTER (WHERE o.status = 'paid') AS units,
                      count(DISTINCT i.shop_product_id) FILTER (WHERE o.status = 'paid') AS products,
                      sum(i.quantity) AS cart_adds
               FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
               GROUP BY 1, 2),
       pay AS (SELECT o.shop_id, ${H('p.event_time')} AS b, count(*) FILTER (WHERE p.status = 'failed') AS failed
               FROM ${T('shop_order_payment')} p JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
               GROUP BY 1, 2),
       rev AS (SELECT shop_id, ${H('event_time')} AS b, count(*) AS n, sum(rating) AS rating
               FROM ${T('shop_review')} GROUP BY 1, 2),
       inv AS (SELECT l.shop_id, ${H('l.event_time')} AS b, sum(l.quantity_change * p.price) AS value
               FROM ${T('shop_inventory_log')} l JOIN ${T('shop_product')} p ON p.id = l.shop_product_id
               GROUP BY 1, 2),
       api AS (SELECT shop_id, ${H('event_time')} AS b, count(*) AS n,
                      count(*) FILTER (WHERE status_code >= 400) AS errors, sum(latency_ms) AS latency
               FROM ${T('request_response_log')} WHERE shop_id IS NOT NULL GROUP BY 1, 2),
       k AS (SELECT shop_id, b FROM ord UNION SELECT shop_id, b FROM itm UNION SELECT shop_id, b FROM pay
             UNION SELECT shop_id, b FROM rev UNION SELECT shop_id, b FROM inv UNION SELECT shop_id, b FROM api)`,
  head: 'k.shop_id, k.b AS event_time',
  from: () => `k LEFT JOIN ord USING (shop_id, b) LEFT JOIN itm USING (shop_id, b)
              LEFT JOIN pay USING (shop_id, b) LEFT JOIN rev USING (shop_id, b)
              LEFT JOIN inv USING (shop_id, b) LEFT JOIN api USING (shop_id, b)`,
  values: {
    orders_count: 'ord.orders',
    revenue: 'ord.revenue',
    customers_count: 'ord.customers',
    units_sold: 'itm.units',
    products_sold: 'itm.products',
    reviews_count: 'rev.n',
    rating_sum: 'rev.rating',
    promotion_orders: 'ord.promo_orders',
    discount_total: 'ord.discount',
    carts_abandoned: 'ord.abandoned',
    payments_failed: 'pay.failed',
    inventory_value_change: 'inv.value',
    page_views: NOT_RECORDED,
    cart_adds: 'itm.cart_adds',
    api_requests: 'api.n',
    api_errors: 'api.errors',
    api_latency_ms_sum: 'api.latency',
  },
};

const PRODUCT: Recomputation<'product'> = {
  with: (T) => `itm AS (SELECT i.shop_product_id, ${H('o.event_time')} AS b,
                      sum(i.quantity) FILTER (WHERE o.status = 'paid') AS units,
                      sum(i.line_total) FILTER (WHERE o.status = 'paid') AS revenue,
                      count(DISTINCT i.shop_order_id) FILTER (WHERE o.status = 'paid') AS orders,
                      sum(i.quantity) AS cart_adds,
                      sum(i.quantity) FILTER (WHERE o.status = 'paid' AND o.shop_promotion_id IS NOT NULL)
                        AS promo_units
               FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
               GROUP BY 1, 2),
       rev AS (SELECT shop_product_id, ${H('event_time')} AS b, count(*) AS n, sum(rating) AS rating
               FROM ${T('shop_review')} GROUP BY 1, 2),
       inv AS (SELECT shop_product_id, ${H('event_time')} AS b, sum(quantity_change) AS change
               FROM ${T('shop_inventory_log')} GROUP BY 1, 2),
       k AS (SELECT shop_product_id, b FROM itm UNION SELECT shop_product_id, b FROM rev
             UNION SELECT shop_product_id, b FROM inv)`,
  head: 'k.shop_product_id, k.b AS event_time, p.shop_id',
  from: (T) => `k LEFT JOIN ${T('shop_product')} p ON p.id = k.shop_product_id
              LEFT JOIN itm USING (shop_product_id, b) LEFT JOIN rev USING (shop_product_id, b)
              LEFT JOIN inv USING (shop_product_id, b)`,
  values: {
    units_sold: 'itm.units',
    revenue: 'itm.revenue',
    orders_count: 'itm.orders',
    cart_adds: 'itm.cart_adds',
    page_views: NOT_RECORDED,
    reviews_count: 'rev.n',
    rating_sum: 'rev.rating',
    promotion_units: 'itm.promo_units',
    inventory_change: 'inv.change',
    unit_price: { plain: 'p.price' },
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
    typeof expr === 'string' ? `coalesce(${expr}, 0)::${type} AS ${name}` : `${expr.plain} AS ${name}`,
  );
  return {
    name: `metrics:${m}`,
    description: `${m} is not the aggregates of the operational rows`,
    sql: ({ T }) =>
      exceptBoth(
        `WITH
       ${r.with(T)}
       SELECT ${[r.head, ...select].join(', ')}
       FROM ${r.from(T)}`,
        // the entity, its bucket, the other references, then every recorded value, in model order
        `SELECT ${[entity, 'event_time', ...refs, ...values.map((v) => v.name)].join(', ')} FROM ${T(m)}`,
      ),
  };
}

export const METRICS: CheckDef[] = METRIC_FAMILIES.map(recomputed);
