/**
 * The live run's dispatcher: the window's transactions in time order, each started at its scheduled wall
 * time on a free writer (open model: latency counts from the schedule), never two at once on one changing row;
 * the hours generated ahead, the one playing and the next (HELD_HOURS); partition maintenance and the
 * resume point on the side. Real time and --follow are clock choices here.
 */
import type pg from 'pg';
import { backendPid, cancelBackends } from '../db/connection.js';
import { EnvironmentError, errorMessage, isConnectionLoss, sqlState } from '../errors.js';
import { buildPlan, type Plan, planEnd } from '../generate/index.js';
import { TXN_TYPES } from '../generate/transactions.js';
import { HOUR_MS } from '../time-units.js';
import { closeMetrics } from './bulk.js';
import { DayCloses, type StreamedClose } from './day-closes.js';
import { type EncodedHour, HourFeed } from './hours.js';
import type { PartitionKeeper } from './partitions.js';
import { saveResumeFrom } from './progress.js';
import { executeWire, MissingRow, Statements } from './sql.js';
import { LATE_MS, type LiveStats } from './stats.js';
import { DEFAULT_PIPELINE_DEPTH, type LiveOptions, type LiveTypeProgress } from './types.js';
import { hourTxn, insertedRows, type ReadyClose, rowCount, type WireTxn } from './wire-txn.js';
import { WriterSlots } from './writer-slots.js';

/**
 * a transaction, parsed from its generated hour (hours.ts) when a writer could take it: a backlog of due
 * transactions stays one string per hour, not a heap of rows whose collection costs the client CPU
 */
interface Item {
  time: number;
  txn: WireTxn | null;
  hour: EncodedHour | null;
  /** the hour it came from, until it is done (the hour's buffer goes back to the worker when all its are) */
  src: EncodedHour | null;
  i: number;
  closes: (ReadyClose | StreamedClose)[] | null;
  /** the worker of a day's close, ended with the close */
  day: DayCloses | null;
  /** on a writer (ready holds it until the queue's front passes it) */
  started: boolean;
  done: boolean;
}
type Due = Item & { txn: WireTxn };

const PERSIST_EVERY_MS = 500;
const MAINTAIN_EVERY_MS = 200;
/**
 * a stop lets running transactions end (each commits or rolls back whole) for this long, then cancels what still
 * runs: a writer waiting on a lock another session holds would hold the stop as long as that session wants
 */
const STOP_GRACE_MS = 2000;

const FOLLOW_HOURS = 24;

/**
 * The next hour's transactions join the queue this long (scenario ms) before the clock reaches it, or a second of
 * play at speeds where that is longer (the loop wakes at least every MAINTAIN_EVERY_MS, so none is late for it).
 * Not earlier: the worker generates it while the hour before it plays (askAhead), and an hour taken before it is
 * ready is hurried.
 */
const TAKE_AHEAD_MS = 5 * 60_000;

/**
 * Hours asked for and not given back at once (askAhead): the one playing and the next, each a buffer of
 * parameters (~150 MB at --scale 5's busiest hour). Until 5 December, three: the next hour was taken, and the one
 * after it asked for, as soon as an hour started.
 */
const HELD_HOURS = 2;

/**
 * Following: the window's length when hour `hour` (0-based from the start) is generated. A followed run's window
 * is a day at least (FOLLOW_HOURS), and the dispatcher grows it when it takes the hour at its end, to that hour
 * and a day more: from the scenario's H hours it is max(H, 24), then 25 hours longer each time. A restart
 * must generate the hours it plays from the same window length as the run it continues: an hour's rows depend
 * on the window's length (what is settled before the window ends), and a restart that took the hours played +
 * 24 gave the resumed hours other rows, with ids the committed hours had.
 */
export function followWindowHours(scenarioHours: number, hour: number): number {
  const first = Math.max(scenarioHours, FOLLOW_HOURS);
  const step = FOLLOW_HOURS + 1;
  return hour < first ? first : first + step * (Math.floor((hour - first) / step) + 1);
}

