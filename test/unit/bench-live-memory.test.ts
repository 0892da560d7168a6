/**
 * The window of the bench's gen live memory rows (bench/bench.ts memoryRuns): two hours from the one before the
 * scenario's busiest, as a window of its own. `--start` moves the scenario's events with the window, so for
 * black-friday that window is busier than any hour of the scenario's own: what bench/memory.ts and the README say.
 */
import { describe, expect, it } from 'vitest';
import { busiestHour } from '../../bench/live.js';
import { windowArgs } from '../../bench/memory.js';
import { scenarioFromFlags } from '../../src/commands/flags.js';
import { HOUR_MS } from '../../src/time-units.js';

const NOW = Date.UTC(2026, 11, 5);
const orders = (start: string | undefined, hours: number): number[] => [
  ...scenarioFromFlags({ scenario: 'black-friday', hours, ...(start ? { start } : {}) }, { now: NOW }).plan
    .orders,
];

describe('the live memory window', () => {
  it("black-friday's busiest hour is 20:00 on the 27th, and the window from the hour before is busier", () => {
    const b = busiestHour('black-friday', NOW);
    expect(new Date(b.start).toISOString()).toBe('2026-11-27T20:00:00.000Z');
    expect(b.orders).toBe(Math.max(...orders(undefined, 72)));
    const from = new Date(b.start - HOUR_MS).toISOString();
    const moved = orders(from, 2);
    // the doorbusters' x4 of the window's first hours lands on the evening peak
    expect(moved[1]).toBeGreaterThan(1.5 * b.orders);
    // no start of a day gives a busier hour (the events keep their offsets, the rhythm is by hour of day)
    for (let h = 0; h < 24; h++) {
      const start = new Date(Date.UTC(2026, 10, 27, h)).toISOString();
      expect(Math.max(...orders(start, 72)), start).toBeLessThanOrEqual(moved[1] ?? 0);
    }
  });

  it('gives gen its start', () => {
    const w = { scenario: 'black-friday', hours: 2, scale: 5, start: '2026-11-27T19:00:00.000Z' };
    expect(windowArgs(w)).toEqual([
      '--scenario',
      'black-friday',
      '--start',
      '2026-11-27T19:00:00.000Z',
      '--hours',
      '2',
      '--scale',
      '5',
    ]);
    expect(windowArgs({ ...w, start: undefined })).not.toContain('--start');
  });
});
