/**
 * The currencies of the data (issue 8 §2): a shop's currency follows its country; metric tables and reports
 * add money up in the scenario's reporting currency at these fixed rates (rounded mid-2026 figures; fixed so
 * that the data is reproducible and sums across shops mean something). One source for the generator, the SQL
 * checks (a VALUES list) and the scenario's allowed reporting currencies.
 */
export interface Currency {
  /** ISO 4217 code */
  readonly code: string;
  /** value of one unit in USD */
  readonly usd: number;
  /** decimals of its minor unit (JPY 0); amounts are still written numeric(12,2) (JPY: whole yen, .00) */
  readonly decimals: number;
}

export const CURRENCIES = [
  { code: 'USD', usd: 1, decimals: 2 },
  { code: 'EUR', usd: 1.08, decimals: 2 },
  { code: 'GBP', usd: 1.27, decimals: 2 },
  { code: 'CAD', usd: 0.73, decimals: 2 },
  { code: 'AUD', usd: 0.66, decimals: 2 },
  { code: 'JPY', usd: 0.0067, decimals: 0 },
  { code: 'MXN', usd: 0.058, decimals: 2 },
  { code: 'BRL', usd: 0.2, decimals: 2 },
  { code: 'SEK', usd: 0.095, decimals: 2 },
  { code: 'CHF', usd: 1.13, decimals: 2 },
] as const satisfies readonly Currency[];

export type CurrencyCode = (typeof CURRENCIES)[number]['code'];
export const CURRENCY_CODES: readonly CurrencyCode[] = CURRENCIES.map((c) => c.code);

/** The currency of a shop in a country (ISO 3166-1 alpha-2); USD for a country not listed. */
export const COUNTRY_CURRENCY: Readonly<Record<string, CurrencyCode>> = {
  US: 'USD',
  CA: 'CAD',
  GB: 'GBP',
  DE: 'EUR',
  FR: 'EUR',
  NL: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  AU: 'AUD',
  JP: 'JPY',
  MX: 'MXN',
  BR: 'BRL',
  SE: 'SEK',
  CH: 'CHF',
};
