/**
 * The speed-ups of the generator are pure: the per-hour order memo gives exactly what orderAt gives, the
 * table-driven writers print exactly what the straightforward formatting prints, the open-addressing maps
 * count what a Map and a Set count.
 */
import { describe, expect, it } from 'vitest';
import { CsvWriter } from '../../src/generate/csv-writer.js';
import { buildPlan } from '../../src/generate/index.js';
import { changesIn } from '../../src/generate/lifecycle.js';
import { hourOrders, Order, orderAt } from '../../src/generate/orders.js';
import { priceAt, priceChangesIn } from '../../src/generate/prices.js';
import { PairPresence, PairSet, SlotMap } from '../../src/generate/slot-map.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

/** the fields of an order that tables read (arrays up to their counts) */
function core(o: Order): unknown {
  return {
    hour: o.hour,
    index: o.index,
    key: o.key,
    time: o.time,
    user: o.user,
    shop: o.shop,
    currency: o.currency,
    outOfStock: o.outOfStock,
    refund: o.refund,
    refundTime: o.refund ? o.refundTime : 0,
    promotion: o.promotion,
    percent: o.percent,
    status: o.status,
    subtotal: o.subtotal,
    discount: o.discount,
    total: o.total,
    settledTime: o.settledTime,
    products: [...o.products.subarray(0, o.itemCount)],
    quantities: [...o.quantities.subarray(0, o.itemCount)],
    prices: [...o.prices.subarray(0, o.itemCount)],
    discounts: [...o.discounts.subarray(0, o.itemCount)],
    attemptTime: [...o.attemptTime.subarray(0, o.attempts)],
    attemptMethod: [...o.attemptMethod.subarray(0, o.attempts)],
    attemptReason: [...o.attemptReason.subarray(0, o.attempts)],
  };
}

describe('order memo', () => {
  it('loads every order of an hour exactly as orderAt computes it', () => {
    const plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 4 }));
    const a = new Order();
    const b = new Order();
    for (let h = 0; h < plan.hours; h++) {
      const ho = hourOrders(plan, h);
      expect(ho.count).toBe(plan.orders[h]);
      for (let j = 0; j < ho.count; j++) {
        expect(core(ho.load(j, a))).toEqual(core(orderAt(plan, h, j, b)));
      }
    }
  });
});

const text = (f: (w: CsvWriter) => void): string => {
  const w = new CsvWriter(1 << 20);
  f(w);
  return w.take().toString('latin1');
};

describe('csv writer', () => {
  it('prints timestamps as Postgres does (UTC, trailing zeros of the fraction dropped)', () => {
    const times = [0, 1, 10, 100, 999, 1000, 59_999, 3_599_999, 86_399_999];
    for (let i = 0; i < 2000; i++) times.push(1_790_000_000_000 + ((i * 7_919_777) % 400_000_000));
    for (let i = 0; i < 500; i++) times.push(1_700_000_000_000 - i * 86_400_123);
    // several times in a row, so the hour cache is hit and missed in every pattern
    const got = text((w) => {
      for (const t of times) w.ts(t).comma();
    });
    const want = times
      .map((t) => {
        const iso = new Date(t).toISOString();
        const frac = iso.slice(19, 23).replace(/\.?0+$/, '');
        return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac}+00,`;
      })
      .join('');
    expect(got).toBe(want);
  });

  it('prints integers and zero-padded integers like String()', () => {
    const ns = [0, 5, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 12_345, 99_999, 100_000, 4_294_967_295];
    const plain = text((w) => {
      for (const n of ns) w.uint(n).comma();
    });
    expect(plain).toBe(ns.map((n) => `${n},`).join(''));
    const padded = text((w) => {
      for (const n of ns) w.uintPadded(n, 5).comma();
    });
    expect(padded).toBe(ns.map((n) => `${String(n).padStart(5, '0')},`).join(''));
  });
});

describe('open-addressing maps', () => {
  it('SlotMap and PairSet agree with Map and Set', () => {
    const m = new SlotMap(2);
    const ref = new Map<number, number>();
    const ps = new PairSet();
    const refPairs = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const k = (i * 2_654_435_761) % 7_919;
      const o = m.slot(k);
      m.add(o + 1, i);
      ref.set(k, (ref.get(k) ?? 0) + i);
      const a = i % 37;
      const b = (i * 31) % 1_013;
      expect(ps.add(a, b)).toBe(!refPairs.has(`${a},${b}`));
      refPairs.add(`${a},${b}`);
    }
    expect(m.size).toBe(ref.size);
    expect([...m.sortedKeys()]).toEqual([...ref.keys()].sort((x, y) => x - y));
    for (const [k, v] of ref) expect(m.vals[m.find(k) + 1]).toBe(v);
    expect(m.find(7_919)).toBe(-1);
    expect(ps.size).toBe(refPairs.size);
  });

  it('PairPresence agrees with a Set through its growths, 0 and large ids included', () => {
    const pp = new PairPresence(4);
    const ref = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const a = i % 3 === 0 ? 0 : (i * 7_919) % 20_011;
      const b = i % 5 === 0 ? 0 : (i * 2_654_435_761) % 2_000_003;
      expect(pp.add(a, b)).toBe(!ref.has(`${a},${b}`));
      ref.add(`${a},${b}`);
    }
    expect(pp.size).toBe(ref.size);
    for (const k of ref) {
      const [a, b] = k.split(',').map(Number);
      expect(pp.add(a ?? -1, b ?? -1)).toBe(false);
    }
    expect(pp.add(0, 2_000_003)).toBe(true);
  });
});

describe('price and state changes by week blocks', () => {
  const build = (): ReturnType<typeof buildPlan> =>
    buildPlan(applyOverrides(loadScenario('tiny'), { hours: 4 * 168 + 5, start: Date.UTC(2026, 2, 1, 5) }));

  it('give each hour the same changes in any order of asking, each inside its hour and priced as priceAt says', () => {
    const inOrder = build();
    const hours = Array.from({ length: inOrder.hours }, (_, h) => h);
    const prices = hours.map((h) => [...priceChangesIn(inOrder, h)]);
    const states = hours.map((h) => [...changesIn(inOrder, h)]);
    expect(prices.flat().length).toBeGreaterThan(100);
    expect(states.flat().length).toBeGreaterThan(100);
    // a fresh plan (nothing cached), asked back and forth across blocks: built again after eviction
    const scrambled = build();
    const order = hours.map((h) => (h * 37) % inOrder.hours).reverse();
    for (const h of order) {
      expect(priceChangesIn(scrambled, h)).toEqual(prices[h]);
      expect(changesIn(scrambled, h)).toEqual(states[h]);
    }
    for (const h of hours) {
      const lo = inOrder.start + h * 3_600_000;
      for (const c of prices[h] ?? []) {
        expect(c.time >= lo && c.time < lo + 3_600_000).toBe(true);
        expect(priceAt(inOrder, c.product, c.time - 0.001)).toBe(c.oldPrice);
        expect(priceAt(inOrder, c.product, c.time)).toBe(c.newPrice);
      }
      for (const c of states[h] ?? []) expect(c.time >= lo && c.time < lo + 3_600_000).toBe(true);
    }
  });
});
