/**
 * The query workload against a real server: every query's pruning claim holds for plan-time (literal) and
 * run-time (generic plan) pruning on loaded `tiny` data; the claims come out as the tags (1, 24,
 * 1 daily, all) on a 25-hour hourly layout; expectations follow the catalog for other layouts (unpartitioned,
 * DEFAULT partition); a wrong claim is caught; the load mode runs, stops, counts and measures from the
 * schedule under --rate.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at } from '../../src/at.js';
import { UserError } from '../../src/errors.js';
import { buildPlan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { prepareSchema } from '../../src/load/schema.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { HOUR_MS, partitionsFor } from '../../src/model/partitions.js';
import { type TableName, table } from '../../src/model/tables.js';
import { readCatalog } from '../../src/query/catalog.js';
import { runQueryCommand } from '../../src/query/command.js';
import { encodeQuery, sendEncoded } from '../../src/query/encoded-query.js';
import {
  checkPruning,
  checkQuery,
  expectedLeaves,
  type PreparedQuery,
  prepareSuite,
  type QueryCheck,
} from '../../src/query/explain.js';
import type { Percentiles, QueryReport } from '../../src/query/index.js';
import {
  loadSuite,
  type Params,
  parseQueryText,
  type Query,
  renderSql,
  timeOf,
  valuesOf,
} from '../../src/query/suite.js';
import { isLoopback, runWorkload, schedule } from '../../src/query/workload.js';
import { formatQueryReport, formatQueryRun } from '../../src/report/query-text.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const url = inject('databaseUrl');
const suffix = randomBytes(4).toString('hex');
/** tiny, loaded */
const TINY = `it_query_${suffix}`;
/** the tables and partitions of a 25-hour window, empty: EXPLAIN on empty partitions is instant */
const WIDE = `it_query_wide_${suffix}`;
/** shop_order in other layouts, filled from TINY */
const ODD = `it_query_odd_${suffix}`;
const SEED = 7;
const scenario = applyOverrides(loadScenario('tiny'), {});
const DAY0 = Date.parse('2026-11-27T00:00:00Z');

let db: pg.Client;
let suite: Query[];
let prepared: PreparedQuery[];
let checks: QueryCheck[];

const query = (name: string): Query => {
  const q = suite.find((s) => s.name === name);
  if (!q) throw new Error(`no query ${name}`);
  return q;
};
const iso = (ms: number): string => new Date(ms).toISOString();
/** `items` has one whose name is `name` (a query, a prepared query, a check): that one. */
function named<T>(items: readonly T[], name: string, nameOf: (x: T) => string): T {
  const found = items.find((x) => nameOf(x) === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
  await runLoad({ plan: buildPlan(scenario), target: { kind: 'db', url, schema: TINY }, jobs: 2 });
  await prepareSchema(db, WIDE, { start: DAY0, hours: 25 });
  suite = loadSuite();
  prepared = await prepareSuite(db, { schema: TINY, seed: SEED });
  checks = await checkPruning({ client: db, schema: TINY, seed: SEED });
});

afterAll(async () => {
  if (!db) return;
  try {
    for (const s of [TINY, WIDE, ODD]) await db.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
  } finally {
    await db.end();
  }
});

