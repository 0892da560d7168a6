/**
 * Partition naming and bounds, pg_partman 5 style: `<table>_pYYYYMMDD_HH24MISS` for hourly partitions,
 * `<table>_pYYYYMMDD` for daily ones. Bounds and partition_key values are in UTC.
 */
import { DAY_MS, HOUR_MS } from '../time-units.js';
import type { Granularity, Table } from './tables.js';

export { DAY_MS, HOUR_MS };

export interface Partition {
  table: Table;
  /** leaf table name, unquoted */
  name: string;
  /** inclusive lower bound, epoch ms */
  from: number;
  /** exclusive upper bound, epoch ms */
  to: number;
  /** the partition_key value of every row in it */
  key: string;
}

/**
 * A unit of generation and loading: one table's rows of one partition of the window, or one slice of them (a
 * population chunk too big for one COPY, cut by entity range: src/generate/slices.ts).
 */
export interface Chunk {
  partition: Partition;
  /** stable order of chunks: hour-major, so a load fills the window front to back */
  order: number;
  /** absent: the whole partition's rows */
  slice?: Slice;
}

/** Slice `index` (0-based) of `of`: together the slices of a partition hold its rows, each exactly once. */
export interface Slice {
  index: number;
  of: number;
}

/**
 * A chunk's name in the load ledger, its lock and reports: the partition's name, and for a slice `#i/n`
 * after it (1-based), as in `global_entity_p20261127_000000#2/10`.
 */
export function chunkName(c: Chunk): string {
  return c.slice === undefined
    ? c.partition.name
    : `${c.partition.name}${SLICE_MARK}${c.slice.index + 1}/${c.slice.of}`;
}

/** What separates a slice's partition from its number in chunkName (partition names never hold it). */
export const SLICE_MARK = '#';

/** The partition of a chunk name: the name itself, or the part before SLICE_MARK of a slice's. */
export function partitionOfChunk(name: string): string {
  const i = name.indexOf(SLICE_MARK);
  return i < 0 ? name : name.slice(0, i);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function partitionKey(ms: number, g: Granularity): string {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return g === 'day' ? day : `${day}T${pad2(d.getUTCHours())}:00:00`;
}

export function partitionSuffix(ms: number, g: Granularity): string {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
  return g === 'day' ? `p${day}` : `p${day}_${pad2(d.getUTCHours())}0000`;
}

export function floorTo(ms: number, g: Granularity): number {
  const step = g === 'day' ? DAY_MS : HOUR_MS;
  return Math.floor(ms / step) * step;
}

/** The partitions of one table that cover [start, start + hours h). */
export function partitionsFor(t: Table, start: number, hours: number): Partition[] {
  const step = t.granularity === 'day' ? DAY_MS : HOUR_MS;
  const end = start + hours * HOUR_MS;
  const out: Partition[] = [];
  // no hours, no partitions: from a start inside a day the day's partition began before it, and gen live's
  // tables-only set-up (hours 0) made the daily tables' first partitions untimed, out of the maintenance report
  if (hours <= 0) return out;
  for (let from = floorTo(start, t.granularity); from < end; from += step) {
    out.push({
      table: t,
      name: `${t.name}_${partitionSuffix(from, t.granularity)}`,
      from,
      to: from + step,
      key: partitionKey(from, t.granularity),
    });
  }
  return out;
}

/** Postgres timestamptz literal for a bound, unambiguous in any session time zone. */
export function sqlTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('.000Z', '')}+00`;
}
