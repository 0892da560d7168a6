/**
 * Lifecycles (issue 8 §1): each entity's keyed list of state changes over time, as pure functions of
 * (seed, kind, index): "state at t" is O(1) and needs no pass over the window. A bulk load writes each row in
 * its state at the window's end with updated_time = the change that led there; the live mode applies the same
 * changes as UPDATEs at their times.
 *
 * CONTRACT (shared by orders, sessions, registry, row writers; bodies owned by the lifecycle part):
 * - times are epoch ms; `Infinity` = never.
 * - nobody orders, sells or is sold while not active: orders.ts redraws a user/shop/product that is not
 *   active at the order's time (keyed retry counter).
 *
 * The rules (rates are per entity per 30 days, exponential waiting times, keyed per entity in K.lifecycle):
 * - users: inactive at created + Exp(user_churn_rate), banned at created + Exp(user_ban_rate), whichever comes
 *   first (drawn as competing exponentials); never back. The population before the window has lived its history: some are inactive at its start.
 *   A shop's owner (any shop of the plan, the window's new ones included) stays active: the seller's account is
 *   what runs the shop, and a banned or lapsed owner whose shop keeps selling is the contradiction a user
 *   joining shop to users sees first (closing a shop with its owner's ban is not modelled).
 * - shops: paused at created + Exp(shop_pause_rate) for shop_pause_days, then again from the resumption, at
 *   most MAX_PAUSES times (a shop paused three times has the data of a dozen years of pauses at default rates);
 *   the flagship (shop 0, plan-lookup.ts) never pauses.
 * - products: listed in the window: draft for product_draft_hours, then active; the population before the
 *   window is active since its creation (drafts before the window are not modelled). Archived at activation +
 *   Exp(product_archive_rate); for the population before the window, at window start + Exp(...): the
 *   exponential forgets, so "still active at the start, archived later" has exactly that law, and the shops of
 *   the snapshot do not start the window half empty.
 * - promotions: scheduled from creation, active from starts_at, ended from ends_at (plan.ts lays the dates).
 * - payment methods: expire at the end of their expiry month (methodExpiry: 3 months before the window start to
 *   5 years after it, never before the month after the method's creation).
 */
import { at } from '../at.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import { productCreated, shopCreated, userCreated } from './arrivals.js';
import { civil } from './csv-writer.js';
import { type Block, f64, hourLists, hourOrder, i32, perBlock, u8 } from './hour-index.js';
import { between, K, rowKey, unit } from './keyed.js';
import { perPlan } from './per-plan.js';
import { FLAGSHIP_SHOP, paymentMethodCount, shopOwner } from './plan-lookup.js';
import type { Plan } from './plan-type.js';

/** A state and when the entity entered it (for updated_time and the global_event of the change). */
export interface StateAt {
  /** index into the entity's STATUS list below */
  status: number;
  /** when it entered that state (its created_time for the first state) */
  since: number;
}

export const USER_STATUS = ['active', 'inactive', 'banned'] as const;
export const SHOP_STATUS = ['active', 'paused'] as const;
export const PRODUCT_STATUS = ['draft', 'active', 'archived'] as const;
export const PROMOTION_STATUS = ['scheduled', 'active', 'ended'] as const;
export const METHOD_STATUS = ['active', 'expired'] as const;

/** pauses a shop can have in its life (keyed sequence; the window rarely sees more than one) */
const MAX_PAUSES = 3;
const MONTH_30 = 30 * DAY_MS;
const MINUTE_MS = 60_000;

/** sub-keys of K.lifecycle (the `hi` word of rowKey); payment method slot s uses METHOD_KEY + s */
const USER_KEY = 1;
const SHOP_KEY = 2;
const PRODUCT_KEY = 3;
const METHOD_KEY = 16;

/** Exponential waiting time in whole ms, at least 1, for `rate` events per `period`; Infinity at rate 0. */
export function expWait(u: number, rate: number, period: number): number {
  if (!(rate > 0)) return Number.POSITIVE_INFINITY;
  return 1 + Math.floor((-Math.log(1 - u) / rate) * period);
}

