/**
 * What a scenario file may hold, as one TypeBox definition: ajv validates files against it, ScenarioFile is
 * the type of a valid file, and `npm run schemas` writes it to scenarios/scenario.schema.json for editors.
 * Field help is scenarios/README.md's tables. Property order is the order fields are checked and listed in
 * messages. What a schema cannot say (min <= max, unique event names, windows, limits) is in load.ts.
 */
import { type Static, Type } from 'typebox';
import { CURRENCY_CODES } from '../model/currencies.js';
import { defaults } from './defaults.js';
import { Instant, Int, Mapping, Num, OneOf, Probability, Range, Text, Weights } from './schema-kit.js';
import { RATE_NAMES } from './types.js';

/** A year of hourly partitions; longer windows are more likely a typo than a plan. */
export const MAX_HOURS = 8760;
export const UINT32_MAX = 4_294_967_295;
const MAX_RATE = 10_000_000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const d = defaults.distributions;

const Window = Mapping(
  {
    start: Type.Optional(
      Instant({
        title: 'First hour generated',
        description:
          'Hour-aligned UTC time, like 2026-11-27T00:00:00Z or 2026-11-27. A fixed default, never "now".',
        default: iso(defaults.start),
      }),
    ),
    hours: Type.Optional(
      Int(1, MAX_HOURS, {
        title: 'Number of hours',
        description: '1-8760: the number of hourly partitions per table.',
        default: defaults.hours,
      }),
    ),
  },
  { title: 'The time span generated', description: '--start and --hours override it.' },
);

const Population = Mapping(
  {
    users: Int(1, 100_000_000, { title: 'Users that exist before the window' }),
    shop_owners: Int(1, 100_000_000, {
      title: 'How many of those users own shops',
      description: '1 to population.users.',
    }),
    shops_per_owner: Range(1, 1000, { title: 'Shops per owner', description: '{min, max}, 1-1000.' }),
    // min 1: an order needs a product in its shop.
    products_per_shop: Range(1, 100_000, {
      title: 'Initial products per shop',
      description: '{min, max}, 1-100000; sizes skewed by distributions.shop_size_skew.',
    }),
    // min 1: every payment is made with one of the user's payment methods.
    payment_methods_per_user: Range(1, 20, {
      title: 'Stored payment methods per user',
      description: '{min, max}, 1-20.',
    }),
    promotions: Int(0, 10_000_000, { title: 'Promotions already running at the window start' }),
  },
  {
    title: 'What exists before the window',
    description:
      'Every field required. --scale multiplies these counts (the file holds the unscaled values).',
  },
);

const RATE_HELP: Record<(typeof RATE_NAMES)[number], string> = {
  signups: 'New users per hour.',
  new_shops: 'New shops per hour (opened by existing users).',
  new_products: 'Products added to existing shops per hour.',
  orders: 'Orders (carts) per hour; almost every other row follows from them. Must be > 0.',
  promotions: 'Promotions started per hour.',
};

const rate = (name: (typeof RATE_NAMES)[number]) =>
  // Orders drive almost every table; a scenario without them generates next to nothing.
  name === 'orders'
    ? Num({ exclusiveMinimum: 0, maximum: MAX_RATE }, { description: RATE_HELP[name] })
    : Num({ minimum: 0, maximum: MAX_RATE }, { description: RATE_HELP[name] });

const Rates = Mapping(
  {
    signups: rate('signups'),
    new_shops: rate('new_shops'),
    new_products: rate('new_products'),
    orders: rate('orders'),
    promotions: rate('promotions'),
  },
  {
    title: 'Arrivals per hour',
    description: 'At rhythm 1.0, outside events, before --scale. Every field required.',
  },
);

