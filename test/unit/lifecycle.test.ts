/**
 * Lifecycles, currency and prices (issue 8 §1, §2) without a database: the state functions agree with the
 * changes the global_event rows are made of, the rates come out roughly as set, the same plan gives the same
 * changes whatever is asked first, and priceAt agrees with priceChangesIn.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { productCreated, shopCreated, userCreated } from '../../src/generate/arrivals.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import {
  type Change,
  changesIn,
  methodExpiresAt,
  methodExpiryMonth,
  monthIndex,
  monthStart,
  productActiveAt,
  productStateAt,
  promotionStateAt,
  type StateAt,
  shopActiveAt,
  shopStateAt,
  userActiveAt,
  userStateAt,
} from '../../src/generate/lifecycle.js';
import {
  CURRENCIES,
  pricePoint,
  SHOP_COUNTRIES,
  shopCountry,
  shopCurrency,
  toReporting,
} from '../../src/generate/money.js';
import { paymentMethodCount, productShop, shopOwner } from '../../src/generate/plan-lookup.js';
import { PRODUCT_NAMES, poolsFor } from '../../src/generate/pools.js';
import { priceAt, priceChangesIn, productCurrency } from '../../src/generate/prices.js';
import { productTextOf } from '../../src/generate/text.js';
import { COUNTRY_CURRENCY } from '../../src/model/currencies.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import type { Distributions, Scenario } from '../../src/scenario/types.js';
import { DAY_MS, HOUR_MS } from '../../src/time-units.js';

/** tiny over three days, with a bigger population and rates high enough that every kind of change happens */
function busy(over: Partial<Distributions> = {}, seed?: number): Plan {
  const s = applyOverrides(loadScenario('tiny'), { hours: 72, ...(seed === undefined ? {} : { seed }) });
  const scenario: Scenario = {
    ...s,
    population: { ...s.population, users: 3000, promotions: 20 },
    distributions: {
      ...s.distributions,
      userChurnRate: 1,
      userBanRate: 0.3,
      shopPauseRate: 3,
      shopPauseDays: { min: 1, max: 2 },
      productArchiveRate: 2,
      repricingRate: 0.5,
      ...over,
    },
  };
  return buildPlan(scenario);
}

const windowEnd = (plan: Plan): number => plan.start + plan.hours * HOUR_MS;
const st = (): StateAt => ({ status: -1, since: -1 });

function allChanges(plan: Plan): Change[] {
  const out: Change[] = [];
  for (let h = 0; h < plan.hours; h++) out.push(...changesIn(plan, h));
  return out;
}

/** the entity's state at t through the state function of its kind */
function stateOf(plan: Plan, c: Change, t: number): number {
  const out = st();
  if (c.entity === 'user') return userStateAt(plan, c.index, t, out).status;
  if (c.entity === 'shop') return shopStateAt(plan, c.index, t, out).status;
  if (c.entity === 'product') return productStateAt(plan, c.index, t, out).status;
  if (c.entity === 'promotion') return promotionStateAt(plan, c.index, t, out).status;
  return t >= methodExpiresAt(plan, c.index, c.slot) ? 1 : 0;
}

