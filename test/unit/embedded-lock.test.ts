import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimStale, LOCK_DIR, type LockTimes, look, withLock } from '../../src/db/embedded/lock.js';
import { EnvironmentError } from '../../src/errors.js';

const FAST: LockTimes = { waitMs: 10_000, staleMs: 400, refreshMs: 100, retryMs: 5 };

describe('the lock of an embedded home', () => {
  let home = '';
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'data-playground-lock-test-'));
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  async function staleLock(empty: boolean): Promise<void> {
    const dir = path.join(home, LOCK_DIR);
    await fs.mkdir(dir);
    if (!empty) await fs.writeFile(path.join(dir, 'holder'), '1\n');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await fs.utimes(dir, aMinuteAgo, aMinuteAgo);
  }

  it('lets one holder in at a time, also when many arrive at the stale lock of a killed one', async () => {
    for (let round = 0; round < 30; round++) {
      // an empty one, as versions before this one left, and one with a holder file
      await staleLock(round % 2 === 0);
      let inside = 0;
      let most = 0;
      let entries = 0;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withLock(
            home,
            async () => {
              inside += 1;
              entries += 1;
              most = Math.max(most, inside);
              await new Promise((resolve) => setTimeout(resolve, 2));
              inside -= 1;
            },
            FAST,
          ),
        ),
      );
      expect(entries).toBe(8);
      expect(most).toBe(1);
      expect(await fs.readdir(home)).toEqual([]);
    }
  });

  it('does not remove a live lock that took the place of the stale one it saw', async () => {
    await staleLock(false);
    const dir = path.join(home, LOCK_DIR);
    const seen = await look(dir);
    expect(seen?.token).toBe('1\n');
    // meanwhile another starter claimed the stale lock and took its own
    await fs.rm(dir, { recursive: true });
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'holder'), '2\n');

    expect(await claimStale(dir, seen ?? { mtimeMs: 0, token: '' })).toBe(false);
    expect(await fs.readFile(path.join(dir, 'holder'), 'utf8')).toBe('2\n');
    expect(await fs.readdir(home)).toEqual([LOCK_DIR]);
  });

  it('claims a stale lock in turns: not while another claimant is in its turn, and only the lock it saw', async () => {
    await staleLock(false);
    const dir = path.join(home, LOCK_DIR);
    const seen = await look(dir);
    if (!seen) throw new Error('no stale lock');
    // another claimant's turn: this one leaves the stale lock to it
    await fs.mkdir(`${dir}.claim`);
    expect(await claimStale(dir, seen, FAST.staleMs)).toBe(false);
    expect(await look(dir)).toEqual(seen);
    // a turn left by a claimant killed in it: removed once older than staleMs, then the claim goes through
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await fs.utimes(`${dir}.claim`, aMinuteAgo, aMinuteAgo);
    expect(await claimStale(dir, seen, FAST.staleMs)).toBe(false);
    // a look older than the lock (same token, other mtime: refreshed since) takes nothing
    expect(await claimStale(dir, { ...seen, mtimeMs: seen.mtimeMs - 1 }, FAST.staleMs)).toBe(false);
    expect(await look(dir)).toEqual(seen);
    expect(await claimStale(dir, seen, FAST.staleMs)).toBe(true);
    expect(await fs.readdir(home)).toEqual([]);
  });

  it('waits for a live holder and keeps it alive past the stale time', async () => {
    const order: string[] = [];
    const first = withLock(
      home,
      async () => {
        order.push('first in');
        // longer than staleMs: the refresh keeps the second one out
        await new Promise((resolve) => setTimeout(resolve, 3 * FAST.staleMs));
        order.push('first out');
      },
      FAST,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = withLock(home, async () => void order.push('second in'), FAST);
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('does not call its own release a lost lock when a refresh is out at that moment', async () => {
    // The holder's work ends in the turn of the event loop where a refresh is due (a stall makes both due at
    // once): the refresh's look is out when release renames the lock away. A CI run under load saw this as
    // "Lost the lock ... was removed" after work that had succeeded.
    const times = { ...FAST, staleMs: 60_000, refreshMs: 20 };
    for (let round = 0; round < 10; round++) {
      const result = await withLock(
        home,
        async () => {
          const done = new Promise((resolve) => setTimeout(resolve, 30));
          const until = Date.now() + 60;
          while (Date.now() < until);
          await done;
          return 'done';
        },
        times,
      );
      expect(result).toBe('done');
      expect(await fs.readdir(home)).toEqual([]);
    }
  });

  it('reports a lock taken by another process after its last refresh, and leaves that lock alone', async () => {
    const dir = path.join(home, LOCK_DIR);
    const err = await withLock(
      home,
      async () => {
        // another starter's lock in its place (the holder's refresh, once a minute, never sees it)
        await fs.rm(dir, { recursive: true });
        await fs.mkdir(dir);
        await fs.writeFile(path.join(dir, 'holder'), '2\n');
      },
      { ...FAST, staleMs: 60_000, refreshMs: 60_000 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(
      /^Lost the lock .*ensure\.lock\.d while starting the embedded server \(.* was not ours when released\)/,
    );
    expect(await fs.readFile(path.join(dir, 'holder'), 'utf8')).toBe('2\n');
  });

  it('reports a lock lost while held, and gives up on a holder that does not finish in time', async () => {
    const err = await withLock(
      home,
      async () => {
        await fs.rm(path.join(home, LOCK_DIR), { recursive: true });
        await new Promise((resolve) => setTimeout(resolve, 3 * FAST.refreshMs));
      },
      FAST,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(
      /^Lost the lock .*ensure\.lock\.d while starting the embedded server/,
    );

    // a live holder, and a starter that waits 100 ms for it: with a stale time far above both (a stall of this
    // process longer than 400 ms would make the live holder stale, and the starter would rightly take it)
    const live = { ...FAST, staleMs: 60_000 };
    const held = withLock(home, () => new Promise((resolve) => setTimeout(resolve, 600)), live);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waited = await withLock(home, async () => 'in', { ...live, waitMs: 100 }).catch((e: unknown) => e);
    expect(waited).toBeInstanceOf(EnvironmentError);
    expect((waited as Error).message).toMatch(
      /still starting the embedded server \(it holds .*ensure\.lock\.d\)/,
    );
    await held;
  });
});
