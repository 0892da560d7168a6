/**
 * The statements a live transaction sends, as the application would: prepared INSERTs through the parent table
 * (tuple routing is part of what a layout costs), multi-row where it batches, UPDATEs by primary key
 * (event_time, id) with absolute values. One named statement per shape and per connection.
 */
import type pg from 'pg';
import { sqlState } from '../errors.js';
import type { MutableTable, UpdateShape } from '../generate/as-of.js';
import type { Txn } from '../generate/transactions.js';
import { ident, qualified } from '../model/ddl.js';
import type { Layout } from '../model/layout.js';
import { partitionSuffix } from '../model/partitions.js';
import { columnNames, type TableName, table } from '../model/tables.js';
import { type Statement, send } from './pipeline.js';
import { SET, toWire, type WireTxn } from './wire-txn.js';

/** a statement's name and text */
interface Prepared {
  name: string;
  text: string;
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

  /** an INSERT of n rows */
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
      s = { name: key, text };
      this.texts.set(key, s);
    }
    return s;
  }

  /**
   * An UPDATE by primary key that fails when it finds no row: the UPDATE in a WITH, and `1 / count(*)` of what
   * it returned raises division_by_zero (SQLSTATE 22012, MISSING_ROW_STATE) on none, so the transaction's
   * other statements roll back with it, and the check costs no round trip before a COMMIT (`execute` below).
   * count(*) is computed when it runs: the planner cannot fold the division into an error at PREPARE.
   */
  update(name: MutableTable, shape: UpdateShape): Prepared {
    const key = `u_${name}_${shape}`;
    let s = this.texts.get(key);
    if (!s) {
      const t = table(name);
      const set = SET[shape].map((c, i) => `${ident(c)} = $${i + 3}`).join(', ');
      const text = `WITH changed AS (UPDATE ${qualified(this.schema, name)} SET ${set} WHERE event_time = $1 AND ${ident(t.idColumn)} = $2 RETURNING 1) SELECT 1 / count(*) FROM changed`;
      s = { name: key, text };
      this.texts.set(key, s);
    }
    return s;
  }
}

/** A live UPDATE found no row: the row it changes was never inserted (a bug, or a partition dropped early). */
export class MissingRow extends Error {}

/** division_by_zero: what a guarded UPDATE (Statements.update) raises when it finds no row */
const MISSING_ROW_STATE = '22012';

/**
 * Runs one business transaction on a connection, its statements in ONE pipeline (src/live/pipeline.ts):
 * Parse (the first time on the connection)/Bind/Execute for each, one Sync, no BEGIN: one implicit transaction,
 * one round trip. An error aborts all of it (none of the transaction's rows stays), and so does an UPDATE that
 * finds no row (its guard raises: Statements.update), reported as MissingRow. With `ahead`, it may be sent while
 * the connection still answers the transaction before (pipeline.ts): it leaves no block open, so the next may be
 * sent ahead of it too. Its parameters were encoded before (wire-txn.ts): they are copied, not converted.
 */
export async function executeWire(
  client: pg.ClientBase,
  st: Statements,
  txn: WireTxn,
  { ahead = false }: { ahead?: boolean } = {},
): Promise<void> {
  const statements: Statement[] = txn.statements.map((w) => {
    const s = w.op === 'insert' ? st.insert(w.table, w.rows, txn.time) : st.update(w.table, w.shape);
    return { name: s.name, text: s.text, params: w.params };
  });
  const p = send(client, statements, { ahead, endsTransaction: true });
  try {
    await p.done;
  } catch (e) {
    const w = txn.statements[p.failedAt];
    if (sqlState(e) === MISSING_ROW_STATE && w?.op === 'update')
      throw new MissingRow(`no row to update: ${w.table} ${w.shape} ${w.id}`);
    throw e;
  }
}

/** One generated transaction, encoded here (toWire) and run as executeWire does. */
export function execute(
  client: pg.ClientBase,
  st: Statements,
  txn: Txn,
  opts: { ahead?: boolean } = {},
): Promise<void> {
  return executeWire(client, st, toWire(txn), opts);
}
