/**
 * Several gen processes loading one run into one schema at once (issue 10 §1), coordinated by the server's
 * advisory locks, which die with their transaction or session, so a process that is killed (or whose machine
 * vanishes: see the keepalives in ../db/connection.ts) frees what it held:
 * - set-up: claimSchema + prepareSchema + startRun run under a session lock on the schema's `setup` key, one
 *   process at a time (CREATE SCHEMA/TABLE IF NOT EXISTS racing fails on pg_type's unique index);
 * - run: every process holds the schema's `run` key SHARED for its whole load; --reset needs it exclusively;
 * - chunk: a chunk's COPY transaction holds its (schema, partition) key until it commits (./copy-chunk.ts);
 * - finish: the foreign keys, VACUUM (ANALYZE) and finished_at are done once, under the `finish` key;
 * - ddl: prepareSchema's transactions (./schema.ts) take the schema's key, or one table's, until they commit, so
 *   that anything else preparing the same schema (gen live, the bench) takes turns with them too.
 *
 * Keys: advisory locks are per database, so every key is the first 8 bytes of
 * sha256("data-playground:<kind>:<schema>[:<partition>]") read as a signed int8 (the one-bigint form of
 * pg_advisory_lock); two schemas collide with odds of about 2^-64.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { cancelBackends, connect } from '../db/connection.js';
import { EnvironmentError } from '../errors.js';

type KeyKind = 'setup' | 'run' | 'finish' | 'chunk' | 'ddl';

/** The advisory lock key of a schema's set-up, run, finish or DDL, or of one chunk (partition) or table, as an int8 string. */
export function lockKey(kind: KeyKind, schema: string, partition?: string): string {
  const name = `data-playground:${kind}:${schema}${partition === undefined ? '' : `:${partition}`}`;
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * The refusal of a load that another process's hold on the schema's run lock keeps out (exit 3, busy: nothing is
 * wrong with the command, and a Job retries it): gen live plays a schema alone, and --reset needs it alone.
 */
export function runBusyError(schema: string, what: 'live' | 'bulk' | 'reset'): EnvironmentError {
  return new EnvironmentError(
    what === 'bulk'
      ? `gen live is playing schema "${schema}"; a load cannot share it (stop it, or use another --schema)`
      : `another gen process is loading schema "${schema}"; ${what === 'live' ? 'gen live plays a schema alone' : '--reset is refused while it runs'}`,
  );
}

/** What other sessions hold of a schema's locks: the run lock (the strongest hold), and whether one sets it up. */
export interface SchemaHolds {
  run: 'shared' | 'exclusive' | null;
  settingUp: boolean;
}

/**
 * What other sessions hold of the schema's `run` and `setup` locks, read from pg_locks without taking anything
 * (a try would hold them for a moment and could turn a concurrent start away): asked before a command says
 * anything, so that what setUp would refuse (runBusyError) is refused in one line. An advisory lock's one-bigint
 * key is classid (its high 32 bits) and objid (its low 32), with objsubid 1.
 */
export async function schemaHolds(client: pg.ClientBase, schema: string): Promise<SchemaHolds> {
  const half = (kind: KeyKind): [string, string] => {
    const key = BigInt.asUintN(64, BigInt(lockKey(kind, schema)));
    return [String(key >> 32n), String(key & 0xffffffffn)];
  };
  const r = await client.query<{ run: string | null; setup: boolean }>(
    `with held as (
       select classid, objid, mode from pg_locks
       where locktype = 'advisory' and granted and objsubid = 1 and pid <> pg_backend_pid()
         and database = (select oid from pg_database where datname = current_database())
     )
     select (select max(mode) from held where classid = $1::bigint::oid and objid = $2::bigint::oid) as run,
            exists (select 1 from held where classid = $3::bigint::oid and objid = $4::bigint::oid) as setup`,
    [...half('run'), ...half('setup')],
  );
  const row = r.rows[0];
  // 'ExclusiveLock' > 'ShareLock' as text: max() is the strongest hold
  const run = row?.run === 'ExclusiveLock' ? 'exclusive' : row?.run === 'ShareLock' ? 'shared' : null;
  return { run, settingUp: row?.setup === true };
}

/** how often a process that waits for the set-up or the finish asks for its lock again */
const POLL_MS = 250;

/** Stopped (Ctrl-C, SIGTERM) while another process held the schema's set-up lock: nothing was written. */
export class SetUpAborted extends Error {
  override name = 'SetUpAborted';
}

/**
 * One process's dedicated connection to the run's schema: it takes the set-up lock, holds the run lock
 * (shared) for as long as it is open, takes the finish lock, and cancels this process's lock waits on Ctrl-C.
 */
export class RunSession {
  /** the connection went away (a server restart, a terminated backend): its locks went with it */
  private lost = false;
  /** closed on purpose: its end is not a loss */
  private closed = false;
  /** the reconnection under way after a loss (the run lock taken again), if any */
  private relocking: Promise<void> | null = null;
  /** how this session holds the run lock: shared (bulk loads, cooperating) or exclusive (gen live, alone) */
  private runLock: 'shared' | 'exclusive' = 'shared';

  private constructor(
    private client: pg.Client,
    private readonly url: string,
    private readonly schema: string,
  ) {
    this.watch();
  }

  static async open(url: string, schema: string): Promise<RunSession> {
    return new RunSession(await RunSession.connect(url), url, schema);
  }

  /**
   * The session sits idle for the whole load while it holds the run lock: a server's idle_session_timeout
   * would end it (and free the lock for a --reset), so it is off on this connection.
   */
  private static async connect(url: string): Promise<pg.Client> {
    const client = await connect(url);
    await client.query('SET idle_session_timeout = 0').catch(async (e: unknown) => {
      await client.end().catch(() => undefined);
      throw e;
    });
    return client;
  }

  private watch(): void {
    // lost: no crash here; the run lock is taken again at once on a new connection (eagerly, so that a
    // --reset is refused again as soon as the server is back), else at the next use
    const lost = (): void => {
      if (this.closed || this.lost) return;
      this.lost = true;
      this.relocking = this.reconnect().catch(() => undefined);
    };
    this.client.on('error', lost);
    this.client.on('end', lost);
  }

  private async reconnect(): Promise<void> {
    const client = await RunSession.connect(this.url);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.lost = false;
    this.watch();
    await this.lock(this.runLock === 'shared' ? 'pg_advisory_lock_shared' : 'pg_advisory_lock', 'run');
  }

  private async lock(sql: string, kind: KeyKind): Promise<boolean> {
    if (this.lost) {
      await this.relocking;
      // the eager reconnection failed (the server still away): try once more, or fail as the chunks do
      if (this.lost) await this.reconnect();
    }
    const r = await this.client.query<{ got: boolean | null }>(`select ${sql}($1::bigint) as got`, [
      lockKey(kind, this.schema),
    ]);
    return r.rows[0]?.got !== false; // void-returning functions read as null
  }

  /** polls a try-lock until it is ours (true) or the signal fires (false): a stop never waits on the server */
  private async poll(kind: KeyKind, signal: AbortSignal | undefined): Promise<boolean> {
    while (!(await this.lock('pg_try_advisory_lock', kind))) {
      if (signal?.aborted) return false;
      await sleep(POLL_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
      if (signal?.aborted) return false;
    }
    return true;
  }

  /**
   * `f` (claimSchema, prepareSchema, startRun) under the set-up lock; afterwards this session holds the run
   * lock, shared (bulk loads cooperate), or with `alone` exclusive for as long as it is open (gen live plays a
   * schema alone: no bulk load or second live run may share it). With `reset` (or `alone`) the run lock must be
   * free of every other process, or it is refused.
   */
  async setUp<T>(reset: boolean, f: () => Promise<T>, signal?: AbortSignal, alone = false): Promise<T> {
    if (!(await this.poll('setup', signal))) {
      throw new SetUpAborted('stopped while another gen process was setting the schema up');
    }
    let exclusive = false;
    try {
      if (reset || alone) {
        exclusive = await this.lock('pg_try_advisory_lock', 'run');
        if (!exclusive) throw runBusyError(this.schema, alone ? 'live' : 'reset');
      }
      if (alone) this.runLock = 'exclusive';
      // an exclusive holder without the set-up lock is a gen live playing the schema
      else if (!(await this.lock('pg_try_advisory_lock_shared', 'run')))
        throw runBusyError(this.schema, 'bulk');
      return await f();
    } finally {
      if (exclusive && !alone) await this.lock('pg_advisory_unlock', 'run');
      await this.lock('pg_advisory_unlock', 'setup');
    }
  }

  /** Cancel a statement of this process on another connection (a chunk waiting for a lock, on Ctrl-C). */
  async cancel(pid: number): Promise<void> {
    // a fresh connection: this session's may be the one that was lost
    await cancelBackends(this.url, [pid]);
  }

  /**
   * Takes the finish lock as soon as no other process holds it (kept until close); false when the signal fired
   * first. Polled rather than waited for, so that a stop does not have to cancel this session's statement.
   */
  async finishing(signal: AbortSignal | undefined): Promise<boolean> {
    return this.poll('finish', signal);
  }

  /** Ends the session and with it the run lock and the finish lock. */
  async close(): Promise<void> {
    this.closed = true;
    await this.relocking;
    await this.client.end().catch(() => undefined);
  }
}