describe('lifecycles', () => {
  const plan = busy();
  const changes = allChanges(plan);

  it('has changes of every kind in the window, in time order, each in its hour', () => {
    const kinds = new Set(changes.map((c) => `${c.entity}:${c.status}`));
    for (const k of [
      'user:1',
      'user:2',
      'shop:1',
      'shop:0',
      'product:1',
      'product:2',
      'promotion:1',
      'promotion:2',
    ])
      expect(kinds.has(k), k).toBe(true);
    for (let h = 0; h < plan.hours; h++) {
      const cs = changesIn(plan, h);
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i] as Change;
        expect(Math.floor((c.time - plan.start) / HOUR_MS)).toBe(h);
        if (i > 0) expect(c.time).toBeGreaterThanOrEqual((cs[i - 1] as Change).time);
      }
    }
  });

  it('agrees with the state functions: each change is the entity entering that status at that time', () => {
    for (const c of changes) {
      expect(stateOf(plan, c, c.time), `${c.entity} ${c.index} at ${c.time}`).toBe(c.status);
      expect(stateOf(plan, c, c.time - 1), `${c.entity} ${c.index} before ${c.time}`).not.toBe(c.status);
    }
  });

  it('holds every change of the window: state at the start, replayed through the changes, is the state at the end', () => {
    const last = windowEnd(plan) - 1;
    const byEntity = new Map<string, Change[]>();
    for (const c of changes) {
      const k = `${c.entity}:${c.index}:${c.slot}`;
      byEntity.set(k, [...(byEntity.get(k) ?? []), c]);
    }
    const probe = (entity: Change['entity'], index: number, slot = 0): void => {
      const c: Change = { entity, index, slot, time: 0, status: 0 };
      const list = byEntity.get(`${entity}:${index}:${slot}`) ?? [];
      const expected =
        list.length > 0 ? (list[list.length - 1] as Change).status : stateOf(plan, c, plan.start);
      expect(stateOf(plan, c, last), `${entity} ${index}`).toBe(expected);
    };
    const users = plan.usersBefore[plan.hours] ?? 0;
    for (let u = 0; u < users; u++) {
      // an entity created in the window starts in its first state: its state "at the start" is that one
      if (userCreated(plan, u) <= plan.start) probe('user', u);
      for (let s = 0; s < paymentMethodCount(plan, u); s++)
        if (userCreated(plan, u) <= plan.start) probe('method', u, s);
    }
    for (let s = 0; s < (plan.shopsBefore[plan.hours] ?? 0); s++)
      if (shopCreated(plan, s) <= plan.start) probe('shop', s);
    for (let p = 0; p < plan.products0; p++) probe('product', p);
    expect(byEntity.size).toBeGreaterThan(50);
  });

  it('says active exactly when the state is active', () => {
    const t = plan.start + 40 * HOUR_MS;
    const out = st();
    for (let u = 0; u < 2000; u++)
      expect(userActiveAt(plan, u, t)).toBe(userStateAt(plan, u, t, out).status === 0);
    for (let s = 0; s < plan.shops0; s++)
      expect(shopActiveAt(plan, s, t)).toBe(shopStateAt(plan, s, t, out).status === 0);
    const products = plan.productsBefore[plan.hours] ?? 0;
    for (let p = 0; p < products; p++)
      expect(productActiveAt(plan, p, t)).toBe(productStateAt(plan, p, t, out).status === 1);
  });

  it("keeps every shop's owner active, the window's new shops' owners too, while most users have changed", () => {
    const end = windowEnd(plan) - 1;
    const out = st();
    const shops = plan.shopsBefore[plan.hours] ?? 0;
    expect(shops, 'the window opens shops').toBeGreaterThan(plan.shops0);
    const owners = new Set<number>();
    for (let s = 0; s < shops; s++) {
      const u = shopOwner(plan, s);
      owners.add(u);
      expect(userStateAt(plan, u, end, out), `owner of shop ${s}`).toEqual({
        status: 0,
        since: userCreated(plan, u),
      });
      expect(userActiveAt(plan, u, end)).toBe(true);
    }
    expect(allChanges(plan).filter((c) => c.entity === 'user' && owners.has(c.index))).toEqual([]);
    let changed = 0;
    for (let u = 0; u < 1000; u++)
      if (!owners.has(u) && userStateAt(plan, u, end, out).status !== 0) changed++;
    expect(changed).toBeGreaterThan(500);
  });

  it('gives since = created for a first state and a since in the past otherwise', () => {
    const out = st();
    const last = windowEnd(plan) - 1;
    for (let u = 0; u < 500; u++) {
      userStateAt(plan, u, last, out);
      if (out.status === 0) expect(out.since).toBe(userCreated(plan, u));
      else expect(out.since).toBeGreaterThan(userCreated(plan, u));
      expect(out.since).toBeLessThanOrEqual(last);
    }
    for (let p = plan.products0; p < (plan.productsBefore[plan.hours] ?? 0); p++) {
      productStateAt(plan, p, productCreated(plan, p), out);
      expect(out.status, 'a product listed in the window starts as a draft').toBe(0);
    }
    for (let p = 0; p < plan.products0; p++)
      expect(productActiveAt(plan, p, plan.start), 'snapshot active').toBe(true);
  });

  it('draws the waits at about the rates set', () => {
    // user_churn_rate 1 and user_ban_rate 0.3 per 30 days: 1 - e^-1.3 = 73% changed 30 days after signup
    const out = st();
    const n = plan.usersBefore[plan.hours] ?? 0;
    let changed = 0;
    let banned = 0;
    for (let u = 0; u < n; u++) {
      userStateAt(plan, u, userCreated(plan, u) + 30 * DAY_MS, out);
      if (out.status !== 0) changed++;
      if (out.status === 2) banned++;
    }
    expect(changed / n).toBeGreaterThan(0.69);
    expect(changed / n).toBeLessThan(0.77);
    // the share of the changes that are bans: 0.3 / 1.3
    expect(banned / changed).toBeGreaterThan(0.19);
    expect(banned / changed).toBeLessThan(0.27);
    // shop_pause_rate 3 per 30 days: 1 - e^-3 = 95% paused at least once within 30 days of opening
    let paused = 0;
    for (let sh = 0; sh < plan.shops0; sh++) {
      const c = shopCreated(plan, sh);
      let any = false;
      for (let d = 1; d <= 30 && !any; d += 0.25)
        any = shopStateAt(plan, sh, c + d * DAY_MS, out).status === 1;
      if (any || shopStateAt(plan, sh, c + 30 * DAY_MS, out).since > c) paused++;
    }
    expect(paused / plan.shops0).toBeGreaterThan(0.85);
    // product_archive_rate 2 per 30 days: 1 - e^-2 = 86% archived 30 days after the window start
    let archived = 0;
    for (let p = 0; p < plan.products0; p++)
      if (productStateAt(plan, p, plan.start + 30 * DAY_MS, out).status === 2) archived++;
    expect(archived / plan.products0).toBeGreaterThan(0.8);
    expect(archived / plan.products0).toBeLessThan(0.92);
    // the gentle defaults: few users change in 3 days
    const gentle = busy({ userChurnRate: 0.02, userBanRate: 0.002 });
    const few = allChanges(gentle).filter((c) => c.entity === 'user').length;
    expect(few / n).toBeLessThan(0.01);
  });

  it('is deterministic: a fresh plan, hours asked in another order, give the same changes', () => {
    const other = busy();
    const reversed: Change[][] = [];
    for (let h = other.hours - 1; h >= 0; h--) reversed[h] = [...changesIn(other, h)];
    expect(reversed.flat()).toEqual(changes);
    expect(allChanges(busy({}, 43))).not.toEqual(changes);
  });

  it('announces window promotions before they start', () => {
    for (let i = plan.promotions0; i < plan.promoStart.length; i++) {
      expect(plan.promoStart[i]).toBeGreaterThan(plan.promoEventTime[i] ?? Infinity);
      expect(promotionStateAt(plan, i, plan.promoEventTime[i] ?? 0, st()).status).toBe(0);
    }
  });
});

