/**
 * The live mode's view of the generator (issue 7): the rows of a window hour as time-ordered business
 * transactions. Bulk loops over tables per hour; live loops over events per table. The rows are the bulk
 * chunks' own (their very CSV lines, never parsed into strings), each inserted as it was at its event_time
 * (as-of.ts), and every later change is an UPDATE with absolute values at its own time: order settlements,
 * refunds, lifecycle changes, price changes and every stock move. After the whole window the tables hold the bulk
 * load's rows.
 *
 * A transaction is everything that happens at one millisecond: the rows a business event writes share its
 * event_time (an order, its items, their registry rows and events; a payment attempt and its event). Request
 * log rows are batched per second, as a log shipper would. The population before the window (rows with
 * event_time = window start) is the snapshot, loaded in bulk before the window plays.
 */

import { at } from '../at.js';
import { METRIC_TABLES } from '../model/metrics.js';
import { type Chunk, partitionsFor } from '../model/partitions.js';
import { TABLES, type TableName } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import {
  Fmt,
  invoiceRef,
  isMutable,
  methodRef,
  orderRef,
  productRef,
  promotionRef,
  type RowRef,
  shopRef,
  type UpdateShape,
  userRef,
} from './as-of.js';
import { Ctx } from './context.js';
import { type CsvLine, csvLines, lineField, lineId, lineTsMs, splitAt } from './csv-rows.js';
import { generateChunk } from './index.js';
import { changesIn, PRODUCT_STATUS, PROMOTION_STATUS, SHOP_STATUS, USER_STATUS } from './lifecycle.js';
import { METRIC_ROWS } from './metric-rows.js';
import { hourOrders, ORDER_STATUS, Order, PAID, RETURNED } from './orders.js';
import type { Plan } from './plan.js';
import { planEnd } from './plan-type.js';
import { priceChangesIn } from './prices.js';
import { refundsIn } from './refunds.js';
import { POPULATION_TABLES } from './slices.js';
import { initialStock, restocksIn, stockAtHourEnd } from './stock.js';

/** What a transaction is, named after the business event that leads it. */
export const TXN_TYPES = [
  'checkout',
  'payment',
  'invoice',
  'refund',
  'signup',
  'shop_opened',
  'product_listed',
  'promotion',
  'review',
  'restock',
  'price_change',
  'state_change',
  'request_log',
  'metrics',
] as const;
export type TxnType = (typeof TXN_TYPES)[number];

export interface UpdateOp {
  shape: UpdateShape;
  ref: RowRef;
  /** status: [status, updated_time]; price: [price]; inventory: [units] */
  values: string[];
}

export interface Txn {
  /** scenario time, epoch ms */
  time: number;
  type: TxnType;
  /** rows to insert, per table, in the model's table order: their CSV lines (csvLines; lineValues reads one) */
  inserts: [TableName, CsvLine[]][];
  updates: UpdateOp[];
  /** ids of the changing rows it inserts or updates: two transactions sharing one must not overlap */
  keys: string[];
}

const METRIC_NAMES: ReadonlySet<TableName> = new Set(
  Object.values(METRIC_TABLES).flatMap((t) => [t.hourly, t.daily]),
);
/** The tables the transactions write (the metric tables are written when an hour or day closes). */
export const EVENT_TABLES: readonly TableName[] = TABLES.map((t) => t.name).filter(
  (n) => !METRIC_NAMES.has(n),
);

const REQUEST_LOG: TableName = 'request_response_log';
const PAYMENT_STATUS = (() => {
  const t = TABLES.find((x) => x.name === 'shop_order_payment');
  return t ? t.columns.findIndex((c) => c.name === 'status') : -1;
})();

/**
 * Every event table's row starts with its id (a uuid, unquoted: 36 bytes) and its event_time: a row's key and
 * time are read at fixed places of its line, no field walk.
 */