/**
 * A lower bound of expWait(u, rate, period) without the logarithm: -log(1 - u) >= u, and so in floating point for
 * every keyed u (a multiple of 2^-32: 1 - u is exact, the margin u^2 / 2 is far above log's rounding), and the
 * division, product and floor keep the order. `t < from + expWaitAtLeast(...)` proves `t < from + expWait(...)`:
 * the hot "still active at t?" asks mostly end here, one logarithm fewer each.
 */
function expWaitAtLeast(u: number, rate: number, period: number): number {
  if (!(rate > 0)) return Number.POSITIVE_INFINITY;
  return 1 + Math.floor((u / rate) * period);
}

/** the time the user's only change happens (Infinity: never) and its status, set by userChangeOf */
let changeTime = 0;
let changeStatus = 0;

/**
 * Inactive after Exp(churn), banned after Exp(ban), whichever first: drawn as the first of the two (one
 * Exp(churn + ban) wait) and which one it is (banned with probability ban / (churn + ban)), the same law with
 * one logarithm per call (orders ask per order). `created`: userCreated (the callers have it).
 */
function userChangeOf(plan: Plan, u: number, created: number): void {
  if (ownsShop(plan, u)) {
    changeTime = Number.POSITIVE_INFINITY;
    changeStatus = 0;
    return;
  }
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.lifecycle, USER_KEY, u);
  const rate = d.userChurnRate + d.userBanRate;
  changeTime = created + expWait(unit(key, 1), rate, MONTH_30);
  changeStatus = unit(key, 2) * rate < d.userBanRate ? 2 : 1;
}

/**
 * The users who own a shop of the plan (the initial shops' and the window's new shops' owners), one bit a
 * user: a pure function of the plan, built on first ask (~15,000 shops at --scale 5: a millisecond).
 */
const shopOwners = perPlan((plan: Plan): Uint8Array => {
  const bits = new Uint8Array((at(plan.usersBefore, plan.hours) + 7) >> 3);
  const shops = at(plan.shopsBefore, plan.hours);
  for (let s = 0; s < shops; s++) {
    const u = shopOwner(plan, s);
    bits[u >> 3] = at(bits, u >> 3) | (1 << (u & 7));
  }
  return bits;
});

function ownsShop(plan: Plan, u: number): boolean {
  return ((shopOwners(plan)[u >> 3] ?? 0) & (1 << (u & 7))) !== 0;
}

/**
 * Per shop, the time of its first pause (shopActiveAt's common case), computed on first ask: orders and sessions
 * ask per draw, among a few thousand shops. A pure memo (NaN: not asked yet), so the bytes never depend on which
 * chunk asked first. Users and products are not memoised: asked about once or twice each, at random, a memo
 * of them measured slower than the hash (cache misses, and at --scale 5 more so).
 */
const shopFirstPause = perPlan(
  (plan: Plan): Float64Array => new Float64Array(at(plan.shopsBefore, plan.hours)).fill(Number.NaN),
);

/** User u's state at time t (t >= its creation). */
export function userStateAt(plan: Plan, u: number, t: number, out: StateAt): StateAt {
  return userStateAtOf(plan, u, userCreated(plan, u), t, out);
}

/** userStateAt with the user's creation time given (the users rows have it: one creation time a row, not three) */
export function userStateAtOf(plan: Plan, u: number, created: number, t: number, out: StateAt): StateAt {
  userChangeOf(plan, u, created);
  if (t < changeTime) {
    out.status = 0;
    out.since = created;
  } else {
    out.status = changeStatus;
    out.since = changeTime;
  }
  return out;
}
/** True when user u may order at time t. Hot path: no allocation. */
export function userActiveAt(plan: Plan, u: number, t: number): boolean {
  const created = userCreated(plan, u);
  const d = plan.scenario.distributions;
  const rate = d.userChurnRate + d.userBanRate;
  const key = rowKey(plan.seed, K.lifecycle, USER_KEY, u);
  // userChangeOf's time, bounded below without its logarithm (expWaitAtLeast)
  if (t < created + expWaitAtLeast(unit(key, 1), rate, MONTH_30)) return true;
  userChangeOf(plan, u, created);
  return t < changeTime;
}

/**
 * Walks shop s's pauses up to t: status 0/1 and since, into the module's change slots. Pause k starts
 * Exp(rate) after the previous resumption (creation for k = 0) and lasts shop_pause_days (keyed minutes).
 */
