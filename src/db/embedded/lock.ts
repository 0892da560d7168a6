/**
 * One process at a time starts the server of a home. Without it two `gen` commands started together would
 * both write a password to server.json and run initdb, and the loser's password would replace the winner's,
 * locking everyone out of the cluster.
 */
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { EnvironmentError, systemCode } from '../../errors.js';

/**
 * A directory (proper-lockfile takes the lock with an atomic mkdir). Not 'ensure.lock': that name was a
 * pid file in earlier versions, and a leftover file there would make every rmdir of a stale lock fail.
 */
const LOCK_DIR = 'ensure.lock.d';
/** Long enough for initdb on a slow machine plus a start that replays WAL after a crash. */
const LOCK_WAIT_MS = 120_000;
/**
 * The holder refreshes the lock's mtime every STALE_MS / 2; a lock not refreshed for STALE_MS belongs to a
 * killed process and is taken over. The holder only waits on initdb and pg_ctl meanwhile, so its timer runs.
 */
const STALE_MS = 10_000;
const RETRY_MS = 100;

/** Runs `fn` holding the lock of `home` (which must exist), waiting up to LOCK_WAIT_MS for another holder. */
export async function withLock<T>(home: string, fn: () => Promise<T>): Promise<T> {
  const lost: { error?: Error } = {};
  const release = await acquire(home, (error) => {
    // The default throws from a timer, which would crash the process in the middle of initdb or pg_ctl.
    lost.error = error;
  });
  let result: T;
  try {
    result = await fn();
  } finally {
    // A lost lock is released already; releasing it again rejects.
    if (lost.error === undefined) await release();
  }
  if (lost.error !== undefined) {
    throw new EnvironmentError(
      `Lost the lock ${path.join(home, LOCK_DIR)} while starting the embedded server (${lost.error.message}); ` +
        'another data-playground process may have started it at the same time. Check it with `gen db status`.',
    );
  }
  return result;
}

async function acquire(home: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const lockfilePath = path.join(home, LOCK_DIR);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      // Our own retry loop rather than the library's `retries`, which also retries errors that will not go
      // away (EACCES) for the whole wait.
      return await lockfile.lock(home, { lockfilePath, stale: STALE_MS, onCompromised });
    } catch (err) {
      if (systemCode(err) !== 'ELOCKED') throw err;
    }
    if (Date.now() > deadline) {
      throw new EnvironmentError(
        `Another data-playground process is still starting the embedded server (it holds ${lockfilePath}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
