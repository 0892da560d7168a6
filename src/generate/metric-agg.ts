/**
 * Metric aggregates: exact aggregates of the operational rows of their hour (and day = the day's hours), from
 * the same functions as the rows (orders, reviews, the traffic of ./sessions.ts). Daily additive metrics are the
 * sums of the hourly ones, min/max the least/greatest of the hours; distinct counts (customers_count,
 * products_sold) are distinct over the day. Money is converted to the reporting currency per item line
 * (./money.ts toReporting) before it is added. page_views, cart_adds and the api_* columns count the logged
 * requests of the hour (hourTraffic), nothing of their own.
 *
 * A row of a family's SlotMap has one slot per value column of the model (src/model/metrics.ts), in model
 * order; the levels at the bucket's end (rollup 'value') are not aggregated: ./metric-rows.ts computes them.
 */

import { at } from '../at.js';
import { METRIC_VALUES, type MetricFamily, rollupOf, valueIndex } from '../model/metrics.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import type { Ctx } from './context.js';
import { shopCurrency, toReporting } from './money.js';
import { ABANDONED, hourOrders, Order, PAID } from './orders.js';
import type { Plan } from './plan.js';
import { productShop } from './plan-lookup.js';
import { planEnd } from './plan-type.js';
import { reviewAt } from './reviews.js';
import { hourTrafficLog } from './sessions.js';
import {
  type FrozenRows,
  freeze,
  MERGE_MAX,
  MERGE_MIN,
  MERGE_SUM,
  mergeFrozen,
  PairSet,
  SlotMap,
} from './slot-map.js';
import { isFirstAtShop } from './stock.js';
import { type TrafficEntries, TrafficLog } from './traffic.js';

/** slot of each value column, by family: computed once here, never per row */
const U = valueIndex('user');
const S = valueIndex('shop');
const P = valueIndex('product');

export interface Agg {
  users: SlotMap;
  shops: SlotMap;
  products: SlotMap;
  /** (shop, user) of paid orders */
  customers: PairSet;
  /** (shop, product) sold */
  sold: PairSet;
}

/** A family's new-row values and merge rules, from the model's rollups (min starts at +Infinity...). */
function rules(family: MetricFamily): { init: Float64Array; merge: Uint8Array } {
  const cols = METRIC_VALUES[family];
  const init = new Float64Array(cols.length);
  const merge = new Uint8Array(cols.length);
  cols.forEach((c, i) => {
    const r = rollupOf(c);
    init[i] = r === 'min' ? Number.POSITIVE_INFINITY : r === 'max' ? Number.NEGATIVE_INFINITY : 0;
    merge[i] = r === 'min' ? MERGE_MIN : r === 'max' ? MERGE_MAX : MERGE_SUM;
  });
  return { init, merge };
}
const RULES = { user: rules('user'), shop: rules('shop'), product: rules('product') };

const map = (f: MetricFamily, capacity: number): SlotMap =>
  new SlotMap(METRIC_VALUES[f].length, capacity, RULES[f].init, RULES[f].merge);

/**
 * What one hour's aggregation works in, reused hour after hour: the maps and the traffic log are cleared, not
 * reallocated (issue 9 §2: at --scale 5 an hour's new maps, traffic totals and log were ~45 MB, and freed hour
 * after hour they left the allocator fragmented: RSS grew ~65 MB over a day's walk while the live arrays grew
 * ~24 MB). Capacity never changes a row or its order.
 */
export class HourScratch {
  readonly agg: Agg = {
    users: map('user', 64),
    shops: map('shop', 64),
    products: map('product', 64),
    customers: new PairSet(),
    sold: new PairSet(),
  };
  readonly traffic = new TrafficLog();
}

/**
 * The aggregates of hour h, computed from the same order/review/traffic functions as the tables, into the
 * scratch's maps (cleared first): they are the caller's until its next hourAgg.
 */
