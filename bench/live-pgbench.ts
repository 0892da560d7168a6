/**
 * npm run bench, part 4b: gen live's transactions as pgbench scripts (issue 7 §3). A sample of the busiest hour's
 * business transactions (hourTransactions), one script each, with the same statement shapes gen live sends
 * (src/live/sql.ts): multi-row INSERT through the parent table with the model's full column list, UPDATE ... WHERE
 * event_time = .. AND id = .., BEGIN/COMMIT around more than one statement (gen live pipelines them: below).
 * pgbench picks the scripts with equal weights, so the mix is the sample's, which is the hour's (every k-th
 * transaction).
 *
 * What differs from gen live, on purpose or not:
 * - values are literals, not bind parameters: with -M prepared, pgbench parses them once at PREPARE, and its
 *   statements have no parameters, so each is planned once; gen live's server receives every value on each
 *   execution (in binary: src/db/wire.ts; a jsonb is still parsed) and plans its UPDATEs per execution (custom
 *   plans: the partition is pruned from the bound event_time). The baseline the goal was set against keeps the
 *   literals; with `Variables` the same scripts bind their values instead (`:name`, defined by pgbench's -D), as
 *   gen live and an application do: a diagnostic of how much of the gap is that per-execution work;
 * - each inserted row's id is gen_random_uuid(), so repeating a script never hits a primary key (a row's
 *   references to other rows keep their literal ids: the default layout has no foreign keys);
 * - the UPDATEs hit the same rows on every repetition (absolute values, as gen live's): the rows they change are
 *   inserted once before the run (`prerequisites`);
 * - pgbench runs closed loop at full speed (no -R): no schedule, no dispatcher, no ordering of transactions on
 *   the same row; the metric rows of an hour's close (COPY) are not in the scripts: bench/live.ts runs pgbench
 *   once without them (the baseline as the goal was set) and once with gen live's closes alongside (its own
 *   code, at the times gen live's play makes them, on one more connection, as gen live's aggregation job);
 * - gen live pipelines a transaction's statements (src/live/pipeline.ts: one round trip, one implicit
 *   transaction) and sends a writer's next transaction while the one before commits (--pipeline-depth 2, its
 *   default); these scripts send one statement per round trip with BEGIN/COMMIT around more than one (pgbench's
 *   \startpipeline could pipeline them too; not used, so the scripts stay what they were when the goal was set);
 * - gen live's UPDATE is guarded (src/live/sql.ts: in a WITH, `SELECT 1 / count(*)` of what it changed, so a
 *   missing row fails the transaction without a second round trip); the scripts keep the plain UPDATE, which
 *   costs the server a little less: the baseline is not made slower for it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { lineValues } from '../src/generate/csv-rows.js';
import type { Txn } from '../src/generate/transactions.js';
import { ident, qualified } from '../src/model/ddl.js';
import { columnNames, table } from '../src/model/tables.js';

/** pgbench allows at most 128 scripts */
const MAX_SCRIPTS = 100;

/** pgbench reads `:name` as a variable even inside a literal (src/query/pgbench.ts): such values are split */
const VARIABLE = /:[A-Za-z_\u0080-\uffff]/;

function literal(v: string | null, type: string): string {
  if (v === null) return 'NULL';
  if (!VARIABLE.test(v)) return pg.escapeLiteral(v);
  const pieces = v.split(/(?<=:)/).map((p) => pg.escapeLiteral(p));
  return `(${pieces.join(' || ')})::${type}`;
}

/** every k-th transaction of the hour, the hour-close metrics left out */
export function sampleTransactions(txns: readonly Txn[]): Txn[] {
  const business = txns.filter((t) => t.type !== 'metrics');
  const k = Math.max(1, Math.floor(business.length / MAX_SCRIPTS));
  const out: Txn[] = [];
  for (let i = 0; i < business.length && out.length < MAX_SCRIPTS; i += k) out.push(business[i] as Txn);
  return out;
}

/**
 * pgbench variables standing for values, so that scripts bind them as parameters (-M prepared sends `:name` as
 * $n with its value on each execution): one per distinct value, defined on the command line (`-D name=value`).
 */