describe('the suite', () => {
  it('has the issue queries, each file with its header, in the issue order', () => {
    expect(suite.map((q) => q.name)).toEqual([
      'shop-orders-hour',
      'shop-revenue-day',
      'top-products-day',
      'user-order-history',
      'order-detail',
      'api-error-rate',
      'entity-type',
    ]);
    for (const q of suite) {
      expect(q.description.length, q.name).toBeGreaterThan(10);
      expect(q.range.length, q.name).toBeGreaterThan(10);
      expect(q.checks.length, q.name).toBeGreaterThan(0);
      expect(q.sql, q.name).toContain('{{schema}}.');
    }
  });

  it('rejects a malformed query file', () => {
    const header = '-- name: x\n-- description: d\n-- checks: shop_order\n-- range: r\n';
    expect(() => parseQueryText('x.sql', `${header}-- params: $1 id uuid\nSELECT 1`)).toThrow(
      /uses .* declares 1/,
    );
    expect(() => parseQueryText('x.sql', `${header}-- params: $2 id uuid\nSELECT $2`)).toThrow(/\$1/);
    expect(() => parseQueryText('y.sql', `${header}-- params: none\nSELECT 1`)).toThrow(/file name/);
    expect(() => parseQueryText('x.sql', `${header}SELECT 1`)).toThrow(/params.*missing/);
    expect(parseQueryText('x.sql', `${header}-- params: none\nSELECT 1`).sql).toBe('SELECT 1');
  });

  it('substitutes the schema and literal values in one pass, quoting both', () => {
    const q = parseQueryText(
      'x.sql',
      '-- name: x\n-- description: d\n-- checks: t\n-- range: r\n-- params: $1 name text\n' +
        'SELECT * FROM {{schema}}.t WHERE name = $1',
    );
    expect(renderSql(q, 'we"ird$1', ["it's {{schema}}"])).toBe(
      `SELECT * FROM "we""ird$1".t WHERE name = 'it''s {{schema}}'::text`,
    );
  });

  it('draws the same parameters for the same seed, real rows of the loaded data', async () => {
    const again = await prepareSuite(db, { schema: TINY, seed: SEED });
    expect(again.map((p) => p.sets)).toEqual(prepared.map((p) => p.sets));
    const other = await prepareSuite(db, { schema: TINY, seed: SEED + 1, queries: ['shop-orders-hour'] });
    expect(at(other, 0).sets).not.toEqual(at(prepared, 0).sets);
    for (const p of prepared) expect(p.sets.length, p.query.name).toBeGreaterThan(0);
    // every hour query names a shop that has an order in that hour
    for (const p of at(prepared, 0).sets) {
      const r = await db.query(
        `select 1 from ${qualified(TINY, 'shop_order')} where shop_id = $1 and event_time >= $2 and event_time < $3`,
        [p.shop_id, p.from, p.to],
      );
      expect(r.rowCount, JSON.stringify(p)).toBeGreaterThan(0);
    }
    // "the last N hours" ends with the loaded window, not the wall clock
    const api = at(named(prepared, 'api-error-rate', (p) => p.query.name).sets, 0);
    expect(timeOf(api, 'to')).toBe(scenario.start + scenario.hours * HOUR_MS);
    expect(timeOf(api, 'from')).toBe(scenario.start + (scenario.hours - 2) * HOUR_MS);
  });

  it('order-detail finds all of the order items and payments within its time range', async () => {
    const q = query('order-detail');
    for (const p of named(prepared, 'order-detail', (x) => x.query.name).sets) {
      const r = await db.query<{
        id: string;
        item_count: number;
        items: unknown[] | null;
        payments: unknown[] | null;
      }>(renderSql(q, TINY), valuesOf(q, p));
      expect(r.rows.length).toBe(1);
      const row = at(r.rows, 0);
      expect(row.items?.length, row.id).toBe(row.item_count);
      const payments = await db.query<{ n: string }>(
        // its attempts: a refund is a later payment row, outside the order's hour (and the query's range)
        `select count(*) n from ${qualified(TINY, 'shop_order_payment')}
         where shop_order_id = $1 and status <> 'refunded'`,
        [row.id],
      );
      const got = row.payments?.length ?? 0;
      expect(got, row.id).toBe(Number(at(payments.rows, 0).n));
    }
  });
});

