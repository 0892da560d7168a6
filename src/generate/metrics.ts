/**
 * Metric tables: exact aggregates of the operational rows of their hour (and day = the day's hours).
 * Daily additive metrics are the sums of the hourly ones; distinct counts (customers_count, products_sold)
 * are distinct over the day. Page views and cart interactions have no source table: cart_adds counts the
 * units put in carts (every order, abandoned ones included), page views are a keyed multiple of it, so
 * page_views >= cart_adds >= units_sold always holds.
 */
import { type Ctx, jsonPool } from './context.js';
import { field, K, rowKey } from './keyed.js';
import { type ApiCall, apiCall, MAX_REQUESTS, restockOf, reviewAt } from './operational.js';
import { ABANDONED, Order, orderAt, PAID } from './orders.js';
import { type Plan, productPrice, productShop } from './plan.js';

const HOUR = 3_600_000;
const EMPTY = jsonPool([{}])[0]!;

// user metric slots
const U_ORDERS = 0;
const U_VALUE = 1;
const U_PAY_OK = 2;
const U_PAY_FAIL = 3;
const U_REVIEWS = 4;
const U_PROMOS = 5;
const U_ABANDONED = 6;
const U_API = 7;
const U_N = 8;
// shop metric slots (customers and products_sold are sets, kept apart)
const S_ORDERS = 0;
const S_REVENUE = 1;
const S_UNITS = 2;
const S_REVIEWS = 3;
const S_RATING = 4;
const S_PROMO_ORDERS = 5;
const S_DISCOUNT = 6;
const S_ABANDONED = 7;
const S_PAY_FAIL = 8;
const S_INV_VALUE = 9;
const S_VIEWS = 10;
const S_CART = 11;
const S_API = 12;
const S_API_ERR = 13;
const S_API_LAT = 14;
const S_N = 15;
// product metric slots
const P_UNITS = 0;
const P_REVENUE = 1;
const P_ORDERS = 2;
const P_CART = 3;
const P_VIEWS = 4;
const P_REVIEWS = 5;
const P_RATING = 6;
const P_PROMO_UNITS = 7;
const P_INV = 8;
const P_N = 9;

interface ShopAgg {
  v: Float64Array;
  customers: Set<number>;
  products: Set<number>;
}

export interface Agg {
  users: Map<number, Float64Array>;
  shops: Map<number, ShopAgg>;
  products: Map<number, Float64Array>;
}

const newAgg = (): Agg => ({ users: new Map(), shops: new Map(), products: new Map() });

function slot<K2>(m: Map<K2, Float64Array>, k: K2, n: number): Float64Array {
  let v = m.get(k);
  if (!v) {
    v = new Float64Array(n);
    m.set(k, v);
  }
  return v;
}

function shopSlot(m: Map<number, ShopAgg>, k: number): ShopAgg {
  let v = m.get(k);
  if (!v) {
    v = { v: new Float64Array(S_N), customers: new Set(), products: new Set() };
    m.set(k, v);
  }
  return v;
}

/** Page views of product p in hour h, given its cart adds. */
function pageViews(plan: Plan, h: number, p: number, cartAdds: number): number {
  const f = field(rowKey(plan.seed, K.productMetricHour, h, p), 1);
  return cartAdds * (3 + (f % 5)) + ((f >>> 8) % 7);
}

