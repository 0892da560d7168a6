/**
 * The rows that change, for the live mode (issue 7): the bulk rows show every entity as of the window end; live
 * inserts each row as it was when it appeared (the row writers' `asInserted` mode) and UPDATEs it at each later
 * change with absolute values, so that after the window it is the bulk row again. Here: which tables change,
 * what an UPDATE sets, the key of the row it finds, and the text forms of the values.
 */
import { at } from '../at.js';
import type { TableName } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import { productTimes, shopTimes, userTimes } from './arrivals.js';
import { Ctx } from './context.js';
import { K } from './keyed.js';
import { invoiceTime } from './order-tables.js';
import type { Order } from './orders.js';
import type { Plan } from './plan.js';

/** The tables whose rows change after they are inserted. */
export const MUTABLE_TABLES = [
  'users',
  'user_payment_method',
  'shop',
  'shop_product',
  'shop_promotion',
  'shop_order',
  'invoice',
] as const satisfies readonly TableName[];
export type MutableTable = (typeof MUTABLE_TABLES)[number];
export const isMutable = (t: TableName): t is MutableTable =>
  (MUTABLE_TABLES as readonly string[]).includes(t);

/** What an UPDATE sets: a status with its updated_time, a product's list price, or its stock. */
export type UpdateShape = 'status' | 'price' | 'inventory';

/** Text forms of ids, timestamps and amounts exactly as the row writers write them. */
export class Fmt {
  private readonly ctx: Ctx;
  constructor(plan: Plan) {
    this.ctx = new Ctx(plan, 1 << 12);
  }
  id(kind: number, hi: number, lo: number): string {
    this.ctx.ownId(kind, hi, lo);
    return this.take();
  }
  ts(ms: number): string {
    this.ctx.w.ts(ms);
    return this.take();
  }
  money(cents: number): string {
    this.ctx.w.money(cents);
    return this.take();
  }
  private take(): string {
    return this.ctx.w.takeText();
  }
}

/** The key of an entity's row for an UPDATE: its id and event_time as text. */
export interface RowRef {
  table: MutableTable;
  id: string;
  eventTime: string;
}

export const userRef = (plan: Plan, fmt: Fmt, u: number): RowRef => ({
  table: 'users',
  id: fmt.id(K.user, 0, u),
  eventTime: fmt.ts(userTimes(plan, u).event),
});
export const methodRef = (plan: Plan, fmt: Fmt, u: number, slot: number): RowRef => ({
  table: 'user_payment_method',
  id: fmt.id(K.paymentMethod, u, slot),
  eventTime: fmt.ts(userTimes(plan, u).event),
});
export const shopRef = (plan: Plan, fmt: Fmt, s: number): RowRef => ({
  table: 'shop',
  id: fmt.id(K.shop, 0, s),
  eventTime: fmt.ts(shopTimes(plan, s).event),
});
export const productRef = (plan: Plan, fmt: Fmt, p: number): RowRef => ({
  table: 'shop_product',
  id: fmt.id(K.product, 0, p),
  eventTime: fmt.ts(productTimes(plan, p).event),
});
export const promotionRef = (plan: Plan, fmt: Fmt, i: number): RowRef => ({
  table: 'shop_promotion',
  id: fmt.id(K.promotion, 0, i),
  eventTime: fmt.ts(at(plan.promoEventTime, i)),
});
export const orderRef = (fmt: Fmt, o: Order): RowRef => ({
  table: 'shop_order',
  id: fmt.id(K.order, o.hour, o.index),
  eventTime: fmt.ts(o.time),
});
export const invoiceRef = (plan: Plan, fmt: Fmt, o: Order): RowRef => ({
  table: 'invoice',
  id: fmt.id(K.invoice, o.hour, o.index),
  eventTime: fmt.ts(invoiceTime(o, plan.start + (o.hour + 1) * HOUR_MS)),
});
