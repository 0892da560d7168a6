/**
 * The bench's live part on the other kind of host (bench/servers.ts memoryWalServer): a throwaway cluster of the
 * embedded 18 whose WAL is in /dev/shm, removed with the cluster; and what says which kind of host a run had
 * (bench/live.ts walWaits): pgbench's connections sampled until pgbench ends.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { walWaits } from '../../bench/live.js';
import { memoryWalServer } from '../../bench/servers.js';
import { embeddedSettings } from '../../src/db/embedded/cluster.js';

const url = inject('databaseUrl');

describe('bench: the WAL in memory', () => {
  it('starts a cluster whose pg_wal is in /dev/shm, with the embedded settings; stop removes both', async () => {
    const m = await memoryWalServer();
    expect(m).toBeDefined();
    if (!m) return;
    let wal = '';
    try {
      wal = readlinkSync(join(m.dir, 'data', 'pg_wal'));
      expect(wal.startsWith('/dev/shm/dp-bench-wal-')).toBe(true);
      const c = new pg.Client({ connectionString: m.url });
      await c.connect();
      try {
        const r = await c.query<{ l: string; sb: string; wal: string }>(
          `select current_setting('max_locks_per_transaction') l, pg_size_bytes(current_setting('shared_buffers')) sb,
                  current_setting('max_wal_size') wal`,
        );
        expect(r.rows[0]?.l).toBe('1024');
        // the embedded server's shared_buffers; max_wal_size PostgreSQL's default (its WAL is in RAM)
        const mb = /shared_buffers=(\d+)MB/.exec(embeddedSettings())?.[1];
        expect(r.rows[0]?.sb).toBe(String(Number(mb) * 2 ** 20));
        expect(r.rows[0]?.wal).toBe('1GB');
        // the WAL is written where the link points
        await c.query('create table t as select generate_series(1, 1000) i');
        await c.query('checkpoint');
      } finally {
        await c.end();
      }
      expect(existsSync(wal)).toBe(true);
    } finally {
      await m.stop();
    }
    expect(existsSync(m.dir)).toBe(false);
    expect(existsSync(join(wal, '..'))).toBe(false);
  });
});

describe("bench: pgbench's WAL waits", () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
  });

  it("counts pgbench's active connections until it ends, and no other's; a failed run ends it too", async () => {
    const bench = new pg.Client({ connectionString: url, application_name: 'pgbench' });
    const other = new pg.Client({ connectionString: url, application_name: 'not pgbench' });
    await bench.connect();
    await other.connect();
    try {
      const sleeping = other.query('select pg_sleep(2.2)');
      const running = bench.query('select pg_sleep(2)');
      const w = await walWaits(admin, running);
      await sleeping;
      // ~19 samples of one active connection (sleeping: a wait, but not on the WAL); fewer on a busy machine,
      // never more than one a 100 ms
      expect(w.active).toBeGreaterThanOrEqual(3);
      expect(w.active).toBeLessThanOrEqual(21);
      expect(w.waiting).toBe(0);
      const failed = bench.query('select 1 / 0');
      const f = await walWaits(
        admin,
        failed.catch(() => Promise.reject(new Error('pgbench failed'))),
      );
      expect(f.active).toBeLessThanOrEqual(1);
    } finally {
      await bench.end();
      await other.end();
    }
  });
});
