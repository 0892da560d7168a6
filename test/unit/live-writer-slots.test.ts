/**
 * Which writer a live transaction goes to (src/live/writer-slots.ts): the least busy, up to `depth` in flight on
 * each; a metric close only on a writer with nothing in flight, holding all its slots, and the writer it waits for
 * gets no new transaction meanwhile (else a transaction would run inside the close's block).
 */
import { describe, expect, it } from 'vitest';
import { WriterSlots } from '../../src/live/writer-slots.js';

describe('WriterSlots', () => {
  it('spreads transactions over the writers, the least busy first, up to depth each', () => {
    const s = new WriterSlots(2, 2);
    expect([s.take(false), s.take(false), s.take(false), s.take(false)].sort()).toEqual([0, 0, 1, 1]);
    expect(s.free).toBe(false);
    expect(s.take(false)).toBe(-1);
    s.release(1, false);
    expect(s.take(false)).toBe(1);
  });

  it('a close waits for a writer with nothing in flight, which gets no transaction while it drains', () => {
    const s = new WriterSlots(2, 2);
    const a = s.take(false);
    const b = s.take(false);
    expect(a).not.toBe(b);
    // both writers busy: the close cannot start; one of them is drained for it
    expect(s.take(true)).toBe(-1);
    // new transactions go to the other writer only
    const other = s.take(false);
    expect(s.take(false)).toBe(-1);
    const drained = other === a ? b : a;
    expect(s.load(drained)).toBe(1);
    s.release(drained, false);
    // drained: the close takes it, all its slots
    expect(s.take(true)).toBe(drained);
    expect(s.load(drained)).toBe(2);
    expect(s.take(false)).toBe(-1);
    s.release(drained, true);
    expect(s.load(drained)).toBe(0);
    expect(s.take(false)).toBe(drained);
  });

  it('depth 1: a close takes any free writer', () => {
    const s = new WriterSlots(3, 1);
    s.take(false);
    expect(s.take(true)).toBeGreaterThanOrEqual(0);
    expect(s.take(false)).toBeGreaterThanOrEqual(0);
    expect(s.free).toBe(false);
  });
});
