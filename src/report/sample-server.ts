/**
 * The server of the sample report (sample-report.ts): its settings, and its side of a load, the shape of a 72-hour
 * black-friday load on PostgreSQL 18 with default settings (max_wal_size 1GB: requested checkpoints), scaled per
 * layout by `factor`.
 */
import type { ServerSide, TableLoad } from './types.js';

const round = (x: number): number => Math.round(x);

export function sampleServerSide(tables: Record<string, TableLoad>, factor: number): ServerSide {
  const csv = Object.values(tables).reduce((a, t) => a + t.bytes, 0);
  const walBytes = round(csv * 1.62 * factor);
  return {
    walBytes,
    walPositionBytes: round(walBytes * 1.003),
    walRecords: round(walBytes / 212),
    walFullPageImages: round(walBytes / 8192 / 40),
    checkpointsTimed: 0,
    checkpointsRequested: round(3 * factor),
    buffersWrittenBackend: round((csv / 8192) * 0.31 * factor),
    buffersWrittenCheckpointer: round((csv / 8192) * 0.84),
    buffersWrittenBgwriter: round((csv / 8192) * 0.07),
    blockSize: 8192,
    autovacuumRuns: round(41 * factor),
    autoanalyzeRuns: round(63 * factor),
    tables: Object.entries(tables).map(([table, t]) => ({
      table,
      bytes: round(t.bytes * 1.38 * factor),
      indexBytes: round(t.bytes * 0.21 * factor),
    })),
    source:
      'pg_stat_wal+pg_stat_bgwriter+pg_stat_checkpointer+pg_stat_io+pg_stat_all_tables+pg_total_relation_size',
    ms: 37_350 * factor,
  };
}

/** The server settings of the sample report: PostgreSQL 18's defaults on a small machine. */
export function sampleSettings(): Record<string, string> {
  return {
    shared_buffers: '128MB',
    synchronous_commit: 'on',
    wal_level: 'replica',
    max_wal_size: '1GB',
    checkpoint_timeout: '5min',
    work_mem: '4MB',
    maintenance_work_mem: '64MB',
    effective_cache_size: '4GB',
    fsync: 'on',
    full_page_writes: 'on',
    jit: 'on',
    max_parallel_workers_per_gather: '2',
    plan_cache_mode: 'auto',
    enable_partition_pruning: 'on',
    max_locks_per_transaction: '64',
  };
}
