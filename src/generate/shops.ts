/** Row writers of shop, shop_product and shop_promotion: one hour's new ones (hour 0: also those before). */
import { at } from '../at.js';
import { createdIn, productTimes, shopTimes } from './arrivals.js';
import { type Ctx, pick } from './context.js';
import { shopExtra, shopPromotionExtra } from './extras.js';
import { shopProductExtra } from './extras-products.js';
import { field, K, rowKey } from './keyed.js';
import { productPrice, productShop, shopOwner } from './plan-lookup.js';
import { stockAtEnd } from './stock.js';
import { productText, shopText } from './text.js';
import { W } from './words.js';

export function* shops(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = createdIn(plan.shopsBefore, h);
  for (let s = a; s < b; s++) {
    const key = rowKey(plan.seed, K.shop, 0, s);
    const t = shopTimes(plan, s);
    ctx.head(K.shop, 0, s, t.event);
    ctx.id(K.user, 0, shopOwner(plan, s)).comma();
    const st = shopText(ctx, s);
    w.bytes(st.name).comma().bytes(st.category).comma();
    w.bytes(field(key, 4) % 100 < 96 ? W.active : W.paused).comma();
    w.bytes(pick(pools.streets, field(key, 5))).comma();
    w.bytes(pick(pools.cities, field(key, 6))).comma();
    w.bytes(pick(pools.postalCodes, field(key, 7))).comma();
    w.bytes(pick(pools.countryCodes, field(key, 8))).comma();
    ctx.tail(t.created, t.created, shopExtra(plan, s));
    if (w.full) yield w.take();
  }
}

export function* products(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const [a, b] = createdIn(plan.productsBefore, h);
  for (let p = a; p < b; p++) {
    const key = rowKey(plan.seed, K.product, 0, p);
    const t = productTimes(plan, p);
    const s = productShop(plan, p);
    ctx.head(K.product, 0, p, t.event);
    ctx.id(K.shop, 0, s).comma();
    w.ascii('SKU-').uint(s).ascii('-').uint(p).comma();
    const pt = productText(ctx, p, s);
    w.bytes(pt.name).comma().bytes(pt.category).comma();
    w.money(productPrice(plan, p)).comma().bytes(W.usd).comma();
    w.uint(stockAtEnd(plan, p)).comma();
    w.bytes(field(key, 5) % 100 < 97 ? W.active : W.draft).comma();
    ctx.tail(t.created, t.created, shopProductExtra(ctx, p, s));
    if (w.full) yield w.take();
  }
}

export function* promotions(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, pools, w } = ctx;
  const [a, b] = createdIn(plan.promotionsBefore, h);
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
    // status as recorded: it runs from its creation (or before the window) until ends_at
    w.bytes(W.active).comma();
    ctx.tail(Math.min(ev, start), ev, shopPromotionExtra(plan, i));
    if (w.full) yield w.take();
  }
}
