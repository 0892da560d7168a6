/** What `gen live` is given and what it gives back (src/live/run.ts). */
import type { ServerSide } from '../db/server-stats.js';
import type { Plan } from '../generate/index.js';
import type { TxnType } from '../generate/transactions.js';
import type { Layout } from '../model/layout.js';
import type { TableName } from '../model/tables.js';
import type { MaintenanceEvent, MaintenanceLog } from './partitions.js';
import type { LiveStats } from './stats.js';

/**
 * Transactions a writer connection has in flight by default: the next is sent while the one before commits
 * (src/live/pipeline.ts), as a driver in pipeline mode would; 1 waits for each answer.
 */
export const DEFAULT_PIPELINE_DEPTH = 2;

export interface LiveOptions {
  plan: Plan;
  url: string;
  schema: string;
  layout: Layout;
  /** scenario seconds per wall second */
  speed: number;
  writers: number;
  /** transactions a writer has in flight at once (default DEFAULT_PIPELINE_DEPTH; 1: one at a time) */
  pipelineDepth?: number;
  premakeHours: number;
  retentionHours: number | null;
  /**
   * Real time (a window relative to now): the scenario clock is the wall clock; what is already past plays at
   * once, as fast as the writers go (backfill, not counted as late), then each transaction at its own time.
   * `speed` is ignored.
   */
  realTime?: boolean;
  /** keep playing past the window's end, indefinitely (a staging database that is always "today") */
  follow?: boolean;
  reset: boolean;
  signal?: AbortSignal;
  onProgress?: (p: LiveProgress) => void;
  progressEveryMs?: number;
  onMaintenance?: (e: MaintenanceEvent) => void;
  /** what it does before play, which at --scale 5 takes minutes (the snapshot, the first hours' generation) */
  onStep?: (line: string) => void;
  /** once the run is read: where its clock stands until play starts (the window's start, or where it resumes) */
  onResumeFrom?: (time: number) => void;
  /** called once play starts, with the scenario clock (dashboards, metrics) */
  onPlay?: (clock: () => number) => void;
  /**
   * called once play stops (the window's end, or a stop), before the run's last commits, its statistics and its
   * report: what runs alongside play (the dashboards) stops with it
   */
  onPlayEnd?: () => void;
  onTransaction?: (
    type: string,
    latencyMs: number,
    late: boolean,
    rows: readonly [TableName, number][],
  ) => void;
  onError?: (type: string, kind: string) => void;
}

/** a transaction type in a progress report */
export interface LiveTypeProgress {
  type: TxnType;
  /** committed so far (the backfill left out) */
  committed: number;
  /** due so far (the backfill left out) */
  scheduled: number;
  /** latency from the scheduled time of those committed since the report before, ms (0: none) */
  p50: number;
  p99: number;
}

export interface LiveProgress {
  clock: number;
  /** transactions that were already past when a real-time run started, played at once */
  backfilled: number;
  committed: number;
  scheduled: number;
  /** per type that has had a transaction due, in TXN_TYPES order */
  types: LiveTypeProgress[];
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
  maintenance: MaintenanceLog;
  /** scenario clock at the end */
  clock: number;
  /** ms the generating worker thread spent on each hour it generated */
  generationMs: number[];
  /**
   * the most generated hours held at once (their parameters: ~150 MB an hour at --scale 5's busiest): 2, the
   * one playing and the next, when the writers keep up
   */
  hoursHeldMax: number;
  /** the server's side of the run: WAL, checkpoints, buffers, autovacuum, sizes (from the statistics views) */
  serverSide: ServerSide | null;
}
