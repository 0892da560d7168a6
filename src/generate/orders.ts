/**
 * An order, recomputed from its key (hour, index) alone: time, buyer, shop, items, promotion, payment
 * attempts, outcome. Every table that follows orders (items, payments, invoices, inventory log, API log,
 * reviews, metrics, registry) calls this instead of sharing state, so each (table, hour) chunk is
 * generated on its own. Cheap: a few dozen keyed hashes per order.
 */
import { HOUR_MS } from '../time-units.js';
import { below, between, field, K, rowKey, unit, zipf } from './keyed.js';
import type { Plan } from './plan.js';
import { paymentMethodCount, productPrice } from './plan-lookup.js';

export const MAX_ITEMS = 20;
/** at most this many payment attempts per order (scenario allows up to 5 retries) */
export const MAX_ATTEMPTS = 6;

export const ABANDONED = 0;
export const PAYMENT_FAILED = 1;
export const PAID = 2;
export const ORDER_STATUS = ['abandoned', 'payment_failed', 'paid'] as const;

/** A reusable scratch record (no allocation per order). */
export class Order {
  hour = 0;
  index = 0;
  key = 0;
  time = 0;
  user = 0;
  shop = 0;
  /** promotion index, -1 when none */
  promotion = -1;
  percent = 0;
  status = 0;
  itemCount = 0;
  readonly products = new Float64Array(MAX_ITEMS);
  readonly quantities = new Int32Array(MAX_ITEMS);
  readonly prices = new Int32Array(MAX_ITEMS);
  subtotal = 0;
  discount = 0;
  total = 0;
  attempts = 0;
  readonly attemptTime = new Float64Array(MAX_ATTEMPTS);
  readonly attemptMethod = new Int32Array(MAX_ATTEMPTS);
  /** time of the last event of the order (final payment attempt), clamped into its hour */
  settledTime = 0;
  apiRequests = 0;

  // Item and attempt reads for the row writers, i < itemCount and a < attempts (the arrays are full length,
  // so a read is always a number): one place for the index checks the compiler asks for.
  product(i: number): number {
    return this.products[i]!;
  }
  quantity(i: number): number {
    return this.quantities[i]!;
  }
  price(i: number): number {
    return this.prices[i]!;
  }
  attemptTimeAt(a: number): number {
    return this.attemptTime[a]!;
  }
  attemptMethodAt(a: number): number {
    return this.attemptMethod[a]!;
  }
}

/** Clamp a derived time into the hour of its order: children stay in their order's partition. */
export function inHour(ms: number, hourEnd: number): number {
  return ms < hourEnd ? ms : hourEnd - 1;
}

/** Products of shop s available when hour h starts: initial range + window products created before h. */
export function availableProducts(plan: Plan, s: number, h: number): number {
  let n = 0;
  if (s < plan.shops0) n = plan.productStart0[s + 1]! - plan.productStart0[s]!;
  const a = plan.shopWindowProductStart[s]!;
  const b = plan.shopWindowProductStart[s + 1]!;
  const limit = plan.productsBefore[h]!;
  for (let i = a; i < b && plan.shopWindowProducts[i]! < limit; i++) n++;
  return n;
}

/** The r-th available product of shop s (initial ones first, then window ones in creation order). */
export function nthProduct(plan: Plan, s: number, r: number): number {
  if (s < plan.shops0) {
    const base = plan.productStart0[s]!;
    const n = plan.productStart0[s + 1]! - base;
    if (r < n) return base + r;
    r -= n;
  }
  return plan.shopWindowProducts[plan.shopWindowProductStart[s]! + r]!;
}

function weighted(u: number, w: { values: number[]; weights: number[] }): number {
  let acc = 0;
  for (let i = 0; i < w.weights.length; i++) {
    acc += w.weights[i]!;
    if (u < acc) return w.values[i]!;
  }
  return w.values[w.values.length - 1]!;
}

