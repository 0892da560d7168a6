/**
 * A business transaction ready for the wire (issue 7 §3): its statements chosen as the application sends them
 * (INSERTs per table of at most MAX_ROWS rows, in the model's table order, then the UPDATEs) and each statement's
 * Bind parameters already encoded (wire.ts ParamWriter: an INSERT's rows all in binary, transcoded from their CSV
 * lines; an UPDATE's uuids and timestamps in binary, the rest as text). The
 * dispatcher's thread then only names the statement and copies the bytes (sql.ts executeWire).
 *
 * A generated hour is encoded on the worker thread that generates it (hour-worker.ts): one buffer of parameters
 * for the hour, one short text per transaction for what the dispatcher reads (time, type, the rows it changes,
 * which statement is which), and offsets. The dispatcher parses a transaction's text when it is due, and its
 * parameters are a view of the hour's buffer. `toWire` does the same for one Txn on the spot (tests, benches).
 */

import { Kind, ParamWriter } from '../db/wire.js';
import type { MutableTable, UpdateShape } from '../generate/as-of.js';
import type { CsvLine } from '../generate/csv-rows.js';
import { type MetricClose, runSteps, TXN_TYPES, type Txn, type TxnType } from '../generate/transactions.js';
import { BINARY_COPY_HEADER, BINARY_TRAILER, BinaryTranscoder } from '../load/binary-copy.js';
import type { ColumnType } from '../model/columns.js';
import { columnNames, type TableName, table } from '../model/tables.js';

/** at most this many rows per INSERT statement (65,535 bind parameters at most) */
export const MAX_ROWS = 500;

export type WireStatement =
  /** an INSERT of `rows` rows into `table` */
  | { op: 'insert'; table: TableName; rows: number; params: Uint8Array }
  /** an UPDATE of `table`'s row `id` (its primary key with its event_time, both in the parameters) */
  | { op: 'update'; table: MutableTable; shape: UpdateShape; id: string; params: Uint8Array };

export interface WireTxn {
  /** scenario time, epoch ms */
  time: number;
  type: TxnType;
  /** ids of the changing rows it inserts or updates: two transactions sharing one must not overlap */
  keys: string[];
  statements: WireStatement[];
}

/** a column's parameter kind: uuid and timestamptz go in binary (wire.ts) */
export const kindOf = (type: string): Kind =>
  type === 'uuid' ? Kind.Uuid : type === 'timestamptz' ? Kind.Timestamptz : Kind.Text;

/** the kinds of an UPDATE's parameters: event_time, the id, then the SET columns' */
export function updateKinds(name: TableName, set: readonly string[]): Kind[] {
  const t = table(name);
  const typeOf = (c: string): string => t.columns.find((k) => k.name === c)?.type ?? 'text';
  return [Kind.Timestamptz, kindOf(typeOf(t.idColumn)), ...set.map((c) => kindOf(typeOf(c)))];
}

const shapeKinds = new Map<string, readonly Kind[]>();
/** updateKinds of an UPDATE shape, made once */
function updateShapeKinds(name: MutableTable, shape: UpdateShape): readonly Kind[] {
  const key = `${name} ${shape}`;
  let k = shapeKinds.get(key);
  if (!k) {
    k = updateKinds(name, SET[shape]);
    shapeKinds.set(key, k);
  }
  return k;
}

/** the columns an UPDATE of each shape sets */
export const SET: Record<UpdateShape, readonly string[]> = {
  status: ['status', 'updated_time'],
  price: ['price'],
  inventory: ['inventory'],
};

/** What a transaction's statements are, in order, without their parameters: how the hour's text lists them. */
type Plain =
  | { op: 'insert'; table: TableName; rows: number }
  | { op: 'update'; table: MutableTable; shape: UpdateShape; id: string };

