/**
 * Prices over time (issue 8 §2): a product's list price in its shop's currency, with keyed repricings
 * (cuts and rises, scenario repricing_rate / repricing_percent). An order item carries the price at the
 * order's time; each change is a global_event (price_changed, old and new price in extra_data).
 *
 * CONTRACT (bodies owned by the money part):
 *
 * The base price is a USD price of the product (its name's price, log-uniform in its noun's usual range, times the
 * shop's own spread; cut to price_cents) converted to the shop's currency at the fixed rate and put on a price point
 * (money.ts). Repricings come Exp(repricing_rate per day) apart from the product's creation, or from the window
 * start for the population before the window (the exponential forgets: its base price is its price at the window
 * start); each moves the price by a keyed repricing_percent (a keyed 70% are cuts) to a price point, and they stop
 * when the product is archived. A product sees a handful in a year at default rates, so priceAt walks them; the
 * base prices are tabled once per plan (the shop and currency of every product).
 */
import { at } from '../at.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import { productCreated } from './arrivals.js';
import { type Block, f64, hourLists, hourOrder, i32, perBlock, type Run } from './hour-index.js';
import { between, K, normal, rowKey, unit } from './keyed.js';
import { expWait, productActivatedAt, productArchivedAt } from './lifecycle.js';
import { CURRENCIES, fromUsd, minorStep, pricePoint, shopCurrency } from './money.js';
import { perPlan } from './per-plan.js';
import { productShop } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import { PRODUCT_NAMES, type ProductText, poolsFor } from './pools.js';
import { productTextOf } from './text.js';

/** rowKey's `hi` for a product name's price (product rows use 0) */
const NAME_PRICE = 1;
/** share of repricings that are cuts */
const CUT_SHARE = 0.7;
/** a safety bound on the walk (a product would need decades at default rates) */
const MAX_CHANGES = 1000;

interface ProductMoney {
  /** base price of every product, hundredths of its shop's currency */
  base: Int32Array;
  /** currency index of every product (its shop's) */
  currency: Int8Array;
}

const productMoney = perPlan((plan: Plan): ProductMoney => {
  const n = at(plan.productsBefore, plan.hours);
  const base = new Int32Array(n);
  const currency = new Int8Array(n);
  const pools = poolsFor(plan.seed);
  for (let p = 0; p < n; p++) {
    const s = productShop(plan, p);
    const c = shopCurrency(plan, s);
    currency[p] = c;
    base[p] = fromUsd(usdPrice(plan, p, productTextOf(plan, pools, p, s)), c);
  }
  return { base, currency };
});

/**
 * How far a shop's price strays from its product name's, log scale: a standard deviation (normal, cut at two of
 * them: 0.67x to 1.49x before the price point; less for a noun whose usual range is narrower than 2.2x: a quarter
 * of its width). The name pool is per department, so many shops list one name (black-friday --scale 1: 164,140
 * products under 5,632 names, 25 shops a name at the median, 99 at most); each shop drew its own price anywhere
 * in the noun's range, up to 18x apart for one name (USD shops). Shops price one thing near one another.
 */
const SHOP_SPREAD = 0.2;

/**
 * The USD price of product p, cents: its name's price (keyed by the name: a monitor is not a mug, a leather
 * wallet not a canvas one) times its shop's spread, inside its noun's usual range kept inside the scenario's
 * price_cents. The name's price is log-uniform in that range less two spreads at each end, so that no shop's
 * price needs cutting back into it (a cut piles prices up on the range's ends); x.99 above 5.00, as shop prices are.
 */
function usdPrice(plan: Plan, p: number, text: ProductText): number {
  const { min, max } = plan.scenario.distributions.priceCents;
  const [low, high] = text.usdCents;
  const lo = Math.log(Math.min(Math.max(low, min), max));
  const hi = Math.log(Math.min(Math.max(high, min), max));
  const spread = Math.min(SHOP_SPREAD, (hi - lo) / 4);
  const name = unit(rowKey(plan.seed, K.product, NAME_PRICE, text.dept * PRODUCT_NAMES + text.index), 1);
  const shop = Math.min(2, Math.max(-2, normal(rowKey(plan.seed, K.product, 0, p), 43)));
  const cents = Math.round(Math.exp(lo + 2 * spread + name * (hi - lo - 4 * spread) + shop * spread));
  return cents > 500 ? Math.floor(cents / 100) * 100 + 99 : cents;
}

/** Currency index of product p (its shop's currency). */
export function productCurrency(plan: Plan, p: number): number {
  return at(productMoney(plan).currency, p);
}

