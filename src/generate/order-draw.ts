/**
 * An order as drawn from its key (hour, index) alone, before the stock pass: time, buyer, shop, items at their
 * prices, promotion, payment attempts, outcome, and whether it will later be refunded or returned. The stock
 * pass (stock.ts) then decides which would-be-paid carts do not convert; orders.ts puts the two together.
 * Cheap: a few dozen keyed hashes and lifecycle lookups per order, no allocation.
 */
import { HOUR_MS } from '../time-units.js';
import {
  promotionForReaders,
  promotionMinBasket,
  salesTaxMilli,
  shopShipsAbroad,
  userOptedIn,
} from './extras.js';
import { orderTime } from './hour-times.js';
import { below, between, K, rowKey, unit, zipf } from './keyed.js';
import { methodExpiresAt, productActiveAt, shopActiveAt, userActiveAt } from './lifecycle.js';
import { awake, SLOT_ZONE } from './local-day.js';
import {
  COUNTRY_BLOCK,
  CURRENCIES,
  minorStep,
  shopCountry,
  shopCurrency,
  userCountry,
  userOfSlot,
} from './money.js';
import { paymentMethodCount, shopOwner } from './plan-lookup.js';
import { type Plan, planEnd } from './plan-type.js';
import { COUNTRY_CODES } from './pools.js';
import { priceAt } from './prices.js';

export const MAX_ITEMS = 20;
/** at most this many payment attempts per order (scenario allows up to 5 retries) */
export const MAX_ATTEMPTS = 6;

export const ABANDONED = 0;
export const PAYMENT_FAILED = 1;
export const PAID = 2;
/** final states of a paid order, when its refund or return happened before the window end */
export const REFUNDED = 3;
export const RETURNED = 4;
export const ORDER_STATUS = ['abandoned', 'payment_failed', 'paid', 'refunded', 'returned'] as const;

/** failure_reason of an attempt: 0 = none (succeeded); EXPIRED only on a method expired at the attempt */
export const FAILURE_REASONS = [
  '',
  'expired_card',
  'card_declined',
  'insufficient_funds',
  'do_not_honor',
  'processing_error',
  'incorrect_cvc',
  'suspected_fraud',
] as const;
const EXPIRED = 1;
/**
 * Shares of the other failures (card_declined ... suspected_fraud), cumulative: generic declines dominate
 * card-not-present failures, then insufficient funds (public processor breakdowns: Stripe, Adyen).
 */
const FAILURE_CUMULATIVE = [0.45, 0.7, 0.82, 0.9, 0.96, 1];

/** A reusable scratch record (no allocation per order). */
export class Order {
  hour = 0;
  index = 0;
  key = 0;
  time = 0;
  user = 0;
  shop = 0;
  /** currency index of the shop (money.ts): every amount of the order is in it */
  currency = 0;
  /** promotion index, -1 when none */
  promotion = -1;
  percent = 0;
  /** outcome at the order's time: ABANDONED, PAYMENT_FAILED or PAID (a refund does not change it) */
  status = 0;
  /** 1 when a would-be-paid cart did not convert because an item was out of stock (status ABANDONED) */
  outOfStock = 0;
  /** paid orders: 0, REFUNDED or RETURNED when that happens before the window end, at refundTime */
  refund = 0;
  refundTime = 0;
  itemCount = 0;
  readonly products = new Float64Array(MAX_ITEMS);
  readonly quantities = new Int32Array(MAX_ITEMS);
  readonly prices = new Int32Array(MAX_ITEMS);
  /** per item: round(line_total * percent / 100); the order's discount is their sum */
  readonly discounts = new Int32Array(MAX_ITEMS);
  subtotal = 0;
  discount = 0;
  total = 0;
  attempts = 0;
  readonly attemptTime = new Float64Array(MAX_ATTEMPTS);
  readonly attemptMethod = new Int32Array(MAX_ATTEMPTS);
  /** index into FAILURE_REASONS (0 for the successful attempt) */
  readonly attemptReason = new Int32Array(MAX_ATTEMPTS);
  /** time of the last event of the order (final payment attempt), clamped into its hour */
  settledTime = 0;

