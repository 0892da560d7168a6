/** Row writers of shop, shop_product and shop_promotion: one hour's new ones (hour 0: also those before). */

import { at } from '../at.js';
import { createdIn, productTimes, shopTimes } from './arrivals.js';
import { type Ctx, pick } from './context.js';
import { shopExtra, shopPromotionExtra } from './extras.js';
import { shopProductExtra } from './extras-products.js';
import { field, K, rowKey } from './keyed.js';
import { productStateAt, promotionStateAt, type StateAt, shopStateAt } from './lifecycle.js';
import { shopCountry } from './money.js';
import { productShop, shopOwner } from './plan-lookup.js';
import { planEnd } from './plan-type.js';
import { priceAt, productCurrency } from './prices.js';
import { initialStock, stockAtEnd } from './stock.js';
import { productText, shopText } from './text.js';
import { W } from './words.js';

export function* shops(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = createdIn(plan.shopsBefore, h, ctx.population, ctx.slice);
  const state: StateAt = { status: 0, since: 0 };
  for (let s = a; s < b; s++) {
    const key = rowKey(plan.seed, K.shop, 0, s);
    const t = shopTimes(plan, s);
    ctx.head(K.shop, 0, s, t.event);
    ctx.id(K.user, 0, shopOwner(plan, s)).comma();
    const st = shopText(ctx, s);
    w.bytes(st.name).comma().bytes(st.category).comma();
    // state at the window's end (issue 8 §1), updated_time = when it entered it
    shopStateAt(plan, s, ctx.asInserted ? t.event : windowEnd(plan), state);
    w.bytes(at(W.shopStatus, state.status)).comma();
    w.bytes(pick(pools.streets, field(key, 5))).comma();
    w.bytes(pick(pools.cities, field(key, 6))).comma();
    w.bytes(pick(pools.postalCodes, field(key, 7))).comma();
    // the country decides the shop's currency (money.ts): one function for both
    w.bytes(pick(W.shopCountries, shopCountry(plan, s))).comma();
    ctx.tail(t.created, state.since, shopExtra(plan, s));
    if (w.full) yield w.take();
  }
}

export function* products(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const [a, b] = createdIn(plan.productsBefore, h, ctx.population, ctx.slice);
  const end = windowEnd(plan);
  const state: StateAt = { status: 0, since: 0 };
  for (let p = a; p < b; p++) {
    const t = productTimes(plan, p);
    const s = productShop(plan, p);
    ctx.head(K.product, 0, p, t.event);
    ctx.id(K.shop, 0, s).comma();
    w.ascii('SKU-').uint(s).ascii('-').uint(p).comma();
    const pt = productText(ctx, p, s);
    w.bytes(pt.name).comma().bytes(pt.category).comma();
    // price and stock at the window's end (as inserted: at its listing), in the shop's currency
    const asOf = ctx.asInserted ? t.event : end;
    w.money(priceAt(plan, p, asOf))
      .comma()
      .bytes(at(W.currencies, productCurrency(plan, p)))
      .comma();
    w.uint(ctx.asInserted ? initialStock(plan, p) : stockAtEnd(plan, p)).comma();
    productStateAt(plan, p, asOf, state);
    w.bytes(at(W.productStatus, state.status)).comma();
    ctx.tail(t.created, state.since, shopProductExtra(ctx, pt));
    if (w.full) yield w.take();
  }
}

export function* promotions(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = createdIn(plan.promotionsBefore, h, ctx.population, ctx.slice);
  const state: StateAt = { status: 0, since: 0 };
  for (let i = a; i < b; i++) {
    const key = rowKey(plan.seed, K.promotion, 0, i);
    const ev = at(plan.promoEventTime, i);
    const start = at(plan.promoStart, i);
    ctx.head(K.promotion, 0, i, ev);
    ctx.id(K.shop, 0, at(plan.promoShop, i)).comma();
    w.bytes(pick(pools.promotionNames, field(key, 5))).comma();
    w.ascii('PROMO')
      .uint(i)
      .ascii('X')
      .uint(field(key, 6) % 1000)
      .comma();
    w.uint(at(plan.promoPercent, i)).comma();
    w.ts(start).comma().ts(at(plan.promoEnd, i)).comma();
    // scheduled until starts_at, active until ends_at, ended after: its state at the window's end
    promotionStateAt(plan, i, ctx.asInserted ? ev : windowEnd(plan), state);
    w.bytes(at(W.promotionStatus, state.status)).comma();
    ctx.tail(Math.min(ev, start), state.since, shopPromotionExtra(plan, i));
    if (w.full) yield w.take();
  }
}

/** The last instant of the window: rows show their state then. */
const windowEnd = (plan: Ctx['plan']): number => planEnd(plan) - 1;
