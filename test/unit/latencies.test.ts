/**
 * Latencies per scenario hour over long runs: an hour settled keeps its figures (the same as its histogram gave)
 * and gives its histogram up; nothing can be recorded into it any more.
 */
import { describe, expect, it } from 'vitest';
import { HourlyLatencies, Latencies } from '../../src/query/latencies.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 27);

describe('latencies per hour', () => {
  it('an hour settled keeps the figures its histogram gave, and no histogram', () => {
    const settled = new HourlyLatencies();
    const kept = new HourlyLatencies();
    const whole = new Latencies();
    for (let h = 0; h < 48; h++)
      for (let i = 0; i < 500; i++) {
        // skewed, with a tail: percentiles that a wrong merge would move
        const ms = ((i * 7919) % 500) / (1 + (h % 5)) + (i % 97 === 0 ? 2_000 : 0);
        settled.record(T0 + h * H, ms);
        kept.record(T0 + h * H, ms);
        whole.record(ms);
      }
    // settled as a live run goes: each hour once the next has begun
    for (let h = 1; h <= 48; h++) settled.settle(T0 + h * H);
    expect(settled.held).toBe(0);
    expect(kept.held).toBe(48);
    expect(settled.hours()).toEqual(kept.hours());
    expect(settled.hours().length).toBe(48);
    expect(settled.hours().reduce((a, [, p]) => a + p.count, 0)).toBe(whole.count);
  });

  it('settles only the hours that end by the time given', () => {
    const l = new HourlyLatencies();
    l.record(T0, 1);
    l.record(T0 + H, 2);
    l.settle(T0 + H - 1);
    expect(l.held).toBe(2);
    l.settle(T0 + H);
    expect(l.held).toBe(1);
    // its figures are kept; a latency for it now is a bug of the caller's, said at once
    expect(() => l.record(T0, 3)).toThrow(/settled/);
    expect(l.hours().map(([h, p]) => [h - T0, p.count])).toEqual([
      [0, 1],
      [H, 1],
    ]);
  });

  it("gives the reports' figures per hour: ISO hour, count, p50, p99, in time order, settled or not", () => {
    const l = new HourlyLatencies();
    // recorded out of order, the later hour first
    for (const ms of [5, 6, 7]) l.record(T0 + H, ms);
    l.record(T0, 1);
    l.settle(T0 + H);
    const f = l.figures();
    expect(f.map((x) => [x.hour, x.count])).toEqual([
      ['2026-11-27T00:00:00.000Z', 1],
      ['2026-11-27T01:00:00.000Z', 3],
    ]);
    expect(f.map((x) => [x.p50, x.p99])).toEqual(l.hours().map(([, p]) => [p.p50, p.p99]));
  });
});