  // Item and attempt reads for the row writers, i < itemCount and a < attempts (the arrays are full length,
  // so a read is always a number): one place for the index checks the compiler asks for.
  product(i: number): number {
    return this.products[i]!;
  }
  quantity(i: number): number {
    return this.quantities[i]!;
  }
  price(i: number): number {
    return this.prices[i]!;
  }
  itemDiscount(i: number): number {
    return this.discounts[i]!;
  }
  attemptTimeAt(a: number): number {
    return this.attemptTime[a]!;
  }
  attemptMethodAt(a: number): number {
    return this.attemptMethod[a]!;
  }
  attemptReasonAt(a: number): number {
    return this.attemptReason[a]!;
  }
  /** the status word's index in ORDER_STATUS as of the window end */
  finalStatus(): number {
    return this.refund !== 0 ? this.refund : this.status;
  }
  /** a cart that would have been paid does not convert: no attempts, no refund */
  block(): void {
    this.status = ABANDONED;
    this.outOfStock = 1;
    this.attempts = 0;
    this.refund = 0;
    this.settledTime = this.time;
  }
}

/**
 * A derived time `d` ms after `t`, kept in the hour of its order (children stay in their order's partition): `t +
 * d` while that is in the hour; else a keyed point (`u` in [0, 1)) of what is left of the hour after `t`, so the
 * rows of orders placed in an hour's last minutes spread over them, each after the one it follows while a
 * millisecond is left, instead of piling up on the hour's last millisecond (a helper found 1,023 payments at
 * HH:59:59.999 in black-friday 24 h, retries no later than the attempt before, invoices at their payment's time).
 */
export function laterInHour(t: number, d: number, hourEnd: number, u: number): number {
  if (t + d < hourEnd) return t + d;
  const room = hourEnd - 1 - t;
  return room <= 0 ? hourEnd - 1 : t + 1 + Math.floor(u * room);
}

/** Products of shop s available when hour h starts: initial range + window products created before h. */
export function availableProducts(plan: Plan, s: number, h: number): number {
  let n = 0;
  if (s < plan.shops0) n = plan.productStart0[s + 1]! - plan.productStart0[s]!;
  const a = plan.shopWindowProductStart[s]!;
  const b = plan.shopWindowProductStart[s + 1]!;
  const limit = plan.productsBefore[h]!;
  for (let i = a; i < b && plan.shopWindowProducts[i]! < limit; i++) n++;
  return n;
}

