/** gen query --rate's schedule: evenly spaced, or Poisson arrivals as pgbench -R makes them, repeatable by seed. */
import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/query/workload.js';

const N = 20_000;
const gaps = (offsetOf: (k: number) => number): number[] => {
  const at = Array.from({ length: N + 1 }, (_, k) => offsetOf(k));
  return at.slice(1).map((t, k) => t - (at[k] ?? 0));
};
const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
const cv = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2))) / m;
};

describe('schedule', () => {
  it('even: query k at k / rate', () => {
    const at = schedule(140, 'even', 1);
    expect([0, 1, 2, 140].map(at)).toEqual([0, 1000 / 140, 2000 / 140, 1000]);
  });

  it('poisson: exponential gaps with the rate as their mean (coefficient of variation 1), from 0', () => {
    const at = schedule(140, 'poisson', 1);
    expect(at(0)).toBe(0);
    const g = gaps(at);
    expect(mean(g)).toBeGreaterThan((1000 / 140) * 0.97);
    expect(mean(g)).toBeLessThan((1000 / 140) * 1.03);
    expect(cv(g)).toBeGreaterThan(0.95);
    expect(cv(g)).toBeLessThan(1.05);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(0);
    // even gaps have none of that spread
    expect(cv(gaps(schedule(140, 'even', 1)))).toBeLessThan(1e-9);
  });

  it('poisson: the same seed, the same schedule; another seed, another', () => {
    const a = gaps(schedule(50, 'poisson', 7));
    expect(gaps(schedule(50, 'poisson', 7))).toEqual(a);
    expect(gaps(schedule(50, 'poisson', 8))).not.toEqual(a);
  });

  it('is read in order: the same query again gives the same time, an earlier one is refused', () => {
    const at = schedule(10, 'poisson', 3);
    const t5 = at(5);
    expect(at(5)).toBe(t5);
    expect(at(6)).toBeGreaterThanOrEqual(t5);
    expect(() => at(2)).toThrow(/out of order/);
  });
});
