/**
 * Row generators for the hourly (operational) tables. Each yields the CSV rows of one table for one hour
 * of the window, in a fixed order, as Buffers of about 256 KiB: memory stays flat whatever the volume.
 *
 * Population that exists before the window (scenario.population) is a snapshot recorded at the window
 * start: its rows have event_time = window start (hour 0) and created_time in the past.
 */

import type { TableName } from '../model/tables.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import { type Ctx, jsonPool, pick } from './context.js';
import { below, between, field, K, normal, rowKey, unit } from './keyed.js';
import {
  ABANDONED,
  hourOrders,
  inHour,
  MAX_ATTEMPTS,
  MAX_ITEMS,
  ORDER_STATUS,
  Order,
  orderAt,
  orderField,
  PAID,
} from './orders.js';
import { creationHour, type Plan, paymentMethodCount, productPrice, productShop, shopOwner } from './plan.js';
import type { Pools } from './pools.js';

/** request ids per order: (order index * MAX_REQUESTS + n) */
export const MAX_REQUESTS = 64;

const USER_EXTRA = jsonPool(
  ['web', 'ios', 'android', 'referral'].flatMap((c) =>
    [true, false].map((m) => ({ signup_channel: c, marketing_opt_in: m })),
  ),
);
const SHOP_EXTRA = jsonPool(
  ['basic', 'plus', 'pro'].map((t) => ({ tier: t, ships_international: t !== 'basic' })),
);
const PRODUCT_EXTRA = jsonPool(
  ['S', 'M', 'L', 'XL', null].map((size) => (size ? { size, returnable: true } : { returnable: false })),
);
const ORDER_EXTRA = jsonPool(
  ['web', 'ios', 'android'].flatMap((channel) =>
    ['desktop', 'mobile', 'tablet'].map((device) => ({ channel, device })),
  ),
);
const PAYMENT_EXTRA = jsonPool(
  ['stripe', 'adyen', 'braintree'].map((p) => ({ processor: p, three_ds: p !== 'braintree' })),
);
const EMPTY = jsonPool([{}]);
const REVIEW_EXTRA = jsonPool([{ verified_purchase: true }, { verified_purchase: true, has_photo: true }]);
const LOG_EXTRA = jsonPool(
  ['chrome', 'safari', 'firefox', 'edge', 'ios-app', 'android-app'].map((ua) => ({ ua })),
);
const PM_TYPES = ['card', 'card', 'card', 'wallet'] as const;
const FAILURES = ['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'] as const;

const enc = (s: string): Uint8Array => Buffer.from(s);
const S = {
  active: enc('active'),
  inactive: enc('inactive'),
  suspended: enc('suspended'),
  paused: enc('paused'),
  draft: enc('draft'),
  usd: enc('USD'),
  succeeded: enc('succeeded'),
  failed: enc('failed'),
  paid: enc('paid'),
  ended: enc('ended'),
  scheduled: enc('scheduled'),
  sale: enc('sale'),
  restock: enc('restock'),
  orderStatus: ORDER_STATUS.map(enc),
  pmTypes: PM_TYPES.map(enc),
  failures: FAILURES.map(enc),
};

/**
 * A time in the hour for an arrival, keyed. Never the exact hour start: rows at the window start are the
 * population that existed before it (no events), so an arrival must be distinguishable from them.
 */
const timeIn = (hourStart: number, key: number, f: number): number =>
  hourStart + 1 + below(key, f, HOUR_MS - 1);

/**
 * Event and creation time of entity i of a kind counted by `before`: arrivals at a keyed time in their hour,
 * the population before the window at the window start, created up to `maxAgeDays` earlier.
 */
function arrivalTimes(
  plan: Plan,
  kind: number,
  before: Float64Array,
  i: number,
  maxAgeDays: number,
): { event: number; created: number } {
  const key = rowKey(plan.seed, kind, 0, i);
  const h = creationHour(before, i);
  if (h < 0) return { event: plan.start, created: plan.start - 60_000 - below(key, 1, maxAgeDays * DAY_MS) };
  const t = timeIn(plan.start + h * HOUR_MS, key, 1);
  return { event: t, created: t };
}

export const userTimes = (plan: Plan, u: number) => arrivalTimes(plan, K.user, plan.usersBefore, u, 730);
export const shopTimes = (plan: Plan, s: number) => arrivalTimes(plan, K.shop, plan.shopsBefore, s, 365);
export const productTimes = (plan: Plan, p: number) =>
  arrivalTimes(plan, K.product, plan.productsBefore, p, 365);

// ---------------------------------------------------------------- users and their payment methods

