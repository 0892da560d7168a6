/**
 * Expected demand per product (issue 8 §2): how many units of a product the order draw (order-draw.ts) sells
 * per hour on average, from the plan alone, so the stock pass (stock.ts) can size stock, reorder points and
 * restocks by it. The same zipf weights as the draw, in closed form, and its shop's country's share of the
 * window's hours (local-day.ts); inactive parties and other redraws are ignored.
 */
import { awake } from './local-day.js';
import { shopCountry } from './money.js';
import { MAX_ITEMS } from './order-draw.js';
import type { Plan } from './plan-type.js';
import { COUNTRY_CODES } from './pools.js';

/** Probability that keyed.ts's zipf(u, n, s) returns rank r (its inverse-CDF in closed form). */
function zipfChance(r: number, n: number, s: number): number {
  if (n <= 1) return 1;
  if (s === 0) return 1 / n;
  if (Math.abs(s - 1) < 1e-9) return Math.log((r + 2) / (r + 1)) / Math.log(n + 1);
  const e = 1 - s;
  return ((r + 2) ** e - (r + 1) ** e) / ((n + 1) ** e - 1);
}

/** mean of a weighted distribution with its values capped at `cap` */
function mean(w: { values: number[]; weights: number[] }, cap: number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < w.weights.length; i++) {
    sum += Math.min(w.values[i] ?? 0, cap) * (w.weights[i] ?? 0);
    total += w.weights[i] ?? 0;
  }
  return total > 0 ? sum / total : 0;
}

const demandTables = new WeakMap<Plan, Float64Array>();

/**
 * Expected units of product p sold per hour, from the plan alone: the window's mean orders per hour x the
 * chance the order draw picks its shop (zipf over the shops at the window end, x its country's factor) x the
 * chance it picks the product
 * among the items of an order of that shop (zipf over the shop's products at the window end, times the mean
 * basket size there) x the mean quantity per item. Inactive parties and redraws are ignored. Tabled per plan
 * in one O(products) loop over the shops.
 */
export function productDemand(plan: Plan, p: number): number {
  return demands(plan)[p] ?? 0;
}

/** productDemand of every product, tabled once per plan (the stock pass reads it per product) */
function demands(plan: Plan): Float64Array {
  let t = demandTables.get(plan);
  if (!t) {
    t = demandTable(plan);
    demandTables.set(plan, t);
  }
  return t;
}

/**
 * Per country slot, its shops' share of the window's orders over an even share: the order draw keeps a shop
 * while its country is awake (local-day.ts), so a slot's share of hour h's orders is awake(h, slot) over the
 * mean of all slots' (the slots hold about as many shops each), weighted by the hour's orders.
 */
function slotFactors(plan: Plan): Float64Array {
  const n = COUNTRY_CODES.length;
  const out = new Float64Array(n);
  let orders = 0;
  for (let h = 0; h < plan.hours; h++) {
    const o = plan.orders[h] ?? 0;
    let sum = 0;
    for (let q = 0; q < n; q++) sum += awake(plan, h, q);
    if (o === 0 || sum === 0) continue;
    orders += o;
    for (let q = 0; q < n; q++) out[q] = (out[q] ?? 0) + (o * n * awake(plan, h, q)) / sum;
  }
  for (let q = 0; q < n; q++) out[q] = orders > 0 ? (out[q] ?? 0) / orders : 1;
  return out;
}

/** productDemand of every product, computed afresh (the stock pass keeps its own for as long as it runs) */
export function demandTable(plan: Plan): Float64Array {
  const d = plan.scenario.distributions;
  const at = (x: ArrayLike<number>, i: number): number => x[i] ?? 0;
  const out = new Float64Array(at(plan.productsBefore, plan.hours));
  let orders = 0;
  for (let h = 0; h < plan.hours; h++) orders += at(plan.orders, h);
  const perHour = (orders / Math.max(1, plan.hours)) * mean(d.quantityPerItem, Number.POSITIVE_INFINITY);
  const shops = at(plan.shopsBefore, plan.hours);
  const factors = slotFactors(plan);
  for (let s = 0; s < shops; s++) {
    const base = s < plan.shops0 ? at(plan.productStart0, s) : 0;
    const n0 = s < plan.shops0 ? at(plan.productStart0, s + 1) - base : 0;
    const a = at(plan.shopWindowProductStart, s);
    const n = n0 + at(plan.shopWindowProductStart, s + 1) - a;
    const shopRate = perHour * zipfChance(s, shops, d.shopPopularitySkew) * at(factors, shopCountry(plan, s));
    const items = mean(d.itemsPerOrder, Math.min(n, MAX_ITEMS));
    for (let r = 0; r < n; r++) {
      const p = r < n0 ? base + r : at(plan.shopWindowProducts, a + r - n0);
      out[p] = shopRate * Math.min(1, items * zipfChance(r, n, d.productPopularitySkew));
    }
  }
  return out;
}
