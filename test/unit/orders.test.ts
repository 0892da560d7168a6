/**
 * Orders that behave (issue 8): the stock pass (stock never below zero, blocked carts, restocks, the same
 * result whatever order hours are asked in), refunds and returns (of paid orders, after them), and orders only
 * between parties that are active at their time.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { promotionMinBasket, shopShipsAbroad } from '../../src/generate/extras.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { productActiveAt, shopActiveAt, userActiveAt } from '../../src/generate/lifecycle.js';
import { CURRENCIES, shopCountry, shopCurrency, userCountry } from '../../src/generate/money.js';
import { isRegular } from '../../src/generate/order-draw.js';
import { invoiceTime } from '../../src/generate/order-tables.js';
import {
  hourOrders,
  Order,
  orderAt,
  PAID,
  PAYMENT_FAILED,
  REFUNDED,
  RETURNED,
} from '../../src/generate/orders.js';
import { shopOwner } from '../../src/generate/plan-lookup.js';
import { COUNTRY_CODES } from '../../src/generate/pools.js';
import { refundsIn } from '../../src/generate/refunds.js';
import { firstRank, rankedOrder, reviewSlots } from '../../src/generate/review-slots.js';
import { reviewAt } from '../../src/generate/reviews.js';
import {
  hourBits,
  initialStock,
  isFirstAtShop,
  restocksIn,
  stockAtEnd,
  stockAtHourEnd,
} from '../../src/generate/stock.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import type { Distributions, Scenario } from '../../src/scenario/types.js';
import { HOUR_MS } from '../../src/time-units.js';

function plan(
  name: string,
  o: { hours?: number; scale?: number; seed?: number },
  d: Partial<Distributions> = {},
): Plan {
  const s = applyOverrides(loadScenario(name), o);
  const changed: Scenario = { ...s, distributions: { ...s.distributions, ...d } };
  return buildPlan(changed);
}
const products = (p: Plan): number => p.productsBefore[p.hours] ?? 0;

/** every stock move of the window per product, from the same functions as the inventory log's rows */
function moves(p: Plan): Float64Array {
  const sum = new Float64Array(products(p));
  const add = (q: number, n: number): void => {
    sum[q] = (sum[q] ?? 0) + n;
  };
  const o = new Order();
  for (let h = 0; h < p.hours; h++) {
    const ho = hourOrders(p, h);
    for (let j = 0; j < ho.count; j++) {
      ho.load(j, o);
      if (o.status === PAID) for (let i = 0; i < o.itemCount; i++) add(o.product(i), -o.quantity(i));
    }
    const r = restocksIn(p, h);
    for (let k = 0; k < r.count; k++) add(r.product[k] ?? 0, r.quantity[k] ?? 0);
    for (const x of refundsIn(p, h, o))
      if (x.refund === RETURNED) for (let i = 0; i < x.itemCount; i++) add(x.product(i), x.quantity(i));
  }
  return sum;
}