describe('pruning on tiny', () => {
  it('every query, literal and generic, scans exactly the partitions its claim expects', () => {
    expect(checks.map((c) => c.name)).toEqual(suite.map((q) => q.name));
    for (const c of checks) {
      for (const kind of ['literal', 'generic'] as const) {
        const detail = JSON.stringify(c.tables[kind]);
        expect(c[kind].ok, `${c.name} ${kind}: ${detail}`).toBe(true);
        expect(c[kind].partitionsScanned, `${c.name} ${kind}`).toBe(c[kind].partitionsExpected);
        for (const t of c.tables[kind]) expect(t.scanned, `${c.name} ${kind} ${t.table}`).toEqual(t.expected);
      }
    }
    // tiny is 3 hours of one day: "a day" is its 3 hourly partitions, the daily table has one partition
    const expected = Object.fromEntries(checks.map((c) => [c.name, c.literal.partitionsExpected]));
    expect(expected).toEqual({
      'shop-orders-hour': 1,
      'shop-revenue-day': 3,
      'top-products-day': 1,
      'user-order-history': 3,
      'order-detail': 3,
      'api-error-rate': 2,
      'entity-type': 3,
    });
  });

  it('expectations equal the partitions of the model that overlap each drawn range', async () => {
    const catalog = await readCatalog(db, TINY, [...new Set(suite.flatMap((q) => q.checks))]);
    for (const p of prepared) {
      for (const set of p.sets) {
        const want = expectedLeaves(p.query, set, catalog);
        for (const r of p.query.reads(set)) {
          const parts = partitionsFor(table(r.table as TableName), scenario.start, scenario.hours);
          const overlapping = parts.filter(
            (x) => r.range === null || (x.from < r.range.to && r.range.from < x.to),
          );
          expect([...(want.get(r.table) ?? [])].sort(), `${p.query.name} ${r.table}`).toEqual(
            overlapping.map((x) => x.name).sort(),
          );
        }
      }
    }
  });

  it('the generic plan of the hour query prunes at run time, the literal one at plan time', () => {
    const c = named(checks, 'shop-orders-hour', (x) => x.name);
    expect(c.generic.subplansRemoved).toBe(c.generic.partitionsTotal - 1);
    expect(c.generic.subplansRemoved).toBeGreaterThan(0);
    expect(c.literal.subplansRemoved).toBe(0);
  });

  it('detects a claim the query does not keep: no time predicate, or the wrong hour', async () => {
    const hour = query('shop-orders-hour');
    const p = at(at(prepared, 0).sets, 0);
    const noTime: Query = {
      ...hour,
      name: 'shop-orders-hour-without-time',
      sql: 'SELECT id FROM {{schema}}.shop_order WHERE shop_id = $1',
    };
    const c = await checkQuery(db, TINY, noTime, p);
    for (const kind of ['literal', 'generic'] as const) {
      expect(c[kind].ok, kind).toBe(false);
      expect(c[kind].partitionsExpected, kind).toBe(1);
      expect(c[kind].partitionsScanned, kind).toBe(3);
    }
    // as many partitions as claimed, but not the claimed one
    const shift = timeOf(p, 'from') === scenario.start ? HOUR_MS : -HOUR_MS;
    const wrongHour: Query = {
      ...hour,
      reads: (x: Params) => [
        { table: 'shop_order', range: { from: timeOf(x, 'from') + shift, to: timeOf(x, 'to') + shift } },
      ],
    };
    const w = await checkQuery(db, TINY, wrongHour, p);
    expect(w.literal.partitionsScanned).toBe(w.literal.partitionsExpected);
    expect(w.literal.ok).toBe(false);
    expect(w.generic.ok).toBe(false);

    // and the report says so
    const text = formatQueryReport(reportOf([c]));
    expect(text).toMatch(/1\/3\/3 FAIL/);
    expect(text).toContain('PRUNING CLAIM FAILED: shop-orders-hour-without-time (literal plan)');
  });
});

