/**
 * An order, recomputed from its key (hour, index) alone: time, buyer, shop, items, promotion, payment
 * attempts, outcome (order-draw.ts), settled by the stock pass (stock.ts: a would-be-paid cart with an item out
 * of stock does not convert). Every table that follows orders (items, payments, invoices, inventory log, API
 * log, reviews, refunds, metrics, registry) calls this instead of sharing state, so each (table, hour) chunk is
 * generated on its own.
 */
import { BLOCKED, cachedHour, HourOrders, rememberHour } from './hour-orders.js';
import { drawOrder, type Order } from './order-draw.js';
import type { Plan } from './plan-type.js';
import { hourBits } from './stock.js';

export { HourOrders } from './hour-orders.js';
export {
  ABANDONED,
  availableProducts,
  FAILURE_REASONS,
  laterInHour,
  MAX_ATTEMPTS,
  MAX_ITEMS,
  nthProduct,
  ORDER_STATUS,
  Order,
  PAID,
  PAYMENT_FAILED,
  REFUNDED,
  RETURNED,
} from './order-draw.js';

/** Fill `o` with order (h, j) as the tables show it (after the stock pass). */
export function orderAt(plan: Plan, h: number, j: number, o: Order): Order {
  const bits = hourBits(plan, h);
  drawOrder(plan, h, j, o);
  if (((bits[j] ?? 0) & BLOCKED) !== 0) o.block();
  return o;
}

/** The settled orders of hour h, memoised for the ~ten tables that walk them. */
export function hourOrders(plan: Plan, h: number): HourOrders {
  const hit = cachedHour(plan, h);
  if (hit) return hit;
  const bits = hourBits(plan, h);
  // the pass hands over the hours it walks
  const walked = cachedHour(plan, h);
  if (walked) return walked;
  const ho = new HourOrders(plan, h).settle(bits);
  rememberHour(plan, ho);
  return ho;
}