/** The plan a followed run generates hour `hour` with (followWindowHours): `plan` itself, or a longer one. */
export function followPlan(plan: Plan, hour: number): Plan {
  const hours = followWindowHours(plan.scenario.hours, hour);
  return hours === plan.hours ? plan : buildPlan({ ...plan.scenario, hours });
}

/**
 * The first hour a run played from `from` (its first transaction not committed, to the second) generates: the
 * hour `from` is in, or, on an hour's end, the hour ending there. An hour's metric close has the hour's end for
 * its time and only that hour adds it (its transactions, before `from`, are left out). Starting at the next hour,
 * a run stopped between an hour's last transaction and its close never wrote the close, and at the window's end
 * played nothing and was marked finished. Played again, a close is harmless: it replaces its rows.
 */
export function firstHour(plan: Plan, from: number): number {
  return from > plan.start ? Math.floor((from - 1 - plan.start) / HOUR_MS) : 0;
}

/**
 * Real time (`--start now...`): the scenario time play starts at, for a window starting at `start`, played from
 * `from`, at wall time `now`. The wall clock: what is already past is due at once. Not the resume point when that
 * lies ahead (a restart: the first transaction not committed, seconds or a minute ahead of the wall clock): the
 * clock ran that far ahead for the whole run. A window that starts later (`now+2h`) starts at once.
 */
export function realTimeAnchor(start: number, from: number, now: number): number {
  return now >= start ? now : Math.max(from, now);
}

/** The plan a followed run restarted at `from` (firstHour) plays on with: the window its first hour had. */
export function resumedFollowPlan(plan: Plan, from: number): Plan {
  return followPlan(plan, firstHour(plan, from));
}

function failureKind(e: unknown): string {
  if (e instanceof MissingRow) return 'missing_row';
  const msg = errorMessage(e);
  if (sqlState(e) === '23514' && /no partition/.test(msg)) return 'no_partition';
  return sqlState(e) ?? 'error';
}

