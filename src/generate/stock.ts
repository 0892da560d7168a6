/**
 * Stock (issue 8 §2) and the other facts that depend on history: one pass over the window's orders in time
 * order, with state proportional to the population (stock per product, pending restocks and returns, the
 * (shop, user) pairs that have bought), computed lazily up to the hour asked for and memoised per plan: the
 * pass is sequential from the window start, so its result is the same whoever asks first. It decides which
 * carts do not convert because an item is out of stock, when restocks arrive, and which paid orders are a
 * customer's first at that shop since the window's start.
 *
 * Rules. Stock follows demand, as shops do: stock-demand.ts gives each product's expected units sold per hour
 * (d, from the order draw's zipf weights over shops and products, O(1) per product). A product is restocked
 * with chance restockRate (keyed per product); for a restocked product:
 *   reorder point  rp    = max(reorderPoint, restockLeadHours.max x d)
 *   restock cover  cover = ceil(k x restockLeadHours.max x d), k keyed 1-7 per product (3-21 days at the
 *                          default 72 h lead: shops restocked within hours keep hours of stock)
 *   initial stock        = max(drawn initialStock, rp + u x cover), u keyed in [0, 1): where the product is
 *                          in its restock cycle at the window start (or at its listing)
 *   restock quantity     = max(drawn restockQuantity, cover), drawn per triggering sale
 * so the scenario's initialStock, reorderPoint and restockQuantity are floors. A product that is not restocked
 * keeps its drawn initialStock: limited stock, which may sell out for good.
 * A would-be-paid order reserves its units at its time; when an item's quantity exceeds the stock the cart
 * does not convert (abandoned, out of stock). A sale that leaves a restocked product at or below rp schedules
 * its restock at sale time + restockLeadHours (one pending restock per product). A return puts its units back
 * at its time. Restocks and returns apply in time order before the orders at or after them. Stock never goes
 * below zero.
 *
 * Kept: 1 byte of bits per order per hour, each hour's restocks (the inventory log's rows), each hour's stock
 * changes (a bounded number: the levels at any hour end are read through ./stock-cursor.ts, which steps over
 * them; beyond the bound, a private pass from the window start recomputes), and the stock at the window end
 * (shop_product.inventory).
 */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import { BLOCKED, FIRST_AT_SHOP, HourOrders, rememberHour } from './hour-orders.js';
import { below, between, K, rowKey, unit } from './keyed.js';
import { MAX_ITEMS, Order, PAID, RETURNED } from './order-draw.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan-type.js';
import { PairPresence } from './slot-map.js';
import { StockCursor, type StockDeltas } from './stock-cursor.js';
import { demandTable, productDemand } from './stock-demand.js';

/** Restocks applied in one hour, in time order (shop_inventory_log 'restock' rows). */
export interface HourRestocks {
  count: number;
  time: Float64Array;
  product: Int32Array;
  quantity: Int32Array;
}

/** The product's key in the stock namespace: its fields 1-4 are drawn below. */
const productKey = (plan: Plan, p: number): number => rowKey(plan.seed, K.stock, -1, p);

/**
 * Units a restock of a product (key, expected demand per hour) brings at least: its demand over a keyed 1-7
 * times the longest restock lead time (3-21 days at the default 72 hours; shops restocked within hours keep
 * hours of stock).
 */
function cover(plan: Plan, key: number, demand: number): number {
  const times = between(key, 3, 1, 7);
  return Math.ceil(times * plan.scenario.distributions.restockLeadHours.max * demand);
}

/** stock of product p when it is listed (or at the window start for the population before it) */
export function initialStock(plan: Plan, p: number): number {
  const key = productKey(plan, p);
  const demand = productDemand(plan, p);
  return stockAtListing(plan, key, demand, reorderPoint(plan, key, demand));
}

/** true when the shop restocks the product (key) when it runs low */
const restocked = (plan: Plan, key: number): boolean =>
  unit(key, 2) < plan.scenario.distributions.restockRate;

/**
 * A sale that leaves the product at or below this schedules a restock: reorderPoint, or more, the expected
 * demand over the longest restock lead time. -1 when the product is not restocked.
 */
