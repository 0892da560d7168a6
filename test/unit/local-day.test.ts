/**
 * The day where people are (local-day.ts): a country's orders, buyers and browsing follow the scenario's rhythm
 * in its own local time, not in UTC. Read off generated rows as a user would: a shop's time zone is its owner's
 * users.extra_data time_zone, and local hours come from the platform's own time-zone data (Intl), not from the
 * generator's rules.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { awake, slotLocalHour, slotZoneName } from '../../src/generate/local-day.js';
import { COUNTRY_CODES } from '../../src/generate/pools.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';
import { extraOf, tableRows } from './table-rows.js';

const hourIn = new Map<string, Intl.DateTimeFormat>();
/** local hour of day of instant t in IANA zone `zone`, by the platform's time-zone data */
function intlHour(zone: string, t: number): number {
  let f = hourIn.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' });
    hourIn.set(zone, f);
  }
  return Number(f.format(t));
}

describe('time zones', () => {
  it("every slot's local hour is its zone's, daylight saving included, every hour of 2025-2027", () => {
    const seen = new Set<string>();
    const start = Date.UTC(2025, 0, 1);
    const end = Date.UTC(2028, 0, 1);
    for (let slot = 0; slot < COUNTRY_CODES.length; slot++) {
      const zone = slotZoneName(slot);
      if (seen.has(zone)) continue;
      seen.add(zone);
      let wrong = 0;
      let first = '';
      for (let t = start; t < end; t += HOUR_MS) {
        if (slotLocalHour(slot, t) === intlHour(zone, t)) continue;
        wrong++;
        first ||= `${zone} at ${new Date(t).toISOString()}: ${slotLocalHour(slot, t)} for ${intlHour(zone, t)}`;
      }
      expect(first).toBe('');
      expect(wrong).toBe(0);
    }
    // the United States spans four zones, Japan one
    const zonesOf = (cc: string) =>
      new Set(COUNTRY_CODES.flatMap((c, slot) => (c === cc ? [slotZoneName(slot)] : []))).size;
    expect(zonesOf('US')).toBe(4);
    expect(zonesOf('JP')).toBe(1);
    expect(seen.size).toBe(18);
  });

  it('a flat rhythm keeps every draw', () => {
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));
    for (let h = 0; h < plan.hours; h++) {
      for (let slot = 0; slot < 64; slot++) expect(awake(plan, h, slot)).toBe(1);
    }
  });
});

describe("the hours people shop in are their own evening's", () => {
  // steady-week: night 01-05 (rhythm <= 0.45), evening 18-21 (>= 1.5); a day of it
  const plan = buildPlan(applyOverrides(loadScenario('steady-week'), { hours: 24, scale: 0.3 }));
  const rhythm = plan.scenario.rhythm;
  // measured on these rows: 5.4-6.1x with the local day, 1.9x without (every draw kept)
  const NIGHT = [1, 2, 3, 4, 5];
  const EVENING = [18, 19, 20, 21];

  const rows = (table: string): Map<string, string>[] => tableRows(plan, table);
  const zoneOfUser = new Map(
    rows('users').map((u) => [u.get('id'), extraOf<{ time_zone: string }>(u).time_zone]),
  );
  const zoneOfShop = new Map(rows('shop').map((s) => [s.get('id'), zoneOfUser.get(s.get('user_id'))]));
  const time = (r: Map<string, string>) => Date.parse(`${(r.get('event_time') ?? '').replace(' ', 'T')}:00`);

  /** per local hour of day: rows of zones away from UTC (the Americas, Japan, Australia: 5 hours and more) */
  function byLocalHour(xs: Map<string, string>[], zoneOf: (r: Map<string, string>) => string | undefined) {
    const n = new Array<number>(24).fill(0);
    for (const r of xs) {
      const zone = zoneOf(r);
      if (zone === undefined) throw new Error(`no time zone for ${JSON.stringify([...r])}`);
      const t = time(r);
      const offset = (intlHour(zone, t) - new Date(t).getUTCHours() + 36) % 24;
      const k = intlHour(zone, t);
      if (offset > 4 && offset < 20) n[k] = (n[k] ?? 0) + 1;
    }
    return n;
  }
  const perHour = (n: number[], hours: number[]) => hours.reduce((a, h) => a + (n[h] ?? 0), 0) / hours.length;

  it('orders: by the shop and by the buyer, 3.5x as many an evening hour as a night hour', () => {
    expect(NIGHT.every((h) => (rhythm[h] ?? 1) <= 0.45)).toBe(true);
    expect(EVENING.every((h) => (rhythm[h] ?? 0) >= 1.5)).toBe(true);
    const orders = rows('shop_order');
    expect(orders.length).toBeGreaterThan(3000);
    const byShop = byLocalHour(orders, (o) => zoneOfShop.get(o.get('shop_id')));
    const byBuyer = byLocalHour(orders, (o) => zoneOfUser.get(o.get('user_id')));
    expect(perHour(byShop, NIGHT)).toBeGreaterThan(0);
    expect(perHour(byShop, EVENING)).toBeGreaterThan(3.5 * perHour(byShop, NIGHT));
    expect(perHour(byBuyer, EVENING)).toBeGreaterThan(3.5 * perHour(byBuyer, NIGHT));
  });

  it('browsing: signed-in views of a shop, by the shop and by the viewer', () => {
    const views = rows('request_response_log').filter(
      (r) => r.get('shop_id') !== '' && r.get('user_id') !== '' && r.get('shop_order_id') === '',
    );
    expect(views.length).toBeGreaterThan(3000);
    const byShop = byLocalHour(views, (r) => zoneOfShop.get(r.get('shop_id')));
    const byUser = byLocalHour(views, (r) => zoneOfUser.get(r.get('user_id')));
    expect(perHour(byShop, EVENING)).toBeGreaterThan(3.5 * perHour(byShop, NIGHT));
    expect(perHour(byUser, EVENING)).toBeGreaterThan(3.5 * perHour(byUser, NIGHT));
  });
});
