/**
 * When orders fall in their hour (order-times.ts), read off shop_order rows: minutes vary as a Poisson
 * process's do, the rhythm ramps within an hour instead of stepping at its start, an event still starts at
 * its hour, and index order (the id's hour and index, here the row order of a chunk) is time order.
 */
import { describe, expect, it } from 'vitest';
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
    // hours whose neighbours' rhythm differs by 0.3 or more (the ramp follows the rhythm, not the events)
    const quarter = (h: number, q: number) =>
      minutes(h)
        .slice(q * 15, q * 15 + 15)
        .reduce((a, x) => a + x, 0);
    let rising = 0;
    let early = 0;
    let late = 0;
    for (let h = 1; h < 23; h++) {
      const hod = new Date(plan.start + h * HOUR_MS).getUTCHours();
      const before = rhythm[(hod + 23) % 24] ?? 1;
      const after = rhythm[(hod + 1) % 24] ?? 1;
      if (Math.abs(after - before) < 0.3) continue;
      rising++;
      early += after > before ? quarter(h, 0) : quarter(h, 3);
      late += after > before ? quarter(h, 3) : quarter(h, 0);
    }
    expect(rising).toBeGreaterThan(2);
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