const transcoders = new Map<TableName, BinaryTranscoder>();
/** a table's rows from CSV lines to binary parameters (binary COPY's transcoder: the send formats are Bind's) */
function transcoderOf(name: TableName): BinaryTranscoder {
  let t = transcoders.get(name);
  if (!t) {
    t = new BinaryTranscoder(table(name).columns.map((c) => c.type));
    transcoders.set(name, t);
  }
  return t;
}

/** Its statements into `w`, each list closed; the plain statements in order, and each list's end offset. */
function encodeStatements(t: Txn, w: ParamWriter, plain: Plain[], ends: number[]): void {
  for (const [name, rows] of t.inserts) {
    const rowFields = transcoderOf(name);
    const width = columnNames(table(name)).length;
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      const n = Math.min(MAX_ROWS, rows.length - i);
      w.beginBinary(n * width);
      for (let r = i; r < i + n; r++) w.fields(rowFields.fields(rows[r] as CsvLine), width);
      ends.push(w.end());
      plain.push({ op: 'insert', table: name, rows: n });
    }
  }
  for (const u of t.updates) {
    const kinds = updateShapeKinds(u.ref.table, u.shape);
    const values = [u.ref.eventTime, u.ref.id, ...u.values];
    w.begin(values.length);
    for (let j = 0; j < values.length; j++) w.param(values[j] ?? null, kinds[j] ?? Kind.Text);
    ends.push(w.end());
    plain.push({ op: 'update', table: u.ref.table, shape: u.shape, id: u.ref.id });
  }
}

const withParams = (p: Plain, params: Uint8Array): WireStatement => ({ ...p, params });

/** One transaction ready for the wire, encoded here and now. */
export function toWire(t: Txn): WireTxn {
  const w = new ParamWriter(4096);
  const plain: Plain[] = [];
  const ends: number[] = [];
  encodeStatements(t, w, plain, ends);
  const all = w.take();
  return {
    time: t.time,
    type: t.type,
    keys: t.keys,
    statements: plain.map((p, i) => withParams(p, all.subarray(i === 0 ? 0 : (ends[i - 1] ?? 0), ends[i]))),
  };
}

// an hour's text: per transaction its type, its keys and its statements, fields and lists split by ASCII
// control characters the generator never writes in an id or a table name
const FIELD = '\u0001';
const LIST = '\u0002';
const PART = '\u0003';

/** an hour's transactions ready for the wire, as they cross from the worker thread (hours.ts) */
export interface WireHour {
  h: number;
  /** transaction i is due at times[i] (scenario ms) */
  times: Float64Array<ArrayBuffer>;
  /** transaction i's type, as its index in TXN_TYPES (known without parsing its text) */
  types: Uint8Array<ArrayBuffer>;
  /** transaction i's text is text.slice(textEnds[i - 1] ?? 0, textEnds[i]) */
  text: string;
  textEnds: Float64Array<ArrayBuffer>;
  /** transaction i's statements are statements stmtEnds[i - 1] ?? 0 up to stmtEnds[i] */
  stmtEnds: Float64Array<ArrayBuffer>;
  /** statement k's parameters are params.subarray(paramEnds[k - 1] ?? 0, paramEnds[k]) */
  paramEnds: Float64Array<ArrayBuffer>;
  params: Uint8Array<ArrayBuffer>;
  /** the metric rows that close at the hour's end (encodeCloseSteps), made with the hour */
  closes: ReadyClose[];
}

/**
 * A metric close's rows ready for the aggregation job (src/live/bulk.ts closeMetrics): one table's rows of
 * [from, to) as the data of one binary COPY, header and trailer included.
 */
export interface ReadyClose {
  table: TableName;
  from: number;
  to: number;
  rows: number;
  data: Uint8Array<ArrayBuffer>;
}

/**
 * A close's rows as the data of one binary COPY (header and trailer included), buffer by buffer as the generator
 * yields them; `count` is told the rows at the end. What the hour worker holds for an hour's close
 * (encodeCloseSteps), and what the day close's worker streams for a day's (day-close-worker.ts).
 */
