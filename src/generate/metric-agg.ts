/**
 * Metric aggregates: exact aggregates of the operational rows of their hour (and day = the day's hours).
 * Daily additive metrics are the sums of the hourly ones; distinct counts (customers_count, products_sold)
 * are distinct over the day. Page views and cart interactions have no source table: cart_adds counts the
 * units put in carts (every order, abandoned ones included), page views are a keyed multiple of it, so
 * page_views >= cart_adds >= units_sold always holds.
 *
 * A row of a family's SlotMap has one slot per value column of the model (src/model/metrics.ts), in model
 * order; columns that are not aggregated (rollup 'value') keep a zero slot.
 */
import { at } from '../at.js';
import { METRIC_VALUES, valueIndex } from '../model/metrics.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import { apiLatency, MAX_REQUESTS } from './api-log.js';
import type { Ctx } from './context.js';
import { field, K, rowKey } from './keyed.js';
import { ABANDONED, hourOrders, Order, PAID } from './orders.js';
import type { Plan } from './plan.js';
import { productShop } from './plan-lookup.js';
import { reviewAt } from './reviews.js';
import { PairSet, SlotMap } from './slot-map.js';

/** slot of each value column, by family: computed once here, never per row */
const U = valueIndex('user');
const S = valueIndex('shop');
const P = valueIndex('product');

export interface Agg {
  users: SlotMap;
  shops: SlotMap;
  products: SlotMap;
  /** (shop, user) of paid orders */
  customers: PairSet;
  /** (shop, product) sold */
  sold: PairSet;
}

const newAgg = (users = 64, products = 64, shops = 64, customers = 64, sold = 64): Agg => ({
  users: new SlotMap(METRIC_VALUES.user.length, users),
  shops: new SlotMap(METRIC_VALUES.shop.length, shops),
  products: new SlotMap(METRIC_VALUES.product.length, products),
  customers: new PairSet(customers),
  sold: new PairSet(sold),
});

/** Page views of product p in hour h, given its cart adds. */
function pageViews(plan: Plan, h: number, p: number, cartAdds: number): number {
  const f = field(rowKey(plan.seed, K.productMetricHour, h, p), 1);
  return cartAdds * (3 + (f % 5)) + ((f >>> 8) % 7);
}

/** The aggregates of hour h, computed from the same order/review/API functions as the tables. */
export function hourAgg(plan: Plan, h: number): Agg {
  const agg = newAgg();
  const { users, shops, products } = agg;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    const u = users.slot(o.user);
    const s = shops.slot(o.shop);
    users.add(u + U.orders_count, 1);
    let failed = 0;
    for (let a = 0; a < o.attempts; a++) if (!(o.status === PAID && a === o.attempts - 1)) failed++;
    users.add(u + U.payments_failed, failed);
    shops.add(s + S.payments_failed, failed);
    if (o.status === PAID) {
      users.add(u + U.payments_succeeded, 1);
      users.add(u + U.orders_value, o.total);
      if (o.promotion >= 0) {
        users.add(u + U.promotions_used, 1);
        shops.add(s + S.promotion_orders, 1);
      }
      shops.add(s + S.orders_count, 1);
      shops.add(s + S.revenue, o.total);
      shops.add(s + S.discount_total, o.discount);
      if (agg.customers.add(o.shop, o.user)) shops.add(s + S.customers_count, 1);
    }
    if (o.status === ABANDONED) {
      users.add(u + U.carts_abandoned, 1);
      shops.add(s + S.carts_abandoned, 1);
    }
    for (let i = 0; i < o.itemCount; i++) {
      const prod = o.product(i);
      const q = o.quantity(i);
      const price = o.price(i);
      const p = products.slot(prod);
      products.add(p + P.cart_adds, q);
      shops.add(s + S.cart_adds, q);
      if (o.status === PAID) {
        // restocks and returns now come from the stock pass at their own times (i8 orders): sales only here
        const restock = 0;
        products.add(p + P.units_sold, q);
        products.add(p + P.revenue, q * price);
        products.add(p + P.orders_count, 1);
        if (o.promotion >= 0) products.add(p + P.promotion_units, q);
        products.add(p + P.inventory_change, restock - q);
        shops.add(s + S.units_sold, q);
        shops.add(s + S.inventory_value_change, (restock - q) * price);
        if (agg.sold.add(o.shop, prod)) shops.add(s + S.products_sold, 1);
      }
    }
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    users.add(u + U.api_requests, n);
    shops.add(s + S.api_requests, n);
    let errors = 0;
    let latency = 0;
    for (let r = 0; r < n; r++) {
      const l = apiLatency(plan, o, r);
      if (l < 0) {
        errors++;
        latency -= l;
      } else latency += l;
    }
    shops.add(s + S.api_errors, errors);
    shops.add(s + S.api_latency_ms_sum, latency);
  }
  const reviews = at(plan.reviews, h);
  for (let k = 0; k < reviews; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    users.add(users.slot(o.user) + U.reviews_count, 1);
    const s = shops.slot(o.shop);
    shops.add(s + S.reviews_count, 1);
    shops.add(s + S.rating_sum, r.rating);
    const p = products.slot(o.product(r.item));
    products.add(p + P.reviews_count, 1);
    products.add(p + P.rating_sum, r.rating);
  }
  // page views: per product, rolled up to its shop
  for (let i = 0; i < products.size; i++) {
    const prod = products.keyAt(i);
    const p = i * products.width;
    const views = pageViews(plan, h, prod, products.get(p + P.cart_adds));
    products.set(p + P.page_views, views);
    shops.add(shops.slot(productShop(plan, prod)) + S.page_views, views);
  }
  return agg;
}

