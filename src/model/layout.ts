/**
 * Partition layouts: how the same tables (and the same generated rows) are laid out in Postgres, so that
 * `gen bench` can compare them side by side. The document's layout (`hourly`: hourly partitions for
 * operational tables, daily for metric tables) is the default everywhere.
 */

import { HOUR_MS } from '../time-units.js';
import { type Chunk, type Partition, partitionsFor } from './partitions.js';
import { perTable, TABLES, type TableName, table } from './tables.js';

export type LayoutGranularity = 'hour' | 'day' | 'none';

export interface LayoutIndex {
  table: TableName;
  columns: string[];
}

export interface Layout {
  name: string;
  /** partitioning of each table: hourly, daily, or not partitioned at all */
  granularity: Record<TableName, LayoutGranularity>;
  /** COPY each chunk straight into its leaf partition, or through the parent (tuple routing) */
  route: 'leaf' | 'parent';
  /**
   * `gen live`'s INSERTs: through the parent unless a layout file set `route` (then that route): an
   * application inserts through the parent, and tuple routing is part of what a layout costs.
   */
  liveRoute?: 'leaf' | 'parent';
  /** secondary indexes created before loading (on a partitioned parent: on every partition) */
  indexes: LayoutIndex[];
  /**
   * FOREIGN KEY constraints for the model's references, added after the load (the way bulk loads are done)
   * and timed. Postgres requires the referenced columns to be unique: on a partitioned table a unique key must
   * contain the partition key, so references into partitioned tables cannot be constraints; only
   * references into unpartitioned tables (layout granularity 'none') get one.
   */
  foreignKeys: boolean;
}

/**
 * The data model's "optimized indexes for common queries" of GlobalEntity: id resolution (a bare id, no
 * event_time: the primary key (event_time, entity_id) leads with the time, so without this every leaf is
 * read whole) and lookups by type and time. Every built-in layout has them, so that `gen bench` compares
 * partitionings with the same indexes; a layout file without them: `indexes: []`.
 */
const MODEL_INDEXES: readonly LayoutIndex[] = [
  { table: 'global_entity', columns: ['entity_id'] },
  { table: 'global_entity', columns: ['entity_type', 'event_time'] },
];
const modelIndexes = (): LayoutIndex[] => MODEL_INDEXES.map((ix) => ({ ...ix, columns: [...ix.columns] }));

const all = (g: (name: TableName) => LayoutGranularity): Record<TableName, LayoutGranularity> => perTable(g);

export const DEFAULT_LAYOUT: Layout = {
  name: 'hourly',
  granularity: perTable((name) => table(name).granularity),
  route: 'leaf',
  indexes: modelIndexes(),
  foreignKeys: false,
};

export const DAILY_LAYOUT: Layout = {
  name: 'daily',
  granularity: all(() => 'day'),
  route: 'leaf',
  indexes: modelIndexes(),
  foreignKeys: false,
};

export const UNPARTITIONED_LAYOUT: Layout = {
  name: 'none',
  granularity: all(() => 'none'),
  route: 'leaf',
  indexes: modelIndexes(),
  foreignKeys: false,
};

export const BUILTIN_LAYOUTS: Record<string, Layout> = {
  hourly: DEFAULT_LAYOUT,
  daily: DAILY_LAYOUT,
  none: UNPARTITIONED_LAYOUT,
};

export function isPartitioned(layout: Layout, table: TableName): boolean {
  return layout.granularity[table] !== 'none';
}

/** The leaf partitions of a layout for a window (none for unpartitioned tables). */
export function layoutPartitions(layout: Layout, start: number, hours: number): Partition[] {
  return TABLES.flatMap((t) => {
    const g = layout.granularity[t.name];
    return g === 'none' ? [] : partitionsFor({ ...t, granularity: g }, start, hours);
  });
}

/**
 * Where a chunk's COPY goes: its leaf partition when the layout has one that holds the whole chunk, else the
 * parent (tuple routing), which is also what `route: parent` asks for.
 */
export function copyTarget(layout: Layout, chunk: Chunk): string {
  const t = chunk.partition.table;
  const g = layout.granularity[t.name];
  if (g === 'none' || layout.route === 'parent') return t.name;
  const leaves = partitionsFor({ ...t, granularity: g }, chunk.partition.from, 1);
  const leaf = leaves[0];
  return leaf && leaf.from <= chunk.partition.from && chunk.partition.to <= leaf.to ? leaf.name : t.name;
}

/**
 * The layout's partitions a chunk's rows are in (its leaves, whatever the route), or its table when
 * unpartitioned: one for a chunk inside a leaf; several when the layout cuts finer than the generator (a metric
 * table's day made hourly by a layout file), only those within the window [start, end) (the ones a load makes).
 */
export function layoutPartitionsOf(layout: Layout, chunk: Chunk, start: number, end: number): string[] {
  const t = chunk.partition.table;
  const g = layout.granularity[t.name];
  if (g === 'none') return [t.name];
  const from = Math.max(chunk.partition.from, start);
  const to = Math.min(chunk.partition.to, end);
  const hours = Math.max(1, Math.ceil((to - from) / HOUR_MS));
  return partitionsFor({ ...t, granularity: g }, from, hours).map((p) => p.name);
}

/** The model's references whose target table is unpartitioned in this layout: the ones that can be constraints. */
export function constrainableReferences(
  layout: Layout,
): { table: TableName; column: string; target: TableName }[] {
  const out: { table: TableName; column: string; target: TableName }[] = [];
  for (const t of TABLES) {
    for (const c of t.columns) {
      if (c.references && !isPartitioned(layout, c.references))
        out.push({ table: t.name, column: c.name, target: c.references });
    }
  }
  return out;
}

/**
 * The most partitions `gen` creates for one load (issue 9 §4). Creating them is catalog work, a few ms of
 * server CPU each and growing with the count, plus an fsync per new index on PostgreSQL ≤16; measured
 * (bench/RESULTS.md, "Long windows"): 90 days of the hourly layout (32,940 partitions) take 76-123 s on 15 and
 * 105-143 s on the embedded 18 on an idle 2-core machine (6 minutes on 18 before its NOT NULLs and keys came
 * after the partitions). Past this a window is refused before anything is written, naming a layout that
 * fits.
 */
export const MAX_PARTITIONS = 36_000;

/** Why `layout` cannot hold `hours` from `start` (too many partitions, and a layout that fits), or undefined. */
export function partitionLimitProblem(layout: Layout, start: number, hours: number): string | undefined {
  const n = layoutPartitions(layout, start, hours).length;
  if (n <= MAX_PARTITIONS) return undefined;
  const fits = [DAILY_LAYOUT, UNPARTITIONED_LAYOUT].find(
    (l) => layoutPartitions(l, start, hours).length <= MAX_PARTITIONS,
  );
  const count = (k: number): string => k.toLocaleString('en-US');
  const alternative =
    fits === DAILY_LAYOUT
      ? `--layout daily (${count(layoutPartitions(DAILY_LAYOUT, start, hours).length)} partitions)`
      : '--layout none';
  return (
    `layout ${layout.name} makes ${count(n)} partitions of ${hours} hours, more than gen creates ` +
    `(at most ${count(MAX_PARTITIONS)}); use ${alternative}, or a layout file with daily partitions ` +
    `for more tables (see scenarios/layouts/README.md)`
  );
}
