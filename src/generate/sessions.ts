/**
 * Browsing sessions (issue 8 §3): the platform's web/API traffic, anonymous and signed-in, bots, with the
 * scenario's funnel; every order is the checkout of one session. request_response_log holds a keyed sample of
 * whole sessions (logSampleRate); the metrics count what the log holds.
 *
 * The sessions of window hour h are numbered: buying sessions j in [0, orders[h]) (order j's session), then
 * the non-buying human sessions, then the bots. Session i is logged iff a keyed unit of (h, i) is below
 * log_sample_rate: one hash per session, and only the logged ones are built. The rows (api-log.ts) and the
 * traffic the metrics read (hourTraffic) both walk HourSessions: one code path, so they cannot disagree.
 */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import { HourLoad, LOAD, R } from './api-load.js';
import { userProfile } from './clients.js';
import { userReferrer } from './extras.js';
import { timeInHour } from './hour-times.js';
import { below, between, field, K, rowKey, rowKeyAt, rowKeyBase, unit, zipf } from './keyed.js';
import { productActivatedAt, productActiveAt, shopActiveAt, userActiveAt } from './lifecycle.js';
import { awake } from './local-day.js';
import { shopCountry, userCountry } from './money.js';
import { availableProducts, type HourOrders, hourOrders, nthProduct, Order, PAID } from './orders.js';
import { productShop } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import {
  BOT,
  BOT_PAGES,
  BOT_PRODUCT_SHARE,
  BOT_ROBOTS,
  BOT_SITEMAP,
  BROWSING,
  BUYING,
  ENTRY_CATEGORY,
  ENTRY_HOME,
  keyedRound,
  LOGIN_SHARE,
  MAX_SESSION_REQUESTS,
  requestsPerOrder,
  SEARCH_WORDS,
  SECOND_ADD,
  Session,
  SHOP_SWITCH,
  SLICES,
  think,
  zipfSlices,
} from './session-record.js';
import type { SlotMap } from './slot-map.js';
import { type HourTrafficSlots, TrafficLog, takeTrafficLog, trafficUsed } from './traffic.js';

/** keyed tries of a browsing session's signed-in user and of a shop it views (redrawn while asleep or closed) */
const USER_TRIES = 12;
const SHOP_TRIES = 16;

/** The sessions of one window hour, walked in index order; only the logged ones are built. */
export class HourSessions {
  readonly plan: Plan;
  readonly hour: number;
  readonly buying: number;
  readonly browsing: number;
  readonly bots: number;
  readonly load: HourLoad;
  private readonly rate: number;
  private readonly hourStart: number;
  private readonly hourEnd: number;
  private readonly users: number;
  private readonly shops: number;
  private readonly products: number;
  /** rowKeyBase of the hour's session keys: rowKey(seed, K.session, hour, i) per session i */
  private readonly keyBase: number;
  /** shop popularity by quantile (zipfSlices) */
  private readonly shopSlices: Float64Array;
  /** when set, each logged session is recorded for the traffic totals as it is built (./traffic.ts) */
  traffic: TrafficLog | null = null;
  private cursor = -1;
  private readonly o = new Order();
  /** the hour's orders, fetched when the first buying session is logged */
  private orders: HourOrders | undefined;
  /** products available in the shop last picked (pickShop) */
  private avail = 0;
  private logAvail = 0;

  constructor(plan: Plan, h: number) {
    const d = plan.scenario.distributions;
    this.plan = plan;
    this.hour = h;
    this.buying = at(plan.orders, h);
    const key = rowKey(plan.seed, K.session, h, -1);
    const cr = Math.max(1e-6, Math.min(1, d.conversionRate));
    this.browsing = keyedRound(this.buying * (1 / cr - 1), key, 1);
    this.bots = keyedRound((this.buying + this.browsing) * d.botShare, key, 2);
    this.load = new HourLoad(plan, h, requestsPerOrder(plan));
    this.rate = d.logSampleRate;
    this.hourStart = plan.start + h * HOUR_MS;
    this.hourEnd = this.hourStart + HOUR_MS;
    this.users = at(plan.usersBefore, h);
    this.shops = at(plan.shopsBefore, h);
    this.products = at(plan.productsBefore, h);
    this.keyBase = rowKeyBase(plan.seed, K.session, h); // clients.ts sessionKey
    this.shopSlices = zipfSlices(this.shops, d.shopPopularitySkew);
  }

  get total(): number {
    return this.buying + this.browsing + this.bots;
  }

