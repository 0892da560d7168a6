/**
 * Load mode: N clients (one pg.Client each) run the suite round-robin for a duration and/or a count, closed
 * loop by default, or open loop at a target rate.
 *
 * With a rate there is one global schedule: query k is due at t0 + k / rate, whichever client takes it, and its
 * latency runs from that due time, not from when a client got round to sending it. A server that falls
 * behind therefore shows up as growing latency instead of a quietly lower rate (coordinated omission, as
 * pgbench -R accounts for it: its latency includes the schedule lag). The schedule is evenly spaced by default;
 * `arrivals: 'poisson'` draws exponential gaps instead, as pgbench -R does (bursts and lulls at the same mean
 * rate), from a seeded stream, so that runs are repeatable either way.
 *
 * Queries are sent as node-postgres sends them: parameterised, extended protocol, unnamed statement, so the
 * server plans each one with its values (a custom plan, pruned at plan time). The generic plan's behaviour is
 * what the EXPLAIN checks measure. The messages are encoded before the run starts, and the answer's rows are
 * counted, not turned into objects (encoded-query.ts): the server does the same work, this process less at
 * each query.
 *
 * Each latency is also split in two where it is measured: the server's part, from the query's messages written
 * to the socket to the last bytes of its answer read, and the rest, this process's own (the wait for a free
 * client under a rate, writing the messages, reading the answer). Next to a client in C (pgbench) the second
 * part is the difference (bench/RESULTS.md, "gen query next to pgbench").
 */
import type pg from 'pg';
import seedrandom from 'seedrandom';
import { at } from '../at.js';
import { connect, redactUrl } from '../db/connection.js';
import { pgHost } from '../db/tls.js';
import { UserError } from '../errors.js';
import { encodeQuery, readClock, sendEncoded } from './encoded-query.js';
import { catalogFor, checkQuery, type PreparedQuery, prepareSuite, type QueryCheck } from './explain.js';
import { Latencies } from './latencies.js';
import { renderSql, valuesOf } from './suite.js';
import type { Arrivals, QueryReport, QueryResult } from './types.js';

export interface WorkloadOptions {
  url: string;
  schema: string;
  /** concurrent clients, one connection each */
  clients: number;
  /** stop starting queries after this long (default 10 s when neither this nor count is given) */
  durationMs?: number;
  /** stop after this many queries over all clients */
  count?: number;
  /** target queries/s over all clients; latency then counts from each query's scheduled start */
  rate?: number;
  /** how queries arrive under a rate (default even) */
  arrivals?: Arrivals;
  /** seed of the parameter draw */
  seed: number;
  /** query names (default: the whole suite) */
  queries?: readonly string[];
  /** N of "the last N hours" (default 2) */
  lastHours?: number;
  /** parameter sets drawn per query, used in turn (default 32) */
  sets?: number;
  /** server-side bound on any one query (default 30 s), so a run always ends */
  statementTimeoutMs?: number;
  /** a load generator points at loopback servers only unless this is set */
  allowRemote?: boolean;
  /**
   * Ctrl-C/SIGTERM: the running queries are cancelled, none starts, and the report covers the queries that
   * finished (a cancelled one is the stop, not an error)
   */
  signal?: AbortSignal;
  /** called on each failed query (the report only counts them) */
  onError?: (query: string, err: unknown) => void;
  /** the EXPLAIN checks, when the caller already ran them; otherwise they are run first */
  checks?: readonly QueryCheck[];
  /** receives the EXPLAIN checks (with per-table detail the report leaves out) before the load starts */
  onChecks?: (checks: readonly QueryCheck[]) => void;
}

export const DEFAULT_DURATION_MS = 10_000;

/**
 * The schedule at `rate` queries/s: query k's offset in ms from the start, asked for k in order (the same k
 * again is fine). Poisson gaps come from their own seeded stream: the same seed, the same schedule.
 */
