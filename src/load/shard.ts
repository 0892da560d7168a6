/**
 * `--shard K/N` (issue 10 §2): the run's chunks split into N shards balanced by estimated rows, not by count
 * (hour 0 holds the pre-window population: a million rows of global_entity in one chunk at black-friday's scale
 * 1). Each of N machines computes the same split from the same plan and loads or writes its own shard; the
 * union of the shards is every chunk of the run, each exactly once.
 *
 * Longest-processing-time greedy: chunks by estimated rows descending (ties by partition name), each to the
 * shard with the fewest rows so far (ties to the lowest shard). Integers throughout, so the split does not
 * depend on the machine.
 */
import { estimateChunkRows } from '../generate/estimate.js';
import type { Chunk, Plan } from '../generate/index.js';
import { chunkName } from '../model/partitions.js';

export interface Shard {
  /** the shard's chunks, in the run's (hour-major) order */
  chunks: Chunk[];
  /** estimated rows of the shard and of the whole run */
  rows: number;
  totalRows: number;
}

/** Which shard (0-based) each chunk goes to, in the chunks' order (ties by chunk name). */
function assign(rows: readonly number[], names: readonly string[], n: number): number[] {
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    const d = (rows[b] ?? 0) - (rows[a] ?? 0);
    if (d !== 0) return d;
    const na = names[a] ?? '';
    const nb = names[b] ?? '';
    return na < nb ? -1 : na > nb ? 1 : a - b;
  });
  const load = new Array<number>(n).fill(0);
  const out = new Array<number>(rows.length).fill(0);
  for (const i of order) {
    let best = 0;
    for (let s = 1; s < n; s++) if ((load[s] ?? 0) < (load[best] ?? 0)) best = s;
    out[i] = best;
    load[best] = (load[best] ?? 0) + (rows[i] ?? 0);
  }
  return out;
}

/**
 * Shard k (1-based) of n of the chunks: a pure function of the plan and the chunks (loadChunks(plan) for a
 * database run, listChunks(plan) for files), the same on every machine. Throws a RangeError for k or n out of range (the command checks them first).
 */
export function shardOf(plan: Plan, chunks: readonly Chunk[], k: number, n: number): Shard {
  if (!Number.isSafeInteger(n) || n < 1 || n > Math.max(1, chunks.length)) {
    throw new RangeError(`shard count ${n} out of 1..${chunks.length}`);
  }
  if (!Number.isSafeInteger(k) || k < 1 || k > n) throw new RangeError(`shard ${k} out of 1..${n}`);
  const rows = estimateChunkRows(plan, chunks);
  const to = assign(
    rows,
    chunks.map((c) => chunkName(c)),
    n,
  );
  const mine: Chunk[] = [];
  let shardRows = 0;
  let totalRows = 0;
  chunks.forEach((c, i) => {
    const r = rows[i] ?? 0;
    totalRows += r;
    if (to[i] !== k - 1) return;
    mine.push(c);
    shardRows += r;
  });
  return { chunks: mine, rows: shardRows, totalRows };
}

/** The chunks of shard k (1-based) of n, in the given (hour-major) order. */
export function shardChunks(plan: Plan, chunks: readonly Chunk[], k: number, n: number): Chunk[] {
  return shardOf(plan, chunks, k, n).chunks;
}

const approx = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : String(n);

/** `shard 2/4: 97 of 390 chunks, ~1.3M of 5.2M rows est.` */
export function describeShard(s: Shard, k: number, n: number, total: number): string {
  return `shard ${k}/${n}: ${s.chunks.length} of ${total} chunks, ~${approx(s.rows)} of ${approx(s.totalRows)} rows est.`;
}