const Rhythm = Type.Array(Num({ minimum: 0, maximum: 100 }), {
  minItems: 24,
  maxItems: 24,
  contains: { type: 'number', exclusiveMinimum: 0 },
  title: 'Multiplier per UTC hour of day',
  description: 'Exactly 24 numbers 0-100, index = UTC hour (rhythm[0] is 00:00-01:00), at least one > 0.',
  default: [...defaults.rhythm],
  messages: { expected: 'a list of exactly 24 numbers from 0 to 100, one per UTC hour of the day (0-23)' },
});

const Event = Mapping({
  name: Text({ title: 'Event name', description: 'Non-empty, unique among events; shown in reports.' }),
  start: Instant({
    title: 'First hour of the event',
    description: 'Hour-aligned UTC time. The event must overlap the window.',
  }),
  hours: Int(1, MAX_HOURS, { title: 'Length in hours' }),
  multiplier: Num({ minimum: 0, maximum: 1000 }, { title: 'Applied to the rates below (0 = outage)' }),
  applies_to: Type.Optional(
    Type.Array(OneOf(RATE_NAMES, {}, { suggest: true }), {
      minItems: 1,
      uniqueItems: true,
      title: 'Which rates it multiplies',
      description: 'Default: all five.',
      messages: {
        expected: `a non-empty list of rate names from: ${RATE_NAMES.join(', ')}`,
        unique: 'each rate name at most once',
      },
    }),
  ),
});

const Events = Type.Array(Event, {
  title: 'Periods that multiply rates',
  description: 'Overlapping events multiply.',
  messages: { expected: `a list of events, each with: ${Object.keys(Event.properties).join(', ')}` },
});

const skew = (title: string, value: number) =>
  Type.Optional(
    Num({ minimum: 0, maximum: 10 }, { title, description: '0-10; 0 = uniform.', default: value }),
  );
const probability = (belowOne: boolean, title: string, value: number) =>
  Type.Optional(
    Probability(belowOne, { title, description: belowOne ? '0 to < 1.' : '0-1.', default: value }),
  );
const range = (lo: number, hi: number, title: string, value: { min: number; max: number }) =>
  Type.Optional(Range(lo, hi, { title, description: `{min, max}, ${lo}-${hi}.`, default: { ...value } }));

/**
 * A lifecycle rate (issue 8 §1): changes per entity per 30 days, as exponential waiting times keyed per entity,
 * so 0.02 is about 2% a month. Above 1 is allowed: a short window (tiny's 3 hours) shows a change only at rates
 * far above a real shop's.
 */
const MAX_MONTHLY_RATE = 100;
const monthly = (title: string, value: number) =>
  Type.Optional(
    Num(
      { minimum: 0, maximum: MAX_MONTHLY_RATE },
      {
        title,
        description: `0-${MAX_MONTHLY_RATE} per entity per 30 days (0.02 ~ 2% a month; 0 = never).`,
        default: value,
      },
    ),
  );

const Lifecycles = {
  user_churn_rate: monthly('Rate at which users turn inactive (shop owners stay active)', d.userChurnRate),
  user_ban_rate: monthly('Rate at which users are banned (shop owners stay active)', d.userBanRate),
  shop_pause_rate: monthly('Rate at which shops pause', d.shopPauseRate),
  shop_pause_days: range(1, 365, 'How long a shop pause lasts, days', d.shopPauseDays),
  // 0: a product listed in the window is active at once.
  product_draft_hours: range(0, MAX_HOURS, 'Hours a new product stays draft', d.productDraftHours),
  product_archive_rate: monthly('Rate at which active products are archived', d.productArchiveRate),
  promotion_lead_hours: range(
    0,
    MAX_HOURS,
    'Hours a new promotion is announced (scheduled) before it starts',
    d.promotionLeadHours,
  ),
  // refund_rate + return_rate <= 1 is checked in load.ts.
  refund_rate: probability(false, 'Share of paid orders later refunded (items kept)', d.refundRate),
  return_rate: probability(false, 'Share of paid orders later returned (items back in stock)', d.returnRate),
  // >= 1 hour: like a review, a refund comes after its order.
  refund_delay_hours: range(1, MAX_HOURS, 'Hours from an order to its refund or return', d.refundDelayHours),
};

