/**
 * An order, recomputed from its key (hour, index) alone: time, buyer, shop, items, promotion, payment
 * attempts, outcome. Every table that follows orders (items, payments, invoices, inventory log, API log,
 * reviews, metrics, registry) calls this instead of sharing state, so each (table, hour) chunk is
 * generated on its own. Cheap: a few dozen keyed hashes per order.
 */
import { below, between, field, K, rowKey, unit, zipf } from './keyed.js';
import { type Plan, paymentMethodCount, productPrice } from './plan.js';

const HOUR = 3_600_000;
export const MAX_ITEMS = 20;
/** at most this many payment attempts per order (scenario allows up to 5 retries) */
export const MAX_ATTEMPTS = 6;

export const ABANDONED = 0;
export const PAYMENT_FAILED = 1;
export const PAID = 2;
export const ORDER_STATUS = ['abandoned', 'payment_failed', 'paid'] as const;

/** A reusable scratch record (no allocation per order). */
export class Order {
  hour = 0;
  index = 0;
  key = 0;
  time = 0;
  user = 0;
  shop = 0;
  /** promotion index, -1 when none */
  promotion = -1;
  percent = 0;
  status = 0;
  itemCount = 0;
  readonly products = new Float64Array(MAX_ITEMS);
  readonly quantities = new Int32Array(MAX_ITEMS);
  readonly prices = new Int32Array(MAX_ITEMS);
  subtotal = 0;
  discount = 0;
  total = 0;
  attempts = 0;
  readonly attemptTime = new Float64Array(MAX_ATTEMPTS);
  readonly attemptMethod = new Int32Array(MAX_ATTEMPTS);
  /** time of the last event of the order (final payment attempt), clamped into its hour */
  settledTime = 0;
  apiRequests = 0;
}

/** Clamp a derived time into the hour of its order: children stay in their order's partition. */
export function inHour(ms: number, hourEnd: number): number {
  return ms < hourEnd ? ms : hourEnd - 1;
}

/** Products of shop s available when hour h starts: initial range + window products created before h. */
function availableProducts(plan: Plan, s: number, h: number): number {
  let n = 0;
  if (s < plan.shops0) n = plan.productStart0[s + 1]! - plan.productStart0[s]!;
  const a = plan.shopWindowProductStart[s]!;
  const b = plan.shopWindowProductStart[s + 1]!;
  const limit = plan.productsBefore[h]!;
  for (let i = a; i < b && plan.shopWindowProducts[i]! < limit; i++) n++;
  return n;
}

/** The r-th available product of shop s (initial ones first, then window ones in creation order). */
function nthProduct(plan: Plan, s: number, r: number): number {
  if (s < plan.shops0) {
    const base = plan.productStart0[s]!;
    const n = plan.productStart0[s + 1]! - base;
    if (r < n) return base + r;
    r -= n;
  }
  return plan.shopWindowProducts[plan.shopWindowProductStart[s]! + r]!;
}

function weighted(u: number, w: { values: number[]; weights: number[] }): number {
  let acc = 0;
  for (let i = 0; i < w.weights.length; i++) {
    acc += w.weights[i]!;
    if (u < acc) return w.values[i]!;
  }
  return w.values[w.values.length - 1]!;
}

/** Fill `o` with order (h, j). */
export function orderAt(plan: Plan, h: number, j: number, o: Order): Order {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.order, h, j);
  const hourStart = plan.start + h * HOUR;
  const hourEnd = hourStart + HOUR;
  o.hour = h;
  o.index = j;
  o.key = key;
  o.time = hourStart + below(key, 1, HOUR);
  o.user = below(key, 2, plan.usersBefore[h]!);

  // Shop by popularity among shops that exist; skip shops with nothing to sell yet.
  const nShops = plan.shopsBefore[h]!;
  let shop = 0;
  let avail = 0;
  for (let t = 0; t < 8; t++) {
    shop = zipf(unit(key, 3 + t * 97), nShops, d.shopPopularitySkew);
    avail = availableProducts(plan, shop, h);
    if (avail > 0) break;
  }
  if (avail === 0) {
    shop = 0;
    avail = availableProducts(plan, 0, h);
  }
  o.shop = shop;

  const wanted = weighted(unit(key, 4), d.itemsPerOrder);
  const n = Math.min(wanted, avail, MAX_ITEMS);
  o.itemCount = n;
  let subtotal = 0;
  for (let i = 0; i < n; i++) {
    let r = zipf(unit(key, 100 + i), avail, d.productPopularitySkew);
    // distinct products within an order: probe forward past ones already taken
    for (;;) {
      let dup = false;
      const p = nthProduct(plan, shop, r);
      for (let k = 0; k < i; k++) if (o.products[k] === p) dup = true;
      if (!dup) {
        o.products[i] = p;
        break;
      }
      r = (r + 1) % avail;
    }
    const q = weighted(unit(key, 200 + i), d.quantityPerItem);
    const price = productPrice(plan, o.products[i]!);
    o.quantities[i] = q;
    o.prices[i] = price;
    subtotal += q * price;
  }
  o.subtotal = subtotal;

  // Promotion: an active promotion of this shop, recorded before the hour began.
  o.promotion = -1;
  o.percent = 0;
  if (unit(key, 5) < d.promotionUseRate) {
    const a = plan.shopPromoStart[shop]!;
    const b = plan.shopPromoStart[shop + 1]!;
    const limit = plan.promotionsBefore[h]!;
    for (let i = a; i < b; i++) {
      const p = plan.shopPromos[i]!;
      if (p >= limit) break;
      if (plan.promoStart[p]! <= o.time && o.time < plan.promoEnd[p]!) {
        o.promotion = p;
        o.percent = plan.promoPercent[p]!;
        break;
      }
    }
  }
  o.discount = Math.round((subtotal * o.percent) / 100);
  o.total = subtotal - o.discount;

  // Outcome: abandoned cart, or payment attempts with failures and retries.
  o.attempts = 0;
  o.settledTime = o.time;
  if (unit(key, 6) < d.cartAbandonmentRate) {
    o.status = ABANDONED;
  } else {
    const methods = paymentMethodCount(plan, o.user);
    let t = o.time;
    o.status = PAYMENT_FAILED;
    for (let a = 0; a <= d.paymentMaxRetries; a++) {
      t = inHour(t + 2_000 + below(key, 300 + a, a === 0 ? 60_000 : 180_000), hourEnd);
      o.attemptTime[a] = t;
      // a retry may switch to another stored method
      o.attemptMethod[a] = a === 0 ? 0 : below(key, 320 + a, methods);
      o.attempts = a + 1;
      if (unit(key, 340 + a) >= d.paymentFailureRate) {
        o.status = PAID;
        break;
      }
    }
    o.settledTime = t;
  }
  const r = d.apiRequestsPerOrder;
  o.apiRequests = between(key, 7, r.min, r.max);
  return o;
}

/** Keyed field of an order for later derived values (kept apart from the fields above). */
export function orderField(o: Order, f: number): number {
  return field(o.key, 1000 + f);
}