  /** Build the next logged session into s; false when the hour has no more. */
  next(s: Session): boolean {
    const { rate, keyBase } = this;
    const total = this.total;
    // every session of the hour is hashed to know whether it is logged (~5%): two mixes fewer each
    for (let i = this.cursor + 1; i < total; i++) {
      const key = rowKeyAt(keyBase, i);
      if (unit(key, 0) >= rate) continue;
      this.cursor = i;
      s.index = i;
      s.key = key;
      s.n = 0;
      s.order = -1;
      s.user = -1;
      if (i < this.buying) this.buyingSession(s, i);
      else if (i < this.buying + this.browsing) this.browsingSession(s);
      else this.botSession(s);
      // here, not in the caller's loop: kept out of the row writer's hot function (its inlining budget)
      if (this.traffic !== null) this.traffic.add(s);
      return true;
    }
    this.cursor = total;
    return false;
  }

  /** status (unless already set), latency and size of request r, which has its time */
  private resolve(s: Session, r: number, notFound: number): void {
    const f = 64 + r * 16;
    const route = s.route[r] ?? 0;
    let status = s.status[r] ?? 0;
    if (status === 0) {
      const minute = Math.floor(((s.time[r] ?? 0) - this.hourStart) / 60_000);
      const pages = route === R.product || route === R.category;
      status = this.load.status(s.key, f, route, minute, pages ? notFound : 0);
      s.status[r] = status;
    }
    // a page not found is about no known product or shop
    if (status === 404) {
      s.product[r] = -1;
      s.shop[r] = -1;
    }
    s.latency[r] = this.load.latency(s.key, f + 4, route, status);
    s.bytes[r] = this.load.bytes(s.key, f + 6, route, status);
  }

  /** times from `t` on for requests [from, n), each resolved before the next is timed */
  private forward(s: Session, from: number, t: number, notFound: number): number {
    for (let r = from; r < s.n; r++) {
      // the rest of the session falls in the next hour: it ends here (rows stay in their hour's partition)
      if (t >= this.hourEnd) {
        s.n = r;
        break;
      }
      s.time[r] = t;
      this.resolve(s, r, notFound);
      t += (s.latency[r] ?? 0) + think(s.key, 64 + r * 16 + 8);
    }
    return t;
  }

  /**
   * a shop with something to sell, by popularity, awake (local-day.ts) and active at t (keyed tries); -1 when
   * none found. Its shop draws: fields f to f + 5, then 4000 + 2f + k; the awake tests 3000 + 2f + k (f steps by
   * 8 between the calls of a session, so neither range meets the next call's).
   */
  private pickShop(key: number, f: number, t: number): number {
    const { plan } = this;
    for (let k = 0; k < SHOP_TRIES; k++) {
      const v = field(key, k < 6 ? f + k : 4000 + 2 * f + k);
      const lo = this.shopSlices[v & (SLICES - 1)] ?? 0;
      const hi = this.shopSlices[(v & (SLICES - 1)) + 1] ?? lo;
      const shop = lo + ((v >>> 12) % (hi - lo + 1));
      if (unit(key, 3000 + 2 * f + k) >= awake(plan, this.hour, shopCountry(plan, shop))) continue;
      const avail = availableProducts(plan, shop, this.hour);
      if (avail > 0 && shopActiveAt(plan, shop, t)) {
        this.setAvail(avail);
        return shop;
      }
    }
    return -1;
  }

  private setAvail(n: number): void {
    this.avail = n;
    this.logAvail = Math.log(n + 1);
  }

  /** a product of `shop` by popularity, or -1 (a stale link: 404) when it is not active at t */
  private pickProduct(shop: number, key: number, f: number, t: number): number {
    const { plan } = this;
    const skew = plan.scenario.distributions.productPopularitySkew;
    const u = unit(key, f);
    // zipf at exponent 1 is (n+1)^u - 1: one exp with the shop's log kept, not a pow per view
    const r =
      skew === 1
        ? Math.min(this.avail - 1, Math.floor(Math.exp(u * this.logAvail)) - 1)
        : zipf(u, this.avail, skew);
    const p = nthProduct(plan, shop, r);
    return productActiveAt(plan, p, t) ? p : -1;
  }

