/**
 * `gen live`: the scenario played against the database in scenario time (issue 7). First the world as it was
 * (the snapshot: rows with event_time = window start, one COPY per table in one transaction), then every business
 * transaction at its scheduled wall time, start + (event_time - clock start) / speed, on `writers` connections.
 * Open model: a transaction's latency counts from its scheduled time, so queueing behind busy writers shows as
 * latency and lag, never as a slower scenario clock. Two transactions that touch the same changing row (an order
 * and its settlement, two sales of one product) never overlap, so absolute UPDATEs land in time order and the
 * end state is the bulk load's. Metric rows are inserted when their hour or day closes.
 */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { makePool, toConnectionError } from '../db/connection.js';
import {
  backendPid,
  readServerStats,
  type ServerSide,
  type ServerSnapshot,
  serverSideSince,
} from '../db/server-stats.js';
import { EnvironmentError, errorMessage, isConnectionLoss, sqlState } from '../errors.js';
import type { Plan } from '../generate/index.js';
import {
  EVENT_TABLES,
  hourTransactions,
  type MetricClose,
  metricCloses,
  POPULATION_TABLES,
  snapshotCsv,
  type Txn,
} from '../generate/transactions.js';
import { claimSchema, finishRun, runIdentity, startRun } from '../load/ledger.js';
import { prepareSchema } from '../load/schema.js';
import { ident, qualified } from '../model/ddl.js';
import type { Layout } from '../model/layout.js';
import { sqlTimestamp } from '../model/partitions.js';
import { columnNames, TABLES, type TableName, table } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import { type MaintenanceEvent, PartitionKeeper } from './partitions.js';
import { markFinished, readState, saveResumeFrom, snapshotDoneSql } from './progress.js';
import { execute, MissingRow, Statements } from './sql.js';
import { LATE_MS, LiveStats } from './stats.js';

export interface LiveOptions {
  plan: Plan;
  url: string;
  schema: string;
  layout: Layout;
  /** scenario seconds per wall second */
  speed: number;
  writers: number;
  premakeHours: number;
  retentionHours: number | null;
  reset: boolean;
  signal?: AbortSignal;
  onProgress?: (p: LiveProgress) => void;
  progressEveryMs?: number;
  onMaintenance?: (e: MaintenanceEvent) => void;
  /** called once play starts, with the scenario clock (dashboards, metrics) */
  onPlay?: (clock: () => number) => void;
  onTransaction?: (
    type: string,
    latencyMs: number,
    late: boolean,
    rows: readonly [TableName, number][],
  ) => void;
  onError?: (type: string, kind: string) => void;
}

export interface LiveProgress {
  clock: number;
  committed: number;
  scheduled: number;
  lagMs: number;
  aheadHours: number;
  errors: number;
  elapsedMs: number;
}

export interface LiveResult {
  /** scenario time play started from (window start, or where an interrupted run stopped) */
  playedFrom: number;
  resumed: boolean;
  snapshotRows: number;
  snapshotMs: number;
  elapsedMs: number;
  finished: boolean;
  alreadyDone: boolean;
  stats: LiveStats;
  maintenance: MaintenanceEvent[];
  /** scenario clock at the end */
  clock: number;
  /** the server's side of the run: WAL, checkpoints, buffers, autovacuum, sizes (from the statistics views) */
  serverSide: ServerSide | null;
}

interface Item {
  time: number;
  txn: Txn;
  closes: MetricClose[] | null;
  done: boolean;
}

const PERSIST_EVERY_MS = 500;
const MAINTAIN_EVERY_MS = 200;

