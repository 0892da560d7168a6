/** A live run's results in the report shapes (--json, --html, the terminal summary). */
import type { ServerSide } from '../db/server-stats.js';
import type { DashboardReport } from '../query/dashboards.js';
import type { Percentiles } from '../query/latencies.js';
import type { MaintenanceEvent, MaintenanceTotals } from './partitions.js';
import type { LiveResult } from './run.js';
import { LATE_MS, type LiveHourReport, type LiveTypeReport } from './stats.js';

export interface LiveReport {
  speed: number;
  writers: number;
  /** transactions a writer had in flight at most (absent in reports from before it could be more than 1) */
  pipelineDepth?: number;
  premakeHours: number;
  retentionHours: number | null;
  /** ISO scenario time play started from (later than the window start when resumed) */
  playedFrom: string;
  resumed: boolean;
  finished: boolean;
  snapshot: { rows: number; ms: number };
  /** real time (--start relative to now): transactions already past at the start, played at once */
  backfill: { transactions: number; rows: number };
  /** the run keeps playing past the window's end (--follow) */
  follow: boolean;
  realTime: boolean;
  elapsedMs: number;
  transactions: number;
  rows: number;
  /** transactions that started more than lateAfterMs after their scheduled time */
  late: number;
  lateAfterMs: number;
  /** how far behind schedule the oldest waiting transaction was, sampled every 200 ms */
  lag: Percentiles;
  types: LiveTypeReport[];
  hours: LiveHourReport[];
  maintenance: {
    ops: MaintenanceTotals[];
    /** the first 500 events and the last 500, in order (LOGGED_EVENTS) */
    events: MaintenanceEvent[];
    /** events between those that the report leaves out (none in reports written before 5 December) */
    eventsLeftOut?: number;
  };
  errors: Record<string, number>;
  /** the server's side: WAL, checkpoints, buffers, autovacuum, sizes */
  serverSide?: ServerSide;
  /** --clients: the query suite run meanwhile, relative to the scenario clock */
  dashboards?: DashboardReport;
}

export function toLiveReport(
  r: LiveResult,
  o: {
    speed: number;
    writers: number;
    pipelineDepth: number;
    premakeHours: number;
    retentionHours: number | null;
    follow: boolean;
    realTime: boolean;
  },
): LiveReport {
  return {
    ...o,
    playedFrom: new Date(r.playedFrom).toISOString(),
    resumed: r.resumed,
    finished: r.finished,
    snapshot: { rows: r.snapshotRows, ms: r.snapshotMs },
    backfill: { transactions: r.stats.backfill, rows: r.stats.backfillRows },
    elapsedMs: r.elapsedMs,
    transactions: r.stats.transactions,
    rows: r.stats.rows,
    late: r.stats.late(),
    lateAfterMs: LATE_MS,
    lag: r.stats.lagSummary(),
    types: r.stats.types(),
    hours: r.stats.hours(),
    maintenance: {
      ops: r.maintenance.ops(),
      events: r.maintenance.events,
      eventsLeftOut: r.maintenance.leftOut,
    },
    errors: Object.fromEntries(r.stats.errors),
    ...(r.serverSide ? { serverSide: r.serverSide } : {}),
  };
}
