/**
 * Loads `tiny` and 3 hours of `black-friday` into fresh schemas and runs every integrity check of
 * src/verify/ on them (the invariants the generator promises: partition placement, references,
 * the entity registry, order arithmetic, payments, promotions, reviews, the inventory log, business events
 * and metrics that are exact aggregates of the operational rows), plus what only holds for these scenarios
 * and this layout: rows in every table, every case present, the partitions of the window. Then corrupts
 * one row at a time to show each check can fail, and runs the checks on other layouts and windows.
 */

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at } from '../../src/at.js';
import { buildPlan } from '../../src/generate/index.js';
import { LEDGER_TABLE, RUN_TABLE } from '../../src/load/ledger.js';
import { runLoad } from '../../src/load/run.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { DAILY_LAYOUT, type Layout, UNPARTITIONED_LAYOUT } from '../../src/model/layout.js';
import { partitionsFor } from '../../src/model/partitions.js';
import { TABLES, type TableName, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario, type Scenario } from '../../src/scenario/index.js';
import {
  exceptBoth,
  type IntegrityCheck,
  integrityChecks,
  runIntegrityChecks,
  runIntegrityChecksConcurrently,
} from '../../src/verify/index.js';
import { describeResult, expectChecksPass, expectNoRows } from './helpers.js';

const url = inject('databaseUrl');
const suffix = randomBytes(4).toString('hex');
const WINDOW_START = '2026-11-27T00:00:00.000Z';
const HOURS = 3;

interface Loaded {
  label: string;
  schema: string;
  scenario: Scenario;
  layout?: Layout;
}

const LOADS: Loaded[] = [
  { label: 'tiny', schema: `it_tiny_${suffix}`, scenario: loadScenario('tiny') },
  {
    label: 'black-friday',
    schema: `it_bf_${suffix}`,
    scenario: applyOverrides(loadScenario('black-friday'), { hours: HOURS }),
  },
];

/** The same checks must hold whatever the layout, and for a window that does not start at midnight. */
const OTHER_LOADS: Loaded[] = [
  {
    label: 'tiny from 22:00 (across midnight), daily partitions',
    schema: `it_tiny_daily_${suffix}`,
    scenario: applyOverrides(loadScenario('tiny'), { start: Date.parse('2026-11-27T22:00:00Z') }),
    layout: DAILY_LAYOUT,
  },
  {
    label: 'tiny, unpartitioned tables',
    schema: `it_tiny_none_${suffix}`,
    scenario: loadScenario('tiny'),
    layout: UNPARTITIONED_LAYOUT,
  },
];

const checksOf = ({ schema, scenario }: Loaded): IntegrityCheck[] =>
  integrityChecks(schema, { start: scenario.start, hours: scenario.hours });

let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
  // pg_get_expr prints partition bounds in the session time zone; pin it so the expected text is stable
  await db.query(`SET TimeZone = 'UTC'`);
  await Promise.all(
    [...LOADS, ...OTHER_LOADS].map((l) =>
      runLoad({
        plan: buildPlan(l.scenario),
        target: { kind: 'db', url, schema: l.schema },
        jobs: 2,
        ...(l.layout ? { layout: l.layout } : {}),
      }),
    ),
  );
});

afterAll(async () => {
  if (!db) return;
  try {
    for (const l of [...LOADS, ...OTHER_LOADS])
      await db.query(`DROP SCHEMA IF EXISTS ${ident(l.schema)} CASCADE`);
  } finally {
    await db.end();
  }
});

