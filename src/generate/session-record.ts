/**
 * One browsing session as sessions.ts builds it, in place: its kind, user, client and requests (typed
 * arrays, no allocation per session or request). api-log.ts writes it, hourTraffic adds it up.
 */

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
