/**
 * Metric tables: exact aggregates of the operational rows of their hour (and day = the day's hours).
 * Daily additive metrics are the sums of the hourly ones; distinct counts (customers_count, products_sold)
 * are distinct over the day. Page views and cart interactions have no source table: cart_adds counts the
 * units put in carts (every order, abandoned ones included), page views are a keyed multiple of it, so
 * page_views >= cart_adds >= units_sold always holds.
 */
import { HOUR_MS } from '../time-units.js';
import { type Ctx, jsonPool } from './context.js';
import { field, K, rowKey } from './keyed.js';
import { apiLatency, MAX_REQUESTS, restockOf, reviewAt } from './operational.js';
import { ABANDONED, hourOrders, Order, PAID } from './orders.js';
import { type Plan, productPrice, productShop } from './plan.js';

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
// shop metric slots
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
/** distinct counts, from the pair sets (never summed across hours) */
const S_CUSTOMERS = 15;
const S_PRODUCTS = 16;
const S_N = 17;
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

/**
 * Integer key -> row of `width` float slots, open addressing over one Float64Array: a Map of a Float64Array
 * per user and per product made the metric tables GC-bound (tens of thousands of small arrays per hour).
 * Row offsets stay valid across inserts, `vals` does not (it grows): read it after `slot()`.
 */
export class SlotMap {
  readonly width: number;
  size = 0;
  keys: Float64Array;
  vals: Float64Array;
  /** row index + 1 by hash bucket, 0 = empty */
  private table: Int32Array;

  /** `capacity`: rows expected (the day's map is sized from its hours: no regrowth while merging) */
  constructor(width: number, capacity = 64) {
    let cap = 64;
    while (cap < capacity) cap *= 2;
    this.width = width;
    this.keys = new Float64Array(cap);
    this.vals = new Float64Array(cap * width);
    this.table = new Int32Array(cap * 2);
  }

  private bucket(k: number): number {
    return Math.imul(k | 0, 0x9e3779b1) >>> 0;
  }

  /** offset in `vals` of key k's row, -1 when absent */
  find(k: number): number {
    const mask = this.table.length - 1;
    for (let b = this.bucket(k) & mask; ; b = (b + 1) & mask) {
      const r = this.table[b]!;
      if (r === 0) return -1;
      if (this.keys[r - 1] === k) return (r - 1) * this.width;
    }
  }

  /** offset in `vals` of key k's row, created (zeroed) when absent */
  slot(k: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let b = this.bucket(k) & mask;
    for (; ; b = (b + 1) & mask) {
      const r = table[b]!;
      if (r === 0) break;
      if (this.keys[r - 1] === k) return (r - 1) * this.width;
    }
    const i = this.size++;
    if (i === this.keys.length) {
      const keys = new Float64Array(i * 2);
      keys.set(this.keys);
      this.keys = keys;
      const vals = new Float64Array(i * 2 * this.width);
      vals.set(this.vals);
      this.vals = vals;
    }
    this.keys[i] = k;
    table[b] = i + 1;
    if (this.size * 2 > table.length) this.rehash();
    return i * this.width;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let i = 0; i < this.size; i++) {
      let b = this.bucket(this.keys[i]!) & mask;
      while (table[b] !== 0) b = (b + 1) & mask;
      table[b] = i + 1;
    }
    this.table = table;
  }

  /** the keys, ascending */
  sortedKeys(): Float64Array {
    return this.keys.slice(0, this.size).sort();
  }
}

/**
 * A set of (a, b) integer pairs, open addressing: the distinct (shop, customer) and (shop, product) pairs of an
 * hour or day (a Set per shop made the daily union GC-bound).
 */
export class PairSet {
  size = 0;
  a: Int32Array;
  b: Int32Array;
  /** pair index + 1 by hash bucket, 0 = empty */
  private table: Int32Array;

  constructor(capacity = 64) {
    let cap = 64;
    while (cap < capacity) cap *= 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.table = new Int32Array(cap * 2);
  }