describe.each(LOADS)('$label loaded into its own schema', (loaded) => {
  const { schema, scenario } = loaded;
  const T = (name: TableName): string => qualified(schema, name);

  it('is the 3-hour window from 2026-11-27T00:00Z', () => {
    expect(new Date(scenario.start).toISOString()).toBe(WINDOW_START);
    expect(scenario.hours).toBe(HOURS);
  });

  // A review comes review_delay_hours after its order: black-friday's minimum (12 h) is beyond a 3-hour
  // window, so it cannot have any; that table must then be empty (a review there would be a bug).
  const reviewsPossible = scenario.distributions.reviewDelayHours.min < scenario.hours;

  it('has rows in every one of the 21 tables (shop_review: when the review delay fits the window)', async () => {
    expect(TABLES).toHaveLength(21);
    const counts = TABLES.map((t) => `SELECT '${t.name}' AS tbl, count(*) AS n FROM ${T(t.name)}`);
    await expectNoRows(
      db,
      'tables with an unexpected row count',
      `SELECT * FROM (${counts.join(' UNION ALL ')}) c
       WHERE (n = 0 AND (tbl <> 'shop_review' OR $1)) OR (n > 0 AND tbl = 'shop_review' AND NOT $1)`,
      [reviewsPossible],
    );
  });

  // A 'payment_failed' order (every attempt failed) is only required of tiny, whose failure rate is set high
  // for it: black-friday's realistic rate makes one unlikely in 3 hours.
  it('has every case the checks look at (statuses, retries, promotions, stock, refunds, prices, traffic)', async () => {
    await expectNoRows(
      db,
      'kinds of rows missing from the data',
      `SELECT * FROM (VALUES
         ('paid orders', (SELECT count(*) FROM ${T('shop_order')} WHERE status = 'paid')),
         ('abandoned orders', (SELECT count(*) FROM ${T('shop_order')} WHERE status = 'abandoned')),
         ('paid after a failed attempt', (SELECT count(*) FROM ${T('shop_order_payment')}
                                          WHERE status = 'succeeded' AND attempt > 1)),
         ('orders with a promotion', (SELECT count(*) FROM ${T('shop_order')}
                                      WHERE shop_promotion_id IS NOT NULL AND discount > 0)),
         ('restocks', (SELECT count(*) + CASE WHEN $4 THEN 0 ELSE 1 END FROM ${T('shop_inventory_log')}
                       WHERE change_type = 'restock')),
         ('out-of-stock carts', (SELECT count(*) + CASE WHEN $3 THEN 0 ELSE 1 END FROM ${T('shop_order')}
                                 WHERE extra_data->>'reason' = 'out_of_stock')),
         ('refunds', (SELECT count(*) + CASE WHEN $3 THEN 0 ELSE 1 END FROM ${T('shop_order')}
                      WHERE status = 'refunded')),
         ('returns', (SELECT count(*) + CASE WHEN $3 THEN 0 ELSE 1 END FROM ${T('shop_inventory_log')}
                      WHERE change_type = 'return')),
         ('expired cards', (SELECT count(*) FROM ${T('shop_order_payment')} WHERE failure_reason = 'expired_card')),
         ('price changes', (SELECT count(*) FROM ${T('global_event')} WHERE event_type = 'price_changed')),
         ('anonymous sessions', (SELECT count(*) FROM ${T('request_response_log')}
                                 WHERE user_id IS NULL AND NOT (extra_data->>'bot')::boolean)),
         ('bots', (SELECT count(*) FROM ${T('request_response_log')} WHERE (extra_data->>'bot')::boolean)),
         ('product views', (SELECT count(*) FROM ${T('request_response_log')}
                            WHERE shop_product_id IS NOT NULL AND shop_order_id IS NULL)),
         ('API errors', (SELECT count(*) FROM ${T('request_response_log')} WHERE status_code >= 400)),
         ('signups in the window', (SELECT count(*) FROM ${T('users')} WHERE event_time > $1)),
         ('reviews', (SELECT count(*) + CASE WHEN $2 THEN 0 ELSE 1 END FROM ${T('shop_review')})),
         ('orders whose every attempt failed', (SELECT count(*) + CASE WHEN $3 THEN 0 ELSE 1 END
                                                FROM ${T('shop_order')} WHERE status = 'payment_failed'))
       ) v(what, n) WHERE n = 0`,
      // tiny's failure rate is set high enough that some orders fail every attempt; black-friday's is realistic
      // restocks arrive restock_lead_hours after the sale that triggers them
      [
        new Date(scenario.start).toISOString(),
        reviewsPossible,
        scenario.name === 'tiny',
        scenario.hours > scenario.distributions.restockLeadHours.min,
      ],
    );
  });

  for (const check of checksOf(loaded)) {
    it(`${check.name} finds none: ${check.description}`, () => expectChecksPass(db, [check]));
  }

  it('has 3 hourly leaves per hourly table, 1 daily leaf per metric table, no DEFAULT partition', async () => {
    const expected = TABLES.flatMap((t) =>
      t.granularity === 'hour'
        ? ['000000', '010000', '020000'].map((hh) => `${t.name}_p20261127_${hh}`)
        : [`${t.name}_p20261127`],
    ).map((leaf) => ({ leaf }));
    await expectNoRows(
      db,
      'leaf partitions differ from the window',
      exceptBoth(
        ['leaf'],
        `SELECT leaf FROM (VALUES ${expected.map((e) => `('${e.leaf}')`).join(', ')}) v(leaf)`,
        `SELECT c.relname::text FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
        '2, 1',
      ),
      [schema],
    );
    await expectNoRows(
      db,
      'parents that are not RANGE(event_time) partitioned tables, or have a DEFAULT partition',
      `SELECT p.relname, p.relkind, pt.partstrat, pt.partdefid, a.attname
       FROM pg_class p JOIN pg_namespace n ON n.oid = p.relnamespace
       LEFT JOIN pg_partitioned_table pt ON pt.partrelid = p.oid
       LEFT JOIN pg_attribute a ON a.attrelid = p.oid AND a.attnum = pt.partattrs[0]
       WHERE n.nspname = $1 AND NOT p.relispartition AND p.relkind IN ('r', 'p')
         AND p.relname::text <> ALL ($3::text[])
         AND (p.relkind <> 'p' OR pt.partstrat <> 'r' OR pt.partdefid <> 0 OR a.attname <> 'event_time'
              OR p.relname::text <> ALL ($2::text[]))`,
      // the load ledger's own two bookkeeping tables are plain tables
      [schema, TABLES.map((t) => t.name), [RUN_TABLE, LEDGER_TABLE]],
    );
    const parents = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_partitioned_table pt JOIN pg_class p ON p.oid = pt.partrelid
       JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = $1`,
      [schema],
    );
    expect(Number(parents.rows[0]?.n)).toBe(21);
    // the bounds of each leaf are the ones its name says (session time zone is UTC, see beforeAll)
    await expectNoRows(
      db,
      'leaf bounds differ from the names',
      `SELECT leaf, bound, format('FOR VALUES FROM (%L) TO (%L)', from_ts, from_ts + step) AS expected
       FROM (
         SELECT c.relname::text AS leaf, pg_get_expr(c.relpartbound, c.oid) AS bound,
                make_timestamptz(substr(sfx, 1, 4)::int, substr(sfx, 5, 2)::int, substr(sfx, 7, 2)::int,
                  CASE WHEN length(sfx) > 8 THEN substr(sfx, 10, 2)::int ELSE 0 END, 0, 0, 'UTC') AS from_ts,
                CASE WHEN length(sfx) > 8 THEN interval '1 hour' ELSE interval '1 day' END AS step
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         CROSS JOIN LATERAL (SELECT substring(c.relname FROM '_p([0-9]{8}(_[0-9]{6})?)$') AS sfx) s
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
       ) b
       WHERE bound IS DISTINCT FROM format('FOR VALUES FROM (%L) TO (%L)', from_ts, from_ts + step)`,
      [schema],
    );
  });

  for (const t of TABLES) {
    it(`rejects a ${t.name} row outside the window`, async () => {
      const value = (type: string): string =>
        type === 'uuid'
          ? 'gen_random_uuid()'
          : type === 'timestamptz'
            ? '$1::timestamptz'
            : type === 'text'
              ? "'x'"
              : type === 'boolean'
                ? 'false'
                : type === 'jsonb'
                  ? "'{}'::jsonb"
                  : '0';
      const cols = t.columns.filter((col) => !col.nullable);
      const insert = `INSERT INTO ${T(t.name)} (${cols.map((col) => col.name).join(', ')})
                      VALUES (${cols.map((col) => value(col.type)).join(', ')})`;
      for (const when of ['2027-11-27T00:00:00Z', '2026-11-26T23:59:59.999999Z']) {
        await db.query('BEGIN');
        try {
          const err = await db.query(insert, [when]).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, `an INSERT into ${t.name} at ${when} succeeded`).toBeInstanceOf(Error);
          expect((err as Error).message).toMatch(
            new RegExp(`no partition of relation "${t.name}" found for row`),
          );
        } finally {
          await db.query('ROLLBACK');
        }
      }
    });
  }
});