const Stock = {
  repricing_rate: probability(false, 'Share of products repriced per day', d.repricingRate),
  // <= 90: a 100% cut would make the product free.
  repricing_percent: range(1, 90, 'Size of a price change, percent of the old price', d.repricingPercent),
  initial_stock: range(
    0,
    1_000_000,
    'Stock of a product when it is listed (a floor: restocked products get stock for their expected demand)',
    d.initialStock,
  ),
  reorder_point: Type.Optional(
    Int(0, 1_000_000, {
      title:
        'Stock at or below which a sale triggers a restock (a floor: lead time x expected demand when larger)',
      description: '0-1000000; for the products restock_rate says are restocked.',
      default: d.reorderPoint,
    }),
  ),
  restock_lead_hours: range(
    1,
    MAX_HOURS,
    'Hours from the triggering sale to the restock',
    d.restockLeadHours,
  ),
};

const Traffic = {
  // > 0: every order is the checkout of a session; < 1: some sessions only browse.
  conversion_rate: Type.Optional(
    Num(
      { exclusiveMinimum: 0, exclusiveMaximum: 1 },
      {
        title: 'Share of browsing sessions that create an order',
        description: '> 0 and < 1; sessions = orders / conversion_rate.',
        default: d.conversionRate,
      },
    ),
  ),
  anonymous_share: probability(
    false,
    'Share of the non-buying sessions that are anonymous (no user)',
    d.anonymousShare,
  ),
  bot_share: Type.Optional(
    Num(
      { minimum: 0, maximum: 10 },
      { title: 'Bot (crawler) sessions per human session', description: '0-10.', default: d.botShare },
    ),
  ),
  product_views_per_session: range(1, 100, 'Product pages viewed per session', d.productViewsPerSession),
  cart_add_rate: probability(
    false,
    'Share of the non-buying sessions that add something to a cart',
    d.cartAddRate,
  ),
  search_rate: probability(false, 'Share of sessions that search', d.searchRate),
  // > 0: a log without any session would leave page views and cart adds without a source.
  log_sample_rate: Type.Optional(
    Num(
      { exclusiveMinimum: 0, maximum: 1 },
      {
        title: 'Share of sessions written to request_response_log',
        description: '> 0 and <= 1; a sampled session is logged with all its requests.',
        default: d.logSampleRate,
      },
    ),
  ),
  api_capacity_per_hour: Type.Optional(
    Num(
      { minimum: 0, maximum: 1e12 },
      {
        title: 'Requests per hour the API serves at 100% utilisation, before --scale',
        description: '0-1e12; 0 = 1.15x the busiest hour of the window.',
        default: d.apiCapacityPerHour,
      },
    ),
  ),
  repeat_customer_share: probability(
    false,
    'Share of orders placed by regular customers (5% of users); the rest by anyone',
    d.repeatCustomerShare,
  ),
  domestic_order_share: probability(
    false,
    "Share of the orders of shops that ship abroad placed by buyers of the shop's country (shops that do not, " +
      'the basic tier, sell only at home)',
    d.domesticOrderShare,
  ),
};