export function hourAgg(plan: Plan, h: number, scratch: HourScratch): Agg {
  const { agg } = scratch;
  const { users, shops, products } = agg;
  users.clear();
  shops.clear();
  products.clear();
  agg.customers.clear();
  agg.sold.clear();
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    const u = users.slot(o.user);
    const s = shops.slot(o.shop);
    const paid = o.status === PAID;
    let failed = 0;
    for (let a = 0; a < o.attempts; a++) if (!(paid && a === o.attempts - 1)) failed++;
    users.add(u + U.payments_failed, failed);
    shops.add(s + S.payments_failed, failed);
    if (paid) {
      users.add(u + U.orders_count, 1);
      users.add(u + U.payments_succeeded, 1);
      if (o.promotion >= 0) {
        users.add(u + U.promotions_used, 1);
        shops.add(s + S.promotion_orders, 1);
      }
      shops.add(s + S.orders_count, 1);
      if (agg.customers.add(o.shop, o.user)) shops.add(s + S.customers_count, 1);
      if (isFirstAtShop(plan, h, j)) shops.add(s + S.new_customers, 1);
    }
    if (o.status === ABANDONED) {
      users.add(u + U.carts_abandoned, 1);
      shops.add(s + S.carts_abandoned, 1);
    }
    const currency = shopCurrency(plan, o.shop);
    for (let i = 0; i < o.itemCount; i++) {
      const prod = o.product(i);
      // every item makes its product active in the hour, whatever the order's outcome
      const p = products.slot(prod);
      if (!paid) continue;
      const q = o.quantity(i);
      const line = q * o.price(i);
      // the order's discount is the sum of its items' (order-draw.ts)
      const discount = o.itemDiscount(i);
      const net = toReporting(plan, line - discount, currency);
      const price = toReporting(plan, o.price(i), currency);
      products.add(p + P.units_sold, q);
      products.add(p + P.revenue, net);
      products.add(p + P.orders_count, 1);
      products.min(p + P.min_unit_price, price);
      products.max(p + P.max_unit_price, price);
      if (o.promotion >= 0) products.add(p + P.promotion_units, q);
      users.add(u + U.orders_value, net);
      shops.add(s + S.revenue, net);
      shops.add(s + S.discount_total, toReporting(plan, discount, currency));
      shops.add(s + S.units_sold, q);
      if (agg.sold.add(o.shop, prod)) shops.add(s + S.products_sold, 1);
    }
  }
  const reviews = at(plan.reviews, h);
  for (let k = 0; k < reviews; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    users.add(users.slot(o.user) + U.reviews_count, 1);
    const s = shops.slot(o.shop);
    shops.add(s + S.reviews_count, 1);
    shops.add(s + S.rating_sum, r.rating);
    const p = products.slot(o.product(r.item));
    products.add(p + P.reviews_count, 1);
    products.add(p + P.rating_sum, r.rating);
  }
  addTraffic(plan, agg, hourTrafficLog(plan, h, scratch.traffic).entries());
  return agg;
}

/**
 * The logged requests of an hour, entry by entry in the log's order: product views and cart adds (rolled up to
 * the shop), api_* per user and shop. Each traffic slot of a row is only added to here, in the order the log's
 * totals would add it: the same sums as adding the totals.
 */
function addTraffic(plan: Plan, agg: Agg, t: TrafficEntries): void {
  const { users, shops, products } = agg;
  const perProduct = (ps: Float64Array, pSlot: number, sSlot: number): void => {
    for (let i = 0; i < ps.length; i++) {
      const prod = ps[i] ?? 0;
      products.add(products.slot(prod) + pSlot, 1);
      shops.add(shops.slot(productShop(plan, prod)) + sSlot, 1);
    }
  };
  perProduct(t.views, P.page_views, S.page_views);
  perProduct(t.cartAdds, P.cart_adds, S.cart_adds);
  // runs of four: (user or shop, requests, errors, latency sum)
  const perEntity = (map: typeof users, runs: Float64Array, req: number, err: number, ms: number): void => {
    for (let o = 0; o < runs.length; o += 4) {
      const e = map.slot(runs[o] ?? 0);
      map.add(e + req, runs[o + 1] ?? 0);
      map.add(e + err, runs[o + 2] ?? 0);
      map.add(e + ms, runs[o + 3] ?? 0);
    }
  };
  perEntity(users, t.userSessions, U.api_requests, U.api_errors, U.api_latency_ms_sum);
  perEntity(shops, t.shopRuns, S.api_requests, S.api_errors, S.api_latency_ms_sum);
}

