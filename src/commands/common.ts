/** What every command shares: the output streams and finding the server to talk to. */
import type { Writable } from 'node:stream';
import { connect, describeServer, redactUrl, resolveConnectionString } from '../db/connection.js';
import { EnvironmentError } from '../errors.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  /** a terminal's width in columns, when it is one */
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** aborted on Ctrl-C: long commands stop cleanly */
  signal?: AbortSignal;
  /** the clock for `--start now` (epoch ms; Date.now when absent): tests pass their own */
  now?: () => number;
}

/** The time a command resolves `--start now...` against: read once per command, at its start. */
export function clockNow(io: Io): number {
  return io.now ? io.now() : Date.now();
}

/** declarative partitioning with primary keys and partition pruning as gen uses them */
const MIN_SERVER_VERSION = 140000;

export interface Server {
  url: string;
  /** for people: version, where, and how the URL was found; no password */
  where: string;
  embedded: boolean;
  version: string;
}

/**
 * --db, DATABASE_URL, PG*, else the embedded server. Connects once and checks the version, so a bad URL is
 * one clear line before anything is written.
 */
export async function resolveServer(db: string | undefined, io: Io): Promise<Server> {
  const given = resolveConnectionString({ ...(db !== undefined ? { db } : {}), env: io.env });
  let url: string;
  let where: string;
  if (given) {
    url = given.url;
    where = `${redactUrl(url)} (from ${given.source})`;
  } else {
    // loaded only here: the embedded server is an optional dependency (the Docker image has none), and a run
    // given --db must not depend on it
    const { ensureEmbedded } = await import('../db/embedded/index.js');
    const e = await ensureEmbedded();
    url = e.url;
    where = `${redactUrl(url)} (embedded${e.started ? ', started' : ''})`;
  }
  const client = await connect(url);
  try {
    const v = await describeServer(client);
    if (v.versionNum < MIN_SERVER_VERSION) {
      throw new EnvironmentError(`${redactUrl(url)} runs PostgreSQL ${v.version}; gen needs 14 or later`);
    }
    return {
      url,
      where: `PostgreSQL ${v.version} at ${where}`,
      embedded: given === null,
      version: v.version,
    };
  } finally {
    await client.end();
  }
}

export const EMBEDDED_HINT =
  'The embedded server keeps running. Connect: psql "$(npm run -s gen -- db url)"; stop it: npm run gen -- db stop';

/** The one row a query returns by construction (an aggregate, a one-row table): none is a bug, not a user error. */
export function onlyRow<R>(rows: readonly R[], what: string): R {
  const [row] = rows;
  if (row === undefined) throw new Error(`${what} returned no row`);
  return row;
}