  private static hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 0;
  }

  /** add (a, b): true when it was not there yet */
  add(a: number, b: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    let h = PairSet.hash(a, b) & mask;
    for (; ; h = (h + 1) & mask) {
      const r = table[h]!;
      if (r === 0) break;
      if (this.a[r - 1] === a && this.b[r - 1] === b) return false;
    }
    const i = this.size++;
    if (i === this.a.length) {
      const na = new Int32Array(i * 2);
      na.set(this.a);
      this.a = na;
      const nb = new Int32Array(i * 2);
      nb.set(this.b);
      this.b = nb;
    }
    this.a[i] = a;
    this.b[i] = b;
    table[h] = i + 1;
    if (this.size * 2 > table.length) {
      const t = new Int32Array(table.length * 2);
      const m = t.length - 1;
      for (let k = 0; k < this.size; k++) {
        let g = PairSet.hash(this.a[k]!, this.b[k]!) & m;
        while (t[g] !== 0) g = (g + 1) & m;
        t[g] = k + 1;
      }
      this.table = t;
    }
    return true;
  }
}

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
  users: new SlotMap(U_N, users),
  shops: new SlotMap(S_N, shops),
  products: new SlotMap(P_N, products),
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
  const users = agg.users;
  const products = agg.products;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    const u = users.slot(o.user);
    const uv = users.vals;
    const s = agg.shops.slot(o.shop);
    const sv = agg.shops.vals;
    uv[u + U_ORDERS]!++;
    let failed = 0;
    for (let a = 0; a < o.attempts; a++) if (!(o.status === PAID && a === o.attempts - 1)) failed++;
    uv[u + U_PAY_FAIL]! += failed;
    sv[s + S_PAY_FAIL]! += failed;
    if (o.status === PAID) {
      uv[u + U_PAY_OK]!++;
      uv[u + U_VALUE]! += o.total;
      if (o.promotion >= 0) {
        uv[u + U_PROMOS]!++;
        sv[s + S_PROMO_ORDERS]!++;
      }
      sv[s + S_ORDERS]!++;
      sv[s + S_REVENUE]! += o.total;
      sv[s + S_DISCOUNT]! += o.discount;
      if (agg.customers.add(o.shop, o.user)) sv[s + S_CUSTOMERS]!++;
    }
    if (o.status === ABANDONED) {
      uv[u + U_ABANDONED]!++;
      sv[s + S_ABANDONED]!++;
    }
    for (let i = 0; i < o.itemCount; i++) {
      const prod = o.products[i]!;
      const q = o.quantities[i]!;
      const price = o.prices[i]!;
      const p = products.slot(prod);
      const pv = products.vals;
      pv[p + P_CART]! += q;
      sv[s + S_CART]! += q;
      if (o.status === PAID) {
        const restock = restockOf(plan, o, i);
        pv[p + P_UNITS]! += q;
        pv[p + P_REVENUE]! += q * price;
        pv[p + P_ORDERS]!++;
        if (o.promotion >= 0) pv[p + P_PROMO_UNITS]! += q;
        pv[p + P_INV]! += restock - q;
        sv[s + S_UNITS]! += q;
        sv[s + S_INV_VALUE]! += (restock - q) * price;
        if (agg.sold.add(o.shop, prod)) sv[s + S_PRODUCTS]!++;
      }
    }
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    uv[u + U_API]! += n;
    sv[s + S_API]! += n;
    let errors = 0;
    let latency = 0;
    for (let r = 0; r < n; r++) {
      const l = apiLatency(plan, o, r);
      if (l < 0) {
        errors++;
        latency -= l;
      } else latency += l;
    }
    sv[s + S_API_ERR]! += errors;
    sv[s + S_API_LAT]! += latency;
  }
  for (let k = 0; k < plan.reviews[h]!; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    const u = users.slot(o.user);
    users.vals[u + U_REVIEWS]!++;
    const s = agg.shops.slot(o.shop);
    agg.shops.vals[s + S_REVIEWS]!++;
    agg.shops.vals[s + S_RATING]! += r.rating;
    const p = products.slot(o.products[r.item]!);
    products.vals[p + P_REVIEWS]!++;
    products.vals[p + P_RATING]! += r.rating;
  }
  // page views: per product, rolled up to its shop
  const pv = products.vals;
  for (let i = 0; i < products.size; i++) {
    const prod = products.keys[i]!;
    const p = i * P_N;
    pv[p + P_VIEWS] = pageViews(plan, h, prod, pv[p + P_CART]!);
    const s = agg.shops.slot(productShop(plan, prod));
    agg.shops.vals[s + S_VIEWS]! += pv[p + P_VIEWS]!;
  }
  return agg;
}

function mergeSlots(day: SlotMap, hour: SlotMap): void {
  const n = hour.width;
  const hv = hour.vals;
  for (let i = 0; i < hour.size; i++) {
    const d = day.slot(hour.keys[i]!);
    const dv = day.vals;
    const o = i * n;
    for (let k = 0; k < n; k++) dv[d + k]! += hv[o + k]!;
  }
}

function mergeInto(day: Agg, hour: Agg): void {
  mergeSlots(day.users, hour.users);
  mergeSlots(day.products, hour.products);
  // the distinct counts are summed here too, then recounted by distinctCounts
  mergeSlots(day.shops, hour.shops);
  for (let i = 0; i < hour.customers.size; i++) day.customers.add(hour.customers.a[i]!, hour.customers.b[i]!);
  for (let i = 0; i < hour.sold.size; i++) day.sold.add(hour.sold.a[i]!, hour.sold.b[i]!);
}

/** customers_count and products_sold of every shop of a merged aggregate, from its pair sets */
function distinctCounts(agg: Agg): void {
  const shops = agg.shops;
  const v = shops.vals;
  for (let i = 0; i < shops.size; i++) {
    v[i * S_N + S_CUSTOMERS] = 0;
    v[i * S_N + S_PRODUCTS] = 0;
  }
  for (let i = 0; i < agg.customers.size; i++) v[shops.find(agg.customers.a[i]!) + S_CUSTOMERS]!++;
  for (let i = 0; i < agg.sold.size; i++) v[shops.find(agg.sold.a[i]!) + S_PRODUCTS]!++;
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
  if (m.size > 2) m.delete(m.keys().next().value!);
  return day;
}

