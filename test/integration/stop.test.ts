/**
 * Ctrl-C and SIGTERM stop a command at once wherever it is waiting: verify's and the data profile's reads, a
 * query run, a load's DDL. Their running statements are cancelled on the server, the exit code is 130/143, and
 * nothing of theirs keeps running. Each is made to wait behind a lock the test holds, the way a long statement
 * waits, then signalled.
 */
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataProfile } from '../../src/commands/outputs.js';
import { describeStop, Stopped } from '../../src/errors.js';
import { buildPlan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/index.js';
import { ident } from '../../src/model/ddl.js';
import { runWorkload } from '../../src/query/index.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { genProcess, scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin, schema } = scratchSchemas(url, 'stop');
const HOURS = 3;
const tinyArgs = (s: string, ...more: string[]): string[] => [
  '--scenario',
  'tiny',
  '--hours',
  String(HOURS),
  '--db',
  url,
  '--schema',
  s,
  '--quiet',
  ...more,
];
let loaded: string;
/** the test's own connection holding ACCESS EXCLUSIVE on a table, until afterEach */
let holder: pg.Client | undefined;

beforeAll(async () => {
  loaded = schema('loaded');
  const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: HOURS }));
  await runLoad({ plan, target: { kind: 'db', url, schema: loaded }, jobs: 2 });
});

afterEach(async () => {
  await holder?.end();
  holder = undefined;
});

async function lockTable(table: string): Promise<void> {
  holder = new pg.Client({ connectionString: url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${ident(loaded)}.${ident(table)} IN ACCESS EXCLUSIVE MODE`);
}

/** backends of this database waiting for a lock (the command's statements behind the test's lock) */
async function waitingOnLocks(): Promise<number> {
  const r = await admin().query<{ n: string }>(
    `select count(*) n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return Number(r.rows[0]?.n);
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a stop cancels what only reads', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'gen verify waiting on a lock, %s: exit %i, its statements cancelled on the server',
    async (sig, exit) => {
      await lockTable('shop_order');
      const p = genProcess(['verify', ...tinyArgs(loaded)]);
      await until('verify waits on the lock', async () => (await waitingOnLocks()) > 0);
      p.child.kill(sig);
      const r = await p.done;
      expect(r.code, r.err).toBe(exit);
      expect(r.err).toMatch(
        new RegExp(`gen: stopped by ${sig === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'} before the end\\n`),
      );
      // the lock is still held: only a cancel on the server ends the waits
      await until('no statement of verify waits any more', async () => (await waitingOnLocks()) === 0);
    },
  );

  it('a load waiting on a lock while it sets the schema up, SIGTERM: exit 143, its DDL cancelled', async () => {
    await lockTable('shop_order');
    // the schema is loaded: the same command checks its tables (CREATE TABLE IF NOT EXISTS waits on the lock)
    const p = genProcess(tinyArgs(loaded));
    await until('the load waits on the lock', async () => (await waitingOnLocks()) > 0);
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code, r.err).toBe(143);
    // the schema was loaded whole: no count of committed chunks, which the set-up has not read yet ("0 of N")
    expect(r.err).toContain(
      'gen: stopped while setting the schema up, before loading any rows; run the same command again to finish',
    );
    await until('no statement of the load waits any more', async () => (await waitingOnLocks()) === 0);
  });

  it('gen live waiting on a lock before its first transaction, SIGTERM: exit 143; the same command then plays it', async () => {
    const s = schema('live');
    const args = ['live', ...tinyArgs(s, '--speed', '3600')];
    // a played window: the second run only checks the tables (CREATE TABLE IF NOT EXISTS waits on the lock)
    const first = await genProcess(args).done;
    expect(first.code, first.err).toBe(0);
    holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${ident(s)}.shop_order IN ACCESS EXCLUSIVE MODE`);
    const p = genProcess(args);
    await until('gen live waits on the lock', async () => (await waitingOnLocks()) > 0);
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code, r.err).toBe(143);
    expect(r.err).toMatch(/gen: stopped by SIGTERM before the end: no transaction was played yet/);
    await until('no statement of gen live waits any more', async () => (await waitingOnLocks()) === 0);
    await holder.end();
    holder = undefined;
    const again = await genProcess(args).done;
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/nothing to do: this run is already played/);
  });

  it('the data profile waiting on a lock, stopped: says the load is committed, its statement cancelled', async () => {
    const partition = await admin().query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname like 'shop\\_order\\_p%' order by 1 limit 1`,
      [loaded],
    );
    await lockTable(partition.rows[0]?.name ?? 'no partition');
    const ac = new AbortController();
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: HOURS }));
    const profiling = dataProfile(url, loaded, plan, () => undefined, ac.signal);
    await until('the profile waits on the lock', async () => (await waitingOnLocks()) > 0);
    ac.abort('SIGTERM');
    const err = await profiling.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stopped);
    expect(describeStop(err, ac.signal).text).toBe(
      'stopped by SIGTERM before the end: the load is committed; the data profile and the report were not written',
    );
    await until('no statement of the profile waits any more', async () => (await waitingOnLocks()) === 0);
  });

  it('gen query with a dozen clients: each listens to the stop, and Node warns of no listener leak', async () => {
    const r = await genProcess([
      'query',
      '--db',
      url,
      '--schema',
      loaded,
      '--clients',
      '12',
      '--duration',
      '1',
    ]).done;
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/MaxListenersExceededWarning/);
  });

  it('a query run stopped in the middle reports the queries that finished, and no error', async () => {
    const ac = new AbortController();
    const run = runWorkload({
      url,
      schema: loaded,
      clients: 2,
      durationMs: 600_000,
      seed: 1,
      signal: ac.signal,
    });
    await until('queries run', async () => {
      const r = await admin().query<{ n: string }>(
        `select count(*) n from pg_stat_activity where application_name = 'data-playground query'`,
      );
      return Number(r.rows[0]?.n) === 2;
    });
    await new Promise((r) => setTimeout(r, 1000));
    ac.abort('SIGINT');
    const report = await run;
    expect(report.errors).toBe(0);
    expect(report.queries.reduce((n, q) => n + q.count, 0)).toBeGreaterThan(0);
    expect(report.durationMs).toBeLessThan(600_000);
  });
});