describe('stock pass', () => {
  const scarce = plan('tiny', {}, { initialStock: { min: 1, max: 3 }, restockLeadHours: { min: 0, max: 1 } });

  it('never lets stock go below zero, and the log adds up to the stock at the end', () => {
    for (const p of [scarce, plan('black-friday', { hours: 12, scale: 0.1 }, { returnRate: 0.3 })]) {
      for (let h = 0; h < p.hours; h++)
        for (let q = 0; q < products(p); q++) expect(stockAtHourEnd(p, h, q)).toBeGreaterThanOrEqual(0);
      const m = moves(p);
      for (let q = 0; q < products(p); q++) expect(stockAtEnd(p, q)).toBe(initialStock(p, q) + (m[q] ?? 0));
    }
  });

  it('blocks carts whose items are out of stock, and restocks arrive', () => {
    let blocked = 0;
    let restocks = 0;
    const o = new Order();
    for (let h = 0; h < scarce.hours; h++) {
      const ho = hourOrders(scarce, h);
      for (let j = 0; j < ho.count; j++) if (ho.load(j, o).outOfStock) blocked++;
      restocks += restocksIn(scarce, h).count;
    }
    expect(blocked).toBeGreaterThan(0);
    expect(restocks).toBeGreaterThan(0);
  });

  it('gives the same result whatever order the hours are asked in', () => {
    const fresh = (): Plan =>
      plan('tiny', {}, { initialStock: { min: 1, max: 3 }, restockLeadHours: { min: 0, max: 1 } });
    const forward = fresh();
    const backward = fresh();
    const hours = [...Array(forward.hours).keys()];
    const q = products(forward) - 1;
    const last = [...hours].reverse().map((h) => stockAtHourEnd(backward, h, q));
    expect(hours.map((h) => [...hourBits(forward, h)])).toEqual(hours.map((h) => [...hourBits(backward, h)]));
    expect([...hours].reverse().map((h) => stockAtHourEnd(forward, h, q))).toEqual(last);
  });

  it('sizes stock by demand: few black-friday carts fail for stock in its first 24 hours, but some do', () => {
    const p = plan('black-friday', { hours: 24 });
    let carts = 0;
    let blocked = 0;
    const o = new Order();
    for (let h = 0; h < p.hours; h++) {
      const ho = hourOrders(p, h);
      for (let j = 0; j < ho.count; j++) {
        carts++;
        if (ho.load(j, o).outOfStock) blocked++;
      }
    }
    expect(blocked).toBeGreaterThan(0);
    expect(blocked / carts).toBeLessThan(0.08);
  });

  it("marks each buyer's first paid order at a shop once", () => {
    const p = plan('black-friday', { hours: 6, scale: 0.05 });
    const firsts = new Map<string, number>();
    const o = new Order();
    for (let h = 0; h < p.hours; h++) {
      const ho = hourOrders(p, h);
      for (let j = 0; j < ho.count; j++) {
        ho.load(j, o);
        const pair = `${o.shop}/${o.user}`;
        if (o.status !== PAID) expect(isFirstAtShop(p, h, j)).toBe(false);
        else if (isFirstAtShop(p, h, j)) firsts.set(pair, (firsts.get(pair) ?? 0) + 1);
        else expect(firsts.get(pair)).toBe(1);
      }
    }
    expect(firsts.size).toBeGreaterThan(0);
    for (const n of firsts.values()) expect(n).toBe(1);
  });
});

describe('refunds and returns', () => {
  const p = plan(
    'tiny',
    { hours: 8 },
    { refundRate: 0.2, returnRate: 0.2, refundDelayHours: { min: 1, max: 3 } },
  );

  it('are of paid orders, after them, in their hour, and the order shows them', () => {
    const o = new Order();
    const row = new Order();
    const seen = { [REFUNDED]: 0, [RETURNED]: 0 };
    for (let h = 0; h < p.hours; h++) {
      for (const x of refundsIn(p, h, o)) {
        expect(x.status).toBe(PAID);
        expect(x.refundTime).toBeGreaterThan(x.attemptTimeAt(x.attempts - 1));
        expect(Math.floor((x.refundTime - p.start) / HOUR_MS)).toBe(h);
        hourOrders(p, x.hour).load(x.index, row);
        expect(row.finalStatus()).toBe(x.refund);
        expect(row.refundTime).toBe(x.refundTime);
        seen[x.refund as typeof REFUNDED | typeof RETURNED]++;
      }
    }
    expect(seen[REFUNDED]).toBeGreaterThan(0);
    expect(seen[RETURNED]).toBeGreaterThan(0);
  });

  it('leave every order whose refund falls after the window end paid', () => {
    const o = new Order();
    const end = p.start + p.hours * HOUR_MS;
    for (let h = 0; h < p.hours; h++) {
      const ho = hourOrders(p, h);
      for (let j = 0; j < ho.count; j++) {
        ho.load(j, o);
        if (o.refund !== 0) expect(o.refundTime).toBeLessThan(end);
        if (o.status !== PAID) expect(o.refund).toBe(0);
      }
    }
  });
});

