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
import { perPlan } from './per-plan.js';
import { shopOwner } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import { COUNTRY_CODES } from './pools.js';

/** The currencies and their fixed rates: src/model/currencies.ts (one source with the SQL checks). */
export { CURRENCIES };

/**
 * The countries of users and shops: COUNTRY_CODES has 64 slots, a country's share of them (pools.ts). Users come
 * in blocks of 64 consecutive indexes, one user of each slot per block, in a keyed affine order per block (user
 * 64b + i holds slot (m i + c) mod 64, m odd): the user of a given slot in a block is found in O(1) (the orders
 * draw a buyer of a shop's country, order-draw.ts). A shop is in its owner's country.
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

/** users per block: one of each country slot */
export const COUNTRY_BLOCK = 64;
if (COUNTRY_CODES.length !== COUNTRY_BLOCK) throw new Error('internal: COUNTRY_CODES must have 64 slots');

/** block b's keyed order: multiplier (odd) in the low 6 bits, offset in the next 6 */
const blockKey = (plan: Plan, b: number): number => field(rowKey(plan.seed, K.user, -2, b), 1);

/** Index into COUNTRY_CODES (a slot) of user u's country. */
export function userCountry(plan: Plan, u: number): number {
  const k = blockKey(plan, Math.floor(u / COUNTRY_BLOCK));
  return (Math.imul((k & 63) | 1, u & 63) + (k >>> 6)) & 63;
}

/** The user of slot q in block b (userCountry's inverse). */
export function userOfSlot(plan: Plan, b: number, q: number): number {
  const k = blockKey(plan, b);
  const m = (k & 63) | 1;
  // m's inverse mod 64 (Newton: each step doubles the correct low bits, 3 -> 6 -> 12)
  let inv = m;
  inv = Math.imul(inv, 2 - Math.imul(m, inv));
  inv = Math.imul(inv, 2 - Math.imul(m, inv));
  return b * COUNTRY_BLOCK + (Math.imul(inv, q - (k >>> 6)) & 63);
}

/** Country of every shop of the plan (its owner's), one byte a shop. */
const shopCountries = perPlan((plan: Plan): Uint8Array => {
  const n = plan.shopsBefore[plan.shopsBefore.length - 1] ?? plan.shops0;
  return Uint8Array.from({ length: n }, (_, s) => userCountry(plan, shopOwner(plan, s)));
});

/** Index into SHOP_COUNTRIES of shop s's country: its owner's. */
export function shopCountry(plan: Plan, s: number): number {
  return shopCountries(plan)[s] ?? userCountry(plan, shopOwner(plan, s));
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

/**
 * A USD threshold (whole units: a minimum basket) in currency c at the fixed rate, to two significant digits of
 * whole units (25 USD: 23 EUR, 3,700 JPY), 0 for 0.
 */
export function thresholdFromUsd(usd: number, c: number): number {
  const v = usd / (CURRENCIES[c]?.usd ?? 1);
  if (v <= 0) return 0;
  const step = Math.max(1, 10 ** (Math.floor(Math.log10(v)) - 1));
  return Math.round(v / step) * step;
}

/** A USD price (cents) in currency c at the fixed rate, at a price point of c. */
export function fromUsd(usdCents: number, c: number): number {
  return pricePoint(c, usdCents / (CURRENCIES[c]?.usd ?? 1));
}