  /**
   * Order j's session: signed in as its buyer; views (some other products of the shop, then each item's
   * page and its cart add) before the checkout at the order's time, one POST per payment attempt at its
   * time, then the order page after a paid one.
   */
  private buyingSession(s: Session, j: number): void {
    const { plan } = this;
    const d = plan.scenario.distributions;
    this.orders ??= hourOrders(plan, this.hour);
    const o = this.orders.load(j, this.o);
    const key = s.key;
    s.kind = BUYING;
    s.user = o.user;
    s.referrer = userReferrer(plan, key, o.user);
    s.order = j;
    s.profile = userProfile(plan, o.user);
    if (unit(key, 10) < ENTRY_HOME) s.add(R.home, -1, -1, false);
    if (unit(key, 11) < d.searchRate) s.add(R.search, -1, -1, false, field(key, 12) % SEARCH_WORDS.length);
    const views = between(key, 13, d.productViewsPerSession.min, d.productViewsPerSession.max);
    const extra = Math.min(6, views - o.itemCount);
    const firstExtra = s.n;
    if (extra > 0) {
      this.setAvail(availableProducts(plan, o.shop, this.hour));
      for (let v = 0; v < extra; v++) {
        const p = this.pickProduct(o.shop, key, 20 + v, o.time);
        s.add(R.product, p < 0 ? -1 : o.shop, p, false);
        if (p < 0) s.status[s.n - 1] = 404;
      }
    }
    const lastExtra = s.n;
    for (let i = 0; i < o.itemCount; i++) {
      s.status[s.add(R.product, o.shop, o.product(i), false)] = 200;
      s.status[s.add(R.cartAdd, o.shop, o.product(i), false)] = 201;
    }
    this.timeBefore(s, o.time, this.hourStart);
    // an item (active at the order's time) viewed or carted before it went active, minutes before the
    // order: the requests are squeezed in after its listing instead
    let listed = this.hourStart;
    for (let r = lastExtra; r < s.n; r++) {
      const p = s.product[r] ?? -1;
      if (p < plan.products0) continue;
      const activated = productActivatedAt(plan, p);
      if ((s.time[r] ?? 0) < activated) listed = Math.max(listed, activated);
    }
    if (listed > this.hourStart) this.timeBefore(s, o.time, listed);
    // another product of the shop, active at the order's time, viewed before it went active: not found yet
    for (let r = firstExtra; r < lastExtra; r++) {
      const p = s.product[r] ?? -1;
      if (p >= 0 && !productActiveAt(plan, p, s.time[r] ?? 0)) s.status[r] = 404;
    }
    for (let r = 0; r < s.n; r++) this.resolve(s, r, LOAD.notFoundHuman);
    const c = s.add(R.checkout, o.shop, -1, true);
    s.time[c] = o.time;
    s.status[c] = 201;
    this.resolve(s, c, 0);
    for (let a = 0; a < o.attempts; a++) {
      const r = s.add(R.payment, o.shop, -1, true);
      s.time[r] = o.attemptTimeAt(a);
      // a declined payment is a 402 (Payment Required), what payment APIs answer
      s.status[r] = o.status === PAID && a === o.attempts - 1 ? 201 : 402;
      this.resolve(s, r, 0);
    }
    if (o.status === PAID) {
      const first = s.n;
      s.add(R.order, o.shop, -1, true);
      if (unit(key, 14) < 0.5) s.add(R.order, o.shop, -1, true);
      this.forward(s, first, o.settledTime + think(key, 15), 0);
    }
  }

  /**
   * Times of requests [0, n) before `end` (a checkout): backwards from it by think times, squeezed in after
   * `from` when they would start before it.
   */
  private timeBefore(s: Session, end: number, from: number): void {
    const key = s.key;
    let before = 0;
    for (let r = 0; r < s.n; r++) before += think(key, 64 + r * 16 + 8);
    const squeeze = before > end - from ? (end - from) / before : 1;
    let t = end;
    for (let r = s.n - 1; r >= 0; r--) {
      t -= think(key, 64 + r * 16 + 8) * squeeze;
      s.time[r] = Math.max(from, Math.floor(t));
    }
  }

