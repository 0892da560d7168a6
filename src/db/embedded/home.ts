/**
 * <home>: where it is (option, $DATA_PLAYGROUND_HOME, the XDG cache, or the root fallback) and making it
 * reachable by the 'postgres' OS user when we run as root.
 *
 * Layout of <home>:
 *   pg18/               the cluster (owned by the 'postgres' OS user when we run as root)
 *   postgres.log        server log (pg_ctl -l)
 *   server.json         { port, password }, mode 0600
 *   ensure.lock.d/      held while a process starts the server (lock.ts)
 *   pg-dist-<version>/  only as root, when the 'postgres' OS user cannot reach node_modules: a copy of the
 *                       package's PostgreSQL tree (bin/, lib/, share/) that it can run (binaries.ts)
 */
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError, systemCode } from '../../errors.js';
import type { RunAs } from './os-user.js';

/**
 * Where the cluster goes when we run as root and the default home (~/.cache/data-playground, i.e. under
 * /root, mode 0700) cannot be reached by the unprivileged 'postgres' OS user that the server must run as
 * (postgres refuses to run as root). Not /var/tmp: systemd-tmpfiles ages files there out after 30 days,
 * which would delete relation files of a cluster that sat unused for a month. /var/lib is for persistent
 * state and root can create it. We never loosen the mode of /root or of any directory we did not create.
 */
const ROOT_FALLBACK_HOME = '/var/lib/data-playground';

export interface Layout {
  home: string;
  dataDir: string;
  logFile: string;
  stateFile: string;
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
export async function resolveLayout(homeOpt: string | undefined, runAs: RunAs | null): Promise<Layout> {
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
    dataDir: path.join(home, 'pg18'),
    logFile: path.join(home, 'postgres.log'),
    stateFile: path.join(home, 'server.json'),
  };
}

/**
 * Creates <home>. As root, directories we create and <home> itself get search permission for others, so
 * the postgres user can reach pg18/ and postgres.log; server.json stays 0600, so nothing is exposed.
 */
export async function prepareHome(home: string, runAs: RunAs | null): Promise<void> {
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

async function assertReachable(dir: string, runAs: RunAs, what: string): Promise<void> {
  const blocked = await firstBlockedDir(dir, runAs);
  if (blocked !== null) {
    throw new EnvironmentError(
      `${what} (${dir}) cannot be reached by the 'postgres' OS user because ${blocked} is not searchable ` +
        'by it (postgres cannot run as root). Move it elsewhere, or use --db/DATABASE_URL.',
    );
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}
