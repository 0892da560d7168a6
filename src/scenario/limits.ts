/**
 * Limits that come from the generator's plan, not from any one field: checked on the whole Scenario, after
 * the file is read and again after command-line overrides.
 */
import { HOUR_MS } from '../time-units.js';
import type { RateName, Scenario } from './types.js';
import { RATE_NAMES } from './types.js';

/**
 * The plan keeps each hour's arrival counts in 32-bit integers (src/generate/plan.ts), so the busiest hour of a
 * rate (rate x scale x rhythm x the events running then, plus up to 5% noise) must stay well below 2^31.
 */
export const MAX_ARRIVALS_PER_HOUR = 1_000_000_000;

/**
 * The plan keeps per-entity tables (shop owners, product shops, promotions) in memory and numbers
 * entities with 32-bit integers: past this many users, shops, products or promotions it would not fit.
 */
export const MAX_ENTITIES = 200_000_000;

export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The first rate and hour whose arrivals exceed MAX_ARRIVALS_PER_HOUR, if any. */
export function busiestHourOver(s: Scenario): { rate: RateName; at: number; arrivals: number } | undefined {
  for (const rate of RATE_NAMES) {
    for (let h = 0; h < s.hours; h++) {
      const at = s.start + h * HOUR_MS;
      let arrivals = s.rates[rate] * s.scale * (s.rhythm[new Date(at).getUTCHours()] ?? 1);
      for (const e of s.events) {
        if (at >= e.start && at < e.start + e.hours * HOUR_MS && e.appliesTo.includes(rate))
          arrivals *= e.multiplier;
      }
      if (arrivals > MAX_ARRIVALS_PER_HOUR) return { rate, at, arrivals };
    }
  }
  return undefined;
}

/** The first kind of entity whose count (population x scale + the window's arrivals) exceeds MAX_ENTITIES. */
export function oversizedEntities(s: Scenario): { what: string; n: number } | null {
  const p = s.population;
  let peak = 0;
  for (const r of s.rhythm) peak = Math.max(peak, r);
  const eventMax = s.events.reduce((m, e) => m * Math.max(1, e.multiplier), 1);
  const arrivals = (rate: number): number => rate * s.scale * peak * eventMax * s.hours * 1.05;
  const shops = p.shopOwners * s.scale * p.shopsPerOwner.max + arrivals(s.rates.new_shops);
  const checks: [string, number][] = [
    ['users (population.users + signups)', p.users * s.scale + arrivals(s.rates.signups)],
    ['shops (population + new shops)', shops],
    [
      'products (population + new products)',
      p.shopOwners * s.scale * p.shopsPerOwner.max * p.productsPerShop.max + arrivals(s.rates.new_products),
    ],
    ['promotions', p.promotions * s.scale + arrivals(s.rates.promotions)],
  ];
  for (const [what, n] of checks) if (n > MAX_ENTITIES) return { what, n };
  return null;
}

/** `about 1,234` for messages about the limits. */
export const about = (n: number): string => `about ${Math.round(n).toLocaleString('en-US')}`;