const UUID_TEXT = 36;
for (const name of EVENT_TABLES) {
  const t = TABLES.find((x) => x.name === name);
  const [id, time] = t?.columns ?? [];
  if (id?.name !== t?.idColumn || id?.type !== 'uuid' || time?.name !== 'event_time')
    throw new Error(`internal: ${name} does not start with its uuid id and event_time`);
}

/** the hour-h partition of an operational table */
const hourChunk = (plan: Plan, name: TableName, h: number): Chunk => {
  const t = TABLES.find((x) => x.name === name);
  const p = t && partitionsFor(t, plan.start + h * HOUR_MS, 1)[0];
  if (!p) throw new Error(`internal: no hour partition for ${name}`);
  return { partition: p, order: p.from };
};

/**
 * Every row of a chunk as inserted (each as it was at its event_time), as its CSV line, passed to `each` in
 * order. `population`: hour 0's rows with event_time = window start only (true), or all the others (false).
 */
function forRows(plan: Plan, chunk: Chunk, each: (line: CsvLine) => void, population?: boolean): void {
  const start = population === undefined ? null : Buffer.from(startText(plan));
  // without the population the generator leaves it out (not written to be dropped); the split still drops any
  // other row at the window start, which the snapshot holds
  const opts = { header: false, asInserted: true, population: population !== false };
  for (const buf of generateChunk(plan, chunk, opts)) {
    const parts = start === null ? [buf] : splitAt(buf, start)[population ? 'at' : 'other'];
    for (const part of parts) for (const line of csvLines(part)) each(line);
  }
}

const startText = (plan: Plan): string => new Fmt(plan).ts(plan.start);

/**
 * The snapshot: the rows of `name` with event_time = window start (the population before the window), as
 * they were then, as CSV: the generator's own bytes, never parsed.
 */
export function* snapshotCsv(plan: Plan, name: TableName): Generator<Buffer> {
  if (!POPULATION_TABLES.has(name)) return;
  const start = Buffer.from(startText(plan));
  for (const buf of generateChunk(plan, hourChunk(plan, name, 0), { header: false, asInserted: true }))
    yield* splitAt(buf, start).at;
}

/** Builds one hour's transactions. */
class HourBuilder {
  private readonly byTime = new Map<number, Txn>();
  constructor(
    readonly plan: Plan,
    readonly h: number,
    readonly fmt: Fmt,
  ) {}

  txn(time: number): Txn {
    let t = this.byTime.get(time);
    if (!t) {
      t = { time, type: 'request_log', inserts: [], updates: [], keys: [] };
      this.byTime.set(time, t);
    }
    return t;
  }

  insert(time: number, name: TableName, line: CsvLine): void {
    const t = this.txn(time);
    const last = t.inserts[t.inserts.length - 1];
    if (last && last[0] === name) last[1].push(line);
    else t.inserts.push([name, [line]]);
    if (isMutable(name)) t.keys.push(lineId(line, UUID_TEXT));
  }

  update(time: number, shape: UpdateShape, ref: RowRef, values: string[]): void {
    const t = this.txn(time);
    t.updates.push({ shape, ref, values });
    t.keys.push(ref.id);
  }

  done(): Txn[] {
    const out = [...this.byTime.values()].sort((a, b) => a.time - b.time);
    for (const t of out) t.type = typeOf(t);
    return out;
  }
}

const LEADS: [TableName, TxnType][] = [
  ['shop_order', 'checkout'],
  ['invoice', 'invoice'],
  ['users', 'signup'],
  ['shop', 'shop_opened'],
  ['shop_product', 'product_listed'],
  ['shop_promotion', 'promotion'],
  ['shop_review', 'review'],
];