describe('payment methods', () => {
  const plan = busy();

  it('computes months without Date objects, as Date does', () => {
    for (let t = Date.UTC(1999, 0, 1); t < Date.UTC(2031, 0, 1); t += 86_399_937) {
      const d = new Date(t);
      expect(monthIndex(t)).toBe(d.getUTCFullYear() * 12 + d.getUTCMonth());
    }
    expect(monthStart(2026 * 12 + 11)).toBe(Date.UTC(2026, 11, 1));
  });

  it('expire from 3 months before the window to 5 years after, never in their creation month', () => {
    const startMonth = monthIndex(plan.start);
    let expired = 0;
    let n = 0;
    for (let u = 0; u < 3000; u++) {
      for (let s = 0; s < paymentMethodCount(plan, u); s++) {
        const m = methodExpiryMonth(plan, u, s);
        expect(m).toBeGreaterThanOrEqual(startMonth - 3);
        expect(m).toBeLessThanOrEqual(startMonth + 60);
        expect(m).toBeGreaterThan(monthIndex(userCreated(plan, u)));
        expect(methodExpiresAt(plan, u, s)).toBe(monthStart(m + 1));
        n++;
        if (methodExpiresAt(plan, u, s) <= plan.start) expired++;
      }
    }
    // about 3 months of 63: some active users hold an expired method
    expect(expired / n).toBeGreaterThan(0.02);
    expect(expired / n).toBeLessThan(0.09);
  });
});

