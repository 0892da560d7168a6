/**
 * The statements a live transaction sends, as the application would: prepared INSERTs through the parent table
 * (tuple routing is part of what a layout costs), multi-row where it batches, UPDATEs by primary key
 * (event_time, id) with absolute values. One named statement per shape and per connection.
 */
import type pg from 'pg';
import type { MutableTable, UpdateShape } from '../generate/as-of.js';
import type { Row } from '../generate/csv-rows.js';
import type { Txn } from '../generate/transactions.js';
import { ident, qualified } from '../model/ddl.js';
import type { Layout } from '../model/layout.js';
import { partitionSuffix } from '../model/partitions.js';
import { columnNames, type TableName, table } from '../model/tables.js';

/** at most this many rows per INSERT statement (65,535 bind parameters at most) */
const MAX_ROWS = 500;

const SET: Record<UpdateShape, string[]> = {
  status: ['status', 'updated_time'],
  price: ['price'],
  inventory: ['inventory'],
};

/**
 * Where live INSERTs go: through the parent (tuple routing, as an application inserts), unless a layout file
 * set `route` (`leaf`: straight into the row's partition).
 */
const insertRoute = (layout: Layout): 'parent' | 'leaf' => layout.liveRoute ?? 'parent';

export class Statements {
  private readonly texts = new Map<string, string>();
  constructor(
    readonly schema: string,
    private readonly layout: Layout | null = null,
  ) {}

  /** the table an INSERT of `name` rows at `time` names: the parent, or with route leaf its partition */
  private target(name: TableName, time: number): string {
    const g = this.layout?.granularity[name];
    if (!this.layout || insertRoute(this.layout) === 'parent' || g === undefined || g === 'none') return name;
    return `${name}_${partitionSuffix(time, g)}`;
  }

  insert(name: TableName, n: number, time = 0): { name: string; text: string } {
    const into = this.target(name, time);
    const key = `i_${into}_${n}`;
    let text = this.texts.get(key);
    if (!text) {
      const cols = columnNames(table(name));
      const rows: string[] = [];
      for (let r = 0; r < n; r++)
        rows.push(`(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`);
      text = `INSERT INTO ${qualified(this.schema, into)} (${cols.map(ident).join(', ')}) VALUES ${rows.join(', ')}`;
      this.texts.set(key, text);
    }
    return { name: key, text };
  }

  update(name: MutableTable, shape: UpdateShape): { name: string; text: string } {
    const key = `u_${name}_${shape}`;
    let text = this.texts.get(key);
    if (!text) {
      const t = table(name);
      const set = SET[shape].map((c, i) => `${ident(c)} = $${i + 3}`).join(', ');
      text = `UPDATE ${qualified(this.schema, name)} SET ${set} WHERE event_time = $1 AND ${ident(t.idColumn)} = $2`;
      this.texts.set(key, text);
    }
    return { name: key, text };
  }
}

/** A live UPDATE found no row: the row it changes was never inserted (a bug, or a partition dropped early). */
export class MissingRow extends Error {}

/** Runs one business transaction on a connection: BEGIN .. COMMIT when it has more than one statement. */
export async function execute(client: pg.ClientBase, st: Statements, txn: Txn): Promise<void> {
  const statements: { name: string; text: string; values: (string | null)[]; update: boolean }[] = [];
  for (const [name, rows] of txn.inserts) {
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      const part = rows.slice(i, i + MAX_ROWS);
      const values: (string | null)[] = [];
      for (const r of part) for (const v of r as Row) values.push(v);
      statements.push({ ...st.insert(name, part.length, txn.time), values, update: false });
    }
  }
  for (const u of txn.updates)
    statements.push({
      ...st.update(u.ref.table, u.shape),
      values: [u.ref.eventTime, u.ref.id, ...u.values],
      update: true,
    });
  const single = statements.length === 1;
  if (!single) await client.query('BEGIN');
  try {
    for (const s of statements) {
      const r = await client.query({ name: s.name, text: s.text, values: s.values });
      if (s.update && r.rowCount === 0)
        throw new MissingRow(`no row to update: ${s.name} ${String(s.values[1])}`);
    }
    if (!single) await client.query('COMMIT');
  } catch (e) {
    if (!single) await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