/**
 * The checks must be able to fail: corrupt one row at a time inside a transaction, expect the check that
 * guards it to report exactly the rows it should, roll back. Nothing here outlives its transaction.
 */
describe('the checks catch corruption (tiny, rolled back)', () => {
  const loaded = at(LOADS, 0);
  const { schema, scenario } = loaded;
  const T = (name: TableName): string => qualified(schema, name);
  const checks = new Map(checksOf(loaded).map((c) => [c.name, c]));
  const [invoiceHour0, invoiceHour1] = partitionsFor(table('invoice'), scenario.start, scenario.hours).map(
    (p) => `'${qualified(schema, p.name)}'::regclass`,
  );

  interface Case {
    name: string;
    corrupt: string;
    check: string;
    offending: number;
    /** what the first offending row shows */
    sample?: Record<string, unknown>;
    /** the corruption writes the catalog: only a superuser can */
    superuser?: boolean;
  }
  const cases: Case[] = [
    // lifecycles, currency and prices (src/verify/checks/lifecycle.ts)
    {
      name: 'a promotion in another status than its dates say',
      corrupt: `UPDATE ${T('shop_promotion')} SET status = CASE status WHEN 'active' THEN 'ended' ELSE 'active' END
                WHERE id = (SELECT id FROM ${T('shop_promotion')} ORDER BY id LIMIT 1)`,
      check: 'promotion-status',
      offending: 1,
    },
    {
      name: 'a payment method expired before its expiry month ends, or active after',
      corrupt: `UPDATE ${T('user_payment_method')}
                SET status = CASE status WHEN 'active' THEN 'expired' ELSE 'active' END
                WHERE id = (SELECT id FROM ${T('user_payment_method')} ORDER BY id LIMIT 1)`,
      check: 'method-expiry',
      offending: 1,
    },
    {
      name: 'a shop updated before it was created',
      corrupt: `UPDATE ${T('shop')} SET updated_time = created_time - interval '1 second'
                WHERE id = (SELECT id FROM ${T('shop')} ORDER BY id LIMIT 1)`,
      check: 'updated-after-created',
      offending: 1,
    },
    {
      name: 'a user status the model does not know',
      corrupt: `UPDATE ${T('users')} SET status = 'suspended'
                WHERE id = (SELECT id FROM ${T('users')} ORDER BY id LIMIT 1)`,
      check: 'status-words',
      offending: 1,
    },
    {
      name: 'a user banned in the window without its user_banned event',
      corrupt: `UPDATE ${T('users')} SET status = 'banned', updated_time = event_time + interval '1 second'
                WHERE id = (SELECT id FROM ${T('users')} WHERE status = 'active' ORDER BY id LIMIT 1)`,
      check: 'state-events',
      offending: 1,
      sample: { side: 'expected, not loaded', event_type: 'user_banned' },
    },
    {
      name: 'an invoice issued at its payment time',
      corrupt: `UPDATE ${T('invoice')} i SET event_time = p.event_time FROM ${T('shop_order_payment')} p
                WHERE p.shop_order_id = i.shop_order_id AND p.status = 'succeeded'
                  AND i.id = (SELECT id FROM ${T('invoice')} ORDER BY id LIMIT 1)`,
      check: 'order-timeline',
      offending: 1,
    },
    {
      name: 'a review of three weeks of delivery written hours after its order',
      corrupt: `UPDATE ${T('shop_review')} SET body = body || ' Delivery took almost three weeks.'
                WHERE id = (SELECT id FROM ${T('shop_review')} ORDER BY id LIMIT 1)`,
      check: 'review-claims',
      offending: 1,
    },
    {
      name: 'a domestic invoice taxed as an export',
      corrupt: `UPDATE ${T('invoice')} SET extra_data = extra_data || '{"tax_scheme": "export", "tax_rate": 0}'
                WHERE id = (SELECT i.id FROM ${T('invoice')} i JOIN ${T('shop')} s ON s.id = i.shop_id
                            JOIN ${T('users')} u ON u.id = i.user_id
                            WHERE u.country_code = s.country_code ORDER BY i.id LIMIT 1)`,
      check: 'invoice-tax',
      offending: 1,
    },
    {
      name: "a domestic invoice at another rate than its country's (or state's)",
      corrupt: `UPDATE ${T('invoice')} SET extra_data = jsonb_set(extra_data, '{tax_rate}', '3.5')
                WHERE id = (SELECT id FROM ${T('invoice')} WHERE extra_data->>'tax_scheme' = 'domestic'
                            ORDER BY id LIMIT 1)`,
      check: 'invoice-tax',
      offending: 1,
    },
    {
      name: "a domestic invoice naming a state its shop's tax_region does not",
      corrupt: `UPDATE ${T('shop')} SET extra_data = extra_data - 'tax_region'
                WHERE id = (SELECT shop_id FROM ${T('invoice')} WHERE extra_data ? 'tax_region'
                            GROUP BY shop_id HAVING count(*) = 2 ORDER BY shop_id LIMIT 1)`,
      check: 'invoice-tax',
      offending: 2,
    },
    {
      name: 'an export invoice with tax',
      corrupt: `UPDATE ${T('invoice')} SET extra_data = jsonb_set(extra_data, '{tax_rate}', '7.25')
                WHERE id = (SELECT id FROM ${T('invoice')} WHERE extra_data->>'tax_scheme' = 'export'
                            ORDER BY id LIMIT 1)`,
      check: 'invoice-tax',
      offending: 1,
    },
    {
      name: "a checkout request from another device than its order's",
      corrupt: `UPDATE ${T('request_response_log')} SET extra_data = jsonb_set(extra_data, '{device}', '"watch"')
                WHERE id = (SELECT id FROM ${T('request_response_log')} WHERE shop_order_id IS NOT NULL
                            ORDER BY id LIMIT 1)`,
      check: 'traffic-orders',
      offending: 1,
    },
    {
      name: 'an owner buying at their own shop',
      corrupt: `UPDATE ${T('shop_order')} o SET user_id = s.user_id FROM ${T('shop')} s
                WHERE s.id = o.shop_id AND o.id = (SELECT id FROM ${T('shop_order')} ORDER BY id LIMIT 1)`,
      check: 'home-orders',
      offending: 1,
    },
    {
      name: 'an order under a promotion whose minimum basket it does not reach',
      corrupt: `UPDATE ${T('shop_promotion')} SET extra_data = jsonb_set(extra_data, '{min_basket}', '1000000')
                WHERE id = (SELECT shop_promotion_id FROM ${T('shop_order')} WHERE shop_promotion_id IS NOT NULL
                            GROUP BY 1 HAVING count(*) = 1 AND max(item_count) = 1 ORDER BY 1 LIMIT 1)`,
      check: 'promotions',
      offending: 1,
    },
    {
      name: 'an order under a newsletter promotion by a user who did not opt in to the newsletter',
      corrupt: `UPDATE ${T('shop_promotion')} SET extra_data = jsonb_set(extra_data, '{audience}', '"newsletter"')
                WHERE id = (SELECT o.shop_promotion_id FROM ${T('shop_order')} o
                            JOIN ${T('users')} u ON u.id = o.user_id
                            WHERE o.shop_promotion_id IS NOT NULL GROUP BY 1
                            HAVING count(*) = 1 AND bool_and(u.extra_data->>'marketing_opt_in' = 'false')
                            ORDER BY 1 LIMIT 1)`,
      check: 'promotion-audience',
      offending: 1,
    },
    {
      name: 'a retry on the card that just failed as expired',
      // a decline retried on the same method, made an expired_card failure
      corrupt: `UPDATE ${T('shop_order_payment')} SET failure_reason = 'expired_card'
                WHERE id = (SELECT r.id FROM ${T('shop_order_payment')} r
                            JOIN ${T('shop_order_payment')} s ON s.shop_order_id = r.shop_order_id
                              AND s.attempt = r.attempt + 1 AND s.user_payment_method_id = r.user_payment_method_id
                            WHERE r.failure_reason IS NOT NULL ORDER BY r.id LIMIT 1)`,
      check: 'order-timeline',
      offending: 1,
    },
    {
      name: 'an order reviewed twice',
      corrupt: `INSERT INTO ${T('shop_review')}
                SELECT gen_random_uuid(), event_time, partition_key, user_id, shop_id,
                       shop_product_id, shop_order_id, rating, title, body, created_time, updated_time, extra_data
                FROM ${T('shop_review')} WHERE id = (SELECT id FROM ${T('shop_review')} ORDER BY id LIMIT 1)`,
      check: 'reviews',
      offending: 2,
    },
    {
      name: 'an order from abroad at a shop that does not ship abroad',
      corrupt: `UPDATE ${T('shop_order')} o SET user_id = (
                  SELECT u.id FROM ${T('users')} u JOIN ${T('shop')} s ON s.id = o.shop_id
                  WHERE u.country_code <> s.country_code ORDER BY u.id LIMIT 1)
                WHERE o.id = (SELECT o2.id FROM ${T('shop_order')} o2 JOIN ${T('shop')} s2 ON s2.id = o2.shop_id
                              WHERE s2.extra_data->>'ships_international' = 'false' ORDER BY o2.id LIMIT 1)`,
      check: 'home-orders',
      offending: 1,
    },
    {
      name: 'a shop whose owner is banned',
      corrupt: `UPDATE ${T('users')} SET status = 'banned'
                WHERE id = (SELECT user_id FROM ${T('shop')} GROUP BY user_id HAVING count(*) = 1
                            ORDER BY user_id LIMIT 1)`,
      check: 'owners-active',
      offending: 1,
    },
    {
      name: 'a product created before its shop opened',
      corrupt: `UPDATE ${T('shop_product')} SET created_time = '2000-01-01Z'
                WHERE id = (SELECT id FROM ${T('shop_product')} ORDER BY id LIMIT 1)`,
      check: 'parents-first',
      offending: 1,
    },
    {
      name: 'two products of one name in a shop',
      corrupt: `UPDATE ${T('shop_product')} p SET name = q.name FROM ${T('shop_product')} q
                WHERE q.shop_id = p.shop_id AND q.id <> p.id
                  AND p.id = (SELECT id FROM ${T('shop_product')} ORDER BY id LIMIT 1)
                  AND q.id = (SELECT min(id::text)::uuid FROM ${T('shop_product')} r
                              WHERE r.shop_id = p.shop_id AND r.id <> p.id)`,
      check: 'product-names',
      offending: 1,
    },
    {
      name: "a product in another currency than its shop's country",
      corrupt: `UPDATE ${T('shop_product')} SET currency = 'XXX'
                WHERE id = (SELECT id FROM ${T('shop_product')} ORDER BY id LIMIT 1)`,
      check: 'product-currency',
      offending: 1,
    },
    {
      name: 'a sale inside the US without its sales tax',
      corrupt: `UPDATE ${T('shop_order')} SET total = subtotal - discount
                WHERE id = (SELECT o.id FROM ${T('shop_order')} o JOIN ${T('shop')} s ON s.id = o.shop_id
                            JOIN ${T('users')} u ON u.id = o.user_id
                            WHERE s.country_code = 'US' AND u.country_code = 'US'
                              AND o.total <> o.subtotal - o.discount ORDER BY o.id LIMIT 1)`,
      check: 'order-totals',
      offending: 1,
    },
    {
      name: 'an order total off by one cent',
      corrupt: `UPDATE ${T('shop_order')} SET total = total + 0.01
                WHERE id = (SELECT id FROM ${T('shop_order')} WHERE status = 'paid' ORDER BY id LIMIT 1)`,
      check: 'order-totals',
      offending: 1,
    },
    {
      name: 'a shop revenue off by one',
      corrupt: `UPDATE ${T('shop_metrics_hourly')} SET revenue = revenue + 1
                WHERE id = (SELECT id FROM ${T('shop_metrics_hourly')} ORDER BY id LIMIT 1)`,
      check: 'metrics:shop_metrics_hourly',
      offending: 2,
    },
    {
      name: 'a missing global_entity row',
      corrupt: `DELETE FROM ${T('global_entity')}
                WHERE entity_id = (SELECT id FROM ${T('shop_review')} ORDER BY id LIMIT 1)`,
      check: 'registry',
      offending: 1,
      sample: { side: 'expected, not loaded', entity_type: 'shop_review' },
    },
    {
      name: 'a wrong partition_key',
      corrupt: `UPDATE ${T('invoice')} SET partition_key = '2026-11-27T09:00:00'
                WHERE id = (SELECT id FROM ${T('invoice')} ORDER BY id LIMIT 1)`,
      check: 'partition-key',
      offending: 1,
      sample: { tbl: 'invoice', partition_key: '2026-11-27T09:00:00' },
    },
    {
      name: 'a wrong partition_key in a daily table',
      corrupt: `UPDATE ${T('shop_metrics_daily')} SET partition_key = '2026-11-26'
                WHERE id = (SELECT id FROM ${T('shop_metrics_daily')} ORDER BY id LIMIT 1)`,
      check: 'partition-key',
      offending: 1,
      sample: { tbl: 'shop_metrics_daily', partition_key: '2026-11-26' },
    },
    {
      name: 'a leaf whose catalog bounds are not those of its rows',
      // the hour-0 leaf of invoice gets the bounds of hour 1: its rows (hour 0) now lie outside them
      corrupt: `UPDATE pg_catalog.pg_class
                SET relpartbound = (SELECT relpartbound FROM pg_catalog.pg_class WHERE oid = ${invoiceHour1})
                WHERE oid = ${invoiceHour0}`,
      check: 'leaf-bounds',
      offending: 1,
      sample: { tbl: 'invoice' },
      superuser: true,
    },
    {
      name: 'an hourly metric row after the window, in the same daily partition',
      corrupt: `UPDATE ${T('user_metrics_hourly')} SET event_time = event_time + interval '5 hours'
                WHERE id = (SELECT id FROM ${T('user_metrics_hourly')} ORDER BY id LIMIT 1)`,
      check: 'window',
      offending: 1,
      sample: { tbl: 'user_metrics_hourly' },
    },
    {
      name: 'an order of a user who does not exist',
      corrupt: `UPDATE ${T('shop_order')} SET user_id = gen_random_uuid()
                WHERE id = (SELECT id FROM ${T('shop_order')} ORDER BY id LIMIT 1)`,
      check: 'reference:shop_order.user_id',
      offending: 1,
    },
    {
      name: 'a second succeeded payment',
      corrupt: `UPDATE ${T('shop_order_payment')} SET status = 'succeeded'
                WHERE id = (SELECT p.id FROM ${T('shop_order_payment')} p
                            JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
                            WHERE o.status = 'paid' AND p.status = 'failed' ORDER BY p.id LIMIT 1)`,
      check: 'order-status',
      offending: 1,
    },
    {
      name: 'a promotion discount off by one cent',
      corrupt: `UPDATE ${T('shop_order_item')} SET discount = discount + 0.01
                WHERE id = (SELECT i.id FROM ${T('shop_order_item')} i
                            JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
                            WHERE o.shop_promotion_id IS NOT NULL ORDER BY i.id LIMIT 1)`,
      check: 'promotions',
      offending: 1,
    },
    {
      name: 'a review by someone else than the buyer',
      corrupt: `UPDATE ${T('shop_review')} r SET user_id = (SELECT id FROM ${T('users')} u
                                                         WHERE u.id <> r.user_id ORDER BY id LIMIT 1)
                WHERE id = (SELECT id FROM ${T('shop_review')} ORDER BY id LIMIT 1)`,
      check: 'reviews',
      offending: 1,
    },
    {
      name: 'a sale row of the wrong quantity',
      corrupt: `UPDATE ${T('shop_inventory_log')} SET quantity_change = quantity_change - 1
                WHERE id = (SELECT id FROM ${T('shop_inventory_log')} WHERE change_type = 'sale'
                            ORDER BY id LIMIT 1)`,
      check: 'inventory-sales',
      offending: 2,
    },
    {
      name: 'a missing review_posted event',
      corrupt: `DELETE FROM ${T('global_event')}
                WHERE id = (SELECT id FROM ${T('global_event')} WHERE event_type = 'review_posted'
                            ORDER BY id LIMIT 1)`,
      check: 'events',
      offending: 1,
    },
    {
      name: 'a user API request count off by one',
      corrupt: `UPDATE ${T('user_metrics_hourly')} SET api_requests = api_requests + 1
                WHERE id = (SELECT id FROM ${T('user_metrics_hourly')} ORDER BY id LIMIT 1)`,
      check: 'metrics:user_metrics_hourly',
      offending: 2,
    },
    {
      name: 'a daily product metric that is not the sum of the hours',
      corrupt: `UPDATE ${T('shop_product_metrics_daily')} SET cart_adds = cart_adds + 1
                WHERE id = (SELECT id FROM ${T('shop_product_metrics_daily')} ORDER BY id LIMIT 1)`,
      check: 'daily-sums:shop_product_metrics_daily',
      offending: 2,
    },
    {
      name: "a shop's page views that are not its products'",
      corrupt: `UPDATE ${T('shop_product_metrics_hourly')} SET page_views = page_views + 1
                WHERE id = (SELECT id FROM ${T('shop_product_metrics_hourly')} ORDER BY id LIMIT 1)`,
      check: 'shop-traffic:shop_metrics_hourly',
      offending: 1,
    },
  ];

  it.for(cases)('reports $name', async ({ corrupt, check: name, offending, sample, superuser }, ctx) => {
    if (superuser) {
      const role = await db.query<{ rolsuper: boolean }>(
        'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      );
      if (!role.rows[0]?.rolsuper) ctx.skip('needs a superuser to write pg_class');
    }
    const check = checks.get(name);
    if (check === undefined) throw new Error(`no integrity check named ${name}`);
    await db.query('BEGIN');
    try {
      const res = await db.query(corrupt);
      expect(res.rowCount).toBe(1);
      const [r] = await runIntegrityChecks(db, [check]);
      if (r === undefined) throw new Error(`no result for ${name}`);
      expect(r.offending, describeResult(r)).toBe(offending);
      if (sample) expect(r.sample[0]).toMatchObject(sample);
    } finally {
      await db.query('ROLLBACK');
    }
    await expectChecksPass(db, [check]);
  });
});

describe.each(OTHER_LOADS)('$label', (loaded) => {
  it('passes every integrity check', async () => {
    const results = await expectChecksPass(db, checksOf(loaded));
    expect(results.length).toBeGreaterThan(60);
  });
});

describe('runIntegrityChecks', () => {
  const loaded = at(LOADS, 0);
  const T = (name: TableName): string => qualified(loaded.schema, name);

  it('counts every offending row, keeps a sample, and sets TimeZone back', async () => {
    await db.query(`SET TimeZone = 'America/New_York'`);
    try {
      const seen: string[] = [];
      const results = await runIntegrityChecks(
        db,
        [
          {
            name: 'all-orders',
            description: 'every order',
            sql: `SELECT id, current_setting('TimeZone') AS tz FROM ${T('shop_order')}`,
            params: [],
          },
          { name: 'none', description: 'nothing', sql: 'SELECT 1 AS x WHERE $1', params: [false] },
        ],
        { sample: 2, onCheck: (r) => seen.push(r.name) },
      );
      const orders = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${T('shop_order')}`);
      expect(seen).toEqual(['all-orders', 'none']);
      expect(results.map((r) => [r.name, r.ok, r.offending, r.sample.length])).toEqual([
        ['all-orders', false, Number(orders.rows[0]?.n), 2],
        ['none', true, 0, 0],
      ]);
      expect(Object.keys(results[0]?.sample[0] ?? {})).toEqual(['id', 'tz']);
      expect(results[0]?.sample[0]?.tz).toBe('UTC');
      const tz = await db.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`);
      expect(tz.rows[0]?.tz).toBe('America/New_York');
      // a check that errors names itself, and the time zone still comes back
      await expect(
        runIntegrityChecks(db, [{ name: 'broken', description: 'x', sql: 'SELECT 1/0 AS x', params: [] }]),
      ).rejects.toThrow(/integrity check broken: division by zero/);
      const after = await db.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`);
      expect(after.rows[0]?.tz).toBe('America/New_York');
    } finally {
      await db.query(`SET TimeZone = 'UTC'`);
    }
  });

  it('runs checks concurrently in UTC, with work_mem raised, nested loops, JIT and parallel workers off', async () => {
    // JIT: enable_nestloop's cost penalty made PostgreSQL 15 compile every check, for longer than it ran;
    // parallel workers: the checks already run `jobs` at once, workers cost CPU on the same cores
    const settings = `SELECT current_setting('TimeZone') AS tz, current_setting('work_mem') AS work_mem,
                      current_setting('enable_nestloop') AS nestloop, current_setting('jit') AS jit,
                      current_setting('max_parallel_workers_per_gather') AS workers`;
    const check = (name: string): IntegrityCheck => ({
      name,
      description: 'a connection without the verify settings',
      sql: `SELECT * FROM (${settings}) s
            WHERE (tz, work_mem, nestloop, jit, workers) IS DISTINCT FROM ('UTC', '64MB', 'off', 'off', '0')`,
      params: [],
    });
    const results = await runIntegrityChecksConcurrently(url, [check('a'), check('b'), check('c')], {
      jobs: 2,
    });
    expect(results.map((r) => [r.name, r.ok, r.sample])).toEqual([
      ['a', true, []],
      ['b', true, []],
      ['c', true, []],
    ]);
  });

  it('names every check once', () => {
    const names = checksOf(loaded).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
