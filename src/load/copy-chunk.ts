/**
 * One chunk into the database: its COPY and its ledger row in one transaction (ledger.ts), claimed first with
 * the chunk's advisory lock (./coop.ts) so that of several processes loading the same run exactly one loads it.
 * The lock is a transaction lock: it goes with the COMMIT, or with the connection of a process that died.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { backendPid, toConnectionError } from '../db/connection.js';
import { EnvironmentError } from '../errors.js';
import { type Chunk, generateChunk, type Plan } from '../generate/index.js';
import { qualified } from '../model/ddl.js';
import { copyTarget, DEFAULT_LAYOUT, type Layout } from '../model/layout.js';
import { chunkName } from '../model/partitions.js';
import { columnNames } from '../model/tables.js';
import { lockKey } from './coop.js';
import { CopyBuffers } from './copy-buffers.js';
import type { CopyFormat } from './copy-format.js';
import { LEDGER_TABLE, ledgerInsertSql, RUN_TABLE } from './ledger.js';
import { copyStream, type StreamCounters } from './stream.js';

export function copySql(
  schema: string,
  chunk: Chunk,
  layout: Layout = DEFAULT_LAYOUT,
  format: CopyFormat = 'binary',
): string {
  const cols = columnNames(chunk.partition.table).join(', ');
  return `COPY ${qualified(schema, copyTarget(layout, chunk))} (${cols}) FROM STDIN WITH (FORMAT ${format})`;
}

export interface ChunkLoad {
  pool: pg.Pool;
  url: string;
  schema: string;
  layout: Layout;
  format: CopyFormat;
  plan: Plan;
  /** the run's fingerprint (ledger.ts runIdentity): the schema must still hold this run when a chunk commits */
  fingerprint: string;
  signal: AbortSignal | undefined;
  /** cancels a statement of this process by backend pid (a lock wait, when the signal fires) */
  cancel: (pid: number) => Promise<void>;
}

/**
 * loaded: by this call; held: another process holds the chunk (only without `wait`); byOthers: another process
 * committed it (found in the ledger once the chunk's lock was ours).
 */
export type ChunkOutcome = 'loaded' | 'held' | 'byOthers';

/** Claim the chunk (try, or `wait` for its lock), then COPY it and record it in the ledger, in one transaction. */
export async function copyChunk(
  l: ChunkLoad,
  chunk: Chunk,
  c: StreamCounters,
  wait: boolean,
  /** the chunk's lock is ours: its load starts now */
  claimed?: () => void,
): Promise<ChunkOutcome> {
  const client = await l.pool.connect().catch((e: unknown) => {
    throw toConnectionError(e, l.url);
  });
  let broken = false;
  // a backend terminated mid-COPY also makes the client emit 'error'; the COPY's own rejection carries it
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    // read committed whatever the server's default: the ledger is read again below after the lock wait,
    // and must see the commit of the process that held the chunk (a repeatable-read snapshot would not)
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const name = chunkName(chunk);
    const key = lockKey('chunk', l.schema, name);
    if (wait) await waitForLock(l, client, key);
    else {
      const r = await client.query<{ got: boolean }>('select pg_try_advisory_xact_lock($1::bigint) as got', [
        key,
      ]);
      if (r.rows[0]?.got !== true) {
        await client.query('ROLLBACK');
        return 'held';
      }
    }
    claimed?.();
    // committed by another process since this one read the ledger (its lock went with its COMMIT); and the
    // schema still holds this run (not reset by a process that got in while this one's run lock was lost)
    const there = await client.query<{ fingerprint: string | null; there: boolean }>(
      `select (select fingerprint from ${qualified(l.schema, RUN_TABLE)}) as fingerprint,
              exists (select 1 from ${qualified(l.schema, LEDGER_TABLE)} where partition = any($1)) as there`,
      // a slice is also there when its whole partition is (ledger.ts covered)
      [[name, chunk.partition.name]],
    );
    if (there.rows[0]?.fingerprint !== l.fingerprint) {
      throw new EnvironmentError(
        `schema "${l.schema}" no longer holds this run (another gen process reset it); nothing more is loaded into it`,
      );
    }
    if (there.rows[0]?.there === true) {
      await client.query('ROLLBACK');
      return 'byOthers';
    }
    const types = chunk.partition.table.columns.map((col) => col.type);
    // the generator writes the COPY's format itself (binary tuples: src/generate/binary-writer.ts), into memory
    // the connection's socket has finished with (./copy-buffers.ts)
    const buffers = buffersOf(client);
    const generated = generateChunk(l.plan, chunk, { header: false, format: l.format, alloc: buffers.get });
    const rows = copyStream(generated, c, l.format, types, buffers);
    const copy = client.query(copyFrom(copySql(l.schema, chunk, l.layout, l.format)));
    const socket = socketOf(client);
    // what is still on its way to the kernel: in the Readable, in the COPY stream, in the socket (all FIFO)
    buffers.begin(() =>
      socket === undefined
        ? Number.POSITIVE_INFINITY
        : rows.readableLength + copy.writableLength + socket.writableLength,
    );
    await pipeline(rows, copy, ...(l.signal ? [{ signal: l.signal }] : []));
    buffers.done();
    await client.query(ledgerInsertSql(l.schema), [
      name,
      chunk.partition.table.name,
      c.rows,
      c.bytes,
      c.checksum ?? '',
    ]);
    await client.query('COMMIT');
    return 'loaded';
  } catch (e) {
    // after an abort mid-COPY the connection's protocol state is unknown: do not give it back to the pool
    broken = true;
    // nor its buffers, which the socket may still hold
    copyBuffers.delete(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

/** Each connection's COPY buffers (./copy-buffers.ts): a connection runs one COPY at a time. */
const copyBuffers = new WeakMap<pg.PoolClient, CopyBuffers>();

function buffersOf(client: pg.PoolClient): CopyBuffers {
  let b = copyBuffers.get(client);
  if (b === undefined) {
    b = new CopyBuffers();
    copyBuffers.set(client, b);
  }
  return b;
}

/** The connection's socket (pg's Connection.stream, which pg-copy-streams writes to), if it has one. */
function socketOf(client: pg.PoolClient): Writable | undefined {
  const stream = (client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  return stream instanceof Writable ? stream : undefined;
}

/** Wait for the chunk's lock (its holder commits or dies); the signal cancels the wait (query_canceled). */
async function waitForLock(l: ChunkLoad, client: pg.PoolClient, key: string): Promise<void> {
  // stopped while this chunk was being set up: the caller reads the signal, not this error
  if (l.signal?.aborted) throw new Error('stopped before waiting for a chunk held by another process');
  const pid = backendPid(client);
  const stop = (): void => {
    // the wait then fails with query_canceled, which the caller reads as the stop it is
    if (pid !== null) void l.cancel(pid).catch(() => undefined);
  };
  l.signal?.addEventListener('abort', stop, { once: true });
  try {
    // a server's or role's lock_timeout / statement_timeout would fail the wait for another process's chunk:
    // off for the wait, back to the session's values for the COPY
    await client.query('SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0');
    await client.query('select pg_advisory_xact_lock($1::bigint)', [key]);
    await client.query('SET LOCAL lock_timeout TO DEFAULT; SET LOCAL statement_timeout TO DEFAULT');
  } finally {
    l.signal?.removeEventListener('abort', stop);
  }
}
