/**
 * gen live's pipelined transactions on a real server (src/live/pipeline.ts, src/live/sql.ts): one Sync per
 * transaction makes it one implicit transaction, so a statement that fails leaves none of the others' rows; an
 * UPDATE that finds no row rolls the whole transaction back; each statement's row count comes back in order; a
 * connection parses a statement once, again only after an error left it in doubt.
 */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { isConnectionLoss, sqlState } from '../../src/errors.js';
import { type CsvLine, lineValues } from '../../src/generate/csv-rows.js';
import { buildPlan } from '../../src/generate/index.js';
import { hourTransactions, type Txn } from '../../src/generate/transactions.js';
import { loadSnapshot } from '../../src/live/bulk.js';
import { pipeline, type Statement, send } from '../../src/live/pipeline.js';
import { execute, MissingRow, Statements } from '../../src/live/sql.js';
import { LIVE_TABLE } from '../../src/load/ledger.js';
import { prepareSchema } from '../../src/load/schema.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { DEFAULT_LAYOUT } from '../../src/model/layout.js';
import { columnNames, type TableName, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin, schema } = scratchSchemas(url, 'pipeline');

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  // a terminated backend reports on the client too: the test reads it from the pipeline's rejection
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

async function withClient<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** a table of its own: (id int primary key, v text) */
async function scratchTable(name: string): Promise<string> {
  const s = schema(name);
  await admin().query(`CREATE SCHEMA ${ident(s)}`);
  const t = qualified(s, 't');
  await admin().query(`CREATE TABLE ${t} (id int PRIMARY KEY, v text)`);
  return t;
}

/** a scratch table holding the row 2, and an INSERT of one id into it (id 2 fails: duplicate key) */
async function withRowTwo(name: string): Promise<{ t: string; ins: (id: number) => Statement }> {
  const t = await scratchTable(name);
  await admin().query(`INSERT INTO ${t} VALUES (2, 'old')`);
  const ins = (id: number): Statement => ({
    name: 'ins',
    text: `INSERT INTO ${t} VALUES ($1, 'x')`,
    values: [String(id)],
  });
  return { t, ins };
}

const ids = async (t: string): Promise<number[]> =>
  (await admin().query<{ id: number }>(`SELECT id FROM ${t} ORDER BY id`)).rows.map((r) => r.id);

/** this connection's prepared statements: name -> when it was prepared, how often it ran */
async function preparedHere(c: pg.Client): Promise<Map<string, { at: string; runs: number }>> {
  const r = await c.query<{ name: string; at: string; runs: string }>(
    'SELECT name, prepare_time::text at, generic_plans + custom_plans runs FROM pg_prepared_statements',
  );
  return new Map(r.rows.map((x) => [x.name, { at: x.at, runs: Number(x.runs) }]));
}

