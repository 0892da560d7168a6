import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableBinaries } from '../../src/db/embedded/binaries.js';
import type { RunAs } from '../../src/db/embedded/os-user.js';

/**
 * As root, postgres runs as the 'postgres' OS user. When node_modules sits under a directory that user cannot
 * enter (a clone in /root, mode 0700), the binaries are copied to <home>/pg-dist-<version>/ and run from
 * there. Simulated with a copy of the package's tree inside a 0700 directory.
 */
const runAs = process.getuid?.() === 0 ? postgresUser() : null;

describe.runIf(runAs !== null)('as root, binaries the postgres user cannot reach', () => {
  const user = runAs as RunAs;
  let scratch = '';
  let lockedDist = '';
  let home = '';

  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'data-playground-root-test-'));
    await fs.chmod(scratch, 0o755);
    const locked = path.join(scratch, 'locked');
    await fs.mkdir(locked, { mode: 0o700 });
    await fs.chmod(locked, 0o700);
    lockedDist = path.join(locked, 'native');
    // Not root: the package's own binaries, whatever the home.
    const packaged = path.dirname(path.dirname((await runnableBinaries(scratch, null)).pgCtl));
    for (const part of ['bin', 'lib', 'share']) {
      await fs.cp(path.join(packaged, part), path.join(lockedDist, part), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    home = path.join(scratch, 'home');
    await fs.mkdir(home, { mode: 0o755 });
    await fs.chmod(home, 0o755);
  });

  afterAll(async () => {
    if (scratch !== '') await fs.rm(scratch, { recursive: true, force: true });
  });

  it('copies them into the home, runnable by the postgres user, with relative symlinks kept', async () => {
    const bins = await runnableBinaries(home, user, { dir: lockedDist, version: '1.0.0-test' });
    const copy = path.join(home, 'pg-dist-1.0.0-test');
    expect(bins).toEqual({
      pgCtl: path.join(copy, 'bin', 'pg_ctl'),
      initdb: path.join(copy, 'bin', 'initdb'),
    });
    for (const tool of [bins.initdb, bins.pgCtl, path.join(copy, 'bin', 'postgres')]) {
      const res = spawnSync(tool, ['--version'], {
        uid: user.uid,
        gid: user.gid,
        cwd: '/',
        encoding: 'utf8',
      });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/\(PostgreSQL\) 18\./);
    }
    const st = await fs.stat(copy);
    expect(st.uid).toBe(0);
    expect(st.mode & 0o777).toBe(0o755);
    const links = (await fs.readdir(path.join(copy, 'lib'), { withFileTypes: true })).filter((e) =>
      e.isSymbolicLink(),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(path.isAbsolute(await fs.readlink(path.join(copy, 'lib', link.name)))).toBe(false);
    }
    expect(await tempDirs(home)).toEqual([]);
  });

  it('reuses the copy', async () => {
    const copy = path.join(home, 'pg-dist-1.0.0-test');
    const before = (await fs.stat(copy)).ino;
    const bins = await runnableBinaries(home, user, { dir: lockedDist, version: '1.0.0-test' });
    expect(bins.pgCtl).toBe(path.join(copy, 'bin', 'pg_ctl'));
    expect((await fs.stat(copy)).ino).toBe(before);
  });

  it('survives concurrent copiers: one complete copy, no temp dirs left', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => runnableBinaries(home, user, { dir: lockedDist, version: '2.0.0-test' })),
    );
    const copy = path.join(home, 'pg-dist-2.0.0-test');
    for (const bins of results) expect(bins.pgCtl).toBe(path.join(copy, 'bin', 'pg_ctl'));
    expect(await tempDirs(home)).toEqual([]);
    const res = spawnSync(path.join(copy, 'bin', 'postgres'), ['--version'], {
      uid: user.uid,
      gid: user.gid,
      cwd: '/',
    });
    expect(res.status).toBe(0);
  });

  it('removes temp dirs of killed copiers', async () => {
    const stale = path.join(home, '.pg-dist-3.0.0-test.tmp-abc123');
    await fs.mkdir(path.join(stale, 'bin'), { recursive: true });
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(stale, old, old);
    await runnableBinaries(home, user, { dir: lockedDist, version: '3.0.0-test' });
    expect(await tempDirs(home)).toEqual([]);
  });

  it('runs reachable binaries in place', async () => {
    const reachable = path.join(home, 'pg-dist-1.0.0-test');
    const bins = await runnableBinaries(home, user, { dir: reachable, version: '4.0.0-test' });
    expect(bins.pgCtl).toBe(path.join(reachable, 'bin', 'pg_ctl'));
    expect((await fs.readdir(home)).filter((n) => n.includes('4.0.0-test'))).toEqual([]);
  });
});

function postgresUser(): RunAs | null {
  try {
    const id = (flag: string): number =>
      Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // ensureEmbedded creates it; this test does not add OS users.
    return null;
  }
}

async function tempDirs(home: string): Promise<string[]> {
  return (await fs.readdir(home)).filter((name) => name.includes('.tmp-'));
}
