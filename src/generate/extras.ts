/**
 * extra_data (issue 8 §5): per table, what a real platform keeps next to the row (channel, device, campaign
 * tags, gateway response codes, tax, variants, ...). Every value is a keyed pick from pools of CSV fields in
 * jsonb's text form, built once (per module or per seed); a value that carries a per-row code (a coupon, a
 * settlement batch) is a pre-encoded template filled into a scratch buffer. No JSON.stringify per row.
 * One function per table, `<table>Extra`, returning the CSV field for ctx.tail().
 */
import { at } from '../at.js';
import { domesticRates, REGIONS } from '../model/tax.js';
import { HUMANS, referrersIn, sessionReferrer, userProfile } from './clients.js';
import { EMPTY_JSON, jsonbField, jsonPool } from './context.js';
import { CARD_MIX } from './country-mix.js';
import { below, field, K, rowKey, unit } from './keyed.js';
import { slotZoneName } from './local-day.js';
import { CURRENCIES, shopCountry, shopCurrency, thresholdFromUsd, userCountry } from './money.js';
import { FLAGSHIP_SHOP } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import { mod } from './pool-index.js';
import { COUNTRY_CODES } from './pools.js';

/** K.text sub-namespaces of extras (text.ts uses 1-15) */
export const X = {
  user: 16,
  method: 17,
  shop: 18,
  product: 19,
  order: 20,
  item: 21,
  payment: 22,
  invoice: 23,
  inventory: 24,
} as const;
const X2 = { promotion: 25, review: 26, event: 27 } as const;

export const pickIn = <T>(xs: readonly T[], r: number): T => {
  const v = xs[mod(r, xs.length)];
  if (v === undefined) throw new Error('internal: pick from an empty extras pool');
  return v;
};
export const cross = <A, B>(as: readonly A[], bs: readonly B[]): [A, B][] =>
  as.flatMap((a) => bs.map((b): [A, B] => [a, b]));

/** country index (into COUNTRY_CODES) of user u and shop s: what users.ts and shops.ts write (money.ts) */
export { shopCountry, userCountry } from './money.js';

// ---- users and their payment methods ----

const LOCALES: Record<string, string> = {
  US: 'en-US',
  CA: 'en-CA',
  GB: 'en-GB',
  DE: 'de-DE',
  FR: 'fr-FR',
  NL: 'nl-NL',
  AU: 'en-AU',
  JP: 'ja-JP',
  MX: 'es-MX',
  BR: 'pt-BR',
  ES: 'es-ES',
  IT: 'it-IT',
  SE: 'sv-SE',
};
const SIGNUP = ['web', 'web', 'web', 'ios', 'android', 'android', 'referral', 'google_oauth'];
/** a user's choices: signup channel x marketing opt-in (4 in 10) */
const USER_CHOICES = cross(SIGNUP, [true, true, false, false, false]);
/** [country slot][choice]: the choices; the slot's time zone (local-day.ts) */
const USER_EXTRA = COUNTRY_CODES.map((cc, slot) =>
  jsonPool(
    USER_CHOICES.map(([c, m]) => ({
      locale: LOCALES[cc] ?? 'en-US',
      time_zone: slotZoneName(slot),
      signup_channel: c,
      marketing_opt_in: m,
    })),
  ),
);
/** user u, whose country is `country` (userCountry: the row has it already) */
export function usersExtra(plan: Plan, u: number, country: number): Uint8Array {
  return pickIn(pickIn(USER_EXTRA, country), userChoice(plan, u));
}
const userChoice = (plan: Plan, u: number): number => field(rowKey(plan.seed, K.text, X.user, u), 1);
/** user u's extra_data marketing_opt_in: gets the newsletter (and its promotions) */
export const userOptedIn = (plan: Plan, u: number): boolean => pickIn(USER_CHOICES, userChoice(plan, u))[1];

const REFERRERS = referrersIn(null);
/** the referrers (indices into referrersIn) other than the newsletter */
const NOT_NEWSLETTER = REFERRERS.flatMap((r, i) => (r.referrer === 'newsletter' ? [] : [i]));
/**
 * The referrer of the session with key `key` (clients.ts sessionReferrer) once its user is known: a signed-in
 * user who did not opt in to the newsletter did not come from it, so another referrer, keyed (field 9000; the
 * sessions' own draws stay below 6000 at the most product views a scenario allows). Anonymous sessions (user
 * -1) keep theirs: whoever clicked is not known. The order's tags and its session's log rows both come from here.
 */
