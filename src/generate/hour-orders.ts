/**
 * The orders of one hour, drawn once and kept in typed arrays: about ten tables (and the metrics) walk the same
 * orders of an hour, and the stock pass walks them once in index (= time) order. A pure memo: `load` fills an
 * Order exactly as drawOrder does, then `settle` applies the stock pass's verdicts (blocked carts).
 */
import { drawOrder, MAX_ATTEMPTS, MAX_ITEMS, Order } from './order-draw.js';
import type { Plan } from './plan-type.js';

/** per-order bits of the stock pass */
export const BLOCKED = 1;
export const FIRST_AT_SHOP = 2;

function grow<T extends Float64Array | Int32Array | Int8Array>(a: T, make: (len: number) => T): T {
  const b = make(a.length * 2 + MAX_ITEMS);
  b.set(a);
  return b;
}

/**
 * Column types sized to their values (issue 9 §2: the memo holds up to MEMO_ORDERS orders): user, shop, product
 * and promotion indexes below MAX_ENTITIES (2e8) in Int32, percents (1-90) in Int32, currency, status, refund
 * kind, payment method slot (< 20), failure reason and attempt count in 8 bits; item and attempt columns trimmed to
 * their length. ~140 bytes an order where Float64 columns and doubling slack took ~210.
 */
export class HourOrders {
  readonly hour: number;
  readonly count: number;
  private readonly key: Int32Array;
  private readonly time: Float64Array;
  private readonly user: Int32Array;
  private readonly shop: Int32Array;
  private readonly currency: Int8Array;
  private readonly promotion: Int32Array;
  private readonly percent: Int32Array;
  private readonly status: Int8Array;
  private readonly outOfStock: Uint8Array;
  private readonly refund: Int8Array;
  private readonly refundTime: Float64Array;
  private readonly subtotal: Float64Array;
  private readonly discount: Float64Array;
  private readonly total: Float64Array;
  private readonly settledTime: Float64Array;
  /** items of order j: [itemStart[j], itemStart[j+1]) */
  private readonly itemStart: Int32Array;
  private products: Int32Array;
  private quantities: Int32Array;
  private prices: Int32Array;
  private discounts: Int32Array;
  /** attempts of order j: attemptCount[j] from attemptStart[j] */
  private readonly attemptStart: Int32Array;
  private readonly attemptCount: Uint8Array;
  private attemptTime: Float64Array;
  private attemptMethod: Int8Array;
  private attemptReason: Int8Array;

  constructor(plan: Plan, h: number) {
    const n = plan.orders[h]!;
    this.hour = h;
    this.count = n;
    this.key = new Int32Array(n);
    this.time = new Float64Array(n);
    this.user = new Int32Array(n);
    this.shop = new Int32Array(n);
    this.currency = new Int8Array(n);
    this.promotion = new Int32Array(n);
    this.percent = new Int32Array(n);
    this.status = new Int8Array(n);
    this.outOfStock = new Uint8Array(n);
    this.refund = new Int8Array(n);
    this.refundTime = new Float64Array(n);
    this.subtotal = new Float64Array(n);
    this.discount = new Float64Array(n);
    this.total = new Float64Array(n);
    this.settledTime = new Float64Array(n);
    this.itemStart = new Int32Array(n + 1);
    this.attemptStart = new Int32Array(n + 1);
    this.attemptCount = new Uint8Array(n);
    let items = new Int32Array(n * 3 + MAX_ITEMS);
    let quantities = new Int32Array(items.length);
    let prices = new Int32Array(items.length);
    let discounts = new Int32Array(items.length);
    let times = new Float64Array(n * 2 + MAX_ATTEMPTS);
    let methods = new Int8Array(times.length);
    let reasons = new Int8Array(times.length);
    const o = new Order();
    let ni = 0;
    let na = 0;
    for (let j = 0; j < n; j++) {
      drawOrder(plan, h, j, o);
      this.key[j] = o.key;
      this.time[j] = o.time;
      this.user[j] = o.user;
      this.shop[j] = o.shop;
      this.currency[j] = o.currency;
      this.promotion[j] = o.promotion;
      this.percent[j] = o.percent;
      this.status[j] = o.status;
      this.refund[j] = o.refund;
      this.refundTime[j] = o.refundTime;
      this.subtotal[j] = o.subtotal;
      this.discount[j] = o.discount;
      this.total[j] = o.total;
      this.settledTime[j] = o.settledTime;
      if (ni + o.itemCount > items.length) {
        items = grow(items, (l) => new Int32Array(l));
        quantities = grow(quantities, (l) => new Int32Array(l));
        prices = grow(prices, (l) => new Int32Array(l));
        discounts = grow(discounts, (l) => new Int32Array(l));
      }
      for (let i = 0; i < o.itemCount; i++) {
        items[ni] = o.products[i]!;
        quantities[ni] = o.quantities[i]!;
        prices[ni] = o.prices[i]!;
        discounts[ni] = o.discounts[i]!;
        ni++;
      }
      this.itemStart[j + 1] = ni;
      if (na + o.attempts > times.length) {
        times = grow(times, (l) => new Float64Array(l));
        methods = grow(methods, (l) => new Int8Array(l));
        reasons = grow(reasons, (l) => new Int8Array(l));
      }
      this.attemptStart[j] = na;
      this.attemptCount[j] = o.attempts;
      for (let a = 0; a < o.attempts; a++) {
        times[na] = o.attemptTime[a]!;
        methods[na] = o.attemptMethod[a]!;
        reasons[na] = o.attemptReason[a]!;
        na++;
      }
    }
    // kept for as long as the memo keeps the hour: trimmed to their length
    this.products = items.slice(0, ni);
    this.quantities = quantities.slice(0, ni);
    this.prices = prices.slice(0, ni);
    this.discounts = discounts.slice(0, ni);
    this.attemptTime = times.slice(0, na);
    this.attemptMethod = methods.slice(0, na);
    this.attemptReason = reasons.slice(0, na);
  }

