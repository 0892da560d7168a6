/** Runs integrity checks: each check's offending row count, and the first few rows of a failing one. */
import type pg from 'pg';
import { connect } from '../db/connection.js';
import { ONE_PASS_SETTINGS } from '../db/one-pass.js';
import type { IntegrityCheck } from './check.js';

export interface IntegrityResult {
  name: string;
  description: string;
  ok: boolean;
  /** number of rows the check returned */
  offending: number;
  /** the first few of them */
  sample: Record<string, unknown>[];
  ms: number;
}

export interface IntegrityRunOptions {
  /** offending rows kept per failing check (default 5) */
  sample?: number;
  /** called after each check, for progress output */
  onCheck?: (r: IntegrityResult) => void;
}

export const DEFAULT_SAMPLE = 5;

/**
 * work_mem of a verify connection. The checks hash and sort whole tables (millions of rows); at the server's
 * default 4 MB a hash join or an EXCEPT ALL spills to disk in many batches, or the planner falls back to sorts
 * and merge joins. It is a per-node limit of one session (issue 9 §3), set with SET, never in the server's config.
 */
export const CHECK_WORK_MEM = '64MB';

/**
 * No parallel workers for a check: the runner already keeps `jobs` checks running at once (4 by default, on
 * `jobs` connections) while gen verify's chunk phase reads on as many more, so every core is busy and a Gather's
 * workers only add their partial aggregates, tuple queues and startup to the same cores. Measured on a
 * black-friday 24 h schema on the embedded 18, 2 cores, the 89 checks at 4 connections: 86.9 s of machine CPU
 * with the server's default of 2 workers per Gather, 61.0 s without; the whole gen verify 59.0/62.4/58.7 s ->
 * 48.9/55.9/50.5 s (4 December 2026). More connections (--jobs) is the way to use more cores.
 */
const CHECK_PARALLEL_WORKERS = 'max_parallel_workers_per_gather = 0';

/**
 * A verify connection's settings: the checks' work_mem, no parallel workers, and the one-pass planner settings
 * (src/db/one-pass.ts).
 */
const CHECK_SETTINGS = [
  `SET work_mem = '${CHECK_WORK_MEM}'`,
  `SET ${CHECK_PARALLEL_WORKERS}`,
  ...ONE_PASS_SETTINGS.map((s) => `SET ${s}`),
];

/**
 * The query that counts a check's offending rows, as the runner runs it. Without a LIMIT: a LIMIT makes the
 * planner favour a nested loop that probes an index per row (minutes on a few million rows), where the count
 * runs as one hash anti-join or aggregate. test/integration/check-plans.test.ts EXPLAINs exactly this.
 */
export function countSql(c: IntegrityCheck): string {
  return `SELECT count(*) AS n FROM (${c.sql}) x`;
}

/** One check on a connection whose TimeZone is UTC: the count, then, for a failing check only, a sample. */
async function runOne(client: pg.ClientBase, c: IntegrityCheck, keep: number): Promise<IntegrityResult> {
  const t0 = performance.now();
  const fail = (e: unknown): never => {
    throw new Error(`integrity check ${c.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  };
  const counted = await client.query<{ n: string }>(countSql(c), c.params).catch(fail);
  const offending = Number(counted.rows[0]?.n ?? 0);
  // the offending rows themselves only for a check that fails
  const sample =
    offending > 0 && keep > 0
      ? (
          await client
            .query<Record<string, unknown>>(`SELECT * FROM (${c.sql}) x LIMIT ${keep}`, c.params)
            .catch(fail)
        ).rows
      : [];
  return {
    name: c.name,
    description: c.description,
    ok: offending === 0,
    offending,
    sample,
    ms: performance.now() - t0,
  };
}

const keepOf = (opts: IntegrityRunOptions): number => Math.max(0, Math.floor(opts.sample ?? DEFAULT_SAMPLE));

/**
 * Runs each check, in order, on the caller's connection (inside its transaction, if it has one).
 * TimeZone is UTC meanwhile (samples and printed partition bounds read the same wherever the server is) and
 * set back afterwards.
 */
export async function runIntegrityChecks(
  client: pg.ClientBase,
  checks: readonly IntegrityCheck[],
  opts: IntegrityRunOptions = {},
): Promise<IntegrityResult[]> {
  const keep = keepOf(opts);
  const prev = await client.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`);
  const prevTz = prev.rows[0]?.tz;
  if (prevTz === undefined) throw new Error('internal: current_setting(TimeZone) returned no row');
  await client.query(`SET TimeZone = 'UTC'`);
  const results: IntegrityResult[] = [];
  let failed = false;
  try {
    for (const c of checks) {
      const r = await runOne(client, c, keep);
      results.push(r);
      opts.onCheck?.(r);
    }
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // After a failed check inside the caller's transaction, every statement fails until its rollback (which
    // undoes the SET anyway): then the check's error is the one to report, not this one.
    await client.query(`SELECT set_config('TimeZone', $1, false)`, [prevTz]).catch((e: unknown) => {
      if (!failed) throw e;
    });
  }
  return results;
}

export interface ConcurrentRunOptions extends IntegrityRunOptions {
  /** connections, each running one check at a time */
  jobs: number;
  /** called when a check starts, for progress output */
  onStart?: (c: IntegrityCheck) => void;
  /** Ctrl-C/SIGTERM: the running checks are cancelled and their connections closed (they only read) */
  signal?: AbortSignal;
}

/**
 * Runs the checks on `jobs` connections of their own at once (they only read), each taking the next check
 * of the list when it is done: the results in the order of `checks`. Each connection runs in UTC with
 * {@link CHECK_WORK_MEM}. The first error stops every connection from taking another check and is thrown.
 */
export async function runIntegrityChecksConcurrently(
  url: string,
  checks: readonly IntegrityCheck[],
  opts: ConcurrentRunOptions,
): Promise<IntegrityResult[]> {
  const keep = keepOf(opts);
  const results: IntegrityResult[] = new Array(checks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    const client = await connect(url, opts.signal ? { signal: opts.signal } : {});
    try {
      await client.query(`SET TimeZone = 'UTC'`);
      for (const sql of CHECK_SETTINGS) await client.query(sql);
      while (failure === undefined && next < checks.length) {
        const i = next++;
        const c = checks[i] as IntegrityCheck;
        opts.onStart?.(c);
        const r = await runOne(client, c, keep);
        results[i] = r;
        opts.onCheck?.(r);
      }
    } catch (e) {
      failure ??= { error: e };
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const n = Math.max(1, Math.min(Math.floor(opts.jobs), checks.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
