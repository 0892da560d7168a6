/**
 * The load report's data profile (src/query/profile.ts) on loaded `tiny` and 3 hours of `black-friday`:
 * every figure agrees with a direct count of its own written here another way (per hour, per status, per
 * product, per session; money summed per currency here and converted in JS), the curve is the scenario's,
 * each query reads only the window's partitions, and a report carrying the profile validates against the
 * JSON schema. The profile is also run with EUR as the reporting currency on the same rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at } from '../../src/at.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { CURRENCIES } from '../../src/model/currencies.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { type DataProfile, runProfile } from '../../src/query/profile.js';
import { profileSql } from '../../src/query/profile-sql.js';
import { reportProblem } from '../../src/report/json.js';
import { sampleReport } from '../../src/report/sample-report.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';

const url = inject('databaseUrl');
const suffix = randomBytes(4).toString('hex');

const LOADS = [
  { label: 'tiny', schema: `it_prof_tiny_${suffix}`, scenario: loadScenario('tiny') },
  {
    label: 'black-friday, 3 hours at scale 0.3',
    schema: `it_prof_bf_${suffix}`,
    // a third of the population (sized for 72 h of buyers): the profile's figures, not the volume, are tested
    scenario: applyOverrides(loadScenario('black-friday'), { hours: 3, scale: 0.3 }),
  },
];

let db: pg.Client;
interface Loaded {
  plan: Plan;
  profile: DataProfile;
  /** the same rows profiled with EUR as the reporting currency */
  eur: DataProfile;
}
const loaded = new Map<string, Loaded>();

beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
  for (const l of LOADS) {
    const plan = buildPlan(l.scenario);
    await runLoad({ plan, target: { kind: 'db', url, schema: l.schema }, jobs: 2, reset: true });
    const eurPlan: Plan = { ...plan, scenario: { ...plan.scenario, reportingCurrency: 'EUR' } };
    loaded.set(l.schema, {
      plan,
      profile: await runProfile(db, l.schema, plan),
      eur: await runProfile(db, l.schema, eurPlan),
    });
  }
}, 300_000);

afterAll(async () => {
  for (const l of LOADS) await db.query(`DROP SCHEMA IF EXISTS ${ident(l.schema)} CASCADE`);
  await db.end();
});

const num = (v: unknown): number => Number(v);

/** An amount of `currency` in `reporting`, at src/model/currencies.ts's rates, converted here in JS. */
function convert(amount: number, currency: string, reporting: string): number {
  const usd = (code: string): number => {
    const c = CURRENCIES.find((x) => x.code === code);
    if (c === undefined) throw new Error(`no rate for ${code}`);
    return c.usd;
  };
  return (amount * usd(currency)) / usd(reporting);
}

const PAID = `('paid', 'refunded', 'returned')`;