function mergeInto(day: Agg, hour: Agg): void {
  day.users.addAll(hour.users);
  day.products.addAll(hour.products);
  // the distinct counts are summed here too, then recounted by distinctCounts
  day.shops.addAll(hour.shops);
  day.customers.addAll(hour.customers);
  day.sold.addAll(hour.sold);
}

/** customers_count and products_sold of every shop of a merged aggregate, from its pair sets */
function distinctCounts(agg: Agg): void {
  const shops = agg.shops;
  for (let i = 0; i < shops.size; i++) {
    shops.set(i * shops.width + S.customers_count, 0);
    shops.set(i * shops.width + S.products_sold, 0);
  }
  for (let i = 0; i < agg.customers.size; i++)
    shops.add(shops.find(agg.customers.firstAt(i)) + S.customers_count, 1);
  for (let i = 0; i < agg.sold.size; i++) shops.add(shops.find(agg.sold.firstAt(i)) + S.products_sold, 1);
}

/** forget the first inserted entry of a memo */
function dropOldest<K, V>(m: Map<K, V>): void {
  const first = m.keys().next();
  if (!first.done) m.delete(first.value);
}

/** A few hours of aggregates are kept: the six metric tables of one day each need the same 24 hours. */
const cache = new WeakMap<Plan, Map<number, Agg>>();
const CACHE_HOURS = 26;

function cachedHourAgg(plan: Plan, h: number): Agg {
  let m = cache.get(plan);
  if (!m) {
    m = new Map();
    cache.set(plan, m);
  }
  const hit = m.get(h);
  if (hit) return hit;
  const agg = hourAgg(plan, h);
  m.set(h, agg);
  if (m.size > CACHE_HOURS) dropOldest(m);
  return agg;
}

/** The day's aggregate, kept for the next of the three daily tables that asks for the same day. */
const dayCache = new WeakMap<Plan, Map<number, Agg>>();

function cachedDayAgg(plan: Plan, firstHour: number, hours: number[]): Agg {
  let m = dayCache.get(plan);
  if (!m) {
    m = new Map();
    dayCache.set(plan, m);
  }
  const hit = m.get(firstHour);
  if (hit) return hit;
  const aggs = hours.map((h) => cachedHourAgg(plan, h));
  // sized from its hours: no regrowth while merging
  const total = (size: (a: Agg) => number): number => aggs.reduce((t, a) => t + size(a), 0);
  const day = newAgg(
    total((a) => a.users.size),
    total((a) => a.products.size),
    total((a) => a.shops.size),
    total((a) => a.customers.size),
    total((a) => a.sold.size),
  );
  for (const a of aggs) mergeInto(day, a);
  distinctCounts(day);
  m.set(firstHour, day);
  if (m.size > 2) dropOldest(m);
  return day;
}

/** The window hours of the day starting at window hour `first` (first may be negative for a partial day). */
function dayHours(plan: Plan, first: number): number[] {
  const out: number[] = [];
  for (let h = Math.max(0, first); h < Math.min(plan.hours, first + 24); h++) out.push(h);
  return out;
}

export type Bucket = { kind: number; hi: number; time: number; end: number; agg: Agg };

export function* buckets(
  ctx: Ctx,
  firstHour: number,
  daily: boolean,
  kinds: [number, number],
): Generator<Bucket> {
  const { plan } = ctx;
  const hours = dayHours(plan, firstHour);
  const windowEnd = plan.start + plan.hours * HOUR_MS;
  if (daily) {
    const day = cachedDayAgg(plan, firstHour, hours);
    const t = plan.start + firstHour * HOUR_MS;
    yield {
      kind: kinds[1],
      hi: Math.floor(t / DAY_MS),
      time: t,
      end: Math.min(t + 24 * HOUR_MS, windowEnd),
      agg: day,
    };
  } else {
    for (const h of hours) {
      const t = plan.start + h * HOUR_MS;
      yield { kind: kinds[0], hi: h, time: t, end: t + HOUR_MS, agg: cachedHourAgg(plan, h) };
    }
  }
}
