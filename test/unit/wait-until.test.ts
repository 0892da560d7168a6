/**
 * gen query --rate sends query k at its due time, never before it (src/query/workload.ts waitUntil): a timer
 * alone wakes up to ~2 ms early, and an early query was timed from its due time, so it looked faster than it was.
 */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/query/workload.js';

describe('waitUntil', () => {
  it('never resolves before the due time, on an evenly spaced schedule as --rate makes it', async () => {
    const interval = 1000 / 140; // the bench's gen query rate: fractional milliseconds
    const t0 = performance.now();
    const early: number[] = [];
    for (let k = 1; k <= 150; k++) {
      const due = t0 + k * interval;
      await waitUntil(due);
      const now = performance.now();
      if (now < due) early.push(due - now);
    }
    expect(early).toEqual([]);
  });

  it('resolves at once for a time already past', async () => {
    let done = false;
    const p = waitUntil(performance.now() - 5).then(() => {
      done = true;
    });
    await Promise.resolve();
    await p;
    expect(done).toBe(true);
  });
});
