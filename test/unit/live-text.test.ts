/** The live progress line: rates over the last interval, not the whole run; tenths at a small shop's rates. */
import { describe, expect, it } from 'vitest';
import type { LiveProgress } from '../../src/live/run.js';
import { liveProgressLines } from '../../src/report/live-text.js';

const at = (elapsedMs: number, committed: number, scheduled: number): LiveProgress => ({
  clock: Date.UTC(2026, 10, 27),
  backfilled: 0,
  committed,
  scheduled,
  lagMs: 0,
  aheadHours: 4,
  errors: 0,
  elapsedMs,
});

describe('live progress lines', () => {
  it('each line gives the rates since the line before', () => {
    const line = liveProgressLines();
    expect(line(at(10_000, 5_000, 5_000))).toMatch(/\| 500 tx\/s \(500 scheduled\) \|/);
    // the database fell behind in the last 10 s: the whole run's average (300) would hide it
    expect(line(at(20_000, 6_000, 10_000))).toMatch(/\| 100 tx\/s \(500 scheduled\) \|/);
  });

  it('below 10 a second, tenths (a real-time run of a small shop)', () => {
    const line = liveProgressLines();
    expect(line(at(5_000, 3, 4))).toMatch(/\| 0\.6 tx\/s \(0\.8 scheduled\) \|/);
  });
});
