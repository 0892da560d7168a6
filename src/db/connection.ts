import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { EnvironmentError, onClientError, sqlState, systemCode } from '../errors.js';
import { openWithFallback, TlsPool, tlsError, tlsPlan, withTlsEnv } from './tls.js';

/** Where the connection string came from, in order of precedence. */
export type ConnectionSource = 'flag' | 'DATABASE_URL' | 'PG*' | 'embedded';

/**
 * An unreachable-but-routable host (a firewall that drops packets) would otherwise hang until the OS gives
 * up after minutes; ten seconds is long for a local server and enough for a remote one.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Where each URL this process resolved came from, so that "connection refused" can say which setting to look
 * at (a forgotten DATABASE_URL) or that the embedded server stopped.
 */
const sources = new Map<string, ConnectionSource>();

export function noteSource(url: string, source: ConnectionSource): void {
  sources.set(url, source);
}

/** The hint after "connection refused": what to change, by where the URL came from. */
function refusedHint(source: ConnectionSource | undefined): string {
  switch (source) {
    case 'embedded':
      return 'The embedded server stopped; the same command starts it again (or: gen db start).';
    case 'flag':
      return "Is the server running on that host and port? (The URL is --db's.)";
    case 'DATABASE_URL':
      return (
        "Is the server running on that host and port? (The URL is the environment's DATABASE_URL; " +
        'unset it and give no --db or PG* to use the embedded server.)'
      );
    case 'PG*':
      return (
        "Is the server running on that host and port? (The URL is built from the environment's PGHOST, " +
        'PGPORT, PGUSER, PGDATABASE; unset them and give no --db or DATABASE_URL to use the embedded server.)'
      );
    default:
      return 'Is the server running on that host and port? Without --db/DATABASE_URL/PG* the embedded server is used.';
  }
}

/**
 * `--db` wins, then DATABASE_URL, then the libpq PG* variables. Returns null when none is set, which means
 * "use the embedded server". PGSSLMODE, PGSSLROOTCERT, ... are added for what the URL does not say (tls.ts).
 * Records where the URL came from (noteSource), for the hint of a refused connection.
 */
export function resolveConnectionString(opts: {
  db?: string;
  env: NodeJS.ProcessEnv;
}): { url: string; source: ConnectionSource } | null {
  const found = findConnectionString(opts.db, opts.env);
  if (found !== null) noteSource(found.url, found.source);
  return found;
}

function findConnectionString(
  db: string | undefined,
  env: NodeJS.ProcessEnv,
): { url: string; source: ConnectionSource } | null {
  if (db !== undefined && db.trim() !== '') return { url: withTlsEnv(db.trim(), env), source: 'flag' };
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) return { url: withTlsEnv(databaseUrl, env), source: 'DATABASE_URL' };
  const fromPg = urlFromPgEnv(env);
  if (fromPg !== null) return { url: withTlsEnv(fromPg, env), source: 'PG*' };
  return null;
}

/**
 * Builds a URL from PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE when at least one of the "where" variables is
 * set. PGPASSWORD alone does not count: it is often exported globally and says nothing about which server.
 */
function urlFromPgEnv(env: NodeJS.ProcessEnv): string | null {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const host = get('PGHOST');
  const port = get('PGPORT');
  const database = get('PGDATABASE');
  const envUser = get('PGUSER');
  if (host === undefined && port === undefined && database === undefined && envUser === undefined)
    return null;

  // libpq defaults: user = the OS user name, database = the user name. For the host libpq would use its
  // compiled-in socket directory, which differs between builds; node-postgres uses 'localhost', so do that.
  const user = envUser ?? userInfo().username;
  const password = get('PGPASSWORD');
  // A host starting with '/' is a Unix socket directory; pg-connection-string accepts it percent-encoded.
  const hostPart =
    host === undefined ? 'localhost' : host.includes(':') && !host.startsWith('/') ? `[${host}]` : host;
  const auth = encodeURIComponent(user) + (password === undefined ? '' : `:${encodeURIComponent(password)}`);
  const encodedHost = hostPart.startsWith('/') ? encodeURIComponent(hostPart) : hostPart;
  return `postgres://${auth}@${encodedHost}${port === undefined ? '' : `:${port}`}/${encodeURIComponent(database ?? user)}`;
}

