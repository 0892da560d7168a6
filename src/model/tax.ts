/**
 * The sales taxes invoices name (invoice.extra_data): the generator picks from them (src/generate/extras-orders.ts)
 * and `gen verify` (invoice-tax) checks against them. Simplified on purpose: US sales tax and Canadian GST/HST
 * by the shop's state or province (origin), and imports' collection at checkout (the EU's IOSS, GB's and AU's
 * low-value import rules) not modelled: a sale abroad is an export, zero-rated, except inside the EU.
 */

/** standard VAT/GST rate by country, percent (US, CA: a state or province rate, REGIONS) */
export const VAT: Readonly<Record<string, number>> = {
  GB: 20,
  DE: 19,
  FR: 20,
  NL: 21,
  AU: 10,
  JP: 10,
  MX: 16,
  BR: 17,
  ES: 21,
  IT: 22,
  SE: 25,
  CH: 8.1,
};

/** sales tax (US) or GST/HST plus provincial tax (CA) by the shop's state or province, percent */
export const REGIONS: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  US: [
    ['CA', 7.25],
    ['NY', 4],
    ['TX', 6.25],
    ['FL', 6],
    ['WA', 6.5],
    ['IL', 6.25],
    ['OR', 0],
  ],
  CA: [
    ['ON', 13],
    ['QC', 14.975],
    ['BC', 12],
    ['AB', 5],
  ],
};

/**
 * The countries of the EU's VAT area among the generator's: a sale from one to a consumer of another is taxed at
 * the buyer's country's rate (the One-Stop Shop, tax_scheme 'oss'); any other sale abroad is an 'export'.
 */
export const EU_VAT_AREA: readonly string[] = ['DE', 'FR', 'ES', 'IT', 'NL', 'SE'];

/** The (region or null, rate) pairs of a domestic sale in country cc: its states' or provinces', else its VAT. */
export function domesticRates(cc: string): readonly (readonly [string | null, number])[] {
  return REGIONS[cc] ?? [[null, VAT[cc] ?? 0]];
}

/** The countries with a rate here. */
export const TAX_COUNTRIES: readonly string[] = [...new Set([...Object.keys(VAT), ...Object.keys(REGIONS)])];
