/**
 * Issue 9 §3 and §4 on a real server: a load ends with VACUUM (ANALYZE) of its tables, parents included
 * (autovacuum never analyzes a partitioned parent, so its statistics say whether the load did), --no-analyze
 * leaves them alone, and a window past the partition limit is refused before anything is written.
 */
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { describeServer, serverIsLocal } from '../../src/db/connection.js';
import { buildPlan } from '../../src/generate/index.js';
import { AnalyzeAborted, vacuumAnalyze } from '../../src/load/analyze.js';
import { DROP_CATALOGS, dropSchema } from '../../src/load/drop-schema.js';
import { claimSchema, runIdentity } from '../../src/load/ledger.js';
import { defaultDdlStreams, prepareSchema, windowPartitions } from '../../src/load/schema.js';
import { timePartitions } from '../../src/load/time-partitions.js';
import { createPartitionSql, createTableSql, ident } from '../../src/model/ddl.js';
import { DEFAULT_LAYOUT } from '../../src/model/layout.js';
import { TABLES } from '../../src/model/tables.js';
import { isLoopback } from '../../src/query/workload.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { gen } from './run-gen.js';
import { scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const scratch = scratchSchemas(url, 'it_an');

/** The partitioned parent's statistics: when it was last analyzed (by anyone) and the rows it thinks it has. */
async function parentStats(schema: string, table: string): Promise<{ analyzed: boolean; reltuples: number }> {
  const r = await scratch.admin().query<{ analyzed: boolean; reltuples: number }>(
    `select s.last_analyze is not null or s.last_autoanalyze is not null as analyzed, c.reltuples::float8 as reltuples
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       left join pg_stat_all_tables s on s.relid = c.oid
      where n.nspname = $1 and c.relname = $2`,
    [schema, table],
  );
  const row = r.rows[0];
  if (!row) throw new Error(`${schema}.${table} does not exist`);
  return row;
}

describe('VACUUM (ANALYZE) after a load', () => {
  it('analyzes the parents and reports the time; --no-analyze skips it', async () => {
    const on = scratch.schema('on');
    const off = scratch.schema('off');
    const args = ['--scenario', 'tiny', '--hours', '1', '--db', url, '--quiet'];
    const a = await gen([...args, '--schema', on]);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(/^VACUUM \(ANALYZE\) of the schema's tables afterwards: \d+\.\d\d s/m);
    const b = await gen([...args, '--schema', off, '--no-analyze']);
    expect(b.code, b.err).toBe(0);
    expect(b.out).not.toMatch(/VACUUM/);

    // pg_stat_all_tables is flushed by the backend that did the work, at its exit; reltuples is in the catalog
    const analyzed = await parentStats(on, 'shop_order');
    expect(analyzed.reltuples).toBeGreaterThan(0);
    const skipped = await parentStats(off, 'shop_order');
    expect(skipped.reltuples).toBeLessThan(0); // -1: never analyzed (PostgreSQL 14+)
    expect(skipped.analyzed).toBe(false);
    // a leaf: VACUUM of the parent processed it, so the visibility map is set (index-only scans pay)
    const vm = await scratch.admin().query<{ visible: number; pages: number }>(
      `select relallvisible as visible, relpages as pages from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relname = 'users_p20261127_000000'`,
      [on],
    );
    expect(vm.rows[0]?.pages).toBeGreaterThan(0);
    expect(vm.rows[0]?.visible).toBe(vm.rows[0]?.pages);

    // resumed with nothing left to load: --no-analyze finished that run, so nothing is analyzed now either
    const again = await gen([...args, '--schema', off]);
    expect(again.out).toMatch(/^nothing to do/m);
    expect((await parentStats(off, 'shop_order')).reltuples).toBeLessThan(0);
    // a run stopped before its end (as by Ctrl-C during the analyze) is analyzed by the next one
    await scratch.admin().query(`update ${pg.escapeIdentifier(off)}._gen_run set finished_at = null`);
    const finish = await gen([...args, '--schema', off]);
    expect(finish.code, finish.err).toBe(0);
    expect(finish.out).not.toMatch(/nothing to do/);
    expect(finish.out).toMatch(
      /^all \d+ chunks of this run were already loaded in schema \S+; finished what the run before left: VACUUM \(ANALYZE\) of the schema's tables in \d+\.\d\d s$/m,
    );
    expect((await parentStats(off, 'shop_order')).reltuples).toBeGreaterThan(0);
  });
});

describe('VACUUM (ANALYZE) on several connections', () => {
  /** the backends other than ours running a VACUUM of schema s, and how many of them wait for a lock */
  async function vacuuming(s: string): Promise<{ running: number; waiting: number }> {
    const r = await scratch.admin().query<{ running: number; waiting: number }>(
      `select count(*)::int as running, count(*) filter (where wait_event_type = 'Lock')::int as waiting
         from pg_stat_activity where pid <> pg_backend_pid() and state = 'active' and query like $1`,
      [`VACUUM (ANALYZE) ${pg.escapeIdentifier(s)}.%`],
    );
    return r.rows[0] ?? { running: 0, waiting: 0 };
  }

  it('runs `streams` statements at once, analyzes every table, and Ctrl-C cancels all of them', async () => {
    const s = scratch.schema('streams');
    const r = await gen([
      '--scenario',
      'tiny',
      '--hours',
      '1',
      '--db',
      url,
      '--quiet',
      '--schema',
      s,
      '--no-analyze',
    ]);
    expect(r.code, r.err).toBe(0);
    const all = TABLES.map((t) => `${pg.escapeIdentifier(s)}.${pg.escapeIdentifier(t.name)}`).join(', ');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // not the admin connection: pg_stat_activity is read once per transaction
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      // every table locked against VACUUM: each stream waits in its first statement until cancelled
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${all} IN SHARE UPDATE EXCLUSIVE MODE`);
      const ac = new AbortController();
      const run = vacuumAnalyze(client, url, s, { signal: ac.signal, streams: 3 }).catch((e: unknown) => e);
      for (let i = 0; (await vacuuming(s)).waiting < 3; i++) {
        if (i > 200) throw new Error(`3 waiting VACUUMs expected, saw ${JSON.stringify(await vacuuming(s))}`);
        await new Promise((res) => setTimeout(res, 50));
      }
      ac.abort();
      // a stream left waiting behind the lock would keep `run` pending until the ROLLBACK below
      const err = await Promise.race([
        run,
        new Promise((res) => setTimeout(() => res('still running after 10 s'), 10_000)),
      ]);
      expect(err).toBeInstanceOf(AnalyzeAborted);
      expect((err as Error).message).toMatch(/^stopped during VACUUM \(ANALYZE\) of \w+$/);
      // every stream's statement was cancelled, none left waiting behind the lock, no table started after
      expect(await vacuuming(s)).toEqual({ running: 0, waiting: 0 });
      await locker.query('ROLLBACK');
      expect((await parentStats(s, 'shop_order')).reltuples).toBeLessThan(0);

      const ms = await vacuumAnalyze(client, url, s, { streams: 3 });
      expect(Object.keys(ms)).toEqual(TABLES.map((t) => t.name));
      expect((await parentStats(s, 'shop_order')).reltuples).toBeGreaterThan(0);
    } finally {
      await locker.end();
      await client.end();
    }
  });
});

describe('the partition limit', () => {
  it('refuses a window past it in one line naming a layout that fits, before anything is written', async () => {
    const s = scratch.schema('refused');
    const r = await gen(['--scenario', 'tiny', '--hours', '2400', '--db', url, '--schema', s]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gen: --hours 2400: layout hourly makes 36,600 partitions .* use --layout daily \(2,100 partitions\)/,
    );
    const exists = await scratch.admin().query('select 1 from pg_namespace where nspname = $1', [s]);
    expect(exists.rowCount).toBe(0);
  });

  it('timePartitions creates a window as a load does and leaves it for EXPLAIN', async () => {
    const s = scratch.schema('time');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 6 }));
    const t = await timePartitions(url, s, plan, DEFAULT_LAYOUT, 3);
    expect(t.partitions).toBe(windowPartitions(plan).length);
    const r = await scratch.admin().query<{ n: number }>(
      `select count(*)::int as n from pg_inherits i join pg_class c on c.oid = i.inhrelid
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
      [s],
    );
    expect(r.rows[0]?.n).toBe(t.partitions);
    // literal bounds: pruned at plan time to the one hour
    const plan1 = await scratch.admin().query<{ 'QUERY PLAN': string }>(
      `explain select count(*) from ${pg.escapeIdentifier(s)}.shop_order
          where event_time >= '2026-11-27T05:00:00Z' and event_time < '2026-11-27T06:00:00Z'`,
    );
    const text = plan1.rows.map((x) => x['QUERY PLAN']).join('\n');
    expect(text).toMatch(/shop_order_p20261127_050000/);
    expect(new Set(text.match(/shop_order_p2026\d{4}_\d{6}/g))).toEqual(
      new Set(['shop_order_p20261127_050000']),
    );
    await dropSchema(scratch.admin(), s);
  });
});

describe('partition streams', () => {
  it('are one per core of this machine (2 to 4) for a server on it, from PostgreSQL 17 on', async () => {
    expect(await serverIsLocal(scratch.admin())).toBe(isLoopback(url));
    const s = scratch.schema('streams');
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    // connections held at once besides `client`: prepareSchema takes them for the partitions, then for the ALTERs
    let held = 0;
    let most = 0;
    const client = await pool.connect();
    try {
      await prepareSchema(
        client,
        s,
        { start: Date.parse('2026-11-27T00:00:00Z'), hours: 2 },
        DEFAULT_LAYOUT,
        {
          connect: async () => {
            const c = await pool.connect();
            most = Math.max(most, ++held);
            const release = c.release.bind(c);
            c.release = (e?: Error | boolean) => {
              held--;
              release(e);
            };
            return c;
          },
        },
      );
    } finally {
      client.release();
      await pool.end();
    }
    const { versionNum } = await describeServer(scratch.admin());
    const cores = isLoopback(url) ? availableParallelism() : undefined;
    expect(most + 1).toBe(defaultDdlStreams(versionNum, cores));
    await dropSchema(scratch.admin(), s);
  });
});

describe('NOT NULL and primary key after the partitions (PostgreSQL 18)', () => {
  /** every constraint, index and attnotnull of schema s's tables and partitions, as rows independent of the schema */
  async function catalog(s: string): Promise<string[]> {
    const c = await scratch.admin().query<{ row: string }>(
      `select format('%s %s %s local=%s inh=%s noinh=%s valid=%s %s', c.relname, x.conname, x.contype, x.conislocal,
                     x.coninhcount, x.connoinherit, x.convalidated, x.conkey) as row
         from pg_constraint x join pg_class c on c.oid = x.conrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1
       union all
       select format('%s.%s notnull=%s', c.relname, a.attname, a.attnotnull)
         from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
       union all
       select format('%s index %s primary=%s unique=%s valid=%s %s', c.relname, i.relname, x.indisprimary,
                     x.indisunique, x.indisvalid, x.indkey)
         from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1
       order by 1`,
      [s],
    );
    return c.rows.map((r) => r.row);
  }

  /**
   * Whether the partitions' NOT NULL and primary key rows came after every partition (deferred: one ALTER per
   * table at the end) rather than each with its partition; oids are handed out in order.
   */
  async function keysAddedLast(s: string): Promise<boolean> {
    const r = await scratch.admin().query<{ last: boolean }>(
      `select (select min(x.oid) from pg_constraint x join pg_class c on c.oid = x.conrelid
                where c.relnamespace = n.oid and c.relispartition and x.contype in ('n', 'p'))
            > (select max(c.oid) from pg_class c
                where c.relnamespace = n.oid and c.relispartition and c.relkind = 'r') as last
         from pg_namespace n where n.nspname = $1`,
      [s],
    );
    return r.rows[0]?.last === true;
  }

  it('gives the catalog of complete parents, and a run stopped before the ALTERs is finished by the next', async () => {
    const w = { start: Date.parse('2026-11-27T00:00:00Z'), hours: 3 };
    const c = scratch.admin();
    const v = Number(
      (await c.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]?.v,
    );
    // the tables made complete up front (as on PostgreSQL 15-17, or when they already existed)
    const upFront = scratch.schema('nn_up');
    await c.query(`create schema ${ident(upFront)}`);
    for (const t of TABLES) await c.query(createTableSql(upFront, t));
    await prepareSchema(c, upFront, w);
    expect(await keysAddedLast(upFront)).toBe(false);
    const want = await catalog(upFront);
    expect(want.filter((r) => r.endsWith('notnull=t')).length).toBeGreaterThan(TABLES.length * 5);

    // as a load makes them: partitions and ALTERs on several connections
    const fresh = scratch.schema('nn_fresh');
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      await prepareSchema(c, fresh, w, DEFAULT_LAYOUT, { connect: () => pool.connect(), streams: 3 });
    } finally {
      await pool.end();
    }
    expect(await catalog(fresh)).toEqual(want);
    expect(await keysAddedLast(fresh)).toBe(v >= 180_000);

    // two loads preparing one schema at once (cooperative runs): ADD PRIMARY KEY is made once, by either
    const twice = scratch.schema('nn_twice');
    const pools = [1, 2].map(() => new pg.Pool({ connectionString: url, max: 2 }));
    try {
      await Promise.all(
        pools.map(async (p) => {
          const own = await p.connect();
          try {
            await prepareSchema(own, twice, w, DEFAULT_LAYOUT, { connect: () => p.connect(), streams: 2 });
          } finally {
            own.release();
          }
        }),
      );
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    expect(await catalog(twice)).toEqual(want);

    // stopped after the partitions, before the ALTERs: the columns are nullable and there is no primary key until
    // the next run (a stop 31 gen deferred only NOT NULL)
    for (const defer of ['key', 'notNull'] as const) {
      const stopped = scratch.schema(`nn_stopped_${defer}`);
      await c.query(`create schema ${ident(stopped)}`);
      for (const t of TABLES) await c.query(createTableSql(stopped, t, DEFAULT_LAYOUT, { defer }));
      for (const p of windowPartitions(w)) await c.query(createPartitionSql(stopped, p));
      expect(await catalog(stopped)).not.toEqual(want);
      await prepareSchema(c, stopped, { start: w.start, hours: 0 }); // as gen live's first step
      expect(await catalog(stopped)).toEqual(want);
    }

    // a table unlike the model in one column (an older gen's, or made by hand) is left as it is
    const older = scratch.schema('nn_older');
    await c.query(`create schema ${ident(older)}`);
    for (const t of TABLES) await c.query(createTableSql(older, t));
    await c.query(`alter table ${ident(older)}.shop_order alter column status drop not null`);
    await prepareSchema(c, older, w);
    const status = await c.query<{ notnull: boolean }>(
      `select a.attnotnull as notnull from pg_attribute a join pg_class c on c.oid = a.attrelid
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'shop_order' and a.attname = 'status'`,
      [older],
    );
    expect(status.rows[0]?.notnull).toBe(false);
  });
});

describe('--reset', () => {
  const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 1 }));
  const id = runIdentity(plan, DEFAULT_LAYOUT);
  /** a schema with a table named like gen's: --reset drops it */
  const schemaToReset = async (c: pg.ClientBase, s: string): Promise<void> => {
    await c.query(`create schema ${ident(s)}`);
    await c.query(`create table ${ident(s)}.shop_order (x int)`);
  };
  const exists = async (s: string): Promise<boolean> =>
    ((await scratch.admin().query('select 1 from pg_namespace where nspname = $1', [s])).rowCount ?? 0) > 0;

  it('vacuums the catalogs the drop left dead rows in, before the next run makes its partitions', async () => {
    const admin = scratch.admin();
    const s = scratch.schema('reset');
    await schemaToReset(admin, s);
    const since = (await admin.query<{ t: Date }>('select clock_timestamp() as t')).rows[0]?.t;
    await claimSchema(admin, s, id, true);
    expect(await exists(s)).toBe(false);
    // last_vacuum is set by a VACUUM statement only (autovacuum sets last_autovacuum)
    const r = await admin.query<{ name: string }>(
      `select 'pg_catalog.' || relname as name from pg_stat_sys_tables
        where schemaname = 'pg_catalog' and last_vacuum >= $1 order by 1`,
      [since],
    );
    expect(r.rows.map((x) => x.name)).toEqual(expect.arrayContaining([...DROP_CATALOGS]));
  });

  it('works for a role that may not vacuum the catalogs (the server warns and skips them)', async () => {
    const admin = scratch.admin();
    const suffix = scratch.schema('role').split('_').at(-1) ?? '';
    const role = `dp_novacuum_${suffix}`;
    const s = `it_an_novacuum_${suffix}`;
    await admin.query(`CREATE ROLE ${ident(role)} LOGIN PASSWORD 'pw-${suffix}'`);
    const db = new URL(url).pathname.slice(1) || 'postgres';
    await admin.query(`GRANT CREATE ON DATABASE ${ident(db)} TO ${ident(role)}`);
    const u = new URL(url);
    u.username = role;
    u.password = `pw-${suffix}`;
    const c = new pg.Client({ connectionString: u.toString() });
    const warnings: string[] = [];
    c.on('notice', (n) => warnings.push(n.message ?? ''));
    try {
      await c.connect();
      await schemaToReset(c, s);
      await claimSchema(c, s, id, true);
      expect(await exists(s)).toBe(false);
      expect(warnings.join('\n')).toMatch(/permission denied to vacuum|only superuser or database owner/);
    } finally {
      await c.end().catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
      await admin.query(`REVOKE CREATE ON DATABASE ${ident(db)} FROM ${ident(role)}`);
      await admin.query(`DROP ROLE IF EXISTS ${ident(role)}`);
    }
  });
});
