/**
 * request_response_log: the API calls of each order (a function of the order's key), and the two figures of a
 * call the metrics need (latency, failed) without writing the row.
 */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import { type Ctx, jsonPool, pick } from './context.js';
import { below, field, K, normal, rowKey, unit } from './keyed.js';
import { hourOrders, inHour, Order } from './orders.js';
import type { Plan } from './plan.js';

/** request ids per order: (order index * MAX_REQUESTS + n) */
export const MAX_REQUESTS = 64;

const LOG_EXTRA = jsonPool(
  ['chrome', 'safari', 'firefox', 'edge', 'ios-app', 'android-app'].map((ua) => ({ ua })),
);
const enc = (s: string): Uint8Array => Buffer.from(s);

const PATHS = [
  '/api/cart/items',
  '/api/checkout',
  '/api/payments',
  '/api/orders',
  '/api/products',
  '/api/shops',
];
const METHODS = ['POST', 'POST', 'POST', 'GET', 'GET', 'GET'];
const ERROR_CODES = [400, 404, 409, 429, 500, 502, 503];

export interface ApiCall {
  time: number;
  path: number;
  status: number;
  latency: number;
  bytes: number;
}

/** log-normal sigma of the latency distribution, memoised by its two parameters (same value, no log per call) */
let sigmaP99 = Number.NaN;
let sigmaMedian = Number.NaN;
let sigmaValue = 0;
function latencySigma(l: { p99: number; median: number }): number {
  if (l.p99 !== sigmaP99 || l.median !== sigmaMedian) {
    sigmaValue = Math.log(l.p99 / l.median) / 2.326;
    sigmaP99 = l.p99;
    sigmaMedian = l.median;
  }
  return sigmaValue;
}

/** API request n of order o: a function of the order's key. */
export function apiCall(plan: Plan, o: Order, n: number, hourEnd: number, out: ApiCall): ApiCall {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.request, o.hour, o.index * MAX_REQUESTS + n);
  out.time = inHour(o.time + below(key, 1, 120_000), hourEnd);
  out.path = n === 0 ? 0 : field(key, 2) % PATHS.length;
  out.status =
    unit(key, 3) < d.apiErrorRate
      ? pick(ERROR_CODES, field(key, 4))
      : at(METHODS, out.path) === 'POST'
        ? 201
        : 200;
  const sigma = latencySigma(d.apiLatencyMs);
  out.latency = Math.max(1, Math.round(d.apiLatencyMs.median * Math.exp(sigma * normal(key, 5))));
  out.bytes = 200 + (field(key, 7) % 8000);
  return out;
}

/**
 * Latency of API request n of order o, as apiCall computes it; negative when the call failed (status >= 400:
 * every error code is, no success code is). The metrics need only these two, for every call of the hour.
 */
export function apiLatency(plan: Plan, o: Order, n: number): number {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.request, o.hour, o.index * MAX_REQUESTS + n);
  const sigma = latencySigma(d.apiLatencyMs);
  const latency = Math.max(1, Math.round(d.apiLatencyMs.median * Math.exp(sigma * normal(key, 5))));
  return unit(key, 3) < d.apiErrorRate ? -latency : latency;
}

const PATH_BYTES = PATHS.map(enc);
const METHOD_BYTES = METHODS.map(enc);

export function* requestLog(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const c: ApiCall = { time: 0, path: 0, status: 0, latency: 0, bytes: 0 };
  const hourEnd = plan.start + (h + 1) * HOUR_MS;
  const ho = hourOrders(plan, h);
  for (let j = 0; j < ho.count; j++) {
    ho.load(j, o);
    const n = Math.min(o.apiRequests, MAX_REQUESTS);
    for (let r = 0; r < n; r++) {
      apiCall(plan, o, r, hourEnd, c);
      ctx.head(K.request, h, j * MAX_REQUESTS + r, c.time);
      ctx.id(K.user, 0, o.user).comma();
      ctx.id(K.shop, 0, o.shop).comma();
      ctx.id(K.order, h, j).comma();
      w.bytes(pick(METHOD_BYTES, c.path)).comma().bytes(pick(PATH_BYTES, c.path)).comma();
      w.uint(c.status).comma().uint(c.latency).comma().uint(c.bytes).comma();
      ctx.tail(
        c.time,
        c.time + c.latency < hourEnd ? c.time + c.latency : c.time,
        pick(LOG_EXTRA, field(o.key, 500 + r)),
      );
      if (w.full) yield w.take();
    }
  }
}
