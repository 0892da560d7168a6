/**
 * The plan: everything about a run that is a function of the scenario alone, computed once in O(hours +
 * population), so that any hour can then be generated on its own. Per-hour arrival counts and their prefix
 * sums turn "the 1234th user" into "created in hour h" and back; the initial population and the arrivals of
 * shops, products and promotions are laid out so that an order in hour 50 can name user #1234, shop #17 and
 * its products without generating hour 0.
 */

import { at } from '../at.js';
import type { Scenario } from '../scenario/types.js';
import { HOUR_MS } from '../time-units.js';
import { between, K, rowKey, unit, uuidKeys } from './keyed.js';
import { creationHour } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import { reviewCandidates, reviewSlots, reviewsIn } from './review-slots.js';

export type { Plan };

function eventMultiplier(s: Scenario, rate: string, ms: number): number {
  let m = 1;
  for (const e of s.events) {
    if (ms >= e.start && ms < e.start + e.hours * HOUR_MS && (e.appliesTo as string[]).includes(rate))
      m *= e.multiplier;
  }
  return m;
}

/**
 * The scenario's curve: expected arrivals in hour h from rate, scale, rhythm and events, before noise and
 * rounding (the data profile of the load report draws the loaded orders against it).
 */
export function expectedArrivals(s: Scenario, rate: keyof Scenario['rates'], h: number): number {
  const ms = s.start + h * HOUR_MS;
  const hod = new Date(ms).getUTCHours();
  return s.rates[rate] * s.scale * (s.rhythm[hod] ?? 1) * eventMultiplier(s, rate, ms);
}

/** Arrivals in hour h: expected value from rate, rhythm and events, +-5% keyed noise, keyed stochastic rounding. */
function arrivals(
  s: Scenario,
  seed: number,
  rate: keyof Scenario['rates'],
  rateIdx: number,
  h: number,
): number {
  const expected = expectedArrivals(s, rate, h);
  const key = rowKey(seed, K.plan, rateIdx, h);
  const noisy = expected * (0.95 + 0.1 * unit(key, 1));
  const whole = Math.floor(noisy);
  return whole + (unit(key, 2) < noisy - whole ? 1 : 0);
}

function prefix(counts: Int32Array, base: number): Float64Array {
  const out = new Float64Array(counts.length + 1);
  let sum = base;
  out[0] = sum;
  counts.forEach((c, h) => {
    sum += c;
    out[h + 1] = sum;
  });
  return out;
}

/** Compressed rows: the indexes i of `owners` grouped by owners[i], ascending, with each owner's start. */
function csr(n: number, owners: Int32Array): { start: Int32Array; list: Int32Array } {
  const count = new Int32Array(n);
  for (const o of owners) count[o] = at(count, o) + 1;
  const start = new Int32Array(n + 1);
  let sum = 0;
  count.forEach((c, i) => {
    start[i] = sum;
    sum += c;
  });
  start[n] = sum;
  const fill = start.slice(0, n);
  const list = new Int32Array(owners.length);
  owners.forEach((o, i) => {
    const f = at(fill, o);
    list[f] = i;
    fill[o] = f + 1;
  });
  return { start, list };
}

