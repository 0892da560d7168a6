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
  /** log-normal API latency: median and 99th percentile, milliseconds */
  apiLatencyMs: { median: number; p99: number };
  apiErrorRate: number;
  /** share of products whose shop restocks them when they run low (the others sell out and stay out) */
  restockRate: number;
  /** units a restock adds */
  restockQuantity: IntRange;

  // --- lifecycles (issue 8 §1): rates are per entity per 30 days, times keyed per entity ---
  /** users that turn inactive, per user per 30 days after signing up (a rate: 0.02 ~ 2% a month; may exceed 1) */
  userChurnRate: number;
  /** users banned (status 'banned'), per user per 30 days (a rate, like userChurnRate) */
  userBanRate: number;
  /** shop pauses per shop per 30 days (a rate, like userChurnRate); a pause lasts shopPauseDays */
  shopPauseRate: number;
  shopPauseDays: IntRange;
  /** products listed in the window stay 'draft' this many hours before going 'active' */
  productDraftHours: IntRange;
  /** archivals per product per 30 days after going active (a rate, like userChurnRate) */
  productArchiveRate: number;
  /** promotions created in the window are announced ('scheduled') this many hours before they start */
  promotionLeadHours: IntRange;
  /** share of paid orders later refunded (money back, items kept) */
  refundRate: number;
  /** share of paid orders later returned (money back, items back in stock) */
  returnRate: number;
  /** hours from the order to its refund or return */
  refundDelayHours: IntRange;

  // --- money, prices, stock (§2) ---
  /** share of products repriced per day (a price_changed event each) */
  repricingRate: number;
  /** size of a price change, percent of the old price; a keyed 70% of changes are cuts */
  repricingPercent: IntRange;
  /** stock of a product when it is listed (and of the population at the window start) */
  initialStock: IntRange;
  /** a sale that leaves stock at or below this triggers a restock (for restocked products) */
  reorderPoint: number;
  /** hours from the triggering sale to the restock */
  restockLeadHours: IntRange;

  // --- traffic (§3) ---
  /** share of browsing sessions that create an order (shop_order row, any status) */
  conversionRate: number;
  /** share of the non-buying sessions that are anonymous (no user_id) */
  anonymousShare: number;
  /** bot sessions (crawlers) per human session */
  botShare: number;
  /** product pages viewed per session */
  productViewsPerSession: IntRange;
  /** share of non-buying sessions that add something to a cart */
  cartAddRate: number;
  /** share of sessions that search */
  searchRate: number;
  /** share of sessions written to request_response_log (all of a session's requests or none) */
  logSampleRate: number;
  /** requests per hour the API serves at 100% utilisation, before --scale; 0 = 1.15x the window's busiest hour */
  apiCapacityPerHour: number;
  /** share of a window's orders placed by its regular customers (5% of users); the rest by anyone */
  repeatCustomerShare: number;
  /** share of the orders of shops that ship abroad with a buyer of the shop's country */
  domesticOrderShare: number;
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
  /**
   * The `now`-relative --start the window start was resolved from (`now-72h`), when it was one: recorded in
   * the load ledger so a re-run resolves to the same start. The rows depend on `start` alone.
   */
  startFrom?: string;
  hours: number;
  /** volume multiplier; the generator's plan multiplies population counts and rates by it (values here are unscaled) */
  scale: number;
  population: Population;
  /** arrivals per hour at rhythm 1.0 and no event, before scale */
  rates: Record<RateName, number>;
  /** 24 multipliers, index = hour of day (UTC) */
  rhythm: number[];
  events: TrafficEvent[];
  /** currency in which metric tables and reports add money up (ISO 4217, one of src/generate/money.ts) */
  reportingCurrency: string;
  distributions: Distributions;
}

/** What the command line may override. */
export interface ScenarioOverrides {
  hours?: number;
  scale?: number;
  seed?: number;
  /** epoch ms; must be hour-aligned */
  start?: number;
  /** the relative --start that `start` was resolved from (Scenario.startFrom) */
  startFrom?: string;
}
