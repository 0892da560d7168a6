/**
 * The statements a live transaction sends, as the application would: prepared INSERTs through the parent table
 * (tuple routing is part of what a layout costs), multi-row where it batches, UPDATEs by primary key
 * (event_time, id) with absolute values. One named statement per shape and per connection.
 */
import type pg from 'pg';
import type { MutableTable, UpdateShape } from '../generate/as-of.js';
import type { Txn } from '../generate/transactions.js';
import { ident, qualified } from '../model/ddl.js';
import type { Layout } from '../model/layout.js';
import { partitionSuffix } from '../model/partitions.js';
import { columnNames, type TableName, table } from '../model/tables.js';
import { pipeline, type Statement } from './pipeline.js';
import { Kind } from './wire.js';

/** at most this many rows per INSERT statement (65,535 bind parameters at most) */
const MAX_ROWS = 500;

const SET: Record<UpdateShape, string[]> = {
  status: ['status', 'updated_time'],
  price: ['price'],
  inventory: ['inventory'],
};

/** a column's parameter kind: uuid and timestamptz go in binary (wire.ts) */
const kindOf = (type: string): Kind =>
  type === 'uuid' ? Kind.Uuid : type === 'timestamptz' ? Kind.Timestamptz : Kind.Text;

/** a statement's name, text and its parameters' kinds (per column of a row, or per value) */
interface Prepared {
  name: string;
  text: string;
  kinds: readonly Kind[];
}

/**
 * Where live INSERTs go: through the parent (tuple routing, as an application inserts), unless a layout file
 * set `route` (`leaf`: straight into the row's partition).
 */
const insertRoute = (layout: Layout): 'parent' | 'leaf' => layout.liveRoute ?? 'parent';

export class Statements {
  private readonly texts = new Map<string, Prepared>();
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

  /** an INSERT of n rows; its kinds are one row's */
  insert(name: TableName, n: number, time = 0): Prepared {
    const into = this.target(name, time);
    const key = `i_${into}_${n}`;
    let s = this.texts.get(key);
    if (!s) {
      const t = table(name);
      const cols = columnNames(t);
      const rows: string[] = [];
      for (let r = 0; r < n; r++)
        rows.push(`(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`);
      const text = `INSERT INTO ${qualified(this.schema, into)} (${cols.map(ident).join(', ')}) VALUES ${rows.join(', ')}`;
      s = { name: key, text, kinds: t.columns.map((c) => kindOf(c.type)) };
      this.texts.set(key, s);
    }
    return s;
  }

  update(name: MutableTable, shape: UpdateShape): Prepared {
    const key = `u_${name}_${shape}`;
    let s = this.texts.get(key);
    if (!s) {
      const t = table(name);
      const set = SET[shape].map((c, i) => `${ident(c)} = $${i + 3}`).join(', ');
      const text = `UPDATE ${qualified(this.schema, name)} SET ${set} WHERE event_time = $1 AND ${ident(t.idColumn)} = $2`;
      const typeOf = (c: string): string => t.columns.find((k) => k.name === c)?.type ?? 'text';
      const kinds = [
        Kind.Timestamptz,
        kindOf(typeOf(t.idColumn)),
        ...SET[shape].map((c) => kindOf(typeOf(c))),
      ];
      s = { name: key, text, kinds };
      this.texts.set(key, s);
    }
    return s;
  }
}

/** A live UPDATE found no row: the row it changes was never inserted (a bug, or a partition dropped early). */
export class MissingRow extends Error {}

/** `BEGIN`, `COMMIT`, `ROLLBACK` as prepared statements: parsed once per connection, as pgbench -M prepared does */
const BEGIN: Statement = { name: 'begin', text: 'BEGIN', values: [] };
const COMMIT: Statement = { name: 'commit', text: 'COMMIT', values: [] };
const ROLLBACK: Statement = { name: 'rollback', text: 'ROLLBACK', values: [] };

/**
 * Runs one business transaction on a connection, its statements pipelined (src/live/pipeline.ts):
 * - INSERTs only: Parse/Bind/Execute for each, one Sync: one implicit transaction, one round trip. An error
 *   aborts all of them (none of the transaction's rows stays).
 * - with UPDATEs (more than one statement): BEGIN and the statements in one pipeline, then COMMIT, or ROLLBACK
 *   when an UPDATE found no row (MissingRow): two round trips. The application decides on the counts the server
 *   returned, as it would; the alternatives that save the second round trip change the statements (an UPDATE
 *   that raises when it finds no row, a DO block) or lean on the server rolling back a ROLLBACK sent inside an
 *   implicit block, which it does with a warning (not what an application sends).
 * - one statement: one round trip, no BEGIN (an UPDATE that found no row changed nothing).
 */
export async function execute(client: pg.ClientBase, st: Statements, txn: Txn): Promise<void> {
  const statements: Statement[] = [];
  const updates: number[] = [];
  for (const [name, rows] of txn.inserts) {
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      // the rows themselves: the pipeline encodes their values in order as the parameters
      const part = rows.length <= MAX_ROWS ? rows : rows.slice(i, i + MAX_ROWS);
      const s = st.insert(name, part.length, txn.time);
      statements.push({ name: s.name, text: s.text, kinds: s.kinds, rows: part });
    }
  }
  for (const u of txn.updates) {
    updates.push(statements.length);
    const s = st.update(u.ref.table, u.shape);
    statements.push({
      name: s.name,
      text: s.text,
      kinds: s.kinds,
      values: [u.ref.eventTime, u.ref.id, ...u.values],
    });
  }
  const missing = (counts: (number | null)[], offset: number): Statement | undefined => {
    const i = updates.find((u) => counts[u + offset] === 0);
    return i === undefined ? undefined : statements[i];
  };
  const noRow = (s: Statement): MissingRow =>
    new MissingRow(`no row to update: ${s.name} ${'values' in s ? String(s.values[1]) : ''}`);
  if (updates.length === 0 || statements.length === 1) {
    const m = missing(await pipeline(client, statements), 0);
    if (m) throw noRow(m);
    return;
  }
  let counts: (number | null)[];
  try {
    counts = await pipeline(client, [BEGIN, ...statements]);
  } catch (e) {
    // the block is aborted (or the connection gone): end it
    await pipeline(client, [ROLLBACK]).catch(() => undefined);
    throw e;
  }
  const m = missing(counts, 1);
  if (m) {
    await pipeline(client, [ROLLBACK]);
    throw noRow(m);
  }
  await pipeline(client, [COMMIT]);
}