/** The dispatcher: items in time order, started when due on a free writer, never two on one changing row. */
export async function playWindow(
  o: LiveOptions,
  admin: pg.ClientBase,
  writers: pg.PoolClient[],
  aggregator: pg.ClientBase,
  keeper: PartitionKeeper,
  stats: LiveStats,
  from: number,
): Promise<{ finished: boolean; clock: number; generationMs: number[]; hoursHeldMax: number }> {
  const { schema } = o;
  let plan = o.plan;
  // the hours are generated ahead on a worker thread: a busy hour takes seconds, which would stall dispatch
  let feed = new HourFeed(plan);
  const generationMs: number[] = [];
  let hoursHeldMax = 0;
  try {
    const r = await play();
    return { ...r, generationMs, hoursHeldMax: Math.max(hoursHeldMax, feed.maxHeld) };
  } finally {
    generationMs.push(...feed.generationMs);
    await feed.close();
  }

  async function play(): Promise<{ finished: boolean; clock: number }> {
    const windowEnd = (): number => (o.follow ? Number.POSITIVE_INFINITY : planEnd(plan));
    const st = new Statements(schema, o.layout);
    // set when play starts, after the first hours are generated (below)
    let wall0 = performance.now();
    const realAnchor = (): number => realTimeAnchor(plan.start, from, Date.now());
    let anchor = o.realTime ? realAnchor() : from;
    const speed = o.realTime ? 1 : o.speed;
    /** where the clock stopped when play stopped: what still reads it (the dashboards) sees no hour not played */
    let stoppedAt: number | null = null;
    const clock = (): number =>
      stoppedAt ?? Math.min(windowEnd(), anchor + (performance.now() - wall0) * speed);
    const due = (time: number): number => (time < anchor ? wall0 : wall0 + (time - anchor) / speed);
    let backfilled = 0;

    const items: Item[] = [];
    let head = 0; // first item not committed
    let next = 0; // first item not yet due
    let nextHour = firstHour(plan, from);
    // due and not started, in time order from readyHead (a started one stays until the front passes it): a
    // queue, not an array spliced at each start, which at saturation (tens of thousands due) cost more per turn
    // than the transaction (issue 7 §3)
    const ready: Item[] = [];
    let readyHead = 0;
    const busy = new Map<string, number>();
    // which writer each transaction goes to: up to `depth` in flight on each. The metric closes go to the
    // aggregation job's connection, one at a time: a close is a block of several queries (BEGIN, DELETE, COPY ...,
    // COMMIT: bulk.ts) of up to a second or more, and on a writer it took a quarter of 4 writers' capacity
    // meanwhile (issue 7 §3: the lag rose at each hour's close)
    const depth = o.pipelineDepth ?? DEFAULT_PIPELINE_DEPTH;
    const slots = new WriterSlots(writers.length, depth);
    let aggregating = false;
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
    /** transactions of each hour not done yet: at 0 the hour's parameter buffer goes back to the worker */
    const pending = new Map<EncodedHour, number>();
    const doneWith = (e: EncodedHour): void => {
      const n = (pending.get(e) ?? 1) - 1;
      if (n > 0) {
        pending.set(e, n);
        return;
      }
      pending.delete(e);
      feed.recycle(e);
      askAhead();
    };
    const addHour = (e: EncodedHour): void => {
      const h = e.h;
      nextHour = h + 1;
      let n = 0;
      for (let i = 0; i < e.times.length; i++) {
        const time = e.times[i] ?? 0;
        if (time >= from) {
          items.push({
            time,
            hour: e,
            src: e,
            i,
            txn: null,
            closes: null,
            day: null,
            started: false,
            done: false,
          });
          n++;
        }
      }
      if (n > 0) pending.set(e, n);
      else {
        feed.recycle(e);
        askAhead();
      }
      const end = plan.start + (h + 1) * HOUR_MS;
      // the hour's own rows made with it on the worker; a day's, when one ends, on a worker of its own as they are
      // written (day-closes.ts: the day's rows are ~200,000 at --scale 1, too many to hold for hours)
      const day = new DayCloses(plan, h);
      const closes = [...e.closes, ...day.closes];
      const txn: WireTxn = { time: end, type: 'metrics', keys: [], statements: [] };
      items.push({
        time: end,
        hour: null,
        src: null,
        i: 0,
        txn,
        closes,
        day: day.closes.length > 0 ? day : null,
        started: false,
        done: false,
      });
    };
    /** the next hour to ask the worker for */
    let nextAsk = nextHour;
    /**
     * At most HELD_HOURS hours asked for and not given back: the one playing and the next. An hour is asked for
     * when the one before the one playing is done (given back), so the worker generates it while the hour before
     * it plays, its work spread over half an hour of play (hour-worker.ts); taken before it is ready, it is
     * hurried.
     */
    const askAhead = (): void => {
      while (nextAsk < plan.hours && feed.holding < HELD_HOURS) feed.ask(nextAsk++, HOUR_MS / speed / 2);
    };

    /** starts `it` on writer w, or (a close, w = -1) on the aggregation job's connection */
    const start = (it: Due, w: number): void => {
      const client = w < 0 ? aggregator : (writers[w] as pg.PoolClient);
      running++;
      for (const k of it.txn.keys) busy.set(k, (busy.get(k) ?? 0) + 1);
      const scheduled = due(it.time);
      const began = performance.now();
      const backfill = it.time < anchor;
      const day = it.day;
      const work = it.closes
        ? closeMetrics(client, schema, it.closes).finally(() => day?.end())
        : executeWire(client, st, it.txn, { ahead: depth > 1 }).then(() => rowCount(it.txn));
      let cancelled = false;
      work
        .then((rows) => {
          if (backfill) {
            backfilled++;
            stats.backfilled(rows);
            return;
          }
          const end = performance.now();
          const latency = end - scheduled;
          const startLag = began - scheduled;
          stats.committed(it.txn.type, it.time, startLag, latency, end - began, rows);
          o.onTransaction?.(it.txn.type, latency, startLag > LATE_MS, it.closes ? [] : insertedRows(it.txn));
        })
        .catch((e: unknown) => {
          if (isConnectionLoss(e) || sqlState(e)?.startsWith('08') || sqlState(e) === '57P01') {
            fatal ??= e;
            return;
          }
          // cancelled by the stop (below): rolled back, so not done; the resume point stays before it
          if (stopping && aborted && sqlState(e) === '57014') {
            cancelled = true;
            return;
          }
          const kind = failureKind(e);
          stats.failed(it.txn.type, kind);
          o.onError?.(it.txn.type, kind);
        })
        .finally(() => {
          it.done = !cancelled;
          running--;
          for (const k of it.txn.keys) {
            const n = (busy.get(k) ?? 1) - 1;
            if (n === 0) busy.delete(k);
            else busy.set(k, n);
          }
          // done items stay listed until the list is trimmed (4,096 of them): their rows would survive young
          // collections and fill the old generation, whose collections cost the client CPU (issue 7 §3)
          (it as Item).txn = null;
          (it as Item).closes = null;
          (it as Item).day = null;
          // its parameters were copied into the pipeline when it was sent (pipeline.ts submit)
          if (it.src) doneWith(it.src);
          (it as Item).src = null;
          if (w < 0) aggregating = false;
          else slots.release(w);
          // the writer takes the next due transaction itself, without waiting for the loop's next turn; the
          // loop is woken only when it stays idle (its sleep may be long while every writer was busy)
          dispatch();
          if (slots.free) poke();
        });
    };

    /** the oldest due transaction not started, if any */
    const oldest = (): Item | undefined => {
      while (readyHead < ready.length && (ready[readyHead] as Item).started) readyHead++;
      if (readyHead > 4096 && readyHead * 2 > ready.length) {
        ready.splice(0, readyHead);
        readyHead = 0;
      }
      return ready[readyHead];
    };

    /** what is due joins the queue; what may start starts, in order: a transaction waits for earlier ones on the same rows */
    const dispatch = (): void => {
      const now = performance.now();
      while (next < items.length && due((items[next] as Item).time) <= now) {
        const it = items[next++] as Item;
        ready.push(it);
        if (it.time >= anchor) {
          dueCount++;
          const k = it.src ? (it.src.types[it.i] ?? 0) : TXN_TYPES.indexOf(it.txn?.type ?? 'metrics');
          dueByType[k] = (dueByType[k] ?? 0) + 1;
        }
      }
      if (stopping || fatal || o.signal?.aborted || !slots.free || oldest() === undefined) return;
      let held: Set<string> | null = null;
      for (let i = readyHead; i < ready.length && slots.free; i++) {
        const it = ready[i] as Item;
        if (it.started) continue;
        if (it.txn === null && it.hour !== null) it.txn = hourTxn(it.hour, it.i);
        it.hour = null;
        const keys = (it as Due).txn.keys;
        if (keys.some((k) => busy.has(k) || held?.has(k))) {
          held ??= new Set<string>();
          for (const k of keys) held.add(k);
          continue;
        }
        if (it.closes) {
          // a close waits for the one before it while later transactions go on
          if (aggregating) continue;
          aggregating = true;
          it.started = true;
          start(it as Due, -1);
          continue;
        }
        const w = slots.take();
        // no writer for a transaction means none is free for any (the rest of the queue is not scanned, nor parsed)
        if (w < 0) break;
        it.started = true;
        start(it as Due, w);
      }
    };

    let lastPersist = performance.now();
    let lastMaintain = 0;
    let lastLag = 0;
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
    // due so far, the backfill left out (as in `committed`): the whole backfill is due at once, and counted here
    // less what of it had committed, the progress line's scheduled rate read hundreds a second below zero once it had
    let dueCount = 0;
    /** due transactions per type (its index in TXN_TYPES), the backfill left out */
    const dueByType = new Float64Array(TXN_TYPES.length);
    /** the progress report's per-type figures */
    const typeProgress = (): LiveTypeProgress[] => {
      const committed = stats.counts();
      const recent = stats.recent();
      const out: LiveTypeProgress[] = [];
      TXN_TYPES.forEach((type, k) => {
        const scheduled = dueByType[k] ?? 0;
        if (scheduled === 0 && !committed.has(type)) return;
        const p = recent.get(type);
        out.push({
          type,
          committed: committed.get(type) ?? 0,
          scheduled,
          p50: p?.p50 ?? 0,
          p99: p?.p99 ?? 0,
        });
      });
      return out;
    };
    let stopping = false;
    const lagNow = (now: number): number => {
      const first = oldest();
      return first === undefined ? 0 : now - due(first.time);
    };
    const hourOf = (t: number): number => Math.floor((t - plan.start) / HOUR_MS);
    let aborted = false;
    // the two hours the loop takes first, generated before the clock starts: a busy hour takes seconds to
    // generate (black-friday's first: ~9 s at scale 1). With only the first awaited, the worker generated the
    // second and the two after it while the first hour played, and the first hour ran late (issue 7 §3: lag
    // 0.2-0.6 s in a window's first 10 s at speed 200, none after); now play starts in the steady state. The
    // second waits in the feed until the loop takes it (TAKE_AHEAD_MS)
    if (nextHour < plan.hours) {
      const first = nextHour;
      o.onStep?.(
        `generating the transactions of the first ${first + 1 < plan.hours ? 'two hours' : 'hour'}...`,
      );
      // needed now: not spread
      for (; nextAsk < Math.min(first + HELD_HOURS, plan.hours); nextAsk++) feed.ask(nextAsk);
      addHour(await feed.wait(first));
      if (first + 1 < plan.hours) await feed.ready(first + 1);
    }
    wall0 = performance.now();
    if (o.realTime) anchor = realAnchor();
    o.onPlay?.(clock);

    for (;;) {
      if (fatal) break;
      if (o.signal?.aborted) {
        aborted = true;
        break;
      }
      const now = performance.now();
      // taken at most one hour past the oldest uncommitted transaction: memory stays bounded however far behind
      // the writers are (a transaction generated late still counts its lag from its scheduled time)
      const front = hourOf(head < items.length ? (items[head] as Item).time : clock()) + 1;
      // an hour is taken shortly before it is needed (TAKE_AHEAD_MS), giving the worker the hour before it to
      // generate it: before the clock reaches it, or, behind the clock, before the oldest due transaction not
      // started does; never more than one past the oldest not done
      const needed = Math.min(clock(), oldest()?.time ?? Number.POSITIVE_INFINITY);
      const takeUpTo = Math.min(front, hourOf(needed + Math.max(TAKE_AHEAD_MS, 1000 * speed)));
      // following: the window grows by a day when its end comes near (the hours played stay; the generator's
      // rows near a window's end depend on its length, see followWindowHours)
      if (o.follow && nextHour >= plan.hours && nextHour <= front) {
        plan = followPlan(plan, nextHour);
        keeper.extend(plan.hours);
        // the worker holds the old plan: a new one for the longer window (its hours so far are the same)
        generationMs.push(...feed.generationMs);
        hoursHeldMax = Math.max(hoursHeldMax, feed.maxHeld);
        await feed.close();
        feed = new HourFeed(plan, feed.holding);
        askAhead();
      }
      while (nextHour < plan.hours && nextHour <= takeUpTo) {
        const e = feed.take(nextHour);
        // still generating: its due transactions show as lag below
        if (!e) break;
        addHour(e);
      }
      dispatch();
      while (head < items.length && (items[head] as Item).done) head++;
      // every transaction before the oldest not done is done: the latency histograms of the hours before it give
      // way to their figures (a --follow run lasts weeks)
      stats.settle(head < items.length ? (items[head] as Item).time : plan.start + nextHour * HOUR_MS);
      if (head > 4096) {
        items.splice(0, head);
        next -= head;
        head = 0;
      }
      const c = clock();
      // sampled while the maintenance statement runs too: one waiting on a lock, or a keeper behind the clock,
      // is when the writers lag most (sampled with the maintenance ticks, those were the periods the lag missed)
      if (now - lastLag >= MAINTAIN_EVERY_MS) {
        lastLag = now;
        // the backfill (what was already past at the start) is counted apart, as in the latency figures: its lag
        // is only how long the backfill takes (a real-time run's lag p99 read seconds, all of it the backfill's)
        const first = oldest();
        if (first === undefined || first.time >= anchor) stats.sampleLag(c, lagNow(now));
      }
      if (!maintaining && now - lastMaintain >= MAINTAIN_EVERY_MS) {
        lastMaintain = now;
        maintaining = keeper
          .tick(c, head < items.length ? (items[head] as Item).time : c)
          .then(async () => {
            if (now - lastPersist < PERSIST_EVERY_MS) return;
            lastPersist = now;
            await persist();
          })
          .catch((e: unknown) => {
            // a statement the stop cancelled (below) rolled back whole: the next run makes or retires it
            if (aborted && sqlState(e) === '57014') return;
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
          backfilled,
          committed: stats.transactions,
          scheduled: dueCount,
          types: typeProgress(),
          lagMs: lagNow(now),
          aheadHours: keeper.ahead(c),
          errors: [...stats.errors.values()].reduce((a, b) => a + b, 0),
          elapsedMs: now - wall0,
        });
      }
      if (!o.follow && nextHour >= plan.hours && head >= items.length && running === 0) break;
      // sleep until the next item is due, a writer frees up, or the next maintenance
      const nextDue = next < items.length ? due((items[next] as Item).time) - now : MAINTAIN_EVERY_MS;
      const wait =
        oldest() !== undefined && !slots.free
          ? MAINTAIN_EVERY_MS
          : Math.max(0, Math.min(nextDue, MAINTAIN_EVERY_MS));
      // at least a timer's ms, never a turn of setImmediate: spinning through the last fraction of a ms before a
      // transaction is due took ~150 loop turns per transaction at 500 transactions/s, more client CPU than
      // sending it (issue 7 §3); a transaction starts up to a timer's ms late instead (never early)
      await pause(Math.max(1, wait));
    }
    stoppedAt = clock();
    stopping = true;
    o.onPlayEnd?.();
    // stop: the maintenance statement may wait on a lock (an ATTACH behind another session's long transaction on
    // the parent): cancelled, it rolls back whole (partitions.ts: the next run finishes what it left)
    if (aborted && maintaining) await cancelBackends(o.url, [backendPid(admin)]).catch(() => undefined);
    await maintaining;
    // let what runs finish (it commits or rolls back whole), then cancel what still waits, and again while it does
    let cancelledAt = performance.now();
    while (running > 0) {
      await pause(MAINTAIN_EVERY_MS);
      const now = performance.now();
      if (aborted && running > 0 && now - cancelledAt >= STOP_GRACE_MS) {
        cancelledAt = now;
        await cancelBackends(o.url, [...writers, aggregator].map(backendPid)).catch(() => undefined);
      }
    }
    while (head < items.length && (items[head] as Item).done) head++;
    if (fatal) {
      await persist().catch(() => undefined);
      throw new EnvironmentError(
        `gen live: lost the database (${errorMessage(fatal)}); what committed is kept: run the same command again to continue`,
      );
    }
    // a cancel that reached the maintenance connection late (its statement had ended) may end the next one
    await persist().catch(async (e: unknown) => {
      if (!aborted || sqlState(e) !== '57014') throw e;
      await persist();
    });
    const finished = !aborted && !o.follow && nextHour >= plan.hours && head >= items.length;
    return { finished, clock: clock() };
  }
}