describe('review slots', () => {
  it('rank to order is a bijection of the hour orders, whatever their number', () => {
    for (const n of [1, 2, 3, 7, 8, 9, 1000, 4096, 4097]) {
      const seen = new Set<number>();
      for (let r = 0; r < n; r++) seen.add(rankedOrder(20261127, 5, r, n));
      expect(seen.size).toBe(n);
      expect(Math.min(...seen)).toBe(0);
      expect(Math.max(...seen)).toBe(n - 1);
    }
  });
});

describe('orders', () => {
  const p = plan('black-friday', { hours: 4, scale: 0.05 });

  it('are placed by active users at active shops for active products, in time order', () => {
    const o = new Order();
    let regulars = 0;
    let n = 0;
    for (let h = 0; h < p.hours; h++) {
      let last = 0;
      for (let j = 0; j < (p.orders[h] ?? 0); j++) {
        orderAt(p, h, j, o);
        n++;
        if (isRegular(p, o.user)) regulars++;
        expect(o.time).toBeGreaterThan(p.start + h * HOUR_MS);
        expect(o.time).toBeGreaterThanOrEqual(last);
        last = o.time;
        expect(userActiveAt(p, o.user, o.time)).toBe(true);
        expect(shopActiveAt(p, o.shop, o.time)).toBe(true);
        let discount = 0;
        for (let i = 0; i < o.itemCount; i++) {
          expect(productActiveAt(p, o.product(i), o.time)).toBe(true);
          discount += o.itemDiscount(i);
        }
        expect(o.discount).toBe(discount);
        if (o.status === PAYMENT_FAILED) expect(o.attemptReasonAt(o.attempts - 1)).toBeGreaterThan(0);
      }
    }
    // repeat_customer_share of orders from the 5% of regulars, plus their uniform share of the rest
    const share = p.scenario.distributions.repeatCustomerShare;
    expect(regulars / n).toBeGreaterThan(share * 0.8);
    expect(regulars / n).toBeLessThan(share + 0.1);
  });

  it("buy at home: a shop is in its owner's country, and one that does not ship abroad sells to it only", () => {
    const p = plan('black-friday', { hours: 24, scale: 0.2 });
    const o = new Order();
    let abroadOk = 0;
    let abroadOkHome = 0;
    let us = 0;
    const users = p.usersBefore[p.hours] ?? 0;
    for (let u = 0; u < users; u++) if (COUNTRY_CODES[userCountry(p, u)] === 'US') us++;
    expect(us / users).toBeCloseTo(18 / 64, 2);
    for (let h = 0; h < p.hours; h++) {
      for (let j = 0; j < (p.orders[h] ?? 0); j++) {
        orderAt(p, h, j, o);
        const home = COUNTRY_CODES[userCountry(p, o.user)] === COUNTRY_CODES[shopCountry(p, o.shop)];
        expect(shopCountry(p, o.shop)).toBe(userCountry(p, shopOwner(p, o.shop)));
        if (!shopShipsAbroad(p, o.shop)) expect(home).toBe(true);
        else {
          abroadOk++;
          if (home) abroadOkHome++;
        }
      }
    }
    // domestic_order_share of their orders, plus the buyers of the rest who happen to live there
    const share = p.scenario.distributions.domesticOrderShare;
    expect(abroadOk).toBeGreaterThan(1000);
    expect(abroadOkHome / abroadOk).toBeGreaterThan(share);
    expect(abroadOkHome / abroadOk).toBeLessThan(share + 0.06);
  });

  it("never buy at one's own shop, nor under a promotion whose minimum basket the order does not reach", () => {
    // few users, many of them owners: a buyer drawn alone would often be the shop's owner
    const s = applyOverrides(loadScenario('tiny'), { hours: 24 });
    const p = buildPlan({
      ...s,
      population: { ...s.population, users: 40, shopOwners: 20, promotions: 60 },
      distributions: { ...s.distributions, promotionUseRate: 1 },
    });
    const o = new Order();
    let promoted = 0;
    let blocked = 0;
    for (let h = 0; h < p.hours; h++) {
      for (let j = 0; j < (p.orders[h] ?? 0); j++) {
        orderAt(p, h, j, o);
        expect(o.user).not.toBe(shopOwner(p, o.shop));
        if (o.promotion >= 0) {
          promoted++;
          expect(o.subtotal).toBeGreaterThanOrEqual(promotionMinBasket(p, o.promotion));
        } else if (o.itemCount > 0) blocked++;
      }
    }
    expect(promoted).toBeGreaterThan(50);
    expect(blocked).toBeGreaterThan(5);
  });

  it('finds a shop, items and a buyer for every order of a 12-50-user population (the flagship)', () => {
    // tiny at --scale 0.05-0.1 has one to four shops; before the flagship, hours when every shop was paused, or
    // the only one sold at home where nobody but its owner lived, made empty carts (seed 3: 23 of 100 orders)
    let orders = 0;
    for (const scale of [0.05, 0.1]) {
      for (let seed = 1; seed <= 10; seed++) {
        const p = plan('tiny', { hours: 24, scale, seed });
        const o = new Order();
        for (let h = 0; h < p.hours; h++) {
          for (let j = 0; j < (p.orders[h] ?? 0); j++) {
            orderAt(p, h, j, o);
            orders++;
            const at = `scale ${scale} seed ${seed} order ${h}/${j}`;
            expect(o.itemCount, at).toBeGreaterThan(0);
            expect(shopActiveAt(p, o.shop, o.time), at).toBe(true);
            expect(userActiveAt(p, o.user, o.time), at).toBe(true);
            expect(o.user, at).not.toBe(shopOwner(p, o.shop));
          }
        }
      }
    }
    expect(orders).toBeGreaterThan(1_000);
  });

  it('keeps even an empty cart (nothing sellable anywhere) at an open shop, by a buyer it can sell to', () => {
    // every product archived within hours of its listing: no order finds an item. These populations' last open
    // shop tried sells only at home, where nobody but its owner lives, at some hours: taking it anyway gave them
    // foreign buyers (2-32 orders each)
    let empty = 0;
    for (const [scale, seed] of [
      [0.05, 10],
      [0.05, 16],
      [0.1, 18],
      [0.1, 31],
    ] as const) {
      const p = plan('tiny', { hours: 24, scale, seed }, { productArchiveRate: 10_000 });
      const o = new Order();
      for (let h = 0; h < p.hours; h++) {
        for (let j = 0; j < (p.orders[h] ?? 0); j++) {
          orderAt(p, h, j, o);
          if (o.itemCount === 0) empty++;
          const at = `scale ${scale} seed ${seed} order ${h}/${j}`;
          expect(shopActiveAt(p, o.shop, o.time), at).toBe(true);
          expect(userActiveAt(p, o.user, o.time), at).toBe(true);
          expect(o.user, at).not.toBe(shopOwner(p, o.shop));
          if (!shopShipsAbroad(p, o.shop)) {
            expect(COUNTRY_CODES[userCountry(p, o.user)], at).toBe(COUNTRY_CODES[shopCountry(p, o.shop)]);
          }
        }
      }
    }
    expect(empty).toBeGreaterThan(200);
  });

  it("sets a promotion's minimum basket in its shop's currency (25, 50 or 100 USD, or none)", () => {
    const p = plan('black-friday', { hours: 24, scale: 0.2 });
    const currencies = new Set<string>();
    for (let i = 0; i < (p.promotionsBefore[p.hours] ?? 0); i++) {
      const c = at(CURRENCIES, shopCurrency(p, p.promoShop[i] ?? 0));
      const usd = (promotionMinBasket(p, i) / 100) * c.usd;
      currencies.add(c.code);
      expect(
        [0, 25, 50, 100].some((v) => Math.abs(usd - v) <= v * 0.05),
        `${c.code} ${usd}`,
      ).toBe(true);
    }
    expect(currencies.size).toBeGreaterThan(5);
  });

  it('give up after some declines, and never retry the same expired card', () => {
    const p = plan('black-friday', { hours: 12, scale: 0.1 }, { paymentFailureRate: 0.4 });
    const o = new Order();
    const failedBy = [0, 0, 0, 0];
    for (let h = 0; h < p.hours; h++) {
      for (let j = 0; j < (p.orders[h] ?? 0); j++) {
        orderAt(p, h, j, o);
        if (o.status === PAYMENT_FAILED) failedBy[o.attempts] = at(failedBy, o.attempts) + 1;
        for (let a = 1; a < o.attempts; a++) {
          if (o.attemptReasonAt(a - 1) === 1) expect(o.attemptMethod[a]).not.toBe(o.attemptMethod[a - 1]);
        }
      }
    }
    // with 60% retrying: failed orders of 1, 2 and 3 attempts, fewer the more attempts (0.4 x 0.6 each step)
    expect(at(failedBy, 1)).toBeGreaterThan(at(failedBy, 2));
    expect(at(failedBy, 2)).toBeGreaterThan(at(failedBy, 3));
    expect(at(failedBy, 3)).toBeGreaterThan(0);
  });

  it('review an order at most once, at a delay in review_delay_hours, and rate low what was sent back', () => {
    const p = plan('steady-week', { hours: 96 }, { reviewRate: 0.5 });
    const o = new Order();
    const seen = new Set<number>();
    const { min, max } = p.scenario.distributions.reviewDelayHours;
    // [rating sum, reviews] of orders kept, and of orders refunded or returned
    const sums = [0, 0];
    const counts = [0, 0];
    for (let h = 0; h < p.hours; h++) {
      for (let k = 0; k < (p.reviews[h] ?? 0); k++) {
        const r = reviewAt(p, h, k, o);
        if (!r) continue;
        const id = o.hour * 1e6 + o.index;
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        expect(o.status).toBe(PAID);
        expect(h - o.hour).toBeGreaterThanOrEqual(min);
        expect(h - o.hour).toBeLessThanOrEqual(max);
        const back = o.refundTime !== 0 ? 1 : 0;
        sums[back] = at(sums, back) + r.rating;
        counts[back] = at(counts, back) + 1;
      }
    }
    expect(seen.size).toBeGreaterThan(1000);
    expect(at(counts, 1)).toBeGreaterThan(20);
    expect(at(sums, 0) / at(counts, 0)).toBeGreaterThan(4);
    expect(at(sums, 1) / at(counts, 1)).toBeLessThan(2.2);
  });

  it('write reviews when people are awake: by UTC hour of day, as the rhythm, every candidate once', () => {
    const p = plan('steady-week', { hours: 168 }, { reviewRate: 0.5 });
    const hod0 = new Date(p.start).getUTCHours();
    const byHour = new Float64Array(24);
    for (let h = 0; h < p.hours; h++)
      byHour[(hod0 + h) % 24] = at(byHour, (hod0 + h) % 24) + at(p.reviews, h);
    const rhythm = p.scenario.rhythm;
    const sum = (xs: ArrayLike<number>, hours: number[]): number => hours.reduce((a, i) => a + at(xs, i), 0);
    const quiet = [1, 2, 3, 4, 5, 6];
    const busy = [17, 18, 19, 20, 21, 22];
    // the rhythm's ratio is 0.23; an even split over the delays (12 to 120 hours) makes it about 1
    const want = sum(rhythm, quiet) / sum(rhythm, busy);
    const got = sum(byHour, quiet) / sum(byHour, busy);
    expect(want).toBeLessThan(0.3);
    expect(got).toBeGreaterThan(want * 0.7);
    expect(got).toBeLessThan(want * 1.3);

    // every candidate falls due at exactly one delay, also when some of the hours a delay reaches have rhythm 0
    // and when all have (an even split then)
    const night = [...Array(24).keys()].map((i) => (i < 8 ? 0 : 1));
    for (const rhythm24 of [
      night,
      Array(24)
        .fill(0)
        .map((_, i) => (i === 12 ? 1 : 0)),
    ]) {
      for (const delay of [
        { min: 1, max: 2 },
        { min: 12, max: 120 },
      ]) {
        const s: Scenario = {
          ...p.scenario,
          rhythm: rhythm24,
          distributions: { ...p.scenario.distributions, reviewDelayHours: delay },
        };
        const slots = reviewSlots(
          s,
          Int32Array.from({ length: 48 }, (_, i) => 7 * i + 3),
        );
        for (let src = 0; src < 48; src++) {
          let prev = 0;
          for (let dl = delay.min; dl <= delay.max + 1; dl++) {
            const first = firstRank(slots, src, dl);
            expect(first).toBeGreaterThanOrEqual(prev);
            prev = first;
            const hod = (slots.hod0 + src + dl) % 24;
            // a delay landing in a rhythm-0 hour gets no review unless every hour it could land in has rhythm 0
            if (dl <= delay.max && rhythm24[hod] === 0 && delay.max - delay.min >= 23) {
              expect(firstRank(slots, src, dl + 1)).toBe(first);
            }
          }
          expect(prev).toBe(7 * src + 3);
        }
      }
    }

    // a billion candidates an hour over the longest delays: weights x candidates pass 2^53, and still every
    // candidate falls due once (the split's ends exact, monotone between)
    const huge = reviewSlots(
      {
        ...p.scenario,
        rhythm: Array.from({ length: 24 }, (_, i) => 61.37 + ((i * 41) % 63) / 7),
        distributions: { ...p.scenario.distributions, reviewDelayHours: { min: 1, max: 8760 } },
      },
      Int32Array.from({ length: 2000 }, (_, i) => 100_000_000 + ((i * 2_654_435_761) % 900_000_000)),
    );
    for (let src = 0; src < 2000; src++) {
      expect(firstRank(huge, src, 8761)).toBe(huge.candidates[src]);
      if (src >= 3) continue;
      let prev = 0;
      for (let dl = 1; dl <= 8761; dl++) {
        const first = firstRank(huge, src, dl);
        if (first < prev) expect(first).toBeGreaterThanOrEqual(prev);
        prev = first;
      }
    }
  });

  it("pay and invoice after what they follow, in the order's hour, without piling up on its last millisecond", () => {
    const p = plan('black-friday', { hours: 24, scale: 0.2 });
    const o = new Order();
    let atLast = 0;
    let rows = 0;
    for (let h = 0; h < p.hours; h++) {
      const hourEnd = p.start + (h + 1) * HOUR_MS;
      for (let j = 0; j < (p.orders[h] ?? 0); j++) {
        orderAt(p, h, j, o);
        let prev = o.time;
        const times = [...o.attemptTime.subarray(0, o.attempts)];
        if (o.status === PAID) times.push(invoiceTime(o, hourEnd));
        for (const t of times) {
          rows++;
          expect(t).toBeLessThan(hourEnd);
          if (t === hourEnd - 1) atLast++;
          // two at one time only on the hour's last millisecond, when no room is left
          if (t !== hourEnd - 1) expect(t).toBeGreaterThan(prev);
          else expect(t).toBeGreaterThanOrEqual(prev);
          prev = t;
        }
      }
    }
    expect(rows).toBeGreaterThan(10_000);
    // clamped to the hour's end as before data version 6, 345 of these rows were on its last millisecond
    expect(atLast).toBeLessThanOrEqual(2);
  });
});
