/**
 * global_entity (one row per created entity, with its type) and global_event (one row per business event).
 * Both re-walk the hour's entities through the same functions as the entity tables, so ids and times agree.
 */
import { at } from '../at.js';
import { ENTITY_TYPES, type EntityType } from '../model/entity-types.js';
import { HOUR_MS } from '../time-units.js';
import {
  arrivalEvent,
  createdIn,
  productCreated,
  productTimes,
  shopCreated,
  shopTimes,
  userCreated,
  userTimes,
} from './arrivals.js';
import { type Ctx, jsonbText } from './context.js';
import { csvField, type FixedField, fixedField } from './csv-writer.js';
import { globalEntityExtra, globalEventExtra } from './extras.js';
import { K } from './keyed.js';
import { type Change, changesIn } from './lifecycle.js';
import { CURRENCIES } from './money.js';
import { invoiceTime } from './order-tables.js';
import { hourOrders, MAX_ATTEMPTS, MAX_ITEMS, Order, PAID, RETURNED } from './orders.js';
import { creationHour, paymentMethodCount, productShop, shopOwner } from './plan-lookup.js';
import { priceChangesIn, productCurrency } from './prices.js';
import { refundPaymentLo, refundsIn } from './refunds.js';
import { reviewAt } from './reviews.js';

/** a word and the comma after it, written whole (CsvWriter.fixed) */
const wordComma = (s: string): FixedField => fixedField(Buffer.from(`${s},`));

/** each entity type's word, encoded once; the list is the model's (the CHECK constraint of entity_type) */
// Object.fromEntries cannot type its keys; it is given every EntityType here, so the record is complete
const TYPE_BYTES = Object.fromEntries(ENTITY_TYPES.map((t) => [t, wordComma(t)])) as Record<
  EntityType,
  FixedField
>;

/** One global_entity row. */
function entityRow(
  ctx: Ctx,
  kind: number,
  hi: number,
  lo: number,
  type: FixedField,
  ev: number,
  created: number,
): void {
  ctx.head(kind, hi, lo, ev).fixed(type);
  ctx.tail(created, ev, globalEntityExtra(kind));
}

/**
 * Every entity created in hour h, in a fixed order, written straight as rows (no tuple per entity: 0.8M
 * entities a day made this table GC-bound; creation times as numbers, not userTimes' objects, for the same
 * reason: ~40 bytes a row).
 */
export function* globalEntity(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const T = TYPE_BYTES;
  const [u0, u1] = createdIn(plan.usersBefore, h, ctx.population, ctx.slice);
  for (let u = u0; u < u1; u++) {
    const created = userCreated(plan, u);
    const ev = arrivalEvent(plan, created);
    entityRow(ctx, K.user, 0, u, T.user, ev, created);
    if (w.full) yield w.take();
    for (let s = 0; s < paymentMethodCount(plan, u); s++) {
      entityRow(ctx, K.paymentMethod, u, s, T.user_payment_method, ev, created);
      if (w.full) yield w.take();
    }
  }
  const [s0, s1] = createdIn(plan.shopsBefore, h, ctx.population, ctx.slice);
  for (let s = s0; s < s1; s++) {
    const created = shopCreated(plan, s);
    entityRow(ctx, K.shop, 0, s, T.shop, arrivalEvent(plan, created), created);
    if (w.full) yield w.take();
  }
  const [p0, p1] = createdIn(plan.productsBefore, h, ctx.population, ctx.slice);
  for (let p = p0; p < p1; p++) {
    const created = productCreated(plan, p);
    entityRow(ctx, K.product, 0, p, T.shop_product, arrivalEvent(plan, created), created);
    if (w.full) yield w.take();
  }
  const [i0, i1] = createdIn(plan.promotionsBefore, h, ctx.population, ctx.slice);
  for (let i = i0; i < i1; i++) {
    const ev = at(plan.promoEventTime, i);
    entityRow(ctx, K.promotion, 0, i, T.shop_promotion, ev, Math.min(ev, at(plan.promoStart, i)));
    if (w.full) yield w.take();
  }
  // a slice of hour 0 before the last holds population only
  if (!ctx.restOfHour) return;
  const o = new Order();
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    entityRow(ctx, K.order, h, j, T.shop_order, o.time, o.time);
    if (w.full) yield w.take();
    for (let i = 0; i < o.itemCount; i++) {
      entityRow(ctx, K.item, h, j * MAX_ITEMS + i, T.shop_order_item, o.time, o.time);
      if (w.full) yield w.take();
    }
    for (let a = 0; a < o.attempts; a++) {
      const t = o.attemptTimeAt(a);
      entityRow(ctx, K.payment, h, j * MAX_ATTEMPTS + a, T.shop_order_payment, t, t);
      if (w.full) yield w.take();
    }
    if (o.status === PAID) {
      const t = invoiceTime(o, hourEnd);
      entityRow(ctx, K.invoice, h, j, T.invoice, t, t);
      if (w.full) yield w.take();
      entityRow(ctx, K.invoicePayment, h, j, T.invoice_payment, t, t);
      if (w.full) yield w.take();
    }
  }
  const reviews = at(plan.reviews, h);
  for (let k = 0; k < reviews; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    entityRow(ctx, K.review, h, k, T.shop_review, r.time, r.time);
    if (w.full) yield w.take();
  }
  yield* refundEntities(ctx, h, o);
}

