/**
 * The value columns of the metric tables, per family (user, shop, product), in CSV/COPY order. tables.ts builds
 * the metric tables' columns from these tuples, the generator derives its aggregate slots and its writers'
 * column order from them, and the integrity checks key their recomputation by their names: a value column added
 * here fails to compile until the generator and the checks know it.
 */

import type { TableName } from './table-names.js';

/**
 * How a daily row is made of the hourly ones: summed, counted distinct over the day, the least or the greatest
 * hourly value (NULLs ignored), or the entity's own value at the end of the bucket (a level, not a flow).
 */
export type Rollup = 'sum' | 'distinct' | 'min' | 'max' | 'value';

export interface MetricValue {
  readonly name: string;
  readonly type: 'integer' | 'bigint' | 'numeric(12,2)' | 'numeric(14,2)';
  /** default 'sum' */
  readonly rollup?: Rollup;
  /** NULL when the bucket has nothing to say (min/max of no sale); default NOT NULL DEFAULT 0 */
  readonly nullable?: true;
  /** COMMENT ON COLUMN: what the generator puts there, exactly; one text per column name across families */
  readonly comment: string;
}

// The definitions, one per column name, shared by every family that has the column (issue 8 §4: a name means
// one thing in the user, shop and product tables). The generator writes them (src/generate/metric-agg.ts);
// src/verify/checks/metrics.ts recomputes them from the operational rows. "The bucket" is the row's UTC hour
// or day (see the metric tables' comments in ./columns.ts). "Paid order": an order whose payment succeeded,
// whatever happened later (status 'paid', or 'refunded'/'returned' after it). Money is in the scenario's
// reporting currency (extra_metrics.currency), converted from the shop's currency at the fixed rates of
// ./currencies.ts per order item line, rounded to the cent, then added: sums across shops mean something and
// a shop's revenue is exactly the sum of its products'.
//
// Levels replace the changes of earlier versions: inventory_on_hand / inventory_value (stock and its value at
// the bucket's end) instead of inventory_change / inventory_value_change. A change summed over the rows that
// exist said nothing about the stock (a row exists only when something happened), and with a level the change
// between two buckets is a subtraction; the inventory log keeps every movement.
const ITEM_NET =
  "line_total - the item's discount (round(line_total * discount_percent / 100), the promotion's percent; " +
  "the order's discount is the sum of its items')";
const LOGGED =
  'request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to ' +
  'estimate all traffic.';
const D = {
  ordersPaid:
    'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the ' +
    'user, at the shop, or with an item of the product.',
  revenue:
    `What buyers paid, after discounts: sum over the items of paid orders placed in the bucket (of the user, ` +
    `the shop or the product) of ${ITEM_NET}, each line converted to the reporting currency ` +
    "(extra_metrics.currency) before adding. A shop's revenue is the sum of its products'.",
  payFailed:
    "Payment attempts (shop_order_payment) with status 'failed' on orders of the user or shop placed in the bucket.",
  reviews: 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.',
  ratingSum:
    'Sum of the ratings (1 to 5) of the reviews in reviews_count: rating_sum / reviews_count is the mean.',
  abandoned:
    "Orders of the user or shop placed in the bucket with status 'abandoned' (no payment attempt; out-of-stock " +
    'carts too).',
  apiRequests: `Logged requests (request_response_log rows) in the bucket with this user_id or shop_id. ${LOGGED}`,
  apiErrors: 'Of the api_requests, those with status_code >= 400.',
  apiLatency:
    'Sum of latency_ms of the api_requests, errors included: divided by api_requests, the mean latency.',
  units:
    "Units sold: sum of shop_order_item.quantity of the shop's or the product's items in paid orders placed " +
    'in the bucket.',
  pageViews:
    'Logged product-page views: request_response_log rows in the bucket about the product (shop_product_id; ' +
    'for a shop, about any of its products), GET of the product route with a 2xx status by a person (not a ' +
    "crawler: extra_data bot). A shop's is the sum " +
    `of its products'. ${LOGGED}`,
  cartAdds:
    'Logged add-to-cart requests: request_response_log rows in the bucket about the product (shop_product_id; ' +
    "for a shop, any of its products), POST of the cart-items route with a 2xx status. A shop's is the sum of " +
    `its products'. ${LOGGED}`,
} as const;

