/**
 * Schema, tables, indexes and the window's partitions, created idempotently before loading.
 *
 * Partitions cost the server a few ms of CPU each (a relation, its primary key and other indexes, a TOAST table
 * and its index, the inherited constraints), and more the more partitions exist (README, "Long windows"; measured
 * with perf): each new partition rebuilds its parent's partition descriptor from every sibling's bound, and
 * PostgreSQL's CloneFkReferenced scans the whole database's pg_constraint once per new partition (no index on
 * confrelid), where PostgreSQL 18 keeps NOT NULL constraints: 14 rows per partition of ours there, 1.2 on 15. So a
 * 90-day hourly window (~33,000 partitions) is minutes of catalog work, quadratic in the count. No order or
 * batching of these statements avoids either scan (daily sub-parents of hourly leaves would bound the first, not
 * the second: README). What this module controls:
 * - on PostgreSQL 18, a new table's NOT NULL constraints and primary key are added once its partitions exist
 *   (deferral), so the scans see none of its partitions' rows instead of ~15 each (but the CHECK of the 2 tables
 *   that have one); the catalog ends up the same;
 * - streams: the tables are shared among `streams` connections (a partition locks its parent
 *   ACCESS EXCLUSIVE, so connections only work in parallel on different tables). On PostgreSQL 15 (and 16)
 *   every new index (a partition's primary key, its TOAST index) is fsynced at once (DataFileImmediateSync),
 *   so the time goes in waits that streams overlap: 2,562 partitions took 35 s with 1 stream, 21 s with 2 and
 *   12 s with 4 (server CPU 7-9 s each time; 2 cores, other loads running): 8 streams there (defaultDdlStreams);
 * - batches sized from the server's lock table: a transaction holds every lock it takes until it ends, and all
 *   sessions share one table of max_locks_per_transaction × (max_connections + max_prepared_transactions)
 *   entries (6,400 with PostgreSQL's defaults). All the streams' transactions together use at most LOCK_SHARE of
 *   it, so several loads preparing their schemas at once still fit.
 */
import { availableParallelism } from 'node:os';
import type pg from 'pg';
import { describeServer, inTransaction, serverIsLocal } from '../db/connection.js';
import {
  completeTableSql,
  createIndexSql,
  createPartitionSql,
  createTableSql,
  type Deferred,
  deferredNotNull,
  foreignKeySql,
  ident,
  indexName,
} from '../model/ddl.js';
import { DEFAULT_LAYOUT, type Layout, layoutPartitions } from '../model/layout.js';
import type { Partition } from '../model/partitions.js';
import { TABLES, type TableName } from '../model/tables.js';
import { lockKey } from './coop.js';
import { ledgerDdl } from './ledger.js';

export interface WindowSpec {
  start: number;
  hours: number;
}

export function windowPartitions(w: WindowSpec, layout: Layout = DEFAULT_LAYOUT): Partition[] {
  return layoutPartitions(layout, w.start, w.hours);
}

/** the part of the server's lock table all the streams of one prepareSchema may use at once */
export const LOCK_SHARE = 1 / 8;
/** more per transaction gains nothing (the work is per partition) and holds the parent's lock longer */
const MAX_BATCH = 1000;
/**
 * Connections creating partitions at once (measured: see above): 8 before PostgreSQL 17, where each new index
 * is fsynced at once and more streams overlap more of those waits (90 days on 15: 331 s with 8 streams against
 * 445 s with 4, the same 213-229 s of server CPU, 2 cores under load average 20-30: helper s19-parts2). From 17 on
 * there are no such waits: the streams share the server's CPU, and more streams than its cores only slow them
 * (each one's commits invalidate the others' catalog caches). A server on this machine (`localCores`: loopback or
 * a Unix socket) gets one per core, 2 to 4: 90 days on the embedded 18, 2 cores, by hand, catalogs vacuumed
 * between runs (4 December): 1 stream 178 and 207 s, 2 streams 108, 110 and 124 s, 3 streams 141 s, 4 streams
 * 140 and 147 s. Another machine's cores are unknown to us: 4 there.
 */
export function defaultDdlStreams(serverVersionNum: number, localCores?: number): number {
  if (serverVersionNum < 170_000) return MAX_DDL_STREAMS;
  return localCores === undefined ? 4 : Math.max(2, Math.min(4, localCores));
}

