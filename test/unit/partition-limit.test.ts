/** Issue 9 §4 without a server: the partition limit and its message, and batches that fit the lock table. */
import { describe, expect, it } from 'vitest';
import { defaultDdlStreams, LOCK_SHARE, locksPerPartition, partitionBatch } from '../../src/load/schema.js';
import {
  DAILY_LAYOUT,
  DEFAULT_LAYOUT,
  layoutPartitions,
  MAX_PARTITIONS,
  partitionLimitProblem,
} from '../../src/model/layout.js';
import { TABLE_NAMES } from '../../src/model/tables.js';

const START = Date.parse('2026-11-27T00:00:00Z');

describe('the partition limit', () => {
  it('lets 90 days of the hourly layout through and refuses a longer window, naming daily', () => {
    expect(layoutPartitions(DEFAULT_LAYOUT, START, 2160)).toHaveLength(32_940);
    expect(partitionLimitProblem(DEFAULT_LAYOUT, START, 2160)).toBeUndefined();
    expect(partitionLimitProblem(DEFAULT_LAYOUT, START, 2400)).toBe(
      'layout hourly makes 36,600 partitions of 2400 hours, more than gen creates (at most 36,000); use --layout daily (2,100 partitions), or a layout file with daily partitions for more tables (see scenarios/layouts/README.md)',
    );
  });

  it('names --layout none when even daily partitions are too many', () => {
    const hours = 24 * Math.ceil(MAX_PARTITIONS / 21 + 1);
    expect(partitionLimitProblem(DAILY_LAYOUT, START, hours)).toMatch(/use --layout none,/);
  });
});

describe('partition batches', () => {
  it('keep all streams together within LOCK_SHARE of the lock table at PostgreSQL 15 defaults', () => {
    const slots = 64 * (100 + 0); // max_locks_per_transaction × (max_connections + max_prepared_transactions)
    for (const streams of [1, 2, 4]) {
      for (const t of TABLE_NAMES) {
        const batch = partitionBatch(slots, streams, DEFAULT_LAYOUT, t);
        expect(batch).toBeGreaterThanOrEqual(1);
        expect(batch * locksPerPartition(DEFAULT_LAYOUT, t) * streams).toBeLessThanOrEqual(
          slots * LOCK_SHARE,
        );
      }
    }
    // global_entity's two extra indexes count
    expect(locksPerPartition(DEFAULT_LAYOUT, 'global_entity')).toBe(8);
    expect(partitionBatch(slots, 4, DEFAULT_LAYOUT, 'global_entity')).toBe(25);
    // a big lock table: capped, never one transaction for a whole long window
    expect(partitionBatch(1024 * 100, 1, DEFAULT_LAYOUT, 'shop_order')).toBe(1000);
  });
});

describe('partition streams', () => {
  it('are 8 before PostgreSQL 17, one per core (2 to 4) for a server on this machine after, else 4', () => {
    expect(defaultDdlStreams(150_018)).toBe(8);
    expect(defaultDdlStreams(150_018, 2)).toBe(8);
    expect(defaultDdlStreams(180_004)).toBe(4);
    expect(defaultDdlStreams(180_004, 1)).toBe(2);
    expect(defaultDdlStreams(180_004, 2)).toBe(2);
    expect(defaultDdlStreams(170_000, 3)).toBe(3);
    expect(defaultDdlStreams(180_004, 16)).toBe(4);
  });
});
