/**
 * Stock (issue 8 §2) and the other facts that depend on history: one pass over the window's orders in time
 * order, with state proportional to the population (stock per product, pending restocks, the (shop, user)
 * pairs that have bought), checkpointed per day. It decides which carts do not convert because an item is
 * out of stock, when restocks arrive, and which paid orders are a customer's first at that shop since the
 * window's start.
 *
 * CONTRACT (bodies owned by the orders part; the metrics part reads it):
 */
import type { Plan } from './plan-type.js';

/** Stock of product p at the end of window hour h (after that hour's sales, returns and restocks). */
export function stockAtHourEnd(_plan: Plan, _h: number, _p: number): number {
  return 0; // TODO(i8 orders)
}

/** Stock of product p at the window's end (shop_product.inventory). */
export function stockAtEnd(_plan: Plan, _p: number): number {
  return 0; // TODO(i8 orders)
}

/** True when paid order j of hour h is its buyer's first paid order at that shop since the window start. */
export function isFirstAtShop(_plan: Plan, _h: number, _j: number): boolean {
  return false; // TODO(i8 orders)
}