describe('money and prices', () => {
  const plan = busy();

  it('gives a shop the currency of its country', () => {
    const seen = new Set<number>();
    for (let s = 0; s < plan.shops0; s++) {
      const country = SHOP_COUNTRIES[shopCountry(plan, s)] ?? '';
      expect(CURRENCIES[shopCurrency(plan, s)]?.code).toBe(COUNTRY_CURRENCY[country] ?? 'USD');
      seen.add(shopCurrency(plan, s));
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('puts prices on price points: x.99 above 5 units, whole hundreds of yen, never below one unit', () => {
    const jpy = CURRENCIES.findIndex((c) => c.code === 'JPY');
    expect(pricePoint(0, 1234.4)).toBe(1299);
    expect(pricePoint(0, 42)).toBe(100);
    expect(pricePoint(jpy, 123456)).toBe(120000);
    expect(pricePoint(jpy, 10)).toBe(10000);
    const products = plan.productsBefore[plan.hours] ?? 0;
    for (let p = 0; p < products; p++) {
      const v = priceAt(plan, p, windowEnd(plan) - 1);
      if (productCurrency(plan, p) === jpy) expect(v % 10000).toBe(0);
      else if (v > 500) expect(v % 100).toBe(99);
      expect(v).toBeGreaterThanOrEqual(100);
    }
  });

  it("draws a product's price in its noun's usual range, cut to price_cents", () => {
    const usd = CURRENCIES.findIndex((c) => c.code === 'USD');
    const pools = poolsFor(plan.seed);
    const check = (p0: Plan, cut: (v: number) => number): number => {
      let n = 0;
      for (let p = 0; p < p0.products0; p++) {
        if (productCurrency(p0, p) !== usd) continue;
        const [lo, hi] = productTextOf(p0, pools, p, productShop(p0, p)).usdCents;
        // at the window start, before any repricing; x.99 above 5.00 may round up to 99 cents past the range
        const v = priceAt(p0, p, p0.start);
        expect(v, `product ${p}`).toBeGreaterThanOrEqual(cut(lo));
        expect(v, `product ${p}`).toBeLessThanOrEqual(cut(hi) + 99);
        n++;
      }
      return n;
    };
    // ranges wider than any noun's: the noun's range alone
    const wide = busy({ priceCents: { min: 1, max: 100_000_000 } });
    expect(check(wide, (v) => v)).toBeGreaterThan(10);
    // tiny's price_cents (1.99 to 99.99) cuts a monitor's 120-700
    const { min, max } = plan.scenario.distributions.priceCents;
    expect(check(plan, (v) => Math.min(Math.max(v, min), max))).toBeGreaterThan(10);
  });

  it('prices one product name alike in every shop that sells it, and names apart', () => {
    // black-friday's population (a fifth of it): ~34,000 products under ~4,000 USD names, some in 10 shops
    const bf = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 24, scale: 0.2 }));
    const usd = CURRENCIES.findIndex((c) => c.code === 'USD');
    const pools = poolsFor(bf.seed);
    const byName = new Map<number, { prices: number[]; noun: string; range: readonly [number, number] }>();
    for (let p = 0; p < bf.products0; p++) {
      if (productCurrency(bf, p) !== usd) continue;
      const t = productTextOf(bf, pools, p, productShop(bf, p));
      const key = t.dept * PRODUCT_NAMES + t.index;
      const name = byName.get(key) ?? {
        prices: [],
        noun: `${t.dept} ${Buffer.from(t.noun)}`,
        range: t.usdCents,
      };
      name.prices.push(priceAt(bf, p, bf.start));
      byName.set(key, name);
    }
    const shared = [...byName.values()].filter((v) => v.prices.length >= 5);
    expect(shared.length).toBeGreaterThan(100);
    const ratios = shared
      .map(({ prices }) => Math.max(...prices) / Math.min(...prices))
      .sort((a, b) => a - b);
    // a shop's spread is 0.67x-1.49x its name's price (2.23x apart at most), x.99 rounding adds up to 1.2x for
    // cheap things; each shop drawing anywhere in the noun's range gave 2.8x at the median, 7.8x at most here
    expect(ratios.at(-1)).toBeLessThanOrEqual(2.7);
    expect(at(ratios, Math.floor(ratios.length / 2))).toBeLessThan(2);
    // and the names of one noun are priced apart: the spread of their mean prices against the spread within a
    // name (log scale, standard deviations), over the nouns with a range of 2x or more and 6 such names or more
    const byNoun = new Map<string, { means: number[]; within: number[]; range: readonly [number, number] }>();
    const sd = (xs: number[]): number => {
      const m = xs.reduce((x, y) => x + y, 0) / xs.length;
      return Math.sqrt(xs.reduce((x, y) => x + (y - m) ** 2, 0) / (xs.length - 1));
    };
    for (const { prices, noun, range } of shared) {
      const logs = prices.map(Math.log);
      const n = byNoun.get(noun) ?? { means: [], within: [], range };
      n.means.push(logs.reduce((x, y) => x + y, 0) / logs.length);
      n.within.push(sd(logs));
      byNoun.set(noun, n);
    }
    const apart = [...byNoun.values()]
      .filter((n) => n.means.length >= 6 && n.range[1] >= 2 * n.range[0])
      .map((n) => sd(n.means) / (n.within.reduce((x, y) => x + y, 0) / n.within.length));
    expect(apart.length).toBeGreaterThan(10);
    // 1.23 (0.69 with every name at its range's middle, 0.55 with each shop anywhere in the range)
    expect(apart.reduce((x, y) => x + y, 0) / apart.length).toBeGreaterThan(1);
  });

  it('converts to the reporting currency at the fixed rates, half away from zero', () => {
    const eur = CURRENCIES.findIndex((c) => c.code === 'EUR');
    const jpy = CURRENCIES.findIndex((c) => c.code === 'JPY');
    expect(toReporting(plan, 1000, eur)).toBe(1080);
    expect(toReporting(plan, -1000, eur)).toBe(-1080);
    expect(toReporting(plan, 1000, 0)).toBe(1000);
    expect(toReporting(plan, 150000, jpy)).toBe(1005);
    const yen = { ...plan, scenario: { ...plan.scenario, reportingCurrency: 'JPY' } };
    // 10.00 USD = 1492.54 yen: whole yen in a JPY report
    expect(toReporting(yen, 1000, 0)).toBe(149300);
  });

  it('agrees with priceChangesIn: each change moves priceAt from old to new at its time', () => {
    let n = 0;
    const changed = new Set<number>();
    for (let h = 0; h < plan.hours; h++) {
      for (const c of priceChangesIn(plan, h)) {
        expect(Math.floor((c.time - plan.start) / HOUR_MS)).toBe(h);
        expect(priceAt(plan, c.product, c.time - 1)).toBe(c.oldPrice);
        expect(priceAt(plan, c.product, c.time)).toBe(c.newPrice);
        expect(c.newPrice).not.toBe(c.oldPrice);
        changed.add(c.product);
        n++;
      }
    }
    // repricing_rate 0.5 per day over 3 days, stopped by archiving (2 per 30 days)
    const products = plan.productsBefore[plan.hours] ?? 0;
    expect(n / products).toBeGreaterThan(0.5);
    const last = windowEnd(plan) - 1;
    for (let p = 0; p < products; p++) {
      if (changed.has(p) || p >= plan.products0) continue;
      expect(priceAt(plan, p, last), `product ${p} has no change in the window`).toBe(
        priceAt(plan, p, plan.start),
      );
    }
    // about 70% cuts
    const all = Array.from({ length: plan.hours }, (_v, h) => priceChangesIn(plan, h)).flat();
    const cuts = all.filter((c) => c.newPrice < c.oldPrice).length / all.length;
    expect(cuts).toBeGreaterThan(0.6);
    expect(cuts).toBeLessThan(0.8);
  });

  it('stops repricing an archived product', () => {
    const out = st();
    for (let h = 0; h < plan.hours; h++) {
      for (const c of priceChangesIn(plan, h)) {
        productStateAt(plan, c.product, c.time, out);
        expect(out.status).not.toBe(2);
      }
    }
  });
});
