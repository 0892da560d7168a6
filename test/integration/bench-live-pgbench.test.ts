/**
 * The bench's pgbench scripts of gen live's transactions (bench/live-pgbench.ts) run under pgbench and write what
 * the generator wrote: with literal values and binding them (Variables), each row a script inserts equals the
 * bulk load's row of the same transaction but for its fresh id, and its UPDATEs set their rows' values.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Variables, writeScripts } from '../../bench/live-pgbench.js';
import { findPgbench } from '../../bench/pgbench.js';
import { lineValues } from '../../src/generate/csv-rows.js';
import { buildPlan } from '../../src/generate/index.js';
import { hourTransactions, type Txn } from '../../src/generate/transactions.js';
import { SET } from '../../src/live/wire-txn.js';
import { runLoad } from '../../src/load/run.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { columnNames, type TableName, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const url = inject('databaseUrl');
const SCHEMA = `it_live_pgbench_${randomBytes(3).toString('hex')}`;

// as test/integration/pgbench.test.ts: under CI a missing pgbench is a failure, never a quiet skip
const pgbench = findPgbench();
const skipPgbench = pgbench === undefined && !process.env.CI;

const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 2 }));
let client: pg.Client;
const dirs: string[] = [];

beforeAll(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await runLoad({ plan, target: { kind: 'db', url, schema: SCHEMA }, jobs: 2 });
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`);
  await client.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * rows of `name` whose columns equal those of a row with one of `ids`, counted per such row; the id aside, and the
 * columns an UPDATE changes (the load wrote a row's end state, a checkout inserts it as it was then)
 */
async function twins(name: TableName, ids: string[]): Promise<number> {
  const tb = table(name);
  const t = qualified(SCHEMA, name);
  const r = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${t} a JOIN ${t} b ON (to_jsonb(a) - $2::text[]) = (to_jsonb(b) - $2::text[])
      WHERE b.${ident(tb.idColumn)} = ANY($1::uuid[])`,
    [ids, [tb.idColumn, ...new Set(Object.values(SET).flat())]],
  );
  return r.rows[0]?.n ?? 0;
}

const insertedIds = (name: TableName, t: Txn): string[] => {
  const tb = table(name);
  const at = columnNames(tb).indexOf(tb.idColumn);
  return (t.inserts.find(([n]) => n === name)?.[1] ?? []).map((r) => lineValues(r)[at] ?? '');
};

/** the values an UPDATE of `t` set are in its row (each UPDATE's columns, as text) */
async function updated(t: Txn): Promise<boolean> {
  for (const u of t.updates) {
    const tb = table(u.ref.table);
    const cols = SET[u.shape];
    const r = await client.query<Record<string, string | null>>(
      `SELECT ${cols.map((c, i) => `${ident(c)} = $${i + 3} AS c${i}`).join(', ')} FROM ${qualified(SCHEMA, u.ref.table)}
        WHERE event_time = $1 AND ${ident(tb.idColumn)} = $2`,
      [u.ref.eventTime, u.ref.id, ...u.values],
    );
    const row = r.rows[0];
    if (!row || Object.values(row).some((v) => v !== (true as unknown))) return false;
  }
  return true;
}

describe('bench/live-pgbench.ts scripts under pgbench', () => {
  it.skipIf(skipPgbench)(
    "insert the generator's rows (fresh ids aside) and set the UPDATEs' values, with literals and bound",
    async () => {
      if (pgbench === undefined)
        throw new Error('pgbench is missing (CI is set): apt-get install postgresql-15');
      // a transaction that inserts and whose UPDATEs the load's end state does not show yet
      let t: Txn | undefined;
      for (const x of hourTransactions(plan, 1))
        if (x.type !== 'metrics' && x.inserts.length > 0 && x.updates.length > 0 && !(await updated(x))) {
          t = x;
          break;
        }
      if (!t) throw new Error("tiny's hour 1 has no transaction that inserts and changes a row");
      const before = new Map<TableName, number>();
      for (const [name] of t.inserts) before.set(name, await twins(name, insertedIds(name, t)));
      let runs = 0;
      for (const vars of [new Variables(), undefined]) {
        const dir = mkdtempSync(join(tmpdir(), 'dp-live-pgbench-'));
        dirs.push(dir);
        const args = writeScripts(dir, SCHEMA, [t], vars);
        const r = spawnSync(pgbench, ['-n', '-M', 'prepared', '-t', '1', ...args, url], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/number of transactions actually processed: 1\/1/);
        runs++;
        // each of the load's rows now has a twin per run
        for (const [name] of t.inserts)
          expect(await twins(name, insertedIds(name, t)), name).toBe((before.get(name) ?? 0) * (1 + runs));
        expect(await updated(t)).toBe(true);
      }
    },
  );
});
