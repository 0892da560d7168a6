/**
 * Rows of a chunk estimated from the plan alone, without generating them (issue 10 §2: `--shard K/N` balances
 * shards by rows, and hour 0 holds the pre-window population). Exact for the population and arrival tables
 * (users, shops, products, promotions, orders, reviews: the plan has their counts); per order from the
 * scenario's funnel for what follows an order; per logged session for the request log; a saturating count of
 * the users, shops and products active in a bucket for the metric tables. Measured against the generated rows
 * (test/unit/shard.test.ts): within ~15% per table on black-friday, steady-week and tiny.
 *
 * Every estimate is an integer made with + - * / only (no Math.exp or pow, whose last bit may differ between
 * engines): N machines splitting the same run compute the same figures and so the same shards.
 */
import { at } from '../at.js';
import { ENTITY_TYPES } from '../model/entity-types.js';
import { METRIC_TABLES } from '../model/metrics.js';
import type { Chunk } from '../model/partitions.js';
import type { TableName } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import { RETRY_SHARE } from './order-draw.js';
import type { Plan } from './plan-type.js';

/** logged requests per logged session (measured: 5.6-5.7 on black-friday, steady-week and tiny) */
const REQUESTS_PER_SESSION = 5.7;
/** global_event rows per order (order, payment, invoice, stock events...; measured 3.1-3.6) */
const EVENTS_PER_ORDER = 3.2;
/** users active in an hour: every buyer, and signed-in logged sessions */
const USERS_PER_SESSION = 0.31;
/** shops and products touched per logged session (views, carts), before saturation */
const SHOPS_PER_SESSION = 1;
const PRODUCTS_PER_SESSION = 2.1;
/**
 * Popularity is skewed (zipf): the distinct products of a day saturate at a fraction of all of them, as if
 * only this share of them were drawn from.
 */
const PRODUCT_REACH = 0.6;
/** users active at all (the others churned or were banned before the window) */
const ACTIVE_USERS = 0.8;

/** e^-x for x >= 0 by (1 - x/1024)^1024: ten squarings, the same bits on every machine */
function expNeg(x: number): number {
  if (x >= 1024) return 0;
  let r = 1 - x / 1024;
  for (let i = 0; i < 10; i++) r *= r;
  return r;
}

/** distinct entities hit by `draws` uniform draws among `of` */
function distinct(of: number, draws: number): number {
  return of <= 0 ? 0 : of * (1 - expNeg(draws / of));
}

function mean(w: { values: number[]; weights: number[] }): number {
  let m = 0;
  w.values.forEach((v, i) => {
    m += v * (w.weights[i] ?? 0);
  });
  return m;
}

/** the per-hour figures of a plan that the estimates read, computed once per plan */
interface Rates {
  items: number;
  payments: number;
  paid: number;
  methods: number;
  /** logged sessions per order */
  logged: number;
}

function rates(plan: Plan): Rates {
  const s = plan.scenario;
  const d = s.distributions;
  const f = d.paymentFailureRate;
  // attempt a is made when the a before failed and the buyer tried again each time (expired cards aside)
  let attempts = 0;
  let reach = 1;
  for (let a = 0; a <= d.paymentMaxRetries; a++) {
    attempts += reach;
    reach *= f * RETRY_SHARE;
  }
  const open = 1 - d.cartAbandonmentRate;
  const cr = Math.max(1e-6, Math.min(1, d.conversionRate));
  return {
    items: mean(d.itemsPerOrder),
    payments: open * attempts,
    paid: open * (1 - f) * attempts,
    methods: (s.population.paymentMethodsPerUser.min + s.population.paymentMethodsPerUser.max) / 2,
    logged: (1 / cr) * (1 + d.botShare) * d.logSampleRate,
  };
}

const arrived = (before: Float64Array, base: number, h: number): number =>
  at(before, h + 1) - at(before, h) + (h === 0 ? base : 0);

/** Estimated rows of one table in window hour h (hourly tables), or 0 for the metric tables. */
function hourRows(plan: Plan, r: Rates, name: TableName, h: number): number {
  const o = at(plan.orders, h);
  const users = arrived(plan.usersBefore, plan.users0, h);
  switch (name) {
    case 'users':
      return users;
    case 'user_payment_method':
      return users * r.methods;
    case 'shop':
      return arrived(plan.shopsBefore, plan.shops0, h);
    case 'shop_product':
      return arrived(plan.productsBefore, plan.products0, h);
    case 'shop_promotion':
      return arrived(plan.promotionsBefore, plan.promotions0, h);
    case 'shop_order':
      return o;
    case 'shop_order_item':
      return o * r.items;
    case 'shop_order_payment':
      return o * r.payments;
    case 'invoice':
    case 'invoice_payment':
      return o * r.paid;
    case 'shop_review':
      return at(plan.reviews, h) * r.paid;
    case 'shop_inventory_log':
      return o * r.items * r.paid;
    case 'request_response_log':
      return o * r.logged * REQUESTS_PER_SESSION;
    case 'global_event':
      return o * EVENTS_PER_ORDER;
    case 'global_entity': {
      let n = 0;
      for (const t of ENTITY_TABLES) n += hourRows(plan, r, t, h);
      return n;
    }
    default:
      return 0;
  }
}

