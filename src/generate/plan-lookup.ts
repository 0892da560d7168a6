/**
 * Lookups into the plan that the row writers make per row (creation hour, owner and shop of a product, its
 * buyer's payment methods). A measured hot path: the plan's arrays are sized by construction, so the index reads keep their
 * non-null assertions here rather than a checked read per row.
 */
import { between, K, rowKey, unit } from './keyed.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan-type.js';

/** The hour in which index i of a prefix-summed kind was created (-1: before the window). */
export function creationHour(before: Float64Array, i: number): number {
  if (i < before[0]!) return -1;
  let lo = 0;
  let hi = before.length - 1;
  // largest h with before[h] <= i
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (before[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The platform's first shop, its flagship: enterprise tier (ships abroad) and never paused (lifecycle.ts), so that
 * a population of a few shops and users always has a shop an order can go to (scenario tiny at --scale 0.1 has
 * one to four shops: hours when every shop was paused, or the only one sold at home where only its owner lived).
 */
export const FLAGSHIP_SHOP = 0;

/** Owner user of shop s (initial shops: planned; window shops: a user that existed when the hour started). */
export function shopOwner(plan: Plan, s: number): number {
  if (s < plan.shops0) return plan.shopOwner0[s]!;
  const h = creationHour(plan.shopsBefore, s);
  return Math.floor(unit(rowKey(plan.seed, K.shop, 0, s), 42) * plan.usersBefore[h]!);
}

/**
 * Index of product p among the products of its shop s: the initial ones first, then the window's in creation
 * order (order-draw.ts nthProduct's inverse).
 */
export function productOrdinal(plan: Plan, p: number, s: number): number {
  if (p < plan.products0) return p - plan.productStart0[s]!;
  const initial = s < plan.shops0 ? plan.productStart0[s + 1]! - plan.productStart0[s]! : 0;
  const a = plan.shopWindowProductStart[s]!;
  let lo = a;
  let hi = plan.shopWindowProductStart[s + 1]! - 1;
  // the position of p in the shop's ascending window products
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (plan.shopWindowProducts[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return initial + lo - a;
}

/** Shop of product p. */
export function productShop(plan: Plan, p: number): number {
  if (p < plan.products0) return p >= 0 ? initialShops(plan)[p]! : initialProductShop(plan, p);
  return plan.windowProductShop[p - plan.products0]!;
}

/**
 * The shop of each product of the population before the window, looked up once per plan (4 bytes a product):
 * the metric rows, sessions and orders ask per row, a binary search over the shops each time.
 */
const initialShops = perPlan((plan: Plan): Int32Array => {
  const t = new Int32Array(plan.products0);
  for (let p = 0; p < plan.products0; p++) t[p] = initialProductShop(plan, p);
  return t;
});

/** binary search of the initial prefix sums */
function initialProductShop(plan: Plan, p: number): number {
  const a = plan.productStart0;
  let lo = 0;
  let hi = plan.shops0 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a[mid]! <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Number of payment methods of user u. */
export function paymentMethodCount(plan: Plan, u: number): number {
  const r = plan.scenario.population.paymentMethodsPerUser;
  return between(rowKey(plan.seed, K.user, 0, u), 30, r.min, r.max);
}