/**
 * Hides the password of a postgres URL (`scheme://user:***@host`) and of `password=` parameters in a URL
 * query or a libpq keyword/value string. Best effort on malformed input: it errs towards hiding more.
 */
export function redactUrl(url: string): string {
  // The password runs to the LAST '@' before the query: users paste passwords with a raw '@' in them.
  const redacted = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)([^?#]*)@/i, '$1***@');
  // Keyword strings allow single-quoted values with backslash escapes (libpq "conninfo" syntax).
  return redacted.replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*)/gi, '$1***');
}

/** The server's version string (e.g. "18.4") and number (e.g. 180004). */
export async function describeServer(
  client: pg.ClientBase,
): Promise<{ version: string; versionNum: number }> {
  const res = await client.query<{ version: string; version_num: string }>(
    "select current_setting('server_version') as version, current_setting('server_version_num') as version_num",
  );
  const row = res.rows[0];
  if (row === undefined) throw new Error('server returned no row for current_setting()');
  return { version: row.version, versionNum: Number.parseInt(row.version_num, 10) };
}

/**
 * TCP keepalives on every connection, both ends (issue 10 §1): a load's chunk transaction holds its chunk's
 * advisory lock (src/load/coop.ts) until it commits or its backend notices the client is gone. A backend
 * waiting for COPY data from a machine that vanished (no FIN, no RST) notices only through keepalives: after
 * 60 s idle, 6 probes 10 s apart, i.e. within about 2 minutes (Linux's defaults: 2 h 11 min). The client side
 * (Node's socket option: first probe after 60 s, then the OS's interval and count) notices a vanished server.
 * Keepalives only probe an idle socket: a backend whose reply to a vanished client is never acknowledged (a
 * waiter granted a chunk's lock just after its machine went away) would retransmit for ~15 minutes, so the
 * server's tcp_user_timeout (PostgreSQL 12+) gives up on unacknowledged data after 2 minutes too.
 */
const KEEPALIVE = { idleS: 60, intervalS: 10, count: 6, userTimeoutMs: 120_000 } as const;

function clientKeepalive(): Pick<pg.ClientConfig, 'keepAlive' | 'keepAliveInitialDelayMillis'> {
  return { keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE.idleS * 1000 };
}

/**
 * The server's side, as session settings (user-settable; read as 0 over a Unix socket, where they do not
 * apply). SET after connecting rather than the startup packet's `options`: PgBouncer refuses an `options`
 * startup parameter unless told to ignore it, and node-postgres replaces ours with a URL's own `?options=`.
 */
async function serverKeepalive(client: pg.ClientBase): Promise<void> {
  await client.query(
    `SET tcp_keepalives_idle = ${KEEPALIVE.idleS}; SET tcp_keepalives_interval = ${KEEPALIVE.intervalS}; ` +
      `SET tcp_keepalives_count = ${KEEPALIVE.count}; SET tcp_user_timeout = ${KEEPALIVE.userTimeoutMs}`,
  );
}

/**
 * Whether `client` is connected to a server on this machine, so that it shares our cores: the server's own
 * address for this connection is loopback, or none (a Unix socket). Asked of the server, not read from the URL
 * (query/workload.ts's isLoopback guards where a load may point; this is about where the server runs).
 */
export async function serverIsLocal(client: pg.ClientBase): Promise<boolean> {
  const r = await client.query<{ local: boolean }>(
    `select coalesce(inet_server_addr() <<= inet '127.0.0.0/8' or inet_server_addr() = inet '::1', true) as local`,
  );
  return r.rows[0]?.local === true;
}

