/**
 * What a chunk generator needs: the plan, the pools, a CSV writer and small helpers that write the
 * columns every table shares. No I/O: chunks come out as Buffers.
 */
import type { ColumnType } from '../model/columns.js';
import type { Slice } from '../model/partitions.js';
import { BinaryWriter } from './binary-writer.js';
import { CsvWriter, csvField, type FixedField, fixedField, fixedFieldOf, pooledField } from './csv-writer.js';
import { uuidWords } from './keyed.js';
import type { Plan } from './plan.js';
import { mod } from './pool-index.js';
import { type Pools, poolsFor } from './pools.js';

/** id memo slots, by kind (a power of two above the largest kind in keyed.ts) */
const ID_MEMO_KINDS = 32;

/** A table's generator: the CSV rows of its chunk starting at window hour `firstHour`, as Buffers. */
export type ChunkGen = (ctx: Ctx, firstHour: number) => Generator<Buffer>;

export class Ctx {
  readonly plan: Plan;
  readonly pools: Pools;
  readonly w: CsvWriter;
  private readonly words = new Uint32Array(4);
  private readonly idKind = new Int32Array(ID_MEMO_KINDS).fill(-1);
  private readonly idHi = new Float64Array(ID_MEMO_KINDS);
  private readonly idLo = new Float64Array(ID_MEMO_KINDS);
  /** where the memoised id of each kind was written, and the writer's take count then (see CsvWriter.again) */
  private readonly idAt = new Int32Array(ID_MEMO_KINDS);
  private readonly idTakes = new Int32Array(ID_MEMO_KINDS).fill(-1);
  /**
   * the chunk's partition_key as a CSV field and the comma after it, written whole by head() (a TypedArray#set
   * call per row otherwise)
   */
  private partitionKeyComma: FixedField = fixedField(new Uint8Array([44]));
  /**
   * Rows as inserted (live mode, issue 7): each row that changes later shows its state at its own event_time
   * (a checkout pending, a product at its listing price and stock) instead of at the window end.
   */
  asInserted = false;
  /**
   * Hour 0's chunks of the population tables start with the population before the window (default). Live mode's
   * transactions leave them out (false): the snapshot loads them, so they are not generated to be dropped.
   */
  population = true;
  /** the chunk's slice of hour 0's population (./slices.ts); absent: all of it */
  slice: Slice | undefined = undefined;

  /** Whether this chunk writes its hour's rows that are not arrivals (orders...): a slice only when it is the last. */
  get restOfHour(): boolean {
    return this.slice === undefined || this.slice.index === this.slice.of - 1;
  }

  /** `binary`: the column types of the chunk's table, whose rows are then written as binary COPY tuples */
  constructor(
    plan: Plan,
    bufferSize?: number,
    reuse = false,
    alloc?: (size: number) => Buffer,
    binary?: readonly ColumnType[],
  ) {
    this.plan = plan;
    this.pools = poolsFor(plan.seed);
    this.w =
      binary === undefined
        ? new CsvWriter(bufferSize, reuse, alloc)
        : new BinaryWriter(binary, bufferSize, reuse, alloc);
  }

  setPartitionKey(key: string): void {
    this.partitionKeyComma = fixedField(Buffer.concat([csvField(key), Buffer.from(',')]));
  }

  /**
   * write the uuid of (kind, hi, lo), a reference to another row. The last id written per kind is copied from
   * where it was written: rows repeat their parents' ids (the order, user and shop of every item, payment and
   * API call).
   */
  id(kind: number, hi: number, lo: number): CsvWriter {
    const k = kind & (ID_MEMO_KINDS - 1);
    const w = this.w;
    if (!w.copies) {
      uuidWords(this.plan.uuidKeys, kind, hi, lo, this.words);
      return w.uuid(this.words);
    }
    if (this.idHi[k] === hi && this.idLo[k] === lo && this.idKind[k] === kind && this.idTakes[k] === w.takes)
      return w.again(this.idAt[k] ?? 0, 36);
    this.idKind[k] = kind;
    this.idHi[k] = hi;
    this.idLo[k] = lo;
    this.idTakes[k] = w.takes;
    this.idAt[k] = w.at;
    uuidWords(this.plan.uuidKeys, kind, hi, lo, this.words);
    return w.uuid(this.words);
  }

  /** write the uuid of the row itself (never repeated by the next rows: not memoised) */
  ownId(kind: number, hi: number, lo: number): CsvWriter {
    uuidWords(this.plan.uuidKeys, kind, hi, lo, this.words);
    return this.w.uuid(this.words);
  }

  /** own id, event_time, partition_key and the comma after them */
  head(kind: number, hi: number, lo: number, eventTime: number): CsvWriter {
    return this.ownId(kind, hi, lo).comma().ts(eventTime).comma().fixed(this.partitionKeyComma);
  }

  /**
   * What head() writes after the own id, for rows that share their event_time (a metric bucket's): written
   * whole with CsvWriter.fixed() after ownId()
   */
  afterOwnId(eventTime: number): FixedField {
    return fixedFieldOf((w) => w.comma().ts(eventTime).comma().fixed(this.partitionKeyComma));
  }

  /** created_time, updated_time, extra (already CSV-encoded), end of row */
  tail(created: number, updated: number, extra: Uint8Array): void {
    this.w.ts(created).comma().ts(updated).comma().field(extra).end();
  }
}

/**
 * jsonb's own text form: keys ordered by length then bytes, `": "` and `", "` separators. Written this way,
 * the bytes a load sends are the bytes `COPY ... TO` gives back (gen verify compares them).
 */
export function jsonbText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    keys.sort(keys.every(isAscii) ? asciiKeyOrder : jsonbKeyOrder);
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText((v as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/**
 * jsonb's key order: shorter first (UTF-8 length), then bytewise. ASCII keys (all of ours) compare as strings,
 * with the same result and no Buffer per comparison (two per comparison made jsonbText a cost of its own in
 * extras built per product entry and per price change); whether they are ASCII is checked once per object.
 */
function jsonbKeyOrder(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return asciiKeyOrder(a, b);
  return Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** jsonbKeyOrder of two ASCII keys */
function asciiKeyOrder(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** A value as a pooled CSV field (csv-writer.ts pooledField) in jsonb's text form: made once, picked by rows. */
export function jsonbField(v: unknown): Uint8Array {
  return pooledField(jsonbText(v));
}

/** Pre-encode small JSON objects as CSV fields, in jsonb's text form. */
export function jsonPool(objects: object[]): Uint8Array[] {
  return objects.map(jsonbField);
}

/** The CSV field of an empty jsonb object: the extra_data of most rows. */
export const EMPTY_JSON: Uint8Array = jsonbField({});

/**
 * Pick from a pool with a keyed uint32: pool[r mod pool.length], the remainder by mod() (a float division, not
 * the integer division V8 emits for `%` by a length it cannot see as a constant). An index known to be in range
 * is read with at() (src/at.ts): no division at all.
 */
export function pick<T>(pool: readonly T[], r: number): T {
  const v = pool[mod(r, pool.length)];
  // an empty pool is a bug in the pools, not in the row being written
  if (v === undefined) throw new Error(`internal: pick from an empty pool`);
  return v;
}