describe('pruning in other layouts', () => {
  it('gives the issue tags on a 25-hour hourly window: 1, 24, 1 daily, all', async () => {
    const shop = randomUUID();
    const hour = DAY0 + 10 * HOUR_MS;
    const day = { from: iso(DAY0), to: iso(DAY0 + 24 * HOUR_MS) };
    const cases: [string, Params, number, number][] = [
      ['shop-orders-hour', { shop_id: shop, from: iso(hour), to: iso(hour + HOUR_MS) }, 1, 25],
      ['shop-revenue-day', { shop_id: shop, ...day }, 24, 25],
      ['top-products-day', { ...day, top: 10 }, 1, 2],
      ['user-order-history', { user_id: randomUUID() }, 25, 25],
    ];
    for (const [name, params, expected, total] of cases) {
      const c = await checkQuery(db, WIDE, query(name), params);
      for (const kind of ['literal', 'generic'] as const) {
        expect(c[kind].partitionsExpected, `${name} ${kind}`).toBe(expected);
        expect(c[kind].partitionsTotal, `${name} ${kind}`).toBe(total);
        expect(c[kind].ok, `${name} ${kind} ${JSON.stringify(c.tables[kind])}`).toBe(true);
      }
      // a generic plan holds every partition and drops the others when it starts
      expect(c.generic.subplansRemoved, name).toBe(total - expected);
    }
  });

  it('counts an unpartitioned table as one partition, and a DEFAULT partition only when needed', async () => {
    const src = qualified(TINY, 'shop_order');
    await db.query(`CREATE SCHEMA ${ident(ODD)}`);
    const hourQ = query('shop-orders-hour');
    const p = at(at(prepared, 0).sets, 0);

    await db.query(`CREATE TABLE ${qualified(ODD, 'shop_order')} AS SELECT * FROM ${src}`);
    const plain = await checkQuery(db, ODD, hourQ, p);
    expect(plain.literal).toMatchObject({
      partitionsExpected: 1,
      partitionsScanned: 1,
      partitionsTotal: 1,
      ok: true,
    });
    expect(plain.generic.ok).toBe(true);
    await db.query(`DROP TABLE ${qualified(ODD, 'shop_order')}`);

    // hours 0 and 1 of their own, the rest in DEFAULT
    const t = qualified(ODD, 'shop_order');
    const bound = (h: number): string => `'${iso(DAY0 + h * HOUR_MS)}'`;
    await db.query(`CREATE TABLE ${t} (LIKE ${src}) PARTITION BY RANGE (event_time)`);
    await db.query(
      `CREATE TABLE ${qualified(ODD, 'h0')} PARTITION OF ${t} FOR VALUES FROM (${bound(0)}) TO (${bound(1)})`,
    );
    await db.query(
      `CREATE TABLE ${qualified(ODD, 'h1')} PARTITION OF ${t} FOR VALUES FROM (${bound(1)}) TO (${bound(2)})`,
    );
    await db.query(`CREATE TABLE ${qualified(ODD, 'rest')} PARTITION OF ${t} DEFAULT`);
    await db.query(`INSERT INTO ${t} SELECT * FROM ${src}`);
    const hoursFrom = (h: number, hours = 1): Params => ({
      ...p,
      from: iso(DAY0 + h * HOUR_MS),
      to: iso(DAY0 + (h + hours) * HOUR_MS),
    });
    const cases: [Params, string[]][] = [
      [hoursFrom(0), ['h0']],
      [hoursFrom(2), ['rest']],
      [hoursFrom(1, 2), ['h1', 'rest']],
    ];
    for (const [params, leaves] of cases) {
      const c = await checkQuery(db, ODD, hourQ, params);
      expect(at(c.tables.literal, 0).expected, JSON.stringify(params)).toEqual(leaves);
      expect(c.literal.ok, JSON.stringify(c.tables.literal)).toBe(true);
      expect(c.generic.ok, JSON.stringify(c.tables.generic)).toBe(true);
      expect(c.literal.partitionsTotal).toBe(3);
    }
  });
});