export function buildPlan(s: Scenario): Plan {
  const seed = s.seed >>> 0;
  const hours = s.hours;
  const pop = s.population;
  const d = s.distributions;
  const scaled = (n: number): number => Math.max(0, Math.round(n * s.scale));

  const perHour = (rate: keyof Scenario['rates'], idx: number): Int32Array => {
    const a = new Int32Array(hours);
    for (let h = 0; h < hours; h++) a[h] = arrivals(s, seed, rate, idx, h);
    return a;
  };
  const signups = perHour('signups', 1);
  const newShops = perHour('new_shops', 2);
  const newProducts = perHour('new_products', 3);
  const orders = perHour('orders', 4);
  const newPromos = perHour('promotions', 5);

  // Initial population: at least one user, one owner and one shop, so every order has somewhere to go.
  const users0 = Math.max(1, scaled(pop.users));
  const owners = Math.min(users0, Math.max(1, scaled(pop.shopOwners)));
  const ownerShops: number[] = [];
  for (let o = 0; o < owners; o++) {
    ownerShops.push(
      between(rowKey(seed, K.shopOwner, 0, o), 1, pop.shopsPerOwner.min, pop.shopsPerOwner.max),
    );
  }
  const shops0 = ownerShops.reduce((a, b) => a + b, 0);
  const shopOwner0 = new Int32Array(shops0);
  {
    let s0 = 0;
    for (let o = 0; o < owners; o++) {
      // owners spread evenly over the initial users
      const user = Math.floor((o * users0) / owners);
      for (let k = 0; k < at(ownerShops, o); k++) shopOwner0[s0++] = user;
    }
  }
  const productStart0 = new Float64Array(shops0 + 1);
  const { min: pmin, max: pmax } = pop.productsPerShop;
  let products0 = 0;
  for (let sh = 0; sh < shops0; sh++) {
    // skewed shop sizes: u^(1+skew) puts most shops near min and a few near max
    const u = unit(rowKey(seed, K.shop, 0, sh), 40);
    const size = pmin + Math.floor((pmax - pmin + 1) * u ** (1 + d.shopSizeSkew));
    products0 += Math.min(pmax, Math.max(1, size));
    productStart0[sh + 1] = products0;
  }

  const usersBefore = prefix(signups, users0);
  const shopsBefore = prefix(newShops, shops0);
  const productsBefore = prefix(newProducts, products0);
  const totalShops = at(shopsBefore, hours);

  // Window products: each goes to a shop that exists when its hour starts.
  const totalProducts = at(productsBefore, hours);
  const windowProductShop = new Int32Array(totalProducts - products0);
  for (let h = 0; h < hours; h++) {
    const shopsThen = at(shopsBefore, h);
    for (let p = at(productsBefore, h); p < at(productsBefore, h + 1); p++) {
      windowProductShop[p - products0] = Math.floor(unit(rowKey(seed, K.product, 0, p), 41) * shopsThen);
    }
  }
  const wp = csr(totalShops, windowProductShop);
  const shopWindowProducts = wp.list.map((i) => i + products0);

  // Promotions: some running at the window start (on initial shops), then arrivals.
  const promotions0 = scaled(pop.promotions);
  const promotionsBefore = prefix(newPromos, promotions0);
  const totalPromos = at(promotionsBefore, hours);
  const promoShop = new Int32Array(totalPromos);
  const promoStart = new Float64Array(totalPromos);
  const promoEnd = new Float64Array(totalPromos);
  const promoEventTime = new Float64Array(totalPromos);
  const promoPercent = new Int32Array(totalPromos);
  for (let i = 0; i < totalPromos; i++) {
    const key = rowKey(seed, K.promotion, 0, i);
    const dur = between(key, 3, d.promotionDurationHours.min, d.promotionDurationHours.max) * HOUR_MS;
    promoPercent[i] = between(key, 4, d.promotionDiscountPercent.min, d.promotionDiscountPercent.max);
    if (i < promotions0) {
      promoShop[i] = Math.floor(unit(key, 1) * shops0);
      // started before the window, still running at its start
      const started = s.start - Math.floor(unit(key, 2) * (dur - 60_000));
      promoStart[i] = started;
      promoEnd[i] = started + dur;
      promoEventTime[i] = s.start;
    } else {
      const h = creationHour(promotionsBefore, i);
      promoShop[i] = Math.floor(unit(key, 1) * at(shopsBefore, h));
      // announced (created, event_time) at a keyed time of its hour, evenly (a shop's schedule, not the
      // rhythm's traffic: hour-times.ts), never the exact hour start (the population's time); it starts
      // promotion_lead_hours later (keyed minutes, at least one: 'scheduled' is real)
      const t = s.start + h * HOUR_MS + 1 + Math.floor(unit(key, 2) * (HOUR_MS - 1));
      const lead = d.promotionLeadHours;
      const begins = t + Math.max(1, between(key, 7, lead.min * 60, lead.max * 60)) * 60_000;
      promoStart[i] = begins;
      promoEnd[i] = begins + dur;
      promoEventTime[i] = t;
    }
  }
  const sp = csr(totalShops, promoShop);

  // Review candidates in hour h: orders of hours h - delay, each at most once (review-slots.ts).
  const candidates = reviewCandidates(seed, orders, d.reviewRate);
  const slots = reviewSlots(s, candidates);
  const reviews = Int32Array.from({ length: hours }, (_, h) => reviewsIn(slots, h));

  return {
    scenario: s,
    seed,
    start: s.start,
    hours,
    uuidKeys: uuidKeys(seed),
    users0,
    usersBefore,
    shops0,
    shopsBefore,
    products0,
    productsBefore,
    promotions0,
    promotionsBefore,
    orders,
    reviews,
    reviewCandidates: candidates,
    shopOwner0,
    productStart0,
    windowProductShop,
    shopWindowProductStart: wp.start,
    shopWindowProducts,
    promoShop,
    promoStart,
    promoEnd,
    promoEventTime,
    promoPercent,
    shopPromoStart: sp.start,
    shopPromos: sp.list,
  };
}
