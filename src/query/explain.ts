/**
 * Pruning checks: run each query under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) twice and count the leaf
 * partitions the executor actually scanned, against the number its claim expects in this schema's layout.
 *
 * - literal: the parameters inlined as constants. The planner prunes at plan time: pruned partitions are
 *   not in the plan at all.
 * - generic: PREPARE + EXECUTE with plan_cache_mode = force_generic_plan. The plan is built without the
 *   values and holds every partition; pruning happens at executor start-up ("Subplans Removed") or per
 *   rescan (children left "never executed"). Postgres behaves differently for the two, so both are measured
 *   (measured-facts.md: literals prune at plan time, a generic plan only at run time).
 */
import type pg from 'pg';
import { at } from '../at.js';
import { connect } from '../db/connection.js';
import { sqlState, UserError } from '../errors.js';
import { ident } from '../model/ddl.js';
import { TABLE_NAMES } from '../model/table-names.js';
import { type Catalog, leavesFor, readCatalog } from './catalog.js';
import {
  type DrawContext,
  literal,
  loadSuite,
  type Params,
  type Query,
  renderSql,
  selectQueries,
  valuesOf,
} from './suite.js';
import type { PlanCheck } from './types.js';

/** Which partitions of one checked table were expected, and which the plan scanned. */
export interface TablePruning {
  table: string;
  expected: string[];
  scanned: string[];
  total: number;
}

export interface QueryCheck {
  name: string;
  description: string;
  /** the parameter set the plans were run with */
  params: Params;
  literal: PlanCheck;
  generic: PlanCheck;
  /** per checked table, for messages: which partitions were expected and which were scanned */
  tables: { literal: TablePruning[]; generic: TablePruning[] };
}

type Json = Record<string, unknown>;
const isJson = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number => (typeof x === 'number' ? x : 0);

interface Explained {
  plan: Json;
  planningMs: number;
  executionMs: number;
}