export function userReferrer(plan: Plan, key: number, user: number): number {
  const r = sessionReferrer(key);
  if (
    user < 0 ||
    at(REFERRERS, mod(r, REFERRERS.length)).referrer !== 'newsletter' ||
    userOptedIn(plan, user)
  ) {
    return r;
  }
  return at(NOT_NEWSLETTER, mod(field(key, 9000), NOT_NEWSLETTER.length));
}

const FUNDING = ['credit', 'credit', 'debit', 'debit', 'debit', 'prepaid'];
const CARD_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool(FUNDING.map((f) => ({ funding: f, billing_country: cc, issuer_country: cc }))),
);
/** a wallet's card: the networks of its billing country, in their shares (country-mix.ts) */
const WALLET_EXTRA = COUNTRY_CODES.map((cc, slot) =>
  jsonPool(
    at(CARD_MIX, slot).names.map((n) => ({
      tokenized: true,
      card_network: Buffer.from(n).toString(),
      billing_country: cc,
    })),
  ),
);
const methodKey = (plan: Plan, u: number, slot: number): number =>
  rowKey(plan.seed, K.text, X.method, rowKey(u, 0, 0, slot));
/**
 * The country (slot) payment method `slot` of user u is billed in, and a card issued in: the user's
 * (`country`, userCountry), 1 in 20 elsewhere. Its provider is drawn from that country's mix (country-mix.ts).
 */
export function methodCountry(plan: Plan, u: number, slot: number, country: number): number {
  const key = methodKey(plan, u, slot);
  return unit(key, 1) < 0.95 ? country : below(key, 2, COUNTRY_CODES.length);
}
/**
 * extra_data of payment method `slot` of user u, billed in `c` (methodCountry); wallet: the method is a wallet
 * (paypal, apple_pay, google_pay), else a card
 */
export function userPaymentMethodExtra(
  plan: Plan,
  u: number,
  slot: number,
  wallet: boolean,
  c: number,
): Uint8Array {
  const key = methodKey(plan, u, slot);
  if (!wallet) return pickIn(at(CARD_EXTRA, c), field(key, 3));
  return pickIn(at(WALLET_EXTRA, c), at(at(CARD_MIX, c).table, field(key, 3) & 255));
}

// ---- shops, products, promotions ----

export const GATEWAYS = [
  'stripe',
  'stripe',
  'stripe',
  'adyen',
  'adyen',
  'braintree',
  'checkout_com',
  'paypal',
];
/** payment gateway of shop s (its merchant account): payments and settlements name it */
export const shopGateway = (plan: Plan, s: number): number =>
  mod(field(rowKey(plan.seed, K.text, X.shop, s), 1), GATEWAYS.length);
const TIERS = ['basic', 'basic', 'basic', 'plus', 'plus', 'pro', 'enterprise'];
const RETURN_DAYS = [14, 30, 30, 30, 60];
/** per gateway, a pool of every (tier, return days), tier-major, with `more` (a shop's tax_region) */
const shopExtraPools = (more: Record<string, string> = {}): Uint8Array[][] =>
  GATEWAYS.map((g) =>
    jsonPool(
      cross(TIERS, RETURN_DAYS).map(([tier, days]) => ({
        tier,
        payment_gateway: g,
        ships_international: tier !== 'basic',
        return_policy_days: days,
        ...more,
      })),
    ),
  );
const SHOP_EXTRA = shopExtraPools();
/**
 * The same with the shop's state or province where a country's sales tax goes by it (US, CA: "tax_region"),
 * per country index, per region: what the invoices name and the orders add (salesTaxMilli).
 */
const REGIONAL_BY_CODE = new Map(
  Object.entries(REGIONS).map(([cc, regions]) => [
    cc,
    regions.map(([region]) => shopExtraPools({ tax_region: region })),
  ]),
);
/**
 * ... by country slot: the slots of one country share its pools (COUNTRY_CODES has 64 slots, a country's share:
 * pools per slot were ~50,000 fields, +20 MB of peak RSS at --scale 5)
 */
const REGIONAL_SHOP_EXTRA = COUNTRY_CODES.map((cc) => REGIONAL_BY_CODE.get(cc) ?? []);
/** shop s's tier and return policy: an index into a SHOP_EXTRA pool, tier-major; the flagship is enterprise */
const shopTierDays = (plan: Plan, s: number): number =>
  s === FLAGSHIP_SHOP
    ? (TIERS.length - 1) * RETURN_DAYS.length +
      mod(field(rowKey(plan.seed, K.text, X.shop, s), 2), RETURN_DAYS.length)
    : mod(field(rowKey(plan.seed, K.text, X.shop, s), 2), TIERS.length * RETURN_DAYS.length);
