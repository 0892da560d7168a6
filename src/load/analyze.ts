/**
 * VACUUM (ANALYZE) after a bulk load (issue 9 §3), so that `gen query` and `gen bench` plan on statistics:
 * autovacuum analyzes leaf partitions in its own time but never a partitioned parent, and a freshly loaded
 * table has no visibility map, so no index-only scan pays until it is vacuumed. On a partitioned parent VACUUM
 * processes every leaf and ANALYZE samples the whole tree for the parent's own statistics.
 *
 * One statement per top-level table of the model (the ledger tables are left to autovacuum), each committing on
 * its own, on `streams` connections at once, biggest tables first (the longest statement starts first, so the
 * others fill the remaining streams around it). VACUUM's own PARALLEL option is no help here: it runs index
 * vacuuming and cleanup in workers (PostgreSQL 13+), and a freshly loaded table has no dead tuples, so both
 * are skipped; the heap pass and ANALYZE's sampling, where the time goes, are one process per table.
 *
 * Ctrl-C cancels the running statements (pg_cancel_backend from another connection, since a backend busy in
 * VACUUM does not notice its client going away) and loses nothing of the load, which is committed by then.
 */
import type pg from 'pg';
import { cancelBackends, connect } from '../db/connection.js';
import { sqlState } from '../errors.js';
import { qualified } from '../model/ddl.js';
import { TABLES } from '../model/tables.js';

/** VACUUM (ANALYZE) or, with `vacuum: false`, ANALYZE only, of one table (and its partitions). */
export function analyzeSql(schema: string, table: string, vacuum = true): string {
  return `${vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${qualified(schema, table)}`;
}

/** The analyze was stopped by the signal: the tables done before are analyzed, the load is untouched. */
export class AnalyzeAborted extends Error {
  override name = 'AnalyzeAborted';
}

export interface VacuumAnalyzeOptions {
  /** Ctrl-C: cancels the running statements and starts no more */
  signal?: AbortSignal;
  /** statements at once, each on its own connection (the given client is one of them); default 1, at most 8 */
  streams?: number;
}

/** More streams than this gain nothing: the biggest table's statement is the floor either way. */
const MAX_STREAMS = 8;

/**
 * The model's tables in `schema`, biggest first: the heap bytes of each one's leaf partitions (the main fork, as
 * VACUUM reads it; a fresh load has no statistics to go by). Tables that are missing come last.
 */
async function biggestFirst(client: pg.ClientBase, schema: string): Promise<string[]> {
  const r = await client.query<{ name: string; bytes: string }>(
    `select t.name, coalesce((select sum(pg_relation_size(p.relid)) from pg_partition_tree(c.oid) p), 0) as bytes
       from unnest($2::text[]) with ordinality as t(name, i)
       left join pg_class c on c.relname = t.name
            and c.relnamespace = (select oid from pg_namespace where nspname = $1)
      order by 2 desc, t.i`,
    [schema, TABLES.map((t) => t.name)],
  );
  return r.rows.map((x) => x.name);
}

/**
 * VACUUM (ANALYZE) every table of the model in `schema` on `streams` connections; returns the ms it took per
 * table, in the model's order. Stopped by the signal: AnalyzeAborted once every running statement has ended.
 */
export async function vacuumAnalyze(
  client: pg.ClientBase,
  url: string,
  schema: string,
  opts: VacuumAnalyzeOptions = {},
): Promise<Record<string, number>> {
  const { signal } = opts;
  const streams = Math.max(1, Math.min(MAX_STREAMS, Math.floor(opts.streams ?? 1)));
  const order = await biggestFirst(client, schema);
  const clients: pg.ClientBase[] = [client];
  const extra: pg.Client[] = [];
  const pids: number[] = [];
  const cancel = (): void => {
    // the statements then end by themselves; nothing is lost either way
    void cancelBackends(url, pids).catch(() => undefined);
  };
  const ms: Record<string, number> = {};
  let failure: unknown;
  let next = 0;
  const stream = async (c: pg.ClientBase): Promise<void> => {
    for (;;) {
      const name = order[next++];
      if (name === undefined || failure !== undefined) return;
      if (signal?.aborted) {
        failure ??= new AnalyzeAborted(`stopped before VACUUM (ANALYZE) of ${name}`);
        return;
      }
      const t0 = performance.now();
      try {
        await c.query(analyzeSql(schema, name));
      } catch (e) {
        // query_canceled: ours when the signal fired
        failure ??=
          sqlState(e) === '57014' && signal?.aborted
            ? new AnalyzeAborted(`stopped during VACUUM (ANALYZE) of ${name}`, { cause: e })
            : e;
        return;
      }
      ms[name] = performance.now() - t0;
    }
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (let i = 1; i < streams; i++) {
      const c = await connect(url);
      extra.push(c);
      clients.push(c);
    }
    for (const c of clients) {
      const pid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
      if (pid !== undefined) pids.push(pid);
    }
    await Promise.all(clients.map(stream));
  } finally {
    signal?.removeEventListener('abort', cancel);
    await Promise.all(extra.map((c) => c.end().catch(() => undefined)));
  }
  if (failure !== undefined) throw failure;
  const inOrder: Record<string, number> = {};
  for (const t of TABLES) {
    const v = ms[t.name];
    if (v !== undefined) inOrder[t.name] = v;
  }
  return inOrder;
}
