/**
 * The highest --speed a live run sustains (issue 7: `gen bench --live --find-speed` per layout, and npm run
 * bench's live part): probes at speeds doubling from a first one while they pass, then bisecting between the
 * last pass and the first failure. A probe passes when the lag p99 stays under LAG_P99_MS with no failed
 * transaction. Each probe plays the window from its start for a bounded time, on a schema rewound to the
 * snapshot (rewindLive), as a resumed run replays: the rows played are deleted, absolute UPDATEs replay.
 */
import type pg from 'pg';
import type { Plan } from '../generate/index.js';
import { POPULATION_TABLES } from '../generate/slices.js';
import { EVENT_TABLES } from '../generate/transactions.js';
import { LIVE_TABLE } from '../load/ledger.js';
import { qualified } from '../model/ddl.js';
import { TABLES } from '../model/tables.js';
import { runLive } from './run.js';
import type { LiveOptions, LiveResult } from './types.js';

/** a speed is sustained while the lag p99 stays under this (ms) */
export const LAG_P99_MS = 1000;

/** One speed probe. */
export interface SpeedProbe {
  speed: number;
  /** lag p99 under LAG_P99_MS, no failed transaction */
  pass: boolean;
  transactions: number;
  /** committed transactions per wall second of play */
  tps: number;
  lagP99Ms: number;
  errors: number;
  /** wall seconds it played (at most the probe length; less when the window ended) */
  playS: number;
  /**
   * it played the whole window, its end-of-window closes included, before its time was up (reports written before
   * this field: absent)
   */
  whole?: boolean;
}

/** A live run's options less what a probe sets itself. */
export type ProbeRun = Omit<
  LiveOptions,
  'speed' | 'reset' | 'signal' | 'onPlay' | 'retentionHours' | 'follow' | 'realTime'
>;

/**
 * One probe: the window played at `speed` from where the schema's live ledger says (rewindLive: its start) for
 * at most `seconds` of play, then stopped. `signal` stops it early (the caller decides what an interrupted probe
 * means); `onPlay` runs as play starts (what else the caller measures from then).
 */
export async function playProbe(
  o: ProbeRun,
  speed: number,
  seconds: number,
  hooks: { signal?: AbortSignal | undefined; onPlay?: () => void } = {},
): Promise<{ probe: SpeedProbe; result: LiveResult; playedAt: number }> {
  const stop = new AbortController();
  const cut = (): void => stop.abort();
  hooks.signal?.addEventListener('abort', cut, { once: true });
  let playedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await runLive({
      ...o,
      speed,
      retentionHours: null,
      reset: false,
      signal: stop.signal,
      onPlay: () => {
        playedAt = performance.now();
        hooks.onPlay?.();
        timer = setTimeout(cut, seconds * 1000);
      },
    });
    const playS = playedAt > 0 ? (performance.now() - playedAt) / 1000 : 0;
    const transactions = result.stats.transactions;
    const lagP99Ms = result.stats.lag.summary().p99;
    const errors = [...result.stats.errors.values()].reduce((a, b) => a + b, 0);
    const probe: SpeedProbe = {
      speed,
      pass: transactions > 0 && lagP99Ms < LAG_P99_MS && errors === 0,
      transactions,
      tps: playS > 0 ? transactions / playS : 0,
      lagP99Ms,
      errors,
      playS,
      whole: result.finished,
    };
    return { probe, result, playedAt };
  } finally {
    clearTimeout(timer);
    hooks.signal?.removeEventListener('abort', cut);
  }
}

export interface SearchLimits {
  /** probes at most, doubling and bisecting together */
  maxProbes: number;
  /** bisect steps after the first failing speed: 4 narrow the answer to 1/16 of the last doubling */
  bisectSteps: number;
  /**
   * no probe above this speed (default none): above it the window plays too fast for its lag to say what is
   * sustained (gen bench --live: the window must last a third of a probe)
   */
  maxSpeed?: number;
}

/**
 * The search itself: `probe(speed)` runs one (undefined: interrupted, the search stops). Doubles from `first`
 * while probes pass, up to `limits.maxSpeed`; a first speed that fails is halved until one passes (down to 4);
 * then bisects. Returns the probes in the order run.
 */
