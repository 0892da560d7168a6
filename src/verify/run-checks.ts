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

const COUNT_COLUMN = 'offending_rows';

/**
 * Runs each check, in order, as `SELECT count(*) OVER (), * FROM (<check>) LIMIT n`: the number of offending
 * rows and the first few, in one round trip. TimeZone is UTC meanwhile (samples and printed partition bounds
 * read the same wherever the server is) and set back afterwards.
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
      const res = await client
        .query<Record<string, unknown>>(
          `SELECT count(*) OVER () AS ${COUNT_COLUMN}, x.* FROM (${c.sql}) x LIMIT ${Math.max(1, keep)}`,
          c.params,
        )
        .catch((e: unknown) => {
          throw new Error(`integrity check ${c.name}: ${e instanceof Error ? e.message : String(e)}`, {
            cause: e,
          });
        });
      const first = res.rows[0];
      const offending = first === undefined ? 0 : Number(first[COUNT_COLUMN]);
      const sample = res.rows.slice(0, keep).map(({ [COUNT_COLUMN]: _n, ...row }) => row);
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
