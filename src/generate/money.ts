/**
 * Money (issue 8 §2): a shop's currency follows its country; order, payment and invoice amounts are in the
 * shop's currency; metric tables and reports add money up in the scenario's reporting currency at the fixed,
 * documented rates below.
 *
 * CONTRACT (bodies owned by the money part): currencies are small indexes into CURRENCIES
 * (src/model/currencies.ts, owned by the lead: ask before changing it).
 *
 * Amounts are integers in hundredths of the currency's unit in every currency ("cents"; for JPY, hundredths of a
 * yen), because every amount column is numeric(12,2) and CsvWriter.money writes cents / 100. JPY has no minor
 * unit: its prices are whole hundreds of yen and toReporting rounds to whole yen, so a JPY amount is written
 * with .00 (12300.00); an amount derived from them (a percent discount) is the orders' to round.
 */

import { COUNTRY_CURRENCY, CURRENCIES, type Currency } from '../model/currencies.js';
import { field, K, rowKey } from './keyed.js';
import type { Plan } from './plan-type.js';
import { COUNTRY_CODES } from './pools.js';

/** The currencies and their fixed rates: src/model/currencies.ts (one source with the SQL checks). */
export { CURRENCIES };

/**
 * The countries of shops, drawn uniformly by a keyed index (the US four times: about a quarter of shops).
 * A shop's country_code column and its currency both come from shopCountry: they cannot disagree.
 */
export const SHOP_COUNTRIES: readonly string[] = COUNTRY_CODES;

const currencyIndex = (code: string): number => {
  const i = CURRENCIES.findIndex((c) => c.code === code);
  return Math.max(i, 0);
};
/** currency index of each SHOP_COUNTRIES entry (USD for a country the model does not list) */
const COUNTRY_CURRENCY_INDEX = Int8Array.from(SHOP_COUNTRIES, (c) =>
  currencyIndex(COUNTRY_CURRENCY[c] ?? 'USD'),
);

/** Index into SHOP_COUNTRIES of shop s's country (keyed by the shop, as its other columns). */
export function shopCountry(plan: Plan, s: number): number {
  return field(rowKey(plan.seed, K.shop, 0, s), 8) % SHOP_COUNTRIES.length;
}

/** Currency index of shop s (from its country). */
export function shopCurrency(plan: Plan, s: number): number {
  return COUNTRY_CURRENCY_INDEX[shopCountry(plan, s)] ?? 0;
}

/** hundredths per minor unit of a currency: 1 for cents, 100 for yen */
export function minorStep(c: Currency | undefined): number {
  return c?.decimals === 0 ? 100 : 1;
}

/** The reporting currency's factors: per currency index, its value in reporting-currency units. */
let factorsFor = '';
let factors = new Float64Array(0);
let reportingStep = 1;

/**
 * An amount in hundredths of currency `c` (see the file comment), converted to the plan's reporting currency,
 * rounded half away from zero to its minor unit (whole yen for JPY). Metrics convert per order item line, then
 * add: rollups stay exact.
 */
export function toReporting(plan: Plan, cents: number, c: number): number {
  const code = plan.scenario.reportingCurrency;
  if (code !== factorsFor) {
    const rep = CURRENCIES[currencyIndex(code)];
    factors = Float64Array.from(CURRENCIES, (x) => x.usd / (rep?.usd ?? 1));
    reportingStep = minorStep(rep);
    factorsFor = code;
  }
  const f = factors[c] ?? 1;
  if (f === 1) return cents;
  const v = Math.round(Math.abs(cents * f) / reportingStep) * reportingStep;
  return cents < 0 ? -v : v;
}

/**
 * A price point of currency c near `v` (hundredths): x.99 above 5 units, whole hundreds of yen in JPY, never
 * below one unit (100 yen in JPY).
 */
export function pricePoint(c: number, v: number): number {
  if (minorStep(CURRENCIES[c]) === 100) return Math.max(1, Math.round(v / 10000)) * 10000;
  const cents = Math.round(v);
  return cents > 500 ? Math.floor(cents / 100) * 100 + 99 : Math.max(100, cents);
}

/** A USD price (cents) in currency c at the fixed rate, at a price point of c. */
export function fromUsd(usdCents: number, c: number): number {
  return pricePoint(c, usdCents / (CURRENCIES[c]?.usd ?? 1));
}
