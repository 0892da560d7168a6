/**
 * `gen live`: the scenario played against the database in scenario time (issue 7). First the world as it was
 * (the snapshot: rows with event_time = window start, one COPY per table in one transaction), then every business
 * transaction at its scheduled wall time, start + (event_time - clock start) / speed, on `writers` connections.
 * Open model: a transaction's latency counts from its scheduled time, so queueing behind busy writers shows as
 * latency and lag, never as a slower scenario clock. Two transactions that touch the same changing row (an order
 * and its settlement, two sales of one product) never overlap, so absolute UPDATEs land in time order and the
 * end state is the bulk load's. Metric rows are inserted when their hour or day closes.
 */

import type pg from 'pg';
import {
  backendPid,
  cancelledOnAbort,
  inTransaction,
  makePool,
  toConnectionError,
} from '../db/connection.js';
import { readServerStats, type ServerSnapshot, serverSideSince } from '../db/server-stats.js';
import { Stopped } from '../errors.js';
import { planEnd } from '../generate/index.js';
import { RunSession, SetUpAborted } from '../load/coop.js';
import { claimSchema, finishRun, runIdentity, startRun } from '../load/ledger.js';
import { prepareSchema } from '../load/schema.js';
import { clearFrom, loadSnapshot } from './bulk.js';
import { playWindow, resumedFollowPlan } from './dispatch.js';
import { MaintenanceLog, PartitionKeeper } from './partitions.js';
import { markFinished, readState } from './progress.js';
import { LiveStats } from './stats.js';
import type { LiveOptions, LiveResult } from './types.js';

export type { LiveOptions, LiveProgress, LiveResult } from './types.js';
export { DEFAULT_PIPELINE_DEPTH } from './types.js';

export async function runLive(o: LiveOptions): Promise<LiveResult> {
  const { schema, layout } = o;
  let plan = o.plan;
  const t0 = performance.now();
  const windowEnd = planEnd(plan);
  // the writers, the aggregation job's (metric closes), the maintenance connection and the one that watches it
  const pool = makePool(o.url, o.writers + 3);
  const admin = await pool.connect().catch((e: unknown) => {
    throw toConnectionError(e, o.url);
  });
  // the schema's run lock, exclusive while this run plays (a bulk load or another live run is refused)
  const session = await RunSession.open(o.url, schema).catch(async (e: unknown) => {
    admin.release();
    await pool.end().catch(() => undefined);
    throw e;
  });
  const stats = new LiveStats();
  let keeper: PartitionKeeper | undefined;
  let sampler: pg.PoolClient | undefined;
  const writers: pg.PoolClient[] = [];
  try {
    const id = runIdentity(plan, layout);
    // everything before the first transaction, stopped by Ctrl-C/SIGTERM also where it waits on the server (a
    // lock another session holds, the snapshot's COPY: one transaction, rolled back; the rest is idempotent)
    const ready = await cancelledOnAbort(
      o.url,
      o.signal,
      () => [admin, sampler].map((c) => (c === undefined ? null : backendPid(c))),
      async () => {
        const state = await session.setUp(
          o.reset,
          async () => {
            await claimSchema(admin, schema, id, o.reset, 'live');
            // tables and indexes, no partitions: the maintenance loop makes them as the clock needs them
            await prepareSchema(admin, schema, { start: plan.start, hours: 0 }, layout);
            // the run and its live progress in one transaction: whoever sees the run sees it played live
            return inTransaction(admin, async () => {
              await startRun(admin, schema, id, 0);
              return readState(admin, schema, plan.start, o.follow === true);
            });
          },
          o.signal,
          true,
        );
        if (state.finished) return { state, done: true as const };
        o.onResumeFrom?.(state.resumeFrom);
        // following: a restart past the window's end plays on from where it stopped, its hours generated from
        // the window length the stopped run had for them
        // transactions commit out of order across writers: what was written from the resume point's second on
        // is deleted and played again (absolute UPDATEs make replaying an earlier change harmless)
        const from = Math.floor(state.resumeFrom / 1000) * 1000;
        if (o.follow) plan = resumedFollowPlan(plan, from);

        sampler = await pool.connect();
        const k = new PartitionKeeper(
          admin,
          schema,
          layout,
          plan.start,
          plan.hours,
          o.premakeHours,
          o.retentionHours,
          o.follow === true,
          o.onMaintenance,
          sampler,
        );
        keeper = k;
        await k.load();
        await k.tick(state.resumeFrom);

        const before: ServerSnapshot = await readServerStats(admin, schema);
        let snapshotRows = 0;
        let snapshotMs = 0;
        if (!state.snapshot) {
          const s0 = performance.now();
          o.onStep?.(
            `the world before the window: the population at ${new Date(plan.start).toISOString()}, one COPY per table...`,
          );
          snapshotRows = await loadSnapshot(admin, schema, plan, o.signal);
          snapshotMs = performance.now() - s0;
          o.onStep?.(
            `snapshot: ${snapshotRows.toLocaleString('en-US')} rows in ${(snapshotMs / 1000).toFixed(1)} s`,
          );
        }
        if (state.snapshot) await clearFrom(admin, schema, plan.start, from);

        // real time: everything up to now is due at once, so its partitions are made before the first transaction
        if (o.realTime) await k.tick(Math.max(from, Date.now()), from);
        return { state, done: false as const, keeper: k, before, snapshotRows, snapshotMs, from };
      },
      (e) =>
        new Stopped(
          e instanceof SetUpAborted
            ? e.message
            : 'no transaction was played yet; the same command plays the window (the snapshot is all or nothing)',
          { cause: e },
        ),
    );
    const { state } = ready;
    const result = (over: Partial<LiveResult>): LiveResult => ({
      playedFrom: state.resumeFrom,
      resumed: state.snapshot,
      snapshotRows: 0,
      snapshotMs: 0,
      elapsedMs: performance.now() - t0,
      finished: false,
      alreadyDone: false,
      stats,
      maintenance: keeper?.log ?? new MaintenanceLog(),
      clock: state.resumeFrom,
      serverSide: null,
      generationMs: [],
      hoursHeldMax: 0,
      ...over,
    });
    if (ready.done) return result({ finished: true, alreadyDone: true, clock: windowEnd });
    const { before, snapshotRows, snapshotMs, from } = ready;
    for (let i = 0; i <= o.writers; i++) writers.push(await pool.connect());
    // the last of them is the aggregation job's
    const aggregator = writers[o.writers] as pg.PoolClient;
    const play = await playWindow(
      { ...o, plan },
      admin,
      writers.slice(0, o.writers),
      aggregator,
      ready.keeper,
      stats,
      from,
    );
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
      generationMs: play.generationMs,
      hoursHeldMax: play.hoursHeldMax,
    });
  } finally {
    for (const w of writers) w.release();
    sampler?.release();
    admin.release();
    await pool.end().catch(() => undefined);
    await session.close();
  }
}

/** The population before the window: each table's snapshot rows by COPY, all in one transaction. */
