/**
 * A live run's figures (src/live/stats.ts) as the progress reports read them: per type, the transactions committed
 * so far, and the latencies of those committed since the last report only.
 */
import { describe, expect, it } from 'vitest';
import { LiveStats } from '../../src/live/stats.js';

describe('LiveStats, for the progress reports', () => {
  it('gives per type the latencies since the last call, then forgets them; counts stay whole', () => {
    const s = new LiveStats();
    const t = Date.UTC(2026, 10, 27);
    for (let i = 1; i <= 100; i++) s.committed('checkout', t, 0, i, 1, 3);
    s.committed('review', t, 0, 7, 1, 1);
    const first = s.recent();
    expect(first.get('checkout')?.count).toBe(100);
    expect(first.get('checkout')?.p50).toBeCloseTo(50, 0);
    expect(first.get('checkout')?.p99).toBeCloseTo(99, 0);
    expect(first.get('review')?.p50).toBeCloseTo(7, 1);
    // the next interval: slow checkouts only, and no review
    for (let i = 0; i < 10; i++) s.committed('checkout', t, 0, 5_000, 1, 3);
    const second = s.recent();
    expect(second.get('checkout')?.count).toBe(10);
    expect(second.get('checkout')?.p50).toBeCloseTo(5_000, -1);
    expect(second.has('review')).toBe(false);
    expect(s.recent().size).toBe(0);
    expect(Object.fromEntries(s.counts())).toEqual({ checkout: 110, review: 1 });
  });
});

describe('LiveStats: the lag', () => {
  it('its largest is the largest seen, sampled or at a late start between two samples; the hour too', () => {
    const s = new LiveStats();
    const t = Date.UTC(2026, 10, 27);
    s.sampleLag(t, 0);
    s.sampleLag(t, 20);
    // started 150 ms after its schedule, between samples
    s.committed('payment', t + 60_000, 150, 160, 10, 2);
    expect(s.lagSummary().max).toBe(150);
    expect(s.lagSummary().count).toBe(2);
    expect(s.hours()[0]?.lagMax).toBe(150);
    s.sampleLag(t, 400);
    expect(s.lagSummary().max).toBeCloseTo(400, -1);
  });
});
