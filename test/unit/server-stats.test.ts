/** serverSide(): the arithmetic of two snapshots, and which views a server version is read from. */
import { describe, expect, it } from 'vitest';
import { counterSql, lsnBytes, type ServerSnapshot, serverSide } from '../../src/db/server-stats.js';
import { compareReports } from '../../src/report/compare.js';
import { sampleReport } from '../../src/report/sample-report.js';
import { formatServerSide } from '../../src/report/server-text.js';

function snapshot(over: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return {
    versionNum: 180004,
    at: '2026-12-01T10:00:00.000Z',
    blockSize: 8192,
    walLsn: '0/1000000',
    wal: { bytes: 1_000_000, records: 5_000, fullPageImages: 10 },
    checkpointsTimed: 7,
    checkpointsRequested: 2,
    buffersCheckpointer: 1_000,
    buffersBgwriter: 50,
    buffersBackend: 300,
    vacuums: { '16400': { autovacuum: 1, autoanalyze: 2 } },
    tables: [{ table: 'shop_order', bytes: 8192, indexBytes: 0 }],
    source: 'pg_stat_wal+pg_stat_bgwriter+pg_stat_checkpointer+pg_stat_io',
    ...over,
  };
}

describe('lsnBytes', () => {
  it('reads both 32-bit halves of an LSN', () => {
    expect(lsnBytes('0/0')).toBe(0);
    expect(lsnBytes('0/1A2B3C8')).toBe(0x1a2b3c8);
    expect(lsnBytes('16/B374D848')).toBe(0x16 * 2 ** 32 + 0xb374d848);
    expect(() => lsnBytes('not an lsn')).toThrow(/not an LSN/);
  });
});

describe('serverSide', () => {
  const before = snapshot();
  const after = snapshot({
    at: '2026-12-01T10:00:42.500Z',
    walLsn: '1/00000010',
    wal: { bytes: 4_000_000_000, records: 9_000, fullPageImages: 35 },
    checkpointsTimed: 8,
    checkpointsRequested: 5,
    buffersCheckpointer: 4_000,
    buffersBgwriter: 70,
    buffersBackend: 1_300,
    // 16400 vacuumed twice more, 16500 is new (a partition created during the run), 16300 was dropped
    vacuums: { '16400': { autovacuum: 3, autoanalyze: 2 }, '16500': { autovacuum: 1, autoanalyze: 4 } },
    tables: [{ table: 'shop_order', bytes: 81_920, indexBytes: 16_384 }],
  });

  it('subtracts every counter and keeps the later sizes', () => {
    expect(serverSide(before, after)).toEqual({
      walBytes: 3_999_000_000,
      walPositionBytes: 2 ** 32 + 0x10 - 0x1000000,
      walRecords: 4_000,
      walFullPageImages: 25,
      checkpointsTimed: 1,
      checkpointsRequested: 3,
      buffersWrittenBackend: 1_000,
      buffersWrittenCheckpointer: 3_000,
      buffersWrittenBgwriter: 20,
      blockSize: 8192,
      autovacuumRuns: 2 + 1,
      autoanalyzeRuns: 0 + 4,
      tables: [{ table: 'shop_order', bytes: 81_920, indexBytes: 16_384 }],
      source: before.source,
      ms: 42_500,
    });
  });

  it('falls back to the WAL position without pg_stat_wal, and to null without a backend counter', () => {
    const s = serverSide(
      snapshot({ wal: null, buffersBackend: null }),
      snapshot({ wal: null, buffersBackend: null, walLsn: '0/1100000' }),
    );
    expect(s.walBytes).toBe(0x100000);
    expect(s.walPositionBytes).toBe(0x100000);
    expect(s.walRecords).toBeNull();
    expect(s.walFullPageImages).toBeNull();
    expect(s.buffersWrittenBackend).toBeNull();
  });

  it('counts a counter that went down (stats reset in between) from the reset', () => {
    const s = serverSide(before, snapshot({ checkpointsTimed: 1, buffersCheckpointer: 40 }));
    expect(s.checkpointsTimed).toBe(1);
    expect(s.buffersWrittenCheckpointer).toBe(40);
    expect(s.checkpointsRequested).toBe(0);
  });

  it('reads as one terminal line plus the sizes', () => {
    const text = formatServerSide(serverSide(before, after));
    expect(text).toBe(
      'server: 4.00 GB WAL (25 full-page images), 4 checkpoints (3 requested), backends wrote 8.2 MB of ' +
        '32.9 MB buffers, 3 autovacuums, 4 autoanalyzes\n' +
        'on disk: 82 kB in 1 table (indexes 16 kB); from pg_stat_wal+pg_stat_bgwriter+pg_stat_checkpointer+pg_stat_io',
    );
  });
});

describe('counterSql', () => {
  it.each([
    [130_000, 'wal-lsn+pg_stat_bgwriter', ['buffers_backend'], ['pg_stat_wal', 'pg_stat_io']],
    [150_000, 'pg_stat_wal+pg_stat_bgwriter', ['checkpoints_timed', 'buffers_backend'], ['pg_stat_io']],
    [160_000, 'pg_stat_wal+pg_stat_bgwriter+pg_stat_io', ['checkpoints_req'], ['pg_stat_checkpointer']],
    [
      180_000,
      'pg_stat_wal+pg_stat_bgwriter+pg_stat_checkpointer+pg_stat_io',
      ['num_requested', 'buffers_written'],
      ['buffers_backend', 'checkpoints_timed'],
    ],
  ])('server %i reads %s', (version, source, has, hasNot) => {
    const q = counterSql(version);
    expect(q.source.join('+')).toBe(source);
    for (const h of has) expect(q.sql).toContain(h);
    for (const h of hasNot) expect(q.sql).not.toContain(h);
  });
});

describe('gen compare', () => {
  it('lists the server side of a load and of each layout, less WAL being better', () => {
    const a = sampleReport();
    const b = sampleReport();
    if (!b.load.serverSide) throw new Error('the sample report has a server side');
    b.load.serverSide.walBytes *= 2;
    const rows = compareReports(a, b);
    expect(rows.find((r) => r.figure === 'load.serverSide.walBytes')).toMatchObject({
      ratio: 2,
      verdict: 'worse',
    });
    expect(rows.map((r) => r.figure)).toContain('layouts.daily.load.serverSide.walBytes');
    expect(rows.map((r) => r.figure)).toContain('load.serverSide.tables.shop_order.bytes');
  });
});
