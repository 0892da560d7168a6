/**
 * Dashboards under a moving scenario clock, against a real server: `tiny` is bulk-loaded, then a fake clock
 * walks its three hours in about two seconds of wall time. Every query runs without error, each latency is
 * split into the server's part and this process's, the per-hour buckets follow the clock, a failing query is counted and the others go on, an abort stops the run
 * promptly, and a schema without the tables or without a population at the window start is a UserError.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { buildPlan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { HOUR_MS } from '../../src/model/partitions.js';
import { type DashboardOptions, runDashboards } from '../../src/query/dashboards.js';
import { loadSuite } from '../../src/query/suite.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const url = inject('databaseUrl');
const SCHEMA = `it_dash_${randomBytes(4).toString('hex')}`;
const scenario = applyOverrides(loadScenario('tiny'), {});
const START = Date.parse('2026-11-27T00:00:00Z');
const HOURS = 3;
const WALK_MS = 2000;

let db: pg.Client;

beforeAll(async () => {
  expect(scenario.start).toBe(START);
  expect(scenario.hours).toBe(HOURS);
  db = new pg.Client({ connectionString: url });
  await db.connect();
  await runLoad({ plan: buildPlan(scenario), target: { kind: 'db', url, schema: SCHEMA }, jobs: 2 });
});

afterAll(async () => {
  if (!db) return;
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`);
  } finally {
    await db.end();
  }
});

/**
 * A clock that walks the window in WALK_MS of wall time from its first reading (the first query, so setup
 * time does not count), then stays at the window's last millisecond; `end` aborts the run 200 ms after that.
 */
function walkingClock(end?: AbortController): () => number {
  let t0: number | undefined;
  return () => {
    const now = performance.now();
    t0 ??= now;
    if (now - t0 >= WALK_MS + 200) end?.abort();
    return Math.min(START + ((now - t0) / WALK_MS) * HOURS * HOUR_MS, START + HOURS * HOUR_MS - 1);
  };
}

function options(signal: AbortSignal, over: Partial<DashboardOptions> = {}): DashboardOptions {
  return {
    url,
    schema: SCHEMA,
    clients: 2,
    seed: 7,
    clock: walkingClock(),
    windowStart: START,
    signal,
    ...over,
  };
}

const hourIso = (h: number): string => new Date(START + h * HOUR_MS).toISOString();

