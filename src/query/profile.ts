/**
 * The data profile: what the loaded rows look like, so a user sees the scenario's shape before writing a
 * query (issue 8, "Show the data"). Orders and revenue per hour against the scenario's curve (money in the
 * scenario's reporting currency), refunds and returns, the order, payment and API status mixes, the top
 * products' share of revenue, API latency and the 429 and 5xx shares per hour, and the browsing funnel of the
 * request log (its sampled sessions weighted up to all sessions).
 *
 * The SQL is in profile-sql.ts (one pass per query, window-bounded for pruning). The queries run one after
 * the other on one connection after the load, each timed on its own: the profile's time is reported apart
 * from the load's.
 */

import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { at } from '../at.js';
import { ONE_PASS_SETTINGS } from '../db/one-pass.js';
import { planEnd } from '../generate/index.js';
import { expectedArrivals, type Plan } from '../generate/plan.js';
import { HOUR_MS } from '../time-units.js';
import { type ProfileQueryName, profileSql, SUCCEEDED } from './profile-sql.js';

/** A named count: a status, a status and its reason, an HTTP status code, a funnel stage. */
export interface Share {
  name: string;
  count: number;
}

export interface ProfileHour {
  /** ISO start of the hour */
  start: string;
  /** the scenario's curve: rate x scale x rhythm x events, before the generator's noise and rounding */
  expectedOrders: number;
  /** the plan's order count of the hour (the curve with noise, rounded): what the generator wrote */
  plannedOrders: number;
  /** shop_order rows of the hour, whatever their status */
  orders: number;
  /** orders whose payment succeeded: paid, refunded and returned */
  paidOrders: number;
  /** sum of those orders' totals in the reporting currency, before refunds */
  revenue: number;
  /** sum of the totals of the hour's orders refunded or returned by the window end, reporting currency */
  refunded: number;
  /** request_response_log rows of the hour (the logged sample of sessions) */
  requests: number;
  /** requests answered with status 400 and above, and 500 and above */
  errors: number;
  serverErrors: number;
  /** requests answered 429 (rate limited) */
  rateLimited: number;
  /** latency_ms percentiles of the hour's requests (0 when there are none) */
  latencyP50: number;
  latencyP95: number;
}

export interface TopProduct {
  id: string;
  name: string;
  /** sum of line_total - discount in the orders whose payment succeeded, reporting currency */
  revenue: number;
  units: number;
}

export interface ProfileQuery {
  name: string;
  ms: number;
  /** rows the query returned */
  rows: number;
}

/** Orders refunded or returned by the window end: how many, and their totals in the reporting currency. */
export interface Refunds {
  name: string;
  count: number;
  value: number;
}

/** What request_response_log holds: logged sessions and requests, humans and bots. */
export interface Traffic {
  /** the smallest extra_data.sample_rate of the logged sessions (1 when the log has none) */
  sampleRate: number;
  sessions: number;
  botSessions: number;
  requests: number;
  botRequests: number;
}

export interface DataProfile {
  schema: string;
  /** all the profile's queries, one after the other */
  ms: number;
  queries: ProfileQuery[];
  /** the currency every amount of the profile is in (the scenario's reporting_currency) */
  reportingCurrency: string;
  /** the shops' currencies of the orders, each converted at src/model/currencies.ts's fixed rate */
  currencies: string[];
  hours: ProfileHour[];
  /** shop_order rows by status, and by reason where the order gives one: `abandoned: out_of_stock` */
  orderStatus: Share[];
  /** paid orders later refunded, and returned: count and value */
  refunds: Refunds[];
  /** shop_order_payment rows by status, failures by reason: `failed: expired_card` */
  payments: Share[];
  /** the 10 products with the most revenue in orders whose payment succeeded (after line discounts), and the rest */
  topProducts: { products: TopProduct[]; productsSold: number; revenue: number; restRevenue: number };
  /** request_response_log rows by status code */
  apiStatus: Share[];
  /**
   * Human sessions estimated from the log (each logged session weighted by 1 / sample_rate): all, viewed a
   * product, added to a cart, reached checkout, paid
   */
  funnel: Share[];
  traffic: Traffic;
}

const byCount = (m: Map<string, number>): Share[] =>
  [...m.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));

const add = (m: Map<string, number>, k: string, n: number): void => {
  m.set(k, (m.get(k) ?? 0) + n);
};

const SUCCEEDED_SET: ReadonlySet<string> = new Set(SUCCEEDED);
const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * Runs the profile's queries on `client` over the plan's window of `schema`, with the one-pass planner settings
 * set on its session (src/db/one-pass.ts).
 */