  /** A human session that buys nothing: anonymous or signed in, home, search, product views, cart adds. */
  private browsingSession(s: Session): void {
    const { plan } = this;
    const d = plan.scenario.distributions;
    const key = s.key;
    s.kind = BROWSING;
    const start = this.hourStart + timeInHour(plan, this.hour, unit(key, 1));
    if (unit(key, 4) >= d.anonymousShare && this.users > 0) {
      // a user awake at this hour (local-day.ts): redrawn while asleep, then while not active
      for (let k = 0; k < USER_TRIES; k++) {
        const u = below(key, k < 4 ? 5 + k : 2100 + k, this.users);
        if (unit(key, 2000 + k) >= awake(plan, this.hour, userCountry(plan, u))) continue;
        if (userActiveAt(plan, u, start)) {
          s.user = u;
          break;
        }
      }
    }
    s.referrer = userReferrer(plan, key, s.user);
    s.profile = s.user >= 0 ? userProfile(plan, s.user) : field(key, 2);
    if (s.user >= 0 && unit(key, 9) < LOGIN_SHARE) s.add(R.login, -1, -1, false);
    const entry = unit(key, 10);
    if (entry < ENTRY_HOME) s.add(R.home, -1, -1, false);
    else if (entry < ENTRY_HOME + ENTRY_CATEGORY) s.add(R.category, -1, -1, false);
    if (unit(key, 11) < d.searchRate) s.add(R.search, -1, -1, false, field(key, 12) % SEARCH_WORDS.length);
    let t = this.forward(s, 0, start, LOAD.notFoundHuman);
    const views = between(key, 13, d.productViewsPerSession.min, d.productViewsPerSession.max);
    const adds = unit(key, 6) < d.cartAddRate ? (unit(key, 7) < SECOND_ADD ? 2 : 1) : 0;
    const addAt = adds > 0 ? below(key, 8, views) : -1;
    const addAt2 = adds > 1 ? below(key, 16, views) : -1;
    let shop = -1;
    for (let v = 0; v < views && s.n < MAX_SESSION_REQUESTS - 2 && t < this.hourEnd; v++) {
      if (shop < 0 || unit(key, 30 + v) < SHOP_SWITCH) shop = this.pickShop(key, 100 + v * 8, t);
      if (shop < 0) break;
      const p = this.pickProduct(shop, key, 40 + v, t);
      const r = s.add(R.product, p < 0 ? -1 : shop, p, false);
      if (p < 0) s.status[r] = 404;
      t = this.forward(s, r, t, LOAD.notFoundHuman);
      if ((v === addAt || v === addAt2) && r < s.n && s.status[r] === 200) {
        const c = s.add(R.cartAdd, shop, p, false);
        // archived since its page was viewed: the cart add finds no such product
        if (!productActiveAt(plan, p, t)) s.status[c] = 404;
        t = this.forward(s, c, t, 0);
      }
    }
  }

  /** A crawler: robots.txt, the sitemap, product and category pages; never signed in, never a cart. */
  private botSession(s: Session): void {
    const { plan } = this;
    const key = s.key;
    s.kind = BOT;
    s.profile = field(key, 2);
    s.referrer = -1;
    if (unit(key, 4) < BOT_ROBOTS) s.add(R.robots, -1, -1, false);
    if (unit(key, 5) < BOT_SITEMAP) s.add(R.sitemap, -1, -1, false);
    let t = this.forward(s, 0, this.hourStart + timeInHour(plan, this.hour, unit(key, 1)), LOAD.notFoundBot);
    const pages = between(key, 6, BOT_PAGES[0], BOT_PAGES[1]);
    for (let k = 0; k < pages && t < this.hourEnd; k++) {
      let r: number;
      if (unit(key, 30 + k) < BOT_PRODUCT_SHARE && this.products > 0) {
        // crawlers follow links to any product, popular or not, dead or alive
        const p = below(key, 40 + k, this.products);
        const shop = productShop(plan, p);
        const live = productActiveAt(plan, p, t) && shopActiveAt(plan, shop, t);
        r = s.add(R.product, live ? shop : -1, live ? p : -1, false);
        if (!live) s.status[r] = 404;
      } else r = s.add(R.category, -1, -1, false);
      t = this.forward(s, r, t, LOAD.notFoundBot);
    }
  }
}

/**
 * The traffic log of hour h, from the same walk as the rows of request_response_log (kept by it when it ran),
 * else walked into `into` (cleared first) or a new log.
 */
export function hourTrafficLog(plan: Plan, h: number, into?: TrafficLog): TrafficLog {
  trafficUsed(plan, h);
  const kept = takeTrafficLog(plan, h);
  if (kept) return kept;
  const walk = new HourSessions(plan, h);
  const log = into ?? new TrafficLog();
  log.clear();
  walk.traffic = log;
  const s = new Session();
  while (walk.next(s));
  return log;
}

/** The traffic of hour h (hourTrafficLog's totals). */
export function hourTrafficSlots(plan: Plan, h: number): HourTrafficSlots {
  return hourTrafficLog(plan, h).totals();
}

/** hourTrafficSlots as Maps: key -> count, or key -> [requests, errors, latency ms sum] */
export function hourTraffic(plan: Plan, h: number) {
  const t = hourTrafficSlots(plan, h);
  const rows = <V>(m: SlotMap, f: (o: number) => V): Map<number, V> =>
    new Map(Array.from({ length: m.size }, (_, i) => [m.keyAt(i), f(i * m.width)]));
  const triple = (m: SlotMap) => rows(m, (o) => [m.get(o), m.get(o + 1), m.get(o + 2)]);
  const count = (m: SlotMap) => rows(m, (o) => m.get(o));
  return {
    productViews: count(t.productViews),
    productCartAdds: count(t.productCartAdds),
    user: triple(t.user),
    shop: triple(t.shop),
  };
}