describe.each(LOADS)('the data profile of $label', ({ label, schema }) => {
  const T = (name: string): string => qualified(schema, name);
  const get = (): Loaded => {
    const x = loaded.get(schema);
    if (x === undefined) throw new Error(`${schema} was not loaded`);
    return x;
  };
  const hourOf = `floor(extract(epoch FROM event_time - $1::timestamptz) / 3600)::int`;

  it('counts the orders, paid orders, revenue and refunds of every hour, in the reporting currency', async () => {
    const { plan, profile, eur } = get();
    const { rows } = await db.query<{
      h: number;
      currency: string;
      n: string;
      paid: string;
      revenue: string | null;
      refunded: string | null;
    }>(
      `SELECT ${hourOf} AS h, currency, count(*) AS n,
              count(*) FILTER (WHERE status IN ${PAID}) AS paid,
              sum(subtotal - discount) FILTER (WHERE status IN ${PAID}) AS revenue,
              sum(subtotal - discount) FILTER (WHERE status IN ('refunded', 'returned')) AS refunded
       FROM ${T('shop_order')} GROUP BY 1, 2`,
      [new Date(plan.start).toISOString()],
    );
    expect(profile.hours).toHaveLength(plan.hours);
    expect(profile.reportingCurrency).toBe(plan.scenario.reportingCurrency);
    expect(eur.reportingCurrency).toBe('EUR');
    const direct = (i: number, reporting: string) => {
      const mine = rows.filter((r) => r.h === i);
      const money = (k: 'revenue' | 'refunded'): number =>
        mine.reduce((a, r) => a + convert(num(r[k] ?? 0), r.currency, reporting), 0);
      return {
        n: mine.reduce((a, r) => a + num(r.n), 0),
        paid: mine.reduce((a, r) => a + num(r.paid), 0),
        revenue: money('revenue'),
        refunded: money('refunded'),
      };
    };
    profile.hours.forEach((h, i) => {
      const r = direct(i, profile.reportingCurrency);
      expect(h.start).toBe(new Date(plan.start + i * HOUR_MS).toISOString());
      expect(h.orders, h.start).toBe(r.n);
      expect(h.paidOrders, h.start).toBe(r.paid);
      expect(h.revenue, h.start).toBeCloseTo(r.revenue, 1);
      expect(h.refunded, h.start).toBeCloseTo(r.refunded, 1);
      expect(h.plannedOrders).toBe(at(plan.orders, i));
      // the generator draws the curve with +-5% noise
      expect(Math.abs(h.plannedOrders - h.expectedOrders)).toBeLessThanOrEqual(h.expectedOrders * 0.05 + 1);
      const e = at(eur.hours, i);
      expect([e.orders, e.paidOrders]).toEqual([h.orders, h.paidOrders]);
      expect(e.revenue, h.start).toBeCloseTo(direct(i, 'EUR').revenue, 1);
    });
    const currencies = [...new Set(rows.map((r) => r.currency))].sort();
    expect(profile.currencies).toEqual(currencies);
    // the rows are not all in the reporting currency: the conversion is exercised
    expect(currencies.length).toBeGreaterThan(1);
    expect(profile.hours.reduce((a, h) => a + h.revenue, 0)).toBeGreaterThan(0);
  });

  it('has the status mixes (out-of-stock carts apart), the refunds and returns', async () => {
    const { profile } = get();
    const mix = async (sql: string): Promise<Record<string, number>> =>
      Object.fromEntries((await db.query<{ k: string; n: string }>(sql)).rows.map((r) => [r.k, num(r.n)]));
    const asRecord = (s: { name: string; count: number }[]): Record<string, number> =>
      Object.fromEntries(s.map((x) => [x.name, x.count]));
    const orders = await mix(
      `SELECT CASE WHEN extra_data ? 'reason' THEN status || ': ' || (extra_data->>'reason') ELSE status END AS k,
              count(*) AS n FROM ${T('shop_order')} GROUP BY 1`,
    );
    expect(asRecord(profile.orderStatus)).toEqual(orders);
    expect(Object.keys(orders)).toContain('paid');
    // tiny refunds and returns an hour or two after the order: its window has some
    if (label === 'tiny') expect(profile.refunds.reduce((a, r) => a + r.count, 0)).toBeGreaterThan(0);
    expect(asRecord(profile.payments)).toEqual(
      await mix(
        `SELECT CASE WHEN failure_reason IS NULL THEN status ELSE status || ': ' || failure_reason END AS k,
                count(*) AS n FROM ${T('shop_order_payment')} GROUP BY 1`,
      ),
    );
    expect(asRecord(profile.apiStatus)).toEqual(
      await mix(`SELECT status_code::text AS k, count(*) AS n FROM ${T('request_response_log')} GROUP BY 1`),
    );
    const { rows } = await db.query<{ status: string; currency: string; n: string; v: string }>(
      `SELECT status, currency, count(*) AS n, sum(subtotal - discount) AS v FROM ${T('shop_order')}
       WHERE status IN ('refunded', 'returned') GROUP BY 1, 2`,
    );
    for (const name of ['refunded', 'returned']) {
      const mine = rows.filter((r) => r.status === name);
      const r = profile.refunds.find((x) => x.name === name);
      expect(r?.count, name).toBe(mine.reduce((a, x) => a + num(x.n), 0));
      expect(r?.value, name).toBeCloseTo(
        mine.reduce((a, x) => a + convert(num(x.v), x.currency, profile.reportingCurrency), 0),
        1,
      );
    }
  });

  it('estimates the funnel of human sessions from the sampled log, and counts the bots apart', async () => {
    const { profile } = get();
    // per stage: the distinct sessions with such a request, each weighing 1 / its sample_rate
    const stage = async (where: string): Promise<number> => {
      const { rows } = await db.query<{ w: number | null }>(
        `SELECT sum(1 / rate) AS w FROM (
           SELECT DISTINCT extra_data->>'session' AS session, (extra_data->>'sample_rate')::float8 AS rate
           FROM ${T('request_response_log')}
           WHERE NOT (extra_data->>'bot')::boolean AND ${where}) s`,
      );
      return Math.round(rows[0]?.w ?? 0);
    };
    expect(profile.funnel.map((s) => s.name)).toEqual([
      'human sessions',
      'viewed a product',
      'added to a cart',
      'reached checkout',
      'paid',
    ]);
    expect(profile.funnel.map((s) => s.count)).toEqual([
      await stage('true'),
      await stage(`path = '/api/products/{id}' AND method = 'GET' AND status_code = 200`),
      await stage(`path = '/api/cart/items' AND method = 'POST' AND status_code = 201`),
      await stage(`path = '/api/checkout' AND method = 'POST'`),
      await stage(`path = '/api/payments' AND method = 'POST' AND status_code = 201`),
    ]);
    const counts = profile.funnel.map((s) => s.count);
    // each stage is reached by fewer sessions than the one before
    for (let i = 1; i < counts.length; i++) expect(at(counts, i)).toBeLessThanOrEqual(at(counts, i - 1));
    expect(at(counts, 1)).toBeGreaterThan(0);
    const { rows } = await db.query<{ bot: boolean; sessions: string; requests: string; rate: number }>(
      `SELECT (extra_data->>'bot')::boolean AS bot, count(DISTINCT extra_data->>'session') AS sessions,
              count(*) AS requests, min((extra_data->>'sample_rate')::float8) AS rate
       FROM ${T('request_response_log')} GROUP BY 1`,
    );
    const bots = rows.find((r) => r.bot);
    const t = profile.traffic;
    expect(t.sessions).toBe(rows.reduce((a, r) => a + num(r.sessions), 0));
    expect(t.requests).toBe(rows.reduce((a, r) => a + num(r.requests), 0));
    expect([t.botSessions, t.botRequests]).toEqual([num(bots?.sessions ?? 0), num(bots?.requests ?? 0)]);
    expect(t.sampleRate).toBe(Math.min(...rows.map((r) => r.rate)));
    // the estimate of paid sessions is near the paid orders: within 5 standard deviations of the sampling
    const paidOrders = profile.hours.reduce((a, h) => a + h.paidOrders, 0);
    const sd = Math.sqrt((paidOrders * (1 - t.sampleRate)) / t.sampleRate);
    expect(Math.abs(at(counts, 4) - paidOrders)).toBeLessThanOrEqual(5 * sd + 1 / t.sampleRate);
  });

  it('names the top products by revenue in paid orders, after line discounts, and the rest', async () => {
    const { profile, eur } = get();
    const { rows } = await db.query<{
      id: string;
      name: string;
      currency: string;
      revenue: string;
      units: string;
    }>(
      `SELECT i.shop_product_id::text AS id, min(p.name) AS name, min(o.currency) AS currency,
              sum(i.line_total) - sum(i.discount) AS revenue, sum(i.quantity) AS units
       FROM ${T('shop_order_item')} i
       JOIN ${T('shop_order')} o ON o.id = i.shop_order_id AND o.status IN ${PAID}
       JOIN ${T('shop_product')} p ON p.id = i.shop_product_id
       GROUP BY 1`,
    );
    for (const [p, reporting] of [
      [profile, profile.reportingCurrency],
      [eur, 'EUR'],
    ] as const) {
      const ranked = rows
        .map((r) => ({ ...r, v: convert(num(r.revenue), r.currency, reporting) }))
        .sort((a, b) => b.v - a.v || (a.id < b.id ? -1 : 1));
      const top = p.topProducts;
      expect(top.productsSold).toBe(rows.length);
      expect(top.products.map((x) => [x.id, x.name, x.units])).toEqual(
        ranked.slice(0, 10).map((r) => [r.id, r.name, num(r.units)]),
      );
      for (const [i, x] of top.products.entries()) expect(x.revenue, x.id).toBeCloseTo(at(ranked, i).v, 1);
      const all = ranked.reduce((a, r) => a + r.v, 0);
      expect(top.revenue).toBeCloseTo(all, 0);
      expect(top.restRevenue).toBeCloseTo(
        ranked.slice(10).reduce((a, r) => a + r.v, 0),
        0,
      );
      // line totals less line discounts add up to the orders' subtotal - discount (their totals without the US
      // and Canadian sales tax): the revenue per hour
      expect(top.revenue).toBeCloseTo(
        p.hours.reduce((a, h) => a + h.revenue, 0),
        0,
      );
    }
  });

  it('has the request count, errors, 429s and latency percentiles of every hour', async () => {
    const { plan, profile } = get();
    const { rows } = await db.query<{
      h: number;
      n: string;
      e: string;
      s: string;
      l: string;
      p50: number;
      p95: number;
    }>(
      `SELECT ${hourOf} AS h, count(*) AS n,
              count(*) FILTER (WHERE status_code >= 400) AS e, count(*) FILTER (WHERE status_code >= 500) AS s,
              count(*) FILTER (WHERE status_code = 429) AS l,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
       FROM ${T('request_response_log')} GROUP BY 1 ORDER BY 1`,
      [new Date(plan.start).toISOString()],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const h = at(profile.hours, r.h);
      expect(
        [h.requests, h.errors, h.serverErrors, h.rateLimited, h.latencyP50, h.latencyP95],
        h.start,
      ).toEqual([num(r.n), num(r.e), num(r.s), num(r.l), r.p50, r.p95]);
    }
  });

  it('reads only the partitions of the window, and says what each query cost', async () => {
    const { plan, profile } = get();
    expect(profile.queries.map((q) => q.name)).toEqual([
      'orders',
      'payments',
      'topProducts',
      'api',
      'funnel',
    ]);
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
      for (const [name, sql] of Object.entries(profileSql(schema, plan.scenario.reportingCurrency))) {
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [
          start,
          new Date(plan.start + plan.hours * HOUR_MS).toISOString(),
        ]);
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(text, name).not.toMatch(/_before\b/);
        // one pass: no subquery run per row
        expect(text, name).not.toMatch(/SubPlan/);
        // nor an index probed per row: runProfile set db's session to hash joins (src/db/one-pass.ts)
        expect(text, name).not.toMatch(/Nested Loop/);
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
