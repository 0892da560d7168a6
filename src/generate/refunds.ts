/**
 * Refunds and returns (issue 8 §1): a paid order is refunded (money back, scenario refund_rate) or returned
 * (money back and its items back in stock, return_rate) some hours later. Its rows — a refund payment, the
 * returned units in the inventory log, an order_refunded/order_returned event — belong to the refund's hour,
 * while the order row and its invoice (in the order's hour) show the final status.
 *
 * Finding the refunds of hour H without scanning every earlier order: the delay is a function of the source
 * hour and the order's class c = j mod 16 (whole hours, order-draw.ts refundDelay) plus a keyed time in the
 * hour, so hour H's sources are a precomputed list of (source hour, class) pairs; only the orders of those
 * classes are tested (one keyed hash each) and only the candidates are drawn.
 */
import { at } from '../at.js';
import { K, rowKey, unit } from './keyed.js';
import { REFUND_CLASSES, refundDelay } from './order-draw.js';
import { type Order, orderAt, PAID } from './orders.js';
import type { Plan } from './plan-type.js';

/** id `lo` (kind K.refund, hi = the order's hour) of order j's refund payment and of its returned items */
export const refundPaymentLo = (j: number): number => j * 32;
export const returnItemLo = (j: number, i: number): number => j * 32 + 1 + i;

interface RefundIndex {
  /** sources of hour H: pairs [start[H], start[H+1]) of (hour, class) */
  start: Int32Array;
  hour: Int32Array;
  cls: Int32Array;
}

const indexes = new WeakMap<Plan, RefundIndex>();

/** The (source hour, class) pairs whose refunds land in each window hour: O(hours * 16), once per plan. */
function refundIndex(plan: Plan): RefundIndex {
  const hit = indexes.get(plan);
  if (hit) return hit;
  const target = new Int32Array(plan.hours * REFUND_CLASSES).fill(-1);
  const count = new Int32Array(plan.hours + 1);
  for (let h = 0; h < plan.hours; h++) {
    for (let c = 0; c < REFUND_CLASSES; c++) {
      const t = h + refundDelay(plan, h, c);
      if (t < plan.hours) {
        target[h * REFUND_CLASSES + c] = t;
        count[t + 1] = at(count, t + 1) + 1;
      }
    }
  }
  for (let t = 0; t < plan.hours; t++) count[t + 1] = at(count, t + 1) + at(count, t);
  const fill = count.slice(0, plan.hours);
  const hour = new Int32Array(at(count, plan.hours));
  const cls = new Int32Array(hour.length);
  target.forEach((t, i) => {
    if (t < 0) return;
    const f = at(fill, t);
    hour[f] = Math.floor(i / REFUND_CLASSES);
    cls[f] = i % REFUND_CLASSES;
    fill[t] = f + 1;
  });
  const index = { start: count, hour, cls };
  indexes.set(plan, index);
  return index;
}

/**
 * The orders refunded or returned in window hour H, each left in `o` (o.refund REFUNDED/RETURNED, o.refundTime
 * in hour H). The same keyed test as order-draw.ts refundDraw picks the candidates; the stock pass may have
 * blocked one (then it was never paid).
 */
export function* refundsIn(plan: Plan, H: number, o: Order): Generator<Order> {
  const d = plan.scenario.distributions;
  const rate = d.refundRate + d.returnRate;
  if (rate <= 0) return;
  const ix = refundIndex(plan);
  for (let k = at(ix.start, H); k < at(ix.start, H + 1); k++) {
    const h = at(ix.hour, k);
    const n = at(plan.orders, h);
    for (let j = at(ix.cls, k); j < n; j += REFUND_CLASSES) {
      if (unit(rowKey(plan.seed, K.order, h, j), 10) >= rate) continue;
      orderAt(plan, h, j, o);
      if (o.status === PAID && o.refund !== 0) yield o;
    }
  }
}