/** the most connections defaultDdlStreams asks for: the pool a load makes has at least these */
export const MAX_DDL_STREAMS = 8;

/**
 * Lock-table entries one new partition holds until its transaction ends (counted in pg_locks on 15 and 18):
 * the relation twice (ACCESS EXCLUSIVE and SHARE), its primary key, its TOAST table twice and the TOAST index,
 * and one per secondary index of the layout; the parent's locks are taken once per transaction.
 */
export function locksPerPartition(layout: Layout, table: TableName): number {
  return 6 + layout.indexes.filter((ix) => ix.table === table).length;
}

/** Partitions of `table` per transaction for a lock table of `lockSlots` entries and `streams` transactions at once. */
export function partitionBatch(lockSlots: number, streams: number, layout: Layout, table: TableName): number {
  const n = Math.floor((lockSlots * LOCK_SHARE) / streams / locksPerPartition(layout, table));
  return Math.max(1, Math.min(MAX_BATCH, n));
}

/** The size of the server's shared lock table: max_locks_per_transaction × (max_connections + max_prepared_transactions). */
export async function lockTableSlots(client: pg.ClientBase): Promise<number> {
  const r = await client.query<{ slots: string }>(
    `select (current_setting('max_locks_per_transaction')::bigint *
             (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint))::text as slots`,
  );
  return Number(r.rows[0]?.slots ?? 0);
}

export interface PrepareOptions {
  /** more connections to create partitions on in parallel (taken and released here), e.g. the load's pool */
  connect?: () => Promise<pg.PoolClient>;
  /** connections creating partitions at once, `client` included (default defaultDdlStreams when `connect`) */
  streams?: number;
  /**
   * Ctrl-C/SIGTERM: no batch starts after it (it throws the signal's reason). Every batch is its own transaction
   * and every statement idempotent, so a re-run creates the rest; cancelling a running statement is the caller's
   */
  signal?: AbortSignal;
  /**
   * Run once the tables (the ledger's included) exist, before their partitions: the load records its run there, so
   * that a stop during the partitions' creation keeps what `--start now...` resolved to for the re-run
   */
  afterTables?: () => Promise<void>;
}