export function schedule(rate: number, arrivals: Arrivals, seed: number): (k: number) => number {
  const interval = 1000 / rate;
  if (arrivals === 'even') return (k) => k * interval;
  const random = seedrandom.alea(`arrivals:${seed}`);
  let upTo = 0;
  let offset = 0;
  return (k) => {
    if (k < upTo) throw new Error(`the schedule was read out of order: ${k} after ${upTo}`);
    for (; upTo < k; upTo++) offset -= Math.log(1 - random()) * interval;
    return offset;
  };
}
const MAX_CLIENTS = 1000;

function validate(o: WorkloadOptions): void {
  const bad = (what: string, v: unknown, expected: string): never => {
    throw new UserError(`${what} ${String(v)} is not allowed; expected ${expected}`);
  };
  if (!Number.isInteger(o.clients) || o.clients < 1 || o.clients > MAX_CLIENTS) {
    bad('clients', o.clients, `an integer from 1 to ${MAX_CLIENTS}`);
  }
  if (o.durationMs !== undefined && !(Number.isFinite(o.durationMs) && o.durationMs > 0)) {
    bad('duration', o.durationMs, 'a positive number of milliseconds');
  }
  if (o.count !== undefined && !(Number.isInteger(o.count) && o.count > 0)) {
    bad('count', o.count, 'a positive integer');
  }
  if (o.rate !== undefined && !(Number.isFinite(o.rate) && o.rate > 0)) {
    bad('rate', o.rate, 'a positive number of queries per second');
  }
  if (o.arrivals !== undefined && o.rate === undefined) {
    bad(
      'arrivals',
      o.arrivals,
      'no arrivals without a rate (a closed loop sends each query when the last is done)',
    );
  }
}

/**
 * A load generator aimed at somebody else's server is a denial-of-service tool; keep it on this machine
 * unless the caller says otherwise. pg resolves the host the way it will connect (URL, then PGHOST).
 */