/** When product p's repricings start counting: its creation, or the window start for the population before it. */
const origin = (plan: Plan, p: number): number => (p < plan.products0 ? plan.start : productCreated(plan, p));

/** Price after repricing k of a product (key), from `old`; equal to old when no price point moves. */
function repriced(plan: Plan, key: number, k: number, old: number, c: number): number {
  const r = plan.scenario.distributions.repricingPercent;
  const cut = unit(key, 3 * k + 2) < CUT_SHARE;
  const pct = between(key, 3 * k + 3, r.min, r.max);
  let next = pricePoint(c, (old * (cut ? 100 - pct : 100 + pct)) / 100);
  if (next === old) {
    // a small change of a x.99 or hundred-yen price lands on the same point: move one point
    const step = minorStep(CURRENCIES[c]) === 100 ? 10000 : old > 500 ? 100 : 1;
    next = pricePoint(c, cut ? old - step : old + step);
  }
  return next;
}

const gap = (plan: Plan, key: number, k: number): number =>
  expWait(unit(key, 3 * k + 1), plan.scenario.distributions.repricingRate, DAY_MS);

/** Unit price of product p at time t, minor units of its shop's currency. Hot path: no allocation. */
export function priceAt(plan: Plan, p: number, t: number): number {
  const m = productMoney(plan);
  let price = at(m.base, p);
  const key = rowKey(plan.seed, K.price, 0, p);
  let time = origin(plan, p) + gap(plan, key, 0);
  if (time > t) return price;
  const end = productArchivedAt(plan, p, productActivatedAt(plan, p));
  const c = at(m.currency, p);
  for (let k = 0; k < MAX_CHANGES && time <= t && time < end; k++) {
    price = repriced(plan, key, k, price, c);
    time += gap(plan, key, k + 1);
  }
  return price;
}

/** One price change. */
export interface PriceChange {
  product: number;
  time: number;
  oldPrice: number;
  newPrice: number;
}

/** The price changes of a block of window hours in time order, in columns (hour-index.ts). */
export interface PriceChanges extends Block {
  product: Int32Array;
  time: Float64Array;
  oldPrice: Int32Array;
  newPrice: Int32Array;
}

/**
 * The price changes of `hours` window hours from `first`, in time order then product: one walk per product that
 * exists by their end, from its origin (so the changes before them are walked too: a handful per product at
 * default rates).
 */
function priceBlock(plan: Plan, first: number, hours: number): PriceChanges {
  const from = plan.start + first * HOUR_MS;
  const to = from + hours * HOUR_MS;
  const m = productMoney(plan);
  const product = i32();
  const time = f64();
  const oldPrice = i32();
  const newPrice = i32();
  const products = at(plan.productsBefore, first + hours);
  for (let p = 0; p < products; p++) {
    const key = rowKey(plan.seed, K.price, 0, p);
    let t = origin(plan, p) + gap(plan, key, 0);
    if (t >= to) continue;
    const end = productArchivedAt(plan, p, productActivatedAt(plan, p));
    const c = at(m.currency, p);
    let price = at(m.base, p);
    for (let k = 0; k < MAX_CHANGES && t < to && t < end; k++) {
      const next = repriced(plan, key, k, price, c);
      if (next !== price && t >= from) {
        product.push(p);
        time.push(t);
        oldPrice.push(price);
        newPrice.push(next);
      }
      price = next;
      t += gap(plan, key, k + 1);
    }
  }
  const ts = time.data;
  const ps = product.data;
  const { order, start } = hourOrder(
    time.length,
    hours,
    (a, b) => (ts[a] ?? 0) - (ts[b] ?? 0) || (ps[a] ?? 0) - (ps[b] ?? 0),
    (i) => Math.floor(((ts[i] ?? 0) - from) / HOUR_MS),
  );
  return {
    first,
    start,
    product: product.permuted(order),
    time: time.permuted(order),
    oldPrice: oldPrice.permuted(order),
    newPrice: newPrice.permuted(order),
  };
}

/** The price changes of window hour h: their block (hour-index.ts perBlock) and their run in it. */
export const priceChangeRun: (plan: Plan, h: number) => Run<PriceChanges> = perBlock(priceBlock);

/**
 * The price changes with time in window hour h, in time order (global_event rows), made from its block's
 * columns when the hour is read, never a scan of all products per hour.
 */
export const priceChangesIn: (plan: Plan, h: number) => readonly PriceChange[] = hourLists(
  priceChangeRun,
  (x, i) => ({
    product: at(x.product, i),
    time: at(x.time, i),
    oldPrice: at(x.oldPrice, i),
    newPrice: at(x.newPrice, i),
  }),
);
