/**
 * A validated, normalised scenario. Everything downstream (generate, load) trusts this shape;
 * only src/scenario/ reads user files. Times are epoch milliseconds, UTC, hour-aligned.
 */

/** Inclusive integer range, drawn uniformly unless a skew says otherwise. */
export interface IntRange {
  min: number;
  max: number;
}

/** A discrete distribution: values[i] with probability weights[i]; weights sum to 1. */
export interface Weighted {
  values: number[];
  weights: number[];
}

/** The per-hour arrival rates a scenario can set, and that events can multiply. */
export const RATE_NAMES = ['signups', 'new_shops', 'new_products', 'orders', 'promotions'] as const;
export type RateName = (typeof RATE_NAMES)[number];

export interface TrafficEvent {
  name: string;
  /** epoch ms, UTC */
  start: number;
  hours: number;
  multiplier: number;
  /** which rates it multiplies */
  appliesTo: RateName[];
}

export interface Population {
  /** users that exist before the window */
  users: number;
  /** users that own shops before the window */
  shopOwners: number;
  shopsPerOwner: IntRange;
  /** initial products per shop; sizes are skewed by distributions.shopSizeSkew within [min, max] */
  productsPerShop: IntRange;
  paymentMethodsPerUser: IntRange;
  /** promotions already running at the window start */
  promotions: number;
}

export interface Distributions {
  itemsPerOrder: Weighted;
  quantityPerItem: Weighted;
  /** Zipf exponent of product popularity inside a shop (0 = uniform) */
  productPopularitySkew: number;
  /** Zipf exponent of shop popularity across shops (0 = uniform) */
  shopPopularitySkew: number;
  /** Zipf-like exponent of initial shop sizes (0 = uniform in productsPerShop) */
  shopSizeSkew: number;
  /** product unit price in cents */
  priceCents: IntRange;
  /** probability that one payment attempt fails */
  paymentFailureRate: number;
  /** retries after a failed first attempt (0 = no retry) */
  paymentMaxRetries: number;
  /** share of completed orders that get a review */
  reviewRate: number;
  /** delay between order and review, in whole hours (min >= 1) */
  reviewDelayHours: IntRange;
  /** share of orders that use an active promotion of their shop when one exists */
  promotionUseRate: number;
  promotionDiscountPercent: IntRange;
  promotionDurationHours: IntRange;
  /** share of carts (orders) abandoned before payment */
  cartAbandonmentRate: number;
  apiRequestsPerOrder: IntRange;
  /** log-normal API latency: median and 99th percentile, milliseconds */
  apiLatencyMs: { median: number; p99: number };
  apiErrorRate: number;
  /** probability that a sale of a product triggers a restock log row */
  restockRate: number;
  restockQuantity: IntRange;
}

export interface Scenario {
  /** scenario name (file base name) */
  name: string;
  /** path of the file it was read from */
  file: string;
  description: string;
  seed: number;
  /** window start, epoch ms UTC, hour-aligned */
  start: number;
  hours: number;
  /** volume multiplier; the generator's plan multiplies population counts and rates by it (values here are unscaled) */
  scale: number;
  population: Population;
  /** arrivals per hour at rhythm 1.0 and no event, before scale */
  rates: Record<RateName, number>;
  /** 24 multipliers, index = hour of day (UTC) */
  rhythm: number[];
  events: TrafficEvent[];
  distributions: Distributions;
}

/** What the command line may override. */
export interface ScenarioOverrides {
  hours?: number;
  scale?: number;
  seed?: number;
  /** epoch ms; must be hour-aligned */
  start?: number;
}