export async function searchSpeed<P extends { speed: number; pass: boolean }>(
  first: number,
  probe: (speed: number) => Promise<P | undefined>,
  limits: SearchLimits,
): Promise<P[]> {
  const probes: P[] = [];
  const run = async (speed: number): Promise<P | undefined> => {
    const p = await probe(speed);
    if (p !== undefined) probes.push(p);
    return p;
  };
  let lo = 0;
  let hi = 0;
  const max = limits.maxSpeed ?? Number.POSITIVE_INFINITY;
  let speed = Math.min(first, max);
  while (probes.length < limits.maxProbes) {
    const p = await run(speed);
    if (p === undefined) return probes;
    if (p.pass) {
      lo = speed;
      if (speed >= max) break;
      speed = Math.min(speed * 2, max);
    } else {
      hi = speed;
      break;
    }
  }
  // the first speed failing: halve until one passes (a slower machine); the last failure stays the upper bound
  while (lo === 0 && probes.length < limits.maxProbes && hi > 4) {
    const half = Math.round(hi / 2);
    const p = await run(half);
    if (p === undefined) return probes;
    if (p.pass) lo = half;
    else hi = half;
  }
  for (let i = 0; i < limits.bisectSteps && lo > 0 && hi > lo && probes.length < limits.maxProbes; i++) {
    const mid = Math.round((lo + hi) / 2);
    if (mid === lo || mid === hi) break;
    const p = await run(mid);
    if (p === undefined) return probes;
    if (p.pass) lo = mid;
    else hi = mid;
  }
  return probes;
}

/** The highest passing speed of a search's probes (null: none passed), and the lowest failing one above it. */
export function sustainedSpeed(probes: readonly { speed: number; pass: boolean }[]): {
  speed: number | null;
  failedAt: number | null;
} {
  const passed = probes.filter((p) => p.pass).map((p) => p.speed);
  const speed = passed.length > 0 ? Math.max(...passed) : null;
  const failed = probes.filter((p) => !p.pass && (speed === null || p.speed > speed)).map((p) => p.speed);
  return { speed, failedAt: failed.length > 0 ? Math.min(...failed) : null };
}

/**
 * The schema of a gen live run back to its snapshot: its rows since the window start deleted, the live ledger's
 * resume point back at the start; the next run (reset false) plays the window from its start again. Not for a
 * run with --retention: the window's first partitions may be gone.
 *
 * The event tables that have no rows before the window are TRUNCATEd, not DELETEd and vacuumed: a vacuumed empty
 * partition has statistics that say "empty" (reltuples 0), where a new one's say "unknown" (-1). With "empty", a
 * connection's prepared UPDATE by primary key switched to a generic plan after its five custom ones (a seq scan
 * of an empty partition costs nothing) and then seq-scanned the current hour's partition on every execution as it
 * filled: 8,334 seq scans of shop_order's in a 15 s probe, lag p99 2.8 s at a speed that passes from a truncated
 * (or new) partition (0.83 s). A real run's partitions are new, so the probes start as it does.
 */
export async function rewindLive(client: pg.ClientBase, schema: string, plan: Plan): Promise<void> {
  const fresh = EVENT_TABLES.filter((n) => !POPULATION_TABLES.has(n));
  await client.query(`TRUNCATE ${fresh.map((n) => qualified(schema, n)).join(', ')}`);
  const rest = TABLES.filter((tb) => !fresh.includes(tb.name));
  for (const tb of rest)
    await client.query(`DELETE FROM ${qualified(schema, tb.name)} WHERE event_time >= $1`, [
      new Date(POPULATION_TABLES.has(tb.name) ? plan.start + 1 : plan.start),
    ]);
  await client.query(`UPDATE ${qualified(schema, LIVE_TABLE)} SET resume_from = $1, finished_at = NULL`, [
    new Date(plan.start),
  ]);
  // the metric tables (written by COPY, never updated); the population's big tables lost only the window's few
  // rows: vacuumed by autovacuum
  for (const tb of rest)
    if (!POPULATION_TABLES.has(tb.name)) await client.query(`VACUUM ${qualified(schema, tb.name)}`);
}
