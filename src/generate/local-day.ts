/**
 * The day where people are (issue 8 §3: traffic behaves like a real shop platform's). The scenario's rhythm sets
 * how many orders, sessions and sign-ups an hour has, by UTC hour; who places them follows the same rhythm read
 * in each one's local time: at 04:00 UTC in northern winter (13:00 in Tokyo, 23:00 in New York, 05:00 in
 * Berlin) the hour's shops and buyers are mostly Japanese and American, at 19:00 UTC European and American.
 *
 * Every country slot (pools.ts: a country's share of 64) has a time zone, the country's biggest ones by
 * population share (the United States' 18 slots: 9 Eastern, 5 Central, 1 Mountain, 3 Pacific), written in the
 * user's extra_data (`time_zone`). Offsets are whole hours and today's daylight-saving rules are applied to every
 * year (the United States and Canada from the second Sunday of March to the first of November at 02:00 local;
 * the European Union and the United Kingdom from the last Sunday of March to the last of October at 01:00 UTC;
 * south-east Australia from the first Sunday of October to the first of April; none in Japan, Brazil, Mexico or
 * Queensland), so a local hour changes only at UTC hour boundaries.
 *
 * `awake(plan, h, slot)` is the chance that a draw of window hour h in that slot is kept: the slot's rhythm at
 * its local hour over the highest of all slots' that hour. Draws redraw what is not kept (order-draw.ts,
 * sessions.ts); under a flat rhythm every draw is kept (the draws allow more keyed tries than before, which
 * changes rows only where a drawn party was inactive).
 */
import { at } from '../at.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan-type.js';
import { COUNTRY_CODES } from './pools.js';

type Dst = 'none' | 'us' | 'eu' | 'au';
interface Zone {
  /** IANA name, as users.extra_data writes it */
  name: string;
  /** standard time's offset from UTC, hours */
  offset: number;
  dst: Dst;
}

/** each country's zones and how many of its slots live in each, in slot order (pools.ts COUNTRY_SLOTS) */
const COUNTRY_ZONES: Record<string, [name: string, offset: number, dst: Dst, slots: number][]> = {
  US: [
    ['America/New_York', -5, 'us', 9],
    ['America/Chicago', -6, 'us', 5],
    ['America/Denver', -7, 'us', 1],
    ['America/Los_Angeles', -8, 'us', 3],
  ],
  GB: [['Europe/London', 0, 'eu', 6]],
  DE: [['Europe/Berlin', 1, 'eu', 6]],
  JP: [['Asia/Tokyo', 9, 'none', 5]],
  FR: [['Europe/Paris', 1, 'eu', 4]],
  CA: [
    ['America/Toronto', -5, 'us', 3],
    ['America/Vancouver', -8, 'us', 1],
  ],
  BR: [['America/Sao_Paulo', -3, 'none', 3]],
  MX: [['America/Mexico_City', -6, 'none', 3]],
  AU: [
    ['Australia/Sydney', 10, 'au', 2],
    ['Australia/Brisbane', 10, 'none', 1],
  ],
  ES: [['Europe/Madrid', 1, 'eu', 3]],
  IT: [['Europe/Rome', 1, 'eu', 3]],
  NL: [['Europe/Amsterdam', 1, 'eu', 3]],
  SE: [['Europe/Stockholm', 1, 'eu', 3]],
};

