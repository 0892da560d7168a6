/**
 * Checksums of what a schema holds against what the scenario generates, chunk by chunk: the ledger row, the
 * row count, and an order-independent hash of the rows (src/load/row-hash.ts): of the tuples the server's
 * `COPY (SELECT ...) TO STDOUT (FORMAT binary)` gives back, against the tuples the generator writes.
 */
import pLimit from 'p-limit';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { makePool, toConnectionError } from '../db/connection.js';
import { type Chunk, generateChunk, type Plan } from '../generate/index.js';
import { BINARY_COPY_HEADER, BINARY_TRAILER } from '../load/binary-copy.js';
import { LEDGER_TABLE, livePlayed } from '../load/ledger.js';
import { RowHash } from '../load/row-hash.js';
import { qualified } from '../model/ddl.js';
import { SLICE_MARK, sqlTimestamp } from '../model/partitions.js';
import { columnNames } from '../model/tables.js';

export interface ChunkVerdict {
  partition: string;
  table: string;
  expectedRows: number;
  actualRows: number;
  ledgerRows: number | null;
  ok: boolean;
  problem?: string;
}

async function actual(
  client: pg.PoolClient,
  schema: string,
  chunk: Chunk,
): Promise<{ rows: number; hash: string }> {
  const p = chunk.partition;
  const cols = columnNames(p.table).join(', ');
  // through the parent with the chunk's bounds: works in any layout, prunes to the leaf in the hourly one
  const sql =
    `COPY (SELECT ${cols} FROM ${qualified(schema, p.table.name)} WHERE event_time >= '${sqlTimestamp(p.from)}' ` +
    `AND event_time < '${sqlTimestamp(p.to)}') TO STDOUT WITH (FORMAT binary)`;
  const set = new RowHash();
  const stream = client.query(copyTo(sql));
  for await (const b of stream) set.addCopyBinary(b as Buffer);
  const hash = set.digest();
  return { rows: set.rows, hash };
}

/**
 * Rows per partition as the load ledger (src/load/ledger.ts) recorded them when each chunk committed: a
 * partition loaded in slices (`name#i/n`) has the sum of its slices'.
 */
export async function ledgerRows(client: pg.ClientBase, schema: string): Promise<Map<string, number>> {
  const r = await client.query<{ partition: string; rows: string }>(
    `select split_part(partition, '${SLICE_MARK}', 1) as partition, sum(rows)::text as rows
     from ${qualified(schema, LEDGER_TABLE)} group by 1`,
  );
  return new Map(r.rows.map((row) => [row.partition, Number(row.rows)]));
}

function expected(plan: Plan, chunk: Chunk): { rows: number; hash: string } {
  // the generator's own binary tuples, hashed at once: it may write on in the same buffer
  const set = new RowHash();
  set.addCopyBinary(BINARY_COPY_HEADER);
  for (const b of generateChunk(plan, chunk, { format: 'binary', reuse: true })) set.addCopyBinary(b);
  set.addCopyBinary(BINARY_TRAILER);
  return { rows: set.rows, hash: set.digest() };
}

export async function verifyChunks(o: {
  url: string;
  schema: string;
  plan: Plan;
  chunks: Chunk[];
  jobs: number;
  onChunk?: (v: ChunkVerdict) => void;
  /** Ctrl-C/SIGTERM: the running reads are cancelled and the connections closed (verify only reads) */
  signal?: AbortSignal;
}): Promise<ChunkVerdict[]> {
  const pool = makePool(o.url, Math.max(1, o.jobs), o.signal ? { signal: o.signal } : {});
  try {
    const ledger = await (async () => {
      const c = await pool.connect().catch((e: unknown) => {
        throw toConnectionError(e, o.url);
      });
      try {
        // a schema played by gen live has no chunk ledger: its rows arrived one transaction at a time
        const live = await livePlayed(c, o.schema);
        return live === null ? await ledgerRows(c, o.schema) : live;
      } finally {
        c.release();
      }
    })();
    const limit = pLimit(Math.max(1, o.jobs));
    return await Promise.all(
      o.chunks.map((chunk) =>
        limit(async () => {
          const client = await pool.connect();
          let got: { rows: number; hash: string };
          try {
            // binary tuples and the +00 bounds: no TimeZone setting matters
            got = await actual(client, o.schema, chunk);
          } finally {
            client.release();
          }
          const want = expected(o.plan, chunk);
          const ledgerRows = typeof ledger === 'boolean' ? null : (ledger.get(chunk.partition.name) ?? null);
          let problem: string | undefined;
          if (ledger === false) problem = 'the gen live run has not reached the window end yet';
          else if (ledger === true) problem = undefined;
          else if (ledgerRows === null) problem = 'not in the load ledger (never committed)';
          else if (ledgerRows !== want.rows)
            problem = `ledger says ${ledgerRows} rows, the scenario makes ${want.rows}`;
          if (got.rows !== want.rows)
            problem = `${got.rows} rows in the database, the scenario makes ${want.rows}`;
          else if (got.hash !== want.hash) problem = 'same row count, different rows (checksum differs)';
          const v: ChunkVerdict = {
            partition: chunk.partition.name,
            table: chunk.partition.table.name,
            expectedRows: want.rows,
            actualRows: got.rows,
            ledgerRows,
            ok: problem === undefined,
            ...(problem ? { problem } : {}),
          };
          o.onChunk?.(v);
          return v;
        }),
      ),
    );
  } finally {
    await pool.end();
  }
}
