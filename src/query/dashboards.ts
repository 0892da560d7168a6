/**
 * Dashboards under a live run (issue 7, "Dashboards meanwhile"): N clients, one connection each, run the
 * query suite round-robin with parameters relative to the scenario clock (dashboard-params.ts), until the
 * signal aborts. Latencies go into HDR histograms per query, overall and per scenario hour (the hour of the
 * clock when the query was sent), so a report can show how a query slows as the partitions fill.
 *
 * Closed loop: a client sends its next query when the last one has returned (plus `thinkMs`), the way a
 * dashboard refreshes; the latency is that of the query itself. Each query is sent as gen query's load sends it
 * (encoded-query.ts: the messages node-postgres would write, encoded when the query is drawn, the answer's rows
 * counted, not turned into objects), and its latency is split as gen query splits it: the server's part, from
 * the messages written to the answer's last bytes read, and this process's own (encoding, writing, reading).
 * A failed query is counted and the client goes on (after reconnecting when the connection is gone); the run is
 * not stopped by it. Independent of the live runner: all it needs is a connection string, the clock and the
 * signal.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { at } from '../at.js';
import { connect } from '../db/connection.js';
import { UserError } from '../errors.js';
import { floorTo } from '../model/partitions.js';
import {
  picker,
  type RecentOrder,
  RULES,
  type RuleContext,
  samplePopulation,
  sampleRecentOrders,
} from './dashboard-params.js';
import { encodeQuery, readClock, sendEncoded } from './encoded-query.js';
import { DEFAULT_LAST_HOURS } from './explain.js';
import { type HourFigures, HourlyLatencies, Latencies, type Percentiles } from './latencies.js';
import { loadSuite, renderSql, type Value, valuesOf } from './suite.js';

export interface DashboardOptions {
  /** connection string (each client its own connection) */
  url: string;
  schema: string;
  clients: number;
  seed: number;
  /** the scenario clock, epoch ms (advances while the run plays) */
  clock: () => number;
  /** epoch ms of the scenario window start (no data before it; the population has this event_time) */
  windowStart: number;
  /** stop when aborted */
  signal: AbortSignal;
  /** hook for live metrics: each query that succeeded, with its latency */
  onQuery?: (name: string, ms: number) => void;
  /** each query that failed (the report only counts them) */
  onError?: (name: string, err: unknown) => void;
  /** pause between a client's queries (default 0) */
  thinkMs?: number;
}

export interface DashboardQuery {
  name: string;
  count: number;
  errors: number;
  overall: Percentiles;
  /**
   * the server's part of each latency: from the query's messages written to its answer's last bytes read;
   * reports written before 6 December 2026 have none
   */
  serverMs?: Percentiles;
  /** the rest of each latency: this process's own (encoding the messages, writing them, reading the answer) */
  clientMs?: Percentiles;
  byHour: HourFigures[];
}

export interface DashboardReport {
  queries: DashboardQuery[];
}

const MAX_CLIENTS = 1000;
/** server-side bound on one query, so that an abort never waits on a runaway scan for long */
const STATEMENT_TIMEOUT_MS = 30_000;
/** after an abort, how long in-flight queries may take before their connections are closed under them */
const ABORT_GRACE_MS = 500;
/** how soon to sample the last hour's orders again when the last sample found none */
const ORDER_RETRY_MS = 1000;
/** how long a client waits before reconnecting after its connection was lost */
const RECONNECT_MS = 1000;

function validate(o: DashboardOptions): void {
  const bad = (what: string, v: unknown, expected: string): never => {
    throw new UserError(`${what} ${String(v)} is not allowed; expected ${expected}`);
  };
  if (!Number.isInteger(o.clients) || o.clients < 1 || o.clients > MAX_CLIENTS) {
    bad('--clients', o.clients, `an integer from 1 to ${MAX_CLIENTS}`);
  }
  if (o.thinkMs !== undefined && !(Number.isFinite(o.thinkMs) && o.thinkMs >= 0)) {
    bad('think time', o.thinkMs, 'a number of milliseconds, 0 or more');
  }
  if (!Number.isFinite(o.windowStart)) bad('window start', o.windowStart, 'epoch milliseconds');
}

/** A pause that ends early, without throwing, when the signal aborts. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

class Tally {
  readonly overall = new Latencies();
  readonly server = new Latencies();
  readonly client = new Latencies();
  readonly hours = new HourlyLatencies();
  count = 0;
  errors = 0;

  record(hour: number, ms: number, serverMs: number): void {
    this.overall.record(ms);
    this.server.record(serverMs);
    this.client.record(ms - serverMs);
    this.hours.record(hour, ms);
    this.count++;
  }
}

/**
 * The last hour's orders, shared by all clients: sampled again when the clock enters a new hour, or a second
 * later when the last sample found none. One client samples at a time; the others use the previous sample.
 */
class RecentOrders {
  orders: readonly RecentOrder[] = [];
  private hour: number | undefined;
  private lastTry = -Infinity;
  private busy = false;

  constructor(
    private readonly schema: string,
    private readonly seed: number,
  ) {}

  async refresh(client: pg.ClientBase, now: number): Promise<void> {
    const hour = floorTo(now, 'hour');
    const stale =
      hour !== this.hour || (this.orders.length === 0 && performance.now() - this.lastTry >= ORDER_RETRY_MS);
    if (!stale || this.busy) return;
    this.busy = true;
    this.lastTry = performance.now();
    try {
      this.orders = await sampleRecentOrders(client, this.schema, this.seed, now);
      this.hour = hour;
    } finally {
      this.busy = false;
    }
  }
}