/** the dispatcher's test for a lost connection (src/live/dispatch.ts) */
const lost = (e: unknown): boolean =>
  isConnectionLoss(e) || (sqlState(e)?.startsWith('08') ?? false) || sqlState(e) === '57P01';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('pipelined statements', () => {
  it("one row count per statement, in order; BEGIN's tag has none", async () => {
    const t = await scratchTable('counts');
    await withClient(async (c) => {
      const counts = await pipeline(c, [
        { name: 'begin', text: 'BEGIN', values: [] },
        {
          name: 'ins3',
          text: `INSERT INTO ${t} VALUES ($1, 'a'), ($2, 'a'), ($3, 'a')`,
          values: ['1', '2', '3'],
        },
        { name: 'upd_le', text: `UPDATE ${t} SET v = 'b' WHERE id <= $1`, values: ['2'] },
        { name: 'upd_eq', text: `UPDATE ${t} SET v = 'c' WHERE id = $1`, values: ['99'] },
        {
          name: 'ins3',
          text: `INSERT INTO ${t} VALUES ($1, 'a'), ($2, 'a'), ($3, 'a')`,
          values: ['4', '5', '6'],
        },
      ]);
      expect(counts).toEqual([null, 3, 2, 0, 3]);
      // the block stays open until COMMIT: no other session sees the rows yet
      expect(await ids(t)).toEqual([]);
      expect(await pipeline(c, [{ name: 'commit', text: 'COMMIT', values: [] }])).toEqual([null]);
      expect(await ids(t)).toEqual([1, 2, 3, 4, 5, 6]);
    });
  });

  it('a fresh connection prepares each statement once, then reuses it; another connection prepares its own', async () => {
    const t = await scratchTable('reuse');
    const ins = (id: number): Statement => ({
      name: 'ins1',
      text: `INSERT INTO ${t} VALUES ($1, $2)`,
      values: [String(id), 'x'],
    });
    await withClient(async (c) => {
      expect((await preparedHere(c)).size).toBe(0);
      await pipeline(c, [ins(1), ins(2)]);
      const first = (await preparedHere(c)).get('ins1');
      expect(first?.runs).toBe(2);
      await pipeline(c, [ins(3)]);
      // the same statement (prepared at the same time), run a third time: not parsed again
      expect((await preparedHere(c)).get('ins1')).toEqual({ at: first?.at, runs: 3 });
    });
    await withClient(async (c) => {
      await pipeline(c, [ins(4)]);
      expect((await preparedHere(c)).get('ins1')?.runs).toBe(1);
    });
    expect(await ids(t)).toEqual([1, 2, 3, 4]);
  });

  it("the 2nd statement failing leaves none of the transaction's rows; the statements after it were never prepared", async () => {
    const t = await scratchTable('fail');
    await admin().query(`INSERT INTO ${t} VALUES (2, 'old')`);
    const st = (name: string, id: number): Statement => ({
      name,
      text: `INSERT INTO ${t} VALUES ($1, '${name}')`,
      values: [String(id)],
    });
    await withClient(async (c) => {
      const e = await rejection(pipeline(c, [st('a', 1), st('b', 2), st('c', 3)]));
      expect(sqlState(e)).toBe('23505');
      expect(await ids(t)).toEqual([2]);
      // 'b' failed at Execute (parsed), 'c' was skipped (never parsed); to the client both are in doubt: the
      // next pipeline closes and parses each again (Parse alone would fail for 'b': it exists; Bind alone
      // for 'c': no such statement)
      expect([...(await preparedHere(c)).keys()].sort()).toEqual(['a', 'b']);
      expect(await pipeline(c, [st('c', 3), st('b', 4), st('a', 1)])).toEqual([1, 1, 1]);
      expect(await ids(t)).toEqual([1, 2, 3, 4]);
      expect([...(await preparedHere(c)).keys()].sort()).toEqual(['a', 'b', 'c']);
    });
  });

  it('a statement whose Parse fails is parsed again on its next use', async () => {
    const t = await scratchTable('parse');
    const later = `${t.slice(0, -1)}later"`;
    const st: Statement = { name: 'later_ins', text: `INSERT INTO ${later} VALUES ($1)`, values: ['1'] };
    await withClient(async (c) => {
      expect(sqlState(await rejection(pipeline(c, [st])))).toBe('42P01');
      await admin().query(`CREATE TABLE ${later} (id int)`);
      expect(await pipeline(c, [st])).toEqual([1]);
    });
  });

  it("sent ahead: written behind a pipeline that ends its transaction, each with its own Sync, so the first's error does not touch the second", async () => {
    const { t, ins } = await withRowTwo('ahead');
    await withClient(async (c) => {
      // nothing active on the connection: nothing to send ahead of (node-postgres submits it at once)
      const a = send(c, [ins(1), ins(2)], { ahead: true, endsTransaction: true });
      const b = send(c, [ins(3), ins(4)], { ahead: true, endsTransaction: true });
      // the third waits in node-postgres's queue behind the second: at most one ahead
      const d = send(c, [ins(5)], { ahead: true, endsTransaction: true });
      expect([a.sentAhead, b.sentAhead, d.sentAhead]).toEqual([false, true, false]);
      expect(sqlState(await rejection(a.done))).toBe('23505');
      expect(a.failedAt).toBe(1);
      expect(await b.done).toEqual([1, 1]);
      expect(await d.done).toEqual([1]);
      expect(await ids(t)).toEqual([2, 3, 4, 5]);
      expect(c.getTransactionStatus()).toBe('I');
    });
  });

  it('a pipeline the server fails settles when the server is ready again: what is sent then queues behind one, not two', async () => {
    const { t, ins } = await withRowTwo('settle');
    await withClient(async (c) => {
      // the error comes first, then 64 MB of a statement the server reads and skips up to the Sync: its
      // ReadyForQuery comes well after the ErrorResponse, which it flushes at once (~0.3 ms after with a small
      // pipeline, both in one read here; under load, in two)
      const skipped: Statement = {
        name: 'big',
        text: `INSERT INTO ${t} VALUES ($1, $2)`,
        values: ['5', 'x'.repeat(64 << 20)],
      };
      const a = send(c, [ins(2), skipped], { ahead: true, endsTransaction: true });
      const b = send(c, [ins(3)], { ahead: true, endsTransaction: true });
      expect(sqlState(await rejection(a.done))).toBe('23505');
      // as gen live's writer with 2 in flight: a's slot is free, b runs, and nothing waits behind it (settled
      // at the ErrorResponse, b still waited in node-postgres's queue: the next would be the second there)
      expect((c as unknown as { _queryQueue: unknown[] })._queryQueue).toHaveLength(0);
      const d = send(c, [ins(4)], { ahead: true, endsTransaction: true });
      expect(await b.done).toEqual([1]);
      expect(await d.done).toEqual([1]);
      expect(await ids(t)).toEqual([2, 3, 4]);
    });
  });

  it('never sent ahead of a pipeline that may leave a block open, nor of anything else node-postgres runs', async () => {
    const t = await scratchTable('behind');
    const ins = (id: number): Statement => ({
      name: 'ins',
      text: `INSERT INTO ${t} VALUES ($1, 'x')`,
      values: [String(id)],
    });
    await withClient(async (c) => {
      const open = send(c, [{ name: 'begin', text: 'BEGIN', values: [] }, ins(1)], { ahead: true });
      const next = send(c, [ins(2)], { ahead: true, endsTransaction: true });
      expect(next.sentAhead).toBe(false);
      await open.done;
      await next.done;
      // both in the open block
      expect(await ids(t)).toEqual([]);
      await pipeline(c, [{ name: 'commit', text: 'COMMIT', values: [] }]);
      expect(await ids(t)).toEqual([1, 2]);
      const q = c.query('SELECT pg_sleep(0.05)');
      const after = send(c, [ins(3)], { ahead: true, endsTransaction: true });
      expect(after.sentAhead).toBe(false);
      await q;
      await after.done;
      expect(await ids(t)).toEqual([1, 2, 3]);
    });
  });

  it('a connection lost inside a pipeline: classified as lost, nothing of it committed', async () => {
    const t = await scratchTable('lost');
    await withClient(async (c) => {
      const e = await rejection(
        pipeline(c, [
          { name: 'ins', text: `INSERT INTO ${t} VALUES ($1)`, values: ['1'] },
          { name: 'kill', text: 'SELECT pg_terminate_backend(pg_backend_pid())', values: [] },
          { name: 'ins', text: `INSERT INTO ${t} VALUES ($1)`, values: ['2'] },
        ]),
      );
      expect(lost(e), String(e)).toBe(true);
      expect(lost(await rejection(pipeline(c, [{ name: 'one', text: 'SELECT 1', values: [] }])))).toBe(true);
    });
    expect(await ids(t)).toEqual([]);
  });
});