/** users created in hour h: the initial population in hour 0, then signups */
function userRange(plan: Plan, h: number): [number, number] {
  return [h === 0 ? 0 : plan.usersBefore[h]!, plan.usersBefore[h + 1]!];
}

function* users(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = userRange(plan, h);
  const names = nameBytes(pools);
  for (let u = a; u < b; u++) {
    const key = rowKey(plan.seed, K.user, 0, u);
    const t = userTimes(plan, u);
    const fi = field(key, 2) % pools.firstNames.length;
    const li = field(key, 3) % pools.lastNames.length;
    ctx.head(K.user, 0, u, t.event);
    // emails and usernames carry the user number: unique by construction
    w.bytes(pools.firstNameSlugs[fi]!).ascii('.').bytes(pools.lastNameSlugs[li]!).uint(u).ascii('@');
    w.bytes(pick(pools.emailDomains, field(key, 4))).comma();
    w.bytes(pools.firstNameSlugs[fi]!).ascii('_').bytes(pools.lastNameSlugs[li]!).uint(u).comma();
    writeFullName(ctx, names, fi, li);
    const st = field(key, 5) % 100;
    w.comma()
      .bytes(st < 95 ? S.active : st < 99 ? S.inactive : S.suspended)
      .comma();
    w.bytes(pick(pools.countryCodes, field(key, 6))).comma();
    const updated = t.created + (t.event > t.created ? below(key, 7, t.event - t.created) : 0);
    ctx.tail(t.created, updated, pick(USER_EXTRA, field(key, 8)));
    if (w.full) yield w.take();
  }
}

/** UTF-8 bytes of the name pools and whether each needs CSV quoting (once per pools, not per user row) */
interface NameBytes {
  first: Uint8Array[];
  last: Uint8Array[];
  firstQuote: boolean[];
  lastQuote: boolean[];
}
const nameCache = new WeakMap<Pools, NameBytes>();
const quoted = (s: string): boolean => s.includes('"') || s.includes(',');

function nameBytes(pools: Pools): NameBytes {
  let n = nameCache.get(pools);
  if (!n) {
    n = {
      first: pools.firstNames.map((s) => Buffer.from(s)),
      last: pools.lastNames.map((s) => Buffer.from(s)),
      firstQuote: pools.firstNames.map(quoted),
      lastQuote: pools.lastNames.map(quoted),
    };
    nameCache.set(pools, n);
  }
  return n;
}

function writeFullName(ctx: Ctx, names: NameBytes, fi: number, li: number): void {
  // "First Last" as one CSV field: both parts are quote-free names from the pools, quote the pair when needed
  if (names.firstQuote[fi] || names.lastQuote[li]) {
    const first = ctx.pools.firstNames[fi]!;
    const last = ctx.pools.lastNames[li]!;
    ctx.w.bytes(Buffer.from(`"${`${first} ${last}`.replace(/"/g, '""')}"`));
  } else ctx.w.bytes(names.first[fi]!).ascii(' ').bytes(names.last[li]!);
}

function* userPaymentMethods(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = userRange(plan, h);
  const year = new Date(plan.start).getUTCFullYear();
  for (let u = a; u < b; u++) {
    const t = userTimes(plan, u);
    const n = paymentMethodCount(plan, u);
    for (let slot = 0; slot < n; slot++) {
      const key = rowKey(plan.seed, K.paymentMethod, u, slot);
      ctx.head(K.paymentMethod, u, slot, t.event);
      ctx.id(K.user, 0, u).comma();
      const type = field(key, 1) % S.pmTypes.length;
      w.bytes(S.pmTypes[type]!).comma();
      // wallets are the providers from index 4 on, cards the first four
      const pr = pools.providers;
      const r = field(key, 2);
      w.bytes(type === 3 ? pr[4 + (r % (pr.length - 4))]! : pr[r % Math.min(4, pr.length)]!);
      w.comma();
      const last4 = field(key, 3) % 10000;
      w.uintPadded(last4, 4).comma();
      w.uint(1 + (field(key, 4) % 12)).comma();
      w.uint(year + 1 + (field(key, 5) % 5)).comma();
      w.bool(slot === 0)
        .comma()
        .bytes(S.active)
        .comma();
      ctx.tail(t.created, t.created, EMPTY[0]!);
      if (w.full) yield w.take();
    }
  }
}

// ---------------------------------------------------------------- shops, products, promotions

