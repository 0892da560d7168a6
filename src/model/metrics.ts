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
  /** COMMENT ON COLUMN: what the generator puts there, exactly; one text per column name across families */
  readonly comment: string;
}

// The definitions, one per column name, shared by every family that has the column. Each says what the
// generator writes today (src/generate/metric-agg.ts; src/verify/checks/metrics.ts recomputes it). "The
// bucket" is the row's UTC hour or day (see the metric tables' comments in ./columns.ts).
const D = {
  ordersPaid: "Paid orders (status 'paid') placed in the bucket at the shop, or with an item of the product.",
  payFailed:
    "Payment attempts (shop_order_payment) with status 'failed' on orders of the user or shop placed in the bucket.",
  reviews: 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.',
  ratingSum:
    'Sum of the ratings (1 to 5) of the reviews in reviews_count: rating_sum / reviews_count is the mean.',
  abandoned: "Orders of the user or shop placed in the bucket with status 'abandoned' (no payment attempt).",
  api:
    'request_response_log rows in the bucket with this user_id or shop_id. Today every logged request is an ' +
    "API call of an order (shop_order_id set), in the 2 minutes after it was placed, within the order's hour.",
  units:
    "Units sold: sum of shop_order_item.quantity of the shop's or the product's items in paid orders placed in " +
    'the bucket.',
  cartAdds:
    "Units put in carts: sum of shop_order_item.quantity of the shop's or the product's items in every order " +
    'placed in the bucket (paid, payment_failed or abandoned); cart_adds >= units_sold.',
  pageViews:
    'Recorded in no table: per product and hour, cart_adds * (3 to 7) + (0 to 6), keyed on (seed, product, ' +
    "hour); a shop's is the sum of its products', a daily row the sum of its hours. page_views >= cart_adds.",
} as const;