/** Fill `o` with order (h, j). */
export function orderAt(plan: Plan, h: number, j: number, o: Order): Order {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.order, h, j);
  const hourStart = plan.start + h * HOUR_MS;
  const hourEnd = hourStart + HOUR_MS;
  o.hour = h;
  o.index = j;
  o.key = key;
  o.time = hourStart + below(key, 1, HOUR_MS);
  o.user = below(key, 2, plan.usersBefore[h]!);

  // Shop by popularity among shops that exist; skip shops with nothing to sell yet.
  const nShops = plan.shopsBefore[h]!;
  let shop = 0;
  let avail = 0;
  for (let t = 0; t < 8; t++) {
    shop = zipf(unit(key, 3 + t * 97), nShops, d.shopPopularitySkew);
    avail = availableProducts(plan, shop, h);
    if (avail > 0) break;
  }
  if (avail === 0) {
    shop = 0;
    avail = availableProducts(plan, 0, h);
  }
  o.shop = shop;

  const wanted = weighted(unit(key, 4), d.itemsPerOrder);
  const n = Math.min(wanted, avail, MAX_ITEMS);
  o.itemCount = n;
  let subtotal = 0;
  for (let i = 0; i < n; i++) {
    let r = zipf(unit(key, 100 + i), avail, d.productPopularitySkew);
    // distinct products within an order: probe forward past ones already taken
    for (;;) {
      let dup = false;
      const p = nthProduct(plan, shop, r);
      for (let k = 0; k < i; k++) if (o.products[k] === p) dup = true;
      if (!dup) {
        o.products[i] = p;
        break;
      }
      r = (r + 1) % avail;
    }
    const q = weighted(unit(key, 200 + i), d.quantityPerItem);
    const price = productPrice(plan, o.products[i]!);
    o.quantities[i] = q;
    o.prices[i] = price;
    subtotal += q * price;
  }
  o.subtotal = subtotal;

  // Promotion: an active promotion of this shop, recorded before the hour began.
  o.promotion = -1;
  o.percent = 0;
  if (unit(key, 5) < d.promotionUseRate) {
    const a = plan.shopPromoStart[shop]!;
    const b = plan.shopPromoStart[shop + 1]!;
    const limit = plan.promotionsBefore[h]!;
    for (let i = a; i < b; i++) {
      const p = plan.shopPromos[i]!;
      if (p >= limit) break;
      if (plan.promoStart[p]! <= o.time && o.time < plan.promoEnd[p]!) {
        o.promotion = p;
        o.percent = plan.promoPercent[p]!;
        break;
      }
    }
  }
  o.discount = Math.round((subtotal * o.percent) / 100);
  o.total = subtotal - o.discount;

  // Outcome: abandoned cart, or payment attempts with failures and retries.
  o.attempts = 0;
  o.settledTime = o.time;
  if (unit(key, 6) < d.cartAbandonmentRate) {
    o.status = ABANDONED;
  } else {
    const methods = paymentMethodCount(plan, o.user);
    let t = o.time;
    o.status = PAYMENT_FAILED;
    for (let a = 0; a <= d.paymentMaxRetries; a++) {
      t = inHour(t + 2_000 + below(key, 300 + a, a === 0 ? 60_000 : 180_000), hourEnd);
      o.attemptTime[a] = t;
      // a retry may switch to another stored method
      o.attemptMethod[a] = a === 0 ? 0 : below(key, 320 + a, methods);
      o.attempts = a + 1;
      if (unit(key, 340 + a) >= d.paymentFailureRate) {
        o.status = PAID;
        break;
      }
    }
    o.settledTime = t;
  }
  const r = d.apiRequestsPerOrder;
  o.apiRequests = between(key, 7, r.min, r.max);
  return o;
}

/** Keyed field of an order for later derived values (kept apart from the fields above). */
export function orderField(o: Order, f: number): number {
  return field(o.key, 1000 + f);
}

/**
 * The orders of one hour, computed once and kept in typed arrays: about ten tables (and the metrics) walk
 * the same orders of an hour. A pure memo: `load` fills an Order exactly as `orderAt` does.
 */
export class HourOrders {
  readonly hour: number;
  readonly count: number;
  private readonly key: Int32Array;
  private readonly time: Float64Array;
  private readonly user: Float64Array;
  private readonly shop: Float64Array;
  private readonly promotion: Float64Array;
  private readonly percent: Float64Array;
  private readonly status: Int32Array;
  private readonly subtotal: Float64Array;
  private readonly discount: Float64Array;
  private readonly total: Float64Array;
  private readonly settledTime: Float64Array;
  private readonly apiRequests: Float64Array;
  /** items of order j: [itemStart[j], itemStart[j+1]) */
  private readonly itemStart: Int32Array;
  private products: Float64Array;
  private quantities: Int32Array;
  private prices: Int32Array;
  /** attempts of order j: [attemptStart[j], attemptStart[j+1]) */
  private readonly attemptStart: Int32Array;
  private attemptTime: Float64Array;
  private attemptMethod: Int32Array;

