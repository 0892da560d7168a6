/**
 * The server's side of a run (issue 7 §2): WAL written, checkpoints, who wrote the dirty buffers, autovacuum
 * on our tables and their sizes, from the statistics views read before and after. A snapshot is plain data
 * (JSON-able); serverSide() is the pure difference of two, so its arithmetic is tested without a server.
 *
 * The views moved between versions, so which one is read is chosen by server_version_num and named in
 * `source`:
 * - WAL bytes: pg_stat_wal.wal_bytes (14+), else the difference of two WAL positions (pg_current_wal_lsn()).
 *   Both are cluster-wide: another database's writes during the run are counted too.
 * - checkpoints and the checkpointer's buffers: pg_stat_checkpointer (17+), else pg_stat_bgwriter.
 * - buffers written by backends: pg_stat_io (16+, shared-buffer writes of object 'relation' by every backend
 *   type but the checkpointer and the background writer, as ≤15's buffers_backend counted), else
 *   pg_stat_bgwriter.buffers_backend, which also counts every block a backend added to a relation (≤15 counted
 *   the fsync request of an extension as a write): a COPY into new partitions shows there as backend writes.
 * - autovacuum/autoanalyze: pg_stat_all_tables of the schema's tables (leaf partitions and plain tables).
 * - sizes: pg_total_relation_size and pg_indexes_size, summed per top-level table over its partition tree in
 *   one catalog query. They take each relation's lightest lock, so another session's ACCESS EXCLUSIVE lock (a
 *   LOCK TABLE, most ALTER TABLEs) would hold the report, and a stop, as long as it is held: after a second
 *   (lock_timeout) the snapshot has no sizes and `source` says why.
 *
 * Lag: the cumulative statistics are flushed by each backend when it goes idle, at most once a second (15+:
 * PGSTAT_MIN_INTERVAL; ≤14 through the stats collector, 0.5 s and asynchronous), and at backend exit. A reader
 * forces only its own pending stats out (pg_stat_force_next_flush(), 15+). So the after-snapshot of a load
 * is taken once the load's connections have gone (waitForBackendsGone): their exit flushes everything they
 * wrote. What remains: the checkpoint count moves when a checkpoint ends, while its buffers are reported as it
 * writes them (a spread checkpoint running across the snapshots shows buffers without a checkpoint), and an
 * autovacuum worker reports a table when done with it. The other way round, a process busy across the
 * before-snapshot reports WAL it wrote before it later: measured once in `gen bench`, a layout's pg_stat_wal
 * grew 48 MB more than the WAL position advanced, most likely the previous layout's autovacuum (11 runs).
 * Sizes and the WAL position are read from the server directly and do not lag.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { sqlState } from '../errors.js';
import { describeServer, withClient } from './connection.js';

/** One table's size at the snapshot: the table and all its partitions, with their TOAST and indexes. */
export interface TableSize {
  table: string;
  bytes: number;
  /** the indexes' part of `bytes` */
  indexBytes: number;
}

/** The counters of one read of the statistics views; JSON-able, so a live run can keep it in its ledger. */
export interface ServerSnapshot {
  versionNum: number;
  /** ISO time of the read (report metadata) */
  at: string;
  /** block_size: the unit of the buffer counters */
  blockSize: number;
  /** pg_current_wal_lsn() as text, e.g. '0/1A2B3C8' */
  walLsn: string;
  /** pg_stat_wal (14+), null on older servers */
  wal: { bytes: number; records: number; fullPageImages: number } | null;
  checkpointsTimed: number;
  checkpointsRequested: number;
  buffersCheckpointer: number;
  buffersBgwriter: number;
  /** null where neither pg_stat_io nor buffers_backend exists */
  buffersBackend: number | null;
  /** autovacuum and autoanalyze runs so far per table oid of the schema; tables with none are left out */
  vacuums: Record<string, { autovacuum: number; autoanalyze: number }>;
  tables: TableSize[];
  /** the views read, '+'-joined */
  source: string;
}

/** What the server did between two snapshots: the `serverSide` of a report. */
export interface ServerSide {
  /** WAL bytes written (pg_stat_wal.wal_bytes where the server has it, else the WAL position's advance) */
  walBytes: number;
  /** how far the WAL position advanced: walBytes plus page headers and segment padding; never lags */
  walPositionBytes: number;
  /** WAL records and full-page images, null without pg_stat_wal */
  walRecords: number | null;
  walFullPageImages: number | null;
  checkpointsTimed: number;
  checkpointsRequested: number;
  /** buffers (of blockSize bytes) written by backends themselves (null when the server does not say) */
  buffersWrittenBackend: number | null;
  buffersWrittenCheckpointer: number;
  buffersWrittenBgwriter: number;
  blockSize: number;
  autovacuumRuns: number;
  autoanalyzeRuns: number;
  /** sizes at the after-snapshot, per top-level table of the schema */
  tables: TableSize[];
  source: string;
  /** wall time between the snapshots */
  ms: number;
}

