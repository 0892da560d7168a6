/** shop_inventory_log: a 'sale' row per item of a paid order, and sometimes a 'restock' right after it. */
import { HOUR_MS } from '../time-units.js';
import type { Ctx } from './context.js';
import { shopInventoryLogExtra } from './extras-orders.js';
import { K } from './keyed.js';
import { hourOrders, inHour, MAX_ITEMS, Order, orderField, PAID } from './orders.js';
import type { Plan } from './plan.js';
import { W } from './words.js';

/** Restock decision and size for item i of a paid order: 0 when no restock. */
export function restockOf(plan: Plan, o: Order, i: number): number {
  const d = plan.scenario.distributions;
  const u = (orderField(o, 100 + i) >>> 0) / 4294967296;
  if (u >= d.restockRate) return 0;
  return (
    d.restockQuantity.min + (orderField(o, 130 + i) % (d.restockQuantity.max - d.restockQuantity.min + 1))
  );
}

export function* inventoryLog(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    for (let i = 0; i < o.itemCount; i++) {
      const t = o.settledTime;
      const product = o.product(i);
      ctx.head(K.inventoryLog, h, (j * MAX_ITEMS + i) * 2, t);
      ctx.id(K.product, 0, product).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(W.sale).comma().int(-o.quantity(i)).comma();
      ctx.tail(t, t, shopInventoryLogExtra(plan, o.shop, o.key, i, 'sale'));
      if (w.full) yield w.take();
      const restock = restockOf(plan, o, i);
      if (restock > 0) {
        const rt = inHour(t + 60_000 + (orderField(o, 160 + i) % 600_000), hourEnd);
        ctx.head(K.inventoryLog, h, (j * MAX_ITEMS + i) * 2 + 1, rt);
        ctx.id(K.product, 0, product).comma();
        ctx.id(K.shop, 0, o.shop).comma();
        w.comma().bytes(W.restock).comma().int(restock).comma();
        ctx.tail(rt, rt, shopInventoryLogExtra(plan, o.shop, o.key, i, 'restock'));
        if (w.full) yield w.take();
      }
    }
  }
}
