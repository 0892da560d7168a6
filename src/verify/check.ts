/**
 * What an integrity check is, and the SQL pieces the checks share. A check is a query whose rows are the
 * violations of one invariant the generator promises (no rows: the check passes).
 *
 * The checks hold for any scenario, any window and any partition layout (hourly, daily, unpartitioned):
 * placement is judged against the partition bounds the catalog holds, never against the names or the layout
 * the generator would create today. The load ledger's bookkeeping tables (_gen_run, _gen_ledger,
 * src/load/ledger.ts) share the schema; no check reads them.
 */
import { planEnd } from '../generate/index.js';
import { qualified } from '../model/ddl.js';
import type { Granularity, TableName } from '../model/tables.js';

/** The window the schema was loaded for, as the load recorded it. */
export interface IntegrityWindow {
  /** epoch ms of the first hour (hour-aligned, not necessarily day-aligned) */
  start: number;
  hours: number;
}

/** What a check's SQL is written against: the schema's tables and the loaded window. */
export interface CheckContext {
  /** the schema-qualified, quoted name of a table */
  T: (name: TableName) => string;
  /** window start and end as ISO timestamps (query parameters) */
  start: string;
  end: string;
}

/** One named check, before it is bound to a schema and a window. */
export interface CheckDef {
  /** stable and short, for reports and for picking checks: 'order-totals', 'reference:shop_order.user_id' */
  name: string;
  /** what an offending row means, in a sentence */
  description: string;
  /** a query whose rows are the violations */
  sql: (ctx: CheckContext) => string;
  /** the values of its $1, $2, ... (none when absent) */
  params?: (ctx: CheckContext) => unknown[];
  /**
   * The tables it must read whole to be right; of the others it reads, it judges each row that is there, and a
   * row missing is a violation fewer (a reference: the referring table may be a part, the referred one not).
   * Default: every table its SQL or its parameters name. What lets a check run on a schema of which a part was
   * retired (gen live --retention): it runs when none of these lost rows.
   */
  needsWhole?: readonly TableName[];
  /**
   * Tables of needsWhole whose rows it matches only with rows of the same event_time (an order and its items, which
   * a checkout writes at one time): it holds too when all of these were retired up to the same time (every row
   * before it gone, every row after it there), and no other table it needs whole lost rows.
   */
  sameTime?: readonly TableName[];
}

/** A check bound to a schema and a window: what the runner executes. */
export interface IntegrityCheck {
  name: string;
  description: string;
  sql: string;
  params: unknown[];
}

export function checkContext(schema: string, w: IntegrityWindow): CheckContext {
  return {
    T: (name) => qualified(schema, name),
    start: new Date(w.start).toISOString(),
    end: new Date(planEnd(w)).toISOString(),
  };
}

export const STEP: Record<Granularity, string> = { hour: "interval '1 hour'", day: "interval '1 day'" };

/** A UTC time bucket of a timestamptz expression, independent of the session time zone. */
export function bucketOf(expr: string, g: Granularity): string {
  return `date_bin(${STEP[g]}, ${expr}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
}
export const H = (expr: string): string => bucketOf(expr, 'hour');
export const D = (expr: string): string => bucketOf(expr, 'day');

/**
 * Multiset difference both ways between two queries with the same columns, named `columns` here in order (each
 * query's own names do not matter): one row per difference, with a first column `side` saying which query has
 * the row. Sorted by default by the second and third column (the entity and its bucket in the metric checks),
 * so the two versions of a wrong row come out together.
 *
 * The rows of `expected EXCEPT ALL actual` and of `actual EXCEPT ALL expected`, in one pass: every row of both
 * counted +1 / -1 in one aggregation, and a row whose count is not 0 repeated |count| times on its side.
 * PostgreSQL plans the two EXCEPT ALLs as two set operations over both inputs, each input materialized once
 * (measured on the registry check of a black-friday `--scale 5` 24 h schema on the embedded 18, alone: 40.9 s
 * as two EXCEPT ALLs, 21.9 s aggregated). NULLs group together, as EXCEPT compares them.
 */
export function exceptBoth(
  columns: readonly string[],
  expected: string,
  actual: string,
  orderBy = '2, 3, 1',
): string {
  const cols = columns.join(', ');
  return `SELECT CASE WHEN copies > 0 THEN 'expected, not loaded' ELSE 'loaded, not expected' END AS side, ${cols}
  FROM (
    SELECT ${cols}, copies, generate_series(1, abs(copies)) AS copy FROM (
      SELECT ${cols}, sum(copies) AS copies FROM (
        SELECT *, 1 AS copies FROM (${expected}) e(${cols})
        UNION ALL
        SELECT *, -1 FROM (${actual}) a(${cols})
      ) u GROUP BY ${cols} HAVING sum(copies) <> 0
    ) d
  ) x ORDER BY ${orderBy}`;
}