/** Opens one client, turning the failures a user can fix into a one-line EnvironmentError. */
export async function connect(url: string, opts: { signal?: AbortSignal } = {}): Promise<pg.Client> {
  try {
    // sslmode=allow/prefer: a second try the other way when the first fails as libpq's would (tls.ts)
    const client = await openWithFallback(tlsPlan(url), async (tls) => {
      const client = new pg.Client({
        ...tls,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        ...clientKeepalive(),
      });
      client.on('error', onClientError);
      try {
        await client.connect();
        await serverKeepalive(client);
      } catch (err) {
        // A failed connect leaves a half-open client; end() it so the socket does not keep the process alive.
        await client.end().catch(() => undefined);
        throw err;
      }
      return client;
    });
    if (opts.signal) closeOnAbort(url, client, opts.signal);
    return client;
  } catch (err) {
    throw toConnectionError(err, url);
  }
}

/** How long a server that says "the database system is starting up" (57P03) is waited for. */
export const STARTING_UP_WAIT_MS = 120_000;

/**
 * connect(), waiting while the server is starting up (57P03: a container started with the database, a crash
 * recovery replaying WAL), one try a second up to `maxWaitMs`, saying so once through `onWait`. Anything
 * else, a refused connection included (a wrong port is refused too), is the caller's at once.
 */