/** The aggregates of hour h, computed from the same order/review/API functions as the tables. */
export function hourAgg(plan: Plan, h: number): Agg {
  const agg = newAgg();
  const o = new Order();
  const call: ApiCall = { time: 0, path: 0, status: 0, latency: 0, bytes: 0 };
  const hourEnd = plan.start + (h + 1) * HOUR;
  for (let j = 0; j < plan.orders[h]!; j++) {
    orderAt(plan, h, j, o);
    const u = slot(agg.users, o.user, U_N);
    const s = shopSlot(agg.shops, o.shop);
    u[U_ORDERS]!++;
    let failed = 0;
    for (let a = 0; a < o.attempts; a++) if (!(o.status === PAID && a === o.attempts - 1)) failed++;
    u[U_PAY_FAIL]! += failed;
    s.v[S_PAY_FAIL]! += failed;
    if (o.status === PAID) {
      u[U_PAY_OK]!++;
      u[U_VALUE]! += o.total;
      if (o.promotion >= 0) {
        u[U_PROMOS]!++;
        s.v[S_PROMO_ORDERS]!++;
      }
      s.v[S_ORDERS]!++;
      s.v[S_REVENUE]! += o.total;
      s.v[S_DISCOUNT]! += o.discount;
      s.customers.add(o.user);
    }
    if (o.status === ABANDONED) {
      u[U_ABANDONED]!++;
      s.v[S_ABANDONED]!++;
    }
    for (let i = 0; i < o.itemCount; i++) {
      const prod = o.products[i]!;
      const q = o.quantities[i]!;
      const price = o.prices[i]!;
      const p = slot(agg.products, prod, P_N);
      p[P_CART]! += q;
      s.v[S_CART]! += q;
      if (o.status === PAID) {
        const restock = restockOf(plan, o, i);
        p[P_UNITS]! += q;
        p[P_REVENUE]! += q * price;
        p[P_ORDERS]!++;
        if (o.promotion >= 0) p[P_PROMO_UNITS]! += q;
        p[P_INV]! += restock - q;
        s.v[S_UNITS]! += q;
        s.v[S_INV_VALUE]! += (restock - q) * price;
        s.products.add(prod);
      }
    }
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    u[U_API]! += n;
    s.v[S_API]! += n;
    for (let r = 0; r < n; r++) {
      apiCall(plan, o, r, hourEnd, call);
      if (call.status >= 400) s.v[S_API_ERR]!++;
      s.v[S_API_LAT]! += call.latency;
    }
  }
  for (let k = 0; k < plan.reviews[h]!; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    slot(agg.users, o.user, U_N)[U_REVIEWS]!++;
    const s = shopSlot(agg.shops, o.shop);
    s.v[S_REVIEWS]!++;
    s.v[S_RATING]! += r.rating;
    const p = slot(agg.products, o.products[r.item]!, P_N);
    p[P_REVIEWS]!++;
    p[P_RATING]! += r.rating;
  }
  // page views: per product, rolled up to its shop
  for (const [prod, p] of agg.products) {
    p[P_VIEWS] = pageViews(plan, h, prod, p[P_CART]!);
    shopSlot(agg.shops, productShop(plan, prod)).v[S_VIEWS]! += p[P_VIEWS]!;
  }
  return agg;
}

function mergeInto(day: Agg, hour: Agg): void {
  for (const [k, v] of hour.users) {
    const d = slot(day.users, k, U_N);
    for (let i = 0; i < U_N; i++) d[i]! += v[i]!;
  }
  for (const [k, v] of hour.products) {
    const d = slot(day.products, k, P_N);
    for (let i = 0; i < P_N; i++) d[i]! += v[i]!;
  }
  for (const [k, v] of hour.shops) {
    const d = shopSlot(day.shops, k);
    for (let i = 0; i < S_N; i++) d.v[i]! += v.v[i]!;
    for (const c of v.customers) d.customers.add(c);
    for (const p of v.products) d.products.add(p);
  }
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
  if (m.size > CACHE_HOURS) m.delete(m.keys().next().value!);
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
  const day = newAgg();
  for (const h of hours) mergeInto(day, cachedHourAgg(plan, h));
  m.set(firstHour, day);
  if (m.size > 2) m.delete(m.keys().next().value!);
  return day;
}

/** The window hours of the day starting at window hour `first` (first may be negative for a partial day). */
function dayHours(plan: Plan, first: number): number[] {
  const out: number[] = [];
  for (let h = Math.max(0, first); h < Math.min(plan.hours, first + 24); h++) out.push(h);
  return out;
}

const sortedKeys = <V>(m: Map<number, V>): number[] => [...m.keys()].sort((a, b) => a - b);

type Bucket = { kind: number; hi: number; time: number; end: number; agg: Agg };

function* buckets(ctx: Ctx, firstHour: number, daily: boolean, kinds: [number, number]): Generator<Bucket> {
  const { plan } = ctx;
  const hours = dayHours(plan, firstHour);
  const windowEnd = plan.start + plan.hours * HOUR;
  if (daily) {
    const day = cachedDayAgg(plan, firstHour, hours);
    const t = plan.start + firstHour * HOUR;
    yield {
      kind: kinds[1],
      hi: Math.floor(t / 86_400_000),
      time: t,
      end: Math.min(t + 24 * HOUR, windowEnd),
      agg: day,
    };
  } else {
    for (const h of hours) {
      const t = plan.start + h * HOUR;
      yield { kind: kinds[0], hi: h, time: t, end: t + HOUR, agg: cachedHourAgg(plan, h) };
    }
  }
}