/** the distinct zones, and the zone (index into ZONES) of each country slot */
const ZONES: Zone[] = [];
export const SLOT_ZONE: Uint8Array = (() => {
  const out = new Uint8Array(COUNTRY_CODES.length);
  const seen = new Map<string, number>();
  COUNTRY_CODES.forEach((cc, slot) => {
    const list = COUNTRY_ZONES[cc];
    if (list === undefined) throw new Error(`internal: no time zone for country ${cc}`);
    const rank = seen.get(cc) ?? 0;
    seen.set(cc, rank + 1);
    let left = rank;
    const z = list.find((e) => {
      left -= e[3];
      return left < 0;
    });
    if (z === undefined) throw new Error(`internal: ${cc} has more slots than its time zones list`);
    let i = ZONES.findIndex((e) => e.name === z[0]);
    if (i < 0) i = ZONES.push({ name: z[0], offset: z[1], dst: z[2] }) - 1;
    out[slot] = i;
  });
  for (const [cc, list] of Object.entries(COUNTRY_ZONES)) {
    const n = list.reduce((a, e) => a + e[3], 0);
    if (n !== (seen.get(cc) ?? 0)) throw new Error(`internal: ${cc}'s time zones hold ${n} slots`);
  }
  return out;
})();

/** IANA time zone of a country slot */
export function slotZoneName(slot: number): string {
  return ZONES[SLOT_ZONE[slot] ?? 0]?.name ?? 'UTC';
}

/** epoch ms of the n-th (1-based; 0 = last) Sunday of month m (0-based) of year y, at hour `utcHour` UTC */
function sunday(y: number, m: number, n: number, utcHour: number): number {
  let d: number;
  if (n > 0) {
    const first = new Date(Date.UTC(y, m, 1)).getUTCDay();
    d = 1 + ((7 - first) % 7) + (n - 1) * 7;
  } else {
    const lastDay = new Date(Date.UTC(y, m + 1, 0));
    d = lastDay.getUTCDate() - lastDay.getUTCDay();
  }
  return Date.UTC(y, m, d) + utcHour * HOUR_MS;
}

/** true when zone z keeps daylight-saving time at instant t (epoch ms) */
function summer(z: Zone, t: number): boolean {
  const y = new Date(t).getUTCFullYear();
  switch (z.dst) {
    case 'none':
      return false;
    case 'us':
      // 02:00 local standard time on, 02:00 local daylight time off
      return t >= sunday(y, 2, 2, 2 - z.offset) && t < sunday(y, 10, 1, 1 - z.offset);
    case 'eu':
      return t >= sunday(y, 2, 0, 1) && t < sunday(y, 9, 0, 1);
    case 'au':
      // southern summer: on at 02:00 standard in October, off at 03:00 daylight in April (both 16:00 UTC the
      // day before, for UTC+10)
      return t >= sunday(y, 9, 1, 2 - z.offset) || t < sunday(y, 3, 1, 2 - z.offset);
  }
}

/** local hour of day (0-23) in zone z at instant t */
function localHour(z: Zone, t: number): number {
  const local = t + (z.offset + (summer(z, t) ? 1 : 0)) * HOUR_MS;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** per window hour, per zone: the chance a draw is kept (zone's rhythm at its local hour / the hour's highest) */
const awakeTable = perPlan((plan: Plan): Float64Array => {
  const rhythm = plan.scenario.rhythm;
  const z = ZONES.length;
  const out = new Float64Array(plan.hours * z);
  const w = new Float64Array(z);
  for (let h = 0; h < plan.hours; h++) {
    const t = plan.start + h * HOUR_MS;
    let top = 0;
    ZONES.forEach((zone, i) => {
      w[i] = rhythm[localHour(zone, t)] ?? 1;
      top = Math.max(top, at(w, i));
    });
    for (let i = 0; i < z; i++) out[h * z + i] = top > 0 ? at(w, i) / top : 1;
  }
  return out;
});

/** The chance that a draw in window hour h of a shop or user of country slot `slot` is kept (1 outside the window). */
export function awake(plan: Plan, h: number, slot: number): number {
  return awakeTable(plan)[h * ZONES.length + (SLOT_ZONE[slot] ?? 0)] ?? 1;
}

/** local hour of day of country slot `slot` at instant t (epoch ms): for tests and reports */
export function slotLocalHour(slot: number, t: number): number {
  return localHour(at(ZONES, at(SLOT_ZONE, slot)), t);
}
