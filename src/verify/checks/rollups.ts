/**
 * Rollups: shop traffic from its products, daily rows from hourly ones (sums, min/max, distinct counts, the
 * levels at the day's end). The funnel inequality of earlier versions (page_views >= cart_adds >= units_sold)
 * is no promise any more: page views and cart adds count a sample of the logged traffic (log_sample_rate),
 * units every order; each is compared exactly with its source instead (./metrics.ts).
 */
import { METRIC_FAMILIES, METRIC_KEYS, METRIC_TABLES, METRIC_VALUES, rollupOf } from '../../model/metrics.js';
import { type CheckDef, D, exceptBoth } from '../check.js';
import {
  inventoryValueCte,
  PAID_STATUSES,
  priceAtEndCte,
  rateCtes,
  stockAtEndCte,
  toReporting,
} from './metric-sql.js';

const shopTraffic = (['hourly', 'daily'] as const).map((g): CheckDef => {
  const m = METRIC_TABLES.shop[g];
  return {
    name: `shop-traffic:${m}`,
    description: `${m}.page_views or cart_adds is not the sum of its products'`,
    sql: ({ T }) => `SELECT shop_id, event_time, s.page_views, p.page_views AS products_page_views,
            s.cart_adds, p.cart_adds AS products_cart_adds
       FROM ${T(m)} s
       FULL JOIN (SELECT shop_id, event_time, sum(page_views) AS page_views, sum(cart_adds) AS cart_adds
                  FROM ${T(METRIC_TABLES.product[g])} GROUP BY 1, 2) p USING (shop_id, event_time)
       WHERE s.page_views IS DISTINCT FROM coalesce(p.page_views, 0)
          OR s.cart_adds IS DISTINCT FROM coalesce(p.cart_adds, 0)`,
  };
});

/** how a daily value is made of the hourly ones, for the columns that are made of them */
const DAILY_OF = { sum: 'sum', min: 'min', max: 'max' } as const;

// daily = the hourly rows of the day summed for every additive column (model rollup 'sum'), their least /
// greatest for 'min' / 'max' (NULLs ignored: NULL when no hour has one); the same (entity, day) set
const dailySums = METRIC_FAMILIES.map((f): CheckDef => {
  const { hourly, daily } = METRIC_TABLES[f];
  const keys = METRIC_KEYS[f].map((k) => k.name).join(', ');
  const rolled = METRIC_VALUES[f].flatMap((c) => {
    const r = rollupOf(c);
    return r === 'sum' || r === 'min' || r === 'max' ? [{ ...c, fn: DAILY_OF[r] }] : [];
  });
  const names = rolled.map((c) => c.name);
  return {
    name: `daily-sums:${daily}`,
    description: `${daily} is not the sum (or min/max) of the ${hourly} rows of the day`,
    sql: ({ T }) =>
      exceptBoth(
        [...METRIC_KEYS[f].map((k) => k.name), 'event_time', ...names],
        `SELECT ${keys}, ${D('event_time')} AS event_time,
                ${rolled.map((c) => `${c.fn}(${c.name})::${c.type} AS ${c.name}`).join(', ')}
         FROM ${T(hourly)} GROUP BY ${keys}, ${D('event_time')}`,
        `SELECT ${[keys, 'event_time', ...names].join(', ')} FROM ${T(daily)}`,
      ),
  };
});

const dailyDistinct: CheckDef = {
  name: 'daily-distinct:shop_metrics_daily',
  description: 'shop_metrics_daily customers_count / products_sold are not distinct counts over the day',
  sql: ({ T }) =>
    exceptBoth(
      ['shop_id', 'event_time', 'customers_count', 'products_sold'],
      `WITH
         k AS (SELECT DISTINCT shop_id, ${D('event_time')} AS b FROM ${T('shop_metrics_hourly')}),
         c AS (SELECT shop_id, ${D('event_time')} AS b, count(DISTINCT user_id) AS n FROM ${T('shop_order')}
               WHERE status IN ${PAID_STATUSES} GROUP BY 1, 2),
         p AS (SELECT o.shop_id, ${D('o.event_time')} AS b, count(DISTINCT i.shop_product_id) AS n
               FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
               WHERE o.status IN ${PAID_STATUSES} GROUP BY 1, 2)
         SELECT k.shop_id, k.b AS event_time, coalesce(c.n, 0)::integer AS customers_count,
                coalesce(p.n, 0)::integer AS products_sold
         FROM k LEFT JOIN c USING (shop_id, b) LEFT JOIN p USING (shop_id, b)`,
      `SELECT shop_id, event_time, customers_count, products_sold FROM ${T('shop_metrics_daily')}`,
    ),
};

// the levels at the day's end (rollup 'value'), recomputed like the hourly ones with the day's end (the window's
// end for a partial last day)
const DAY_END = "least(k.b + interval '1 day', $1::timestamptz)";

const dailyProduct: CheckDef = {
  name: 'daily-levels:shop_product_metrics_daily',
  description:
    "shop_product_metrics_daily unit_price or inventory_on_hand is not the product's at the day's end (price in " +
    "the reporting currency), or shop_id is not the product's",
  sql: ({ T }) => {
    const m = T('shop_product_metrics_daily');
    const price = toReporting('coalesce(nxt.old_price, p.price)');
    return `WITH ${rateCtes(T, 'shop_product_metrics_daily')},
       k AS (SELECT id, shop_product_id, event_time AS b, shop_id, unit_price, inventory_on_hand FROM ${m}),
       ${priceAtEndCte(T, 'k', DAY_END)},
       ${stockAtEndCte(T, 'k', D)}
     SELECT k.id, k.shop_product_id, k.shop_id, p.shop_id AS product_shop, k.unit_price, ${price} AS price_then,
            k.inventory_on_hand, onhand.stock AS stock_then
     FROM k LEFT JOIN ${T('shop_product')} p ON p.id = k.shop_product_id
     LEFT JOIN rate rt ON rt.code = p.currency LEFT JOIN nxt USING (shop_product_id, b)
     LEFT JOIN onhand USING (shop_product_id, b)
     WHERE k.unit_price IS DISTINCT FROM ${price} OR k.shop_id IS DISTINCT FROM p.shop_id
        OR k.inventory_on_hand IS DISTINCT FROM onhand.stock`;
  },
  params: ({ end }) => [end],
};

const dailyShop: CheckDef = {
  name: 'daily-levels:shop_metrics_daily',
  description: "shop_metrics_daily inventory_value is not the value of the shop's stock at the day's end",
  sql: ({ T }) =>
    `WITH ${rateCtes(T, 'shop_metrics_daily')},
       k AS (SELECT id, shop_id, event_time AS b, inventory_value FROM ${T('shop_metrics_daily')}),
       ${inventoryValueCte(T, 'k', DAY_END, D)}
     SELECT k.id, k.shop_id, k.b, k.inventory_value, coalesce(v.value, 0)::numeric(14,2) AS value_then
     FROM k LEFT JOIN stockval v USING (shop_id, b)
     WHERE k.inventory_value IS DISTINCT FROM coalesce(v.value, 0)::numeric(14,2)`,
  params: ({ end }) => [end],
};

export const ROLLUPS: CheckDef[] = [...shopTraffic, ...dailySums, dailyDistinct, dailyProduct, dailyShop];
