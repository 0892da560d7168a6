/**
 * One process at a time starts the server of a home. Without it two `gen` commands started together would
 * both write a password to server.json and run initdb, and the loser's password would replace the winner's,
 * locking everyone out of the cluster.
 *
 * The lock is a directory holding one file (the holder's pid and a random token), made in a private temp
 * directory and renamed into place: rename(2) fails onto a non-empty directory, so taking it is atomic and
 * a lock is never empty. The holder refreshes its mtime; one not refreshed for `staleMs` belongs to a killed
 * process and is taken over by renaming it away (only one claimant wins a rename) and checking that what
 * was renamed is the stale lock that was seen, by its token (not by inode: a directory made right after
 * another was removed often gets its inode number); a live lock renamed by mistake is put back. Claimants
 * take turns and look again in their turn (claimStale), so an old look does not rename a live lock away.
 * proper-lockfile, used before, removed a stale lock with rmdir, and a fresh one could go in its place
 * between its stat and its rmdir: two starters past a stale lock could both hold it, or one failed with
 * ENOENT (moxystudio/node-proper-lockfile#121; seen in CI).
 */
import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EnvironmentError, systemCode } from '../../errors.js';

/**
 * Not 'ensure.lock': that name was a pid file in earlier versions, and a leftover file there would make
 * every claim of a stale lock fail.
 */
export const LOCK_DIR = 'ensure.lock.d';
const HOLDER_FILE = 'holder';

export interface LockTimes {
  /** How long to wait for another holder. Long enough for initdb on a slow machine plus a WAL replay. */
  waitMs: number;
  /** A lock whose mtime is older than this belongs to a killed process. */
  staleMs: number;
  /** How often the holder refreshes its mtime (it only waits on initdb and pg_ctl, so its timer runs). */
  refreshMs: number;
  retryMs: number;
}

const TIMES: LockTimes = { waitMs: 120_000, staleMs: 10_000, refreshMs: 2_500, retryMs: 100 };

/** What a look at the lock finds: its mtime and its holder's token ('' for an empty legacy lock). */
export interface Seen {
  mtimeMs: number;
  token: string;
}

interface Held {
  dir: string;
  token: string;
  timer?: NodeJS.Timeout;
  lost?: string;
}

/** Locks this process holds, removed on exit (Ctrl-C ends through process.exit, which runs 'exit'). */
const held = new Set<Held>();
let exitHookInstalled = false;

/** Runs `fn` holding the lock of `home` (which must exist), waiting for another holder up to `waitMs`. */
export async function withLock<T>(home: string, fn: () => Promise<T>, times: LockTimes = TIMES): Promise<T> {
  const lock = await acquire(path.join(home, LOCK_DIR), times);
  let result: T;
  try {
    result = await fn();
  } finally {
    await release(lock);
  }
  if (lock.lost !== undefined) {
    throw new EnvironmentError(
      `Lost the lock ${lock.dir} while starting the embedded server (${lock.lost}); ` +
        'another data-playground process may have started it at the same time. Check it with `gen db status`.',
    );
  }
  return result;
}