export function* closeCopyData(c: MetricClose, count?: (rows: number) => void): Generator<Buffer> {
  yield BINARY_COPY_HEADER;
  // written binary by the generator (src/generate/binary-writer.ts), each buffer a new one (encodeCloseSteps keeps them)
  const rows = yield* c.rows('binary');
  yield BINARY_TRAILER;
  count?.(rows);
}

/** `parts` copied into one new buffer of their exact size (its ArrayBuffer whole: one to transfer to another thread) */
export function joined(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    data.set(b, at);
    at += b.length;
  }
  return data;
}

/**
 * The closes' rows generated and encoded for binary COPY, a step per buffer the generator yields (a busy hour's:
 * ~12 MB of CSV, 0.3-0.8 s of CPU). Generated on the dispatcher's thread when the hour closed, they stalled every
 * writer for that long, and the lag rose to ~1 s at each busy hour's end (issue 7 §3).
 */
export function* encodeCloseSteps(closes: readonly MetricClose[]): Generator<void, ReadyClose[], void> {
  const out: ReadyClose[] = [];
  for (const c of closes) {
    let rows = 0;
    const parts: Buffer[] = [];
    for (const b of closeCopyData(c, (n) => {
      rows = n;
    })) {
      parts.push(b);
      yield;
    }
    out.push({ table: c.table, from: c.from, to: c.to, rows, data: joined(parts) });
  }
  return out;
}

/** encodeCloseSteps at once */
export const encodeCloses = (closes: readonly MetricClose[]): ReadyClose[] =>
  runSteps(encodeCloseSteps(closes));

function plainText(p: Plain): string {
  return p.op === 'insert'
    ? `i${FIELD}${p.table}${FIELD}${p.rows}`
    : `u${FIELD}${p.table}${FIELD}${p.shape}${FIELD}${p.id}`;
}

/**
 * The most bytes a column's value can take in binary beyond its CSV text: an integer of 1 digit becomes 2-8 bytes, a
 * numeric of 1 character at most 20 (8 of header, 2 per group of 4 digits), a jsonb gains its version byte; the
 * rest shrink (a uuid's 36 characters become 16, a timestamp's 22-26 become 8) or stay.
 */
const GROWTH: Partial<Record<ColumnType, number>> = {
  smallint: 1,
  integer: 3,
  bigint: 7,
  'numeric(12,2)': 19,
  'numeric(14,2)': 19,
  jsonb: 1,
};

const rowBound = new Map<TableName, number>();
/** the most bytes a row of `name` takes in a Bind beyond its CSV line's: a length per value, and GROWTH */
function rowOverhead(name: TableName): number {
  let n = rowBound.get(name);
  if (n === undefined) {
    n = 0;
    for (const c of table(name).columns) n += 4 + (GROWTH[c.type] ?? 0);
    rowBound.set(name, n);
  }
  return n;
}

/**
 * At least the bytes an hour's parameters take (ASCII texts; a longer encoding grows the buffer): the buffer is
 * allocated once. Grown by doubling, a busy hour's ~70 MB would cost ~140 MB of copies and short-lived external
 * memory, whose collections the worker would pay for. The bound's slack costs nothing: pages never written are
 * never touched (the busiest hour: 74 MB written of a 113 MB bound).
 */
function paramBytes(txns: readonly Txn[]): number {
  let n = 0;
  for (const t of txns) {
    for (const [name, rows] of t.inserts) {
      // the list's counts and format code, then per row at most its line's bytes and the table's overhead
      const extra = rowOverhead(name);
      n += 6 * Math.ceil(rows.length / MAX_ROWS);
      for (const r of rows) n += extra + r.length;
    }
    for (const u of t.updates) {
      n += 4 + 2 * (2 + u.values.length) + 4 + 8 + 4 + 16;
      for (const v of u.values) n += 4 + (v === null ? 0 : v.length);
    }
  }
  return n;
}

/** An hour's transactions encoded for the wire (on the worker thread), and its closes if given. */
export function encodeHour(h: number, txns: readonly Txn[], closes: ReadyClose[] = []): WireHour {
  return runSteps(encodeHourSteps(h, [...txns], undefined, closes));
}