export const METRIC_VALUES = {
  user: [
    {
      name: 'orders_count',
      type: 'integer',
      // two meanings today (issue 8): every order here, paid orders in the shop and product metrics
      comment:
        'Orders the user placed in the bucket, in every status: paid, payment_failed and abandoned. NOT the ' +
        'paid orders that shop and product metrics count under this name (carts_abandoned: the abandoned ones).',
    },
    {
      name: 'orders_value',
      type: 'numeric(12,2)',
      comment:
        "Sum of shop_order.total (after the promotion discount; currency USD today) of the user's paid orders " +
        'placed in the bucket.',
    },
    {
      name: 'payments_succeeded',
      type: 'integer',
      comment:
        "Payment attempts with status 'succeeded' on the user's orders placed in the bucket: one per paid order.",
    },
    { name: 'payments_failed', type: 'integer', comment: D.payFailed },
    { name: 'reviews_count', type: 'integer', comment: D.reviews },
    {
      name: 'promotions_used',
      type: 'integer',
      comment: "The user's paid orders placed in the bucket with a promotion (shop_promotion_id set).",
    },
    { name: 'carts_abandoned', type: 'integer', comment: D.abandoned },
    { name: 'api_requests', type: 'integer', comment: D.api },
  ],
  shop: [
    { name: 'orders_count', type: 'integer', comment: D.ordersPaid },
    {
      name: 'revenue',
      type: 'numeric(12,2)',
      // two meanings today (issue 8): after the discount here, before it in the product metrics
      comment:
        "Sum of shop_order.total of the shop's paid orders placed in the bucket: AFTER the promotion discount " +
        '(discount_total), unlike product metrics revenue; currency USD today.',
    },
    {
      name: 'customers_count',
      type: 'integer',
      rollup: 'distinct',
      comment:
        'Distinct users with a paid order at the shop placed in the bucket (in shop_metrics_daily distinct over ' +
        'the day, not the sum of the hourly rows).',
    },
    { name: 'units_sold', type: 'integer', comment: D.units },
    {
      name: 'products_sold',
      type: 'integer',
      rollup: 'distinct',
      comment:
        "Distinct products with an item in the shop's paid orders placed in the bucket (in shop_metrics_daily " +
        'distinct over the day, not the sum of the hourly rows).',
    },
    { name: 'reviews_count', type: 'integer', comment: D.reviews },
    { name: 'rating_sum', type: 'integer', comment: D.ratingSum },
    {
      name: 'promotion_orders',
      type: 'integer',
      comment: "The shop's paid orders placed in the bucket with a promotion (shop_promotion_id set).",
    },
    {
      name: 'discount_total',
      type: 'numeric(12,2)',
      comment:
        "Sum of shop_order.discount of the shop's paid orders placed in the bucket (currency USD today).",
    },
    { name: 'carts_abandoned', type: 'integer', comment: D.abandoned },
    { name: 'payments_failed', type: 'integer', comment: D.payFailed },
    {
      name: 'inventory_value_change',
      type: 'numeric(12,2)',
      comment:
        "Sum of quantity_change * the product's shop_product.price over the shop's shop_inventory_log rows in " +
        'the bucket (sales of paid orders, negative; restocks, positive). A change, not the inventory value.',
    },
    { name: 'page_views', type: 'bigint', comment: D.pageViews },
    { name: 'cart_adds', type: 'bigint', comment: D.cartAdds },
    { name: 'api_requests', type: 'integer', comment: D.api },
    {
      name: 'api_errors',
      type: 'integer',
      comment: "The shop's request_response_log rows in the bucket with status_code >= 400.",
    },
    {
      name: 'api_latency_ms_sum',
      type: 'bigint',
      comment:
        "Sum of latency_ms of the shop's request_response_log rows in the bucket, errors included: divided by " +
        'api_requests, the mean latency.',
    },
  ],
  product: [
    { name: 'units_sold', type: 'integer', comment: D.units },
    {
      name: 'revenue',
      type: 'numeric(12,2)',
      comment:
        "Sum of shop_order_item.line_total (quantity * unit_price) of the product's items in paid orders placed " +
        'in the bucket: BEFORE the promotion discount, unlike shop metrics revenue; currency USD today.',
    },
    { name: 'orders_count', type: 'integer', comment: D.ordersPaid },
    { name: 'cart_adds', type: 'bigint', comment: D.cartAdds },
    { name: 'page_views', type: 'bigint', comment: D.pageViews },
    { name: 'reviews_count', type: 'integer', comment: D.reviews },
    { name: 'rating_sum', type: 'integer', comment: D.ratingSum },
    {
      name: 'promotion_units',
      type: 'integer',
      comment: 'Units of the product sold in paid orders with a promotion placed in the bucket.',
    },
    {
      name: 'inventory_change',
      type: 'integer',
      comment:
        "Sum of the product's shop_inventory_log.quantity_change in the bucket: minus the units sold, plus the " +
        'restocks after some sales. A change, not the stock level (shop_product.inventory does not move today).',
    },
    {
      name: 'unit_price',
      type: 'numeric(12,2)',
      rollup: 'value',
      comment:
        "Not an aggregate: the product's shop_product.price, the same in every bucket (a product has one price " +
        'today); currency USD.',
    },
  ],
} as const satisfies Record<string, readonly MetricValue[]>;

export type MetricFamily = keyof typeof METRIC_VALUES;

/** The value column names of a metric family, e.g. ValueColumn<'user'> = 'orders_count' | ... */
export type ValueColumn<F extends MetricFamily> = (typeof METRIC_VALUES)[F][number]['name'];

/** The reference columns of each family's rows, first the entity the row is about. */
export const METRIC_KEYS = {
  user: [{ name: 'user_id', references: 'users', comment: 'The user the row counts (users.id).' }],
  shop: [{ name: 'shop_id', references: 'shop', comment: 'The shop the row counts (shop.id).' }],
  product: [
    {
      name: 'shop_product_id',
      references: 'shop_product',
      comment: 'The product the row counts (shop_product.id).',
    },
    { name: 'shop_id', references: 'shop', comment: "The product's shop (shop_product.shop_id)." },
  ],
} as const satisfies Record<
  MetricFamily,
  readonly { name: string; references: TableName; comment: string }[]
>;

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
