/**
 * The integrity checks of a loaded schema: the invariants the generator promises, as SQL queries that return
 * the offending rows (no rows: the check passes). `gen verify` runs them on a user's schema and
 * test/integration/load.test.ts runs the very same ones on freshly loaded scenarios, so each lives here once.
 *
 * They hold for any scenario, any window and any partition layout (hourly, daily, unpartitioned): placement
 * is judged against the partition bounds the catalog holds, never against the names or the layout the
 * generator would create today. The load ledger's bookkeeping tables (_gen_run, _gen_ledger, src/load/ledger.ts)
 * share the schema; no check reads them.
 */
import type pg from 'pg';
import { qualified } from '../model/ddl.js';
import { HOUR_MS } from '../model/partitions.js';
import { type Column, type Granularity, TABLES, type Table, type TableName, table } from '../model/tables.js';

export interface IntegrityCheck {
  /** stable and short, for reports and for picking checks: 'order-totals', 'reference:shop_order.user_id' */
  name: string;
  /** what an offending row means, in a sentence */
  description: string;
  /** a query whose rows are the violations */
  sql: string;
  params: unknown[];
}

/** The window the schema was loaded for, as the load recorded it. */
export interface IntegrityWindow {
  /** epoch ms of the first hour (hour-aligned, not necessarily day-aligned) */
  start: number;
  hours: number;
}

export interface IntegrityResult {
  name: string;
  description: string;
  ok: boolean;
  /** number of rows the check returned */
  offending: number;
  /** the first few of them */
  sample: Record<string, unknown>[];
  ms: number;
}

export interface IntegrityRunOptions {
  /** offending rows kept per failing check (default 5) */
  sample?: number;
  /** called after each check, for progress output */
  onCheck?: (r: IntegrityResult) => void;
}

export const DEFAULT_SAMPLE = 5;

const STEP: Record<Granularity, string> = { hour: "interval '1 hour'", day: "interval '1 day'" };