describe('runDashboards', () => {
  it('runs every query of the suite while the clock walks the window, bucketed by scenario hour', async () => {
    const seen = new Map<string, number>();
    const errors: string[] = [];
    const end = new AbortController();
    const report = await runDashboards(
      options(end.signal, {
        clock: walkingClock(end),
        onQuery: (name, ms) => {
          expect(ms).toBeGreaterThanOrEqual(0);
          seen.set(name, (seen.get(name) ?? 0) + 1);
        },
        onError: (name, e) => errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`),
      }),
    );
    expect(errors).toEqual([]);
    expect(report.queries.map((q) => q.name)).toEqual(loadSuite().map((q) => q.name));
    const window = Array.from({ length: HOURS }, (_, h) => hourIso(h));
    const allHours = new Set<string>();
    for (const q of report.queries) {
      expect(q.errors, q.name).toBe(0);
      expect(q.count, q.name).toBeGreaterThan(0);
      expect(seen.get(q.name), q.name).toBe(q.count);
      expect(q.overall.count, q.name).toBe(q.count);
      expect(q.overall.p50, q.name).toBeGreaterThan(0);
      // each latency split in two where it was measured: the server's part (written to answer read) and ours
      expect(q.serverMs?.count, q.name).toBe(q.count);
      expect(q.clientMs?.count, q.name).toBe(q.count);
      expect(q.serverMs?.p50, q.name).toBeGreaterThan(0);
      expect(q.clientMs?.p50, q.name).toBeGreaterThan(0);
      // per query, server <= whole: so is every percentile
      for (const k of ['p50', 'p95', 'p99', 'max'] as const) {
        expect(q.serverMs?.[k], `${q.name} ${k}`).toBeLessThanOrEqual(q.overall[k]);
      }
      // buckets are hours of the window, in order, and add up to the query's count
      const hours = q.byHour.map((b) => b.hour);
      expect(hours, q.name).toEqual([...hours].sort());
      for (const h of hours) expect(window, q.name).toContain(h);
      expect(
        q.byHour.reduce((a, b) => a + b.count, 0),
        q.name,
      ).toBe(q.count);
      for (const b of q.byHour) expect(b.p99, `${q.name} ${b.hour}`).toBeGreaterThanOrEqual(b.p50);
      for (const h of hours) allHours.add(h);
    }
    // the clock moved through the whole window, and the queries with no wait for data saw all of it
    expect([...allHours].sort()).toEqual(window);
    const lastHour = report.queries.find((q) => q.name === 'shop-orders-hour');
    expect(lastHour?.byHour.map((b) => b.hour)).toEqual(window);
  });

  it('counts a failing query and goes on with the others', async () => {
    const failures: string[] = [];
    const end = new AbortController();
    let first: () => void = () => undefined;
    const started = new Promise<void>((r) => {
      first = r;
    });
    const run = runDashboards(
      options(end.signal, {
        clock: walkingClock(end),
        onQuery: () => first(),
        onError: (name) => failures.push(name),
      }),
    );
    // the table disappears under a running dashboard (the start checks that it is there)
    await started;
    await db.query(`ALTER TABLE ${qualified(SCHEMA, 'request_response_log')} RENAME TO request_log_away`);
    try {
      const report = await run;
      for (const q of report.queries) {
        if (q.name === 'api-error-rate') {
          expect(q.errors).toBeGreaterThan(0);
          expect(failures.filter((f) => f === q.name).length).toBe(q.errors);
        } else {
          expect(q.errors, q.name).toBe(0);
          expect(q.count, q.name).toBeGreaterThan(0);
        }
      }
      expect(failures.every((f) => f === 'api-error-rate')).toBe(true);
    } finally {
      await db.query(`ALTER TABLE ${qualified(SCHEMA, 'request_log_away')} RENAME TO request_response_log`);
    }
  });

  it('stops promptly when aborted, with a query in flight or a client thinking', async () => {
    for (const thinkMs of [0, 60_000]) {
      const ac = new AbortController();
      let first: () => void = () => undefined;
      const started = new Promise<void>((r) => {
        first = r;
      });
      // abort once queries are running: with thinkMs 0 others are in flight then, with 60 s all clients think
      const run = runDashboards(options(ac.signal, { thinkMs, onQuery: () => first() }));
      await started;
      await new Promise((r) => setTimeout(r, 100));
      const t = performance.now();
      ac.abort();
      const report = await run;
      expect(performance.now() - t, `thinkMs ${thinkMs}`).toBeLessThan(1000);
      expect(
        report.queries.reduce((a, q) => a + q.count, 0),
        `thinkMs ${thinkMs}`,
      ).toBeGreaterThan(0);
    }
    // aborted before it starts: nothing runs
    const report = await runDashboards(options(AbortSignal.abort()));
    expect(report.queries.every((q) => q.count === 0 && q.errors === 0)).toBe(true);
  });

  it('is a UserError on a schema without the tables or without a population at the window start', async () => {
    const signal = AbortSignal.timeout(5000);
    await expect(runDashboards(options(signal, { schema: `${SCHEMA}_none` }))).rejects.toThrow(UserError);
    await expect(runDashboards(options(signal, { schema: `${SCHEMA}_none` }))).rejects.toThrow(/no table/);
    await expect(runDashboards(options(signal, { windowStart: START + HOUR_MS }))).rejects.toThrow(
      /has no shops with event_time = 2026-11-27T01:00:00.000Z/,
    );
    await expect(runDashboards(options(signal, { clients: 0 }))).rejects.toThrow(/--clients 0/);
  });
});