export async function prepareSchema(
  client: pg.ClientBase,
  schema: string,
  w: WindowSpec,
  layout: Layout = DEFAULT_LAYOUT,
  o: PrepareOptions = {},
): Promise<number> {
  const parts = windowPartitions(w, layout);
  const byTable = new Map<TableName, Partition[]>();
  for (const p of parts) {
    const list = byTable.get(p.table.name) ?? [];
    list.push(p);
    byTable.set(p.table.name, list);
  }
  const { versionNum } = await describeServer(client);
  const slots = await lockTableSlots(client);
  await inTransaction(client, async () => {
    // other sessions creating the same schema at once would race on the catalog: serialise on a lock
    await ddlLock(client, schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    const tables = new Set(await relations(client, schema, ['r', 'p']));
    for (const t of TABLES) {
      const defer = tables.has(t.name)
        ? undefined
        : deferral(versionNum, byTable.get(t.name)?.length ?? 0, slots);
      await client.query(createTableSql(schema, t, layout, { defer }));
    }
    // CREATE INDEX IF NOT EXISTS on a partitioned table locks every partition SHARE before it looks at the
    // name, so it waits for (and holds up) the COPYs of another process loading this run: existing ones are skipped
    const existing = new Set(await relations(client, schema, ['i', 'I']));
    for (const ix of layout.indexes) {
      if (!existing.has(indexName(ix))) await client.query(createIndexSql(schema, ix));
    }
    for (const sql of ledgerDdl(schema)) await client.query(sql);
  });
  const streams = !o.connect
    ? 1
    : Math.max(
        1,
        o.streams ??
          defaultDdlStreams(versionNum, (await serverIsLocal(client)) ? availableParallelism() : undefined),
      );
  await o.afterTables?.();
  if (parts.length > 0) {
    await createPartitions(client, schema, byTable, layout, slots, streams, o.connect, o.signal);
  }
  // also when no partition was made: a run stopped before this point left its new tables incomplete
  await completeTables(client, schema, slots, streams, o.connect, o.signal);
  return parts.length;
}

/**
 * Lock-table entries completeTableSql's ADD PRIMARY KEY holds per partition until it commits, against 1 for SET
 * NOT NULL alone: the partition and its new index (counted in pg_locks on 18: 3 rows per partition, the partition in
 * two modes, which share one entry of the lock table).
 */
const KEY_LOCKS_PER_PARTITION = 2;

/**
 * What a new table leaves for after its `partitions` exist (completeTables): from PostgreSQL 18 on NOT NULL
 * constraints are rows of pg_constraint, 14 per partition of ours with the primary key's, and every new partition
 * scans the whole database's pg_constraint once (CloneFkReferenced, see above), so creating a window's
 * partitions under complete parents is quadratic in them all. Measured on the embedded 18, 21 parents of 14
 * columns, 15,120 partitions on one connection: 166 s with NOT NULL parents; 44 s nullable + 13 s for the 21
 * ALTERs; 33 s with the primary key deferred too + 17 s for the ALTERs (4 December), with the same catalog rows
 * at the end. 90 days of ours as a load makes them (4 connections, catalogs vacuumed between runs): 323-342 s
 * complete, 220-243 s with NOT NULL deferred, 112-136 s with the key too (the ALTERs 39-48 s of it; npm run
 * bench: 123-143 s). The ALTER locks every partition of its table at once (and with the key,
 * its new index): only what fits the lock table's share is deferred (a longer window on a server with few lock
 * slots defers less, or nothing).
 */
function deferral(versionNum: number, partitions: number, lockSlots: number): Deferred | undefined {
  if (versionNum < 180_000 || partitions === 0) return undefined;
  const share = lockSlots * LOCK_SHARE;
  if (partitions * KEY_LOCKS_PER_PARTITION + 1 <= share) return 'key';
  return partitions + 1 <= share ? 'notNull' : undefined;
}

/**
 * Completes the tables createTableSql made with `defer` (completeTableSql), once all the partitions exist (an
 * ALTER made while other tables still get partitions would add rows to every later partition's scan), and
 * those of a run stopped before it got here. A table is one with `defer` when every column it deferred is nullable
 * (and, for 'key', it has no primary key); any other table is not touched (its ALTER would lock its partitions,
 * held up by and holding up other processes' COPYs, and check every row of them). One table per transaction,
 * on as many of the streams as the lock table's share allows, each after the table's lock and a fresh look
 * (another process preparing the same schema may have completed it).
 */
async function completeTables(
  client: pg.ClientBase,
  schema: string,
  lockSlots: number,
  streams: number,
  connect: PrepareOptions['connect'],
  signal: AbortSignal | undefined,
): Promise<void> {
  const found = new Map((await tableStates(client, schema)).map((x) => [x.table, x]));
  const todo = TABLES.flatMap((t) => {
    const have = found.get(t.name);
    if (!have) return [];
    const defer: Deferred = have.keyed ? 'notNull' : 'key';
    const missing = deferredNotNull(t, defer);
    const locks = have.partitions * (defer === 'key' ? KEY_LOCKS_PER_PARTITION : 1) + 1;
    return missing.length > 0 && missing.every((c) => have.nullable.includes(c))
      ? [{ t, defer, missing, locks }]
      : [];
  }).sort((a, b) => b.locks - a.locks);
  if (todo.length === 0) return;
  const most = todo[0]?.locks ?? 1;
  const fit = Math.max(1, Math.min(streams, Math.floor((lockSlots * LOCK_SHARE) / most)));
  await onStreams(client, fit, connect, todo, (c, x) =>
    inTransaction(c, async () => {
      signal?.throwIfAborted();
      await ddlLock(c, schema, x.t.name);
      // ADD PRIMARY KEY builds an index per (empty) partition, each after planning parallel workers for it:
      // skipped, the ALTERs took 39-40 s instead of 46-48 s (90 days on the embedded 18, by hand, 4 December)
      await c.query('SET LOCAL max_parallel_maintenance_workers = 0');
      const now = (await tableStates(c, schema, x.t.name))[0];
      if (now && now.keyed === (x.defer === 'notNull') && x.missing.every((m) => now.nullable.includes(m)))
        await c.query(completeTableSql(schema, x.t, x.missing, x.defer === 'key'));
    }),
  );
}

/** Per table of `schema` (or only `only`): its nullable columns, partitions and whether it has a primary key; one pass. */
async function tableStates(
  client: pg.ClientBase,
  schema: string,
  only?: string,
): Promise<{ table: string; nullable: string[]; partitions: number; keyed: boolean }[]> {
  const r = await client.query<{
    table: string;
    nullable: string[] | null;
    partitions: number;
    keyed: boolean;
  }>(
    `select c.relname as table, array_agg(a.attname::text) filter (where not a.attnotnull) as nullable,
            coalesce(max(i.n), 0)::int as partitions, bool_or(k.conrelid is not null) as keyed
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       left join (select inhparent, count(*) as n from pg_inherits group by inhparent) i on i.inhparent = c.oid
       left join pg_constraint k on k.conrelid = c.oid and k.contype = 'p'
      where n.nspname = $1 and c.relkind in ('r', 'p') and ($2::text is null or c.relname = $2)
      group by c.oid, c.relname`,
    [schema, only ?? null],
  );
  return r.rows.map((x) => ({ ...x, nullable: x.nullable ?? [] }));
}

/**
 * Waits for, then holds until the transaction ends, the advisory lock of the schema's DDL or of one table's
 * (./coop.ts's keys): sessions making the same schema or the same table's partitions take turns.
 */
async function ddlLock(client: pg.ClientBase, schema: string, table?: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey('ddl', schema, table)]);
}

