/**
 * `--json FILE`: the RunReport as a file a script can read, and reading it back for `gen compare`. The file is
 * validated against REPORT_SCHEMA both ways: a report we write is one we can read, and a file a user hands us
 * is checked once, here, before anything trusts its shape.
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type pg from 'pg';
import { describeServer } from '../db/connection.js';
import { UserError } from '../errors.js';
import { toolInfo } from '../package-root.js';
import { REPORT_SCHEMA } from './report.schema.js';
import type { RunReport } from './types.js';

// allErrors off: the first problem is the one line a user gets, and ajv stops there.
const validate = new Ajv2020({ allErrors: false, strict: true }).compile<RunReport>(REPORT_SCHEMA);

/** One line: `/load/rowsPerSec: must be number`, with the offending property name where ajv keeps it apart. */
function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '/' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  let what = e.message ?? `fails ${e.keyword}`;
  if (e.keyword === 'additionalProperties') what += ` (${String(params.additionalProperty)})`;
  return `${where}: ${what}`;
}

/** The first schema problem of `value` as one line, or null when it is a valid RunReport. */
export function reportProblem(value: unknown): string | null {
  if (validate(value)) return null;
  const first = validate.errors?.[0];
  return first === undefined ? 'does not match the report schema' : describeError(first);
}

/**
 * Writes the report as indented JSON. Refuses (a bug, not a user error) a report that would not read back,
 * e.g. a NaN rate that JSON.stringify would silently turn into null. Written to a temporary name and renamed,
 * so a crash never leaves half a file where a previous report was.
 */
export async function writeJsonReport(file: string, report: RunReport): Promise<void> {
  const json = JSON.stringify(report, null, 2);
  const problem = reportProblem(JSON.parse(json));
  if (problem !== null) throw new Error(`report for ${file} does not match its schema: ${problem}`);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${json}\n`);
  await rename(tmp, file);
}

/** Reads and validates a report written by `--json`; anything wrong is a one-line UserError naming the file. */
export async function readJsonReport(file: string): Promise<RunReport> {
  let textContent: string;
  try {
    textContent = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new UserError(`${file}: cannot read: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(textContent);
  } catch (err) {
    throw new UserError(`${file}: not JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const problem = reportProblem(value);
  if (problem !== null) throw new UserError(`${file}: ${problem}`);
  return value as RunReport;
}

/**
 * The settings that change load and query figures: memory, WAL and durability (COPY speed), planner switches
 * (pruning, parallel plans, JIT). Recorded so that a difference between two runs can be told apart from a
 * difference between two servers.
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
] as const;

/**
 * Server version and REPORTED_SETTINGS as the server shows them. current_setting() rather than
 * pg_settings.setting: the latter is in the setting's unit (shared_buffers '16384' meaning 8kB pages),
 * current_setting() says '128MB'. Settings this server does not have (older versions) are left out.
 */
export async function serverSettings(
  client: pg.ClientBase,
): Promise<{ version: string; versionNum: number; settings: Record<string, string> }> {
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

export { toolInfo };

export function toolVersion(): string {
  return toolInfo().version;
}