function* shops(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const a = h === 0 ? 0 : plan.shopsBefore[h]!;
  const b = plan.shopsBefore[h + 1]!;
  for (let s = a; s < b; s++) {
    const key = rowKey(plan.seed, K.shop, 0, s);
    const t = shopTimes(plan, s);
    ctx.head(K.shop, 0, s, t.event);
    ctx.id(K.user, 0, shopOwner(plan, s)).comma();
    w.bytes(pick(pools.shopNames, field(key, 2))).comma();
    w.bytes(pick(pools.categories, field(key, 3))).comma();
    w.bytes(field(key, 4) % 100 < 96 ? S.active : S.paused).comma();
    w.bytes(pick(pools.streets, field(key, 5))).comma();
    w.bytes(pick(pools.cities, field(key, 6))).comma();
    w.bytes(pick(pools.postalCodes, field(key, 7))).comma();
    w.bytes(pick(pools.countryCodes, field(key, 8))).comma();
    ctx.tail(t.created, t.created, pick(SHOP_EXTRA, field(key, 9)));
    if (w.full) yield w.take();
  }
}

function* products(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const a = h === 0 ? 0 : plan.productsBefore[h]!;
  const b = plan.productsBefore[h + 1]!;
  for (let p = a; p < b; p++) {
    const key = rowKey(plan.seed, K.product, 0, p);
    const t = productTimes(plan, p);
    const s = productShop(plan, p);
    ctx.head(K.product, 0, p, t.event);
    ctx.id(K.shop, 0, s).comma();
    w.ascii('SKU-').uint(s).ascii('-').uint(p).comma();
    w.bytes(pick(pools.productNames, field(key, 2))).comma();
    w.bytes(pick(pools.categories, field(key, 3))).comma();
    w.money(productPrice(plan, p)).comma().bytes(S.usd).comma();
    w.uint(20 + (field(key, 4) % 480)).comma();
    w.bytes(field(key, 5) % 100 < 97 ? S.active : S.draft).comma();
    ctx.tail(t.created, t.created, pick(PRODUCT_EXTRA, field(key, 6)));
    if (w.full) yield w.take();
  }
}

function* promotions(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const a = h === 0 ? 0 : plan.promotionsBefore[h]!;
  const b = plan.promotionsBefore[h + 1]!;
  for (let i = a; i < b; i++) {
    const key = rowKey(plan.seed, K.promotion, 0, i);
    const ev = plan.promoEventTime[i]!;
    ctx.head(K.promotion, 0, i, ev);
    ctx.id(K.shop, 0, plan.promoShop[i]!).comma();
    w.bytes(pick(pools.promotionNames, field(key, 5))).comma();
    w.ascii('PROMO')
      .uint(i)
      .ascii('X')
      .uint(field(key, 6) % 1000)
      .comma();
    w.uint(plan.promoPercent[i]!).comma();
    w.ts(plan.promoStart[i]!).comma().ts(plan.promoEnd[i]!).comma();
    // status as recorded: it runs from its creation (or before the window) until ends_at
    w.bytes(S.active).comma();
    ctx.tail(Math.min(ev, plan.promoStart[i]!), ev, EMPTY[0]!);
    if (w.full) yield w.take();
  }
}

// ---------------------------------------------------------------- orders and what follows them

function* orders(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    ctx.head(K.order, h, j, o.time);
    ctx.id(K.user, 0, o.user).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    if (o.promotion >= 0) ctx.id(K.promotion, 0, o.promotion);
    w.comma().bytes(S.orderStatus[o.status]!).comma();
    w.uint(o.itemCount).comma().money(o.subtotal).comma().money(o.discount).comma().money(o.total).comma();
    w.bytes(S.usd).comma();
    ctx.tail(o.time, o.settledTime, pick(ORDER_EXTRA, orderField(o, 1)));
    if (w.full) yield w.take();
  }
}

function* orderItems(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    for (let i = 0; i < o.itemCount; i++) {
      ctx.head(K.item, h, j * MAX_ITEMS + i, o.time);
      ctx.id(K.order, h, j).comma();
      ctx.id(K.product, 0, o.products[i]!).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      w.uint(o.quantities[i]!)
        .comma()
        .money(o.prices[i]!)
        .comma()
        .money(o.prices[i]! * o.quantities[i]!)
        .comma();
      ctx.tail(o.time, o.time, EMPTY[0]!);
      if (w.full) yield w.take();
    }
  }
}

