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

/** division_by_zero: what a guarded UPDATE (Statements.update) raises when it finds no row */
const MISSING_ROW_STATE = '22012';

/**
 * Runs one business transaction on a connection, its statements in ONE pipeline (src/live/pipeline.ts):
 * Parse/Bind/Execute for each, one Sync, no BEGIN: one implicit transaction, one round trip. An error aborts all
 * of it (none of the transaction's rows stays), and so does an UPDATE that finds no row (its guard raises:
 * Statements.update), reported as MissingRow. With `ahead`, it may be sent while the connection still answers
 * the transaction before (pipeline.ts): it leaves no block open, so the next may be sent ahead of it too.
 */
export async function execute(
  client: pg.ClientBase,
  st: Statements,
  txn: Txn,
  { ahead = false }: { ahead?: boolean } = {},
): Promise<void> {
  const statements: Statement[] = [];
  for (const [name, rows] of txn.inserts) {
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      // the rows themselves: the pipeline encodes their values in order as the parameters
      const part = rows.length <= MAX_ROWS ? rows : rows.slice(i, i + MAX_ROWS);
      const s = st.insert(name, part.length, txn.time);
      statements.push({ name: s.name, text: s.text, kinds: s.kinds, rows: part });
    }
  }
  const firstUpdate = statements.length;
  for (const u of txn.updates) {
    const s = st.update(u.ref.table, u.shape);
    statements.push({
      name: s.name,
      text: s.text,
      kinds: s.kinds,
      values: [u.ref.eventTime, u.ref.id, ...u.values],
    });
  }
  const p = send(client, statements, { ahead, endsTransaction: true });
  try {
    await p.done;
  } catch (e) {
    const s = statements[p.failedAt];
    if (sqlState(e) === MISSING_ROW_STATE && p.failedAt >= firstUpdate && s && 'values' in s)
      throw new MissingRow(`no row to update: ${s.name} ${String(s.values[1])}`);
    throw e;
  }
}