/** The window hours of the day starting at window hour `first` (first may be negative for a partial day). */
function dayHours(plan: Plan, first: number): number[] {
  const out: number[] = [];
  for (let h = Math.max(0, first); h < Math.min(plan.hours, first + 24); h++) out.push(h);
  return out;
}

type Bucket = { kind: number; hi: number; time: number; end: number; agg: Agg };

function* buckets(ctx: Ctx, firstHour: number, daily: boolean, kinds: [number, number]): Generator<Bucket> {
  const { plan } = ctx;
  const hours = dayHours(plan, firstHour);
  const windowEnd = plan.start + plan.hours * HOUR_MS;
  if (daily) {
    const day = cachedDayAgg(plan, firstHour, hours);
    const t = plan.start + firstHour * HOUR_MS;
    yield {
      kind: kinds[1],
      hi: Math.floor(t / 86_400_000),
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

function* userMetrics(ctx: Ctx, firstHour: number, daily: boolean): Generator<Buffer> {
  const w = ctx.w;
  for (const b of buckets(ctx, firstHour, daily, [K.userMetricHour, K.userMetricDay])) {
    const users = b.agg.users;
    const v = users.vals;
    for (const u of users.sortedKeys()) {
      const o = users.find(u);
      ctx.head(b.kind, b.hi, u, b.time);
      ctx.id(K.user, 0, u).comma();
      w.uint(v[o + U_ORDERS]!)
        .comma()
        .money(v[o + U_VALUE]!)
        .comma()
        .uint(v[o + U_PAY_OK]!)
        .comma()
        .uint(v[o + U_PAY_FAIL]!)
        .comma();
      w.uint(v[o + U_REVIEWS]!)
        .comma()
        .uint(v[o + U_PROMOS]!)
        .comma()
        .uint(v[o + U_ABANDONED]!)
        .comma()
        .uint(v[o + U_API]!)
        .comma();
      ctx.tail(b.end, b.end, EMPTY);
      if (w.full) yield w.take();
    }
  }
}

function* shopMetrics(ctx: Ctx, firstHour: number, daily: boolean): Generator<Buffer> {
  const w = ctx.w;
  for (const b of buckets(ctx, firstHour, daily, [K.shopMetricHour, K.shopMetricDay])) {
    const shops = b.agg.shops;
    const v = shops.vals;
    for (const s of shops.sortedKeys()) {
      const o = shops.find(s);
      ctx.head(b.kind, b.hi, s, b.time);
      ctx.id(K.shop, 0, s).comma();
      w.uint(v[o + S_ORDERS]!)
        .comma()
        .money(v[o + S_REVENUE]!)
        .comma()
        .uint(v[o + S_CUSTOMERS]!)
        .comma();
      w.uint(v[o + S_UNITS]!)
        .comma()
        .uint(v[o + S_PRODUCTS]!)
        .comma()
        .uint(v[o + S_REVIEWS]!)
        .comma()
        .uint(v[o + S_RATING]!)
        .comma();
      w.uint(v[o + S_PROMO_ORDERS]!)
        .comma()
        .money(v[o + S_DISCOUNT]!)
        .comma()
        .uint(v[o + S_ABANDONED]!)
        .comma();
      w.uint(v[o + S_PAY_FAIL]!)
        .comma()
        .money(v[o + S_INV_VALUE]!)
        .comma()
        .uint(v[o + S_VIEWS]!)
        .comma()
        .uint(v[o + S_CART]!)
        .comma();
      w.uint(v[o + S_API]!)
        .comma()
        .uint(v[o + S_API_ERR]!)
        .comma()
        .uint(v[o + S_API_LAT]!)
        .comma();
      ctx.tail(b.end, b.end, EMPTY);
      if (w.full) yield w.take();
    }
  }
}

function* productMetrics(ctx: Ctx, firstHour: number, daily: boolean): Generator<Buffer> {
  const { plan, w } = ctx;
  for (const b of buckets(ctx, firstHour, daily, [K.productMetricHour, K.productMetricDay])) {
    const products = b.agg.products;
    const v = products.vals;
    for (const p of products.sortedKeys()) {
      const o = products.find(p);
      ctx.head(b.kind, b.hi, p, b.time);
      ctx.id(K.product, 0, p).comma();
      ctx.id(K.shop, 0, productShop(plan, p)).comma();
      w.uint(v[o + P_UNITS]!)
        .comma()
        .money(v[o + P_REVENUE]!)
        .comma()
        .uint(v[o + P_ORDERS]!)
        .comma();
      w.uint(v[o + P_CART]!)
        .comma()
        .uint(v[o + P_VIEWS]!)
        .comma()
        .uint(v[o + P_REVIEWS]!)
        .comma()
        .uint(v[o + P_RATING]!)
        .comma();
      w.uint(v[o + P_PROMO_UNITS]!)
        .comma()
        .int(v[o + P_INV]!)
        .comma()
        .money(productPrice(plan, p))
        .comma();
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