function* payments(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    for (let a = 0; a < o.attempts; a++) {
      const ok = o.status === PAID && a === o.attempts - 1;
      const t = o.attemptTime[a]!;
      ctx.head(K.payment, h, j * MAX_ATTEMPTS + a, t);
      ctx.id(K.order, h, j).comma();
      ctx.id(K.user, 0, o.user).comma();
      ctx.id(K.paymentMethod, o.user, o.attemptMethod[a]!).comma();
      w.uint(a + 1)
        .comma()
        .money(o.total)
        .comma()
        .bytes(S.usd)
        .comma();
      w.bytes(ok ? S.succeeded : S.failed).comma();
      if (!ok) w.bytes(pick(S.failures, orderField(o, 10 + a)));
      w.comma();
      ctx.tail(t, t, pick(PAYMENT_EXTRA, orderField(o, 20 + a)));
      if (w.full) yield w.take();
    }
  }
}

/** invoice time: right after the successful payment, in the order's hour */
const invoiceTime = (o: Order, hourEnd: number): number => inHour(o.settledTime + 1_000, hourEnd);

function* invoices(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    const t = invoiceTime(o, hourEnd);
    ctx.head(K.invoice, h, j, t);
    ctx.id(K.order, h, j).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    ctx.id(K.user, 0, o.user).comma();
    w.ascii('INV-').uintPadded(h, 5).ascii('-').uint(j).comma();
    w.money(o.total).comma().bytes(S.usd).comma().bytes(S.paid).comma();
    ctx.tail(t, t, EMPTY[0]!);
    if (w.full) yield w.take();
  }
}

function* invoicePayments(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    const t = invoiceTime(o, hourEnd);
    const a = o.attempts - 1;
    ctx.head(K.invoicePayment, h, j, t);
    ctx.id(K.invoice, h, j).comma();
    ctx.id(K.payment, h, j * MAX_ATTEMPTS + a).comma();
    ctx.id(K.paymentMethod, o.user, o.attemptMethod[a]!).comma();
    w.money(o.total).comma().bytes(S.usd).comma().bytes(S.succeeded).comma();
    ctx.tail(t, t, EMPTY[0]!);
    if (w.full) yield w.take();
  }
}

/** Restock decision and size for item i of a paid order: 0 when no restock. */
export function restockOf(plan: Plan, o: Order, i: number): number {
  const d = plan.scenario.distributions;
  const u = (orderField(o, 100 + i) >>> 0) / 4294967296;
  if (u >= d.restockRate) return 0;
  return (
    d.restockQuantity.min + (orderField(o, 130 + i) % (d.restockQuantity.max - d.restockQuantity.min + 1))
  );
}

function* inventoryLog(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    for (let i = 0; i < o.itemCount; i++) {
      const t = o.settledTime;
      ctx.head(K.inventoryLog, h, (j * MAX_ITEMS + i) * 2, t);
      ctx.id(K.product, 0, o.products[i]!).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(S.sale).comma().int(-o.quantities[i]!).comma();
      ctx.tail(t, t, EMPTY[0]!);
      if (w.full) yield w.take();
      const restock = restockOf(plan, o, i);
      if (restock > 0) {
        const rt = inHour(t + 60_000 + (orderField(o, 160 + i) % 600_000), hourEnd);
        ctx.head(K.inventoryLog, h, (j * MAX_ITEMS + i) * 2 + 1, rt);
        ctx.id(K.product, 0, o.products[i]!).comma();
        ctx.id(K.shop, 0, o.shop).comma();
        w.comma().bytes(S.restock).comma().int(restock).comma();
        ctx.tail(rt, rt, EMPTY[0]!);
        if (w.full) yield w.take();
      }
    }
  }
}

// ---------------------------------------------------------------- reviews

/** Review k of hour h: the paid order it is about, or false when none was found (deterministically). */
export function reviewAt(
  plan: Plan,
  h: number,
  k: number,
  o: Order,
): { item: number; rating: number; time: number } | null {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.review, h, k);
  const maxDelay = Math.min(d.reviewDelayHours.max, h);
  if (maxDelay < d.reviewDelayHours.min) return null;
  const delay = between(key, 1, d.reviewDelayHours.min, maxDelay);
  const oh = h - delay;
  const n = plan.orders[oh]!;
  if (n === 0) return null;
  const j0 = below(key, 2, n);
  // probe forward to a paid order; abandoned and failed orders get no review
  for (let t = 0; t < 16; t++) {
    orderAt(plan, oh, (j0 + t) % n, o);
    if (o.status === PAID && o.itemCount > 0) {
      const r = field(key, 3) % 100;
      const rating = r < 55 ? 5 : r < 80 ? 4 : r < 90 ? 3 : r < 95 ? 2 : 1;
      return {
        item: below(key, 4, o.itemCount),
        rating,
        time: plan.start + h * HOUR_MS + below(key, 5, HOUR_MS),
      };
    }
  }
  return null;
}