interface Statement {
  name: string;
  text: string;
  needsOrders: boolean;
  toValues: (p: RuleContext) => Value[] | undefined;
}

function statements(schema: string): Statement[] {
  return loadSuite().map((q) => {
    const rule = RULES[q.name];
    if (rule === undefined) {
      throw new Error(`query ${q.name} has no clock-relative rule in src/query/dashboard-params.ts`);
    }
    return {
      name: q.name,
      text: renderSql(q, schema),
      needsOrders: q.name === 'order-detail',
      toValues: (c) => {
        const p = rule(c);
        return p === undefined ? undefined : valuesOf(q, p);
      },
    };
  });
}

interface Client {
  pg: pg.Client;
  dead: boolean;
  /** when the last bytes from the server arrived (encoded-query.ts readClock) */
  read: { last: number };
}

async function openClient(url: string): Promise<Client> {
  const client = await connect(url);
  const c: Client = { pg: client, dead: false, read: readClock(client) };
  // Without a listener, a dropped connection's 'error' event would kill the process.
  c.pg.on('error', () => {
    c.dead = true;
  });
  c.pg.on('end', () => {
    c.dead = true;
  });
  await c.pg.query(
    `SET statement_timeout = ${STATEMENT_TIMEOUT_MS}; SET application_name = 'data-playground dashboards'`,
  );
  return c;
}

/** Runs the dashboards until `o.signal` aborts; never throws for a failed query. */
export async function runDashboards(o: DashboardOptions): Promise<DashboardReport> {
  validate(o);
  const stmts = statements(o.schema);
  const setup = await connect(o.url);
  let pop: RuleContext['pop'];
  try {
    pop = await samplePopulation(setup, o.schema, o.seed, o.windowStart);
  } finally {
    await setup.end().catch(() => undefined);
  }
  const tallies = stmts.map(() => new Tally());
  const recent = new RecentOrders(o.schema, o.seed);
  const opened = await Promise.allSettled(Array.from({ length: o.clients }, () => openClient(o.url)));
  const clients = opened.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const closed = new WeakSet<pg.Client>();
  const closeAll = (): Promise<unknown> =>
    Promise.all(
      clients.map((c) => {
        if (closed.has(c.pg)) return undefined;
        closed.add(c.pg);
        return c.pg.end().catch(() => undefined);
      }),
    );
  const failed = opened.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await closeAll();
    throw failed.reason;
  }

  const n = stmts.length;
  /**
   * each client's query in flight, by the hour it is recorded under (Infinity: none): an hour before all of them
   * and before the clock's gets no more latencies, and its histograms give way to figures (runs last weeks)
   */
  const inflight: number[] = clients.map(() => Number.POSITIVE_INFINITY);
  let settledTo = Number.NEGATIVE_INFINITY;
  const settle = (): void => {
    const to = Math.min(floorTo(o.clock(), 'hour'), ...inflight);
    if (to <= settledTo) return;
    settledTo = to;
    for (const t of tallies) t.hours.settle(to);
  };
  const loop = async (index: number): Promise<void> => {
    const pick = picker(o.seed, index);
    // clients start on different queries, so that a few clients still cover the whole suite at once
    let k = index;
    let skipped = 0;
    while (!o.signal.aborted) {
      const i = k++ % n;
      const s = at(stmts, i);
      const tally = at(tallies, i);
      const client = at(clients, index);
      try {
        if (client.dead) {
          await client.pg.end().catch(() => undefined);
          await pause(RECONNECT_MS, o.signal);
          if (o.signal.aborted) return;
          clients[index] = await openClient(o.url);
          continue;
        }
        const now = o.clock();
        inflight[index] = floorTo(now, 'hour');
        if (s.needsOrders) await recent.refresh(client.pg, now);
        const values = s.toValues({ now, pop, orders: recent.orders, lastHours: DEFAULT_LAST_HOURS, pick });
        if (values === undefined) {
          // nothing to ask about yet (no order in the last hour): after a whole round of that, wait a little
          if (++skipped >= n) {
            skipped = 0;
            await pause(50, o.signal);
          }
          continue;
        }
        skipped = 0;
        const t0 = performance.now();
        // the client is idle (nothing queued ahead): the messages are written before sendEncoded() returns
        const answered = sendEncoded(client.pg, encodeQuery(s.text, values));
        const sent = performance.now();
        await answered;
        const ms = performance.now() - t0;
        tally.record(floorTo(now, 'hour'), ms, client.read.last - sent);
        o.onQuery?.(s.name, ms);
      } catch (e) {
        if (o.signal.aborted) return;
        tally.errors++;
        o.onError?.(s.name, e);
      } finally {
        inflight[index] = Number.POSITIVE_INFINITY;
        settle();
      }
      if (o.thinkMs !== undefined && o.thinkMs > 0) await pause(o.thinkMs, o.signal);
    }
  };

  const loops = Promise.all(clients.map((_, i) => loop(i)));
  const aborted = new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    else o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    // a query in flight at the abort gets a short grace, then its connection is closed under it
    await Promise.race([loops, aborted.then(() => delay(ABORT_GRACE_MS))]);
  } finally {
    await closeAll();
    await loops.catch(() => undefined);
    // a client that reconnected during the grace period
    await closeAll();
  }

  return {
    queries: stmts.map((s, i) => {
      const t = at(tallies, i);
      return {
        name: s.name,
        count: t.count,
        errors: t.errors,
        overall: t.overall.summary(),
        serverMs: t.server.summary(),
        clientMs: t.client.summary(),
        byHour: t.hours.figures(),
      };
    }),
  };
}