/** transactions encoded between two steps of encodeHourSteps */
const ENCODE_STEP = 512;

/**
 * encodeHour in steps (hourTransactionSteps): it yields every ENCODE_STEP transactions. `spare(bytes)` may give
 * memory to write the parameters into (an hour's buffer the dispatcher is done with: hour-worker.ts); `closes`
 * go with the hour as they are. With `consume`, each transaction is taken out of `txns` once encoded (the list
 * is left empty): its CSV lines are views of the generator's 256 kB buffers, which are given back as the
 * encoding passes them instead of all at its end (~210 MB at --scale 5's busiest hour, beside its ~130 MB of
 * parameters).
 */
export function* encodeHourSteps(
  h: number,
  txns: Txn[],
  spare?: (bytes: number) => ArrayBuffer | undefined,
  closes: ReadyClose[] = [],
  consume = false,
): Generator<void, WireHour, void> {
  const bytes = Math.max(1024, paramBytes(txns));
  const w = new ParamWriter(bytes, spare?.(bytes));
  const n = txns.length;
  const times = new Float64Array(n);
  const types = new Uint8Array(n);
  const textEnds = new Float64Array(n);
  const stmtEnds = new Float64Array(n);
  const paramEnds: number[] = [];
  const texts: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const t = txns[i] as Txn;
    if (consume) (txns as (Txn | undefined)[])[i] = undefined;
    const plain: Plain[] = [];
    encodeStatements(t, w, plain, paramEnds);
    const s = [t.type, t.keys.join(FIELD), plain.map(plainText).join(LIST)].join(PART);
    texts.push(s);
    at += s.length;
    times[i] = t.time;
    types[i] = TXN_TYPES.indexOf(t.type);
    textEnds[i] = at;
    stmtEnds[i] = paramEnds.length;
    if (i % ENCODE_STEP === ENCODE_STEP - 1 || i === n - 1) yield;
  }
  if (consume) txns.length = 0;
  return {
    h,
    times,
    types,
    text: texts.join(''),
    textEnds,
    stmtEnds,
    paramEnds: Float64Array.from(paramEnds),
    params: w.take(),
    closes,
  };
}

/** transaction i of an encoded hour (its parameters are views of the hour's buffer) */
export function hourTxn(e: WireHour, i: number): WireTxn {
  const [type, keys, stmts] = e.text.slice(i === 0 ? 0 : (e.textEnds[i - 1] ?? 0), e.textEnds[i]).split(PART);
  let k = i === 0 ? 0 : (e.stmtEnds[i - 1] ?? 0);
  const statements = (stmts ? stmts.split(LIST) : []).map((s): WireStatement => {
    const f = s.split(FIELD);
    const params = e.params.subarray(k === 0 ? 0 : (e.paramEnds[k - 1] ?? 0), e.paramEnds[k]);
    k++;
    return f[0] === 'i'
      ? { op: 'insert', table: f[1] as TableName, rows: Number(f[2]), params }
      : { op: 'update', table: f[1] as MutableTable, shape: f[2] as UpdateShape, id: f[3] ?? '', params };
  });
  return { time: e.times[i] ?? 0, type: type as TxnType, keys: keys ? keys.split(FIELD) : [], statements };
}

/** the rows it writes: inserted, and updated (one each) */
export function rowCount(t: WireTxn): number {
  let n = 0;
  for (const s of t.statements) n += s.op === 'insert' ? s.rows : 1;
  return n;
}

/** rows inserted per table, in order */
export function insertedRows(t: WireTxn): [TableName, number][] {
  const out: [TableName, number][] = [];
  for (const s of t.statements) {
    if (s.op !== 'insert') continue;
    const last = out[out.length - 1];
    if (last && last[0] === s.table) last[1] += s.rows;
    else out.push([s.table, s.rows]);
  }
  return out;
}