function* reviews(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const o = new Order();
  for (let k = 0; k < plan.reviews[h]!; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    const key = rowKey(plan.seed, K.review, h, k);
    ctx.head(K.review, h, k, r.time);
    ctx.id(K.user, 0, o.user).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    ctx.id(K.product, 0, o.products[r.item]!).comma();
    ctx.id(K.order, o.hour, o.index).comma();
    w.uint(r.rating)
      .comma()
      .bytes(pick(pools.reviewTitles, field(key, 6)))
      .comma();
    ctx.tail(r.time, r.time, pick(REVIEW_EXTRA, field(key, 7)));
    if (w.full) yield w.take();
  }
}

// ---------------------------------------------------------------- API request log

const PATHS = [
  '/api/cart/items',
  '/api/checkout',
  '/api/payments',
  '/api/orders',
  '/api/products',
  '/api/shops',
];
const METHODS = ['POST', 'POST', 'POST', 'GET', 'GET', 'GET'];
const ERROR_CODES = [400, 404, 409, 429, 500, 502, 503];

export interface ApiCall {
  time: number;
  path: number;
  status: number;
  latency: number;
  bytes: number;
}

/** log-normal sigma of the latency distribution, memoised by its two parameters (same value, no log per call) */
let sigmaP99 = Number.NaN;
let sigmaMedian = Number.NaN;
let sigmaValue = 0;
function latencySigma(l: { p99: number; median: number }): number {
  if (l.p99 !== sigmaP99 || l.median !== sigmaMedian) {
    sigmaValue = Math.log(l.p99 / l.median) / 2.326;
    sigmaP99 = l.p99;
    sigmaMedian = l.median;
  }
  return sigmaValue;
}

/** API request n of order o: a function of the order's key. */
export function apiCall(plan: Plan, o: Order, n: number, hourEnd: number, out: ApiCall): ApiCall {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.request, o.hour, o.index * MAX_REQUESTS + n);
  out.time = inHour(o.time + below(key, 1, 120_000), hourEnd);
  out.path = n === 0 ? 0 : field(key, 2) % PATHS.length;
  out.status =
    unit(key, 3) < d.apiErrorRate
      ? ERROR_CODES[field(key, 4) % ERROR_CODES.length]!
      : METHODS[out.path] === 'POST'
        ? 201
        : 200;
  const sigma = latencySigma(d.apiLatencyMs);
  out.latency = Math.max(1, Math.round(d.apiLatencyMs.median * Math.exp(sigma * normal(key, 5))));
  out.bytes = 200 + (field(key, 7) % 8000);
  return out;
}

/**
 * Latency of API request n of order o, as apiCall computes it; negative when the call failed (status >= 400:
 * every error code is, no success code is). The metrics need only these two, for every call of the hour.
 */
export function apiLatency(plan: Plan, o: Order, n: number): number {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.request, o.hour, o.index * MAX_REQUESTS + n);
  const sigma = latencySigma(d.apiLatencyMs);
  const latency = Math.max(1, Math.round(d.apiLatencyMs.median * Math.exp(sigma * normal(key, 5))));
  return unit(key, 3) < d.apiErrorRate ? -latency : latency;
}

const PATH_BYTES = PATHS.map(enc);
const METHOD_BYTES = METHODS.map(enc);

function* requestLog(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const c: ApiCall = { time: 0, path: 0, status: 0, latency: 0, bytes: 0 };
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    for (let r = 0; r < n; r++) {
      apiCall(plan, o, r, hourEnd, c);
      ctx.head(K.request, h, j * MAX_REQUESTS + r, c.time);
      ctx.id(K.user, 0, o.user).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(METHOD_BYTES[c.path]!).comma().bytes(PATH_BYTES[c.path]!).comma();
      w.uint(c.status).comma().uint(c.latency).comma().uint(c.bytes).comma();
      ctx.tail(
        c.time,
        c.time + c.latency < hourEnd ? c.time + c.latency : c.time,
        pick(LOG_EXTRA, field(o.key, 500 + r)),
      );
      if (w.full) yield w.take();
    }
  }
}

export const OPERATIONAL: Partial<Record<TableName, (ctx: Ctx, h: number) => Generator<Buffer>>> = {
  users,
  user_payment_method: userPaymentMethods,
  shop: shops,
  shop_product: products,
  shop_promotion: promotions,
  shop_order: orders,
  shop_order_item: orderItems,
  shop_order_payment: payments,
  invoice: invoices,
  invoice_payment: invoicePayments,
  shop_inventory_log: inventoryLog,
  shop_review: reviews,
  request_response_log: requestLog,
};

export { ABANDONED };