describe("the load's messages", () => {
  it('are the bytes node-postgres writes for the same query and values', async () => {
    const stream = db.connection.stream as unknown as { write: (b: Buffer, ...rest: unknown[]) => boolean };
    const write = stream.write;
    for (const p of prepared) {
      const text = renderSql(p.query, TINY);
      const values = valuesOf(p.query, at(p.sets, 0));
      const written: Buffer[] = [];
      stream.write = (b: Buffer, ...rest: unknown[]) => {
        written.push(Buffer.from(b));
        return write.call(stream, b, ...rest);
      };
      try {
        await db.query({ text, values });
      } finally {
        stream.write = write;
      }
      expect(encodeQuery(text, values).equals(Buffer.concat(written)), p.query.name).toBe(true);
    }
  });

  it("count the answer's rows, reject with the server's error, and leave the connection usable", async () => {
    for (const p of prepared) {
      const text = renderSql(p.query, TINY);
      const values = valuesOf(p.query, at(p.sets, 0));
      const { rows } = await db.query({ text, values });
      expect(await sendEncoded(db, encodeQuery(text, values)), p.query.name).toBe(rows.length);
    }
    const many = encodeQuery('select g from generate_series(1, $1::int) g', [1234]);
    expect(await sendEncoded(db, many)).toBe(1234);
    const failing = sendEncoded(db, encodeQuery('select 1 / $1::int', [0]));
    // queued behind the failing one on the same connection: it runs once the error's Sync is answered
    const after = sendEncoded(db, encodeQuery("select 'é' || $1::text", ['ü']));
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    expect(await after).toBe(1);
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('load mode', () => {
  it('runs 4 clients for about a second: counts, no errors, ordered percentiles', async () => {
    const closed = await runWorkload({ url, schema: TINY, clients: 4, durationMs: 1000, seed: SEED, checks });
    expect(closed.clients).toBe(4);
    expect(closed.errors).toBe(0);
    expect(closed.qps).toBeGreaterThan(0);
    expect(closed.rate).toBeUndefined();
    expect(closed.queries.map((q) => q.name)).toEqual(suite.map((q) => q.name));
    for (const q of closed.queries) {
      expect(q.count, q.name).toBeGreaterThan(0);
      expect(q.errors, q.name).toBe(0);
      expect(q.latencyMs.count, q.name).toBe(q.count);
      expectOrdered(q.latencyMs, q.name);
      // each latency split in two: the server's part and this process's
      const server = q.serverMs;
      const client = q.clientMs;
      if (server === undefined || client === undefined) throw new Error(`${q.name}: no server/client split`);
      expect([server.count, client.count], q.name).toEqual([q.count, q.count]);
      expect(server.p50, q.name).toBeGreaterThan(0);
      expect(client.p50, q.name).toBeGreaterThan(0);
      expect(server.max, q.name).toBeLessThanOrEqual(q.latencyMs.max);
      expect(client.max, q.name).toBeLessThanOrEqual(q.latencyMs.max);
    }
    // it stopped by itself, soon after the duration (in-flight queries finish)
    expect(closed.durationMs).toBeGreaterThanOrEqual(1000);
    expect(closed.durationMs).toBeLessThan(10_000);
  });

  it('runs exactly --count queries, the mix round-robin', async () => {
    const r = await runWorkload({ url, schema: TINY, clients: 3, count: 21, seed: SEED, checks });
    expect(r.queries.map((q) => q.count)).toEqual(suite.map(() => 3));
  });

  it('with a rate far above what the server serves, latency counts from the schedule', async () => {
    const rate = 100_000;
    // the service time of each query, closed loop with the same clients
    const base = await runWorkload({ url, schema: TINY, clients: 4, count: 280, seed: SEED, checks });
    const r = await runWorkload({
      url,
      schema: TINY,
      clients: 4,
      durationMs: 1000,
      rate,
      seed: SEED,
      checks,
    });
    expect(r.rate).toBe(rate);
    expect(r.errors).toBe(0);
    const total = r.queries.reduce((a, q) => a + q.count, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(rate);
    for (const q of r.queries) {
      expectOrdered(q.latencyMs, q.name);
      // the backlog grows for the whole second: waiting counts, so p99 is far above the service time
      const service = named(base.queries, q.name, (c) => c.name).latencyMs.mean;
      expect(q.latencyMs.p99, q.name).toBeGreaterThan(10 * service);
      // ... and it is the client's part (waiting for a free connection), not the server's
      expect(q.clientMs?.p99, q.name).toBeGreaterThan(10 * service);
      expect(q.serverMs?.p50, q.name).toBeLessThan(q.latencyMs.p50 / 5);
    }
  });

  it("a query the server holds up is the server's part of its latency", async () => {
    // the suite's queries on shop_order (the first is shop-orders-hour) wait ~400 ms for this lock, taken
    // once the parameters are drawn (they read shop_order too) and granted long before the clients have
    // connected (the server reads the LOCK as it arrives; a connection takes a fork and a login)
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    let release: NodeJS.Timeout | undefined;
    try {
      await locker.query('BEGIN');
      const r = await runWorkload({
        url,
        schema: TINY,
        clients: 1,
        count: 7,
        seed: SEED,
        checks,
        onChecks: () => {
          void locker.query(`LOCK TABLE ${qualified(TINY, 'shop_order')} IN ACCESS EXCLUSIVE MODE`);
          release = setTimeout(() => void locker.query('COMMIT'), 400);
        },
      });
      const held = r.queries.filter((q) => q.latencyMs.max >= 300);
      expect(held.length).toBeGreaterThan(0);
      for (const q of held) {
        expect(q.serverMs?.max, q.name).toBeGreaterThanOrEqual(300);
        expect(q.clientMs?.max, q.name).toBeLessThan(100);
      }
    } finally {
      clearTimeout(release);
      await locker.end();
    }
  });

  it('at a rate the server keeps up with, starts no more queries than scheduled', async () => {
    const r = await runWorkload({
      url,
      schema: TINY,
      clients: 2,
      durationMs: 500,
      rate: 40,
      seed: SEED,
      checks,
    });
    const total = r.queries.reduce((a, q) => a + q.count + q.errors, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(20);
    expect(r.arrivals).toBe('even');
  });

  it('with Poisson arrivals, starts the queries its seeded schedule has in the duration', async () => {
    const o = { url, schema: TINY, clients: 2, durationMs: 1000, rate: 40, seed: SEED, checks } as const;
    const r = await runWorkload({ ...o, arrivals: 'poisson' });
    expect(r.arrivals).toBe('poisson');
    const at = schedule(o.rate, 'poisson', SEED);
    let due = 0;
    while (at(due) < o.durationMs) due++;
    const total = r.queries.reduce((a, q) => a + q.count + q.errors, 0);
    // the last ones may find the duration over by the time a client is free
    expect(total).toBeLessThanOrEqual(due);
    expect(total).toBeGreaterThanOrEqual(due - 2);
    await expect(runWorkload({ ...o, rate: undefined, arrivals: 'poisson' })).rejects.toThrow(
      /arrivals poisson is not allowed; expected no arrivals without a rate/,
    );
  });

  it('gen query: the command prints the table and reports ok', async () => {
    const r = await runQueryCommand({ url, schema: TINY, clients: 2, count: 14, seed: SEED });
    expect(r.ok).toBe(true);
    const text = formatQueryRun(r);
    for (const q of suite) expect(text).toContain(q.name);
    expect(text).toMatch(/14 queries in .* by 2 clients/);
    expect(text).not.toContain('FAIL');
  });

  it('refuses a remote server and bad options before connecting', async () => {
    expect(isLoopback('postgres://u:p@127.0.0.1:5432/db')).toBe(true);
    expect(isLoopback('postgres://u:p@localhost/db')).toBe(true);
    expect(isLoopback('postgres://u:p@[::1]:5432/db')).toBe(true);
    expect(isLoopback('postgres://u:p@10.1.2.3:5432/db')).toBe(false);
    expect(isLoopback('postgres://u:p@db.example.com/db')).toBe(false);
    const remote = runWorkload({ url: 'postgres://u:p@192.0.2.1/db', schema: TINY, clients: 1, seed: 1 });
    await expect(remote).rejects.toThrow(UserError);
    await expect(remote).rejects.toThrow(/loopback/);
    await expect(runWorkload({ url, schema: TINY, clients: 0, seed: 1 })).rejects.toThrow(/clients 0/);
    await expect(runWorkload({ url, schema: `${TINY}_nope`, clients: 1, count: 1, seed: 1 })).rejects.toThrow(
      UserError,
    );
  });
});

/**
 * p50 <= p95 <= p99 <= max. The percentiles come from HDR buckets of 3 significant digits (the highest value
 * of the bucket) while max is the exact value, so p99 may exceed max by the bucket width, 0.1%.
 */
function expectOrdered(l: Percentiles, what: string): void {
  expect(l.p50, what).toBeLessThanOrEqual(l.p95);
  expect(l.p95, what).toBeLessThanOrEqual(l.p99);
  expect(l.p99, what).toBeLessThanOrEqual(l.max * 1.001);
  expect(l.max, what).toBeGreaterThan(0);
}

function reportOf(cs: QueryCheck[]): QueryReport {
  const none: Percentiles = { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    schema: TINY,
    clients: 1,
    durationMs: 0,
    queries: cs.map((c) => ({
      name: c.name,
      description: c.description,
      literal: c.literal,
      generic: c.generic,
      latencyMs: none,
      count: 0,
      errors: 0,
      qps: 0,
    })),
    qps: 0,
    errors: 0,
  };
}
