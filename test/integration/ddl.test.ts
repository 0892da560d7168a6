/**
 * What the DDL itself promises on a loaded schema (issue 8, items 4 and 6): every table and column carries
 * the model's comment, entity_type takes only the model's entity types, and global_entity resolves a bare id
 * and a type in a time range through its indexes. Two hours of black-friday: partitions big enough that the
 * planner's choice is the one a real load gets (on a few pages a Seq Scan is cheaper and rightly chosen).
 */

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { ENTITY_TYPES } from '../../src/model/entity-types.js';
import { TABLES, type TableName } from '../../src/model/tables.js';
import { loadSuite, renderSql } from '../../src/query/suite.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { exceptBoth, integrityChecks, runIntegrityChecks } from '../../src/verify/index.js';
import { describeResult, expectChecksPass, expectNoRows } from './helpers.js';

const url = inject('databaseUrl');
const schema = `it_ddl_${randomBytes(4).toString('hex')}`;
// a third of black-friday's population (sized for 72 h of buyers): the DDL is the point here, not the volume
const scenario = applyOverrides(loadScenario('black-friday'), { hours: 2, scale: 0.3 });
const T = (name: TableName): string => qualified(schema, name);

let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
  await runLoad({ plan: buildPlan(scenario), target: { kind: 'db', url, schema }, jobs: 2 });
  // statistics as autovacuum would leave them a moment after a load, without waiting for it
  await db.query(`ANALYZE ${T('global_entity')}`);
});

afterAll(async () => {
  if (!db) return;
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  } finally {
    await db.end();
  }
});

const commentsCheck = () => {
  const check = integrityChecks(schema, scenario).find((c) => c.name === 'comments');
  if (!check) throw new Error('no integrity check named comments');
  return check;
};

describe('comments', () => {
  it("the schema's comments are the model's, on every table and column", async () => {
    const rows = TABLES.flatMap((t) => [
      [t.name, '', t.comment],
      ...t.columns.map((c) => [t.name, c.name, c.comment]),
    ]);
    await expectNoRows(
      db,
      "comments that differ from the model's",
      exceptBoth(
        ['tbl', 'col', 'text'],
        'SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) m(tbl, col, text)',
        `SELECT c.relname::text, coalesce(a.attname::text, ''), d.description
         FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
         WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = $4::regnamespace
           AND c.relname = ANY ($1::text[])`,
      ),
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), schema],
    );
    await expectChecksPass(db, [commentsCheck()]);
  });

  it('the comments check reports a table and a column whose comment is gone', async () => {
    await db.query('BEGIN');
    try {
      await db.query(`COMMENT ON TABLE ${T('invoice')} IS NULL`);
      await db.query(`COMMENT ON COLUMN ${T('shop_metrics_hourly')}.revenue IS NULL`);
      const [r] = await runIntegrityChecks(db, [commentsCheck()]);
      if (r === undefined) throw new Error('no result');
      expect(r.offending, describeResult(r)).toBe(2);
      expect(r.sample).toEqual([
        { tbl: 'invoice', column: null, missing: false },
        { tbl: 'shop_metrics_hourly', column: 'revenue', missing: false },
      ]);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});

describe('entity_type', () => {
  const rows: Record<'global_entity' | 'global_event', (type: string) => string> = {
    global_entity: (type) =>
      `INSERT INTO ${T('global_entity')} (entity_id, event_time, partition_key, entity_type, created_time, updated_time)
       VALUES (gen_random_uuid(), $1, 'x', '${type}', $1, $1)`,
    global_event: (type) =>
      `INSERT INTO ${T('global_event')} (id, event_time, partition_key, event_type, entity_type, entity_id,
         created_time, updated_time)
       VALUES (gen_random_uuid(), $1, 'x', 'x', '${type}', gen_random_uuid(), $1, $1)`,
  };
  const at = new Date(scenario.start).toISOString();

  it.for(Object.entries(rows))(
    '%s.entity_type rejects a value outside the enumeration',
    async ([name, insert]) => {
      await db.query('BEGIN');
      try {
        // the same row with an entity type is accepted: what fails below is the type, nothing else
        await db.query(insert(ENTITY_TYPES[0]), [at]);
        const err = await db.query(insert('users'), [at]).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, `${name} accepted entity_type 'users'`).toBeInstanceOf(pg.DatabaseError);
        expect((err as pg.DatabaseError).code).toBe('23514'); // check_violation
        expect((err as pg.DatabaseError).constraint).toBe(`${name}_entity_type_check`);
      } finally {
        await db.query('ROLLBACK');
      }
    },
  );
});

/** The scan nodes of an EXPLAIN (FORMAT JSON) plan on a relation: its leaf and how it is read. */
interface Scan {
  node: string;
  relation: string;
  index: string | null;
}

function scans(plan: unknown, out: Scan[] = []): Scan[] {
  if (Array.isArray(plan)) for (const p of plan) scans(p, out);
  else if (plan !== null && typeof plan === 'object') {
    const p = plan as Record<string, unknown>;
    if (typeof p['Node Type'] === 'string' && (p['Relation Name'] ?? p['Index Name']) !== undefined)
      out.push({
        node: p['Node Type'],
        relation: String(p['Relation Name'] ?? ''),
        index: typeof p['Index Name'] === 'string' ? p['Index Name'] : null,
      });
    for (const v of Object.values(p)) if (typeof v === 'object') scans(v, out);
  }
  return out;
}

async function explain(sql: string, params: unknown[]): Promise<Scan[]> {
  const res = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return scans(res.rows[0]?.['QUERY PLAN']);
}

describe('global_entity indexes (the default layout)', () => {
  const leaves = ['global_entity_p20261127_000000', 'global_entity_p20261127_010000'];

  it('resolves a bare id (the suite query entity-type) by an Index Scan on every leaf, no Seq Scan', async () => {
    const q = loadSuite().find((s) => s.name === 'entity-type');
    if (!q) throw new Error('no query entity-type in the suite');
    const id = await db.query<{ id: string }>(
      `SELECT entity_id AS id FROM ${T('global_entity')} WHERE entity_type = 'shop_order' ORDER BY entity_id LIMIT 1`,
    );
    const plan = await explain(renderSql(q, schema), [id.rows[0]?.id]);
    expect(plan.map((s) => s.relation).sort()).toEqual(leaves);
    for (const s of plan) {
      expect(['Index Scan', 'Index Only Scan'], JSON.stringify(plan)).toContain(s.node);
      expect(s.index).toBe(`${s.relation}_entity_id_idx`);
    }
  });

  it('finds a type in a time range by the (entity_type, event_time) index, no Seq Scan', async () => {
    const plan = await explain(
      `SELECT entity_id FROM ${T('global_entity')}
       WHERE entity_type = 'shop_promotion' AND event_time >= $1 AND event_time < $2`,
      [new Date(scenario.start).toISOString(), new Date(scenario.start + 2 * 3600_000).toISOString()],
    );
    expect(
      plan.filter((s) => s.node === 'Seq Scan'),
      JSON.stringify(plan),
    ).toEqual([]);
    const viaIndex = plan.filter((s) => s.index?.endsWith('_entity_type_event_time_idx'));
    expect(viaIndex.map((s) => s.index?.replace('_entity_type_event_time_idx', '')).sort()).toEqual(leaves);
  });
});