/** The refund payments of hour h are shop_order_payment rows: they have a registry row too. */
function* refundEntities(ctx: Ctx, h: number, o: Order): Generator<Buffer> {
  for (const x of refundsIn(ctx.plan, h, o)) {
    const t = x.refundTime;
    entityRow(ctx, K.refund, x.hour, refundPaymentLo(x.index), TYPE_BYTES.shop_order_payment, t, t);
    if (ctx.w.full) yield ctx.w.take();
  }
}

const EV = wordComma;
const E = {
  signup: EV('user_signed_up'),
  shopOpened: EV('shop_opened'),
  productListed: EV('product_listed'),
  promoScheduled: EV('promotion_scheduled'),
  orderPlaced: EV('order_placed'),
  cartAbandoned: EV('cart_abandoned'),
  paymentSucceeded: EV('payment_succeeded'),
  paymentFailed: EV('payment_failed'),
  invoiceIssued: EV('invoice_issued'),
  reviewPosted: EV('review_posted'),
  orderRefunded: EV('order_refunded'),
  orderReturned: EV('order_returned'),
};

/**
 * The event types of state changes (lifecycle.ts changesIn, prices.ts priceChangesIn), by entity and new
 * status index: CHANGE_EVENTS.user[1] is a user turning inactive. The SQL checks read the same names.
 */
export const CHANGE_EVENTS = {
  user: [null, 'user_deactivated', 'user_banned'],
  shop: ['shop_resumed', 'shop_paused'],
  product: [null, 'product_activated', 'product_archived'],
  promotion: [null, 'promotion_started', 'promotion_ended'],
  method: [null, 'payment_method_expired'],
} as const satisfies Record<Change['entity'], readonly (string | null)[]>;
export const PRICE_CHANGED = 'price_changed';
/** every event type of a change, price_changed included */
export const CHANGE_EVENT_TYPES: readonly string[] = [
  ...Object.values(CHANGE_EVENTS).flatMap((v) => v.filter((x) => x !== null)),
  PRICE_CHANGED,
];

const CHANGE_BYTES = Object.fromEntries(
  Object.entries(CHANGE_EVENTS).map(([k, v]) => [k, v.map((x) => (x === null ? null : EV(x)))]),
) as Record<Change['entity'], (FixedField | null)[]>;
const PRICE_CHANGED_BYTES = EV(PRICE_CHANGED);

/**
 * extra_data of a price change is csvField(jsonbText({ currency, new_price, old_price })) with the prices as
 * decimal strings: encoded once per currency around the two prices (digits and a dot need no escaping), then
 * pieced together per row (~16k rows a day; sorting the keys per row was most of their cost).
 */
const pricePieces = new Map<string, [string, string, string]>();
function priceChangePieces(currency: string): [string, string, string] {
  let p = pricePieces.get(currency);
  if (!p) {
    const text = csvField(jsonbText({ currency, new_price: '@NEW@', old_price: '@OLD@' })).toString();
    const i = text.indexOf('@NEW@');
    const j = text.indexOf('@OLD@');
    if (i < 0 || j < i) throw new Error('internal: price change extra without its slots');
    p = [text.slice(0, i), text.slice(i + 5, j), text.slice(j + 5)];
    pricePieces.set(currency, p);
  }
  return p;
}

/** "12.99" from hundredths (non-negative) */
const decimal = (cents: number): string =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

