/**
 * The value columns of the metric tables, per family (user, shop, product), in CSV/COPY order. tables.ts builds
 * the metric tables' columns from these tuples, the generator derives its aggregate slots and its writers'
 * column order from them, and the integrity checks key their recomputation by their names: a value column added
 * here fails to compile until the generator and the checks know it.
 */

import type { TableName } from './table-names.js';

/** How a daily row is made of the hourly ones: summed, counted distinct over the day, or the entity's value. */
export type Rollup = 'sum' | 'distinct' | 'value';

export interface MetricValue {
  readonly name: string;
  readonly type: 'integer' | 'bigint' | 'numeric(12,2)';
  /** default 'sum' */
  readonly rollup?: Rollup;
}

export const METRIC_VALUES = {
  user: [
    { name: 'orders_count', type: 'integer' },
    { name: 'orders_value', type: 'numeric(12,2)' },
    { name: 'payments_succeeded', type: 'integer' },
    { name: 'payments_failed', type: 'integer' },
    { name: 'reviews_count', type: 'integer' },
    { name: 'promotions_used', type: 'integer' },
    { name: 'carts_abandoned', type: 'integer' },
    { name: 'api_requests', type: 'integer' },
  ],
  shop: [
    { name: 'orders_count', type: 'integer' },
    { name: 'revenue', type: 'numeric(12,2)' },
    { name: 'customers_count', type: 'integer', rollup: 'distinct' },
    { name: 'units_sold', type: 'integer' },
    { name: 'products_sold', type: 'integer', rollup: 'distinct' },
    { name: 'reviews_count', type: 'integer' },
    { name: 'rating_sum', type: 'integer' },
    { name: 'promotion_orders', type: 'integer' },
    { name: 'discount_total', type: 'numeric(12,2)' },
    { name: 'carts_abandoned', type: 'integer' },
    { name: 'payments_failed', type: 'integer' },
    { name: 'inventory_value_change', type: 'numeric(12,2)' },
    { name: 'page_views', type: 'bigint' },
    { name: 'cart_adds', type: 'bigint' },
    { name: 'api_requests', type: 'integer' },
    { name: 'api_errors', type: 'integer' },
    { name: 'api_latency_ms_sum', type: 'bigint' },
  ],
  product: [
    { name: 'units_sold', type: 'integer' },
    { name: 'revenue', type: 'numeric(12,2)' },
    { name: 'orders_count', type: 'integer' },
    { name: 'cart_adds', type: 'bigint' },
    { name: 'page_views', type: 'bigint' },
    { name: 'reviews_count', type: 'integer' },
    { name: 'rating_sum', type: 'integer' },
    { name: 'promotion_units', type: 'integer' },
    { name: 'inventory_change', type: 'integer' },
    { name: 'unit_price', type: 'numeric(12,2)', rollup: 'value' },
  ],
} as const satisfies Record<string, readonly MetricValue[]>;

export type MetricFamily = keyof typeof METRIC_VALUES;

/** The value column names of a metric family, e.g. ValueColumn<'user'> = 'orders_count' | ... */
export type ValueColumn<F extends MetricFamily> = (typeof METRIC_VALUES)[F][number]['name'];

/** The reference columns of each family's rows, first the entity the row is about. */
export const METRIC_KEYS = {
  user: [{ name: 'user_id', references: 'users' }],
  shop: [{ name: 'shop_id', references: 'shop' }],
  product: [
    { name: 'shop_product_id', references: 'shop_product' },
    { name: 'shop_id', references: 'shop' },
  ],
} as const satisfies Record<MetricFamily, readonly { name: string; references: TableName }[]>;

/** The hourly and the daily table of each family. */
export const METRIC_TABLES = {
  user: { hourly: 'user_metrics_hourly', daily: 'user_metrics_daily' },
  shop: { hourly: 'shop_metrics_hourly', daily: 'shop_metrics_daily' },
  product: { hourly: 'shop_product_metrics_hourly', daily: 'shop_product_metrics_daily' },
} as const satisfies Record<MetricFamily, { hourly: TableName; daily: TableName }>;

export const METRIC_FAMILIES = ['user', 'shop', 'product'] as const satisfies readonly MetricFamily[];
// a family of METRIC_VALUES missing from the list above fails to compile here
type Unlisted = Exclude<MetricFamily, (typeof METRIC_FAMILIES)[number]>;
const everyFamily: [Unlisted] extends [never] ? true : never = true;
void everyFamily;

/** How a column's daily value is made of the hourly ones. */
export const rollupOf = (c: MetricValue): Rollup => c.rollup ?? 'sum';

/** Index of each value column of a family in model order: the generator's aggregate slots. */
export function valueIndex<F extends MetricFamily>(family: F): Record<ValueColumn<F>, number> {
  const out: Record<string, number> = {};
  METRIC_VALUES[family].forEach((c, i) => {
    out[c.name] = i;
  });
  // filled from the family's own columns just above: every ValueColumn<F> has its index
  return out as Record<ValueColumn<F>, number>;
}
