/**
 * The shape of a run's results: what `--json FILE` writes (validated against report.schema.json), what the
 * HTML report draws and what `gen compare` diffs. Every stage fills its own part; times are milliseconds.
 * The parts are declared by the stages that produce them (load, query) and re-exported here for the readers.
 */

import type { ServerInfo } from '../db/server-info.js';
import type { ServerSide } from '../db/server-stats.js';
import type { SpeedProbe } from '../live/speed-search.js';
import type { CopyFormat } from '../load/copy-format.js';
import type { ThroughputSample } from '../load/stats.js';
import type { Percentiles } from '../query/latencies.js';
import type { DataProfile } from '../query/profile.js';
import type { QueryReport } from '../query/types.js';

export type { ServerSide, TableSize } from '../db/server-stats.js';
export type { LiveReport } from '../live/report.js';

import type { LiveReport } from '../live/report.js';

export type { ThroughputSample } from '../load/stats.js';
export type { HourFigures, Percentiles } from '../query/latencies.js';
export type { DataProfile, ProfileHour, Share } from '../query/profile.js';
export type { PlanCheck, QueryReport, QueryResult } from '../query/types.js';

export interface TableLoad {
  rows: number;
  bytes: number;
  partitions: number;
  genMs: number;
  copyMs: number;
  /** per-chunk COPY time percentiles of this table */
  chunkMs: Percentiles;
}

/** One (table, partition) chunk of a load. */
export interface ChunkLoad {
  partition: string;
  table: string;
  rows: number;
  bytes: number;
  /** time inside the generator */
  genMs: number;
  /** the rest of the chunk's wall time: server, socket, backpressure */
  copyMs: number;
  rowsPerSec: number;
  mbPerSec: number;
}

export interface LoadReport {
  layout: string;
  schema: string;
  /** the COPY's wire format (`bytes` are of it); csv for --out files; absent in reports from before 7 December 2026 */
  copyFormat?: CopyFormat;
  jobs: number;
  rows: number;
  bytes: number;
  chunks: number;
  wallMs: number;
  ddlMs: number;
  genMs: number;
  copyMs: number;
  rowsPerSec: number;
  mbPerSec: number;
  /** percentiles of chunk COPY times across all chunks (HDR histogram) */
  chunkMs: Percentiles;
  tables: Record<string, TableLoad>;
  samples: ThroughputSample[];
  /** every chunk loaded by this run, in completion order */
  partitions?: ChunkLoad[];
  /** adding and validating FOREIGN KEY constraints after the rows (layouts with foreign_keys) */
  fkMs?: number;
  /** VACUUM (ANALYZE) of the schema's tables after the load, outside wallMs (absent: not run) */
  analyzeMs?: number;
  /** chunks an earlier, interrupted run had already committed (resumed load) */
  skipped?: number;
  /** the server's side: WAL, checkpoints, buffer writes, autovacuum, sizes (loads into a database) */
  serverSide?: ServerSide;
}

export interface LayoutResult {
  layout: string;
  schema: string;
  load: LoadReport;
  /** pg_total_relation_size of all the layout's tables */
  sizeBytes: number;
  queries: QueryReport;
}

/** gen bench --live: one live run per layout, each in its own schema, first = the baseline of the ratios */
/** The highest speed a layout sustained in its probes. */
export interface MaxSpeed {
  /** the highest speed that passed; null when none did */
  speed: number | null;
  /** the lowest speed above it that failed; null when none did (the limit is higher than what was probed) */
  failedAt: number | null;
  /** no probe faster: the window lasts a third of a probe at this speed (gen bench --live's limit) */
  speedCap: number;
  /** a probe passes with its lag p99 under this */
  lagP99Ms: number;
  probeSeconds: number;
  /** in the order they ran */
  probes: SpeedProbe[];
}

export interface LiveLayoutResult {
  layout: string;
  schema: string;
  live: LiveReport;
  /** with --find-speed */
  maxSpeed?: MaxSpeed;
}

export interface RunReport {
  tool: { name: string; version: string };
  /** ISO time the run was made (report metadata, never inside generated rows) */
  createdAt: string;
  command: string[];
  scenario: { name: string; seed: number; scale: number; hours: number; start: string };
  server?: ServerInfo;
  /** redacted connection URL, or the --out folder */
  target: string;
  load?: LoadReport;
  /** what the loaded rows look like (the load's --html/--json): queried after the load, timed apart from it */
  profile?: DataProfile;
  queries?: QueryReport;
  /** gen bench: one entry per layout, first = the baseline of the ratios */
  layouts?: LayoutResult[];
  /** gen live: the transactions, lag, maintenance and errors of the run */
  live?: LiveReport;
  /** gen bench --live: the same live run per layout */
  liveLayouts?: LiveLayoutResult[];
}
