/**
 * Rows as they were at a moment, for the live mode (issue 7): the bulk rows show every entity as of the window
 * end; live inserts each row as it was when it appeared and UPDATEs it at each later change, with absolute
 * values, so that after the window it is the bulk row again. One function per table that changes (status,
 * price, stock), each asking the same lifecycle, price and stock functions the bulk row writers ask.
 */
import { at } from '../at.js';
import type { TableName } from '../model/tables.js';
import { columnNames, table } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import { createdIn, productTimes, shopTimes, userTimes } from './arrivals.js';
import { Ctx } from './context.js';
import type { Row } from './csv-rows.js';
import { K } from './keyed.js';
import {
  methodExpiresAt,
  PRODUCT_STATUS,
  PROMOTION_STATUS,
  productStateAt,
  promotionStateAt,
  SHOP_STATUS,
  type StateAt,
  shopStateAt,
  USER_STATUS,
  userStateAt,
} from './lifecycle.js';
import { invoiceTime } from './order-tables.js';
import { hourOrders, ORDER_STATUS, Order, PAID } from './orders.js';
import type { Plan } from './plan.js';
import { paymentMethodCount } from './plan-lookup.js';
import { priceAt } from './prices.js';
import { initialStock } from './stock.js';

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
    this.ctx = new Ctx(plan, 1 << 16);
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
    return this.ctx.w.take().toString('latin1');
  }
}

const col = (t: TableName, name: string): number => {
  const i = columnNames(table(t)).indexOf(name);
  if (i < 0) throw new Error(`internal: ${t} has no column ${name}`);
  return i;
};
/** column positions used below, per table */
const C = {
  status: (t: TableName) => col(t, 'status'),
  updated: (t: TableName) => col(t, 'updated_time'),
  event: (t: TableName) => col(t, 'event_time'),
};
const PRODUCT_PRICE = col('shop_product', 'price');
const PRODUCT_INVENTORY = col('shop_product', 'inventory');

/**
 * A rewriter of a mutable table's rows for hour h, called with each row in the row writers' order: it sets the
 * row, in place, to its state at its own event_time, the moment live mode inserts it.
 */
export function asInserted(plan: Plan, fmt: Fmt, name: MutableTable, h: number): (row: Row) => void {
  const it = fixes(plan, fmt, name, h);
  // primed: each call hands the row to the `yield` waiting for it; the last entity's call ends the walk
  let done = it.next().done === true;
  return (row) => {
    if (done) throw new Error(`internal: ${name} hour ${h} has more rows than entities`);
    done = it.next(row).done === true;
  };
}

function* fixes(plan: Plan, fmt: Fmt, name: MutableTable, h: number): Generator<void, void, Row> {
  const st: StateAt = { status: 0, since: 0 };
  const S = C.status(name);
  const U = C.updated(name);
  const setState = (row: Row, words: readonly string[]): void => {
    row[S] = words[st.status] ?? null;
    row[U] = fmt.ts(st.since);
  };
  switch (name) {
    case 'users': {
      const [a, b] = createdIn(plan.usersBefore, h);
      for (let u = a; u < b; u++) {
        const row = yield;
        userStateAt(plan, u, userTimes(plan, u).event, st);
        setState(row, USER_STATUS);
      }
      break;
    }
    case 'user_payment_method': {
      const [a, b] = createdIn(plan.usersBefore, h);
      for (let u = a; u < b; u++) {
        const t = userTimes(plan, u);
        for (let slot = 0; slot < paymentMethodCount(plan, u); slot++) {
          const row = yield;
          const expires = methodExpiresAt(plan, u, slot);
          const expired = expires <= t.event;
          row[S] = expired ? 'expired' : 'active';
          row[U] = fmt.ts(expired ? expires : t.created);
        }
      }
      break;
    }
    case 'shop': {
      const [a, b] = createdIn(plan.shopsBefore, h);
      for (let s = a; s < b; s++) {
        const row = yield;
        shopStateAt(plan, s, shopTimes(plan, s).event, st);
        setState(row, SHOP_STATUS);
      }
      break;
    }
    case 'shop_product': {
      const [a, b] = createdIn(plan.productsBefore, h);
      for (let p = a; p < b; p++) {
        const row = yield;
        const ev = productTimes(plan, p).event;
        productStateAt(plan, p, ev, st);
        setState(row, PRODUCT_STATUS);
        row[PRODUCT_PRICE] = fmt.money(priceAt(plan, p, ev));
        row[PRODUCT_INVENTORY] = String(initialStock(plan, p));
      }
      break;
    }
    case 'shop_promotion': {
      const [a, b] = createdIn(plan.promotionsBefore, h);
      for (let i = a; i < b; i++) {
        const row = yield;
        promotionStateAt(plan, i, at(plan.promoEventTime, i), st);
        setState(row, PROMOTION_STATUS);
      }
      break;
    }
    case 'shop_order': {
      const o = new Order();
      const ho = hourOrders(plan, h);
      for (let j = 0; j < ho.count; j++) {
        const row = yield;
        ho.load(j, o);
        // a checkout is pending until its last payment attempt settles it (a cart abandoned at once is not)
        const settled = o.settledTime <= o.time;
        row[S] = settled ? (ORDER_STATUS[o.status] ?? null) : 'pending';
        row[U] = fmt.ts(settled ? o.settledTime : o.time);
      }
      break;
    }
    case 'invoice': {
      const o = new Order();
      const ho = hourOrders(plan, h);
      const hourEnd = plan.start + (h + 1) * HOUR_MS;
      for (let j = 0; j < ho.count; j++) {
        ho.load(j, o);
        if (o.status !== PAID) continue;
        const row = yield;
        row[S] = 'paid';
        row[U] = fmt.ts(invoiceTime(o, hourEnd));
      }
      break;
    }
  }
}

/** event_time column of a table */
export const eventColumn = (t: TableName): number => C.event(t);

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