async function acquire(dir: string, times: LockTimes): Promise<Held> {
  const deadline = Date.now() + times.waitMs;
  for (;;) {
    const lock = await tryTake(dir);
    if (lock !== null) return hold(lock, times);
    const seen = await look(dir);
    if (
      seen !== null &&
      seen.mtimeMs < Date.now() - times.staleMs &&
      (await claimStale(dir, seen, times.staleMs))
    )
      continue;
    if (Date.now() > deadline) {
      throw new EnvironmentError(
        `Another data-playground process is still starting the embedded server (it holds ${dir}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, times.retryMs));
  }
}

/** Renames a fresh directory with our holder file into place; null when another lock is there. */
async function tryTake(dir: string): Promise<Held | null> {
  const temp = await fs.mkdtemp(`${dir}.new-`);
  const token = `${process.pid} ${randomBytes(12).toString('hex')}\n`;
  try {
    await fs.writeFile(path.join(temp, HOLDER_FILE), token);
    try {
      await fs.rename(temp, dir);
    } catch (err) {
      const code = systemCode(err);
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return null;
      throw err;
    }
    return { dir, token };
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/**
 * Removes the stale lock `seen` at `dir`. False when it is gone already, was replaced by a live lock (which
 * stays), or another claimant is at it. Exported for the test of that race.
 *
 * Claimants take turns (`dir.claim`, made by mkdir, atomic) and look again in their turn: a claimant whose look
 * was old renamed a live lock away, and while it was away a third starter took its place, so two held the lock
 * (seen in CI: 8 starters at a stale lock under load). In its turn a claimant removes only the lock it saw:
 * same token, same mtime (a dead holder's lock does not change). A claimant killed in its turn leaves `dir.claim`
 * behind: older than `staleMs` (a turn takes milliseconds), it is removed.
 */
export async function claimStale(dir: string, seen: Seen, staleMs = TIMES.staleMs): Promise<boolean> {
  const turn = `${dir}.claim`;
  try {
    await fs.mkdir(turn);
  } catch (err) {
    if (systemCode(err) !== 'EEXIST') throw err;
    const st = await fs.stat(turn).catch(() => null);
    if (st !== null && st.mtimeMs < Date.now() - staleMs) await fs.rmdir(turn).catch(() => undefined);
    return false;
  }
  try {
    const now = await look(dir);
    if (now === null || now.token !== seen.token || now.mtimeMs !== seen.mtimeMs) return false;
    return await takeAway(dir, seen.token, 'stale');
  } finally {
    await fs.rmdir(turn).catch(() => undefined);
  }
}

/**
 * Renames the lock at `dir` away (atomic: of two claimants one gets ENOENT) and removes it if it holds
 * `token`. Renaming first, not removing in place: an emptied directory would let another lock's rename in.
 */
async function takeAway(dir: string, token: string, why: string): Promise<boolean> {
  const claim = `${dir}.${why}-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(dir, claim);
  } catch (err) {
    // gone: its holder released it or another claimant won
    if (systemCode(err) === 'ENOENT') return false;
    throw err;
  }
  const got = await look(claim);
  if (got?.token === token) {
    await fs.rm(claim, { recursive: true, force: true });
    return true;
  }
  // Another lock took the one we saw's place between our look and our rename. Put it back: the rename fails
  // (and its holder finds its lock lost at its next refresh) only if yet another lock was taken meanwhile.
  try {
    await fs.rename(claim, dir);
  } catch {
    await fs.rm(claim, { recursive: true, force: true });
  }
  return false;
}

function hold(lock: Held, times: LockTimes): Held {
  held.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const l of held) removeSync(l);
    });
  }
  const refresh = async (): Promise<void> => {
    const now = await look(lock.dir);
    // released while this look was out: what it saw is release's own doing (release tells a real loss itself)
    if (!held.has(lock)) return;
    if (now === null || now.token !== lock.token) {
      lock.lost = now === null ? `${lock.dir} was removed` : `${lock.dir} was replaced`;
      clearInterval(lock.timer);
      return;
    }
    const t = new Date();
    await fs.utimes(lock.dir, t, t).catch(() => undefined);
  };
  lock.timer = setInterval(() => {
    // a failed look (not ENOENT) is retried at the next turn; the lock is not lost for it
    if (held.has(lock) && lock.lost === undefined) refresh().catch(() => undefined);
  }, times.refreshMs);
  // it must not keep a process alive that has nothing else to do
  lock.timer.unref();
  return lock;
}

async function release(lock: Held): Promise<void> {
  clearInterval(lock.timer);
  held.delete(lock);
  if (lock.lost !== undefined) return;
  // our lock changes only its mtime while we hold it: gone, or another's, it was lost (after the last refresh)
  if (!(await takeAway(lock.dir, lock.token, 'released')))
    lock.lost = `${lock.dir} was not ours when released`;
}

function removeSync(lock: Held): void {
  try {
    const claim = `${lock.dir}.exited-${process.pid}`;
    fsSync.renameSync(lock.dir, claim);
    const token = fsSync.readFileSync(path.join(claim, HOLDER_FILE), 'utf8');
    if (token === lock.token) fsSync.rmSync(claim, { recursive: true, force: true });
    else fsSync.renameSync(claim, lock.dir);
  } catch {
    // gone already
  }
}

/** The lock at `dir`, or null when there is none. Exported for the test of the claim race. */
export async function look(dir: string): Promise<Seen | null> {
  let mtimeMs: number;
  try {
    mtimeMs = (await fs.stat(dir)).mtimeMs;
  } catch (err) {
    if (systemCode(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    return { mtimeMs, token: await fs.readFile(path.join(dir, HOLDER_FILE), 'utf8') };
  } catch (err) {
    // an empty lock of an earlier version; or this one, gone between the two calls
    if (systemCode(err) !== 'ENOENT') throw err;
    return (await fs.stat(dir).catch(() => null)) === null ? null : { mtimeMs, token: '' };
  }
}
