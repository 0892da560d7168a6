/**
 * The load report's data profile (src/query/profile.ts) on loaded `tiny` and 3 hours of `black-friday`:
 * every figure agrees with a direct count of its own written here another way (per hour, per status, per
 * product), the curve is the scenario's, each query reads only the window's partitions, and a report
 * carrying the profile validates against the JSON schema.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at } from '../../src/at.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { type DataProfile, profileSql, runProfile } from '../../src/query/profile.js';
import { reportProblem } from '../../src/report/json.js';
import { sampleReport } from '../../src/report/sample-report.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';

const url = inject('databaseUrl');
const suffix = randomBytes(4).toString('hex');

const LOADS = [
  { label: 'tiny', schema: `it_prof_tiny_${suffix}`, scenario: loadScenario('tiny') },
  {
    label: 'black-friday, 3 hours',
    schema: `it_prof_bf_${suffix}`,
    scenario: applyOverrides(loadScenario('black-friday'), { hours: 3 }),
  },
];

let db: pg.Client;
const loaded = new Map<string, { plan: Plan; profile: DataProfile }>();

beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
  for (const l of LOADS) {
    const plan = buildPlan(l.scenario);
    await runLoad({ plan, target: { kind: 'db', url, schema: l.schema }, jobs: 2, reset: true });
    loaded.set(l.schema, { plan, profile: await runProfile(db, l.schema, plan) });
  }
}, 300_000);

afterAll(async () => {
  for (const l of LOADS) await db.query(`DROP SCHEMA IF EXISTS ${ident(l.schema)} CASCADE`);
  await db.end();
});

const num = (v: unknown): number => Number(v);

describe.each(LOADS)('the data profile of $label', ({ schema }) => {
  const T = (name: string): string => qualified(schema, name);
  const get = (): { plan: Plan; profile: DataProfile } => {
    const x = loaded.get(schema);
    if (x === undefined) throw new Error(`${schema} was not loaded`);
    return x;
  };

  it('counts the orders, paid orders and revenue of every hour, against the plan and its curve', async () => {
    const { plan, profile } = get();
    const { rows } = await db.query<{ h: number; n: string; paid: string; revenue: string | null }>(
      `SELECT floor(extract(epoch FROM event_time - $1::timestamptz) / 3600)::int AS h, count(*) AS n,
              count(*) FILTER (WHERE status = 'paid') AS paid, sum(total) FILTER (WHERE status = 'paid') AS revenue
       FROM ${T('shop_order')} GROUP BY 1 ORDER BY 1`,
      [new Date(plan.start).toISOString()],
    );
    expect(profile.hours).toHaveLength(plan.hours);
    const direct = new Map(rows.map((r) => [r.h, r]));
    profile.hours.forEach((h, i) => {
      const r = direct.get(i);
      expect(h.start).toBe(new Date(plan.start + i * HOUR_MS).toISOString());
      expect(h.orders, h.start).toBe(num(r?.n ?? 0));
      expect(h.paidOrders, h.start).toBe(num(r?.paid ?? 0));
      expect(h.revenue, h.start).toBeCloseTo(num(r?.revenue ?? 0), 2);
      expect(h.plannedOrders).toBe(at(plan.orders, i));
      // the generator draws the curve with +-5% noise
      expect(Math.abs(h.plannedOrders - h.expectedOrders)).toBeLessThanOrEqual(h.expectedOrders * 0.05 + 1);
    });
    expect(profile.currencies).toEqual(['USD']);
  });

  it('has the status mixes and the funnel of the rows', async () => {
    const { profile } = get();
    const mix = async (sql: string): Promise<Record<string, number>> =>
      Object.fromEntries((await db.query<{ k: string; n: string }>(sql)).rows.map((r) => [r.k, num(r.n)]));
    const asRecord = (s: { name: string; count: number }[]): Record<string, number> =>
      Object.fromEntries(s.map((x) => [x.name, x.count]));
    const orders = await mix(`SELECT status AS k, count(*) AS n FROM ${T('shop_order')} GROUP BY 1`);
    expect(asRecord(profile.orderStatus)).toEqual(orders);
    expect(asRecord(profile.payments)).toEqual(
      await mix(
        `SELECT CASE WHEN failure_reason IS NULL THEN status ELSE status || ': ' || failure_reason END AS k,
                count(*) AS n FROM ${T('shop_order_payment')} GROUP BY 1`,
      ),
    );
    expect(asRecord(profile.apiStatus)).toEqual(
      await mix(`SELECT status_code::text AS k, count(*) AS n FROM ${T('request_response_log')} GROUP BY 1`),
    );
    const checkouts = num(
      (await db.query(`SELECT count(DISTINCT shop_order_id) AS n FROM ${T('shop_order_payment')}`)).rows[0].n,
    );
    expect(profile.funnel.map((s) => s.count)).toEqual([
      Object.values(orders).reduce((a, b) => a + b, 0),
      checkouts,
      orders.paid ?? 0,
    ]);
  });

  it('names the top products by revenue in paid orders, and the rest', async () => {
    const { profile } = get();
    const { rows } = await db.query<{ id: string; name: string; revenue: string; units: string }>(
      `SELECT i.shop_product_id::text AS id, min(p.name) AS name, sum(i.line_total) AS revenue, sum(i.quantity) AS units
       FROM ${T('shop_order_item')} i
       JOIN ${T('shop_order')} o ON o.id = i.shop_order_id AND o.status = 'paid'
       JOIN ${T('shop_product')} p ON p.id = i.shop_product_id
       GROUP BY 1 ORDER BY 3 DESC, 1`,
    );
    const top = profile.topProducts;
    expect(top.productsSold).toBe(rows.length);
    expect(top.products.map((p) => [p.id, p.name, p.revenue, p.units])).toEqual(
      rows.slice(0, 10).map((r) => [r.id, r.name, num(r.revenue), num(r.units)]),
    );
    const all = rows.reduce((a, r) => a + num(r.revenue), 0);
    const rest = rows.slice(10).reduce((a, r) => a + num(r.revenue), 0);
    expect(top.revenue).toBeCloseTo(all, 2);
    expect(top.restRevenue).toBeCloseTo(rest, 2);
    // line totals are before the order's promotion discount: they add up to the paid orders' subtotals
    const subtotals = await db.query<{ s: string }>(
      `SELECT sum(subtotal) AS s FROM ${T('shop_order')} WHERE status = 'paid'`,
    );
    expect(top.revenue).toBeCloseTo(num(subtotals.rows[0]?.s), 2);
  });

  it('has the request count, errors and latency percentiles of every hour', async () => {
    const { plan, profile } = get();
    const { rows } = await db.query<{ h: number; n: string; e: string; s: string; p50: number; p95: number }>(
      `SELECT floor(extract(epoch FROM event_time - $1::timestamptz) / 3600)::int AS h, count(*) AS n,
              count(*) FILTER (WHERE status_code >= 400) AS e, count(*) FILTER (WHERE status_code >= 500) AS s,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
       FROM ${T('request_response_log')} GROUP BY 1 ORDER BY 1`,
      [new Date(plan.start).toISOString()],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const h = at(profile.hours, r.h);
      expect([h.requests, h.errors, h.serverErrors, h.latencyP50, h.latencyP95], h.start).toEqual([
        num(r.n),
        num(r.e),
        num(r.s),
        r.p50,
        r.p95,
      ]);
    }
  });

  it('reads only the partitions of the window, and says what each query cost', async () => {
    const { plan, profile } = get();
    expect(profile.queries.map((q) => q.name)).toEqual(['orders', 'payments', 'topProducts', 'api']);
    expect(profile.ms).toBeCloseTo(
      profile.queries.reduce((a, q) => a + q.ms, 0),
      6,
    );
    // a partition for the hour before the window: the profile's plans must prune it
    const before = new Date(plan.start - HOUR_MS).toISOString();
    const start = new Date(plan.start).toISOString();
    await db.query('BEGIN');
    try {
      for (const t of [
        'shop_order',
        'shop_order_item',
        'shop_order_payment',
        'shop_product',
        'request_response_log',
      ]) {
        await db.query(
          `CREATE TABLE ${qualified(schema, `${t}_before`)} PARTITION OF ${T(t)}
           FOR VALUES FROM ('${before}') TO ('${start}')`,
        );
      }
      for (const [name, sql] of Object.entries(profileSql(schema))) {
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [
          start,
          new Date(plan.start + plan.hours * HOUR_MS).toISOString(),
        ]);
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(text, name).not.toMatch(/_before\b/);
      }
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('validates in a report against the JSON schema', () => {
    const report = sampleReport();
    report.profile = get().profile;
    expect(reportProblem(JSON.parse(JSON.stringify(report)))).toBeNull();
  });
});
