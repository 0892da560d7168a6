/**
 * What the catalog says about a table's partitions: its leaves and the event_time range each can hold,
 * read from pg_class / pg_inherits / pg_get_expr(relpartbound). The pruning claims of the query suite are
 * computed from these bounds, never from the layout the generator happens to create today: the same
 * queries must be judged fairly on hourly, daily or unpartitioned tables.
 */
import type pg from 'pg';

/** A half-open range [from, to) of epoch milliseconds; ±Infinity for MINVALUE / MAXVALUE. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface Leaf {
  /** relation name, unquoted (what EXPLAIN prints as "Relation Name") */
  name: string;
  /** the event_time values the leaf can hold, after intersecting the bounds of every ancestor */
  range: TimeRange;
  /** a DEFAULT partition (at its own level): holds whatever its siblings do not */
  isDefault: boolean;
  /** for a default leaf: the ranges its siblings cover, which it cannot hold */
  siblings: TimeRange[];
}

export interface TablePartitions {
  table: string;
  /** 'partitioned' (relkind p) or 'plain' (relkind r: counts as one partition) */
  kind: 'partitioned' | 'plain';
  leaves: Leaf[];
}

export type Catalog = Map<string, TablePartitions>;

interface Row {
  oid: number;
  parent: number | null;
  relname: string;
  relkind: string;
  is_default: boolean;
  lo: number | null;
  hi: number | null;
  /** the partition key of the parent, e.g. 'RANGE (event_time)' */
  parent_key: string | null;
}

const ALL: TimeRange = { from: -Infinity, to: Infinity };

/**
 * The partition tree of each named table in `schema`. Bounds are cast back to timestamptz in the same
 * session that printed them, so the session's TimeZone and DateStyle cannot change their meaning.
 */
export async function readCatalog(
  client: pg.ClientBase,
  schema: string,
  tables: readonly string[],
): Promise<Catalog> {
  const res = await client.query<Row>(
    `WITH RECURSIVE tree AS (
       SELECT c.oid, NULL::oid AS parent, c.relname::text AS root
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p')
       UNION ALL
       SELECT i.inhrelid, i.inhparent, t.root
       FROM tree t JOIN pg_inherits i ON i.inhparent = t.oid
     ), bounds AS (
       SELECT t.oid, t.parent, t.root, c.relname::text AS relname, c.relkind::text AS relkind,
              pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM tree t JOIN pg_class c ON c.oid = t.oid
     )
     SELECT b.oid::int8::float8 AS oid, b.parent::int8::float8 AS parent, b.relname, b.relkind,
            coalesce(b.bound = 'DEFAULT', false) AS is_default,
            (extract(epoch FROM (regexp_match(b.bound, $re$^FOR VALUES FROM \\('([^']*)'\\) TO$re$))[1]::timestamptz)
              * 1000)::float8 AS lo,
            (extract(epoch FROM (regexp_match(b.bound, $re$ TO \\('([^']*)'\\)$$re$))[1]::timestamptz)
              * 1000)::float8 AS hi,
            CASE WHEN b.parent IS NOT NULL THEN pg_get_partkeydef(b.parent) END AS parent_key,
            b.root
     FROM bounds b
     ORDER BY b.root, b.relname`,
    [schema, [...tables]],
  );
  const byOid = new Map<number, Row>();
  const children = new Map<number, Row[]>();
  for (const r of res.rows) {
    byOid.set(r.oid, r);
    if (r.parent !== null) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    }
  }
  // A bound only restricts event_time when the parent is range-partitioned on event_time alone; anything
  // else (another column, list or hash, several columns) is treated as "may hold any time".
  const ownRange = (r: Row): TimeRange =>
    r.parent_key === 'RANGE (event_time)' && !r.is_default
      ? { from: r.lo ?? -Infinity, to: r.hi ?? Infinity }
      : ALL;
  const catalog: Catalog = new Map();
  for (const root of res.rows.filter((r) => r.parent === null)) {
    const leaves: Leaf[] = [];
    const walk = (r: Row, range: TimeRange): void => {
      const kids = children.get(r.oid) ?? [];
      if (r.relkind !== 'p' || kids.length === 0) {
        if (r.relkind !== 'p') leaves.push(leafOf(r, range, byOid, children));
        return;
      }
      for (const k of kids) walk(k, intersect(range, ownRange(k)));
    };
    walk(root, ALL);
    catalog.set(root.relname, {
      table: root.relname,
      kind: root.relkind === 'p' ? 'partitioned' : 'plain',
      leaves,
    });
  }
  const missing = tables.filter((t) => !catalog.has(t));
  if (missing.length > 0) {
    throw new Error(`schema ${schema} has no table ${missing.join(', ')}`);
  }
  return catalog;
}

function leafOf(r: Row, range: TimeRange, byOid: Map<number, Row>, children: Map<number, Row[]>): Leaf {
  // Siblings only say what the default cannot hold when they are ranges of event_time.
  const siblings =
    r.is_default && r.parent !== null && r.parent_key === 'RANGE (event_time)' && byOid.has(r.parent)
      ? (children.get(r.parent) ?? [])
          .filter((s) => !s.is_default)
          .map((s) => ({ from: s.lo ?? -Infinity, to: s.hi ?? Infinity }))
      : [];
  return { name: r.relname, range, isDefault: r.is_default, siblings };
}

function intersect(a: TimeRange, b: TimeRange): TimeRange {
  return { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
}

/** Whether `r` lies entirely inside the union of `cover`. */
function covered(r: TimeRange, cover: TimeRange[]): boolean {
  let at = r.from;
  for (const c of [...cover].sort((x, y) => x.from - y.from)) {
    if (c.from > at) break;
    if (c.to > at) at = c.to;
    if (at >= r.to) return true;
  }
  return at >= r.to;
}

/**
 * The leaves of a table that a query reading `range` of event_time has to scan; `null` = no time predicate,
 * every leaf. A DEFAULT partition is needed when part of the range is not covered by its siblings (that is
 * how Postgres prunes it, at plan time and at run time alike).
 */
export function leavesFor(t: TablePartitions, range: TimeRange | null): Leaf[] {
  if (range === null) return t.leaves;
  return t.leaves.filter((l) => {
    const r = intersect(range, l.range);
    if (r.from >= r.to) return false;
    return !l.isDefault || !covered(r, l.siblings);
  });
}
