/**
 * The tables of ../shared/spec/data-model.md, in one place. DDL (sql/schema.sql), COPY column lists,
 * CSV headers and the verification queries are all derived from these definitions; nothing else in the
 * code base spells a column list.
 *
 * Column order here is the CSV/COPY order: the row writers in src/generate write fields in this order,
 * and test/unit/model.test.ts checks every generated row has exactly these fields.
 */

import { METRIC_KEYS, METRIC_VALUES, type MetricFamily } from './metrics.js';
import { TABLE_NAMES, type TableName } from './table-names.js';

export type Granularity = 'hour' | 'day';

export type ColumnType =
  | 'uuid'
  | 'timestamptz'
  | 'text'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'numeric(12,2)'
  | 'boolean'
  | 'jsonb';

export interface Column {
  name: string;
  type: ColumnType;
  /** NOT NULL unless nullable */
  nullable?: boolean;
  /** SQL default expression (metric counters default to 0) */
  default?: string;
  /** for reference columns: the referenced table (its id column, or entity_id for global_entity) */
  references?: TableName;
}

export interface Table {
  name: TableName;
  /** partition granularity on event_time */
  granularity: Granularity;
  /** the entity name in the data-model document */
  entity: string;
  /** 'entity' rows are created things with an id; 'log', 'event' and 'metric' rows record what happened */
  kind: 'entity' | 'log' | 'event' | 'metric' | 'registry';
  /** the id column: 'id', or 'entity_id' for global_entity */
  idColumn: string;
  columns: Column[];
  /** the bucket of a metric table's rows */
  bucket?: Granularity;
  /** a metric table's family: its keys and value columns (./metrics.ts) */
  family?: MetricFamily;
}

export { TABLE_NAMES, type TableName };

const id = (): Column => ({ name: 'id', type: 'uuid' });
const head = (): Column[] => [
  id(),
  { name: 'event_time', type: 'timestamptz' },
  { name: 'partition_key', type: 'text' },
];
const tail = (extra = 'extra_data'): Column[] => [
  { name: 'created_time', type: 'timestamptz' },
  { name: 'updated_time', type: 'timestamptz' },
  { name: extra, type: 'jsonb', default: "'{}'::jsonb" },
];
const ref = (name: string, references: TableName, nullable = false): Column => ({
  name,
  type: 'uuid',
  references,
  ...(nullable ? { nullable } : {}),
});
const text = (name: string, nullable = false): Column => ({
  name,
  type: 'text',
  ...(nullable ? { nullable } : {}),
});
const money = (name: string): Column => ({ name, type: 'numeric(12,2)' });
const ts = (name: string): Column => ({ name, type: 'timestamptz' });

function hourly(name: TableName, entity: string, kind: Table['kind'], body: Column[]): Table {
  return {
    name,
    entity,
    kind,
    granularity: 'hour',
    idColumn: 'id',
    columns: [...head(), ...body, ...tail()],
  };
}

/** A metric table of a family: its keys and value columns come from ./metrics.ts (every counter defaults to 0). */
function metric(name: TableName, entity: string, bucket: Granularity, family: MetricFamily): Table {
  const body: Column[] = [
    ...METRIC_KEYS[family].map((k) => ref(k.name, k.references)),
    ...METRIC_VALUES[family].map((v): Column => ({ name: v.name, type: v.type, default: '0' })),
  ];
  return {
    name,
    entity,
    kind: 'metric',
    bucket,
    family,
    granularity: 'day',
    idColumn: 'id',
    columns: [...head(), ...body, ...tail('extra_metrics')],
  };
}

