/**
 * Stock and list price of every product, and each shop's inventory value (stock x price in the reporting
 * currency), at the end of one window hour at a time: a cursor the metric tables move hour by hour. It moves
 * forward by applying the stock pass's per-hour stock changes (stock.ts), the hour's price changes
 * (prices.ts) and the hour's new products, and backward by undoing them, so any hour's levels cost the
 * changes between it and the cursor's hour: O(1) per product read, never a walk of a shop's products.
 *
 * Every value is a pure function of the hour: the inventory sums are of integers (toReporting rounds each
 * product's stock x price to the reporting currency's minor unit), exact in a double below 2^53, so the order
 * in which they were added never shows. When the changes of an hour have been dropped (a memory bound), the
 * cursor is rebuilt at the hour asked for from the stock array a private pass computes.
 */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import { toReporting } from './money.js';
import { productShop } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import { priceAt, priceChangeRun, productCurrency } from './prices.js';

/**
 * The stock changes of one hour, in the pass's order: per change its product, then its stock's change (after -
 * before, zigzag), as varints (stock.ts DeltaLog).
 */
export interface StockDeltas {
  count: number;
  data: Uint8Array;
}

/** the changes of `d` decoded into `into` (grown as needed): products and stock changes, in the pass's order */
function decode(d: StockDeltas, into: { product: Int32Array; diff: Int32Array }): void {
  if (into.product.length < d.count) {
    into.product = new Int32Array(d.count * 2);
    into.diff = new Int32Array(d.count * 2);
  }
  const data = d.data;
  let o = 0;
  const next = (): number => {
    let b = data[o++] ?? 0;
    let v = b & 127;
    for (let shift = 7; b >= 128; shift += 7) {
      b = data[o++] ?? 0;
      v += (b & 127) * 2 ** shift;
    }
    return v;
  };
  for (let i = 0; i < d.count; i++) {
    into.product[i] = next();
    const z = next();
    into.diff[i] = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

/** Where the cursor reads the stock pass. */
export interface StockSource {
  /** the stock of every product at the window start (before any hour) */
  initial: () => Int32Array;
  /** the stock changes of hour h (the pass is run through h first), or null when they were dropped */
  deltas: (h: number) => StockDeltas | null;
  /** the stock array at the end of hour h, recomputed (the fallback when deltas were dropped) */
  recompute: (h: number) => Int32Array;
}

export class StockCursor {
  /** window hour whose end the levels are at; -1: the window start */
  private atHour = -1;
  readonly stock: Int32Array;
  readonly price: Int32Array;
  /** per shop: the sum of its products' terms */
  readonly shopValue: Float64Array;
  /** products [0, limit) exist at the cursor's hour */
  private limit: number;
  /** an hour's stock changes, decoded */
  private readonly scratch = { product: new Int32Array(0), diff: new Int32Array(0) };

  constructor(
    private readonly plan: Plan,
    private readonly source: StockSource,
    from?: StockCursor,
  ) {
    if (from) {
      this.atHour = from.atHour;
      this.stock = from.stock.slice();
      this.price = from.price.slice();
      this.shopValue = from.shopValue.slice();
      this.limit = from.limit;
      return;
    }
    const n = at(plan.productsBefore, plan.hours);
    this.stock = source.initial().slice();
    this.price = new Int32Array(n);
    this.shopValue = new Float64Array(at(plan.shopsBefore, plan.hours));
    // a product's shop and currency are read from the plan's tables (plan-lookup.ts, prices.ts), not copied
    // here: 5 bytes a product less (issue 9 §2)
    for (let p = 0; p < n; p++) this.price[p] = priceAt(plan, p, plan.start - 1);
    this.limit = at(plan.productsBefore, 0);
    for (let p = 0; p < this.limit; p++) this.retotal(p, 0);
  }

  /**
   * product p's term: its stock x price in the reporting currency when it exists at the cursor's hour, else 0.
   * Recomputed from the stock and price when asked, not kept per product: 8 bytes a product less (issue 9 §2;
   * 6.5 MB at --scale 5), one more toReporting per change.
   */
  private term(p: number): number {
    const stock = this.stock[p] ?? 0;
    return p < this.limit && stock > 0
      ? toReporting(this.plan, stock * (this.price[p] ?? 0), productCurrency(this.plan, p))
      : 0;
  }

  /** product p's term was `old` before its stock, price or existence changed: its shop's value follows */
  private retotal(p: number, old: number): void {
    const t = this.term(p);
    if (t === old) return;
    const s = productShop(this.plan, p);
    this.shopValue[s] = (this.shopValue[s] ?? 0) + (t - old);
  }

  /** the window hour whose end the levels are at (-1: the window start) */
  get hour(): number {
    return this.atHour;
  }

  /** A second cursor at this one's hour (its levels copied). */
  copy(): StockCursor {
    return new StockCursor(this.plan, this.source, this);
  }

  /** Move to the end of window hour h. */
  moveTo(h: number): this {
    while (this.atHour < h) if (!this.forward(this.atHour + 1)) return this.rebuild(h);
    while (this.atHour > h) if (!this.backward(this.atHour)) return this.rebuild(h);
    return this;
  }

  /**
   * apply the price changes that priceAt sees between the ends of hours h - 1 and h (times in (end-1 of h-1,
   * end-1 of h]): their new prices in time order, or undone (their old prices, latest first)
   */
  private reprice(h: number, undo: boolean): void {
    const lo = this.plan.start + h * HOUR_MS - 1;
    const hi = lo + HOUR_MS;
    // hours h - 1 and h (their runs may be in two blocks of the price change index)
    const hours = h === 0 ? [0] : undo ? [h, h - 1] : [h - 1, h];
    for (const hour of hours) {
      const { x, a, b } = priceChangeRun(this.plan, hour);
      const prices = undo ? x.oldPrice : x.newPrice;
      for (let k = 0; k < b - a; k++) {
        const i = undo ? b - 1 - k : a + k;
        const t = at(x.time, i);
        if (t <= lo || t > hi) continue;
        const p = at(x.product, i);
        const old = this.term(p);
        this.price[p] = at(prices, i);
        this.retotal(p, old);
      }
    }
  }

  private forward(h: number): boolean {
    const d = this.source.deltas(h);
    if (d === null) return false;
    const first = this.limit;
    this.limit = at(this.plan.productsBefore, h + 1);
    // the new products' terms were 0 (they did not exist)
    for (let p = first; p < this.limit; p++) this.retotal(p, 0);
    const x = this.scratch;
    decode(d, x);
    for (let i = 0; i < d.count; i++) {
      const p = x.product[i] ?? 0;
      const old = this.term(p);
      this.stock[p] = (this.stock[p] ?? 0) + (x.diff[i] ?? 0);
      this.retotal(p, old);
    }
    this.reprice(h, false);
    this.atHour = h;
    return true;
  }

  private backward(h: number): boolean {
    const d = this.source.deltas(h);
    if (d === null) return false;
    this.reprice(h, true);
    const x = this.scratch;
    decode(d, x);
    for (let i = d.count - 1; i >= 0; i--) {
      const p = x.product[i] ?? 0;
      const old = this.term(p);
      this.stock[p] = (this.stock[p] ?? 0) - (x.diff[i] ?? 0);
      this.retotal(p, old);
    }
    const last = this.limit;
    const limit = at(this.plan.productsBefore, h);
    // the products created in hour h: their terms before they stop existing
    const olds = new Float64Array(Math.max(0, last - limit));
    for (let p = limit; p < last; p++) olds[p - limit] = this.term(p);
    this.limit = limit;
    for (let p = limit; p < last; p++) this.retotal(p, olds[p - limit] ?? 0);
    this.atHour = h - 1;
    return true;
  }

  /** the levels at the end of hour h from a recomputed stock array and priceAt: O(products) */
  private rebuild(h: number): this {
    const { plan } = this;
    this.stock.set(this.source.recompute(h));
    const end = plan.start + (h + 1) * HOUR_MS;
    for (let p = 0; p < this.price.length; p++) this.price[p] = priceAt(plan, p, end - 1);
    this.limit = at(plan.productsBefore, h + 1);
    this.shopValue.fill(0);
    for (let p = 0; p < this.limit; p++) this.retotal(p, 0);
    this.atHour = h;
    return this;
  }
}
