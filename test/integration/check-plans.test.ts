/**
 * Every integrity check is one pass (issue 9 §3): hash joins, sorts and window functions, never a subquery
 * evaluated per row, which on millions of rows runs for hours. EXPLAINs each check's count query exactly as
 * src/verify/run-checks.ts runs it, on a freshly loaded and analyzed schema, and fails naming every check whose
 * plan has a SubPlan that is not hashed (an InitPlan runs once and a hashed SubPlan builds one hash table: both
 * are fine). Whether the planner hashes a subquery depends on its size against work_mem: a NOT EXISTS under an
 * OR is hashed on a small schema and probed per row on a big one. The test session's work_mem is the minimum,
 * 64 kB, so that two hours of black-friday at a third of its scale stand to it as millions of rows stand to
 * the 64 MB of a verify connection.
 */

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { ident } from '../../src/model/ddl.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { countSql, type IntegrityCheck, integrityChecks } from '../../src/verify/index.js';

const url = inject('databaseUrl');
const schema = `it_plans_${randomBytes(4).toString('hex')}`;
const scenario = applyOverrides(loadScenario('black-friday'), { hours: 2, scale: 0.3 });

let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
  await runLoad({ plan: buildPlan(scenario), target: { kind: 'db', url, schema }, jobs: 2 });
  // statistics as after a load's ANALYZE: the plans a user's verify gets
  await db.query(`SET search_path = ${ident(schema)}`);
  await db.query('ANALYZE');
  await db.query(`SET TimeZone = 'UTC'`);
  await db.query(`SET work_mem = '64kB'`);
});

afterAll(async () => {
  if (!db) return;
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  } finally {
    await db.end();
  }
});

interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/**
 * The SubPlans of an EXPLAIN (FORMAT JSON) plan that run per row: a SubPlan node ('SubPlan 2') that no
 * expression of the plan refers to as 'hashed SubPlan 2' (how PostgreSQL 15 and 18 both print a hashed one).
 */
function perRowSubPlans(root: PlanNode): string[] {
  const text = JSON.stringify(root);
  const found: string[] = [];
  const walk = (n: PlanNode): void => {
    const name = n['Subplan Name'];
    if (n['Parent Relationship'] === 'SubPlan' && name !== undefined) {
      const hashed = new RegExp(`hashed ${name}(?![0-9])`).test(text);
      if (!hashed) found.push(`${name} (${n['Node Type']})`);
    }
    for (const k of n.Plans ?? []) walk(k);
  };
  walk(root);
  return found;
}

async function planOf(sql: string, params: unknown[] = []): Promise<PlanNode> {
  const r = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const plan = r.rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (!plan) throw new Error(`no plan for ${sql}`);
  return plan;
}

describe('the plans of the integrity checks', () => {
  it('tells a subquery per row from a hashed one and an InitPlan', async () => {
    const perRow = await planOf(
      `SELECT c.oid FROM pg_class c
       WHERE c.relkind = 'r' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > c.relnatts)`,
    );
    expect(perRowSubPlans(perRow)).toHaveLength(1);
    const once = await planOf(
      `SELECT c.oid FROM pg_class c
       WHERE c.relam NOT IN (SELECT oid FROM pg_am) OR c.relname = (SELECT min(relname) FROM pg_class)`,
    );
    expect(JSON.stringify(once)).toMatch(/SubPlan/);
    expect(perRowSubPlans(once)).toEqual([]);
  });

  it('has no SubPlan evaluated per row in any check', async () => {
    const checks: IntegrityCheck[] = integrityChecks(schema, {
      start: scenario.start,
      hours: scenario.hours,
    });
    expect(checks.length).toBeGreaterThan(80);
    const bad: string[] = [];
    for (const c of checks) {
      const subs = perRowSubPlans(await planOf(countSql(c), c.params));
      if (subs.length > 0) bad.push(`${c.name}: ${subs.join(', ')}`);
    }
    expect(bad, `checks with a subquery per row:\n${bad.join('\n')}`).toEqual([]);
  });
});
