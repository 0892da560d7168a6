/**
 * The live progress line: rates over the last interval, not the whole run; tenths at a small shop's rates. On a
 * terminal, a block redrawn in place with a line per transaction type.
 */
import { describe, expect, it } from 'vitest';
import type { LiveProgress } from '../../src/live/run.js';
import type { LiveTypeProgress } from '../../src/live/types.js';
import { liveProgressBlocks, liveProgressLines, redrawBlock } from '../../src/report/live-text.js';

const at = (
  elapsedMs: number,
  committed: number,
  scheduled: number,
  types: LiveTypeProgress[] = [],
): LiveProgress => ({
  clock: Date.UTC(2026, 10, 27),
  backfilled: 0,
  committed,
  scheduled,
  types,
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

  it('on a terminal: the line, then per type its rate against the scheduled one and p50/p99, since the block before', () => {
    const block = liveProgressBlocks();
    const checkout = (committed: number, scheduled: number, p50: number, p99: number): LiveTypeProgress => ({
      type: 'checkout',
      committed,
      scheduled,
      p50,
      p99,
    });
    const review = (committed: number, scheduled: number): LiveTypeProgress => ({
      type: 'review',
      committed,
      scheduled,
      p50: 0,
      p99: 0,
    });
    const first = block(at(10_000, 5_000, 5_000, [checkout(4_000, 4_000, 3.2, 18.4), review(2, 3)]));
    expect(first[0]).toBe(liveProgressLines()(at(10_000, 5_000, 5_000)));
    expect(first.slice(1)).toEqual([
      '  checkout           400 tx/s (400 scheduled) | p50 3.20 ms, p99 18.4 ms',
      '  review             0.2 tx/s (0.3 scheduled) | p50 0.00 ms, p99 0.00 ms',
    ]);
    // 10 s later: checkouts fell behind; no review committed meanwhile
    const second = block(at(20_000, 6_000, 10_000, [checkout(4_500, 8_000, 900, 4_100), review(2, 4)]));
    expect(second.slice(1)).toEqual([
      '  checkout            50 tx/s (400 scheduled) | p50 900 ms, p99 4100 ms',
      '  review             0.0 tx/s (0.1 scheduled) | none committed',
    ]);
  });

  it('redraws a block in place: up to its first line, each line cleared to its end, a longer block below cleared', () => {
    expect(redrawBlock(0, ['a', 'b'])).toBe('\ra\u001b[K\nb\u001b[K\u001b[J');
    expect(redrawBlock(1, ['a'])).toBe('\ra\u001b[K\u001b[J');
    expect(redrawBlock(3, ['a', 'b'])).toBe('\u001b[2A\ra\u001b[K\nb\u001b[K\u001b[J');
    // a line as wide as the terminal would wrap (two rows): cut to one column less
    expect(redrawBlock(0, ['abcdef', 'abc'], 5)).toBe('\rabcd\u001b[K\nabc\u001b[K\u001b[J');
  });
});