export async function runLive(o: LiveOptions): Promise<LiveResult> {
  const { plan, schema, layout } = o;
  const t0 = performance.now();
  const windowEnd = plan.start + plan.hours * HOUR_MS;
  const pool = makePool(o.url, o.writers + 2);
  const admin = await pool.connect().catch((e: unknown) => {
    throw toConnectionError(e, o.url);
  });
  const stats = new LiveStats();
  let keeper: PartitionKeeper | undefined;
  const writers: pg.PoolClient[] = [];
  try {
    const id = runIdentity(plan, layout);
    await claimSchema(admin, schema, id, o.reset, 'live');
    // tables and indexes, no partitions: the maintenance loop makes them as the clock needs them
    await prepareSchema(admin, schema, { start: plan.start, hours: 0 }, layout);
    await startRun(admin, schema, id, 0);
    const state = await readState(admin, schema, plan.start);
    const result = (over: Partial<LiveResult>): LiveResult => ({
      playedFrom: state.resumeFrom,
      resumed: state.snapshot,
      snapshotRows: 0,
      snapshotMs: 0,
      elapsedMs: performance.now() - t0,
      finished: false,
      alreadyDone: false,
      stats,
      maintenance: keeper?.events ?? [],
      clock: state.resumeFrom,
      serverSide: null,
      ...over,
    });
    if (state.finished) return result({ finished: true, alreadyDone: true, clock: windowEnd });

    keeper = new PartitionKeeper(
      admin,
      schema,
      layout,
      plan.start,
      plan.hours,
      o.premakeHours,
      o.retentionHours,
      o.onMaintenance,
    );
    await keeper.load();
    await keeper.tick(state.resumeFrom);

    const before: ServerSnapshot = await readServerStats(admin, schema);
    let snapshotRows = 0;
    let snapshotMs = 0;
    if (!state.snapshot) {
      const s0 = performance.now();
      snapshotRows = await loadSnapshot(admin, schema, plan);
      snapshotMs = performance.now() - s0;
    }
    // transactions commit out of order across writers: what was written from the resume point's second on is
    // deleted and played again (absolute UPDATEs make replaying an earlier change harmless)
    const from = Math.floor(state.resumeFrom / 1000) * 1000;
    if (state.snapshot) await clearFrom(admin, schema, plan.start, from);

    for (let i = 0; i < o.writers; i++) writers.push(await pool.connect());
    const play = await playWindow(o, admin, writers, keeper, stats, from, windowEnd);
    if (play.finished) {
      await markFinished(admin, schema, windowEnd);
      await finishRun(admin, schema);
    }
    const elapsedMs = performance.now() - t0;
    // the writers' statistics reach the views when their sessions end: close them, then read
    const pids = writers.map(backendPid).filter((p): p is number => p !== null);
    for (const w of writers.splice(0)) w.release(true);
    const serverSide = await serverSideSince(o.url, schema, before, pids);
    return result({
      playedFrom: from,
      snapshotRows,
      snapshotMs,
      finished: play.finished,
      clock: play.clock,
      elapsedMs,
      serverSide,
    });
  } finally {
    for (const w of writers) w.release();
    admin.release();
    await pool.end().catch(() => undefined);
  }
}

