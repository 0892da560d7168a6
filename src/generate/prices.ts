/**
 * Prices over time (issue 8 §2): a product's list price in its shop's currency, with keyed repricings
 * (cuts and rises, scenario repricing_rate / repricing_percent). An order item carries the price at the
 * order's time; each change is a global_event (price_changed, old and new price in extra_data).
 *
 * CONTRACT (bodies owned by the money part):
 */
import { productPrice } from './plan-lookup.js';
import type { Plan } from './plan-type.js';

/** Unit price of product p at time t, minor units of its shop's currency. Hot path: no allocation. */
export function priceAt(plan: Plan, p: number, _t: number): number {
  return productPrice(plan, p); // TODO(i8 money)
}

/** One price change. */
export interface PriceChange {
  product: number;
  time: number;
  oldPrice: number;
  newPrice: number;
}

/**
 * The price changes with time in window hour h, in time order (global_event rows). Built once per plan from a
 * per-window index (memory proportional to products + changes), never a scan of all products per hour.
 */
export function priceChangesIn(_plan: Plan, _h: number): readonly PriceChange[] {
  return []; // TODO(i8 money)
}
