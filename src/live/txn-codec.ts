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
  const inserts = t.inserts.map(
    ([name, rows]) => name + ROW + rows.map((r) => r.map((v) => v ?? NULL).join(FIELD)).join(ROW),
  );
  const updates = t.updates.map((u) =>
    [u.shape, u.ref.table, u.ref.id, u.ref.eventTime, ...u.values].join(FIELD),
  );
  return [String(t.time), t.type, t.keys.join(FIELD), inserts.join(LIST), updates.join(LIST)].join(PART);
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