/** A UTC time bucket of a timestamptz expression, independent of the session time zone. */
function bucketOf(expr: string, g: Granularity): string {
  return `date_bin(${STEP[g]}, ${expr}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
}
const H = (expr: string): string => bucketOf(expr, 'hour');
const D = (expr: string): string => bucketOf(expr, 'day');

/** The column type of `table.column` as SQL, for casting a recomputed value to what the table stores. */
function sqlType(t: TableName, column: string): string {
  const c = table(t).columns.find((x) => x.name === column);
  if (!c) throw new Error(`no column ${t}.${column}`);
  return c.type;
}

/** `coalesce(expr, 0)::<type of metricTable.column> AS column` */
function v(metricTable: TableName, column: string, expr: string): string {
  return `coalesce(${expr}, 0)::${sqlType(metricTable, column)} AS ${column}`;
}

const HEAD_TAIL = new Set(['id', 'event_time', 'partition_key', 'created_time', 'updated_time']);

/** The value columns of a metric table: neither head/tail columns, nor jsonb, nor reference columns. */
function metricValueColumns(t: Table): Column[] {
  return t.columns.filter((c) => !HEAD_TAIL.has(c.name) && c.type !== 'jsonb' && c.references === undefined);
}

/** The entity_type a row of an entity table carries in global_entity (users -> 'user'). */
const entityType = (t: Table): string => (t.name === 'users' ? 'user' : t.name);

/**
 * Multiset difference both ways between two queries with the same columns: one row per difference, with a
 * first column `side` saying which query has the row. Sorted by default by the second and third column (the
 * entity and its bucket in the metric checks), so the two versions of a wrong row come out together.
 */
export function exceptBoth(expected: string, actual: string, orderBy = '2, 3, 1'): string {
  return `WITH e AS (${expected}), a AS (${actual})
  SELECT * FROM (
    SELECT 'expected, not loaded' AS side, * FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) x
    UNION ALL
    SELECT 'loaded, not expected' AS side, * FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) y
  ) d ORDER BY ${orderBy}`;
}

/** One bound of `FOR VALUES FROM (...) TO (...)` as pg_get_expr prints it, back to a timestamptz. */
const boundValue = (x: string): string =>
  `CASE ${x} WHEN 'MINVALUE' THEN '-infinity' WHEN 'MAXVALUE' THEN 'infinity' ELSE btrim(${x}, '''') END::timestamptz`;
const RANGE_BOUND = String.raw`^FOR VALUES FROM \(([^)]+)\) TO \(([^)]+)\)$`;

/** The integrity checks of the tables in `schema`, loaded for window `w`. */
export function integrityChecks(schema: string, w: IntegrityWindow): IntegrityCheck[] {
  const T = (name: TableName): string => qualified(schema, name);
  const start = new Date(w.start).toISOString();
  const end = new Date(w.start + w.hours * HOUR_MS).toISOString();
  const checks: IntegrityCheck[] = [];
  const add = (name: string, description: string, sql: string, params: unknown[] = []): void => {
    checks.push({ name, description, sql, params });
  };
  const everyTable = (row: (t: Table) => string): string => TABLES.map(row).join('\nUNION ALL\n');

  // ---------------------------------------------------------------- placement

  add(
    'partition-key',
    'partition_key is not the UTC hour (daily tables: day) of event_time',
    everyTable((t) => {
      const fmt = t.granularity === 'hour' ? `'YYYY-MM-DD"T"HH24":00:00"'` : `'YYYY-MM-DD'`;
      const key = `to_char(x.event_time AT TIME ZONE 'UTC', ${fmt})`;
      return `SELECT '${t.name}' AS tbl, x.${t.idColumn} AS id, x.event_time, x.partition_key, ${key} AS expected_key
              FROM ${T(t.name)} x WHERE x.partition_key IS DISTINCT FROM ${key}`;
    }),
  );

  // Postgres routes rows by the catalog's bounds, so this only fails when the catalog and the data disagree;
  // it does not care what the leaves are called or how fine they are. Only RANGE (event_time) levels have
  // bounds to compare with (pg_partition_ancestors: the leaf and every partitioned level above it).
  add(
    'leaf-bounds',
    'a leaf partition holds rows outside the event_time bounds the catalog gives it',
    `WITH leaves AS (
       ${everyTable(
         (t) => `SELECT '${t.name}' AS tbl, tableoid AS leaf, count(*) AS n,
                        min(event_time) AS min_time, max(event_time) AS max_time
                 FROM ${T(t.name)} GROUP BY tableoid`,
       )}
     ), bounds AS (
       SELECT l.leaf, max(${boundValue('r.m[1]')}) AS from_ts, min(${boundValue('r.m[2]')}) AS to_ts
       FROM (SELECT DISTINCT leaf FROM leaves) l
       CROSS JOIN LATERAL pg_partition_ancestors(l.leaf) a
       JOIN pg_class c ON c.oid = a.relid
       JOIN pg_inherits i ON i.inhrelid = c.oid
       CROSS JOIN LATERAL (SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid), $1) AS m) r
       WHERE r.m IS NOT NULL AND pg_get_partkeydef(i.inhparent) = 'RANGE (event_time)'
       GROUP BY l.leaf
     )
     SELECT l.tbl, l.leaf::regclass::text AS leaf, l.n, l.min_time, l.max_time, b.from_ts, b.to_ts
     FROM leaves l JOIN bounds b USING (leaf)
     WHERE l.min_time < b.from_ts OR l.max_time >= b.to_ts
     ORDER BY 1, 2`,
    [RANGE_BOUND],
  );

  add(
    'window',
    'event_time outside the loaded window (a metric row: its bucket outside it)',
    everyTable((t) => {
      const from = t.kind === 'metric' ? bucketOf('$1::timestamptz', t.bucket!) : '$1::timestamptz';
      return `SELECT '${t.name}' AS tbl, ${t.idColumn} AS id, event_time FROM ${T(t.name)}
              WHERE event_time < ${from} OR event_time >= $2::timestamptz`;
    }),
    [start, end],
  );

  // ---------------------------------------------------------------- references and ids

  for (const t of TABLES) {
    for (const c of t.columns) {
      if (c.references === undefined) continue;
      const target = table(c.references);
      // a metric row is about its bucket: what it counts existed before the bucket ended
      const limit =
        t.kind === 'metric'
          ? `x.event_time < r.event_time + ${STEP[t.bucket!]}`
          : 'x.event_time <= r.event_time';
      add(
        `reference:${t.name}.${c.name}`,
        `${t.name}.${c.name} names no ${target.name} row existing at the row's time`,
        `SELECT r.${t.idColumn} AS id, r.event_time, r.${c.name} AS value,
                (SELECT min(x.event_time) FROM ${T(target.name)} x
                 WHERE x.${target.idColumn} = r.${c.name}) AS target_time
         FROM ${T(t.name)} r
         WHERE r.${c.name} IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM ${T(target.name)} x WHERE x.${target.idColumn} = r.${c.name} AND ${limit})`,
      );
    }
  }

  add(
    'unique-ids',
    'an id repeated within a table',
    everyTable(
      (t) =>
        `SELECT '${t.name}' AS tbl, ${t.idColumn} AS id, count(*) AS n FROM ${T(t.name)}
         GROUP BY ${t.idColumn} HAVING count(*) > 1`,
    ),
  );

  const entities = TABLES.filter((t) => t.kind === 'entity');
  add(
    'registry',
    'global_entity differs from the rows of the entity tables (entity_type, id, event_time)',
    exceptBoth(
      entities
        .map((t) => `SELECT '${entityType(t)}'::text AS entity_type, id, event_time FROM ${T(t.name)}`)
        .join('\nUNION ALL\n'),
      `SELECT entity_type, entity_id, event_time FROM ${T('global_entity')}`,
    ),
  );

  // ---------------------------------------------------------------- orders, payments, invoices

  add(
    'order-totals',
    'shop_order subtotal/item_count/total disagree with its items and discount',
    `SELECT o.id, o.status, o.subtotal, i.sum_lines, o.item_count, i.n, o.discount, o.total
     FROM ${T('shop_order')} o
     LEFT JOIN (SELECT shop_order_id, sum(line_total) AS sum_lines, count(*) AS n
                FROM ${T('shop_order_item')} GROUP BY shop_order_id) i ON i.shop_order_id = o.id
     WHERE o.subtotal <> coalesce(i.sum_lines, 0) OR o.item_count <> coalesce(i.n, 0)
        OR o.total <> o.subtotal - o.discount`,
  );

  add(
    'order-items',
    'shop_order_item line_total, shop or unit price disagree with its order/product',
    `SELECT i.id, i.quantity, i.unit_price, i.line_total, i.shop_id, o.shop_id AS order_shop,
            p.shop_id AS product_shop, p.price AS product_price
     FROM ${T('shop_order_item')} i
     LEFT JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     LEFT JOIN ${T('shop_product')} p ON p.id = i.shop_product_id
     WHERE i.line_total <> i.quantity * i.unit_price
        OR i.shop_id IS DISTINCT FROM o.shop_id OR p.shop_id IS DISTINCT FROM o.shop_id
        OR i.unit_price IS DISTINCT FROM p.price`,
  );

  add(
    'order-status',
    "shop_order's payments, invoices and inventory rows do not fit its status",
    `SELECT o.id, o.status, o.total, p.n, p.n_ok, p.n_failed, p.max_attempt, p.ok_attempt, p.ok_amount,
            inv.n AS invoices, il.n AS inventory_rows
     FROM ${T('shop_order')} o
     LEFT JOIN (SELECT shop_order_id, count(*) AS n,
                       count(*) FILTER (WHERE status = 'succeeded') AS n_ok,
                       count(*) FILTER (WHERE status = 'failed') AS n_failed,
                       max(attempt) AS max_attempt,
                       max(attempt) FILTER (WHERE status = 'succeeded') AS ok_attempt,
                       max(amount) FILTER (WHERE status = 'succeeded') AS ok_amount
                FROM ${T('shop_order_payment')} GROUP BY shop_order_id) p ON p.shop_order_id = o.id
     LEFT JOIN (SELECT shop_order_id, count(*) AS n FROM ${T('invoice')} GROUP BY 1) inv
            ON inv.shop_order_id = o.id
     LEFT JOIN (SELECT shop_order_id, count(*) AS n FROM ${T('shop_inventory_log')} GROUP BY 1) il
            ON il.shop_order_id = o.id
     WHERE o.status NOT IN ('paid', 'payment_failed', 'abandoned')
        OR p.n_ok + p.n_failed <> p.n
        OR (o.status = 'paid' AND (p.n_ok IS DISTINCT FROM 1 OR p.ok_attempt IS DISTINCT FROM p.max_attempt
                                   OR p.ok_amount IS DISTINCT FROM o.total))
        OR (o.status = 'payment_failed' AND (coalesce(p.n, 0) < 1 OR p.n_ok > 0))
        OR (o.status = 'abandoned' AND (p.n IS NOT NULL OR inv.n IS NOT NULL OR il.n IS NOT NULL))`,
  );

  add(
    'invoices-per-order',
    'not exactly one invoice per paid order (none for the others)',
    `SELECT o.id, o.status, count(i.id) AS invoices
     FROM ${T('shop_order')} o LEFT JOIN ${T('invoice')} i ON i.shop_order_id = o.id
     GROUP BY o.id, o.status
     HAVING count(i.id) <> CASE WHEN o.status = 'paid' THEN 1 ELSE 0 END`,
  );

  add(
    'invoice-fields',
    'invoice amount, user or shop differ from its order',
    `SELECT i.id, i.amount, o.total, i.user_id, o.user_id AS order_user, i.shop_id, o.shop_id AS order_shop
     FROM ${T('invoice')} i LEFT JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     WHERE i.amount IS DISTINCT FROM o.total OR i.user_id IS DISTINCT FROM o.user_id
        OR i.shop_id IS DISTINCT FROM o.shop_id`,
  );

  const invoicePaymentMismatch = `p.id IS NULL OR p.shop_order_id <> i.shop_order_id OR p.status <> 'succeeded'
      OR ip.amount <> p.amount OR ip.amount <> i.amount OR ip.user_payment_method_id <> p.user_payment_method_id`;
  add(
    'invoice-payments',
    'not exactly one invoice_payment per invoice, for the succeeded payment of its order',
    `SELECT i.id AS invoice_id, count(ip.id) AS n, bool_or(${invoicePaymentMismatch}) AS mismatch
     FROM ${T('invoice')} i
     LEFT JOIN ${T('invoice_payment')} ip ON ip.invoice_id = i.id
     LEFT JOIN ${T('shop_order_payment')} p ON p.id = ip.shop_order_payment_id
     GROUP BY i.id
     HAVING count(ip.id) <> 1 OR bool_or(${invoicePaymentMismatch})`,
  );

  add(
    'payment-user',
    "shop_order_payment's user or payment method is not its order's user's",
    `SELECT p.id, p.user_id, o.user_id AS order_user, m.user_id AS method_user
     FROM ${T('shop_order_payment')} p
     LEFT JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
     LEFT JOIN ${T('user_payment_method')} m ON m.id = p.user_payment_method_id
     WHERE p.user_id IS DISTINCT FROM o.user_id OR m.user_id IS DISTINCT FROM o.user_id`,
  );

  // ---------------------------------------------------------------- promotions, reviews, inventory

  add(
    'promotions',
    "shop_order's promotion is not of its shop or not running, or discount is not round(subtotal * percent / 100)",
    `SELECT o.id, o.event_time, o.shop_id, pr.shop_id AS promo_shop, pr.starts_at, pr.ends_at,
            o.subtotal, o.discount, pr.discount_percent
     FROM ${T('shop_order')} o LEFT JOIN ${T('shop_promotion')} pr ON pr.id = o.shop_promotion_id
     WHERE (o.shop_promotion_id IS NOT NULL
            AND (pr.id IS NULL OR pr.shop_id <> o.shop_id
                 OR NOT (pr.starts_at <= o.event_time AND o.event_time < pr.ends_at)))
        OR o.discount * 100 <> round(o.subtotal * 100 * coalesce(pr.discount_percent, 0) / 100)`,
  );

  add(
    'reviews',
    'shop_review is not of a paid order of the reviewer containing the product, not after the order, or rated outside 1-5',
    `SELECT r.id, r.event_time, o.event_time AS order_time, o.status, r.user_id, o.user_id AS order_user,
            r.shop_id, o.shop_id AS order_shop, r.shop_product_id, r.rating
     FROM ${T('shop_review')} r LEFT JOIN ${T('shop_order')} o ON o.id = r.shop_order_id
     WHERE o.id IS NULL OR o.status <> 'paid' OR o.user_id <> r.user_id OR o.shop_id <> r.shop_id
        OR r.event_time <= o.event_time OR r.rating NOT BETWEEN 1 AND 5
        OR NOT EXISTS (SELECT 1 FROM ${T('shop_order_item')} i
                       WHERE i.shop_order_id = r.shop_order_id AND i.shop_product_id = r.shop_product_id)`,
  );

  add(
    'inventory-sales',
    "shop_inventory_log 'sale' rows do not match the paid orders' items one to one",
    exceptBoth(
      `SELECT i.shop_order_id, i.shop_product_id, i.shop_id, -i.quantity::int AS quantity_change
       FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
       WHERE o.status = 'paid'`,
      `SELECT shop_order_id, shop_product_id, shop_id, quantity_change
       FROM ${T('shop_inventory_log')} WHERE change_type = 'sale'`,
    ),
  );

  add(
    'inventory-kinds',
    "shop_inventory_log change_type is not sale/restock, or a 'restock' has an order or a non-positive change",
    `SELECT id, event_time, change_type, shop_order_id, quantity_change FROM ${T('shop_inventory_log')}
     WHERE change_type NOT IN ('sale', 'restock')
        OR (change_type = 'restock' AND (shop_order_id IS NOT NULL OR quantity_change <= 0))`,
  );

  // ---------------------------------------------------------------- business events

  // The population before the window is a snapshot stamped with the window start, not events: only entities
  // created after the start have a signup/opened/listed/started event.
  add(
    'events',
    'global_event differs from the events the entity tables imply',
    exceptBoth(
      `SELECT CASE WHEN status = 'abandoned' THEN 'cart_abandoned' ELSE 'order_placed' END AS event_type,
              'shop_order' AS entity_type, id AS entity_id, event_time, user_id, shop_id
       FROM ${T('shop_order')}
       UNION ALL
       SELECT 'payment_' || p.status, 'shop_order_payment', p.id, p.event_time, p.user_id, o.shop_id
       FROM ${T('shop_order_payment')} p LEFT JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
       UNION ALL
       SELECT 'invoice_issued', 'invoice', id, event_time, user_id, shop_id FROM ${T('invoice')}
       UNION ALL
       SELECT 'review_posted', 'shop_review', id, event_time, user_id, shop_id FROM ${T('shop_review')}
       UNION ALL
       SELECT 'user_signed_up', 'user', id, event_time, id, NULL::uuid FROM ${T('users')}
       WHERE event_time > $1::timestamptz
       UNION ALL
       SELECT 'shop_opened', 'shop', id, event_time, user_id, id FROM ${T('shop')}
       WHERE event_time > $1::timestamptz
       UNION ALL
       SELECT 'product_listed', 'shop_product', id, event_time, NULL::uuid, shop_id FROM ${T('shop_product')}
       WHERE event_time > $1::timestamptz
       UNION ALL
       SELECT 'promotion_started', 'shop_promotion', id, event_time, NULL::uuid, shop_id
       FROM ${T('shop_promotion')} WHERE event_time > $1::timestamptz`,
      `SELECT event_type, entity_type, entity_id, event_time, user_id, shop_id FROM ${T('global_event')}`,
      '4, 2, 1',
    ),
    [start],
  );

  add(
    'event-entities',
    "global_event's entity is not in global_entity with that type at or before the event",
    `SELECT e.id, e.event_type, e.entity_type, e.entity_id, e.event_time FROM ${T('global_event')} e
     WHERE NOT EXISTS (SELECT 1 FROM ${T('global_entity')} g WHERE g.entity_id = e.entity_id
                       AND g.entity_type = e.entity_type AND g.event_time <= e.event_time)`,
  );

  // ---------------------------------------------------------------- metrics

  const loadedColumns = (m: TableName, keys: string[], values: string[]): string =>
    `SELECT ${[...keys, 'event_time', ...values].join(', ')} FROM ${T(m)}`;
  // the entity, its bucket, the other references, then every value but page_views (which no other table
  // records), in model order: a column added to the model must be added to the recomputation too
  const loadedMetrics = (m: TableName): string => {
    const [entity, ...refs] = table(m)
      .columns.filter((c) => c.references !== undefined)
      .map((c) => c.name);
    const values = metricValueColumns(table(m))
      .map((c) => c.name)
      .filter((c) => c !== 'page_views');
    return `SELECT ${[entity, 'event_time', ...refs, ...values].join(', ')} FROM ${T(m)}`;
  };
  /** `expected(m)`: the rows of hourly metric table m, recomputed from the operational rows */
  const recomputed = (m: TableName, expected: (m: TableName) => string): void =>
    add(
      `metrics:${m}`,
      `${m} is not the aggregates of the operational rows`,
      exceptBoth(expected(m), loadedMetrics(m)),
    );

  recomputed(
    'user_metrics_hourly',
    (m) =>
      `WITH
       ord AS (SELECT user_id, ${H('event_time')} AS b, count(*) AS orders_count,
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
             UNION SELECT user_id, b FROM pay UNION SELECT user_id, b FROM api)
       SELECT k.user_id, k.b AS event_time, ${v(m, 'orders_count', 'ord.orders_count')},
              ${v(m, 'orders_value', 'ord.orders_value')}, ${v(m, 'payments_succeeded', 'pay.ok')},
              ${v(m, 'payments_failed', 'pay.failed')}, ${v(m, 'reviews_count', 'rev.n')},
              ${v(m, 'promotions_used', 'ord.promos')}, ${v(m, 'carts_abandoned', 'ord.abandoned')},
              ${v(m, 'api_requests', 'api.n')}
       FROM k LEFT JOIN ord USING (user_id, b) LEFT JOIN pay USING (user_id, b)
              LEFT JOIN rev USING (user_id, b) LEFT JOIN api USING (user_id, b)`,
  );

  recomputed(
    'shop_metrics_hourly',
    (m) =>
      `WITH
       ord AS (SELECT shop_id, ${H('event_time')} AS b,
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
             UNION SELECT shop_id, b FROM rev UNION SELECT shop_id, b FROM inv UNION SELECT shop_id, b FROM api)
       SELECT k.shop_id, k.b AS event_time, ${v(m, 'orders_count', 'ord.orders')},
              ${v(m, 'revenue', 'ord.revenue')}, ${v(m, 'customers_count', 'ord.customers')},
              ${v(m, 'units_sold', 'itm.units')}, ${v(m, 'products_sold', 'itm.products')},
              ${v(m, 'reviews_count', 'rev.n')}, ${v(m, 'rating_sum', 'rev.rating')},
              ${v(m, 'promotion_orders', 'ord.promo_orders')}, ${v(m, 'discount_total', 'ord.discount')},
              ${v(m, 'carts_abandoned', 'ord.abandoned')}, ${v(m, 'payments_failed', 'pay.failed')},
              ${v(m, 'inventory_value_change', 'inv.value')}, ${v(m, 'cart_adds', 'itm.cart_adds')},
              ${v(m, 'api_requests', 'api.n')}, ${v(m, 'api_errors', 'api.errors')},
              ${v(m, 'api_latency_ms_sum', 'api.latency')}
       FROM k LEFT JOIN ord USING (shop_id, b) LEFT JOIN itm USING (shop_id, b)
              LEFT JOIN pay USING (shop_id, b) LEFT JOIN rev USING (shop_id, b)
              LEFT JOIN inv USING (shop_id, b) LEFT JOIN api USING (shop_id, b)`,
  );

  recomputed(
    'shop_product_metrics_hourly',
    (m) =>
      `WITH
       itm AS (SELECT i.shop_product_id, ${H('o.event_time')} AS b,
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
             UNION SELECT shop_product_id, b FROM inv)
       SELECT k.shop_product_id, k.b AS event_time, p.shop_id, ${v(m, 'units_sold', 'itm.units')},
              ${v(m, 'revenue', 'itm.revenue')}, ${v(m, 'orders_count', 'itm.orders')},
              ${v(m, 'cart_adds', 'itm.cart_adds')}, ${v(m, 'reviews_count', 'rev.n')},
              ${v(m, 'rating_sum', 'rev.rating')}, ${v(m, 'promotion_units', 'itm.promo_units')},
              ${v(m, 'inventory_change', 'inv.change')}, p.price AS unit_price
       FROM k LEFT JOIN ${T('shop_product')} p ON p.id = k.shop_product_id
              LEFT JOIN itm USING (shop_product_id, b) LEFT JOIN rev USING (shop_product_id, b)
              LEFT JOIN inv USING (shop_product_id, b)`,
  );

  const funnelTables = TABLES.filter((t) => t.columns.some((c) => c.name === 'page_views')).map(
    (t) => t.name,
  );
  add(
    'funnel',
    'a shop or product metric row without page_views >= cart_adds >= units_sold',
    funnelTables
      .map(
        (m) => `SELECT '${m}' AS tbl, id, event_time, page_views, cart_adds, units_sold FROM ${T(m)}
                WHERE NOT (page_views >= cart_adds AND cart_adds >= units_sold)`,
      )
      .join('\nUNION ALL\n'),
  );

  for (const g of ['hourly', 'daily'] as const) {
    const m = `shop_metrics_${g}` as const;
    add(
      `page-views:${m}`,
      `${m}.page_views is not the sum of its products' page_views`,
      `SELECT shop_id, event_time, s.page_views, p.page_views AS products_page_views
       FROM ${T(m)} s
       FULL JOIN (SELECT shop_id, event_time, sum(page_views) AS page_views
                  FROM ${T(`shop_product_metrics_${g}`)} GROUP BY 1, 2) p USING (shop_id, event_time)
       WHERE s.page_views IS DISTINCT FROM p.page_views`,
    );
  }

  // daily = the hourly rows of the day summed, for every additive column; the same (entity, day) set
  const NOT_ADDITIVE = new Set(['customers_count', 'products_sold', 'unit_price']);
  const pairs = [
    ['user_metrics_hourly', 'user_metrics_daily'],
    ['shop_metrics_hourly', 'shop_metrics_daily'],
    ['shop_product_metrics_hourly', 'shop_product_metrics_daily'],
  ] as const;
  for (const [hourly, daily] of pairs) {
    const keys = table(daily)
      .columns.filter((c) => c.references !== undefined)
      .map((c) => c.name);
    const additive = metricValueColumns(table(daily))
      .filter((c) => !NOT_ADDITIVE.has(c.name))
      .map((c) => c.name);
    add(
      `daily-sums:${daily}`,
      `${daily} is not the sum of the ${hourly} rows of the day`,
      exceptBoth(
        `SELECT ${keys.join(', ')}, ${D('event_time')} AS event_time,
                ${additive.map((c) => `sum(${c})::${sqlType(daily, c)} AS ${c}`).join(', ')}
         FROM ${T(hourly)} GROUP BY ${keys.join(', ')}, ${D('event_time')}`,
        loadedColumns(daily, keys, additive),
      ),
    );
  }

  {
    const m = 'shop_metrics_daily';
    add(
      `daily-distinct:${m}`,
      `${m} customers_count / products_sold are not distinct counts over the day`,
      exceptBoth(
        `WITH
         k AS (SELECT DISTINCT shop_id, ${D('event_time')} AS b FROM ${T('shop_metrics_hourly')}),
         c AS (SELECT shop_id, ${D('event_time')} AS b, count(DISTINCT user_id) AS n FROM ${T('shop_order')}
               WHERE status = 'paid' GROUP BY 1, 2),
         p AS (SELECT o.shop_id, ${D('o.event_time')} AS b, count(DISTINCT i.shop_product_id) AS n
               FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
               WHERE o.status = 'paid' GROUP BY 1, 2)
         SELECT k.shop_id, k.b AS event_time, ${v(m, 'customers_count', 'c.n')}, ${v(m, 'products_sold', 'p.n')}
         FROM k LEFT JOIN c USING (shop_id, b) LEFT JOIN p USING (shop_id, b)`,
        loadedColumns(m, ['shop_id'], ['customers_count', 'products_sold']),
      ),
    );
  }

  add(
    'daily-product:shop_product_metrics_daily',
    "shop_product_metrics_daily unit_price or shop_id is not the product's",
    `SELECT d.id, d.shop_product_id, d.shop_id, p.shop_id AS product_shop, d.unit_price, p.price
     FROM ${T('shop_product_metrics_daily')} d LEFT JOIN ${T('shop_product')} p ON p.id = d.shop_product_id
     WHERE d.unit_price IS DISTINCT FROM p.price OR d.shop_id IS DISTINCT FROM p.shop_id`,
  );

  return checks;
}

const COUNT_COLUMN = 'offending_rows';

/**
 * Runs each check, in order, as `SELECT count(*) OVER (), * FROM (<check>) LIMIT n`: the number of offending
 * rows and the first few, in one round trip. TimeZone is UTC meanwhile (samples and printed partition bounds
 * read the same wherever the server is) and set back afterwards.
 */
export async function runIntegrityChecks(
  client: pg.ClientBase,
  checks: readonly IntegrityCheck[],
  opts: IntegrityRunOptions = {},
): Promise<IntegrityResult[]> {
  const keep = Math.max(0, Math.floor(opts.sample ?? DEFAULT_SAMPLE));
  const prev = await client.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`);
  await client.query(`SET TimeZone = 'UTC'`);
  const results: IntegrityResult[] = [];
  let failed = false;
  try {
    for (const c of checks) {
      const t0 = performance.now();
      const res = await client
        .query<Record<string, unknown>>(
          `SELECT count(*) OVER () AS ${COUNT_COLUMN}, x.* FROM (${c.sql}) x LIMIT ${Math.max(1, keep)}`,
          c.params,
        )
        .catch((e: unknown) => {
          throw new Error(`integrity check ${c.name}: ${e instanceof Error ? e.message : String(e)}`, {
            cause: e,
          });
        });
      const offending = res.rows.length === 0 ? 0 : Number(res.rows[0]![COUNT_COLUMN]);
      const sample = res.rows.slice(0, keep).map(({ [COUNT_COLUMN]: _n, ...row }) => row);
      const r: IntegrityResult = {
        name: c.name,
        description: c.description,
        ok: offending === 0,
        offending,
        sample,
        ms: performance.now() - t0,
      };
      results.push(r);
      opts.onCheck?.(r);
    }
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // After a failed check inside the caller's transaction, every statement fails until its rollback (which
    // undoes the SET anyway): then the check's error is the one to report, not this one.
    await client.query(`SELECT set_config('TimeZone', $1, false)`, [prev.rows[0]!.tz]).catch((e: unknown) => {
      if (!failed) throw e;
    });
  }
  return results;
}