export class Variables {
  private readonly names = new Map<string, string>();
  /** `:name` for `v` */
  ref(v: string): string {
    let n = this.names.get(v);
    if (n === undefined) {
      n = `v${this.names.size}`;
      this.names.set(v, n);
    }
    return `:${n}`;
  }
  /** pgbench's -D arguments */
  args(): string[] {
    return [...this.names].flatMap(([v, n]) => ['-D', `${n}=${v}`]);
  }
}

/** pgbench takes at most 255 variables in one statement (MAX_ARGS - 1, pgbench.c); the rest stay literals */
const MAX_BOUND = 255;

/**
 * One transaction as a pgbench script. With `vars`, its values (NULLs and the fresh ids aside) are bound
 * parameters, at most MAX_BOUND a statement.
 */
export function txnScript(schema: string, t: Txn, vars?: Variables): string {
  const lines: string[] = [];
  let bound = 0;
  const value = (v: string | null, type: string): string => {
    if (v === null || vars === undefined || bound >= MAX_BOUND) return literal(v, type);
    bound++;
    return vars.ref(v);
  };
  for (const [name, rows] of t.inserts) {
    const tb = table(name);
    const cols = columnNames(tb);
    const idAt = cols.indexOf(tb.idColumn);
    bound = 0;
    const values = rows.map(
      (line) =>
        `(${lineValues(line)
          .map((v, c) => (c === idAt ? 'gen_random_uuid()' : value(v, tb.columns[c]?.type ?? 'text')))
          .join(', ')})`,
    );
    lines.push(
      `INSERT INTO ${qualified(schema, name)} (${cols.map(ident).join(', ')}) VALUES ${values.join(', ')};`,
    );
  }
  for (const u of t.updates) {
    const tb = table(u.ref.table);
    bound = 0;
    const set =
      u.shape === 'status'
        ? `status = ${value(u.values[0] ?? null, 'text')}, updated_time = ${value(u.values[1] ?? null, 'timestamptz')}`
        : `${u.shape} = ${value(u.values[0] ?? null, 'text')}`;
    lines.push(
      `UPDATE ${qualified(schema, u.ref.table)} SET ${set} WHERE event_time = ${value(u.ref.eventTime, 'timestamptz')} AND ${ident(tb.idColumn)} = ${value(u.ref.id, 'uuid')};`,
    );
  }
  // pgbench reads a script statement by statement, one per line (a statement may not span lines)
  return lines.length > 1 ? `BEGIN;\n${lines.join('\n')}\nCOMMIT;\n` : `${lines.join('\n')}\n`;
}

/**
 * The transactions of the hour that insert a row the sample's UPDATEs change (an order settled by a sampled
 * payment was inserted by its checkout); the snapshot holds the population's.
 */
export function prerequisites(txns: readonly Txn[], sample: readonly Txn[]): Txn[] {
  const inserter = new Map<string, Txn>();
  for (const t of txns)
    for (const [name, rows] of t.inserts) {
      const tb = table(name);
      const idAt = columnNames(tb).indexOf(tb.idColumn);
      for (const line of rows) {
        const id = lineValues(line)[idAt];
        if (id) inserter.set(id, t);
      }
    }
  const need = new Set<Txn>();
  for (const t of sample)
    for (const u of t.updates) {
      const by = inserter.get(u.ref.id);
      // the sample's own inserts get fresh ids in the scripts: a sampled checkout's order is needed too
      if (by) need.add(by);
    }
  // their inserts only: their own updates would need their own prerequisites
  return [...need].map((t) => ({ ...t, updates: [] }));
}

/** Writes the scripts; returns the pgbench -f arguments (and with `vars`, the -D ones after them). */
export function writeScripts(
  dir: string,
  schema: string,
  sample: readonly Txn[],
  vars?: Variables,
): string[] {
  const files = sample.map((t, i) => {
    const f = join(dir, `live-${String(i).padStart(3, '0')}-${t.type}.sql`);
    writeFileSync(f, txnScript(schema, t, vars));
    return ['-f', f];
  });
  return [...files.flat(), ...(vars?.args() ?? [])];
}