export function shopExtra(plan: Plan, s: number): Uint8Array {
  const regional = at(REGIONAL_SHOP_EXTRA, shopCountry(plan, s));
  const pools = regional.length > 0 ? pickIn(regional, shopTaxRegion(plan, s)) : SHOP_EXTRA;
  return pickIn(pickIn(pools, shopGateway(plan, s)), shopTierDays(plan, s));
}

/**
 * Shop s's state or province: an index into domesticRates of its country (0 where the country has one rate).
 * Simplified on purpose (src/model/tax.ts): a shop collects the tax of where it is (origin).
 */
export const shopTaxRegion = (plan: Plan, s: number): number =>
  mod(field(rowKey(plan.seed, K.text, X.invoice, s), 1), at(TAX_RATES, shopCountry(plan, s)));
/** per country index, how many domestic rates it has (its states' or provinces', else 1): no array per row */
const TAX_RATES = COUNTRY_CODES.map((cc) => domesticRates(cc).length);

/** per country index, per region: its sales tax in thousandths of a percent (7.25% -> 7250); none elsewhere */
const ADDED_TAX = COUNTRY_CODES.map((cc) => (REGIONS[cc] ?? []).map(([, rate]) => Math.round(rate * 1000)));

/**
 * The sales tax added on top of the price of an order at shop s by buyer u, thousandths of a percent: the shop's
 * state or province rate on a sale inside the US or Canada, whose prices are without it; 0 for every other sale
 * (VAT is in the price; a sale abroad is an export or, inside the EU, OSS VAT in the price: invoiceExtra).
 */
export function salesTaxMilli(plan: Plan, s: number, u: number): number {
  const c = shopCountry(plan, s);
  const rates = at(ADDED_TAX, c);
  if (rates.length === 0 || COUNTRY_CODES[userCountry(plan, u)] !== COUNTRY_CODES[c]) return 0;
  return at(rates, shopTaxRegion(plan, s));
}
/** shop s's extra_data ships_international: every tier but basic (orders of the others are domestic) */
export const shopShipsAbroad = (plan: Plan, s: number): boolean =>
  TIERS[Math.floor(shopTierDays(plan, s) / RETURN_DAYS.length)] !== 'basic';

/** a promotion's minimum basket (subtotal) in USD, and in each currency (money.ts): orders below it do not get it */
const MIN_BASKETS_USD = [0, 0, 25, 50, 100];
const MIN_BASKETS = CURRENCIES.map((_, c) => MIN_BASKETS_USD.map((usd) => thresholdFromUsd(usd, c)));
const CHANNELS = ['email', 'onsite', 'social', 'affiliate', 'sms'];
/**
 * Who a promotion is for. `newsletter` holds: only users with marketing_opt_in get it (drawOrder). The others
 * are labels only: `new_customers` and `returning` would need to know, when the order is drawn, whether its buyer
 * bought at the shop before (the stock pass finds that out afterwards), and no column says who is a vip.
 */
const AUDIENCES = ['all', 'all', 'new_customers', 'returning', 'vip', 'newsletter'];
const PROMO_EXTRA = MIN_BASKETS.map((mins) =>
  jsonPool(
    cross(CHANNELS, cross(AUDIENCES, mins)).map(([channel, [audience, min]]) => ({
      channel,
      audience,
      min_basket: min,
      stackable: min === 0,
    })),
  ),
);
/** the pool's entries that are for the newsletter's readers (the same entries in every currency) */
const FOR_READERS = cross(CHANNELS, cross(AUDIENCES, MIN_BASKETS_USD)).map(([, [a]]) => a === 'newsletter');
const promoEntry = (plan: Plan, i: number): number =>
  mod(field(rowKey(plan.seed, K.text, X2.promotion, i), 1), PROMO_EXTRA[0]?.length ?? 1);
const promoCurrency = (plan: Plan, i: number): number => shopCurrency(plan, plan.promoShop[i] ?? 0);
export function shopPromotionExtra(plan: Plan, i: number): Uint8Array {
  return pickIn(pickIn(PROMO_EXTRA, promoCurrency(plan, i)), promoEntry(plan, i));
}
/** promotion i's extra_data audience is `newsletter`: only users with marketing_opt_in get it */
export const promotionForReaders = (plan: Plan, i: number): boolean => at(FOR_READERS, promoEntry(plan, i));
/** promotion i's extra_data min_basket, in hundredths of its shop's currency (the order amounts' unit) */
export const promotionMinBasket = (plan: Plan, i: number): number =>
  100 * at(pickIn(MIN_BASKETS, promoCurrency(plan, i)), promoEntry(plan, i) % MIN_BASKETS_USD.length);

