/**
 * The shape of a browsing session (the shares sessions.ts draws with, and the mean requests that follow,
 * which set the API's load) and the record sessions.ts builds one in, in place: its kind, user, client and
 * requests (typed arrays, no allocation per session or request). api-log.ts writes it, hourTraffic adds it up.
 */
import { field, unit, zipf } from './keyed.js';
import type { Plan } from './plan-type.js';

export const BUYING = 0;
export const BROWSING = 1;
export const BOT = 2;

/** requests per session at most (a buying session of 20 items: ~60) */
export const MAX_SESSION_REQUESTS = 64;

/** search terms: a shopper's words for the categories (the q of GET /api/search) */
export const SEARCH_WORDS = [
  'shoes',
  'jacket',
  'headphones',
  'coffee maker',
  'lamp',
  'lego',
  'smartwatch',
  'sofa',
  'laptop',
  'gift',
  'dress',
  'sneakers',
  'tv',
  'air fryer',
  'backpack',
  'perfume',
  'phone case',
  'board game',
  'blender',
  'hoodie',
  'jeans',
  'vacuum',
  'skincare',
  'toys',
];

/** shares of how a human session starts: home page, a category page, else straight on a product page */
export const ENTRY_HOME = 0.45;
export const ENTRY_CATEGORY = 0.2;
/** signed-in browsing sessions that start with a login (the others carry a session cookie) */
export const LOGIN_SHARE = 0.15;
/** a browsing session that adds to its cart adds a second product this often */
export const SECOND_ADD = 0.3;
/** moving on to another shop between two product views */
export const SHOP_SWITCH = 0.3;
export const BOT_ROBOTS = 0.3;
export const BOT_SITEMAP = 0.1;
export const BOT_PAGES: [number, number] = [2, 8];
export const BOT_PRODUCT_SHARE = 0.7;

/** mean requests of each kind of session, before sampling, from the session shapes below */
function meanRequests(plan: Plan): { buying: number; browsing: number; bot: number } {
  const d = plan.scenario.distributions;
  const views = (d.productViewsPerSession.min + d.productViewsPerSession.max) / 2;
  let items = 0;
  d.itemsPerOrder.values.forEach((v, i) => {
    items += v * (d.itemsPerOrder.weights[i] ?? 0);
  });
  const entry = ENTRY_HOME + ENTRY_CATEGORY;
  return {
    buying: ENTRY_HOME + d.searchRate + Math.max(0, views - items) + 2 * items + 1 + 1.1 + 1.5,
    browsing:
      entry + (1 - d.anonymousShare) * LOGIN_SHARE + d.searchRate + views + d.cartAddRate * (1 + SECOND_ADD),
    bot: BOT_ROBOTS + BOT_SITEMAP + (BOT_PAGES[0] + BOT_PAGES[1]) / 2,
  };
}

/** all requests (logged or not) per order of an hour: the load an order's hour carries per order */
export function requestsPerOrder(plan: Plan): number {
  const d = plan.scenario.distributions;
  const cr = Math.max(1e-6, d.conversionRate);
  const m = meanRequests(plan);
  return m.buying + (1 / cr - 1) * m.browsing + (1 / cr) * d.botShare * m.bot;
}

/** think times between two requests of a session, log-uniform 1 s to 60 s, by quantile (no pow per request) */
const THINK = new Float64Array(1024).map((_, i) => Math.round(1000 * 60 ** ((i + 0.5) / 1024)));

export function think(key: number, f: number): number {
  // 1024 quantiles, then uniform jitter inside the step
  const v = field(key, f);
  return (THINK[v & 1023] ?? 1000) + ((v >>> 10) % 97);
}

/**
 * Popularity ranks of n shops by quantile, for a table lookup per pick instead of a pow: rank bounds of 4096
 * equal slices of zipf's unit interval; a pick is uniform within its slice's bounds (piecewise uniform zipf).
 */
export const SLICES = 4096;
export function zipfSlices(n: number, skew: number): Float64Array {
  const out = new Float64Array(SLICES + 1);
  for (let k = 0; k <= SLICES; k++) out[k] = zipf(Math.min(k / SLICES, 1 - 1e-12), n, skew);
  return out;
}

/** keyed stochastic rounding */
export function keyedRound(x: number, key: number, f: number): number {
  const whole = Math.floor(x);
  return whole + (unit(key, f) < x - whole ? 1 : 0);
}

/** One session, built in place (no allocation per session or request). Arrays are read below n. */
export class Session {
  index = 0;
  key = 0;
  kind = BROWSING;
  /** user index, -1 anonymous or bot */
  user = -1;
  /** the buying session's order index in its hour, -1 otherwise */
  order = -1;
  /** index into the client profiles (api-log.ts) */
  profile = 0;
  referrer = 0;
  n = 0;
  readonly time = new Float64Array(MAX_SESSION_REQUESTS);
  readonly route = new Int32Array(MAX_SESSION_REQUESTS);
  /** 0 until resolved */
  readonly status = new Int32Array(MAX_SESSION_REQUESTS);
  readonly latency = new Float64Array(MAX_SESSION_REQUESTS);
  readonly bytes = new Int32Array(MAX_SESSION_REQUESTS);
  /** -1 = NULL */
  readonly shop = new Float64Array(MAX_SESSION_REQUESTS);
  readonly product = new Float64Array(MAX_SESSION_REQUESTS);
  /** the request is about the session's order (checkout on) */
  readonly ordered = new Uint8Array(MAX_SESSION_REQUESTS);
  /** search word, -1 when none */
  readonly query = new Int16Array(MAX_SESSION_REQUESTS);

  /** append a request (time and status set later); returns its index */
  add(route: number, shop: number, product: number, ordered: boolean, query = -1): number {
    const r = this.n++;
    this.route[r] = route;
    this.shop[r] = shop;
    this.product[r] = product;
    this.ordered[r] = ordered ? 1 : 0;
    this.query[r] = query;
    this.status[r] = 0;
    return r;
  }
}
