/**
 * What a report says about the server it measured: version and the settings that change load and query
 * figures. Read here, in the infrastructure, and handed to the reporter as data.
 */
import type pg from 'pg';
import { describeServer } from './connection.js';

/**
 * The settings that change load and query figures: memory, WAL and durability (COPY speed), planner switches
 * (pruning, parallel plans, JIT), the lock table (a window of thousands of partitions takes a lock per
 * relation: the embedded server raises it, src/db/embedded/cluster.ts). Recorded so that a difference between
 * two runs can be told apart from a difference between two servers.
 */
export const REPORTED_SETTINGS = [
  'shared_buffers',
  'synchronous_commit',
  'wal_level',
  'max_wal_size',
  'checkpoint_timeout',
  'work_mem',
  'maintenance_work_mem',
  'effective_cache_size',
  'fsync',
  'full_page_writes',
  'jit',
  'max_parallel_workers_per_gather',
  'plan_cache_mode',
  'enable_partition_pruning',
  'max_locks_per_transaction',
] as const;

export interface ServerInfo {
  /** server_version, e.g. "18.4" */
  version: string;
  /** server_version_num, e.g. 180004 */
  versionNum: number;
  /** REPORTED_SETTINGS the server has, in that list's order, as current_setting() shows them */
  settings: Record<string, string>;
}

/**
 * Server version and REPORTED_SETTINGS as the server shows them. current_setting() rather than
 * pg_settings.setting: the latter is in the setting's unit (shared_buffers '16384' meaning 8kB pages),
 * current_setting() says '128MB'. Settings this server does not have (older versions) are left out.
 */
export async function readServerInfo(client: pg.ClientBase): Promise<ServerInfo> {
  const { version, versionNum } = await describeServer(client);
  const res = await client.query<{ name: string; value: string }>(
    'select name, current_setting(name) as value from pg_settings where name = any($1::text[])',
    [[...REPORTED_SETTINGS]],
  );
  const found = new Map(res.rows.map((r) => [r.name, r.value]));
  const settings: Record<string, string> = {};
  // the list's order, not the server's: the same settings line up the same way in every report
  for (const name of REPORTED_SETTINGS) {
    const value = found.get(name);
    if (value !== undefined) settings[name] = value;
  }
  return { version, versionNum, settings };
}
