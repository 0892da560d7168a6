/**
 * A business transaction as one string, for the crossing from the generating worker thread (hours.ts): fields
 * joined with ASCII control characters the generator never writes (its texts are words, numbers, ISO times and
 * one-line JSON, where a control character would be escaped). JSON.stringify of an hour's 30,000 transactions
 * and their 260,000 rows took longer than generating them (its parsed fields are slices of larger strings).
 */
import type { UpdateShape } from '../generate/as-of.js';
import type { Row } from '../generate/csv-rows.js';
import type { Txn, TxnType, UpdateOp } from '../generate/transactions.js';
import type { TableName } from '../model/tables.js';

const FIELD = '\u0001';
const ROW = '\u0002';
const LIST = '\u0003';
const PART = '\u0004';
const NULL = '\u0005';

export function encodeTxn(t: Txn): string {
  // plain loops building one string: the same text as joining the fields' arrays, without an array per row
  let s = `${t.time}${PART}${t.type}${PART}`;
  for (let k = 0; k < t.keys.length; k++) s += k === 0 ? t.keys[k] : FIELD + t.keys[k];
  s += PART;
  for (let i = 0; i < t.inserts.length; i++) {
    const entry = t.inserts[i];
    if (!entry) continue;
    const [name, rows] = entry;
    s += i === 0 ? name : LIST + name;
    for (const r of rows) {
      s += ROW;
      for (let k = 0; k < r.length; k++) {
        const v = r[k] ?? NULL;
        s += k === 0 ? v : FIELD + v;
      }
    }
  }
  s += PART;
  for (let i = 0; i < t.updates.length; i++) {
    const u = t.updates[i];
    if (!u) continue;
    if (i > 0) s += LIST;
    s += u.shape + FIELD + u.ref.table + FIELD + u.ref.id + FIELD + u.ref.eventTime;
    for (const v of u.values) s += FIELD + v;
  }
  return s;
}

const list = (s: string | undefined, sep: string): string[] => (s ? s.split(sep) : []);

export function decodeTxn(s: string): Txn {
  const [time, type, keys, inserts, updates] = s.split(PART);
  return {
    time: Number(time),
    type: type as TxnType,
    inserts: list(inserts, LIST).map((tbl) => {
      const [name, ...rows] = tbl.split(ROW);
      return [name as TableName, rows.map((r): Row => r.split(FIELD).map((v) => (v === NULL ? null : v)))];
    }),
    updates: list(updates, LIST).map((u): UpdateOp => {
      const [shape, table, id, eventTime, ...values] = u.split(FIELD);
      return {
        shape: shape as UpdateShape,
        ref: { table: table as UpdateOp['ref']['table'], id: id ?? '', eventTime: eventTime ?? '' },
        values,
      };
    }),
    keys: list(keys, FIELD),
  };
}