// ---- reviews ----

/** helpful votes: mostly none, a long tail */
const VOTES = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 7, 9, 12, 18, 27, 41];
/** [rating - 1][choice]; photos are likelier on 5- and 1-star reviews */
const REVIEW_EXTRA = [0.2, 0.08, 0.06, 0.1, 0.25].map((photo) =>
  jsonPool(
    cross(VOTES, [0, 1, 2, 3]).map(([v, i]) => ({
      has_photo: i < photo * 4 || (i === 3 && photo >= 0.2),
      helpful_votes: v,
      verified_purchase: true,
    })),
  ),
);
export function shopReviewExtra(key: number, rating: number): Uint8Array {
  const k = rowKey(key, K.text, X2.review, 0);
  return pickIn(pickIn(REVIEW_EXTRA, Math.min(5, Math.max(1, rating)) - 1), field(k, 1));
}

// ---- the registry: which service wrote the row, and who acted ----

/** source service per entity kind (K) */
const SOURCE: Record<number, string> = {
  [K.user]: 'accounts',
  [K.paymentMethod]: 'wallet',
  [K.shop]: 'merchants',
  [K.product]: 'catalog',
  [K.promotion]: 'marketing',
  [K.order]: 'checkout',
  [K.item]: 'checkout',
  [K.payment]: 'payments',
  [K.invoice]: 'billing',
  [K.invoicePayment]: 'billing',
  [K.review]: 'reviews',
  [K.refund]: 'payments',
};
const ENTITY_EXTRA = new Map<number, Uint8Array>(
  Object.entries(SOURCE).map(([k, source]) => [
    Number(k),
    jsonbField({ source: `${source}-service`, schema_version: Number(k) % 3 === 0 ? 2 : 3 }),
  ]),
);
/** global_entity: the service that owns the entity's table */
export function globalEntityExtra(kind: number): Uint8Array {
  return ENTITY_EXTRA.get(kind) ?? EMPTY_JSON;
}

/** who acts in the events of an entity kind: the buyer, the shop's staff, or the platform */
const ACTOR: Record<number, readonly string[]> = {
  [K.user]: ['user'],
  [K.paymentMethod]: ['system'],
  [K.shop]: ['shop_owner'],
  [K.product]: ['shop_owner', 'shop_owner', 'shop_staff', 'system'],
  [K.promotion]: ['shop_owner', 'shop_staff', 'scheduler'],
  [K.order]: ['user'],
  [K.payment]: ['system'],
  [K.invoice]: ['system'],
  [K.review]: ['user'],
  [K.refund]: ['shop_staff', 'support_agent', 'system'],
};
/** the clients of user actions: the channels of the session clients (clients.ts), in their order */
const CLIENTS = [...new Set(HUMANS.map((c) => c.channel))];
const HUMAN_CLIENT = HUMANS.map((c) => CLIENTS.indexOf(c.channel));
const EVENT_EXTRA = new Map<number, Uint8Array[]>(
  Object.entries(ACTOR).map(([k, actors]) => {
    const source = `${SOURCE[Number(k)] ?? 'platform'}-service`;
    const objects = actors.flatMap((actor) =>
      actor === 'user'
        ? CLIENTS.map((client) => ({ actor, client, source, schema_version: 2 }))
        : [{ actor, source, schema_version: 2 }],
    );
    return [Number(k), jsonPool(objects)];
  }),
);
/**
 * global_event about entity (kind, hi, lo) by user (-1: none): source service, actor kind, and for a user's
 * action the client of that user's sessions (the same as their requests and orders show)
 */
export function globalEventExtra(plan: Plan, kind: number, hi: number, lo: number, user: number): Uint8Array {
  const pool = EVENT_EXTRA.get(kind);
  if (!pool) return EMPTY_JSON;
  if (user >= 0 && ACTOR[kind]?.[0] === 'user')
    return pickIn(pool, at(HUMAN_CLIENT, mod(userProfile(plan, user), HUMANS.length)));
  return pickIn(pool, field(rowKey(plan.seed, K.text, X2.event, rowKey(kind, hi, lo, 0)), 1));
}
