/**
 * What the logged requests of an hour add up to (the metrics' traffic columns), recorded session by session by
 * whichever walk of the hour's logged sessions runs (HourSessions.next, through a TrafficLog): request_response_log's
 * walk (api-log.ts) keeps its log here when it completes, so the metric aggregation of that hour (metric-agg.ts,
 * through sessions.ts hourTrafficLog) reads it instead of walking the sessions a second time. The totals are a
 * pure function of (plan, hour): kept or recomputed, the bytes are the same. Bounded: at most 26 hours kept,
 * each taken once.
 */
import { R, success } from './api-load.js';
import type { Plan } from './plan-type.js';
import { BOT, type Session } from './session-record.js';
import { SlotMap } from './slot-map.js';

/** What the logged requests of one hour add up to, per product, user and shop (typed arrays, read hourly). */
export interface HourTrafficSlots {
  /** per product index: logged successful product-page views (GET of the product, status 200) by humans */
  productViews: SlotMap;
  /** per product index: logged successful add-to-cart requests (status 201) */
  productCartAdds: SlotMap;
  /** per user index: requests, errors (status >= 400), latency ms sum of the user's logged requests */
  user: SlotMap;
  /** per shop index: requests, errors, latency ms sum of the logged requests with that shop_id */
  shop: SlotMap;
}

/**
 * A TrafficLog's entries in the order they were written. Every entry counts at least one request, so each key
 * in them has a row in the totals.
 */
export interface TrafficEntries {
  /** a product per logged successful product-page view by a human */
  views: Float64Array;
  /** a product per logged successful add-to-cart request */
  cartAdds: Float64Array;
  /** [shop, requests, errors, latency ms sum] per run of a session's requests with one shop_id */
  shopRuns: Float64Array;
  /** [user, requests, errors, latency ms sum] per logged session of a signed-in user */
  userSessions: Float64Array;
}

/** empty totals; the capacities are rows expected (a map grows past them, slower: sessions.ts walks) */
export function newTraffic(views = 1024, carts = 256, users = 1024, shops = 1024): HourTrafficSlots {
  return {
    productViews: new SlotMap(1, views),
    productCartAdds: new SlotMap(1, carts),
    user: new SlotMap(3, users),
    shop: new SlotMap(3, shops),
  };
}

function bump(m: SlotMap, k: number, n: number, e: number, l: number): void {
  const o = m.slot(k);
  m.add(o, n);
  m.add(o + 1, e);
  m.add(o + 2, l);
}

/**
 * A walk's record of what it adds to each map, in order: appended on the log's walk (sequential writes into
 * typed arrays, no hash probe among the rows being written), replayed into the maps in the same order by the
 * metrics (same insertion order, same sums).
 */
export class TrafficLog {
  /** [key, requests, errors, latency] per shop run / per user session; [product] per view / cart add */
  private shops: Float64Array<ArrayBuffer> = new Float64Array(4096);
  private users: Float64Array<ArrayBuffer> = new Float64Array(4096);
  private views: Float64Array<ArrayBuffer> = new Float64Array(4096);
  private carts: Float64Array<ArrayBuffer> = new Float64Array(1024);
  private ns = 0;
  private nu = 0;
  private nv = 0;
  private nc = 0;

  private static grow(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
    if (n < a.length) return a;
    const b = new Float64Array(a.length * 2);
    b.set(a);
    return b;
  }

  /** adds one logged session's requests: a session has one user, and runs of requests at one shop */
  add(s: Session): void {
    let errors = 0;
    let latencies = 0;
    let shop = -1;
    let run = 0;
    let runErrors = 0;
    let runLatency = 0;
    const cartAdded = success(R.cartAdd);
    for (let r = 0; r < s.n; r++) {
      const status = s.status[r] ?? 0;
      const latency = s.latency[r] ?? 0;
      const route = s.route[r] ?? 0;
      const p = s.product[r] ?? -1;
      const sh = s.shop[r] ?? -1;
      const e = status >= 400 ? 1 : 0;
      errors += e;
      latencies += latency;
      if (sh !== shop) {
        if (shop >= 0) this.shopRun(shop, run, runErrors, runLatency);
        shop = sh;
        run = 0;
        runErrors = 0;
        runLatency = 0;
      }
      run++;
      runErrors += e;
      runLatency += latency;
      if (p < 0) continue;
      if (route === R.product && status === 200 && s.kind !== BOT) {
        this.views = TrafficLog.grow(this.views, this.nv + 1);
        this.views[this.nv++] = p;
      } else if (route === R.cartAdd && status === cartAdded) {
        this.carts = TrafficLog.grow(this.carts, this.nc + 1);
        this.carts[this.nc++] = p;
      }
    }
    if (shop >= 0) this.shopRun(shop, run, runErrors, runLatency);
    if (s.user >= 0 && s.n > 0) {
      this.users = TrafficLog.grow(this.users, this.nu + 4);
      const o = this.nu;
      this.users[o] = s.user;
      this.users[o + 1] = s.n;
      this.users[o + 2] = errors;
      this.users[o + 3] = latencies;
      this.nu = o + 4;
    }
  }