  constructor(plan: Plan, h: number) {
    const n = plan.orders[h]!;
    this.hour = h;
    this.count = n;
    this.key = new Int32Array(n);
    this.time = new Float64Array(n);
    this.user = new Float64Array(n);
    this.shop = new Float64Array(n);
    this.promotion = new Float64Array(n);
    this.percent = new Float64Array(n);
    this.status = new Int32Array(n);
    this.subtotal = new Float64Array(n);
    this.discount = new Float64Array(n);
    this.total = new Float64Array(n);
    this.settledTime = new Float64Array(n);
    this.apiRequests = new Float64Array(n);
    this.itemStart = new Int32Array(n + 1);
    this.attemptStart = new Int32Array(n + 1);
    let items = new Float64Array(n * 3 + MAX_ITEMS);
    let quantities = new Int32Array(items.length);
    let prices = new Int32Array(items.length);
    let times = new Float64Array(n * 2 + MAX_ATTEMPTS);
    let methods = new Int32Array(times.length);
    const o = new Order();
    let ni = 0;
    let na = 0;
    for (let j = 0; j < n; j++) {
      orderAt(plan, h, j, o);
      this.key[j] = o.key;
      this.time[j] = o.time;
      this.user[j] = o.user;
      this.shop[j] = o.shop;
      this.promotion[j] = o.promotion;
      this.percent[j] = o.percent;
      this.status[j] = o.status;
      this.subtotal[j] = o.subtotal;
      this.discount[j] = o.discount;
      this.total[j] = o.total;
      this.settledTime[j] = o.settledTime;
      this.apiRequests[j] = o.apiRequests;
      if (ni + o.itemCount > items.length) {
        const grow = <T extends Float64Array | Int32Array>(a: T, make: (len: number) => T): T => {
          const b = make(a.length * 2 + MAX_ITEMS);
          b.set(a);
          return b;
        };
        items = grow(items, (l) => new Float64Array(l));
        quantities = grow(quantities, (l) => new Int32Array(l));
        prices = grow(prices, (l) => new Int32Array(l));
      }
      for (let i = 0; i < o.itemCount; i++) {
        items[ni] = o.products[i]!;
        quantities[ni] = o.quantities[i]!;
        prices[ni] = o.prices[i]!;
        ni++;
      }
      this.itemStart[j + 1] = ni;
      if (na + o.attempts > times.length) {
        const t2 = new Float64Array(times.length * 2 + MAX_ATTEMPTS);
        t2.set(times);
        times = t2;
        const m2 = new Int32Array(t2.length);
        m2.set(methods);
        methods = m2;
      }
      for (let a = 0; a < o.attempts; a++) {
        times[na] = o.attemptTime[a]!;
        methods[na] = o.attemptMethod[a]!;
        na++;
      }
      this.attemptStart[j + 1] = na;
    }
    this.products = items;
    this.quantities = quantities;
    this.prices = prices;
    this.attemptTime = times;
    this.attemptMethod = methods;
  }

  /** Fill `o` with order j of the hour, as orderAt(plan, hour, j, o) would. */
  load(j: number, o: Order): Order {
    o.hour = this.hour;
    o.index = j;
    o.key = this.key[j]!;
    o.time = this.time[j]!;
    o.user = this.user[j]!;
    o.shop = this.shop[j]!;
    o.promotion = this.promotion[j]!;
    o.percent = this.percent[j]!;
    o.status = this.status[j]!;
    o.subtotal = this.subtotal[j]!;
    o.discount = this.discount[j]!;
    o.total = this.total[j]!;
    o.settledTime = this.settledTime[j]!;
    o.apiRequests = this.apiRequests[j]!;
    const i0 = this.itemStart[j]!;
    const n = this.itemStart[j + 1]! - i0;
    o.itemCount = n;
    for (let i = 0; i < n; i++) {
      o.products[i] = this.products[i0 + i]!;
      o.quantities[i] = this.quantities[i0 + i]!;
      o.prices[i] = this.prices[i0 + i]!;
    }
    const a0 = this.attemptStart[j]!;
    const na = this.attemptStart[j + 1]! - a0;
    o.attempts = na;
    for (let a = 0; a < na; a++) {
      o.attemptTime[a] = this.attemptTime[a0 + a]!;
      o.attemptMethod[a] = this.attemptMethod[a0 + a]!;
    }
    return o;
  }
}

/**
 * The last few hours of orders per plan. Chunks are generated hour-major, so the tables of one hour share
 * them; the bound keeps memory flat whatever --hours (same bound as the metric aggregates).
 */
const memo = new WeakMap<Plan, Map<number, HourOrders>>();
const MEMO_HOURS = 26;
/**
 * ...and at most this many orders in all (~150 bytes each, ~150 MB): at a large --scale an hour holds many
 * more orders, and memory must stay flat whatever --scale too. Fewer hours kept only means recomputation.
 */
const MEMO_ORDERS = 1_000_000;

export function hourOrders(plan: Plan, h: number): HourOrders {
  let m = memo.get(plan);
  if (!m) {
    m = new Map();
    memo.set(plan, m);
  }
  const hit = m.get(h);
  if (hit) return hit;
  const ho = new HourOrders(plan, h);
  m.set(h, ho);
  let total = 0;
  for (const v of m.values()) total += v.count;
  while (m.size > 1 && (m.size > MEMO_HOURS || total > MEMO_ORDERS)) {
    const oldest = m.entries().next();
    if (oldest.done) break;
    const [hour, orders] = oldest.value;
    total -= orders.count;
    m.delete(hour);
  }
  return ho;
}
