/**
 * shop_inventory_log: a 'sale' per item of a paid order at the order's time (when it reserved the units), the
 * restocks the stock pass scheduled, at their own times, and a 'return' per item of a returned order at the
 * return's time. Quantities sum, per product, to its stock moves (stock.ts).
 */
import type { Ctx } from './context.js';
import { shopInventoryLogExtra } from './extras-orders.js';
import { K, rowKey } from './keyed.js';
import { hourOrders, MAX_ITEMS, Order, PAID, RETURNED } from './orders.js';
import { productShop } from './plan-lookup.js';
import { refundsIn, returnItemLo } from './refunds.js';
import { restocksIn } from './stock.js';
import { W } from './words.js';

const RETURN = Buffer.from('return');

export function* inventoryLog(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    for (let i = 0; i < o.itemCount; i++) {
      ctx.head(K.inventoryLog, h, j * MAX_ITEMS + i, o.time);
      ctx.id(K.product, 0, o.product(i)).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(W.sale).comma().int(-o.quantity(i)).comma();
      ctx.tail(o.time, o.time, shopInventoryLogExtra(plan, o.shop, o.key, i, 'sale'));
      if (w.full) yield w.take();
    }
  }
  const r = restocksIn(plan, h);
  for (let k = 0; k < r.count; k++) {
    const t = r.time[k] ?? 0;
    const p = r.product[k] ?? 0;
    ctx.head(K.stock, h, k, t);
    ctx.id(K.product, 0, p).comma();
    ctx.id(K.shop, 0, productShop(plan, p)).comma();
    w.comma()
      .bytes(W.restock)
      .comma()
      .int(r.quantity[k] ?? 0)
      .comma();
    ctx.tail(
      t,
      t,
      shopInventoryLogExtra(plan, productShop(plan, p), rowKey(plan.seed, K.stock, h, k), 0, 'restock'),
    );
    if (w.full) yield w.take();
  }
  for (const x of refundsIn(plan, h, o)) {
    if (x.refund !== RETURNED) continue;
    for (let i = 0; i < x.itemCount; i++) {
      ctx.head(K.refund, x.hour, returnItemLo(x.index, i), x.refundTime);
      ctx.id(K.product, 0, x.product(i)).comma();
      ctx.id(K.shop, 0, x.shop).comma();
      ctx.id(K.order, x.hour, x.index).comma();
      w.bytes(RETURN).comma().int(x.quantity(i)).comma();
      ctx.tail(x.refundTime, x.refundTime, shopInventoryLogExtra(plan, x.shop, x.key, i, 'return'));
      if (w.full) yield w.take();
    }
  }
}
