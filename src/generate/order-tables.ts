/**
 * Row writers of shop_order and what follows an order: its items, payment attempts (and refunds, in the
 * refund's hour: refunds.ts), invoice and invoice payment. Each walks the hour's orders (memoised by
 * hourOrders) and writes its own table's rows. Amounts are in the shop's currency.
 */
import { CURRENCIES } from '../model/currencies.js';
import { HOUR_MS } from '../time-units.js';
import { type Ctx, pick } from './context.js';
import { invoiceExtra, invoicePaymentExtra, shopOrderExtra, shopOrderPaymentExtra } from './extras-orders.js';
import { shopOrderItemExtra } from './extras-products.js';
import { K, unit } from './keyed.js';
import {
  FAILURE_REASONS,
  hourOrders,
  laterInHour,
  MAX_ATTEMPTS,
  MAX_ITEMS,
  ORDER_STATUS,
  Order,
  PAID,
  RETURNED,
} from './orders.js';
import { refundPaymentLo, refundsIn } from './refunds.js';
import { W } from './words.js';

const enc = (s: string): Uint8Array => Buffer.from(s);
/** the ISO code of each currency index, encoded once */
export const CURRENCY_BYTES: readonly Uint8Array[] = CURRENCIES.map((c) => enc(c.code));
export const currencyBytes = (c: number): Uint8Array => pick(CURRENCY_BYTES, c);
const STATUS_BYTES = ORDER_STATUS.map(enc);
const REASON_BYTES = FAILURE_REASONS.map(enc);
const REFUNDED = enc('refunded');
const PENDING = enc('pending');

export function* orders(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    ctx.head(K.order, h, j, o.time);
    ctx.id(K.user, 0, o.user).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    if (o.promotion >= 0) ctx.id(K.promotion, 0, o.promotion);
    // the row shows the order as of the window end: a refund or return is its last change; as inserted,
    // a checkout is pending until its last payment attempt settles it (a cart abandoned at once is not)
    const pending = ctx.asInserted && o.settledTime > o.time;
    const status = ctx.asInserted ? o.status : o.finalStatus();
    w.comma()
      .bytes(pending ? PENDING : pick(STATUS_BYTES, status))
      .comma();
    w.uint(o.itemCount).comma().money(o.subtotal).comma().money(o.discount).comma().money(o.total).comma();
    w.bytes(currencyBytes(o.currency)).comma();
    ctx.tail(
      o.time,
      pending ? o.time : o.refund !== 0 && !ctx.asInserted ? o.refundTime : o.settledTime,
      shopOrderExtra(plan, o, o.outOfStock !== 0),
    );
    if (w.full) yield w.take();
  }
}

export function* orderItems(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    for (let i = 0; i < o.itemCount; i++) {
      const q = o.quantity(i);
      const price = o.price(i);
      ctx.head(K.item, h, j * MAX_ITEMS + i, o.time);
      ctx.id(K.order, h, j).comma();
      ctx.id(K.product, 0, o.product(i)).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      w.uint(q)
        .comma()
        .money(price)
        .comma()
        .money(price * q)
        .comma()
        .money(o.itemDiscount(i))
        .comma();
      ctx.tail(o.time, o.time, shopOrderItemExtra(ctx, o.product(i), o.shop, o.key, i));
      if (w.full) yield w.take();
    }
  }
}

export function* payments(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    for (let a = 0; a < o.attempts; a++) {
      const ok = o.status === PAID && a === o.attempts - 1;
      const t = o.attemptTimeAt(a);
      ctx.head(K.payment, h, j * MAX_ATTEMPTS + a, t);
      ctx.id(K.order, h, j).comma();
      ctx.id(K.user, 0, o.user).comma();
      ctx.id(K.paymentMethod, o.user, o.attemptMethodAt(a)).comma();
      w.uint(a + 1)
        .comma()
        .money(o.total)
        .comma()
        .bytes(currencyBytes(o.currency))
        .comma();
      w.bytes(ok ? W.succeeded : W.failed).comma();
      const failure = ok ? -1 : o.attemptReasonAt(a);
      if (!ok) w.bytes(pick(REASON_BYTES, failure));
      w.comma();
      ctx.tail(t, t, shopOrderPaymentExtra(plan, o.shop, o.key, a, failure));
      if (w.full) yield w.take();
    }
  }
  yield* refundPayments(ctx, h, o);
}

/**
 * The refunds and returns of hour h: one more attempt of their order, -total on the method of its successful
 * attempt, status 'refunded'.
 */
function* refundPayments(ctx: Ctx, h: number, o: Order): Generator<Buffer> {
  const { plan, w } = ctx;
  for (const x of refundsIn(plan, h, o)) {
    const t = x.refundTime;
    const a = x.attempts - 1;
    ctx.head(K.refund, x.hour, refundPaymentLo(x.index), t);
    ctx.id(K.order, x.hour, x.index).comma();
    ctx.id(K.user, 0, x.user).comma();
    ctx.id(K.paymentMethod, x.user, x.attemptMethodAt(a)).comma();
    w.uint(x.attempts + 1)
      .comma()
      .money(-x.total)
      .comma()
      .bytes(currencyBytes(x.currency))
      .comma();
    w.bytes(REFUNDED).comma().comma();
    ctx.tail(
      t,
      t,
      shopOrderPaymentExtra(plan, x.shop, x.key, x.attempts, -1, x.refund === RETURNED ? 'return' : 'refund'),
    );
    if (w.full) yield w.take();
  }
}

/** invoice time: right after the successful payment, in the order's hour */
export const invoiceTime = (o: Order, hourEnd: number): number =>
  laterInHour(o.settledTime, 1_000, hourEnd, unit(o.key, 370));

export function* invoices(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    const t = invoiceTime(o, hourEnd);
    ctx.head(K.invoice, h, j, t);
    ctx.id(K.order, h, j).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    ctx.id(K.user, 0, o.user).comma();
    w.ascii('INV-').uintPadded(h, 5).ascii('-').uint(j).comma();
    w.money(o.total).comma().bytes(currencyBytes(o.currency)).comma();
    const refunded = o.refund !== 0 && !ctx.asInserted;
    w.bytes(refunded ? REFUNDED : W.paid).comma();
    ctx.tail(t, refunded ? o.refundTime : t, invoiceExtra(plan, o.shop, o.user));
    if (w.full) yield w.take();
  }
}

export function* invoicePayments(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    const t = invoiceTime(o, hourEnd);
    const a = o.attempts - 1;
    ctx.head(K.invoicePayment, h, j, t);
    ctx.id(K.invoice, h, j).comma();
    ctx.id(K.payment, h, j * MAX_ATTEMPTS + a).comma();
    ctx.id(K.paymentMethod, o.user, o.attemptMethodAt(a)).comma();
    w.money(o.total).comma().bytes(currencyBytes(o.currency)).comma().bytes(W.succeeded).comma();
    ctx.tail(t, t, invoicePaymentExtra(plan, o.shop, t));
    if (w.full) yield w.take();
  }
}
