/**
 * Shared pieces of the integration checks: the model-derived lists the SQL checks iterate over, and a
 * helper that runs a query returning offending rows and fails with a readable message when there are any.
 */
import type pg from 'pg';
import { expect } from 'vitest';
import { qualified } from '../../src/model/ddl.js';
import { type Column, TABLES, type Table, type TableName, table } from '../../src/model/tables.js';

/** A reference column of the model: `table.column` holds the id of a row of `target`. */
export interface Reference {
  table: Table;
  column: string;
  target: Table;
}

/** Every column marked `references` in src/model/tables.ts, in model order. */
export function referenceColumns(): Reference[] {
  return TABLES.flatMap((t) =>
    t.columns
      .filter((c): c is Column & { references: TableName } => c.references !== undefined)
      .map((c) => ({ table: t, column: c.name, target: table(c.references) })),
  );
}

/** The entity tables and the entity_type their rows carry in global_entity (users -> 'user'). */
export function entityTables(): { table: Table; entityType: string }[] {
  return TABLES.filter((t) => t.kind === 'entity').map((t) => ({
    table: t,
    entityType: t.name === 'users' ? 'user' : t.name,
  }));
}

const HEAD_TAIL = new Set(['id', 'event_time', 'partition_key', 'created_time', 'updated_time']);

/** The value columns of a metric table: neither head/tail columns, nor jsonb, nor reference columns. */
export function metricValueColumns(t: Table): Column[] {
  return t.columns.filter((c) => !HEAD_TAIL.has(c.name) && c.type !== 'jsonb' && c.references === undefined);
}

/** The column type of `table.column` as SQL, for casting a recomputed value to what the table stores. */
export function sqlType(t: TableName, column: string): string {
  const c = table(t).columns.find((x) => x.name === column);
  if (!c) throw new Error(`no column ${t}.${column}`);
  return c.type;
}

/** A UTC time bucket of a timestamptz expression, independent of the session time zone. */
export function bucketOf(expr: string, g: 'hour' | 'day'): string {
  return `date_bin('1 ${g}', ${expr}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
}

/** Qualified names in one schema: `q('users')` -> `"schema"."users"`. */
export function inSchema(schema: string): (name: TableName) => string {
  return (name) => qualified(schema, name);
}

/**
 * Multiset difference both ways between two queries with the same columns: one row per difference,
 * with a first column `side` saying which query has the row. Sorted by default by the second and third
 * column (the entity and its bucket in the metric checks), so the two versions of a wrong row come out
 * together.
 */
export function exceptBoth(expected: string, actual: string, orderBy = '2, 3, 1'): string {
  return `WITH e AS (${expected}), a AS (${actual})
  SELECT * FROM (
    SELECT 'expected, not loaded' AS side, * FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) x
    UNION ALL
    SELECT 'loaded, not expected' AS side, * FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) y
  ) d ORDER BY ${orderBy}`;
}

const SHOWN = 5;

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/**
 * Runs `sql` (a query whose rows are violations) and expects none. On failure the message names the
 * check, the number of offending rows and the first few of them.
 */
export async function expectNoRows(
  db: pg.ClientBase,
  label: string,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  const res = await db.query<Record<string, unknown>>(
    `SELECT count(*) OVER () AS offending_rows, q.* FROM (${sql}) q LIMIT ${SHOWN}`,
    params,
  );
  const total = res.rows.length === 0 ? 0 : Number(res.rows[0]!.offending_rows);
  const sample = res.rows.map(({ offending_rows: _n, ...row }) => `  ${show(row)}`).join('\n');
  expect(total, `${label}: ${total} offending row(s), the first ${res.rows.length}:\n${sample}\n`).toBe(0);
}