async function explain(client: pg.ClientBase, statement: string): Promise<Explained> {
  const res = await client.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement}`,
  );
  const doc = res.rows[0]?.['QUERY PLAN'];
  const top = Array.isArray(doc) ? doc[0] : undefined;
  if (!isJson(top) || !isJson(top.Plan)) throw new Error(`unexpected EXPLAIN output for: ${statement}`);
  return { plan: top.Plan, planningMs: num(top['Planning Time']), executionMs: num(top['Execution Time']) };
}

function* nodes(n: Json): Generator<Json> {
  yield n;
  if (Array.isArray(n.Plans)) for (const c of n.Plans) if (isJson(c)) yield* nodes(c);
}

/** The leaves each checked table should be scanned in, from the catalog and the query's reads. */
export function expectedLeaves(q: Query, p: Params, catalog: Catalog): Map<string, Set<string>> {
  const reads = q.reads(p);
  const readTables = new Set(reads.map((r) => r.table));
  if (readTables.size !== q.checks.length || q.checks.some((t) => !readTables.has(t))) {
    throw new Error(`${q.name}: reads() covers ${[...readTables].join(', ')}, the header checks ${q.checks}`);
  }
  const out = new Map<string, Set<string>>();
  for (const r of reads) {
    const t = catalog.get(r.table);
    if (t === undefined) throw new Error(`${q.name}: table ${r.table} is not in the catalog`);
    const set = out.get(r.table) ?? new Set<string>();
    for (const l of leavesFor(t, r.range)) set.add(l.name);
    out.set(r.table, set);
  }
  return out;
}

function judge(
  e: Explained,
  expected: Map<string, Set<string>>,
  catalog: Catalog,
): { check: PlanCheck; tables: TablePruning[] } {
  const owner = new Map<string, string>();
  for (const t of expected.keys()) for (const l of catalog.get(t)?.leaves ?? []) owner.set(l.name, t);
  const scanned = new Map<string, Set<string>>();
  let subplansRemoved = 0;
  for (const n of nodes(e.plan)) {
    subplansRemoved += num(n['Subplans Removed']);
    const rel = n['Relation Name'];
    // "never executed" children (run-time pruning during a rescan) show Actual Loops = 0: not scanned.
    if (typeof rel === 'string' && num(n['Actual Loops']) > 0) {
      const t = owner.get(rel);
      if (t !== undefined) scanned.set(t, (scanned.get(t) ?? new Set<string>()).add(rel));
    }
  }
  const tables: TablePruning[] = [...expected].map(([t, want]) => ({
    table: t,
    expected: [...want].sort(),
    scanned: [...(scanned.get(t) ?? [])].sort(),
    total: catalog.get(t)?.leaves.length ?? 0,
  }));
  // ok means the very partitions expected, not just as many: scanning the wrong hour is a failure too.
  const ok = tables.every(
    (t) => t.scanned.length === t.expected.length && t.scanned.every((s) => t.expected.includes(s)),
  );
  const sum = (f: (t: TablePruning) => number): number => tables.reduce((a, t) => a + f(t), 0);
  return {
    check: {
      partitionsScanned: sum((t) => t.scanned.length),
      partitionsTotal: sum((t) => t.total),
      partitionsExpected: sum((t) => t.expected.length),
      subplansRemoved,
      planningMs: e.planningMs,
      executionMs: e.executionMs,
      ok,
    },
    tables,
  };
}

const STATEMENT = 'data_playground_check';

/**
 * Both plans of one query for one parameter set, on `client` (which is left as it was found: the prepared
 * statement is deallocated and plan_cache_mode reset).
 */
export async function checkQuery(
  client: pg.ClientBase,
  schema: string,
  q: Query,
  p: Params,
  catalog?: Catalog,
): Promise<QueryCheck> {
  const cat = catalog ?? (await readCatalog(client, schema, q.checks));
  const expected = expectedLeaves(q, p, cat);
  const values = valuesOf(q, p);

  const inlined = renderSql(q, schema, values);
  // Plain EXPLAIN first: the session's first planning of a table loads its partition metadata (~43 ms for
  // 2,160 partitions, measured), a one-off that would otherwise be reported as this query's planning time.
  await client.query(`EXPLAIN ${inlined}`);
  const literalPlan = judge(await explain(client, inlined), expected, cat);

  await client.query('SET plan_cache_mode = force_generic_plan');
  let genericPlan: ReturnType<typeof judge>;
  try {
    const types = q.params.map((s) => s.type).join(', ');
    await client.query(`PREPARE ${STATEMENT}${types === '' ? '' : `(${types})`} AS ${renderSql(q, schema)}`);
    try {
      // The generic plan is built by this first EXECUTE, so its planning time is that one-off build (the cost
      // a connection pays once per statement), next to the literal's planning paid on every query.
      const args = values.map((v, i) => literal(v, at(q.params, i).type)).join(', ');
      genericPlan = judge(
        await explain(client, `EXECUTE ${STATEMENT}${args === '' ? '' : `(${args})`}`),
        expected,
        cat,
      );
    } finally {
      await client.query(`DEALLOCATE ${STATEMENT}`);
    }
  } finally {
    await client.query('RESET plan_cache_mode');
  }
  return {
    name: q.name,
    description: q.description,
    params: p,
    literal: literalPlan.check,
    generic: genericPlan.check,
    tables: { literal: literalPlan.tables, generic: genericPlan.tables },
  };
}

export interface SuiteOptions {
  schema: string;
  /** seed of the parameter draw */
  seed: number;
  /** query names (default: all) */
  queries?: readonly string[];
  /** N of "the last N hours" (default 2) */
  lastHours?: number;
  /** parameter sets drawn per query (default 32); the checks use the first */
  sets?: number;
}

export interface PreparedQuery {
  query: Query;
  /** at least one */
  sets: Params[];
}

export const DEFAULT_LAST_HOURS = 2;
export const DEFAULT_SETS = 32;

/**
 * The refusals prepareSuite would make, asked up front (catalog queries and one row), so a command can refuse
 * before it says anything: a schema without gen's tables, or with them all empty.
 */
export async function requireQueryable(client: pg.ClientBase, schema: string): Promise<void> {
  const r = await client.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = any($2)`,
    [schema, [...TABLE_NAMES]],
  );
  const found = new Set(r.rows.map((row) => row.relname));
  const missing = TABLE_NAMES.filter((t) => !found.has(t));
  if (missing.length > 0) {
    throw new UserError(
      `schema ${schema} has no data-playground tables (${missing.length} of ${TABLE_NAMES.length} missing: ` +
        `${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}); load a scenario into it first`,
    );
  }
  // the first partition first (the population's hour, where every load and live run writes first): a scan of
  // the parent plans every partition, 2.6 s on a new connection at 90 days (2,160); the parent only when empty
  const first = await client.query<{ relname: string }>(
    `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = $1::regclass order by c.relname limit 1`,
    [`${ident(schema)}.global_entity`],
  );
  const leaf = first.rows[0]?.relname;
  const hasRow = async (from: string): Promise<boolean> =>
    ((await client.query(`select 1 from ${from} limit 1`)).rowCount ?? 0) > 0;
  const rows =
    (leaf !== undefined && (await hasRow(`only ${ident(schema)}.${ident(leaf)}`))) ||
    (await hasRow(`${ident(schema)}.global_entity`));
  if (!rows) {
    throw new UserError(`schema ${schema} has gen's tables but no rows; load a scenario into it first`);
  }
}