  private shopRun(shop: number, n: number, e: number, l: number): void {
    this.shops = TrafficLog.grow(this.shops, this.ns + 4);
    const o = this.ns;
    this.shops[o] = shop;
    this.shops[o + 1] = n;
    this.shops[o + 2] = e;
    this.shops[o + 3] = l;
    this.ns = o + 4;
  }

  /** empties the log, keeping its arrays (the metrics walk every hour of a day with one log) */
  clear(): void {
    this.ns = 0;
    this.nu = 0;
    this.nv = 0;
    this.nc = 0;
  }

  /**
   * The entries as written (views of the log's arrays, valid until it is cleared or added to): what the totals
   * add up, for a reader that adds them into maps of its own (metric-agg.ts: no totals maps built per hour).
   */
  entries(): TrafficEntries {
    return {
      views: this.views.subarray(0, this.nv),
      cartAdds: this.carts.subarray(0, this.nc),
      shopRuns: this.shops.subarray(0, this.ns),
      userSessions: this.users.subarray(0, this.nu),
    };
  }

  /** the totals: the log replayed into the maps, in the order it was written */
  totals(): HourTrafficSlots {
    // sized from the log (at most one row per entry): no regrowth while replaying
    const out = newTraffic(this.nv, this.nc, this.nu / 4, this.ns / 4);
    for (let i = 0; i < this.nv; i++) out.productViews.add(out.productViews.slot(this.views[i] ?? 0), 1);
    for (let i = 0; i < this.nc; i++)
      out.productCartAdds.add(out.productCartAdds.slot(this.carts[i] ?? 0), 1);
    const sh = this.shops;
    for (let o = 0; o < this.ns; o += 4)
      bump(out.shop, sh[o] ?? 0, sh[o + 1] ?? 0, sh[o + 2] ?? 0, sh[o + 3] ?? 0);
    const us = this.users;
    for (let o = 0; o < this.nu; o += 4)
      bump(out.user, us[o] ?? 0, us[o + 1] ?? 0, us[o + 2] ?? 0, us[o + 3] ?? 0);
    return out;
  }
}

/** hours of totals kept for the metrics (a day of request_response_log chunks, then the metric tables) */
const KEEP_HOURS = 26;
const kept = new WeakMap<Plan, Map<number, TrafficLog>>();
/**
 * the hours whose totals the metrics already have (the last KEEP_HOURS, as many as metric-agg.ts keeps of
 * hourly aggregates): a walk of the log need not record them. Hour-major loads list a day's metric chunks
 * at the day's first hour, before that day's later log chunks.
 */
const used = new WeakMap<Plan, Set<number>>();

/** notes that the metrics have the totals of hour h */
export function trafficUsed(plan: Plan, h: number): void {
  let m = used.get(plan);
  if (!m) {
    m = new Set();
    used.set(plan, m);
  }
  m.delete(h);
  m.add(h);
  if (m.size > KEEP_HOURS) {
    const first = m.values().next();
    if (!first.done) m.delete(first.value);
  }
}

/** true when a walk of hour h's logged sessions should record its totals for the metrics */
export function trafficWanted(plan: Plan, h: number): boolean {
  return used.get(plan)?.has(h) !== true;
}

/** keeps the complete totals of hour h (a walk of all its logged sessions) */
export function keepTraffic(plan: Plan, h: number, t: TrafficLog): void {
  let m = kept.get(plan);
  if (!m) {
    m = new Map();
    kept.set(plan, m);
  }
  m.delete(h);
  m.set(h, t);
  if (m.size > KEEP_HOURS) {
    const first = m.keys().next();
    if (!first.done) m.delete(first.value);
  }
}

/** the kept log of hour h, handed out once (the caller owns it), or undefined */
export function takeTrafficLog(plan: Plan, h: number): TrafficLog | undefined {
  const m = kept.get(plan);
  const t = m?.get(h);
  if (!t) return undefined;
  m?.delete(h);
  return t;
}