export const TABLES: readonly Table[] = [
  {
    name: 'global_entity',
    entity: 'GlobalEntity',
    kind: 'registry',
    granularity: 'hour',
    idColumn: 'entity_id',
    columns: [
      { name: 'entity_id', type: 'uuid' },
      { name: 'event_time', type: 'timestamptz' },
      { name: 'partition_key', type: 'text' },
      text('entity_type'),
      ...tail(),
    ],
  },
  hourly('global_event', 'GlobalEvent', 'event', [
    text('event_type'),
    text('entity_type'),
    { name: 'entity_id', type: 'uuid' },
    ref('user_id', 'users', true),
    ref('shop_id', 'shop', true),
  ]),
  hourly('users', 'User', 'entity', [
    text('email'),
    text('username'),
    text('full_name'),
    text('status'),
    text('country_code'),
  ]),
  hourly('shop', 'Shop', 'entity', [
    ref('user_id', 'users'),
    text('name'),
    text('category'),
    text('status'),
    text('address_line'),
    text('city'),
    text('postal_code'),
    text('country_code'),
  ]),
  hourly('shop_product', 'ShopProduct', 'entity', [
    ref('shop_id', 'shop'),
    text('sku'),
    text('name'),
    text('category'),
    money('price'),
    text('currency'),
    { name: 'inventory', type: 'integer' },
    text('status'),
  ]),
  hourly('shop_order', 'ShopOrder', 'entity', [
    ref('user_id', 'users'),
    ref('shop_id', 'shop'),
    ref('shop_promotion_id', 'shop_promotion', true),
    text('status'),
    { name: 'item_count', type: 'smallint' },
    money('subtotal'),
    money('discount'),
    money('total'),
    text('currency'),
  ]),
  hourly('shop_order_item', 'ShopOrderItem', 'entity', [
    ref('shop_order_id', 'shop_order'),
    ref('shop_product_id', 'shop_product'),
    ref('shop_id', 'shop'),
    { name: 'quantity', type: 'smallint' },
    money('unit_price'),
    money('line_total'),
  ]),
  hourly('shop_order_payment', 'ShopOrderPayment', 'entity', [
    ref('shop_order_id', 'shop_order'),
    ref('user_id', 'users'),
    ref('user_payment_method_id', 'user_payment_method'),
    { name: 'attempt', type: 'smallint' },
    money('amount'),
    text('currency'),
    text('status'),
    text('failure_reason', true),
  ]),
  hourly('invoice', 'Invoice', 'entity', [
    ref('shop_order_id', 'shop_order'),
    ref('shop_id', 'shop'),
    ref('user_id', 'users'),
    text('invoice_number'),
    money('amount'),
    text('currency'),
    text('status'),
  ]),
  hourly('invoice_payment', 'InvoicePayment', 'entity', [
    ref('invoice_id', 'invoice'),
    ref('shop_order_payment_id', 'shop_order_payment'),
    ref('user_payment_method_id', 'user_payment_method'),
    money('amount'),
    text('currency'),
    text('status'),
  ]),
  hourly('user_payment_method', 'UserPaymentMethod', 'entity', [
    ref('user_id', 'users'),
    text('method_type'),
    text('provider'),
    text('last4'),
    { name: 'expires_month', type: 'smallint' },
    { name: 'expires_year', type: 'smallint' },
    { name: 'is_default', type: 'boolean' },
    text('status'),
  ]),
  hourly('shop_promotion', 'ShopPromotion', 'entity', [
    ref('shop_id', 'shop'),
    text('name'),
    text('code'),
    { name: 'discount_percent', type: 'smallint' },
    ts('starts_at'),
    ts('ends_at'),
    text('status'),
  ]),
  hourly('shop_review', 'ShopReview', 'entity', [
    ref('user_id', 'users'),
    ref('shop_id', 'shop'),
    ref('shop_product_id', 'shop_product'),
    ref('shop_order_id', 'shop_order'),
    { name: 'rating', type: 'smallint' },
    text('title'),
  ]),
  hourly('shop_inventory_log', 'ShopInventoryLog', 'log', [
    ref('shop_product_id', 'shop_product'),
    ref('shop_id', 'shop'),
    ref('shop_order_id', 'shop_order', true),
    text('change_type'),
    { name: 'quantity_change', type: 'integer' },
  ]),
  hourly('request_response_log', 'RequestResponseLog', 'log', [
    ref('user_id', 'users', true),
    ref('shop_id', 'shop', true),
    ref('shop_order_id', 'shop_order', true),
    text('method'),
    text('path'),
    { name: 'status_code', type: 'smallint' },
    { name: 'latency_ms', type: 'integer' },
    { name: 'response_bytes', type: 'integer' },
  ]),
  metric('user_metrics_hourly', 'UserMetricsHourly', 'hour', 'user'),
  metric('user_metrics_daily', 'UserMetricsDaily', 'day', 'user'),
  metric('shop_metrics_hourly', 'ShopMetricsHourly', 'hour', 'shop'),
  metric('shop_metrics_daily', 'ShopMetricsDaily', 'day', 'shop'),
  metric('shop_product_metrics_hourly', 'ShopProductMetricsHourly', 'hour', 'product'),
  metric('shop_product_metrics_daily', 'ShopProductMetricsDaily', 'day', 'product'),
];

const byName = new Map<string, Table>(TABLES.map((t) => [t.name, t]));

export function table(name: TableName): Table {
  const t = byName.get(name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}

/** A value for every table, keyed by name: the one place a per-table record is assembled. */
export function perTable<T>(f: (name: TableName) => T): Record<TableName, T> {
  // Object.fromEntries cannot type its keys; TABLE_NAMES is every TableName, so the record is complete
  return Object.fromEntries(TABLE_NAMES.map((n) => [n, f(n)])) as Record<TableName, T>;
}

export function columnNames(t: Table): string[] {
  return t.columns.map((c) => c.name);
}