function typeOf(t: Txn): TxnType {
  const tables = new Set(t.inserts.map(([n]) => n));
  for (const [n, type] of LEADS) if (tables.has(n)) return type;
  const payments = t.inserts.find(([n]) => n === 'shop_order_payment')?.[1];
  if (payments)
    return payments.some((r) => lineField(r, PAYMENT_STATUS) === 'refunded') ? 'refund' : 'payment';
  if (tables.has('shop_inventory_log')) return 'restock';
  if (t.updates.some((u) => u.shape === 'price')) return 'price_change';
  if (t.updates.some((u) => u.shape === 'status')) return 'state_change';
  if (tables.has(REQUEST_LOG)) return 'request_log';
  return 'state_change';
}

/**
 * The business transactions of window hour h, in time order. Hour 0 leaves out the snapshot's rows (event_time
 * = window start), which snapshotCsv gives.
 */
export function hourTransactions(plan: Plan, h: number): Txn[] {
  return runSteps(hourTransactionSteps(plan, h));
}

/** Runs a generator of steps (below) to its end, at once; its value. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * hourTransactions in steps: it yields after each table and each pass of changes, so that whoever runs it can
 * pause between them (the live mode's worker spreads an hour's generation over the play: src/live/hour-worker.ts).
 */
export function* hourTransactionSteps(plan: Plan, h: number): Generator<void, Txn[], void> {
  const fmt = new Fmt(plan);
  const b = new HourBuilder(plan, h, fmt);
  for (const name of EVENT_TABLES) {
    // hour 0: the population before the window is the snapshot, not transactions
    forRows(
      plan,
      hourChunk(plan, name, h),
      (line) => {
        const t = lineTsMs(line, UUID_TEXT + 1);
        // request log rows: one multi-row insert per second, as a log shipper batches them
        b.insert(name === REQUEST_LOG ? Math.floor(t / 1000) * 1000 + 999 : t, name, line);
      },
      h === 0 && POPULATION_TABLES.has(name) ? false : undefined,
    );
    yield;
  }
  orderChanges(b);
  yield;
  lifecycleChanges(b);
  stockMoves(b);
  yield;
  return b.done();
}

/** settlements of the hour's orders, refunds and returns of earlier ones (order and invoice) */
function orderChanges(b: HourBuilder): void {
  const { plan, h, fmt } = b;
  const o = new Order();
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.settledTime > o.time) {
      const status = ORDER_STATUS[o.status] ?? '';
      b.update(o.settledTime, 'status', orderRef(fmt, o), [status, fmt.ts(o.settledTime)]);
    }
  }
  for (const x of refundsIn(plan, h, o)) {
    const when = fmt.ts(x.refundTime);
    b.update(x.refundTime, 'status', orderRef(fmt, x), [ORDER_STATUS[x.refund] ?? '', when]);
    b.update(x.refundTime, 'status', invoiceRef(plan, fmt, x), ['refunded', when]);
  }
}

/** lifecycle changes (status) and price changes of the hour */
function lifecycleChanges(b: HourBuilder): void {
  const { plan, h, fmt } = b;
  for (const c of changesIn(plan, h)) {
    const when = fmt.ts(c.time);
    switch (c.entity) {
      case 'user':
        b.update(c.time, 'status', userRef(plan, fmt, c.index), [USER_STATUS[c.status] ?? '', when]);
        break;
      case 'method':
        b.update(c.time, 'status', methodRef(plan, fmt, c.index, c.slot), ['expired', when]);
        break;
      case 'shop':
        b.update(c.time, 'status', shopRef(plan, fmt, c.index), [SHOP_STATUS[c.status] ?? '', when]);
        break;
      case 'product':
        b.update(c.time, 'status', productRef(plan, fmt, c.index), [PRODUCT_STATUS[c.status] ?? '', when]);
        break;
      case 'promotion':
        b.update(c.time, 'status', promotionRef(plan, fmt, c.index), [
          PROMOTION_STATUS[c.status] ?? '',
          when,
        ]);
        break;
    }
  }
  for (const c of priceChangesIn(plan, h))
    b.update(c.time, 'price', productRef(plan, fmt, c.product), [fmt.money(c.newPrice)]);
}

/**
 * Every stock move of the hour as an UPDATE of the product's inventory to its new level: sales of paid orders
 * at their time, restocks, returns; restocks and returns before the sales at the same instant (stock.ts).
 */
