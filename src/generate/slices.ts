/**
 * Slices of the population chunks. Hour 0 of the population tables starts with the population before the
 * window: at black-friday `--scale 5` global_entity's hour-0 chunk is 4.8M rows (983 MB), one COPY that ran for
 * the whole load (220.7 s of 222.1 s; the other streams were busy too, so the gain is the end's imbalance and
 * less WAL: about -8%, README). A load cuts such a chunk into slices of about `sliceRows` rows by entity range
 * (arrivals.ts createdIn), which its streams share. The slices' rows together
 * are the chunk's, each once; what works per partition (verify, `--out` files) takes the whole chunk.
 */
import type { Chunk } from '../model/partitions.js';
import type { TableName } from '../model/tables.js';
import { populationRows } from './estimate.js';
import type { Plan } from './plan-type.js';

/** The tables whose hour-0 chunk starts with the population before the window (event_time = window start). */
export const POPULATION_TABLES: ReadonlySet<TableName> = new Set([
  'global_entity',
  'users',
  'user_payment_method',
  'shop',
  'shop_product',
  'shop_promotion',
]);

/**
 * Rows of a slice, about: a slice is still a long COPY (~20 s at `--scale 5` on 2 cores), and black-friday at
 * `--scale 1` (global_entity's population ~1M rows) loads in 2 slices instead of 1.
 */
export const SLICE_ROWS = 500_000;

/**
 * The chunks with each population chunk of more than `sliceRows` estimated rows replaced by its slices, in
 * place (the order stays hour-major). A pure function of the plan: every process of a run lists the same.
 */
export function sliceChunks(plan: Plan, chunks: readonly Chunk[], sliceRows = SLICE_ROWS): Chunk[] {
  const out: Chunk[] = [];
  for (const c of chunks) {
    const p = c.partition;
    const first = c.slice === undefined && POPULATION_TABLES.has(p.table.name) && p.from <= plan.start;
    const of = first ? Math.ceil(populationRows(plan, p.table.name) / Math.max(1, sliceRows)) : 1;
    if (of <= 1) out.push(c);
    else for (let index = 0; index < of; index++) out.push({ ...c, slice: { index, of } });
  }
  return out;
}
