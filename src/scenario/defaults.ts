import type { Distributions, Weighted } from './types.js';

function weighted(table: Record<number, number>): Weighted {
  const entries = Object.entries(table).map(([v, w]) => [Number(v), w] as const);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return { values: entries.map(([v]) => v), weights: entries.map(([, w]) => w / total) };
}

// Deep, because the nested ranges are objects too and a caller mutating them would change every later load.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * What a scenario gets for every field it leaves out (everything except description, seed, population
 * and rates). The values aim at an ordinary, plausible shop: most orders hold one or two items, a few
 * payments fail, reviews come days later. scenarios/README.md lists the same numbers; keep them in step.
 */
export const defaults: {
  readonly start: number;
  readonly hours: number;
  readonly reportingCurrency: string;
  readonly rhythm: readonly number[];
  readonly distributions: Readonly<Distributions>;
} = deepFreeze({
  // A fixed default start, never the wall clock, so a scenario without a window is still reproducible.
  start: Date.UTC(2026, 10, 27),
  hours: 24,
  reportingCurrency: 'USD',
  // Flat: the rates in the file are then exactly the hourly rates. Scenarios that want a day shape say so.
  rhythm: Array.from({ length: 24 }, () => 1),
  distributions: {
    // mean 2.12 items per order
    itemsPerOrder: weighted({ 1: 45, 2: 25, 3: 14, 4: 8, 5: 5, 6: 3 }),
    // mean 1.32 units per item
    quantityPerItem: weighted({ 1: 80, 2: 12, 3: 5, 4: 2, 5: 1 }),
    productPopularitySkew: 1.0,
    shopPopularitySkew: 0.8,
    shopSizeSkew: 1.0,
    priceCents: { min: 199, max: 49_999 },
    paymentFailureRate: 0.05,
    paymentMaxRetries: 2,
    reviewRate: 0.15,
    reviewDelayHours: { min: 6, max: 72 },
    promotionUseRate: 0.3,
    promotionDiscountPercent: { min: 5, max: 40 },
    promotionDurationHours: { min: 6, max: 72 },
    cartAbandonmentRate: 0.1,
    apiLatencyMs: { median: 45, p99: 800 },
    apiErrorRate: 0.01,
    restockRate: 0.9,
    restockQuantity: { min: 10, max: 200 },
    userChurnRate: 0.02,
    userBanRate: 0.002,
    shopPauseRate: 0.03,
    shopPauseDays: { min: 1, max: 14 },
    productDraftHours: { min: 1, max: 24 },
    productArchiveRate: 0.02,
    promotionLeadHours: { min: 0, max: 48 },
    refundRate: 0.02,
    returnRate: 0.04,
    refundDelayHours: { min: 12, max: 336 },
    repricingRate: 0.02,
    repricingPercent: { min: 5, max: 30 },
    initialStock: { min: 5, max: 300 },
    reorderPoint: 5,
    restockLeadHours: { min: 4, max: 72 },
    conversionRate: 0.025,
    anonymousShare: 0.55,
    botShare: 0.3,
    productViewsPerSession: { min: 1, max: 8 },
    cartAddRate: 0.1,
    searchRate: 0.4,
    logSampleRate: 0.1,
    apiCapacityPerHour: 0,
    repeatCustomerShare: 0.25,
    domesticOrderShare: 0.8,
  },
});