function stockMoves(b: HourBuilder): void {
  const { plan, h, fmt } = b;
  const moves: { time: number; rank: number; product: number; delta: number }[] = [];
  const r = restocksIn(plan, h);
  for (let k = 0; k < r.count; k++)
    moves.push({ time: at(r.time, k), rank: 0, product: at(r.product, k), delta: at(r.quantity, k) });
  const o = new Order();
  for (const x of refundsIn(plan, h, o)) {
    if (x.refund !== RETURNED) continue;
    for (let i = 0; i < x.itemCount; i++)
      moves.push({ time: x.refundTime, rank: 0, product: x.product(i), delta: x.quantity(i) });
  }
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    if (o.status !== PAID) continue;
    for (let i = 0; i < o.itemCount; i++)
      moves.push({ time: o.time, rank: 1, product: o.product(i), delta: -o.quantity(i) });
  }
  moves.sort((a, c) => a.time - c.time || a.rank - c.rank);
  const level = new Map<number, number>();
  const listedBefore = at(plan.productsBefore, h);
  for (const m of moves) {
    let s = level.get(m.product);
    if (s === undefined)
      s =
        h === 0 || m.product >= listedBefore
          ? initialStock(plan, m.product)
          : stockAtHourEnd(plan, h - 1, m.product);
    s += m.delta;
    level.set(m.product, s);
    b.update(m.time, 'inventory', productRef(plan, fmt, m.product), [String(s)]);
  }
}

/** A metric table's rows that become final when window hour h ends. */
export interface MetricClose {
  table: TableName;
  /** an hourly table's row of the hour, or a daily table's of the day that ends */
  period: 'hour' | 'day';
  /** the event_time range its rows have: [from, to) */
  from: number;
  to: number;
  /** its rows as CSV (no header) or binary COPY tuples (no header nor trailer); returns how many */
  rows: (format: 'csv' | 'binary') => Generator<Buffer, number>;
}

/**
 * The metric rows that close at the end of window hour h: every family's hourly row of hour h, and the daily
 * rows of the day that ends then (or of the last, partial day at the window's end).
 */
export function metricCloses(plan: Plan, h: number): MetricClose[] {
  const out: MetricClose[] = [];
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const windowEnd = planEnd(plan);
  for (const family of Object.keys(METRIC_TABLES) as (keyof typeof METRIC_TABLES)[]) {
    const names = METRIC_TABLES[family];
    const hourly = TABLES.find((t) => t.name === names.hourly);
    const daily = TABLES.find((t) => t.name === names.daily);
    if (!hourly || !daily) throw new Error('internal: metric tables');
    const hp = partitionsFor(hourly, plan.start, plan.hours).find(
      (p) => p.from <= hourEnd - 1 && hourEnd - 1 < p.to,
    );
    if (hp) {
      out.push({
        table: names.hourly,
        period: 'hour',
        from: hourEnd - HOUR_MS,
        to: hourEnd,
        rows: function* (format) {
          const types = format === 'binary' ? hourly.columns.map((c) => c.type) : undefined;
          const ctx = new Ctx(plan, undefined, false, undefined, types);
          ctx.setPartitionKey(hp.key);
          const first = Math.round((hp.from - plan.start) / HOUR_MS);
          yield* METRIC_ROWS[family].hourly(ctx, first, h);
          if (ctx.w.length > 0) yield ctx.w.take();
          return ctx.w.rows;
        },
      });
    }
    const dp = partitionsFor(daily, plan.start, plan.hours).find(
      (p) => Math.min(p.to, windowEnd) === hourEnd,
    );
    if (dp) {
      out.push({
        table: names.daily,
        period: 'day',
        from: dp.from,
        to: dp.to,
        rows: (format) => generateChunk(plan, { partition: dp, order: dp.from }, { header: false, format }),
      });
    }
  }
  return out;
}