/** Loads the suite and draws every selected query's parameter sets from the data in the schema. */
export async function prepareSuite(client: pg.ClientBase, o: SuiteOptions): Promise<PreparedQuery[]> {
  const queries = selectQueries(loadSuite(), o.queries);
  const ctx: DrawContext = {
    client,
    schema: o.schema,
    seed: o.seed,
    sets: o.sets ?? DEFAULT_SETS,
    lastHours: o.lastHours ?? DEFAULT_LAST_HOURS,
  };
  const out: PreparedQuery[] = [];
  for (const query of queries) {
    const sets = await query.draw(ctx).catch((e: unknown) => {
      // a schema that does not exist or lacks the table: say which, in one line
      const code = sqlState(e);
      if (code === '42P01' || code === '3F000') {
        throw new UserError(
          `schema ${o.schema} has no data-playground tables (${e instanceof Error ? e.message : String(e)}); ` +
            'load a scenario into it first',
        );
      }
      throw e;
    });
    if (sets.length === 0) {
      throw new UserError(
        `query ${query.name}: no rows in schema ${o.schema} to draw its parameters from (${query.checks.join(', ')}); ` +
          'load a scenario into it first',
      );
    }
    out.push({ query, sets });
  }
  return out;
}

/** Reads the catalog once for every table the prepared queries check. */
export async function catalogFor(
  client: pg.ClientBase,
  schema: string,
  prepared: readonly PreparedQuery[],
): Promise<Catalog> {
  return readCatalog(client, schema, [...new Set(prepared.flatMap((p) => p.query.checks))]);
}

export type PruningOptions = SuiteOptions & ({ url: string } | { client: pg.ClientBase });

/**
 * Only the EXPLAIN checks, for `gen bench` to run per layout: every selected query, literal and generic,
 * with its first drawn parameter set. Opens (and closes) its own connection when given a URL.
 */
export async function checkPruning(o: PruningOptions): Promise<QueryCheck[]> {
  let own: pg.Client | undefined;
  let client: pg.ClientBase;
  if ('client' in o) client = o.client;
  else {
    own = await connect(o.url);
    client = own;
  }
  try {
    const prepared = await prepareSuite(client, o);
    const catalog = await catalogFor(client, o.schema, prepared);
    const out: QueryCheck[] = [];
    for (const p of prepared) out.push(await checkQuery(client, o.schema, p.query, at(p.sets, 0), catalog));
    return out;
  } finally {
    await own?.end();
  }
}
