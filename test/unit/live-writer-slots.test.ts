/**
 * Which writer a live transaction goes to (src/live/writer-slots.ts): the least busy, up to `depth` in flight on
 * each.
 */
import { describe, expect, it } from 'vitest';
import { WriterSlots } from '../../src/live/writer-slots.js';

describe('WriterSlots', () => {
  it('spreads transactions over the writers, the least busy first, up to depth each', () => {
    const s = new WriterSlots(2, 2);
    expect([s.take(), s.take(), s.take(), s.take()].sort()).toEqual([0, 0, 1, 1]);
    expect(s.free).toBe(false);
    expect(s.take()).toBe(-1);
    s.release(1);
    expect(s.load(1)).toBe(1);
    expect(s.take()).toBe(1);
  });

  it('the least busy writer first', () => {
    const s = new WriterSlots(3, 2);
    const a = s.take();
    const b = s.take();
    const c = s.take();
    expect(new Set([a, b, c]).size).toBe(3);
    s.take();
    s.take();
    s.release(b);
    s.release(b);
    expect(s.load(b)).toBe(0);
    expect(s.take()).toBe(b);
  });
});