interface CounterRow {
  block_size: string;
  wal_lsn: string;
  wal_bytes: string | null;
  wal_records: string | null;
  wal_fpi: string | null;
  ckpt_timed: string;
  ckpt_req: string;
  buf_ckpt: string;
  buf_clean: string;
  buf_backend: string | null;
}

/** The counters' SELECT for this server version, and the views it reads. */
export function counterSql(versionNum: number): { sql: string; source: string[] } {
  const source: string[] = [];
  const from: string[] = [];
  let wal = 'null::numeric as wal_bytes, null::bigint as wal_records, null::bigint as wal_fpi';
  if (versionNum >= 140000) {
    wal = 'w.wal_bytes, w.wal_records, w.wal_fpi';
    from.push('pg_stat_wal w');
    source.push('pg_stat_wal');
  } else source.push('wal-lsn');
  // buffers_clean (the background writer's writes) has stayed in pg_stat_bgwriter in every version
  from.push('pg_stat_bgwriter b');
  source.push('pg_stat_bgwriter');
  let ckpt =
    'b.checkpoints_timed as ckpt_timed, b.checkpoints_req as ckpt_req, b.buffers_checkpoint as buf_ckpt';
  if (versionNum >= 170000) {
    ckpt = 'c.num_timed as ckpt_timed, c.num_requested as ckpt_req, c.buffers_written as buf_ckpt';
    from.push('pg_stat_checkpointer c');
    source.push('pg_stat_checkpointer');
  }
  let backend = 'b.buffers_backend as buf_backend';
  if (versionNum >= 160000) {
    backend = `(select sum(writes) from pg_stat_io where object = 'relation'
                 and backend_type not in ('checkpointer', 'background writer')) as buf_backend`;
    source.push('pg_stat_io');
  }
  // a standby has no current WAL insert position; its replay position is what advanced
  const lsn = 'case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end';
  const sql = `select current_setting('block_size') as block_size, (${lsn})::text as wal_lsn, ${wal},
    ${ckpt}, b.buffers_clean as buf_clean, ${backend}
    from ${from.join(', ')}`;
  return { sql, source };
}

/** Top-level tables of the schema with the sizes of their whole partition tree: one catalog query. */
const SIZES_SQL = `
  with recursive tree(root, relid) as (
    select c.oid, c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition
    union all
    select t.root, i.inhrelid from tree t join pg_inherits i on i.inhparent = t.relid
  )
  select r.relname as table,
         coalesce(sum(pg_total_relation_size(t.relid)), 0)::bigint as bytes,
         coalesce(sum(pg_indexes_size(t.relid)), 0)::bigint as index_bytes
    from tree t join pg_class r on r.oid = t.root
   group by r.relname
   order by r.relname`;

const VACUUM_SQL = `
  select relid::text as relid, autovacuum_count, autoanalyze_count from pg_stat_all_tables
   where schemaname = $1 and (autovacuum_count > 0 or autoanalyze_count > 0)`;

/** Reads the statistics views once. `client` should be idle (not inside a transaction). */
export async function readServerStats(client: pg.ClientBase, schema: string): Promise<ServerSnapshot> {
  const { versionNum } = await describeServer(client);
  // our own pending counters out first (15+); other backends flush on their own (see the header)
  if (versionNum >= 150000) await client.query('select pg_stat_force_next_flush()');
  const { sql, source } = counterSql(versionNum);
  const c = (await client.query<CounterRow>(sql)).rows[0];
  if (c === undefined) throw new Error('internal: the statistics views returned no row');
  const vac = await client.query<{ relid: string; autovacuum_count: string; autoanalyze_count: string }>(
    VACUUM_SQL,
    [schema],
  );
  const sizes = await tableSizes(client, schema);
  const vacuums: ServerSnapshot['vacuums'] = {};
  for (const r of vac.rows) {
    vacuums[r.relid] = { autovacuum: Number(r.autovacuum_count), autoanalyze: Number(r.autoanalyze_count) };
  }
  return {
    versionNum,
    at: new Date().toISOString(),
    blockSize: Number(c.block_size),
    walLsn: c.wal_lsn,
    wal:
      c.wal_bytes === null
        ? null
        : { bytes: Number(c.wal_bytes), records: Number(c.wal_records), fullPageImages: Number(c.wal_fpi) },
    checkpointsTimed: Number(c.ckpt_timed),
    checkpointsRequested: Number(c.ckpt_req),
    buffersCheckpointer: Number(c.buf_ckpt),
    buffersBgwriter: Number(c.buf_clean),
    buffersBackend: c.buf_backend === null ? null : Number(c.buf_backend),
    vacuums,
    tables: sizes ?? [],
    source: [
      ...source,
      'pg_stat_all_tables',
      sizes === null ? `no sizes (a table was locked for ${SIZES_LOCK_TIMEOUT})` : 'pg_total_relation_size',
    ].join('+'),
  };
}

