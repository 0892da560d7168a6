/**
 * When orders fall in their hour (hour-times.ts), read off shop_order rows: minutes vary as a Poisson
 * process's do, the rhythm ramps within an hour instead of stepping at its start, an event still starts at
 * its hour, and index order (the id's hour and index, here the row order of a chunk) is time order.
 */
import { describe, expect, it } from 'vitest';
import { userCreated } from '../../src/generate/arrivals.js';
import { orderTime, timeInHour } from '../../src/generate/hour-times.js';
import { buildPlan, generateChunk, listChunks } from '../../src/generate/index.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';
import { parseCsv } from './csv.js';

const plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 24, scale: 0.5 }));
const rhythm = plan.scenario.rhythm;

/** per window hour, the order times in row order */
const hours: number[][] = listChunks(plan, ['shop_order']).map((c) => {
  const [header, ...body] = parseCsv(Buffer.concat([...generateChunk(plan, c)]).toString('utf8'));
  const col = header?.indexOf('event_time') ?? -1;
  return body.map((r) => Date.parse(`${(r[col] ?? '').replace(' ', 'T')}:00`));
});
const minutes = (h: number): number[] => {
  const n = new Array<number>(60).fill(0);
  for (const t of hours[h] ?? []) {
    const m = Math.floor((t - plan.start - h * HOUR_MS) / 60_000);
    n[m] = (n[m] ?? 0) + 1;
  }
  return n;
};

/** quarter q (0-3) of window hour h's count of the times ts */
function quarterOf(ts: readonly number[], h: number, q: number): number {
  const from = plan.start + h * HOUR_MS + (q * HOUR_MS) / 4;
  return ts.filter((t) => t >= from && t < from + HOUR_MS / 4).length;
}

/** the window hours whose neighbours' rhythm differs by 0.3 or more: [hour, rising] */
const ramping: [number, boolean][] = [];
for (let h = 1; h < 23; h++) {
  const hod = new Date(plan.start + h * HOUR_MS).getUTCHours();
  const before = rhythm[(hod + 23) % 24] ?? 1;
  const after = rhythm[(hod + 1) % 24] ?? 1;
  if (Math.abs(after - before) >= 0.3) ramping.push([h, after > before]);
}

describe('orders in their hour', () => {
  it('stay in their hour, never at its start, in index order', () => {
    expect(hours.length).toBe(24);
    hours.forEach((ts, h) => {
      const start = plan.start + h * HOUR_MS;
      expect(ts.length).toBe(plan.orders[h]);
      for (let j = 0; j < ts.length; j++) {
        const t = ts[j] ?? 0;
        expect(t).toBeGreaterThan(start);
        expect(t).toBeLessThan(start + HOUR_MS);
        if (j > 0) expect(t).toBeGreaterThanOrEqual(ts[j - 1] ?? 0);
      }
    });
  });

  it("vary by the minute as a Poisson process's counts do (variance about the mean)", () => {
    // a Poisson count's variance is its mean; an even spread's is ~0. Over the hours, the ratio's mean.
    let sum = 0;
    let n = 0;
    for (let h = 0; h < 24; h++) {
      const m = minutes(h);
      const mean = m.reduce((a, x) => a + x, 0) / 60;
      if (mean < 20) continue;
      const variance = m.reduce((a, x) => a + (x - mean) ** 2, 0) / 59;
      sum += variance / mean;
      n++;
    }
    expect(n).toBeGreaterThan(10);
    expect(sum / n).toBeGreaterThan(0.7);
    expect(sum / n).toBeLessThan(2);
  });

  it('ramp within an hour as the rhythm does, and step where an event starts', () => {
    // the ramp follows the rhythm, not the events
    let early = 0;
    let late = 0;
    for (const [h, up] of ramping) {
      early += quarterOf(hours[h] ?? [], h, up ? 0 : 3);
      late += quarterOf(hours[h] ?? [], h, up ? 3 : 0);
    }
    expect(ramping.length).toBeGreaterThan(2);
    expect(late).toBeGreaterThan(1.15 * early);
    // black-friday's daytime event (x2.5) starts at 06:00: hour 6's first minutes against hour 5's last
    const last5 = minutes(5)
      .slice(50)
      .reduce((a, x) => a + x, 0);
    const first6 = minutes(6)
      .slice(0, 10)
      .reduce((a, x) => a + x, 0);
    expect(first6).toBeGreaterThan(2 * last5);
  });
});

it("an order's time does not depend on which hours were asked before (the slice tables are cached)", () => {
  const wide = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 72, scale: 0.5 }));
  const fresh = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 72, scale: 0.5 }));
  const j = Math.floor((wide.orders[3] ?? 0) / 2);
  const key = 12345;
  const first = orderTime(fresh, 3, j, key);
  // hour 35 takes hour 3's cache slot, then hour 3 again; another plan in between
  orderTime(wide, 35, 0, key);
  orderTime(fresh, 35, 0, key);
  orderTime(plan, 3, 0, key);
  expect(orderTime(wide, 3, j, key)).toBe(first);
  expect(orderTime(fresh, 3, j, key)).toBe(first);
});

describe('other arrivals in their hour', () => {
  it("a keyed uniform's point in the hour has that share of the rhythm line's mass", () => {
    // black-friday hour 7 (07:00 UTC): the line from 0.625 at 07:00 through 0.75 at 07:30 to 0.85 at 08:00
    const h = 7;
    const point = (u: number) => timeInHour(plan, h, u) / HOUR_MS;
    const line = (x: number) => (x < 0.5 ? 0.625 + 0.25 * x : 0.75 + 0.2 * (x - 0.5));
    const mass = (x: number) => {
      let m = 0;
      for (let i = 0; i < 1000; i++) m += line(((i + 0.5) / 1000) * x) * (x / 1000);
      return m;
    };
    for (const u of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999]) expect(mass(point(u)) / mass(1)).toBeCloseTo(u, 3);
    expect(timeInHour(plan, h, 0)).toBe(0);
    // never backwards, at any of 10,001 points, over every hour of the day
    for (let k = 0; k < 24; k++) {
      let last = -1;
      for (let i = 0; i <= 10_000; i++) {
        const t = timeInHour(plan, k, (i / 10_000) * (1 - 2 ** -32));
        expect(t >= last).toBe(true);
        last = t;
      }
    }
  });

  it('sign-ups ramp as the orders do', () => {
    // users.created_time of the window's sign-ups is userCreated; at --scale 0.5 an hour has too few (20-60 a
    // quarter) to show a 20% tilt, so the plan's sign-ups at --scale 5, read from the function the rows use
    const big = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 24, scale: 5 }));
    let early = 0;
    let late = 0;
    for (const [h, up] of ramping) {
      const signups: number[] = [];
      for (let u = big.usersBefore[h] ?? 0; u < (big.usersBefore[h + 1] ?? 0); u++)
        signups.push(userCreated(big, u));
      early += quarterOf(signups, h, up ? 0 : 3);
      late += quarterOf(signups, h, up ? 3 : 0);
    }
    expect(early).toBeGreaterThan(1000);
    expect(late).toBeGreaterThan(1.1 * early);
  });
});
