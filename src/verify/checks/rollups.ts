/** Rollups: the funnel order of the counters, shop page views from their products, daily rows from hourly ones. */
import { METRIC_FAMILIES, METRIC_KEYS, METRIC_TABLES, METRIC_VALUES, rollupOf } from '../../model/metrics.js';
import { TABLES } from '../../model/tables.js';
import { type CheckDef, D, exceptBoth } from '../check.js';

const funnelTables = TABLES.filter((t) => t.columns.some((c) => c.name === 'page_views')).map((t) => t.name);

const funnel: CheckDef = {
  name: 'funnel',
  description: 'a shop or product metric row without page_views >= cart_adds >= units_sold',
  sql: ({ T }) =>
    funnelTables
      .map(
        (m) => `SELECT '${m}' AS tbl, id, event_time, page_views, cart_adds, units_sold FROM ${T(m)}
                WHERE NOT (page_views >= cart_adds AND cart_adds >= units_sold)`,
      )
      .join('\nUNION ALL\n'),
};

const pageViews = (['hourly', 'daily'] as const).map((g): CheckDef => {
  const m = METRIC_TABLES.shop[g];
  return {
    name: `page-views:${m}`,
    description: `${m}.page_views is not the sum of its products' page_views`,
    sql: ({ T }) => `SELECT shop_id, event_time, s.page_views, p.page_views AS products_page_views
       FROM ${T(m)} s
       FULL JOIN (SELECT shop_id, event_time, sum(page_views) AS page_views
                  FROM ${T(METRIC_TABLES.product[g])} GROUP BY 1, 2) p USING (shop_id, event_time)
       WHERE s.page_views IS DISTINCT FROM p.page_views`,
  };
});

// daily = the hourly rows of the day summed, for every additive column (model rollup 'sum'); the same
// (entity, day) set
const dailySums = METRIC_FAMILIES.map((f): CheckDef => {
  const { hourly, daily } = METRIC_TABLES[f];
  const keys = METRIC_KEYS[f].map((k) => k.name).join(', ');
  const additive = METRIC_VALUES[f].filter((c) => rollupOf(c) === 'sum');
  const names = additive.map((c) => c.name);
  return {
    name: `daily-sums:${daily}`,
    description: `${daily} is not the sum of the ${hourly} rows of the day`,
    sql: ({ T }) =>
      exceptBoth(
        `SELECT ${keys}, ${D('event_time')} AS event_time,
                ${additive.map((c) => `sum(${c.name})::${c.type} AS ${c.name}`).join(', ')}
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
      `WITH
         k AS (SELECT DISTINCT shop_id, ${D('event_time')} AS b FROM ${T('shop_metrics_hourly')}),
         c AS (SELECT shop_id, ${D('event_time')} AS b, count(DISTINCT user_id) AS n FROM ${T('shop_order')}
               WHERE status = 'paid' GROUP BY 1, 2),
         p AS (SELECT o.shop_id, ${D('o.event_time')} AS b, count(DISTINCT i.shop_product_id) AS n
               FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
               WHERE o.status = 'paid' GROUP BY 1, 2)
         SELECT k.shop_id, k.b AS event_time, coalesce(c.n, 0)::integer AS customers_count,
                coalesce(p.n, 0)::integer AS products_sold
         FROM k LEFT JOIN c USING (shop_id, b) LEFT JOIN p USING (shop_id, b)`,
      `SELECT shop_id, event_time, customers_count, products_sold FROM ${T('shop_metrics_daily')}`,
    ),
};

const dailyProduct: CheckDef = {
  name: 'daily-product:shop_product_metrics_daily',
  description: "shop_product_metrics_daily unit_price or shop_id is not the product's",
  sql: ({ T }) => `SELECT d.id, d.shop_product_id, d.shop_id, p.shop_id AS product_shop, d.unit_price, p.price
     FROM ${T('shop_product_metrics_daily')} d LEFT JOIN ${T('shop_product')} p ON p.id = d.shop_product_id
     WHERE d.unit_price IS DISTINCT FROM p.price OR d.shop_id IS DISTINCT FROM p.shop_id`,
};

export const ROLLUPS: CheckDef[] = [funnel, ...pageViews, ...dailySums, dailyDistinct, dailyProduct];