describe('live transactions, pipelined', () => {
  const scenario = applyOverrides(loadScenario('tiny'), { hours: 1 });
  const plan = buildPlan(scenario);
  const txns = hourTransactions(plan, 0);

  /** the ids a transaction inserts into `name` */
  const insertedIds = (t: Txn, name: TableName): string[] => {
    const tb = table(name);
    const at = columnNames(tb).indexOf(tb.idColumn);
    return (t.inserts.find(([n]) => n === name)?.[1] ?? []).map((r) => lineValues(r)[at] ?? '');
  };
  const countIds = async (s: string, name: TableName, list: string[]): Promise<number> => {
    const tb = table(name);
    const r = await admin().query<{ n: string }>(
      `SELECT count(*) n FROM ${qualified(s, name)} WHERE ${ident(tb.idColumn)} = ANY($1::uuid[])`,
      [list],
    );
    return Number(r.rows[0]?.n);
  };
  const prepared = async (name: string): Promise<string> => {
    const s = schema(name);
    await prepareSchema(admin(), s, { start: plan.start, hours: 1 }, DEFAULT_LAYOUT);
    return s;
  };

  it("an INSERT failing in a transaction's 2nd statement leaves none of its rows", async () => {
    const s = await prepared('dup');
    const t = txns.find((x) => x.updates.length === 0 && x.inserts.length >= 3);
    if (!t) throw new Error('tiny hour 0 has no insert-only transaction of 3 tables');
    const [first, second] = t.inserts as [[TableName, CsvLine[]], [TableName, CsvLine[]]];
    const st = new Statements(s, DEFAULT_LAYOUT);
    await withClient(async (c) => {
      // the 2nd statement's rows exist already: its INSERT fails on the primary key
      await execute(c, st, { ...t, inserts: [second], updates: [] });
      const e = await rejection(execute(c, st, t));
      expect(sqlState(e)).toBe('23505');
      expect(await countIds(s, first[0], insertedIds(t, first[0]))).toBe(0);
      for (const [name] of t.inserts.slice(2)) expect(await countIds(s, name, insertedIds(t, name))).toBe(0);
      expect(c.getTransactionStatus()).toBe('I');
    });
  });

  it('a transaction sent ahead of one whose UPDATE finds no row commits; the failing one leaves none of its rows', async () => {
    const s = await prepared('ahead');
    const inHour = new Set(txns.flatMap((x) => x.inserts.flatMap(([n]) => insertedIds(x, n))));
    const t = txns.find(
      (x) => x.updates.length > 0 && x.inserts.length > 0 && x.updates.every((u) => !inHour.has(u.ref.id)),
    );
    const u = txns.find((x) => x.updates.length === 0 && x.inserts.length > 0);
    if (!t || !u)
      throw new Error('tiny hour 0 lacks a transaction that updates the snapshot, or one that only inserts');
    const [tName] = t.inserts[0] as [TableName, CsvLine[]];
    const [uName] = u.inserts[0] as [TableName, CsvLine[]];
    const st = new Statements(s, DEFAULT_LAYOUT);
    await withClient(async (c) => {
      const failing = execute(c, st, t, { ahead: true });
      const next = execute(c, st, u, { ahead: true });
      expect(await rejection(failing)).toBeInstanceOf(MissingRow);
      await next;
      expect(await countIds(s, tName, insertedIds(t, tName))).toBe(0);
      expect(await countIds(s, uName, insertedIds(u, uName))).toBe(insertedIds(u, uName).length);
      expect(c.getTransactionStatus()).toBe('I');
    });
  });

  it('an UPDATE that finds no row rolls the whole transaction back (MissingRow); with the row, it commits', async () => {
    const s = await prepared('missing');
    // the first transaction that inserts, and updates rows of the snapshot only (not loaded yet)
    const inHour = new Set(txns.flatMap((x) => x.inserts.flatMap(([n]) => insertedIds(x, n))));
    const t = txns.find(
      (x) => x.updates.length > 0 && x.inserts.length > 0 && x.updates.every((u) => !inHour.has(u.ref.id)),
    );
    if (!t) throw new Error('tiny hour 0 has no transaction that inserts and updates');
    const name = (t.inserts[0] as [TableName, CsvLine[]])[0];
    const st = new Statements(s, DEFAULT_LAYOUT);
    await withClient(async (c) => {
      const e = await rejection(execute(c, st, t));
      expect(e).toBeInstanceOf(MissingRow);
      expect(await countIds(s, name, insertedIds(t, name))).toBe(0);
      expect(c.getTransactionStatus()).toBe('I');
      // the snapshot's rows (loadSnapshot also marks the live run's table, which a real run has made)
      await admin().query(`CREATE TABLE ${qualified(s, LIVE_TABLE)} (snapshot boolean)`);
      await loadSnapshot(admin(), s, plan);
      await execute(c, st, t);
      expect(await countIds(s, name, insertedIds(t, name))).toBe(insertedIds(t, name).length);
      expect(c.getTransactionStatus()).toBe('I');
    });
  });
});