function shopWalk(plan: Plan, s: number, t: number): void {
  const key = rowKey(plan.seed, K.lifecycle, SHOP_KEY, s);
  let prev = shopCreated(plan, s);
  for (let k = 0; k < MAX_PAUSES; k++) {
    const paused = prev + expWait(unit(key, 1 + 2 * k), pauseRate(plan, s), MONTH_30);
    if (t < paused) break;
    const resumed = paused + pauseLength(plan, key, k);
    if (t < resumed) {
      changeStatus = 1;
      changeTime = paused;
      return;
    }
    prev = resumed;
  }
  changeStatus = 0;
  changeTime = prev;
}

/** Pauses per 30 days of shop s: the scenario's; the flagship never pauses. */
function pauseRate(plan: Plan, s: number): number {
  return s === FLAGSHIP_SHOP ? 0 : plan.scenario.distributions.shopPauseRate;
}

function pauseLength(plan: Plan, key: number, k: number): number {
  const r = plan.scenario.distributions.shopPauseDays;
  return Math.max(1, between(key, 2 + 2 * k, r.min * 1440, r.max * 1440)) * MINUTE_MS;
}

export function shopStateAt(plan: Plan, s: number, t: number, out: StateAt): StateAt {
  shopWalk(plan, s, t);
  out.status = changeStatus;
  out.since = changeTime;
  return out;
}
export function shopActiveAt(plan: Plan, s: number, t: number): boolean {
  const m = shopFirstPause(plan);
  let first = m[s];
  if (first === undefined || Number.isNaN(first)) {
    // the common case in one exponential: no pause yet at t
    first =
      shopCreated(plan, s) +
      expWait(unit(rowKey(plan.seed, K.lifecycle, SHOP_KEY, s), 1), pauseRate(plan, s), MONTH_30);
    if (s < m.length) m[s] = first;
  }
  if (t < first) return true;
  shopWalk(plan, s, t);
  return changeStatus === 0;
}

/**
 * Pauses and resumptions of shop s in [from, to), in time order, through `each(time, status)`: the index
 * builder's walk (no state function per hour).
 */
export function shopChanges(
  plan: Plan,
  s: number,
  from: number,
  to: number,
  each: (t: number, st: number) => void,
): void {
  const key = rowKey(plan.seed, K.lifecycle, SHOP_KEY, s);
  let prev = shopCreated(plan, s);
  for (let k = 0; k < MAX_PAUSES; k++) {
    const paused = prev + expWait(unit(key, 1 + 2 * k), pauseRate(plan, s), MONTH_30);
    if (paused >= to) return;
    if (paused >= from) each(paused, 1);
    const resumed = paused + pauseLength(plan, key, k);
    if (resumed >= to) return;
    if (resumed >= from) each(resumed, 0);
    prev = resumed;
  }
}

/** When product p goes active: after its draft hours when listed in the window, its creation before it. */
export function productActivatedAt(plan: Plan, p: number): number {
  const created = productCreated(plan, p);
  if (p < plan.products0) return created;
  const r = plan.scenario.distributions.productDraftHours;
  const key = rowKey(plan.seed, K.lifecycle, PRODUCT_KEY, p);
  return created + Math.max(1, between(key, 1, r.min * 60, r.max * 60)) * MINUTE_MS;
}

/** When product p is archived (Infinity: never): Exp(rate) after its activation, or after the window start. */
export function productArchivedAt(plan: Plan, p: number, activated: number): number {
  const key = rowKey(plan.seed, K.lifecycle, PRODUCT_KEY, p);
  const from = p < plan.products0 ? plan.start : activated;
  return from + expWait(unit(key, 2), plan.scenario.distributions.productArchiveRate, MONTH_30);
}

