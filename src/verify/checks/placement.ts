/** Placement: every row in the right partition, with the right partition_key, inside the loaded window. */
import { type Granularity, TABLES, type Table } from '../../model/tables.js';
import { bucketOf, type CheckDef, STEP } from '../check.js';

/** The same query over every table, as one UNION ALL. */
export const everyTable = (row: (t: Table) => string): string => TABLES.map(row).join('\nUNION ALL\n');

/** One bound of `FOR VALUES FROM (...) TO (...)` as pg_get_expr prints it, back to a timestamptz. */
const boundValue = (x: string): string =>
  `CASE ${x} WHEN 'MINVALUE' THEN '-infinity' WHEN 'MAXVALUE' THEN 'infinity' ELSE btrim(${x}, '''') END::timestamptz`;
const RANGE_BOUND = String.raw`^FOR VALUES FROM \(([^)]+)\) TO \(([^)]+)\)$`;

/** partition_key's format per granularity, as to_char writes it from the UTC time */
const KEY_FORMAT: Record<Granularity, string> = { hour: `'YYYY-MM-DD"T"HH24":00:00"'`, day: `'YYYY-MM-DD'` };
const keyOf = (utc: string, g: Granularity): string => `to_char(${utc} AT TIME ZONE 'UTC', ${KEY_FORMAT[g]})`;
/** the CTE of every bucket of granularity g from the window's first bucket to its end, with its key */
const KEYS = (g: Granularity): string => `keys_${g}`;

/**
 * The expected key of each row is looked up by its bucket (date_bin, cheap) in a table of the window's buckets
 * with their keys (MATERIALIZED: inlined, to_char runs per row again); a row outside the window gets it from
 * to_char. to_char per row was nearly all this check's time: black-friday `--scale 5` 24 h, global_entity
 * (7.4M rows) alone: 7.8 s -> 1.3 s (embedded 18, 4 December 2026).
 */
const partitionKey: CheckDef = {
  name: 'partition-key',
  description: 'partition_key is not the UTC hour (daily tables: day) of event_time',
  sql: ({ T }) => {
    const keys = (['hour', 'day'] as const).map(
      (g) => `${KEYS(g)} AS MATERIALIZED (
         SELECT b, ${keyOf('b', g)} AS key
         FROM generate_series(${bucketOf('$1::timestamptz', g)}, $2::timestamptz, ${STEP[g]}) b)`,
    );
    return `WITH ${keys.join(', ')}
    ${everyTable((t) => {
      const g = t.granularity;
      const expected = `coalesce(k.key, ${keyOf('x.event_time', g)})`;
      return `SELECT '${t.name}' AS tbl, x.${t.idColumn} AS id, x.event_time, x.partition_key, ${expected} AS expected_key
              FROM ${T(t.name)} x LEFT JOIN ${KEYS(g)} k ON k.b = ${bucketOf('x.event_time', g)}
              WHERE x.partition_key IS DISTINCT FROM ${expected}`;
    })}`;
  },
  params: ({ start, end }) => [start, end],
  // each row judged alone
  needsWhole: [],
};

// Postgres routes rows by the catalog's bounds, so this only fails when the catalog and the data disagree;
// it does not care what the leaves are called or how fine they are. Only RANGE (event_time) levels have
// bounds to compare with (pg_partition_ancestors: the leaf and every partitioned level above it).
const leafBounds: CheckDef = {
  name: 'leaf-bounds',
  description: 'a leaf partition holds rows outside the event_time bounds the catalog gives it',
  sql: ({ T }) => `WITH leaves AS (
       ${everyTable(
         (t) => `SELECT '${t.name}' AS tbl, tableoid AS leaf, count(*) AS n,
                        min(event_time) AS min_time, max(event_time) AS max_time
                 FROM ${T(t.name)} GROUP BY tableoid`,
       )}
     ), ours AS MATERIALIZED (
       -- the catalog rows of this schema's leaves and their ancestors only, fixed before any pg_get_* call:
       -- pushed down to a scan of the whole catalog, those would open relations other sessions are dropping
       -- ("could not open relation with OID")
       SELECT l.leaf, c.oid, c.relpartbound, i.inhparent
       FROM (SELECT DISTINCT leaf FROM leaves) l
       CROSS JOIN LATERAL pg_partition_ancestors(l.leaf) a
       JOIN pg_class c ON c.oid = a.relid
       JOIN pg_inherits i ON i.inhrelid = c.oid
     ), bounds AS (
       SELECT o.leaf, max(${boundValue('r.m[1]')}) AS from_ts, min(${boundValue('r.m[2]')}) AS to_ts
       FROM ours o
       CROSS JOIN LATERAL (SELECT regexp_match(pg_get_expr(o.relpartbound, o.oid), $1) AS m) r
       WHERE r.m IS NOT NULL AND pg_get_partkeydef(o.inhparent) = 'RANGE (event_time)'
       GROUP BY o.leaf
     )
     SELECT l.tbl, l.leaf::regclass::text AS leaf, l.n, l.min_time, l.max_time, b.from_ts, b.to_ts
     FROM leaves l JOIN bounds b USING (leaf)
     WHERE l.min_time < b.from_ts OR l.max_time >= b.to_ts
     ORDER BY 1, 2`,
  params: () => [RANGE_BOUND],
  needsWhole: [],
};

/** the first time a row of table t may have: a metric row's bucket starts at or before the window start */
const windowFrom = (t: Table): string =>
  t.bucket !== undefined ? bucketOf('$1::timestamptz', t.bucket) : '$1::timestamptz';

const inWindow: CheckDef = {
  name: 'window',
  description: 'event_time outside the loaded window (a metric row: its bucket outside it)',
  sql: ({ T }) =>
    everyTable(
      (t) => `SELECT '${t.name}' AS tbl, ${t.idColumn} AS id, event_time FROM ${T(t.name)}
              WHERE event_time < ${windowFrom(t)} OR event_time >= $2::timestamptz`,
    ),
  params: ({ start, end }) => [start, end],
  needsWhole: [],
};

export const PLACEMENT: CheckDef[] = [partitionKey, leafBounds, inWindow];
