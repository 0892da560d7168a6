/**
 * Generation: Scenario + (table, partition) -> CSV bytes. Pure: no pg, no fs, no clock, no Math.random.
 * Chunks are independent: any chunk can be generated alone, in any order, in any process, with the same bytes.
 */

import { type Chunk, partitionsFor } from '../model/partitions.js';
import { columnNames, TABLES, type TableName } from '../model/tables.js';
import type { Scenario } from '../scenario/types.js';
import { HOUR_MS } from '../time-units.js';
import { Ctx } from './context.js';
import { METRICS } from './metrics.js';
import { OPERATIONAL } from './operational.js';
import { buildPlan, type Plan } from './plan.js';
import { REGISTRY } from './registry.js';

export type { Chunk } from '../model/partitions.js';
export { buildPlan, type Plan } from './plan.js';

/**
 * Version of the generated data: bump it with every deliberate change of the output (the golden hash in
 * test/unit/generate.test.ts changes with it). Load ledgers record it: a schema loaded by another data version
 * is another run, never topped up with chunks of this one.
 */
export const DATA_VERSION = 3;

type ChunkGen = (ctx: Ctx, firstHour: number) => Generator<Buffer>;
const GENERATORS: Record<TableName, ChunkGen> = {
  ...REGISTRY,
  ...METRICS,
  ...(OPERATIONAL as Record<string, ChunkGen>),
} as Record<TableName, ChunkGen>;

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

/** CSV header line of a table. */
export function csvHeader(table: TableName): Buffer {
  const t = TABLES.find((x) => x.name === table)!;
  return Buffer.from(`${columnNames(t).join(',')}\n`);
}

/**
 * The CSV rows of one chunk (header first), as Buffers of ~256 KiB. `bufferSize` only changes how the bytes
 * are cut, never the bytes.
 */
export function* generateChunk(
  plan: Plan,
  chunk: Chunk,
  opts: { header?: boolean; bufferSize?: number } = {},
): Generator<Buffer> {
  const p = chunk.partition;
  if (opts.header !== false) yield csvHeader(p.table.name);
  const ctx = new Ctx(plan, opts.bufferSize);
  ctx.setPartitionKey(p.key);
  const firstHour = Math.round((p.from - plan.start) / HOUR_MS);
  const gen = GENERATORS[p.table.name];
  yield* gen(ctx, firstHour);
  if (ctx.w.length > 0) yield ctx.w.take();
}

/** Convenience for tests and benchmarks: a scenario straight to its chunks. */
export function planChunks(s: Scenario): { plan: Plan; chunks: Chunk[] } {
  const plan = buildPlan(s);
  return { plan, chunks: listChunks(plan) };
}
