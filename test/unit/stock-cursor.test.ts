/**
 * The stock cursor (src/generate/stock-cursor.ts): the levels at an hour end read by stepping over the stock
 * pass's changes are those of the definitions (priceAt at the hour's last millisecond, the stock pass, the sum
 * over the shop's products), whatever hours were asked before and in what order.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { toReporting } from '../../src/generate/money.js';
import { productShop } from '../../src/generate/plan-lookup.js';
import { priceAt, productCurrency } from '../../src/generate/prices.js';
import {
  boundStockChanges,
  inventoryValueAt,
  priceAtHourEnd,
  stockAtHourEnd,
} from '../../src/generate/stock.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';

/** many repricings and sales in a short window, so the cursor has changes to step over */
function plan(): Plan {
  const s = applyOverrides(loadScenario('black-friday'), { hours: 8, scale: 0.03 });
  return buildPlan({
    ...s,
    distributions: { ...s.distributions, repricingRate: 20, initialStock: { min: 1, max: 4 } },
  });
}

/** every level at the end of hour h, from the definitions, one product at a time */
function levels(p: Plan, h: number, stock: (q: number) => number) {
  const n = p.productsBefore[h + 1] ?? 0;
  const end = p.start + (h + 1) * HOUR_MS - 1;
  const prices = Array.from({ length: n }, (_, q) => priceAt(p, q, end));
  const value = new Map<number, number>();
  for (let q = 0; q < n; q++) {
    const st = stock(q);
    const s = productShop(p, q);
    const v = st > 0 ? toReporting(p, st * (prices[q] ?? 0), productCurrency(p, q)) : 0;
    value.set(s, (value.get(s) ?? 0) + v);
  }
  return { prices, value };
}

describe('stock cursor', () => {
  it('reads the definitions at every hour, forward, backward and skipping', () => {
    expectDefinitions();
  });

  // the memory bound's path: changes dropped, the cursor rebuilt from the replay pass (at --scale 5 over 168 h
  // the early hours' changes are dropped; the reference above is computed with the bound that keeps them all)
  it('reads the same levels when the stock changes of earlier hours were dropped (the rebuild path)', () => {
    const reference = levelsByHour(plan());
    const restore = boundStockChanges(1);
    try {
      expectDefinitions(reference);
    } finally {
      restore();
    }
  });
});

type Levels = { stocks: number[]; prices: number[]; value: Map<number, number> };

function levelsByHour(reference: Plan): Levels[] {
  return [...Array(reference.hours).keys()].map((h) => {
    const stocks = Array.from({ length: reference.productsBefore[h + 1] ?? 0 }, (_, q) =>
      stockAtHourEnd(reference, h, q),
    );
    return { stocks, ...levels(reference, h, (q) => stocks[q] ?? 0) };
  });
}

function expectDefinitions(given?: Levels[]): void {
  {
    const reference = plan();
    const hours = [...Array(reference.hours).keys()];
    const expected = given ?? levelsByHour(reference);
    let changes = 0;
    for (const h of hours.slice(1))
      changes += expected[h]?.prices.filter((x, q) => x !== expected[h - 1]?.prices[q]).length ?? 0;
    expect(changes).toBeGreaterThan(0);
    // the last orders go back and forth between two hours, then three (the day's end, an early and a late
    // hour), as a load's jobs do (stock.ts cursorAt: a second cursor, copied from the first, then the nearest moves)
    const alternating = [2, 3, 2, 3, 2, 3, 6, 3, 0, 7, 1, 6, 2, 5, 4, 3, 4, 3];
    const three = [7, 1, 7, 1, 7, 1, 4, 7, 1, 4, 2, 7, 5, 2, 7, 5, 3, 7, 6, 3, 7, 6, 4, 7];
    for (const order of [[...hours].reverse(), [3, 0, 7, 1, 6, 2, 5, 4], hours, alternating, three]) {
      const p = plan();
      for (const h of order) {
        const e = expected[h];
        if (!e) throw new Error('no hour');
        const n = p.productsBefore[h + 1] ?? 0;
        expect(Array.from({ length: n }, (_, q) => priceAtHourEnd(p, h, q))).toEqual(e.prices);
        expect(Array.from({ length: n }, (_, q) => stockAtHourEnd(p, h, q))).toEqual(e.stocks);
        for (const [s, v] of e.value) expect(inventoryValueAt(p, h, s)).toBe(v);
      }
    }
  }
}