/** the tables whose rows are registered in global_entity, a row each: the model's entity types, by table name */
const ENTITY_TABLES = ENTITY_TYPES.map((t) => (t === 'user' ? 'users' : t)) satisfies readonly TableName[];

/** Estimated metric rows of the window hours [a, b): one bucket per hour or one for all of them (daily). */
function metricRows(plan: Plan, r: Rates, name: TableName, a: number, b: number): number {
  const users = at(plan.usersBefore, b) * ACTIVE_USERS;
  const shops = at(plan.shopsBefore, b);
  const products = at(plan.productsBefore, b);
  let hourly = 0;
  let draws = 0;
  for (let h = a; h < b; h++) {
    const o = at(plan.orders, h);
    const logged = o * r.logged;
    switch (name) {
      case 'user_metrics_hourly':
        hourly += Math.min(users, o + logged * USERS_PER_SESSION);
        break;
      case 'user_metrics_daily':
        draws += o + logged * USERS_PER_SESSION;
        break;
      case 'shop_metrics_hourly':
        hourly += distinct(shops, logged * SHOPS_PER_SESSION);
        break;
      case 'shop_metrics_daily':
        draws += logged * SHOPS_PER_SESSION;
        break;
      case 'shop_product_metrics_hourly':
        hourly += distinct(products, logged * PRODUCTS_PER_SESSION);
        break;
      case 'shop_product_metrics_daily':
        draws += logged * PRODUCTS_PER_SESSION;
        break;
      default:
        return 0;
    }
  }
  switch (name) {
    case 'user_metrics_daily':
      return distinct(users, draws);
    case 'shop_metrics_daily':
      return distinct(shops, draws);
    case 'shop_product_metrics_daily':
      return distinct(products * PRODUCT_REACH, draws);
    default:
      return hourly;
  }
}

/** the hourly and daily table of each metric family (the model's list) */
const METRIC_NAMES: ReadonlySet<TableName> = new Set(
  Object.values(METRIC_TABLES).flatMap((t) => [t.hourly, t.daily]),
);

/**
 * Estimated rows of the population before the window in a table's hour-0 chunk (./slices.ts): exact for
 * users, shops, products and promotions, the mean number of payment methods per user for theirs; 0 for a
 * table without one.
 */
export function populationRows(plan: Plan, name: TableName): number {
  const methods = rates(plan).methods;
  switch (name) {
    case 'users':
      return plan.users0;
    case 'user_payment_method':
      return Math.round(plan.users0 * methods);
    case 'shop':
      return plan.shops0;
    case 'shop_product':
      return plan.products0;
    case 'shop_promotion':
      return plan.promotions0;
    case 'global_entity':
      return Math.round(plan.users0 * (1 + methods)) + plan.shops0 + plan.products0 + plan.promotions0;
    default:
      return 0;
  }
}

/**
 * Estimated rows of each chunk, in the chunks' order: a whole number, the same on every machine for the same
 * plan and chunks.
 */
export function estimateChunkRows(plan: Plan, chunks: readonly Chunk[]): number[] {
  const r = rates(plan);
  return chunks.map((c) => {
    const whole = partitionRows(plan, r, c);
    // a slice holds its share of the population; the last one also the hour's other rows
    if (c.slice === undefined) return whole;
    const pop = populationRows(plan, c.partition.table.name);
    const share = Math.floor(pop / c.slice.of);
    return c.slice.index === c.slice.of - 1 ? Math.max(share, whole - share * (c.slice.of - 1)) : share;
  });
}

function partitionRows(plan: Plan, r: Rates, c: Chunk): number {
  const p = c.partition;
  const first = Math.round((p.from - plan.start) / HOUR_MS);
  const a = Math.max(0, first);
  const b = Math.min(plan.hours, first + Math.round((p.to - p.from) / HOUR_MS));
  const name = p.table.name;
  if (METRIC_NAMES.has(name)) return Math.round(metricRows(plan, r, name, a, b));
  let n = 0;
  for (let h = a; h < b; h++) n += hourRows(plan, r, name, h);
  return Math.round(n);
}