export function* globalEvent(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  let seq = 0;
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const emit: Emit = (type, entityType, kind, hi, lo, time, user, shop, extra) => {
    ctx.head(K.event, h, seq++, time);
    w.fixed(type).fixed(TYPE_BYTES[entityType]);
    ctx.id(kind, hi, lo).comma();
    if (user >= 0) ctx.id(K.user, 0, user);
    w.comma();
    if (shop >= 0) ctx.id(K.shop, 0, shop);
    w.comma();
    ctx.tail(time, time, extra ?? globalEventExtra(ctx.plan, kind, hi, lo, user));
  };
  // the population before the window is a snapshot, not events: only arrivals in the window emit events
  const [u0, u1] = createdIn(plan.usersBefore, h, false);
  for (let u = u0; u < u1; u++) {
    emit(E.signup, 'user', K.user, 0, u, userTimes(plan, u).event, u, -1);
    if (w.full) yield w.take();
  }
  const [s0, s1] = createdIn(plan.shopsBefore, h, false);
  for (let s = s0; s < s1; s++) {
    emit(E.shopOpened, 'shop', K.shop, 0, s, shopTimes(plan, s).event, shopOwner(plan, s), s);
    if (w.full) yield w.take();
  }
  const [p0, p1] = createdIn(plan.productsBefore, h, false);
  for (let p = p0; p < p1; p++) {
    const s = productShop(plan, p);
    emit(E.productListed, 'shop_product', K.product, 0, p, productTimes(plan, p).event, -1, s);
    if (w.full) yield w.take();
  }
  const [i0, i1] = createdIn(plan.promotionsBefore, h, false);
  for (let i = i0; i < i1; i++) {
    if (creationHour(plan.promotionsBefore, i) !== h) continue;
    // announced: it starts later (promotion_started is its state change at starts_at)
    emit(
      E.promoScheduled,
      'shop_promotion',
      K.promotion,
      0,
      i,
      at(plan.promoEventTime, i),
      -1,
      at(plan.promoShop, i),
    );
    if (w.full) yield w.take();
  }
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    emit(
      o.attempts === 0 ? E.cartAbandoned : E.orderPlaced,
      'shop_order',
      K.order,
      h,
      j,
      o.time,
      o.user,
      o.shop,
    );
    for (let a = 0; a < o.attempts; a++) {
      const ok = o.status === PAID && a === o.attempts - 1;
      const t = o.attemptTimeAt(a);
      emit(
        ok ? E.paymentSucceeded : E.paymentFailed,
        'shop_order_payment',
        K.payment,
        h,
        j * MAX_ATTEMPTS + a,
        t,
        o.user,
        o.shop,
      );
    }
    if (o.status === PAID) {
      emit(E.invoiceIssued, 'invoice', K.invoice, h, j, invoiceTime(o, hourEnd), o.user, o.shop);
    }
    if (w.full) yield w.take();
  }
  const reviews = at(plan.reviews, h);
  for (let k = 0; k < reviews; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    emit(E.reviewPosted, 'shop_review', K.review, h, k, r.time, o.user, o.shop);
    if (w.full) yield w.take();
  }
  for (const x of refundsIn(plan, h, o)) {
    const type = x.refund === RETURNED ? E.orderReturned : E.orderRefunded;
    emit(type, 'shop_order', K.order, x.hour, x.index, x.refundTime, x.user, x.shop);
    if (w.full) yield w.take();
  }
  yield* changeEvents(ctx, h, emit);
}

type Emit = (
  type: FixedField,
  entityType: EntityType,
  kind: number,
  hi: number,
  lo: number,
  time: number,
  user: number,
  shop: number,
  extra?: Uint8Array,
) => void;

/**
 * The hour's state changes and price changes (issue 8 §1, §2), after the hour's other events: entity, user and
 * shop as the creation event of the entity names them (the owner of a shop, the user of a payment method).
 */
function* changeEvents(ctx: Ctx, h: number, emit: Emit): Generator<Buffer> {
  const { plan, w } = ctx;
  for (const c of changesIn(plan, h)) {
    const type = CHANGE_BYTES[c.entity][c.status];
    if (!type) continue;
    const i = c.index;
    if (c.entity === 'user') emit(type, 'user', K.user, 0, i, c.time, i, -1);
    else if (c.entity === 'method')
      emit(type, 'user_payment_method', K.paymentMethod, i, c.slot, c.time, i, -1);
    else if (c.entity === 'shop') emit(type, 'shop', K.shop, 0, i, c.time, shopOwner(plan, i), i);
    else if (c.entity === 'product')
      emit(type, 'shop_product', K.product, 0, i, c.time, -1, productShop(plan, i));
    else emit(type, 'shop_promotion', K.promotion, 0, i, c.time, -1, at(plan.promoShop, i));
    if (w.full) yield w.take();
  }
  for (const c of priceChangesIn(plan, h)) {
    const currency = CURRENCIES[productCurrency(plan, c.product)]?.code ?? 'USD';
    const [a, b, z] = priceChangePieces(currency);
    const extra = Buffer.from(a + decimal(c.newPrice) + b + decimal(c.oldPrice) + z);
    emit(
      PRICE_CHANGED_BYTES,
      'shop_product',
      K.product,
      0,
      c.product,
      c.time,
      -1,
      productShop(plan, c.product),
      extra,
    );
    if (w.full) yield w.take();
  }
}