export function isLoopback(url: string): boolean {
  const host = pgHost(url);
  return (
    host === '' ||
    host.startsWith('/') ||
    host === 'localhost' ||
    host === '::1' ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Resolves at `due` (a `performance.now()` time) or after it, never before. A timer alone wakes up to ~2 ms
 * early (measured: p50 0.27 ms early for waits of ~7 ms): Node truncates a fractional delay and libuv counts
 * whole milliseconds from the start of its loop turn. A query sent early is timed from its due time, so it
 * looked faster than it was, and the arrivals were not the schedule. The last part of the wait goes loop turn
 * by loop turn (I/O is served between them): at most what the timer woke early by, ~0.3 ms per query typically.
 */
export async function waitUntil(due: number): Promise<void> {
  for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) {
    await (wait >= 1 ? sleep(wait) : nextTurn());
  }
}

interface Tally {
  latency: Latencies;
  server: Latencies;
  client: Latencies;
  count: number;
  errors: number;
}

/** Runs the EXPLAIN checks (unless given), then the load; returns the report. Never throws for a failed query. */
export async function runWorkload(o: WorkloadOptions): Promise<QueryReport> {
  validate(o);
  if (!o.allowRemote && !isLoopback(o.url)) {
    throw new UserError(
      `${redactUrl(o.url)} is not a loopback server; the query load runs against 127.0.0.1, ::1, localhost ` +
        'or a Unix socket only',
    );
  }
  const connectOpts = o.signal ? { signal: o.signal } : {};
  const setup = await connect(o.url, connectOpts);
  let prepared: PreparedQuery[];
  let checks: readonly QueryCheck[];
  try {
    prepared = await prepareSuite(setup, o);
    if (o.checks !== undefined) {
      checks = o.checks;
    } else {
      const catalog = await catalogFor(setup, o.schema, prepared);
      const out: QueryCheck[] = [];
      for (const p of prepared) out.push(await checkQuery(setup, o.schema, p.query, at(p.sets, 0), catalog));
      checks = out;
    }
  } finally {
    await setup.end();
  }
  o.onChecks?.(checks);

  const statements = prepared.map((p) => ({
    name: p.query.name,
    encoded: p.sets.map((s) => encodeQuery(renderSql(p.query, o.schema), valuesOf(p.query, s))),
  }));
  const tallies: Tally[] = statements.map(() => ({
    latency: new Latencies(),
    server: new Latencies(),
    client: new Latencies(),
    count: 0,
    errors: 0,
  }));
  const clients = await openClients(o, connectOpts);

  const durationMs = o.durationMs ?? (o.count === undefined ? DEFAULT_DURATION_MS : undefined);
  const offsetOf = o.rate === undefined ? undefined : schedule(o.rate, o.arrivals ?? 'even', o.seed);
  const n = statements.length;
  const t0 = performance.now();
  const deadline = durationMs === undefined ? Infinity : t0 + durationMs;
  // One counter for all clients (JS runs them on one thread, so taking a number is atomic): query k is
  // statement k mod n with its (k div n)-th parameter set, so the mix is the same whatever the concurrency.
  let next = 0;

  const loop = async (c: Client): Promise<void> => {
    while (!c.dead && !o.signal?.aborted) {
      const k = next;
      if (o.count !== undefined && k >= o.count) return;
      const due = offsetOf === undefined ? undefined : t0 + offsetOf(k);
      if ((due ?? 0) >= deadline || performance.now() >= deadline) return;
      next++;
      if (due !== undefined) {
        await waitUntil(due);
      }
      const i = k % n;
      const s = at(statements, i);
      const t = at(tallies, i);
      const start = due ?? performance.now();
      try {
        // the query's messages are written before sendEncoded() returns (the client is idle: nothing queued ahead)
        const answered = sendEncoded(c.pg, at(s.encoded, Math.floor(k / n) % s.encoded.length));
        const sent = performance.now();
        await answered;
        const latency = performance.now() - start;
        t.latency.record(latency);
        const server = c.read.last - sent;
        t.server.record(server);
        t.client.record(latency - server);
        t.count++;
      } catch (e) {
        if (o.signal?.aborted) return;
        t.errors++;
        o.onError?.(s.name, e);
      }
    }
  };

  let wallMs: number;
  try {
    await Promise.all(clients.map(loop));
    wallMs = performance.now() - t0;
  } finally {
    await Promise.all(clients.map((c) => c.pg.end().catch(() => undefined)));
  }

  const secs = Math.max(wallMs, 1) / 1000;
  const queries: QueryResult[] = statements.map((s, i) => {
    const t = at(tallies, i);
    const check = checks.find((c) => c.name === s.name);
    if (check === undefined) throw new Error(`no EXPLAIN check for query ${s.name}`);
    return {
      name: s.name,
      description: check.description,
      literal: check.literal,
      generic: check.generic,
      latencyMs: t.latency.summary(),
      serverMs: t.server.summary(),
      clientMs: t.client.summary(),
      count: t.count,
      errors: t.errors,
      qps: t.count / secs,
    };
  });
  const total = queries.reduce((a, q) => a + q.count, 0);
  return {
    schema: o.schema,
    clients: o.clients,
    durationMs: wallMs,
    ...(o.rate === undefined ? {} : { rate: o.rate, arrivals: o.arrivals ?? 'even' }),
    queries,
    qps: total / secs,
    errors: queries.reduce((a, q) => a + q.errors, 0),
  };
}

interface Client {
  pg: pg.Client;
  /** the connection is gone: its loop stops instead of spinning through errors */
  dead: boolean;
  /** performance.now() when the last bytes from the server arrived */
  read: { last: number };
}

async function openClients(o: WorkloadOptions, connectOpts: { signal?: AbortSignal }): Promise<Client[]> {
  const settled = await Promise.allSettled(
    Array.from({ length: o.clients }, async () => {
      const client = await connect(o.url, connectOpts);
      const c: Client = { pg: client, dead: false, read: readClock(client) };
      // Without a listener, a dropped connection's 'error' event would kill the process.
      c.pg.on('error', () => {
        c.dead = true;
      });
      c.pg.on('end', () => {
        c.dead = true;
      });
      await c.pg.query(
        `SET statement_timeout = ${Math.max(1, Math.round(o.statementTimeoutMs ?? 30_000))}; ` +
          `SET application_name = 'data-playground query'`,
      );
      return c;
    }),
  );
  const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((c) => c.pg.end().catch(() => undefined)));
    throw failed.reason;
  }
  return ok;
}
