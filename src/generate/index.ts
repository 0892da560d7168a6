/**
 * Generation: Scenario + (table, partition) -> CSV bytes. Pure: no pg, no fs, no clock, no Math.random.
 * Chunks are independent: any chunk can be generated alone, in any order, in any process, with the same bytes.
 */

import { type Chunk, partitionsFor } from '../model/partitions.js';
import { columnNames, TABLES, type TableName, table } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import { requestLog } from './api-log.js';
import { type ChunkGen, Ctx } from './context.js';
import { inventoryLog } from './inventory.js';
import { METRIC_ROWS } from './metric-rows.js';
import { invoicePayments, invoices, orderItems, orders, payments } from './order-tables.js';
import type { Plan } from './plan.js';
import { globalEntity, globalEvent } from './registry.js';
import { reviews } from './reviews.js';
import { products, promotions, shops } from './shops.js';
import { SLICE_ROWS, sliceChunks } from './slices.js';
import { stockAtEnd } from './stock.js';
import { userPaymentMethods, users } from './users.js';

export type { Chunk } from '../model/partitions.js';
export { buildPlan, type Plan } from './plan.js';
export { planEnd } from './plan-type.js';

/**
 * Version of the generated data: bump it with every deliberate change of the output (the golden hash in
 * test/unit/generate.test.ts changes with it). Load ledgers record it: a schema loaded by another data version
 * is another run, never topped up with chunks of this one.
 */
export const DATA_VERSION = 12;

/** Every table's generator: a table of the model without one fails to compile here. */
const GENERATORS = {
  global_entity: globalEntity,
  global_event: globalEvent,
  users,
  shop: shops,
  shop_product: products,
  shop_order: orders,
  shop_order_item: orderItems,
  shop_order_payment: payments,
  invoice: invoices,
  invoice_payment: invoicePayments,
  user_payment_method: userPaymentMethods,
  shop_promotion: promotions,
  shop_review: reviews,
  shop_inventory_log: inventoryLog,
  request_response_log: requestLog,
  user_metrics_hourly: METRIC_ROWS.user.hourly,
  user_metrics_daily: METRIC_ROWS.user.daily,
  shop_metrics_hourly: METRIC_ROWS.shop.hourly,
  shop_metrics_daily: METRIC_ROWS.shop.daily,
  shop_product_metrics_hourly: METRIC_ROWS.product.hourly,
  shop_product_metrics_daily: METRIC_ROWS.product.daily,
} satisfies Record<TableName, ChunkGen>;

/**
 * Runs the window's history pass (stock, restocks, new customers: stock.ts) to the window's end, as the first
 * chunk that needs it would: the bench times it on its own.
 */
export function historyPass(plan: Plan): void {
  stockAtEnd(plan, 0);
}

/** Every (table, leaf partition) chunk of the plan's window, hour-major. */
export function listChunks(plan: Plan, tables: readonly TableName[] = TABLES.map((t) => t.name)): Chunk[] {
  const out: Chunk[] = [];
  for (const t of TABLES) {
    if (!tables.includes(t.name)) continue;
    for (const p of partitionsFor(t, plan.start, plan.hours)) out.push({ partition: p, order: p.from });
  }
  // stable: by time, then by the model's table order
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.order - b.c.order || a.i - b.i)
    .map((x) => x.c);
}

/**
 * The chunks a database load commits one by one: listChunks with the big population chunks of hour 0 cut into
 * slices of about `sliceRows` rows (./slices.ts).
 */
export function loadChunks(
  plan: Plan,
  tables?: readonly TableName[],
  sliceRows: number = SLICE_ROWS,
): Chunk[] {
  return sliceChunks(plan, listChunks(plan, tables), sliceRows);
}

/** CSV header line of a table. */
export function csvHeader(name: TableName): Buffer {
  return Buffer.from(`${columnNames(table(name)).join(',')}\n`);
}

export interface ChunkOptions {
  /** the header line first (default true) */
  header?: boolean;
  /** ~bytes per Buffer: only changes how the bytes are cut, never the bytes */
  bufferSize?: number;
  /** rows as inserted (live mode): see Ctx.asInserted */
  asInserted?: boolean;
  /** hour 0's population before the window (default true): see Ctx.population */
  population?: boolean;
  /**
   * The caller is done with each Buffer when it asks for the next one (it copies, transcodes, hashes or counts
   * it at once): the rows after it are written into the same memory. Without it each Buffer is the caller's to
   * keep (a file stream or a CSV COPY holds it until written). Never changes the bytes.
   */
  reuse?: boolean;
  /** where each new Buffer comes from (default: Buffer.allocUnsafe); never changes the bytes */
  alloc?: (size: number) => Buffer;
  /**
   * 'binary': the rows as PostgreSQL's binary COPY tuples (./binary-writer.ts; no header line, nor the binary
   * format's header and trailer), what a load sends; 'csv' (default): the CSV text
   */
  format?: 'csv' | 'binary';
}

/**
 * The CSV rows of one chunk or slice (header first), or its binary COPY tuples, as Buffers of ~256 KiB; returns the number of rows, header not
 * counted (the writer counts the rows it ends, so no consumer has to count newlines).
 */
export function* generateChunk(plan: Plan, chunk: Chunk, opts: ChunkOptions = {}): Generator<Buffer, number> {
  const p = chunk.partition;
  const binary = opts.format === 'binary';
  if (opts.header !== false && !binary) yield csvHeader(p.table.name);
  const types = binary ? p.table.columns.map((c) => c.type) : undefined;
  const ctx = new Ctx(plan, opts.bufferSize, opts.reuse === true, opts.alloc, types);
  ctx.asInserted = opts.asInserted === true;
  ctx.population = opts.population !== false;
  ctx.slice = chunk.slice;
  ctx.setPartitionKey(p.key);
  const firstHour = Math.round((p.from - plan.start) / HOUR_MS);
  const gen = GENERATORS[p.table.name];
  yield* gen(ctx, firstHour);
  if (ctx.w.length > 0) yield ctx.w.take(true);
  return ctx.w.rows;
}
