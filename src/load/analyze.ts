/**
 * VACUUM (ANALYZE) after a bulk load (issue 9 §3), so that `gen query` and `gen bench` plan on statistics:
 * autovacuum analyzes leaf partitions in its own time but never a partitioned parent, and a freshly loaded
 * table has no visibility map, so no index-only scan pays until it is vacuumed. On a partitioned parent VACUUM
 * processes every leaf and ANALYZE samples the whole tree for the parent's own statistics.
 *
 * One statement per top-level table of the model (the ledger tables are left to autovacuum), each committing on
 * its own: Ctrl-C cancels the running one (pg_cancel_backend from a second connection, since a backend busy in
 * VACUUM does not notice its client going away) and loses nothing of the load, which is committed by then.
 */
import type pg from 'pg';
import { connect } from '../db/connection.js';
import { sqlState } from '../errors.js';
import { qualified } from '../model/ddl.js';
import { TABLES } from '../model/tables.js';

/** VACUUM (ANALYZE) or, with `vacuum: false`, ANALYZE only, of one table (and its partitions). */
export function analyzeSql(schema: string, table: string, vacuum = true): string {
  return `${vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${qualified(schema, table)}`;
}

/** The analyze was stopped by the signal: the tables before `table` are done, the load is untouched. */
export class AnalyzeAborted extends Error {
  override name = 'AnalyzeAborted';
}

/** VACUUM (ANALYZE) every table of the model in `schema`; returns the ms it took per table, in order. */
export async function vacuumAnalyze(
  client: pg.ClientBase,
  url: string,
  schema: string,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const ms: Record<string, number> = {};
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
  const cancel = (): void => {
    if (pid === undefined) return;
    void connect(url)
      .then(async (c) => {
        await c.query('select pg_cancel_backend($1)', [pid]).finally(() => c.end());
      })
      .catch(() => undefined); // the statement then ends by itself; nothing is lost either way
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (const t of TABLES) {
      if (signal?.aborted) throw new AnalyzeAborted(`stopped before VACUUM (ANALYZE) of ${t.name}`);
      const t0 = performance.now();
      try {
        await client.query(analyzeSql(schema, t.name));
      } catch (e) {
        // query_canceled: ours when the signal fired
        if (sqlState(e) === '57014' && signal?.aborted) {
          throw new AnalyzeAborted(`stopped during VACUUM (ANALYZE) of ${t.name}`, { cause: e });
        }
        throw e;
      }
      ms[t.name] = performance.now() - t0;
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  return ms;
}
