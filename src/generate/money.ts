/**
 * Money (issue 8 §2): a shop's currency follows its country; order, payment and invoice amounts are in the
 * shop's currency; metric tables and reports add money up in the scenario's reporting currency at the fixed,
 * documented rates below.
 *
 * CONTRACT (bodies owned by the money part): currencies are small indexes into CURRENCIES
 * (src/model/currencies.ts, owned by the lead: ask before changing it).
 */

import { CURRENCIES } from '../model/currencies.js';
import type { Plan } from './plan-type.js';

/** The currencies and their fixed rates: src/model/currencies.ts (one source with the SQL checks). */
export { CURRENCIES };

/** Currency index of shop s (from its country). */
export function shopCurrency(_plan: Plan, _s: number): number {
  return 0; // TODO(i8 money)
}

/**
 * An amount in minor units (cents) of currency `c`, converted to the plan's reporting currency's minor units,
 * rounded half away from zero. Metrics convert per order item line, then add: rollups stay exact.
 */
export function toReporting(_plan: Plan, cents: number, _c: number): number {
  return cents; // TODO(i8 money)
}
