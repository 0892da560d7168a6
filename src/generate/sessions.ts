/**
 * Browsing sessions (issue 8 §3): the platform's web/API traffic, anonymous and signed-in, bots, with the
 * scenario's funnel; every order is the checkout of one session. request_response_log holds a keyed sample of
 * whole sessions (logSampleRate); the metrics count what the log holds.
 *
 * CONTRACT (bodies owned by the traffic part; the metrics part reads hourTraffic):
 */
import type { Plan } from './plan-type.js';

/** What the logged requests of one window hour add up to, per product, user and shop. */
export interface HourTraffic {
  /** per product index: logged successful product-page views (GET of the product) */
  productViews: Map<number, number>;
  /** per product index: logged successful add-to-cart requests */
  productCartAdds: Map<number, number>;
  /** per user index: [requests, errors (status >= 400), latency ms sum] of the user's logged requests */
  user: Map<number, [number, number, number]>;
  /** per shop index: [requests, errors, latency ms sum] of the logged requests with that shop_id */
  shop: Map<number, [number, number, number]>;
}

export function hourTraffic(_plan: Plan, _h: number): HourTraffic {
  // TODO(i8 traffic): typed-array maps if Map measures too slow
  return { productViews: new Map(), productCartAdds: new Map(), user: new Map(), shop: new Map() };
}
