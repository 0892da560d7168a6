/** Counters of a load, per table and in total; generation time is kept apart from database time. */

import type { ServerSide } from '../db/server-stats.js';
import { partitionOfChunk } from '../model/partitions.js';
import type { CopyFormat } from './copy-format.js';

/** One sample of throughput over time (like pgbench -P): totals at `tMs` since the load started. */
export interface ThroughputSample {
  tMs: number;
  rows: number;
  bytes: number;
}

export interface ChunkResult {
  table: string;
  partition: string;
  rows: number;
  bytes: number;
  /** time spent inside the generator, ms */
  genMs: number;
  /** chunk wall time minus generation, ms: time the COPY (server, network, backpressure) took */
  copyMs: number;
}

export interface TableTotals {
  rows: number;
  bytes: number;
  partitions: number;
  genMs: number;
  copyMs: number;
}

export interface LoadSummary {
  target: string;
  chunks: ChunkResult[];
  tables: Record<string, TableTotals>;
  rows: number;
  bytes: number;
  partitions: number;
  wallMs: number;
  genMs: number;
  copyMs: number;
  ddlMs: number;
  /** time to add and validate the layout's FOREIGN KEY constraints after the rows, ms */
  fkMs: number;
  /** VACUUM (ANALYZE) of the schema's tables after the load, ms; outside wallMs; absent when not run */
  analyzeMs?: number;
  jobs: number;
  layout: string;
  /** what `bytes` are: the COPY's wire format (a database), csv (--out files) */
  copyFormat: CopyFormat;
  samples: ThroughputSample[];
  /** chunks already committed by an earlier, interrupted run of the same load (ledger) */
  skipped: number;
  /** chunks of this process's list that other gen processes committed while it ran (cooperative runs) */
  byOthers: number;
  /**
   * chunks of the run still loading elsewhere when this process's were all committed (--shard): the last
   * process to finish adds the foreign keys and analyzes; absent when the run is complete
   */
  pendingElsewhere?: number;
  chunksTotal: number;
  /** what the server did from before the first COPY to after the last (and the foreign keys); db targets */
  serverSide?: ServerSide;
}

/**
 * `partitionsOf`: the partitions a chunk's rows are in, as the table's partitions are counted (a load: the
 * layout's, src/model/layout.ts layoutPartitionsOf; by default the chunk's own, as --out names its files).
 */
export function summarise(
  target: string,
  chunks: ChunkResult[],
  wallMs: number,
  ddlMs: number,
  partitionsOf: (c: ChunkResult) => readonly string[] = (c) => [partitionOfChunk(c.partition)],
): Omit<
  LoadSummary,
  | 'fkMs'
  | 'analyzeMs'
  | 'jobs'
  | 'layout'
  | 'copyFormat'
  | 'samples'
  | 'skipped'
  | 'byOthers'
  | 'pendingElsewhere'
  | 'chunksTotal'
  | 'serverSide'
> {
  const tables: Record<string, TableTotals> = {};
  let rows = 0;
  let bytes = 0;
  let genMs = 0;
  let copyMs = 0;
  /** a partition loaded in slices (chunkName) counts once */
  const seen = new Set<string>();
  for (const c of chunks) {
    let t = tables[c.table];
    if (!t) {
      t = { rows: 0, bytes: 0, partitions: 0, genMs: 0, copyMs: 0 };
      tables[c.table] = t;
    }
    t.rows += c.rows;
    t.bytes += c.bytes;
    for (const partition of partitionsOf(c)) {
      if (!seen.has(partition)) {
        seen.add(partition);
        t.partitions++;
      }
    }
    t.genMs += c.genMs;
    t.copyMs += c.copyMs;
    rows += c.rows;
    bytes += c.bytes;
    genMs += c.genMs;
    copyMs += c.copyMs;
  }
  return { target, chunks, tables, rows, bytes, partitions: chunks.length, wallMs, genMs, copyMs, ddlMs };
}

/** Count rows (newlines) in a buffer; generated fields never contain raw newlines. */
export function countLines(b: Buffer): number {
  let n = 0;
  let i = b.indexOf(10);
  while (i !== -1) {
    n++;
    i = b.indexOf(10, i + 1);
  }
  return n;
}