const Distributions = Mapping(
  {
    items_per_order: Type.Optional(
      Weights(1, 20, {
        title: 'Distinct products per order',
        description: 'Default {1: 45, 2: 25, 3: 14, 4: 8, 5: 5, 6: 3}.',
      }),
    ),
    quantity_per_item: Type.Optional(
      Weights(1, 99, {
        title: 'Units of one product in an order',
        description: 'Default {1: 80, 2: 12, 3: 5, 4: 2, 5: 1}.',
      }),
    ),
    product_popularity_skew: skew(
      'Zipf exponent of product popularity inside a shop',
      d.productPopularitySkew,
    ),
    shop_popularity_skew: skew('Zipf exponent of shop popularity across shops', d.shopPopularitySkew),
    shop_size_skew: skew('Skew of initial shop sizes within products_per_shop', d.shopSizeSkew),
    price_cents: range(
      1,
      100_000_000,
      "Bounds of product unit prices, cents (each drawn in its noun's usual range, cut to these)",
      d.priceCents,
    ),
    // < 1: with every attempt failing no order could ever be paid.
    payment_failure_rate: probability(
      true,
      'Probability that one payment attempt fails',
      d.paymentFailureRate,
    ),
    payment_max_retries: Type.Optional(
      Int(0, 5, { title: 'Retries after a failed first attempt (0 = none)', default: d.paymentMaxRetries }),
    ),
    review_rate: probability(false, 'Share of completed orders that get a review', d.reviewRate),
    // >= 1 hour: a review is written after the order, in a later hourly partition.
    review_delay_hours: range(1, MAX_HOURS, 'Hours from order to review', d.reviewDelayHours),
    promotion_use_rate: probability(
      false,
      'Share of orders that use an active promotion',
      d.promotionUseRate,
    ),
    promotion_discount_percent: range(1, 90, 'Discount of a promotion, percent', d.promotionDiscountPercent),
    promotion_duration_hours: range(1, MAX_HOURS, 'How long a promotion runs', d.promotionDurationHours),
    // < 1: with every cart abandoned there would be no payments, invoices or reviews.
    cart_abandonment_rate: probability(
      true,
      'Share of orders abandoned before payment',
      d.cartAbandonmentRate,
    ),
    api_latency_ms: Type.Optional(
      Mapping(
        {
          median: Num({ exclusiveMinimum: 0, maximum: 600_000 }, { description: '> 0 and <= 600000' }),
          p99: Num({ minimum: 0, maximum: 600_000 }, { description: 'median to 600000' }),
        },
        {
          title: 'Log-normal API latency at low load, ms',
          description: '{median, p99}; queueing adds to it as the hour nears api_capacity_per_hour.',
          default: { ...d.apiLatencyMs },
        },
      ),
    ),
    api_error_rate: probability(
      false,
      'Base rate of client errors (4xx other than 429) at low load',
      d.apiErrorRate,
    ),
    restock_rate: probability(
      false,
      'Share of products whose shop restocks them when they run low',
      d.restockRate,
    ),
    restock_quantity: range(
      1,
      1_000_000,
      'Units added by a restock (a floor: the cover of expected demand when larger)',
      d.restockQuantity,
    ),
    ...Lifecycles,
    ...Stock,
    ...Traffic,
  },
  { title: 'Shapes of orders, payments, reviews, ...', description: 'Every field optional, with a default.' },
);

export const ScenarioFile = Mapping(
  {
    name: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
        title: 'Scenario name',
        description: 'Letters, digits, . _ -; 1-64 characters. Default: the file name without extension.',
        messages: { expected: 'a name of letters, digits, ".", "_" or "-" (at most 64)' },
      }),
    ),
    description: Text({ title: 'What the scenario is for', description: 'One line; required.' }),
    seed: Int(0, UINT32_MAX, {
      title: 'Seed of every random choice',
      description: 'Integer 0-4294967295; same seed, same data.',
    }),
    window: Type.Optional(Window),
    population: Population,
    rates: Rates,
    rhythm: Type.Optional(Rhythm),
    events: Type.Optional(Events),
    reporting_currency: Type.Optional(
      OneOf(
        CURRENCY_CODES,
        {
          title: 'Currency in which metric tables and reports add money up',
          description: `One of ${CURRENCY_CODES.join(', ')}, at the fixed rates of src/model/currencies.ts.`,
          default: defaults.reportingCurrency,
        },
        { suggest: true },
      ),
    ),
    distributions: Type.Optional(Distributions),
  },
  {
    title: 'data-playground scenario',
    description: 'What data to generate (gen --scenario FILE). Documented in scenarios/README.md.',
  },
);

export type ScenarioFile = Static<typeof ScenarioFile>;
export type DistributionsFile = NonNullable<ScenarioFile['distributions']>;
