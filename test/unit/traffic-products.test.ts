/**
 * The traffic-products integrity check (src/verify/checks/traffic.ts) as a generator invariant: every logged
 * request that names a product names one of its shop, active (listed, not yet archived) at the request's
 * time. Found by gen verify at black-friday --scale 5: a buying session's other product views are timed
 * before the order, and a product listed seconds before the order was viewed before it went active.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { productActiveAt } from '../../src/generate/lifecycle.js';
import { hourOrders, Order } from '../../src/generate/orders.js';
import { productShop } from '../../src/generate/plan-lookup.js';
import { BUYING, Session } from '../../src/generate/session-record.js';
import { HourSessions } from '../../src/generate/sessions.js';
import { loadScenario } from '../../src/scenario/index.js';

/**
 * tiny with products listed and archived all the time: many new products, drafts of minutes, archived
 * within hours of going active, every browsing session adding to its cart, every session logged. What is
 * rare at --scale 5 happens here every hour.
 */
function churning(): Plan {
  const s = loadScenario('tiny');
  return buildPlan({
    ...s,
    rates: { ...s.rates, new_products: 300, orders: 200 },
    distributions: {
      ...s.distributions,
      productDraftHours: { min: 0, max: 1 },
      productArchiveRate: 500,
      cartAddRate: 1,
      logSampleRate: 1,
    },
  });
}

/** the requests that name a product of another shop or one not active at their time, labelled by kind */
function offending(plan: Plan): string[] {
  const out: string[] = [];
  const o = new Order();
  for (let h = 0; h < plan.hours; h++) {
    const walk = new HourSessions(plan, h);
    const s = new Session();
    while (walk.next(s)) {
      const items = new Set<number>();
      if (s.kind === BUYING) {
        hourOrders(plan, h).load(s.order, o);
        for (let i = 0; i < o.itemCount; i++) items.add(o.product(i));
      }
      for (let r = 0; r < s.n; r++) {
        const p = s.product[r] ?? -1;
        if (p < 0) continue;
        if (s.shop[r] === productShop(plan, p) && productActiveAt(plan, p, s.time[r] ?? 0)) continue;
        const what = s.kind === BUYING ? (items.has(p) ? 'item' : 'other product') : 'browsing';
        out.push(`${what} route ${s.route[r]} hour ${h} session ${s.index}`);
      }
    }
  }
  return out;
}

describe('traffic names products of their shop, active at the request', () => {
  it('holds while products are listed and archived around the requests', () => {
    expect(offending(churning())).toEqual([]);
  });
});