export function productStateAt(plan: Plan, p: number, t: number, out: StateAt): StateAt {
  const activated = productActivatedAt(plan, p);
  if (t < activated) {
    out.status = 0;
    out.since = productCreated(plan, p);
    return out;
  }
  const archived = productArchivedAt(plan, p, activated);
  out.status = t < archived ? 1 : 2;
  out.since = t < archived ? activated : archived;
  return out;
}
/** True when product p can be viewed and sold at t (status active). */
export function productActiveAt(plan: Plan, p: number, t: number): boolean {
  // the population before the window is active from its creation: no creation time needed
  const activated = p < plan.products0 ? Number.NEGATIVE_INFINITY : productActivatedAt(plan, p);
  if (t < activated) return false;
  // productArchivedAt, bounded below without its logarithm first (expWaitAtLeast)
  const from = p < plan.products0 ? plan.start : activated;
  const u = unit(rowKey(plan.seed, K.lifecycle, PRODUCT_KEY, p), 2);
  const rate = plan.scenario.distributions.productArchiveRate;
  if (t < from + expWaitAtLeast(u, rate, MONTH_30)) return true;
  return t < productArchivedAt(plan, p, activated);
}

/** Promotion i's state at t (scheduled before starts_at, active until ends_at, ended after). */
export function promotionStateAt(plan: Plan, i: number, t: number, out: StateAt): StateAt {
  const start = plan.promoStart[i] ?? 0;
  const end = plan.promoEnd[i] ?? 0;
  out.status = t < start ? 0 : t < end ? 1 : 2;
  out.since = t < start ? Math.min(start, plan.promoEventTime[i] ?? start) : t < end ? start : end;
  return out;
}

/** Month number year * 12 + (month - 1) of a UTC time, by integer arithmetic (no Date object: hot path). */
export function monthIndex(ms: number): number {
  civil(Math.floor(ms / DAY_MS), ymd);
  return at(ymd, 0) * 12 + at(ymd, 1) - 1;
}
/** scratch [year, month, day] of monthIndex */
const ymd = new Int32Array(3);

/** monthStart's memo: months of the years 1900 to 2299 (NaN: not asked yet) */
const MONTH_MEMO_FROM = 1900 * 12;
const monthStarts = new Float64Array(400 * 12).fill(Number.NaN);

/** First instant of month number m (see monthIndex); asked per payment method row, Date.UTC kept per month. */
export function monthStart(m: number): number {
  const i = m - MONTH_MEMO_FROM;
  if (i >= 0 && i < monthStarts.length) {
    const known = monthStarts[i] ?? Number.NaN;
    if (!Number.isNaN(known)) return known;
    const t = Date.UTC(Math.floor(m / 12), m % 12, 1);
    monthStarts[i] = t;
    return t;
  }
  return Date.UTC(Math.floor(m / 12), m % 12, 1);
}

/**
 * Expiry month (monthIndex form) of payment method `slot` of user u: keyed in [window start month - 3, window
 * start month + 60], never before the month after the method's creation (its user's), so that some methods of
 * active users are already expired, or expire, in a typical window.
 */
export function methodExpiryMonth(plan: Plan, u: number, slot: number): number {
  return methodExpiryMonthOf(plan, u, slot, monthIndex(userCreated(plan, u)));
}

/** the window start's month number, once per plan (methodExpiryMonth is asked per method) */
const startMonthOf = perPlan((plan: Plan): number => monthIndex(plan.start));

/**
 * methodExpiryMonth with the month number of the user's creation given: the callers that walk a user's
 * methods compute it once per user, not per method.
 */
export function methodExpiryMonthOf(plan: Plan, u: number, slot: number, createdMonth: number): number {
  const startMonth = startMonthOf(plan);
  const lo = Math.max(startMonth - 3, createdMonth + 1);
  const hi = Math.max(lo, startMonth + 60);
  return between(rowKey(plan.seed, K.lifecycle, METHOD_KEY + slot, u), 1, lo, hi);
}

/** When payment method `slot` of user u stops working: the end of its expiry month (epoch ms). */
export function methodExpiresAt(plan: Plan, u: number, slot: number): number {
  return monthStart(methodExpiryMonth(plan, u, slot) + 1);
}

/** A state change inside the window (a global_event row, and an UPDATE in live mode). */
export interface Change {
  /** which entity: 'user' | 'shop' | 'product' | 'promotion' | 'method' */
  entity: 'user' | 'shop' | 'product' | 'promotion' | 'method';
  /** entity index (for 'method': user index; slot in `slot`) */
  index: number;
  slot: number;
  time: number;
  /** new status, index into the entity's STATUS list */
  status: number;
}