function reorderPoint(plan: Plan, key: number, demand: number): number {
  if (!restocked(plan, key)) return -1;
  const d = plan.scenario.distributions;
  return Math.max(d.reorderPoint, Math.ceil(d.restockLeadHours.max * demand));
}

/** initialStock of a product (key, demand) whose reorder point is `rp` (-1 when not restocked) */
function stockAtListing(plan: Plan, key: number, demand: number, rp: number): number {
  const r = plan.scenario.distributions.initialStock;
  const drawn = between(key, 1, r.min, r.max);
  if (rp < 0) return drawn;
  // somewhere in its restock cycle: from its reorder point up to that plus a restock's cover
  return Math.max(drawn, rp + Math.floor(unit(key, 4) * cover(plan, key, demand)));
}

/** A min-heap of pending stock movements (restocks and returns) by time, in typed arrays. */
class Pending {
  size = 0;
  private seq = 0;
  time = new Float64Array(256);
  order = new Float64Array(256);
  product = new Int32Array(256);
  quantity = new Int32Array(256);
  /** 1 for a restock (logged, clears the product's pending flag), 0 for a return */
  restock = new Uint8Array(256);

  private less(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && this.order[a]! < this.order[b]!);
  }
  private swap(a: number, b: number): void {
    const sw = <T extends Float64Array | Int32Array | Uint8Array>(x: T): void => {
      const t = x[a]!;
      x[a] = x[b]!;
      x[b] = t;
    };
    sw(this.time);
    sw(this.order);
    sw(this.product);
    sw(this.quantity);
    sw(this.restock);
  }
  push(time: number, product: number, quantity: number, restock: number): void {
    if (this.size === this.time.length) {
      const g = <T extends Float64Array | Int32Array | Uint8Array>(x: T, make: (n: number) => T): T => {
        const y = make(x.length * 2);
        y.set(x);
        return y;
      };
      this.time = g(this.time, (n) => new Float64Array(n));
      this.order = g(this.order, (n) => new Float64Array(n));
      this.product = g(this.product, (n) => new Int32Array(n));
      this.quantity = g(this.quantity, (n) => new Int32Array(n));
      this.restock = g(this.restock, (n) => new Uint8Array(n));
    }
    let i = this.size++;
    this.time[i] = time;
    this.order[i] = this.seq++;
    this.product[i] = product;
    this.quantity[i] = quantity;
    this.restock[i] = restock;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  /** remove the top (read its fields first) */
  pop(): void {
    const last = --this.size;
    if (last > 0) this.swap(0, last);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.less(l, m)) m = l;
      if (r < this.size && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}

/** The pass's state after its last walked hour. */
class Pass {
  /** next hour to walk */
  hour = 0;
  readonly stock: Int32Array;
  readonly pendingRestock: Uint8Array;
  /** per product: its reorder point, -1 when it is not restocked */
  readonly reorderAt: Int32Array;
  /**
   * per product: its expected demand (stock-demand.ts), the pass's own table: it goes with the pass (8 bytes a
   * product), where the per-plan one (live mode's initialStock) would stay for the whole run
   */
  private readonly demand: Float64Array;
  readonly pending = new Pending();
  readonly buyers = new PairPresence();

  constructor(readonly plan: Plan) {
    const n = plan.productsBefore[plan.hours]!;
    this.stock = new Int32Array(n);
    this.reorderAt = new Int32Array(n);
    const demand = demandTable(plan);
    this.demand = demand;
    for (let p = 0; p < n; p++) {
      const key = productKey(plan, p);
      const dem = demand[p]!;
      const rp = reorderPoint(plan, key, dem);
      this.reorderAt[p] = rp;
      this.stock[p] = stockAtListing(plan, key, dem, rp);
    }
    this.pendingRestock = new Uint8Array(n);
  }

  /** apply the pending movements with time <= t (restocks are recorded in `log` when given) */
  private applyUntil(t: number, log: RestockLog | null, deltas: DeltaLog | null): void {
    const q = this.pending;
    while (q.size > 0 && q.time[0]! <= t) {
      const p = q.product[0]!;
      const before = this.stock[p]!;
      this.stock[p] = before + q.quantity[0]!;
      deltas?.add(p, before, before + q.quantity[0]!);
      if (q.restock[0] === 1) {
        this.pendingRestock[p] = 0;
        log?.add(q.time[0]!, p, q.quantity[0]!);
      }
      q.pop();
    }
  }

  /** walk hour h: the bits of its orders; its settled orders and restocks go to the callbacks */
  walk(ho: HourOrders, bits: Uint8Array, log: RestockLog | null, deltas: DeltaLog | null): void {
    const { plan, stock } = this;
    const d = plan.scenario.distributions;
    const h = ho.hour;
    const o = new Order();
    for (let j = 0; j < ho.count; j++) {
      ho.load(j, o);
      this.applyUntil(o.time, log, deltas);
      if (o.status !== PAID) continue;
      let ok = true;
      for (let i = 0; i < o.itemCount; i++) if (o.quantities[i]! > stock[o.products[i]!]!) ok = false;
      if (!ok) {
        bits[j] = BLOCKED;
        continue;
      }
      if (this.buyers.add(o.shop, o.user)) bits[j] = FIRST_AT_SHOP;
      for (let i = 0; i < o.itemCount; i++) {
        const p = o.products[i]!;
        const left = stock[p]! - o.quantities[i]!;
        deltas?.add(p, stock[p]!, left);
        stock[p] = left;
        if (left <= this.reorderAt[p]! && this.pendingRestock[p] === 0) {
          const key = rowKey(plan.seed, K.stock, h, j * MAX_ITEMS + i);
          const lead = between(key, 1, d.restockLeadHours.min, d.restockLeadHours.max) * HOUR_MS;
          const drawn = between(key, 2, d.restockQuantity.min, d.restockQuantity.max);
          const qty = Math.max(drawn, cover(plan, productKey(plan, p), this.demand[p]!));
          this.pending.push(o.time + lead + below(key, 3, HOUR_MS), p, qty, 1);
          this.pendingRestock[p] = 1;
        }
      }
      if (o.refund === RETURNED) {
        for (let i = 0; i < o.itemCount; i++)
          this.pending.push(o.refundTime, o.products[i]!, o.quantities[i]!, 0);
      }
    }
    // movements before the next hour starts (one at exactly the hour end belongs to the next hour)
    this.applyUntil(plan.start + (h + 1) * HOUR_MS - 1, log, deltas);
    this.hour = h + 1;
  }
}

/** Restocks of one hour as they are applied. */
class RestockLog {
  count = 0;
  time = new Float64Array(16);
  product = new Int32Array(16);
  quantity = new Int32Array(16);
  add(t: number, p: number, q: number): void {
    if (this.count === this.time.length) {
      const n = this.count * 2;
      const t2 = new Float64Array(n);
      t2.set(this.time);
      this.time = t2;
      const p2 = new Int32Array(n);
      p2.set(this.product);
      this.product = p2;
      const q2 = new Int32Array(n);
      q2.set(this.quantity);
      this.quantity = q2;
    }
    this.time[this.count] = t;
    this.product[this.count] = p;
    this.quantity[this.count] = q;
    this.count++;
  }
  done(): HourRestocks {
    return {
      count: this.count,
      time: this.time.slice(0, this.count),
      product: this.product.slice(0, this.count),
      quantity: this.quantity.slice(0, this.count),
    };
  }
}

/**
 * The stock changes of one hour as the pass makes them (the cursor's steps, ./stock-cursor.ts), encoded as they
 * come: per change the product and the change of its stock (after - before, zigzag), as varints: ~4 bytes a
 * change where three Int32Arrays took 12 (issue 9 §2).
 */
class DeltaLog {
  count = 0;
  private pos = 0;
  private data = new Uint8Array(256);

  private varint(v: number): void {
    const d = this.data;
    let o = this.pos;
    let u = v >>> 0;
    while (u >= 128) {
      d[o++] = (u & 127) | 128;
      u >>>= 7;
    }
    d[o++] = u;
    this.pos = o;
  }

  add(p: number, before: number, after: number): void {
    if (this.pos + 10 > this.data.length) {
      const d = new Uint8Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const diff = after - before;
    this.varint(p);
    // stock levels are Int32: a change fits 32 bits zigzagged
    this.varint(diff >= 0 ? diff * 2 : -diff * 2 - 1);
    this.count++;
  }
  done(): StockDeltas {
    return { count: this.count, data: this.data.slice(0, this.pos) };
  }
}

/**
 * Stock changes kept per plan, at most this many (~4 bytes each): the oldest hours' are dropped beyond it, and
 * the cursor is then rebuilt from a private pass when it needs them.
 */
const MAX_DELTAS = 4_000_000;
let maxDeltas = MAX_DELTAS;

/**
 * For tests: keep at most `n` stock changes per plan made from now on (1: every hour's but the newest are
 * dropped, so the cursor's rebuild path runs); returns the function that restores the bound.
 */
export function boundStockChanges(n: number): () => void {
  maxDeltas = n;
  return () => {
    maxDeltas = MAX_DELTAS;
  };
}

interface State {
  /** the pass, until it has walked the window's last hour (then dropped: its buyers grow with the window) */
  pass: Pass | null;
  bits: Uint8Array[];
  restocks: HourRestocks[];
  deltas: (StockDeltas | undefined)[];
  deltaCount: number;
  /** hours before this one have had their deltas dropped */
  firstDelta: number;
  /** the stock at the window's end, kept when the pass gets there */
  end: Int32Array | null;
  /** the level cursors (at most MAX_CURSORS: see cursorAt) */
  cursors: StockCursor[];
  /** while there are fewer than MAX_CURSORS: the hour a cursor last left, and how many moves in a row went back to such an hour */
  left: number;
  returns: number;
  /** the private pass the cursor's rebuilds walk forward (recompute), once changes were dropped */
  replay: Pass | null;
}

/** per plan (the last one without a WeakMap lookup: the metric rows ask per value, orders per order) */
const state = perPlan(
  (plan: Plan): State => ({
    pass: new Pass(plan),
    bits: [],
    restocks: [],
    deltas: [],
    deltaCount: 0,
    firstDelta: 0,
    end: null,
    cursors: [],
    left: -2,
    returns: 0,
    replay: null,
  }),
);

/** Run the memoised pass through hour h (inclusive). */
function advance(plan: Plan, h: number): State {
  const s = state(plan);
  for (let pass = s.pass; pass !== null && pass.hour <= h; pass = s.pass) {
    const hour = pass.hour;
    const ho = new HourOrders(plan, hour);
    const bits = new Uint8Array(ho.count);
    const log = new RestockLog();
    const deltas = new DeltaLog();
    pass.walk(ho, bits, log, deltas);
    s.bits[hour] = bits;
    s.restocks[hour] = log.done();
    s.deltas[hour] = deltas.done();
    s.deltaCount += deltas.count;
    while (s.deltaCount > maxDeltas && s.firstDelta < hour) {
      s.deltaCount -= s.deltas[s.firstDelta]?.count ?? 0;
      s.deltas[s.firstDelta++] = undefined;
    }
    // the pass walks no further: its stock array is the window end's (no copy: 4 bytes a product), the rest of
    // it goes (reorder points, pending movements, the window's (shop, buyer) pairs)
    if (hour === plan.hours - 1) {
      s.end = pass.stock;
      s.pass = null;
    }
    rememberHour(plan, ho.settle(bits), true);
  }
  return s;
}

/** The stock pass's bits of the orders of hour h (BLOCKED, FIRST_AT_SHOP). */
export function hourBits(plan: Plan, h: number): Uint8Array {
  const b = advance(plan, h).bits[h];
  if (!b) throw new Error(`internal: no stock pass bits for hour ${h}`);
  return b;
}

/** The restocks that arrive in hour h, in time order. */
export function restocksIn(plan: Plan, h: number): HourRestocks {
  const r = advance(plan, h).restocks[h];
  if (!r) throw new Error(`internal: no restocks for hour ${h}`);
  return r;
}

/**
 * Stock array at the end of hour h recomputed by a private pass: the plan's replay pass walked on from where
 * it is, or a new one from the window start when h is before it. The cursor moves mostly forward, so a window
 * whose early hours' changes were dropped costs one replay of them, not one per hour (that was quadratic in
 * the hours: at --scale 5 over 168 h, a pass from the window start for each of ~100 hours).
 */
function recompute(plan: Plan, h: number): Int32Array {
  const s = state(plan);
  let pass = s.replay;
  if (pass === null || pass.hour > h + 1) pass = new Pass(plan);
  s.replay = pass;
  for (let k = pass.hour; k <= h; k++)
    pass.walk(new HourOrders(plan, k), new Uint8Array(plan.orders[k]!), null, null);
  return pass.stock;
}

/** level cursors at most (8 bytes a product each) */
const MAX_CURSORS = 2;

/**
 * The levels of every product and shop at the end of hour h: a cursor of the plan's, moved there. A load's
 * jobs generate chunks of neighbouring hours at once, buffer by buffer (a metric chunk of hour h beside one of
 * hour h + 1, and the daily chunks asking for the day's end between them): one cursor walked back and forth at
 * every switch (a 4-job `--out` spent a quarter of its CPU there). So when three moves in a row went back to the
 * hour the cursor had just left, a second cursor is made (a copy: 8 bytes a product); then the one at h
 * answers, else the nearest one moves (the least recently used one moved: with three hours in play, the day's
 * end, an early and a late hour, a 4-job load of black-friday's 24 h moved cursors 1,807 hours for 336 asks
 * of another hour; the nearest, 610). Generating chunk after chunk (the bench, `--jobs 1`) goes back at most
 * twice in a row (a day's first hour, its daily chunks asking for the day's end between its hourly ones) and
 * keeps one cursor.
 */
function cursorAt(plan: Plan, h: number): StockCursor {
  const s = state(plan);
  const cursors = s.cursors;
  // asked per metric row: the cursor already there first, without a search
  const first = cursors[0];
  if (first !== undefined && first.hour === h) return first;
  if (first === undefined) {
    const c = new StockCursor(plan, {
      initial: () => new Pass(plan).stock,
      deltas: (k) => (k >= s.firstDelta ? (advance(plan, k).deltas[k] ?? null) : null),
      recompute: (k) => recompute(plan, k),
    });
    cursors.push(c);
    return c.moveTo(h);
  }
  let near = 0;
  for (let i = 1; i < cursors.length; i++) {
    const c = at(cursors, i);
    if (c.hour === h) return c;
    if (Math.abs(c.hour - h) < Math.abs(at(cursors, near).hour - h)) near = i;
  }
  const c = at(cursors, near);
  if (cursors.length < MAX_CURSORS) {
    s.returns = h === s.left ? s.returns + 1 : 0;
    s.left = c.hour;
    if (s.returns >= 3) {
      const copy = c.copy();
      cursors.push(copy);
      s.returns = 0;
      s.left = -2;
      return copy.moveTo(h);
    }
  }
  return c.moveTo(h);
}

/** Stock of product p at the end of window hour h (after that hour's sales, returns and restocks). */
export function stockAtHourEnd(plan: Plan, h: number, p: number): number {
  return cursorAt(plan, h).stock[p] ?? 0;
}

/** List price of product p at the end of window hour h (priceAt its last millisecond), shop currency. */
export function priceAtHourEnd(plan: Plan, h: number, p: number): number {
  return cursorAt(plan, h).price[p] ?? 0;
}

/**
 * Inventory value of shop s at the end of window hour h: stock x price of its products existing then, each
 * converted to the reporting currency, summed.
 */
export function inventoryValueAt(plan: Plan, h: number, s: number): number {
  return cursorAt(plan, h).shopValue[s] ?? 0;
}

/** Stock of product p at the window's end (shop_product.inventory). */
export function stockAtEnd(plan: Plan, p: number): number {
  const s = advance(plan, plan.hours - 1);
  return s.end?.[p] ?? 0;
}

/** True when paid order j of hour h is its buyer's first paid order at that shop since the window start. */
export function isFirstAtShop(plan: Plan, h: number, j: number): boolean {
  return ((hourBits(plan, h)[j] ?? 0) & FIRST_AT_SHOP) !== 0;
}