export async function connectWhenUp(
  url: string,
  opts: { signal?: AbortSignal; onWait?: (line: string) => void; maxWaitMs?: number } = {},
): Promise<pg.Client> {
  const t0 = Date.now();
  const maxWaitMs = opts.maxWaitMs ?? STARTING_UP_WAIT_MS;
  for (let said = false; ; ) {
    try {
      return await connect(url, opts.signal ? { signal: opts.signal } : {});
    } catch (e) {
      if (sqlState(e) !== '57P03' || opts.signal?.aborted) throw e;
      if (Date.now() - t0 >= maxWaitMs) {
        const waited = Math.round((Date.now() - t0) / 1000);
        throw new EnvironmentError(
          `Cannot connect to ${redactUrl(url)}: still starting up after ${waited} s (SQLSTATE 57P03)`,
          { cause: e },
        );
      }
      if (!said) {
        opts.onWait?.(
          `${redactUrl(url)} is starting up (SQLSTATE 57P03); waiting for it, up to ${maxWaitMs / 1000} s`,
        );
        said = true;
      }
      await sleep(1000, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
      // stopped while waiting: the command's stop handling says so
      if (opts.signal?.aborted) throw e;
    }
  }
}

/** The server process of a connection (BackendKeyData's pid, not in @types/pg); null before the server sent it. */
export function backendPid(client: pg.ClientBase): number | null {
  const pid = (client as { processID?: unknown }).processID;
  return typeof pid === 'number' ? pid : null;
}

/**
 * Cancels the statements running on these backends (pg_cancel_backend, what psql's Ctrl-C asks for) from a
 * connection of its own: the connections that run them are busy, or lost. A backend that is idle by then, or
 * gone, is left alone. How every stop of gen reaches the server (a lock wait, a COPY, a VACUUM, a query).
 */
export async function cancelBackends(url: string, pids: readonly (number | null)[]): Promise<void> {
  const list = pids.filter((p): p is number => p !== null);
  if (list.length === 0) return;
  await withClient(url, (c) =>
    c.query('select pg_cancel_backend(pid) from unnest($1::int[]) as pid', [list]),
  );
}

/**
 * Read-only work that Ctrl-C or SIGTERM must stop at once (verify, query, the data profile): when the signal
 * aborts, the statement running on the client is cancelled (cancelBackends) and the client is closed, so
 * nothing new starts on it and its query rejects. Without the cancel a closed client would leave its backend
 * computing the query: the server only notices a gone client when it writes to it. A client connected after
 * the abort is closed at once.
 */
export function closeOnAbort(url: string, client: pg.Client, signal: AbortSignal): void {
  const stop = (): void => {
    const pid = backendPid(client);
    const ended = client.end().catch(() => undefined);
    void cancelBackends(url, [pid])
      .catch(() => undefined) // the server ends the statement when it next writes to the closed socket
      .finally(() => ended);
  };
  if (signal.aborted) {
    stop();
    return;
  }
  signal.addEventListener('abort', stop, { once: true });
  client.once('end', () => signal.removeEventListener('abort', stop));
}

/**
 * `f`, stoppable by Ctrl-C/SIGTERM where it waits on the server: when the signal aborts, the statements
 * running on the backends `pids()` lists then are cancelled (cancelBackends: a DDL or a catalog read waiting
 * for a lock another session holds, a batch of partitions, a COPY, a foreign key's validation), and what that
 * makes `f` throw becomes `stopped(e)`. For work whose statements are each their own
 * transaction, or all of one, and idempotent: the same command then does the rest.
 */
export async function cancelledOnAbort<T>(
  url: string,
  signal: AbortSignal | undefined,
  pids: () => readonly (number | null)[],
  f: () => Promise<T>,
  stopped: (e: unknown) => Error,
): Promise<T> {
  const stop = (): void => {
    // then f ends when its statements do; nothing is lost either way
    void cancelBackends(url, pids()).catch(() => undefined);
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await f();
  } catch (e) {
    if (signal?.aborted) throw stopped(e);
    throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** A pool for parallel work. Checkout failures can be passed through {@link toConnectionError}. */
export function makePool(url: string, max: number, opts: { signal?: AbortSignal } = {}): pg.Pool {
  const pool = new TlsPool(url, {
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...clientKeepalive(),
    // each new connection, before it is handed out
    verify: (client, done) => {
      serverKeepalive(client).then(() => done(), done);
    },
  });
  // node-postgres emits 'error' on the pool when an IDLE client loses its connection (server restart,
  // `gen db stop`); without a listener that event kills the process. The pool has already discarded the
  // client, and the next checkout reports the real problem, so there is nothing to do here.
  pool.on('error', () => undefined);
  // a checked-out client has no pool listener (pg-pool removes it on acquire): the same as connect()'s
  pool.on('connect', (client) => client.on('error', onClientError));
  const { signal } = opts;
  if (signal) pool.on('connect', (client) => closeOnAbort(url, client, signal));
  return pool;
}

/**
 * Maps a connection failure to an EnvironmentError naming the (redacted) URL and what to do; anything else is
 * returned unchanged, because it is a bug or a query error, not a connection problem.
 */
export function toConnectionError(err: unknown, url: string): Error {
  const mapped = connectionError(err, url);
  // the error it maps stays its cause: a chunk's retry asks it whether the failure was transient (a refused
  // connection while a server restarts is; a failed password is not)
  if (mapped !== err && mapped.cause === undefined) mapped.cause = err;
  return mapped;
}

function connectionError(err: unknown, url: string): Error {
  const where = redactUrl(url);
  const tls = tlsError(err, url, where);
  if (tls !== undefined) return tls;
  const code = sqlState(err) ?? systemCode(err);
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return new EnvironmentError(
        `Cannot connect to ${where}: connection refused. ${refusedHint(sources.get(url))}`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EnvironmentError(
        `Cannot connect to ${where}: unknown host. Check the host name in the URL.`,
      );
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new EnvironmentError(
        `Cannot connect to ${where}: host unreachable (${code}). Check the host and firewall.`,
      );
    case '28P01':
      return new EnvironmentError(
        `Cannot connect to ${where}: password authentication failed. Check user and password.`,
      );
    case '28000':
      return new EnvironmentError(
        `Cannot connect to ${where}: the server rejected this user/host (pg_hba.conf or missing role).`,
      );
    case '3D000':
      return new EnvironmentError(
        `Cannot connect to ${where}: the database does not exist. Create it (createdb) or name another one.`,
      );
    default:
      break;
  }
  // node-postgres reports these without a code; the texts are stable across 8.x:
  // "timeout expired" (Client) and "timeout exceeded when trying to connect" (Pool).
  if (/timeout (expired|exceeded)|connection timeout/i.test(message)) {
    return new EnvironmentError(
      `Cannot connect to ${where}: timed out after ${CONNECT_TIMEOUT_MS / 1000} s.`,
    );
  }
  if (/client password must be a string/i.test(message)) {
    return new EnvironmentError(
      `Cannot connect to ${where}: the server wants a password and none was given.`,
    );
  }
  return err instanceof Error ? err : new Error(message);
}

/** Runs `f` in a transaction on `client`: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(client: pg.ClientBase, f: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await f();
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Run `f` with one connected client, always closed afterwards. */
export async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}