export async function runProfile(client: pg.ClientBase, schema: string, plan: Plan): Promise<DataProfile> {
  const reportingCurrency = plan.scenario.reportingCurrency;
  const sql = profileSql(schema, reportingCurrency);
  const params = [new Date(plan.start).toISOString(), new Date(planEnd(plan)).toISOString()];
  const queries: ProfileQuery[] = [];
  // hash joins, not a nested loop probing an index per row on a schema without statistics (src/db/one-pass.ts)
  for (const set of ONE_PASS_SETTINGS) await client.query(`SET ${set}`);
  const run = async <R extends pg.QueryResultRow>(name: ProfileQueryName): Promise<R[]> => {
    const t0 = performance.now();
    const res = await client.query<R>(sql[name], params);
    queries.push({ name, ms: performance.now() - t0, rows: res.rows.length });
    return res.rows;
  };

  const hours: ProfileHour[] = Array.from({ length: plan.hours }, (_, h) => ({
    start: new Date(plan.start + h * HOUR_MS).toISOString(),
    expectedOrders: expectedArrivals(plan.scenario, 'orders', h),
    plannedOrders: at(plan.orders, h),
    orders: 0,
    paidOrders: 0,
    revenue: 0,
    refunded: 0,
    requests: 0,
    errors: 0,
    serverErrors: 0,
    rateLimited: 0,
    latencyP50: 0,
    latencyP95: 0,
  }));
  const hourOf = (t: Date): ProfileHour => at(hours, Math.floor((t.getTime() - plan.start) / HOUR_MS));

  const orderStatus = new Map<string, number>();
  const refunds = new Map<string, Refunds>([
    ['refunded', { name: 'refunded', count: 0, value: 0 }],
    ['returned', { name: 'returned', count: 0, value: 0 }],
  ]);
  const currencies = new Set<string>();
  for (const r of await run<{
    hour: Date;
    status: string;
    reason: string;
    currency: string;
    known: boolean;
    n: number;
    net: number;
  }>('orders')) {
    // the generator writes only currencies of src/model/currencies.ts: another one is a bug, not data to sum
    if (!r.known)
      throw new Error(`shop_order has currency ${r.currency}, which has no rate in currencies.ts`);
    const h = hourOf(r.hour);
    h.orders += r.n;
    add(orderStatus, r.reason === '' ? r.status : `${r.status}: ${r.reason}`, r.n);
    currencies.add(r.currency);
    if (SUCCEEDED_SET.has(r.status)) {
      h.paidOrders += r.n;
      h.revenue += r.net;
    }
    const refund = refunds.get(r.status);
    if (refund) {
      refund.count += r.n;
      refund.value += r.net;
      h.refunded += r.net;
    }
  }
  for (const h of hours) {
    h.revenue = cents(h.revenue);
    h.refunded = cents(h.refunded);
  }

  const payments = (await run<{ status: string; reason: string; n: number }>('payments')).map((r) => ({
    name: r.reason === '' ? r.status : `${r.status}: ${r.reason}`,
    count: r.n,
  }));

  const top = await run<{
    id: string;
    name: string;
    revenue: number;
    units: number;
    all_revenue: number;
    products: number;
  }>('topProducts');
  const products = top.map(({ id, name, revenue, units }) => ({ id, name, revenue: cents(revenue), units }));
  const allRevenue = cents(top[0]?.all_revenue ?? 0);
  const topRevenue = products.reduce((a, p) => a + p.revenue, 0);

  const apiStatus = new Map<string, number>();
  for (const r of await run<{
    hour: Date | null;
    status_code: number | null;
    n: number;
    errors: number;
    server_errors: number;
    rate_limited: number;
    p50: number;
    p95: number;
  }>('api')) {
    if (r.hour !== null) {
      const h = hourOf(r.hour);
      h.requests = r.n;
      h.errors = r.errors;
      h.serverErrors = r.server_errors;
      h.rateLimited = r.rate_limited;
      h.latencyP50 = r.p50;
      h.latencyP95 = r.p95;
    } else if (r.status_code !== null) {
      add(apiStatus, String(r.status_code), r.n);
    }
  }

  const traffic: Traffic = { sampleRate: 1, sessions: 0, botSessions: 0, requests: 0, botRequests: 0 };
  const stages = { weighted: 0, viewed: 0, carted: 0, checkout: 0, paid: 0 };
  for (const r of await run<{
    bot: boolean;
    sessions: number;
    requests: number;
    rate: number;
    weighted: number;
    viewed: number;
    carted: number;
    checkout: number;
    paid: number;
  }>('funnel')) {
    traffic.sampleRate = Math.min(traffic.sampleRate, r.rate);
    traffic.sessions += r.sessions;
    traffic.requests += r.requests;
    if (r.bot) {
      traffic.botSessions += r.sessions;
      traffic.botRequests += r.requests;
    } else {
      for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k] = r[k];
    }
  }

  return {
    schema,
    ms: queries.reduce((a, q) => a + q.ms, 0),
    queries,
    reportingCurrency,
    currencies: [...currencies].sort(),
    hours,
    orderStatus: byCount(orderStatus),
    refunds: [...refunds.values()].map((x) => ({ ...x, value: cents(x.value) })),
    payments,
    topProducts: {
      products,
      productsSold: top[0]?.products ?? 0,
      revenue: allRevenue,
      // the rest by difference, clamped: float sums of the same amounts may differ in the last digit
      restRevenue: Math.max(0, cents(allRevenue - topRevenue)),
    },
    apiStatus: byCount(apiStatus),
    // estimates of all sessions: weights are 1 / sample_rate, rounded to whole sessions
    funnel: [
      { name: 'human sessions', count: Math.round(stages.weighted) },
      { name: 'viewed a product', count: Math.round(stages.viewed) },
      { name: 'added to a cart', count: Math.round(stages.carted) },
      { name: 'reached checkout', count: Math.round(stages.checkout) },
      { name: 'paid', count: Math.round(stages.paid) },
    ],
    traffic,
  };
}
