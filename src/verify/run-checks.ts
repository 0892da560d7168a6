/** Runs integrity checks on a connection: each check's offending row count and the first few rows. */
import type pg from 'pg';
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
 * Runs each check, in order: the number of offending rows, then, for a failing check only, the first few.
 * TimeZone is UTC meanwhile (samples and printed partition bounds read the same wherever the server is) and
 * set back afterwards.
 */
export async function runIntegrityChecks(
  client: pg.ClientBase,
  checks: readonly IntegrityCheck[],
  opts: IntegrityRunOptions = {},
): Promise<IntegrityResult[]> {
  const keep = Math.max(0, Math.floor(opts.sample ?? DEFAULT_SAMPLE));
  const prev = await client.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`);
  const prevTz = prev.rows[0]?.tz;
  if (prevTz === undefined) throw new Error('internal: current_setting(TimeZone) returned no row');
  await client.query(`SET TimeZone = 'UTC'`);
  const results: IntegrityResult[] = [];
  let failed = false;
  try {
    for (const c of checks) {
      const t0 = performance.now();
      const fail = (e: unknown): never => {
        throw new Error(`integrity check ${c.name}: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
        });
      };
      // Count first, without a LIMIT: a LIMIT makes the planner favour a nested loop that probes an index
      // per row (minutes on a few million rows), where the count runs as one hash anti-join or aggregate.
      const counted = await client
        .query<{ n: string }>(`SELECT count(*) AS n FROM (${c.sql}) x`, c.params)
        .catch(fail);
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
      const r: IntegrityResult = {
        name: c.name,
        description: c.description,
        ok: offending === 0,
        offending,
        sample,
        ms: performance.now() - t0,
      };
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