/**
 * An hour's aggregates, frozen once complete (slot-map.ts FrozenRows: rows in key order, only the slots that
 * are not a new row's value), and its distinct (shop, customer) and (shop, product) pairs for the day's counts.
 * Frozen, 26 hours of them take a fraction of their SlotMaps' memory (issue 9 §2: at --scale 5 the SlotMaps of
 * the cached hours and the day, sized as the sum of its hours, were most of a 485 MB peak).
 */
interface HourRows {
  rows: Record<MetricFamily, FrozenRows>;
  customers: Pairs;
  sold: Pairs;
  /** the metric tables that have not read the hour yet, a bit each (readerBit) */
  unread: number;
}
type Pairs = { a: Int32Array; b: Int32Array };

const pairs = (p: PairSet): Pairs => ({ a: p.a.slice(0, p.size), b: p.b.slice(0, p.size) });

function frozenHour(plan: Plan, h: number, scratch: HourScratch): HourRows {
  const agg = hourAgg(plan, h, scratch);
  return {
    rows: {
      user: freeze(agg.users, RULES.user.init),
      shop: freeze(agg.shops, RULES.shop.init),
      product: freeze(agg.products, RULES.product.init),
    },
    customers: pairs(agg.customers),
    sold: pairs(agg.sold),
    unread: ALL_READERS,
  };
}

/**
 * The distinct pairs of a day, counted per shop (its first element): every hour's pairs packed into one number
 * each (shop x 2^k + second element), sorted, counted once per value. One array the size of the hours' pairs,
 * where a set of the day's pairs grew by doubling (arrays of every size, each left behind as garbage).
 */
function distinctPerShop(hours: readonly HourRows[], of: (h: HourRows) => Pairs): Map<number, number> {
  let total = 0;
  let maxA = 0;
  let maxB = 0;
  let negative = false;
  // indexed reads, not at(): a generic call returned each element boxed (~60 MB of numbers a day at --scale 5)
  for (const h of hours) {
    const { a: as, b: bs } = of(h);
    total += as.length;
    for (let i = 0; i < as.length; i++) {
      const a = as[i] ?? 0;
      const b = bs[i] ?? 0;
      if (a < 0 || b < 0) negative = true;
      if (a > maxA) maxA = a;
      if (b > maxB) maxB = b;
    }
  }
  let mult = 1;
  while (mult <= maxB) mult *= 2;
  // ids are indexes: never negative, and shops x products stay far below 2^53
  if (negative || (maxA + 1) * mult > Number.MAX_SAFE_INTEGER) {
    throw new Error(`internal: pairs up to (${maxA}, ${maxB}) cannot be packed into one number`);
  }
  const packed = new Float64Array(total);
  let n = 0;
  for (const h of hours) {
    const { a: as, b: bs } = of(h);
    for (let i = 0; i < as.length; i++) packed[n++] = (as[i] ?? 0) * mult + (bs[i] ?? 0);
  }
  packed.sort();
  const counts = new Map<number, number>();
  let last = -1;
  for (let i = 0; i < total; i++) {
    const x = packed[i] ?? 0;
    if (x === last) continue;
    last = x;
    const shop = Math.floor(x / mult);
    counts.set(shop, (counts.get(shop) ?? 0) + 1);
  }
  return counts;
}

/** A family's rows of a day: its hours' merged; a shop's distinct counts are distinct over the day. */
function mergeDay(hours: readonly HourRows[], family: MetricFamily): FrozenRows {
  const width = METRIC_VALUES[family].length;
  const { init, merge } = RULES[family];
  const parts = hours.map((h) => h.rows[family]);
  if (family !== 'shop') return mergeFrozen(parts, width, init, merge);
  const customers = distinctPerShop(hours, (h) => h.customers);
  const sold = distinctPerShop(hours, (h) => h.sold);
  return mergeFrozen(parts, width, init, merge, (shop, row) => {
    row[S.customers_count] = customers.get(shop) ?? 0;
    row[S.products_sold] = sold.get(shop) ?? 0;
  });
}

