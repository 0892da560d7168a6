/**
 * The server's side of a load (issue 7 §2) on a real server: a tiny load's report says the server wrote WAL,
 * names the views it read for this version, and sizes every table; readServerStats' one size query agrees
 * with pg_total_relation_size asked partition by partition (the schema's bookkeeping tables included).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readServerStats } from '../../src/db/server-stats.js';
import { ident } from '../../src/model/ddl.js';
import { TABLES } from '../../src/model/tables.js';
import { readJsonReport } from '../../src/report/json.js';
import type { RunReport } from '../../src/report/types.js';
import { gen } from './run-gen.js';

const url = inject('databaseUrl');
const schema = `it_server_${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'dp-server-'));
let client: pg.Client;
let report: RunReport;
let out: string;
let versionNum: number;

beforeAll(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
  versionNum = Number((await client.query<{ v: string }>('show server_version_num')).rows[0]?.v);
  const json = join(dir, 'load.json');
  const r = await gen(['--scenario', 'tiny', '--db', url, '--schema', schema, '--quiet', '--json', json]);
  expect(r.code, r.err).toBe(0);
  out = r.out;
  report = await readJsonReport(json);
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

describe("a load's server side", () => {
  it('has the WAL the rows wrote, from the views this server has', () => {
    const s = report.load?.serverSide;
    if (!s) throw new Error('the load report has no serverSide');
    // COPY writes WAL for every row (wal_level minimal skips it only for tables created in the same
    // transaction): about 1.1-1.3 times the CSV bytes on 15 and 18
    expect(s.walBytes).toBeGreaterThan((report.load?.bytes ?? 0) / 2);
    // not compared with walBytes: both are the whole server's, and a process busy across the first snapshot
    // (an earlier load's autovacuum) reports WAL it wrote before it later (seen once: +48 MB in gen bench)
    expect(s.walPositionBytes).toBeGreaterThan((report.load?.bytes ?? 0) / 2);
    expect(s.source).toContain('pg_stat_wal');
    expect(s.source).toContain(versionNum >= 170000 ? 'pg_stat_checkpointer' : 'pg_stat_bgwriter');
    if (versionNum >= 160000) expect(s.source).toContain('pg_stat_io');
    expect(s.buffersWrittenBackend).not.toBeNull();
    expect(s.blockSize).toBeGreaterThan(0);
  });

  it('sizes every table of the schema, indexes included', () => {
    const s = report.load?.serverSide;
    const sizes = new Map(s?.tables.map((t) => [t.table, t]));
    for (const t of TABLES) {
      const size = sizes.get(t.name);
      expect(size?.bytes, t.name).toBeGreaterThan(0);
      // every table has a primary key
      expect(size?.indexBytes, t.name).toBeGreaterThan(0);
      expect(size?.indexBytes, t.name).toBeLessThan(size?.bytes ?? 0);
    }
  });

  it('is in the terminal summary', () => {
    expect(out).toMatch(/^server: [\d.]+ [kMG]B WAL .*\d+ checkpoints? \(\d+ requested\), backends wrote /m);
    expect(out).toMatch(/^on disk: [\d.]+ [kMG]B in \d+ tables/m);
  });

  it('adds up the partitions in one query as pg_total_relation_size does one by one', async () => {
    const snap = await readServerStats(client, schema);
    const each = await client.query<{ table: string; bytes: string; index_bytes: string }>(
      `select r.relname as table, sum(pg_total_relation_size(c.oid))::bigint as bytes,
              sum(pg_indexes_size(c.oid))::bigint as index_bytes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         left join lateral (select a.relid from pg_partition_ancestors(c.oid) a
                              join pg_class x on x.oid = a.relid where not x.relispartition) root on true
         join pg_class r on r.oid = coalesce(root.relid, c.oid)
        where n.nspname = $1 and c.relkind in ('r', 'p')
        group by r.relname order by r.relname`,
      [schema],
    );
    expect(snap.tables).toEqual(
      each.rows.map((r) => ({ table: r.table, bytes: Number(r.bytes), indexBytes: Number(r.index_bytes) })),
    );
  });
});
