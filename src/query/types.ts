/** What `gen query` produces: per query, the pruning checks of both plans and the latency under load. */
import type { Percentiles } from './latencies.js';

export interface PlanCheck {
  /** leaf partitions of the query's tables that the plan actually scans */
  partitionsScanned: number;
  /** leaf partitions those tables have */
  partitionsTotal: number;
  /** what the query's tag says it should scan, in this layout */
  partitionsExpected: number;
  /** run-time pruning: "Subplans Removed" summed over Append nodes */
  subplansRemoved: number;
  planningMs: number;
  executionMs: number;
  ok: boolean;
}

export interface QueryResult {
  name: string;
  description: string;
  /** plan-time pruning: literals in the SQL text */
  literal: PlanCheck;
  /** run-time pruning: prepared statement, plan_cache_mode = force_generic_plan */
  generic: PlanCheck;
  /** under load: latency from the scheduled start when --rate is given (no coordinated omission) */
  latencyMs: Percentiles;
  /**
   * The server's part of each latency: from the query's messages written to the socket to the last bytes of
   * its answer read (the server, the connection and the kernel; none of this process's time). Absent in
   * reports written before it was measured (6 December 2026).
   */
  serverMs?: Percentiles;
  /**
   * The rest of each latency (latencyMs - serverMs, query by query): under --rate the wait for the due time
   * to be noticed and for a free client, then writing the messages and reading the answer. What a client
   * in C (pgbench) spends less on.
   */
  clientMs?: Percentiles;
  count: number;
  errors: number;
  qps: number;
}

/** Under a rate: evenly spaced, or a Poisson process (exponential gaps: pgbench -R's arrivals). */
export const ARRIVALS = ['even', 'poisson'] as const;
export type Arrivals = (typeof ARRIVALS)[number];

export interface QueryReport {
  schema: string;
  clients: number;
  durationMs: number;
  /** target rate in queries/s over all clients, when given */
  rate?: number;
  /** with a rate: how the queries arrived (reports written before 6 December have none: even) */
  arrivals?: Arrivals;
  queries: QueryResult[];
  /** queries/s over all queries */
  qps: number;
  errors: number;
}