/** forget the first inserted entry of a memo */
function dropOldest<K, V>(m: Map<K, V>): void {
  const first = m.keys().next();
  if (!first.done) m.delete(first.value);
}

/**
 * A few hours of aggregates are kept: the six metric tables of one day each need the same 24 hours. An hour
 * all six have read is dropped at once (in a load's hour-major order, at the day's first hour: kept until the
 * next day's walk evicted it, a day of them sat beside every other chunk of the day: 18.7 MB of frozen rows at
 * --scale 5, and the pairs); a table that asks again gets it recomputed, same bytes.
 */
const cache = new WeakMap<Plan, Map<number, HourRows>>();
const CACHE_HOURS = 26;

/** a bit per metric table: its family's index, hourly or daily */
const FAMILY_BIT: Record<MetricFamily, number> = { user: 0, shop: 2, product: 4 };
const readerBit = (family: MetricFamily, daily: boolean): number =>
  1 << (FAMILY_BIT[family] + (daily ? 1 : 0));
const ALL_READERS = 0b111111;

/**
 * The rows of `hours` (at most a day's) for `reader` (a readerBit), from the cache; the hours it lacks are
 * aggregated one after another in one scratch, dropped when they are done (kept, it would sit beside the rest
 * of the day's chunks).
 */
function hourRows(plan: Plan, hours: readonly number[], reader: number): HourRows[] {
  let m = cache.get(plan);
  if (!m) {
    m = new Map();
    cache.set(plan, m);
  }
  let scratch: HourScratch | undefined;
  const out: HourRows[] = [];
  for (const h of hours) {
    let rows = m.get(h);
    if (!rows) {
      scratch ??= new HourScratch();
      rows = frozenHour(plan, h, scratch);
      m.set(h, rows);
      if (m.size > CACHE_HOURS) dropOldest(m);
    }
    rows.unread &= ~reader;
    if (rows.unread === 0) m.delete(h);
    out.push(rows);
  }
  return out;
}

/** The window hours of the day starting at window hour `first` (first may be negative for a partial day). */
function dayHours(plan: Plan, first: number): number[] {
  const out: number[] = [];
  for (let h = Math.max(0, first); h < Math.min(plan.hours, first + 24); h++) out.push(h);
  return out;
}

/** A bucket of rows: its key kind and id part, start and end (epoch ms), its last window hour, its rows. */
export type Bucket = { kind: number; hi: number; time: number; end: number; last: number; rows: FrozenRows };

export function* buckets(
  ctx: Ctx,
  firstHour: number,
  daily: boolean,
  kinds: [number, number],
  family: MetricFamily,
  only?: number,
): Generator<Bucket> {
  const { plan } = ctx;
  const hours = dayHours(plan, firstHour);
  const windowEnd = planEnd(plan);
  if (daily) {
    // merged when asked, not kept: each family's day is one chunk of its own daily table
    const day = mergeDay(hourRows(plan, hours, readerBit(family, true)), family);
    const t = plan.start + firstHour * HOUR_MS;
    yield {
      kind: kinds[1],
      hi: Math.floor(t / DAY_MS),
      time: t,
      end: Math.min(t + 24 * HOUR_MS, windowEnd),
      last: hours[hours.length - 1] ?? firstHour,
      rows: day,
    };
  } else {
    const walked = only === undefined ? hours : hours.filter((h) => h === only);
    const rows = hourRows(plan, walked, readerBit(family, false));
    for (let i = 0; i < walked.length; i++) {
      const h = at(walked, i);
      const t = plan.start + h * HOUR_MS;
      yield { kind: kinds[0], hi: h, time: t, end: t + HOUR_MS, last: h, rows: at(rows, i).rows[family] };
    }
  }
}