  /** Apply the stock pass's bits of the hour: blocked carts become abandoned (out of stock). */
  settle(bits: Uint8Array): this {
    for (let j = 0; j < this.count; j++) {
      if ((bits[j]! & BLOCKED) === 0) continue;
      this.status[j] = 0;
      this.outOfStock[j] = 1;
      this.attemptCount[j] = 0;
      this.refund[j] = 0;
      this.settledTime[j] = this.time[j]!;
    }
    return this;
  }

  /** Fill `o` with order j of the hour. */
  load(j: number, o: Order): Order {
    o.hour = this.hour;
    o.index = j;
    o.key = this.key[j]!;
    o.time = this.time[j]!;
    o.user = this.user[j]!;
    o.shop = this.shop[j]!;
    o.currency = this.currency[j]!;
    o.promotion = this.promotion[j]!;
    o.percent = this.percent[j]!;
    o.status = this.status[j]!;
    o.outOfStock = this.outOfStock[j]!;
    o.refund = this.refund[j]!;
    o.refundTime = this.refundTime[j]!;
    o.subtotal = this.subtotal[j]!;
    o.discount = this.discount[j]!;
    o.total = this.total[j]!;
    o.settledTime = this.settledTime[j]!;
    const i0 = this.itemStart[j]!;
    const n = this.itemStart[j + 1]! - i0;
    o.itemCount = n;
    for (let i = 0; i < n; i++) {
      o.products[i] = this.products[i0 + i]!;
      o.quantities[i] = this.quantities[i0 + i]!;
      o.prices[i] = this.prices[i0 + i]!;
      o.discounts[i] = this.discounts[i0 + i]!;
    }
    const a0 = this.attemptStart[j]!;
    const na = this.attemptCount[j]!;
    o.attempts = na;
    for (let a = 0; a < na; a++) {
      o.attemptTime[a] = this.attemptTime[a0 + a]!;
      o.attemptMethod[a] = this.attemptMethod[a0 + a]!;
      o.attemptReason[a] = this.attemptReason[a0 + a]!;
    }
    return o;
  }
}

/**
 * The last few settled hours per plan. Chunks are generated hour-major, so the tables of one hour share them,
 * and the metric tables of a day walk its 24 hours at the day's first hour: a day and two hours are kept.
 * The bound keeps memory flat whatever --hours (issue 9 §2).
 */
const memo = new WeakMap<Plan, Map<number, HourOrders>>();
const MEMO_HOURS = 26;
/**
 * ...and at most this many orders in all (~118 bytes each, ~15 MB): at a large --scale an hour holds many
 * more orders, and memory must stay flat whatever --scale too. Fewer hours kept only means recomputation: at
 * --scale 5 (~445k orders a day) the 250,000 this was kept about half the day and the hours were recomputed
 * after the metric tables' walk of the day anyway; 125,000 recomputes a quarter of a day's orders more (the
 * hours the metric walk reads past the memo) for ~14 MB less at the peak (issue 9 §2). At --scale 1 (~89k
 * orders a day) it does not bind.
 */
let MEMO_ORDERS = 125_000;

/** Tests: a smaller order bound, so every hour past it is recomputed (the path --scale 5 takes); returns the undo. */
export function boundMemoOrders(n: number): () => void {
  const before = MEMO_ORDERS;
  MEMO_ORDERS = n;
  return () => {
    MEMO_ORDERS = before;
  };
}

/** The settled orders of hour h if they are in the memo. */
export function cachedHour(plan: Plan, h: number): HourOrders | undefined {
  return memo.get(plan)?.get(h);
}

/**
 * Keep the settled orders of an hour, the oldest kept dropped beyond the bounds. `ahead`: handed over by the
 * stock pass, which runs ahead of the load (to the window's end for the first shop_product chunk): kept only
 * while there is room, so the hours the load reads first are not pushed out by the window's last ones.
 */
export function rememberHour(plan: Plan, ho: HourOrders, ahead = false): void {
  let m = memo.get(plan);
  if (!m) {
    m = new Map();
    memo.set(plan, m);
  }
  let total = 0;
  for (const v of m.values()) total += v.count;
  if (ahead && m.size > 0 && (m.size >= MEMO_HOURS || total + ho.count > MEMO_ORDERS)) return;
  m.set(ho.hour, ho);
  total += ho.count;
  while (m.size > 1 && (m.size > MEMO_HOURS || total > MEMO_ORDERS)) {
    const oldest = m.entries().next();
    if (oldest.done) break;
    const [hour, orders] = oldest.value;
    total -= orders.count;
    m.delete(hour);
  }
}