async function relations(client: pg.ClientBase, schema: string, kinds: string[]): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind = any($2::"char"[])`,
    [schema, kinds],
  );
  return r.rows.map((x) => x.name);
}

/**
 * The tables, most partitions first, shared among the streams: each stream makes all of one table's partitions
 * (batch after batch) before taking the next table, so that streams never wait for each other's parent lock.
 * Every statement is idempotent: an interrupted run just continues.
 */
async function createPartitions(
  client: pg.ClientBase,
  schema: string,
  byTable: Map<TableName, Partition[]>,
  layout: Layout,
  slots: number,
  streams: number,
  connect: PrepareOptions['connect'],
  signal: AbortSignal | undefined,
): Promise<void> {
  const queue = [...byTable].sort((a, b) => b[1].length - a[1].length);
  await onStreams(client, streams, connect, queue, async (c, [table, list]) => {
    const size = partitionBatch(slots, streams, layout, table);
    for (let i = 0; i < list.length; i += size) {
      const sql = list
        .slice(i, i + size)
        .map((p) => createPartitionSql(schema, p))
        .join('\n');
      signal?.throwIfAborted();
      await inTransaction(c, async () => {
        // per table: another session making the same partitions waits; other tables go on in parallel
        await ddlLock(c, schema, table);
        await c.query(sql);
      });
    }
  });
}

/**
 * `work` for each item of `queue` in turn, on `streams` connections at once: `client` and more taken from
 * `connect` (released here). After a failure the other streams stop after their current item, and it is thrown.
 */
async function onStreams<T>(
  client: pg.ClientBase,
  streams: number,
  connect: PrepareOptions['connect'],
  queue: T[],
  work: (c: pg.ClientBase, item: T) => Promise<unknown>,
): Promise<void> {
  const stream = async (c: pg.ClientBase): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      await work(c, next).catch((e: unknown) => {
        queue.length = 0;
        throw e;
      });
    }
  };
  const extra: pg.PoolClient[] = [];
  try {
    for (let i = 1; i < streams && connect; i++) extra.push(await connect());
    // allSettled: a failing stream must not leave the others' transactions running behind our back
    const settled = await Promise.allSettled([client, ...extra].map(stream));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const c of extra) c.release();
  }
}

/** Add the layout's FOREIGN KEY constraints (validated against the loaded rows); returns how many. */
export async function addForeignKeys(client: pg.ClientBase, schema: string, layout: Layout): Promise<number> {
  const sql = foreignKeySql(schema, layout);
  for (const s of sql) {
    const name = /ADD CONSTRAINT ("(?:[^"]|"")+")/.exec(s)?.[1];
    // idempotent: a re-run finds the constraint already there
    if (name) await client.query(`${s.replace(/ADD CONSTRAINT .*$/, '')}DROP CONSTRAINT IF EXISTS ${name}`);
    await client.query(s);
  }
  return sql.length;
}