function* userMetrics(ctx: Ctx, firstHour: number, daily: boolean): Generator<Buffer> {
  const w = ctx.w;
  for (const b of buckets(ctx, firstHour, daily, [K.userMetricHour, K.userMetricDay])) {
    for (const u of sortedKeys(b.agg.users)) {
      const v = b.agg.users.get(u)!;
      ctx.head(b.kind, b.hi, u, b.time);
      ctx.id(K.user, 0, u).comma();
      w.uint(v[U_ORDERS]!)
        .comma()
        .money(v[U_VALUE]!)
        .comma()
        .uint(v[U_PAY_OK]!)
        .comma()
        .uint(v[U_PAY_FAIL]!)
        .comma();
      w.uint(v[U_REVIEWS]!)
        .comma()
        .uint(v[U_PROMOS]!)
        .comma()
        .uint(v[U_ABANDONED]!)
        .comma()
        .uint(v[U_API]!)
        .comma();
      ctx.tail(b.end, b.end, EMPTY);
      if (w.full) yield w.take();
    }
  }
}

function* shopMetrics(ctx: Ctx, firstHour: number, daily: boolean): Generator<Buffer> {
  const w = ctx.w;
  for (const b of buckets(ctx, firstHour, daily, [K.shopMetricHour, K.shopMetricDay])) {
    for (const s of sortedKeys(b.agg.shops)) {
      const a = b.agg.shops.get(s)!;
      const v = a.v;
      ctx.head(b.kind, b.hi, s, b.time);
      ctx.id(K.shop, 0, s).comma();
      w.uint(v[S_ORDERS]!).comma().money(v[S_REVENUE]!).comma().uint(a.customers.size).comma();
      w.uint(v[S_UNITS]!)
        .comma()
        .uint(a.products.size)
        .comma()
        .uint(v[S_REVIEWS]!)
        .comma()
        .uint(v[S_RATING]!)
        .comma();
      w.uint(v[S_PROMO_ORDERS]!).comma().money(v[S_DISCOUNT]!).comma().uint(v[S_ABANDONED]!).comma();
      w.uint(v[S_PAY_FAIL]!)
        .comma()
        .money(v[S_INV_VALUE]!)
        .comma()
        .uint(v[S_VIEWS]!)
        .comma()
        .uint(v[S_CART]!)
        .comma();
      w.uint(v[S_API]!).comma().uint(v[S_API_ERR]!).comma().uint(v[S_API_LAT]!).comma();
      ctx.tail(b.end, b.end, EMPTY);
      if (w.full) yield w.take();
    }
  }
}

function* productMetrics(ctx: Ctx, firstHour: number, daily: boolean): Generator<Buffer> {
  const { plan, w } = ctx;
  for (const b of buckets(ctx, firstHour, daily, [K.productMetricHour, K.productMetricDay])) {
    for (const p of sortedKeys(b.agg.products)) {
      const v = b.agg.products.get(p)!;
      ctx.head(b.kind, b.hi, p, b.time);
      ctx.id(K.product, 0, p).comma();
      ctx.id(K.shop, 0, productShop(plan, p)).comma();
      w.uint(v[P_UNITS]!).comma().money(v[P_REVENUE]!).comma().uint(v[P_ORDERS]!).comma();
      w.uint(v[P_CART]!)
        .comma()
        .uint(v[P_VIEWS]!)
        .comma()
        .uint(v[P_REVIEWS]!)
        .comma()
        .uint(v[P_RATING]!)
        .comma();
      w.uint(v[P_PROMO_UNITS]!).comma().int(v[P_INV]!).comma().money(productPrice(plan, p)).comma();
      ctx.tail(b.end, b.end, EMPTY);
      if (w.full) yield w.take();
    }
  }
}

export const METRICS = {
  user_metrics_hourly: (c: Ctx, first: number) => userMetrics(c, first, false),
  user_metrics_daily: (c: Ctx, first: number) => userMetrics(c, first, true),
  shop_metrics_hourly: (c: Ctx, first: number) => shopMetrics(c, first, false),
  shop_metrics_daily: (c: Ctx, first: number) => shopMetrics(c, first, true),
  shop_product_metrics_hourly: (c: Ctx, first: number) => productMetrics(c, first, false),
  shop_product_metrics_daily: (c: Ctx, first: number) => productMetrics(c, first, true),
};