const SIZES_LOCK_TIMEOUT = '1s';

/** SIZES_SQL, or null when a relation of the schema stays locked against it (lock_not_available) */
async function tableSizes(client: pg.ClientBase, schema: string): Promise<TableSize[] | null> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = '${SIZES_LOCK_TIMEOUT}'`);
    const r = await client.query<{ table: string; bytes: string; index_bytes: string }>(SIZES_SQL, [schema]);
    await client.query('COMMIT');
    return r.rows.map((x) => ({ table: x.table, bytes: Number(x.bytes), indexBytes: Number(x.index_bytes) }));
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (sqlState(e) === '55P03') return null;
    throw e;
  }
}

/** An LSN ('16/B374D848': high and low 32 bits in hex) as a byte position. */
export function lsnBytes(lsn: string): number {
  const m = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn);
  if (m === null) throw new Error(`internal: not an LSN: ${lsn}`);
  return Number.parseInt(m[1] ?? '', 16) * 2 ** 32 + Number.parseInt(m[2] ?? '', 16);
}

/**
 * A counter's growth. A counter below its earlier value was reset in between (pg_stat_reset_shared(), a
 * crash): what it counted since the reset is the best lower bound there is.
 */
const grown = (before: number, after: number): number => (after >= before ? after - before : after);

export function serverSide(before: ServerSnapshot, after: ServerSnapshot): ServerSide {
  const walPositionBytes = Math.max(0, lsnBytes(after.walLsn) - lsnBytes(before.walLsn));
  const wal = before.wal !== null && after.wal !== null ? { b: before.wal, a: after.wal } : null;
  let autovacuumRuns = 0;
  let autoanalyzeRuns = 0;
  // per table: a partition dropped in between takes its runs with it, one created in between starts at 0
  for (const [relid, a] of Object.entries(after.vacuums)) {
    const b = before.vacuums[relid] ?? { autovacuum: 0, autoanalyze: 0 };
    autovacuumRuns += grown(b.autovacuum, a.autovacuum);
    autoanalyzeRuns += grown(b.autoanalyze, a.autoanalyze);
  }
  return {
    walBytes: wal ? grown(wal.b.bytes, wal.a.bytes) : walPositionBytes,
    walPositionBytes,
    walRecords: wal ? grown(wal.b.records, wal.a.records) : null,
    walFullPageImages: wal ? grown(wal.b.fullPageImages, wal.a.fullPageImages) : null,
    checkpointsTimed: grown(before.checkpointsTimed, after.checkpointsTimed),
    checkpointsRequested: grown(before.checkpointsRequested, after.checkpointsRequested),
    buffersWrittenBackend:
      before.buffersBackend === null || after.buffersBackend === null
        ? null
        : grown(before.buffersBackend, after.buffersBackend),
    buffersWrittenCheckpointer: grown(before.buffersCheckpointer, after.buffersCheckpointer),
    buffersWrittenBgwriter: grown(before.buffersBgwriter, after.buffersBgwriter),
    blockSize: after.blockSize,
    autovacuumRuns,
    autoanalyzeRuns,
    tables: after.tables,
    source: after.source,
    ms: Math.max(0, Date.parse(after.at) - Date.parse(before.at)),
  };
}

/** The backend pid of a connected node-postgres client (BackendKeyData; @types/pg does not declare it). */

/**
 * Waits (up to `timeoutMs`) until none of `pids` is a live backend: a backend flushes its statistics when it
 * exits, before it leaves pg_stat_activity, so after this the counters include all they did. Returns whether
 * they all went.
 */
export async function waitForBackendsGone(
  client: pg.ClientBase,
  pids: readonly number[],
  timeoutMs = 5000,
): Promise<boolean> {
  if (pids.length === 0) return true;
  const until = performance.now() + timeoutMs;
  for (;;) {
    const r = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where pid = any($1::int[])',
      [pids],
    );
    if ((r.rows[0]?.n ?? 0) === 0) return true;
    if (performance.now() > until) return false;
    await sleep(20);
  }
}

/**
 * The after-snapshot of a run whose connections (`pids`) have been closed, on a connection of its own, and
 * the difference to `before`. Waits for those backends to exit first, so their statistics are in.
 */
export async function serverSideSince(
  url: string,
  schema: string,
  before: ServerSnapshot,
  pids: readonly number[],
): Promise<ServerSide> {
  return withClient(url, async (client) => {
    await waitForBackendsGone(client, pids);
    return serverSide(before, await readServerStats(client, schema));
  });
}