/** The population before the window: each table's snapshot rows by COPY, all in one transaction. */
async function loadSnapshot(client: pg.ClientBase, schema: string, plan: Plan): Promise<number> {
  let rows = 0;
  await client.query('BEGIN');
  try {
    for (const name of EVENT_TABLES) {
      const cols = columnNames(table(name)).map(ident).join(', ');
      let n = 0;
      const source = Readable.from(
        (function* () {
          for (const buf of snapshotCsv(plan, name)) {
            n += countLines(buf);
            yield buf;
          }
        })(),
      );
      await pipeline(
        source,
        client.query(copyFrom(`COPY ${qualified(schema, name)} (${cols}) FROM STDIN WITH (FORMAT csv)`)),
      );
      rows += n;
    }
    await client.query(snapshotDoneSql(schema));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return rows;
}

/** rows in CSV bytes (our rows never hold a newline: texts are single-line, jsonb is one line) */
const countLines = (b: Buffer): number => {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
};

async function clearFrom(client: pg.ClientBase, schema: string, start: number, from: number): Promise<void> {
  await client.query('BEGIN');
  try {
    // the population's rows at the window start are the snapshot: never deleted
    for (const t of TABLES)
      await client.query(`DELETE FROM ${qualified(schema, t.name)} WHERE event_time >= $1`, [
        new Date(POPULATION_TABLES.has(t.name) ? Math.max(from, start + 1) : from),
      ]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** one hour's metric rows, replacing what an interrupted close left (idempotent) */
async function closeMetrics(client: pg.ClientBase, schema: string, closes: MetricClose[]): Promise<number> {
  let rows = 0;
  await client.query('BEGIN');
  try {
    for (const c of closes) {
      const t = qualified(schema, c.table);
      await client.query(`DELETE FROM ${t} WHERE event_time >= $1 AND event_time < $2`, [
        sqlTimestamp(c.from),
        sqlTimestamp(c.to),
      ]);
      const cols = columnNames(table(c.table)).map(ident).join(', ');
      const src = Readable.from(
        (function* () {
          for (const b of c.csv()) {
            rows += countLines(b);
            yield b;
          }
        })(),
      );
      await pipeline(src, client.query(copyFrom(`COPY ${t} (${cols}) FROM STDIN WITH (FORMAT csv)`)));
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return rows;
}

const rowCount = (t: Txn): number => t.inserts.reduce((a, [, r]) => a + r.length, 0) + t.updates.length;

function failureKind(e: unknown): string {
  if (e instanceof MissingRow) return 'missing_row';
  const msg = errorMessage(e);
  if (sqlState(e) === '23514' && /no partition/.test(msg)) return 'no_partition';
  return sqlState(e) ?? 'error';
}

/** The dispatcher: items in time order, started when due on a free writer, never two on one changing row. */
async function playWindow(
  o: LiveOptions,
  admin: pg.ClientBase,
  writers: pg.PoolClient[],
  keeper: PartitionKeeper,
  stats: LiveStats,
  from: number,
  windowEnd: number,
): Promise<{ finished: boolean; clock: number }> {
  const { plan, schema } = o;
  const st = new Statements(schema);
  // set when play starts, after the first hours are generated (below)
  let wall0 = performance.now();
  const speed = o.speed;
  const clock = (): number => Math.min(windowEnd, from + (performance.now() - wall0) * speed);
  const due = (time: number): number => wall0 + (time - from) / speed;

  const items: Item[] = [];
  let head = 0; // first item not committed
  let next = 0; // first item not yet due
  let nextHour = Math.floor((from - plan.start) / HOUR_MS);
  const ready: Item[] = [];
  const busy = new Map<string, number>();
  const idle = [...writers];
  let running = 0;
  let fatal: unknown = null;
  let wake: (() => void) | null = null;
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      wake = () => {
        clearTimeout(t);
        r();
      };
    });
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const addHour = (): void => {
    const h = nextHour++;
    for (const txn of hourTransactions(plan, h))
      if (txn.time >= from) items.push({ time: txn.time, txn, closes: null, done: false });
    const end = plan.start + (h + 1) * HOUR_MS;
    const closes = metricCloses(plan, h);
    items.push({
      time: end,
      txn: { time: end, type: 'metrics', inserts: [], updates: [], keys: [] },
      closes,
      done: false,
    });
  };

  const start = (it: Item, client: pg.PoolClient): void => {
    running++;
    for (const k of it.txn.keys) busy.set(k, (busy.get(k) ?? 0) + 1);
    const scheduled = due(it.time);
    const began = performance.now();
    const work = it.closes
      ? closeMetrics(client, schema, it.closes)
      : execute(client, st, it.txn).then(() => rowCount(it.txn));
    work
      .then((rows) => {
        const end = performance.now();
        const latency = end - scheduled;
        const startLag = began - scheduled;
        stats.committed(it.txn.type, it.time, startLag, latency, end - began, rows);
        o.onTransaction?.(
          it.txn.type,
          latency,
          startLag > LATE_MS,
          it.closes ? [] : it.txn.inserts.map(([t, r]) => [t, r.length] as [TableName, number]),
        );
      })
      .catch((e: unknown) => {
        if (isConnectionLoss(e) || sqlState(e)?.startsWith('08') || sqlState(e) === '57P01') {
          fatal ??= e;
          return;
        }
        const kind = failureKind(e);
        stats.failed(it.txn.type, kind);
        o.onError?.(it.txn.type, kind);
      })
      .finally(() => {
        it.done = true;
        running--;
        for (const k of it.txn.keys) {
          const n = (busy.get(k) ?? 1) - 1;
          if (n === 0) busy.delete(k);
          else busy.set(k, n);
        }
        idle.push(client);
        poke();
      });
  };

  let lastPersist = performance.now();
  let lastMaintain = 0;
  let lastProgress = performance.now();
  let maintaining: Promise<void> | null = null;
  let persisted = from;
  const persist = async (): Promise<void> => {
    const at = head < items.length ? (items[head]?.time ?? from) : (items[items.length - 1]?.time ?? from);
    if (at !== persisted) {
      await saveResumeFrom(admin, schema, at);
      persisted = at;
    }
  };
  const totalHours = plan.hours;
  const hourOf = (t: number): number => Math.floor((t - plan.start) / HOUR_MS);
  let aborted = false;
  // the hours the loop would generate first, before the clock starts: a busy hour takes seconds to generate
  // (black-friday's first: ~9 s at scale 1), which would otherwise make every early transaction late
  while (nextHour < totalHours && nextHour <= hourOf(from) + 1) addHour();
  wall0 = performance.now();
  o.onPlay?.(clock);

  for (;;) {
    if (fatal) break;
    if (o.signal?.aborted) {
      aborted = true;
      break;
    }
    const now = performance.now();
    // generate ahead, at most two hours past the oldest uncommitted transaction: memory stays bounded however
    // far behind the writers are (a transaction generated late still counts its lag from its scheduled time)
    while (
      nextHour < totalHours &&
      nextHour <= hourOf(head < items.length ? (items[head] as Item).time : clock()) + 1
    )
      addHour();
    while (next < items.length && due((items[next] as Item).time) <= now) ready.push(items[next++] as Item);
    // start what may start, in order; a transaction waits for earlier ones on the same rows
    if (idle.length > 0 && ready.length > 0) {
      const held = new Set<string>();
      for (let i = 0; i < ready.length && idle.length > 0; ) {
        const it = ready[i] as Item;
        if (it.txn.keys.some((k) => busy.has(k) || held.has(k))) {
          for (const k of it.txn.keys) held.add(k);
          i++;
          continue;
        }
        ready.splice(i, 1);
        start(it, idle.pop() as pg.PoolClient);
      }
    }
    while (head < items.length && (items[head] as Item).done) head++;
    if (head > 4096) {
      items.splice(0, head);
      next -= head;
      head = 0;
    }
    const c = clock();
    if (!maintaining && now - lastMaintain >= MAINTAIN_EVERY_MS) {
      lastMaintain = now;
      stats.sampleLag(c, ready.length > 0 ? now - due((ready[0] as Item).time) : 0);
      maintaining = keeper
        .tick(c)
        .then(async () => {
          if (now - lastPersist < PERSIST_EVERY_MS) return;
          lastPersist = now;
          await persist();
        })
        .catch((e: unknown) => {
          fatal ??= e;
        })
        .finally(() => {
          maintaining = null;
        });
    }
    if (o.onProgress && now - lastProgress >= (o.progressEveryMs ?? 2000)) {
      lastProgress = now;
      o.onProgress({
        clock: c,
        committed: stats.transactions,
        scheduled: next,
        lagMs: ready.length > 0 ? now - due((ready[0] as Item).time) : 0,
        aheadHours: keeper.ahead(c),
        errors: [...stats.errors.values()].reduce((a, b) => a + b, 0),
        elapsedMs: now - wall0,
      });
    }
    if (nextHour >= totalHours && head >= items.length && running === 0) break;
    // sleep until the next item is due, a writer frees up, or the next maintenance
    const nextDue = next < items.length ? due((items[next] as Item).time) - now : MAINTAIN_EVERY_MS;
    const wait =
      ready.length > 0 && idle.length === 0
        ? MAINTAIN_EVERY_MS
        : Math.max(0, Math.min(nextDue, MAINTAIN_EVERY_MS));
    if (wait >= 1) await pause(wait);
    else await new Promise<void>((r) => setImmediate(r));
  }
  // stop: let what runs finish (it commits or rolls back whole), then record where to continue
  while (running > 0) await pause(MAINTAIN_EVERY_MS);
  await maintaining;
  while (head < items.length && (items[head] as Item).done) head++;
  if (fatal) {
    await persist().catch(() => undefined);
    throw new EnvironmentError(
      `gen live: lost the database (${errorMessage(fatal)}); what committed is kept: run the same command again to continue`,
    );
  }
  await persist();
  const finished = !aborted && nextHour >= totalHours && head >= items.length;
  return { finished, clock: clock() };
}