/** The r-th available product of shop s (initial ones first, then window ones in creation order). */
export function nthProduct(plan: Plan, s: number, r: number): number {
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

/** Redraws of a buyer, shop or product that is not active at the order's time, before a deterministic scan. */
const REDRAWS = 8;
/**
 * Keyed draws of a shop before the scan: more than REDRAWS, as a draw is also redrawn when its shop's country is
 * asleep (local-day.ts: in the shipped scenarios' quietest hours about half are kept, so all 32 fail about once
 * in 10^9 orders; a spiky rhythm keeps fewer, and the scan then takes the next shop whatever its zone).
 */
const SHOP_DRAWS = 32;
/** redraws of the buyer's slot (time zone) in the shop's country while the drawn one is asleep (local-day.ts) */
const SLOT_DRAWS = 8;
/** Regular customers are the users u with u % REGULAR_STRIDE = the plan's offset: 5% of users, O(1) both ways. */
const REGULAR_STRIDE = 20;
/** home draws looking for a regular of the shop's country before taking any user of it */
const REGULAR_TRIES = 24;

/** The offset of the regulars among users (keyed per seed). */
const regularOffset = (plan: Plan): number => below(rowKey(plan.seed, K.user, -1, 0), 1, REGULAR_STRIDE);

/** True when user u is one of the window's regular customers. */
export function isRegular(plan: Plan, u: number): boolean {
  return u % REGULAR_STRIDE === regularOffset(plan);
}

/** The country slots of each slot's country (money.ts: a country has 3 to 18 of the 64). */
const SAME_COUNTRY = COUNTRY_CODES.map((c) => COUNTRY_CODES.flatMap((d, slot) => (d === c ? [slot] : [])));
/** The country slots of each slot's time zone (local-day.ts: the US's 18 slots are in 4 zones). */
const SAME_ZONE = Array.from(SLOT_ZONE, (z) => [...SLOT_ZONE.keys()].filter((q) => SLOT_ZONE[q] === z));

/** users of slot q among the n first: one per whole block, and the last block's when below n */
function slotUsers(plan: Plan, n: number, q: number): number {
  const full = Math.floor(n / COUNTRY_BLOCK);
  return full + (userOfSlot(plan, full, q) < n ? 1 : 0);
}

/**
 * The buyer of an order at shop `shop` among the n users existing at the hour start, other than its owner and
 * active at the order's time; -1 when there is none (in its country, when the shop does not ship abroad).
 * A shop that does not ship abroad sells to its country's users only; the others' buyers are of its country
 * for scenario domestic_order_share of their orders, else anyone. Regulars (repeat_customer_share of orders)
 * or anyone of those; each kind falls back to the wider one when it holds nobody.
 */
function pickUser(plan: Plan, key: number, h: number, n: number, time: number, shop: number): number {
  const d = plan.scenario.distributions;
  const owner = shopOwner(plan, shop);
  const abroad = shopShipsAbroad(plan, shop);
  const regular = unit(key, 400) < d.repeatCustomerShare;
  if (!abroad || unit(key, 460) < d.domesticOrderShare) {
    const slots = SAME_COUNTRY[shopCountry(plan, shop)]!;
    // a slot of the country, redrawn while its time zone is asleep; regulars are looked for in that zone's slots
    let first = below(key, 461, slots.length);
    for (let t = 0; t < SLOT_DRAWS && unit(key, 5100 + t) >= awake(plan, h, slots[first]!); t++) {
      first = below(key, 5110 + t, slots.length);
    }
    const zone = SAME_ZONE[slots[first]!]!;
    for (let t = 0; regular && t < REGULAR_TRIES; t++) {
      const q = zone[(first + t) % zone.length]!;
      const count = slotUsers(plan, n, q);
      if (count === 0) continue;
      const u = userOfSlot(plan, below(key, 470 + t, count), q);
      if (u !== owner && isRegular(plan, u) && userActiveAt(plan, u, time)) return u;
    }
    // anyone of the country: the drawn slot, then the country's others
    for (let k = 0; k < slots.length; k++) {
      const q = slots[(first + k) % slots.length]!;
      const u = activeUser(plan, key, 500 + k * REDRAWS, -1, time, owner, slotUsers(plan, n, q), 1, 0, q);
      if (u >= 0) return u;
    }
    if (!abroad) return -1;
  }
  const off = regularOffset(plan);
  if (regular && n > off) {
    const u = activeUser(
      plan,
      key,
      448,
      h,
      time,
      owner,
      Math.floor((n - 1 - off) / REGULAR_STRIDE) + 1,
      REGULAR_STRIDE,
      off,
      -1,
    );
    if (u >= 0) return u;
  }
  return activeUser(plan, key, 440, h, time, owner, n, 1, 0, -1);
}

/**
 * An active user other than the shop's owner among `count` candidates x: x * stride + a, or (q >= 0) the user
 * of slot q in block x. Keyed redraws (fields f, f + 1, ...), also of a user asleep in window hour h (local-day.ts;
 * h < 0: any), then a bounded scan from the last draw; -1 when none is.
 */
function activeUser(
  plan: Plan,
  key: number,
  f: number,
  h: number,
  time: number,
  owner: number,
  count: number,
  stride: number,
  a: number,
  q: number,
): number {
  if (count <= 0) return -1;
  let x = 0;
  for (let t = 0; t < REDRAWS; t++) {
    x = below(key, f + t, count);
    const u = q < 0 ? x * stride + a : userOfSlot(plan, x, q);
    if (h >= 0 && unit(key, f + 6000 + t) >= awake(plan, h, userCountry(plan, u))) continue;
    if (u !== owner && userActiveAt(plan, u, time)) return u;
  }
  for (let k = 1; k < count && k <= 4096; k++) {
    const y = (x + k) % count;
    const v = q < 0 ? y * stride + a : userOfSlot(plan, y, q);
    if (v !== owner && userActiveAt(plan, v, time)) return v;
  }
  return -1;
}

/** Fill items of shop `shop` (available count `avail`); returns how many active products were found. */
function pickItems(plan: Plan, o: Order, key: number, avail: number, wanted: number): number {
  const d = plan.scenario.distributions;
  const n = Math.min(wanted, avail, MAX_ITEMS);
  let count = 0;
  for (let i = 0; i < n; i++) {
    let r = zipf(unit(key, 100 + i), avail, d.productPopularitySkew);
    let found = -1;
    // distinct and active products: probe forward past taken or unsellable ones
    for (let probe = 0; probe < avail && found < 0; probe++) {
      const p = nthProduct(plan, o.shop, r);
      let dup = false;
      for (let k = 0; k < count; k++) if (o.products[k] === p) dup = true;
      if (!dup && productActiveAt(plan, p, o.time)) found = p;
      else r = (r + 1) % avail;
    }
    if (found < 0) break;
    o.products[count] = found;
    o.quantities[count] = weighted(unit(key, 200 + i), d.quantityPerItem);
    o.prices[count] = priceAt(plan, found, o.time);
    count++;
  }
  return count;
}

/**
 * Shop, items and buyer: an active shop by popularity with at least one active product and a buyer it can sell
 * to (pickUser); redrawn while not.
 */
function pickShopAndItems(plan: Plan, o: Order, key: number, h: number): void {
  const d = plan.scenario.distributions;
  const nShops = plan.shopsBefore[h]!;
  const users = plan.usersBefore[h]!;
  const wanted = weighted(unit(key, 4), d.itemsPerOrder);
  let shop = 0;
  let open = -1;
  for (let t = 0; t < SHOP_DRAWS + 4096; t++) {
    // keyed draws first (redrawn while the shop's country is asleep), then a deterministic scan from the last draw
    shop = t < SHOP_DRAWS ? zipf(unit(key, 3 + t * 97), nShops, d.shopPopularitySkew) : (shop + 1) % nShops;
    if (t >= SHOP_DRAWS + nShops) break;
    if (t < SHOP_DRAWS && unit(key, 5000 + t) >= awake(plan, h, shopCountry(plan, shop))) continue;
    if (!shopActiveAt(plan, shop, o.time)) continue;
    open = shop;
    const avail = availableProducts(plan, shop, h);
    if (avail === 0) continue;
    o.shop = shop;
    o.itemCount = pickItems(plan, o, key, avail, wanted);
    if (o.itemCount === 0) continue;
    // a shop that sells only at home, and has nobody at home to sell to now: the next one
    o.user = pickUser(plan, key, h, users, o.time, shop);
    if (o.user >= 0) return;
  }
  // nothing sellable anywhere (a degenerate scenario: a few users or products): an empty cart at an open shop
  // with a buyer it could sell to (from the last shop tried on), else at the last open shop by any active user
  o.itemCount = 0;
  for (let k = 0; k < nShops && k < 4096; k++) {
    o.shop = (shop + k) % nShops;
    if (!shopActiveAt(plan, o.shop, o.time)) continue;
    o.user = pickUser(plan, key, h, users, o.time, o.shop);
    if (o.user >= 0) return;
  }
  o.shop = open >= 0 ? open : shop;
  o.user = activeUser(plan, key, 440, -1, o.time, -1, users, 1, 0, -1);
  if (o.user < 0) o.user = below(key, 440, users);
}

/** share of buyers who try again after a declined payment, up to scenario payment_max_retries */
export const RETRY_SHARE = 0.6;

/**
 * The payment attempts: default method first; expired methods fail with expired_card; a retry (RETRY_SHARE of
 * buyers after each decline) switches to another valid method, and is not made on the same expired card.
 */
function payAttempts(plan: Plan, o: Order, key: number, hourEnd: number): void {
  const d = plan.scenario.distributions;
  const methods = paymentMethodCount(plan, o.user);
  let t = o.time;
  let method = 0;
  o.status = PAYMENT_FAILED;
  for (let a = 0; a <= d.paymentMaxRetries && a < MAX_ATTEMPTS; a++) {
    // after a decline, some buyers leave (the order fails)
    if (a > 0 && unit(key, 380 + a) >= RETRY_SHARE) break;
    const when = laterInHour(
      t,
      2_000 + below(key, 300 + a, a === 0 ? 60_000 : 180_000),
      hourEnd,
      unit(key, 360 + a),
    );
    const before = method;
    if (a > 0 && methods > 1) {
      // a retry switches to another method that has not expired, when the user has one
      const start = below(key, 320 + a, methods - 1);
      for (let k = 0; k < methods - 1; k++) {
        const m = (method + 1 + ((start + k) % (methods - 1))) % methods;
        if (methodExpiresAt(plan, o.user, m) > when) {
          method = m;
          break;
        }
      }
    }
    // nobody tries the same expired card again
    if (a > 0 && method === before && o.attemptReason[a - 1] === EXPIRED) break;
    t = when;
    o.attemptTime[a] = t;
    o.attemptMethod[a] = method;
    o.attempts = a + 1;
    if (methodExpiresAt(plan, o.user, method) <= t) {
      o.attemptReason[a] = EXPIRED;
      continue;
    }
    const u = unit(key, 340 + a);
    if (u >= d.paymentFailureRate) {
      o.attemptReason[a] = 0;
      o.status = PAID;
      break;
    }
    const v = u / d.paymentFailureRate;
    let r = 0;
    while (r < FAILURE_CUMULATIVE.length - 1 && v >= FAILURE_CUMULATIVE[r]!) r++;
    o.attemptReason[a] = 2 + r;
  }
  o.settledTime = t;
}

/** Order j of hour h's refund class: its refunds come 16 delays per source hour (refunds.ts indexes them). */
export const REFUND_CLASSES = 16;

/** Whole hours from source hour h to the refunds of its orders of class c (>= 1). */
export function refundDelay(plan: Plan, h: number, c: number): number {
  const r = plan.scenario.distributions.refundDelayHours;
  return Math.max(1, between(rowKey(plan.seed, K.refund, h, c), 1, r.min, r.max));
}

/** 0, REFUNDED or RETURNED for order (h, j) if it is paid; its time in `o.refundTime` (may be past the window). */
export function refundDraw(plan: Plan, o: Order): number {
  const d = plan.scenario.distributions;
  const u = unit(o.key, 10);
  const kind = u < d.refundRate ? REFUNDED : u < d.refundRate + d.returnRate ? RETURNED : 0;
  if (kind === 0) return 0;
  const hr = o.hour + refundDelay(plan, o.hour, o.index % REFUND_CLASSES);
  o.refundTime = plan.start + hr * HOUR_MS + 1 + below(o.key, 11, HOUR_MS - 1);
  return kind;
}

/** Fill `o` with order (h, j) as drawn, before the stock pass. */
export function drawOrder(plan: Plan, h: number, j: number, o: Order): Order {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.order, h, j);
  const hourStart = plan.start + h * HOUR_MS;
  const hourEnd = hourStart + HOUR_MS;
  o.hour = h;
  o.index = j;
  o.key = key;
  // index order is time order (the stock pass and live mode replay orders by index)
  o.time = orderTime(plan, h, j, key);
  pickShopAndItems(plan, o, key, h);
  o.currency = shopCurrency(plan, o.shop);

  // Promotion: an active promotion of this shop, recorded before the hour began, whose minimum basket the
  // order's subtotal reaches, and for the newsletter's readers only if the buyer is one.
  o.promotion = -1;
  o.percent = 0;
  let gross = 0;
  for (let i = 0; i < o.itemCount; i++) gross += o.quantities[i]! * o.prices[i]!;
  if (unit(key, 5) < d.promotionUseRate) {
    const a = plan.shopPromoStart[o.shop]!;
    const b = plan.shopPromoStart[o.shop + 1]!;
    const limit = plan.promotionsBefore[h]!;
    for (let i = a; i < b; i++) {
      const p = plan.shopPromos[i]!;
      if (p >= limit) break;
      if (
        plan.promoStart[p]! <= o.time &&
        o.time < plan.promoEnd[p]! &&
        gross >= promotionMinBasket(plan, p) &&
        (!promotionForReaders(plan, p) || userOptedIn(plan, o.user))
      ) {
        o.promotion = p;
        o.percent = plan.promoPercent[p]!;
        break;
      }
    }
  }
  let subtotal = 0;
  let discount = 0;
  // amounts are hundredths of the currency's unit: a discount in yen is whole yen
  const step = minorStep(CURRENCIES[o.currency]);
  for (let i = 0; i < o.itemCount; i++) {
    const line = o.quantities[i]! * o.prices[i]!;
    const off = Math.round((line * o.percent) / 100 / step) * step;
    o.discounts[i] = off;
    subtotal += line;
    discount += off;
  }
  o.subtotal = subtotal;
  o.discount = discount;
  // US and Canadian prices are without their sales tax: it comes on top, half up to the minor unit (as gen
  // verify's order-totals computes it from the shop's tax_region); elsewhere VAT is in the price
  const milli = salesTaxMilli(plan, o.shop, o.user);
  const net = subtotal - discount;
  o.total = milli === 0 ? net : net + Math.floor((net * milli + 50_000 * step) / (100_000 * step)) * step;

  // Outcome: abandoned cart, or payment attempts with failures and retries.
  o.attempts = 0;
  o.outOfStock = 0;
  o.refund = 0;
  o.refundTime = 0;
  o.settledTime = o.time;
  if (o.itemCount === 0 || unit(key, 6) < d.cartAbandonmentRate) o.status = ABANDONED;
  else payAttempts(plan, o, key, hourEnd);
  if (o.status === PAID) {
    const kind = refundDraw(plan, o);
    if (kind !== 0 && o.refundTime < planEnd(plan)) o.refund = kind;
  }
  return o;
}
