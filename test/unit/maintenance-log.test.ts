/**
 * The partition maintenance's log (src/live/partitions.ts MaintenanceLog): totals of every statement, and the
 * first and the last events in order, so that a --follow run's report after a week shows its first and its
 * latest hours, in memory that does not grow.
 */
import { describe, expect, it } from 'vitest';
import { LOGGED_EVENTS, type MaintenanceEvent, MaintenanceLog } from '../../src/live/partitions.js';

const event = (i: number): MaintenanceEvent => ({
  op: i % 2 === 0 ? 'create' : 'attach',
  partition: `p${i}`,
  clock: i * 60_000,
  ms: i % 7,
  blocked: i === 1234 ? 3 : 0,
});

describe('MaintenanceLog', () => {
  it('keeps every event while there are few, in order', () => {
    const log = new MaintenanceLog();
    for (let i = 0; i < 700; i++) log.add(event(i));
    expect(log.events.map((e) => e.partition)).toEqual(Array.from({ length: 700 }, (_, i) => `p${i}`));
    expect(log.leftOut).toBe(0);
  });

  it('keeps the first half and the last half in order, and counts what it leaves out; the totals count all', () => {
    const log = new MaintenanceLog();
    const n = 2 * LOGGED_EVENTS + 345;
    for (let i = 0; i < n; i++) log.add(event(i));
    const half = LOGGED_EVENTS / 2;
    const kept = [
      ...Array.from({ length: half }, (_, i) => i),
      ...Array.from({ length: half }, (_, i) => n - half + i),
    ];
    expect(log.events.map((e) => e.clock)).toEqual(kept.map((i) => i * 60_000));
    expect(log.leftOut).toBe(n - LOGGED_EVENTS);
    const ops = log.ops();
    expect(ops.map((o) => [o.op, o.count])).toEqual([
      ['create', Math.ceil(n / 2)],
      ['attach', Math.floor(n / 2)],
    ]);
    // an event left out still counts in the totals
    expect(ops.find((o) => o.op === 'create')?.blocked).toBe(3);
    expect(Math.max(...ops.map((o) => o.maxMs))).toBe(6);
  });
});