export const METRIC_VALUES = {
  user: [
    { name: 'orders_count', type: 'integer', comment: D.ordersPaid },
    {
      name: 'orders_value',
      type: 'numeric(12,2)',
      comment: `What the user paid: the revenue (see shop_metrics_hourly.revenue) of the user's paid orders placed in the bucket: sum of ${ITEM_NET} per item, converted to the reporting currency per line.`,
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
    { name: 'api_requests', type: 'integer', comment: D.apiRequests },
    { name: 'api_errors', type: 'integer', comment: D.apiErrors },
    { name: 'api_latency_ms_sum', type: 'bigint', comment: D.apiLatency },
  ],
  shop: [
    { name: 'orders_count', type: 'integer', comment: D.ordersPaid },
    { name: 'revenue', type: 'numeric(12,2)', comment: D.revenue },
    {
      name: 'customers_count',
      type: 'integer',
      rollup: 'distinct',
      comment:
        'Distinct users with a paid order at the shop placed in the bucket (in shop_metrics_daily distinct over ' +
        'the day, not the sum of the hourly rows).',
    },
    {
      name: 'new_customers',
      type: 'integer',
      comment:
        "Customers acquired: paid orders placed in the bucket that are their buyer's first paid order at the " +
        "shop since the window's start (the data has no earlier orders).",
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
        "Sum of the item discounts (round(line_total * discount_percent / 100)) of the shop's paid orders placed " +
        'in the bucket, each converted to the reporting currency before adding.',
    },
    { name: 'carts_abandoned', type: 'integer', comment: D.abandoned },
    { name: 'payments_failed', type: 'integer', comment: D.payFailed },
    {
      name: 'inventory_value',
      type: 'numeric(14,2)',
      rollup: 'value',
      comment:
        "Not an aggregate: the value of the shop's stock at the end of the bucket, sum over its products existing " +
        "then of inventory_on_hand * the product's price then, each product converted to the reporting currency.",
    },
    { name: 'page_views', type: 'bigint', comment: D.pageViews },
    { name: 'cart_adds', type: 'bigint', comment: D.cartAdds },
    { name: 'api_requests', type: 'integer', comment: D.apiRequests },
    { name: 'api_errors', type: 'integer', comment: D.apiErrors },
    { name: 'api_latency_ms_sum', type: 'bigint', comment: D.apiLatency },
  ],
  product: [
    { name: 'units_sold', type: 'integer', comment: D.units },
    { name: 'revenue', type: 'numeric(12,2)', comment: D.revenue },
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
      name: 'inventory_on_hand',
      type: 'integer',
      rollup: 'value',
      comment:
        'Not an aggregate: the stock of the product at the end of the bucket, after its sales, returns and ' +
        'restocks (shop_inventory_log replayed from the stock at the window start); never below 0.',
    },
    {
      name: 'min_unit_price',
      type: 'numeric(12,2)',
      rollup: 'min',
      nullable: true,
      comment:
        "Lowest unit_price of the product's items in paid orders placed in the bucket, converted to the " +
        'reporting currency; NULL when none sold (in the daily row the least of the hours).',
    },
    {
      name: 'max_unit_price',
      type: 'numeric(12,2)',
      rollup: 'max',
      nullable: true,
      comment:
        "Highest unit_price of the product's items in paid orders placed in the bucket, converted to the " +
        'reporting currency; NULL when none sold (in the daily row the greatest of the hours).',
    },
    {
      name: 'unit_price',
      type: 'numeric(12,2)',
      rollup: 'value',
      comment:
        "Not an aggregate: the product's list price at the end of the bucket (repricings: global_event " +
        "price_changed), converted from the shop's currency to the reporting currency.",
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