const ENTITY_RANK: Record<Change['entity'], number> = {
  user: 0,
  method: 1,
  shop: 2,
  product: 3,
  promotion: 4,
};
const ENTITY_OF_RANK: readonly Change['entity'][] = ['user', 'method', 'shop', 'product', 'promotion'];

/** A block of window hours' changes in time order, in columns (hour-index.ts). */
interface Changes extends Block {
  /** ENTITY_RANK of the entity */
  entity: Uint8Array;
  index: Int32Array;
  slot: Uint8Array;
  time: Float64Array;
  status: Uint8Array;
}

/**
 * The changes of `hours` window hours from `first`: one pass over the window's population (users and their
 * methods, shops, products, promotions), keeping only the changes inside those hours. Memory: the population is
 * walked, not stored; the changes are few (about rate x hours x population), 15 bytes each.
 */
function changeBlock(plan: Plan, first: number, hours: number): Changes {
  const from = plan.start + first * HOUR_MS;
  const to = from + hours * HOUR_MS;
  const entity = u8();
  const index = i32();
  const slot = u8();
  const time = f64();
  const status = u8();
  const add = (e: Change['entity'], i: number, sl: number, t: number, st: number): void => {
    if (t >= from && t < to) {
      entity.push(ENTITY_RANK[e]);
      index.push(i);
      slot.push(sl);
      time.push(t);
      status.push(st);
    }
  };
  const users = at(plan.usersBefore, plan.hours);
  for (let u = 0; u < users; u++) {
    const created = userCreated(plan, u);
    userChangeOf(plan, u, created);
    add('user', u, 0, changeTime, changeStatus);
    const n = paymentMethodCount(plan, u);
    const createdMonth = monthIndex(created);
    for (let sl = 0; sl < n; sl++)
      add('method', u, sl, monthStart(methodExpiryMonthOf(plan, u, sl, createdMonth) + 1), 1);
  }
  const shops = at(plan.shopsBefore, plan.hours);
  for (let s = 0; s < shops; s++) shopChanges(plan, s, from, to, (t, st) => add('shop', s, 0, t, st));
  const products = at(plan.productsBefore, plan.hours);
  for (let p = 0; p < products; p++) {
    const activated = productActivatedAt(plan, p);
    if (p >= plan.products0) add('product', p, 0, activated, 1);
    add('product', p, 0, productArchivedAt(plan, p, activated), 2);
  }
  for (let i = plan.promotions0; i < plan.promoStart.length; i++) {
    add('promotion', i, 0, at(plan.promoStart, i), 1);
    add('promotion', i, 0, at(plan.promoEnd, i), 2);
  }
  // promotions running at the window start only end in it
  for (let i = 0; i < plan.promotions0; i++) add('promotion', i, 0, at(plan.promoEnd, i), 2);
  const ts = time.data;
  const es = entity.data;
  const is = index.data;
  const ss = slot.data;
  const { order, start } = hourOrder(
    time.length,
    hours,
    (a, b) =>
      (ts[a] ?? 0) - (ts[b] ?? 0) ||
      (es[a] ?? 0) - (es[b] ?? 0) ||
      (is[a] ?? 0) - (is[b] ?? 0) ||
      (ss[a] ?? 0) - (ss[b] ?? 0),
    (i) => Math.floor(((ts[i] ?? 0) - from) / HOUR_MS),
  );
  return {
    first,
    start,
    entity: entity.permuted(order),
    index: index.permuted(order),
    slot: slot.permuted(order),
    time: time.permuted(order),
    status: status.permuted(order),
  };
}

/**
 * The state changes with time in window hour h, in time order, made from its block (hour-index.ts perBlock:
 * memory proportional to a block's changes), never a scan of the whole population per hour.
 */
export const changesIn: (plan: Plan, h: number) => readonly Change[] = hourLists(
  perBlock(changeBlock),
  (x, i) => ({
    entity: ENTITY_OF_RANK[at(x.entity, i)] ?? 'user',
    index: at(x.index, i),
    slot: at(x.slot, i),
    time: at(x.time, i),
    status: at(x.status, i),
  }),
);
