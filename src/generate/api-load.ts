/**
 * The API under load (issue 8 §3): the routes of the platform's web/API traffic, and the latency and status
 * of a request as functions of its hour's utilisation. Every constant of the shape is in LOAD below; the
 * scenario tunes it with api_latency_ms (latency at low load), api_error_rate (client errors) and
 * api_capacity_per_hour (where saturation starts).
 */
import type { Scenario } from '../scenario/types.js';
import { HOUR_MS } from '../time-units.js';
import { below, field, K, normal, rowKey, unit } from './keyed.js';
import { expectedArrivals, type Plan } from './plan.js';

/**
 * Where the shape comes from:
 * - latency: an M/M/1-like queue's waiting time grows as rho/(1-rho) with utilisation rho; the service time is
 *   the scenario's log-normal. k = 0.5 makes black-friday's peak (rho ~ 0.87 with the default capacity)
 *   ~4x its night (rho ~ 0.07), what load tests of web shops typically show before they shed load.
 * - errors: 404s are the common error of web traffic (stale links, crawlers probing dead URLs: bots get
 *   more); 429s appear as the rate limiter kicks in near saturation (rho^4); 5xx come in bursts: keyed
 *   incident minutes, rare at night, more likely the closer rho is to 1, with most requests of an incident
 *   minute failing (the "everything is on fire for two minutes" of a real incident), plus a faint background.
 * - 400/401/409: client mistakes at the scenario's api_error_rate, whatever the load.
 */
export const LOAD = {
  /** capacity when the scenario sets none: this factor above the scenario's busiest expected hour */
  headroom: 1.15,
  /** utilisation is capped here: a queue at rho -> 1 diverges */
  maxRho: 0.95,
  /** queueing factor 1 + k * rho / (1 - rho) */
  queueK: 0.5,
  /** 429 share = throttle * rho^4 */
  throttle: 0.05,
  /** probability that a minute is an incident minute: base + peak * rho^6 */
  incidentBase: 0.002,
  incidentPeak: 0.25,
  /** share of requests answered 5xx inside an incident minute, and in any other minute */
  incident5xx: 0.4,
  background5xx: 0.0005,
  /** 404 share of product and category pages: humans (stale links) and crawlers (dead URLs) */
  notFoundHuman: 0.015,
  notFoundBot: 0.08,
} as const;

/** 5xx codes inside an incident and their cumulative shares (500 most, then gateway errors) */
const SERVER_ERRORS = [500, 502, 503, 504];
const SERVER_CUMULATIVE = [0.4, 0.65, 0.9, 1];

/** A route: method, path template (ids are in columns), latency factor, response size range in bytes. */
interface Route {
  method: string;
  path: string;
  /** service time relative to the scenario's median (search and payments do more work) */
  cost: number;
  bytes: [number, number];
  /** a client error on this route (api_error_rate) */
  clientError: number;
}

export const R = {
  home: 0,
  category: 1,
  search: 2,
  product: 3,
  cartAdd: 4,
  checkout: 5,
  payment: 6,
  order: 7,
  robots: 8,
  sitemap: 9,
  login: 10,
} as const;

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/', cost: 0.6, bytes: [18_000, 60_000], clientError: 400 },
  { method: 'GET', path: '/api/categories/{slug}', cost: 1, bytes: [8_000, 40_000], clientError: 400 },
  { method: 'GET', path: '/api/search', cost: 1.8, bytes: [4_000, 30_000], clientError: 400 },
  { method: 'GET', path: '/api/products/{id}', cost: 0.8, bytes: [2_000, 9_000], clientError: 400 },
  { method: 'POST', path: '/api/cart/items', cost: 1, bytes: [300, 1_200], clientError: 409 },
  { method: 'POST', path: '/api/checkout', cost: 2, bytes: [600, 2_000], clientError: 409 },
  { method: 'POST', path: '/api/payments', cost: 4, bytes: [200, 700], clientError: 400 },
  { method: 'GET', path: '/api/orders/{id}', cost: 0.8, bytes: [900, 3_500], clientError: 401 },
  { method: 'GET', path: '/robots.txt', cost: 0.1, bytes: [150, 400], clientError: 400 },
  { method: 'GET', path: '/sitemap.xml', cost: 0.5, bytes: [40_000, 400_000], clientError: 400 },
  { method: 'POST', path: '/api/auth/login', cost: 1.5, bytes: [300, 800], clientError: 401 },
];

/** The load of one window hour: utilisation and what follows from it. */
export class HourLoad {
  readonly rho: number;
  readonly queue: number;
  readonly p429: number;
  readonly pIncident: number;
  /** minute m of the hour is an incident minute */
  readonly incident = new Uint8Array(60);
  readonly median: number;
  readonly sigma: number;
  readonly errorRate: number;

  constructor(plan: Plan, h: number, requestsPerOrder: number) {
    const d = plan.scenario.distributions;
    const s = plan.scenario;
    const expected = expectedArrivals(s, 'orders', h) * requestsPerOrder;
    const capacity =
      d.apiCapacityPerHour > 0
        ? d.apiCapacityPerHour * s.scale
        : LOAD.headroom * peakExpectedOrders(plan) * requestsPerOrder;
    this.rho = capacity > 0 ? Math.min(LOAD.maxRho, expected / capacity) : 0;
    this.queue = 1 + (LOAD.queueK * this.rho) / (1 - this.rho);
    this.p429 = LOAD.throttle * this.rho ** 4;
    this.pIncident = LOAD.incidentBase + LOAD.incidentPeak * this.rho ** 6;
    const key = rowKey(plan.seed, K.session, h, -2);
    for (let m = 0; m < 60; m++) this.incident[m] = unit(key, m) < this.pIncident ? 1 : 0;
    this.median = d.apiLatencyMs.median;
    this.sigma = Math.log(d.apiLatencyMs.p99 / d.apiLatencyMs.median) / 2.326;
    this.errorRate = d.apiErrorRate;
  }

  /** latency in ms of a request of `route` answered `status`, from keyed fields f, f+1 */
  latency(key: number, f: number, route: number, status: number): number {
    if (status === 504) return 10_000 + below(key, f, 20_000);
    const cost = ROUTES[route]?.cost ?? 1;
    // rejected early: the limiter and an unavailable backend answer before the queue
    const early = status === 429 ? 0.1 : status === 503 ? 0.2 : 1;
    const base = this.median * Math.exp(this.sigma * normal(key, f));
    return Math.max(1, Math.round(base * cost * early * (early === 1 ? this.queue : 1)));
  }

  /**
   * Status of a request whose outcome no other row fixes, from keyed fields f..f+3: 5xx (incident minutes),
   * 429 (load), 404 (`notFound` share), a client error (api_error_rate), else success.
   */
  status(key: number, f: number, route: number, minute: number, notFound: number): number {
    const p5xx = this.incident[minute] === 1 ? LOAD.incident5xx : LOAD.background5xx;
    const u = unit(key, f);
    if (u < p5xx) {
      const v = unit(key, f + 1);
      let i = 0;
      while (i < SERVER_CUMULATIVE.length - 1 && v >= (SERVER_CUMULATIVE[i] ?? 1)) i++;
      return SERVER_ERRORS[i] ?? 500;
    }
    if (u < p5xx + this.p429) return 429;
    const v = unit(key, f + 2);
    if (v < notFound) return 404;
    if (v < notFound + this.errorRate) return ROUTES[route]?.clientError ?? 400;
    return success(route);
  }

  /** response size of a request, from keyed field f */
  bytes(key: number, f: number, route: number, status: number): number {
    if (status >= 400) return 90 + (field(key, f) % 300);
    const r = ROUTES[route]?.bytes ?? [200, 1000];
    return r[0] + (field(key, f) % (r[1] - r[0] + 1));
  }
}

/** 201 for a POST that creates something, 200 otherwise */
export function success(route: number): number {
  return ROUTES[route]?.method === 'POST' && route !== R.login ? 201 : 200;
}

const peaks = new WeakMap<Plan, number>();

/**
 * The busiest expected order hour of the scenario's curve, whatever the window: a day without events at the
 * rhythm's top, and every hour of every event. The window's own busiest hour would make an hour's latencies
 * depend on --hours (hourly chunks must not: test/unit/generate.test.ts).
 */
export function peakExpectedOrders(plan: Plan): number {
  const hit = peaks.get(plan);
  if (hit !== undefined) return hit;
  const s: Scenario = plan.scenario;
  let peak = s.rates.orders * s.scale * Math.max(...s.rhythm, 0);
  for (const e of s.events) {
    const first = Math.floor((e.start - s.start) / HOUR_MS);
    for (let k = 0; k < e.hours; k++) peak = Math.max(peak, expectedArrivals(s, 'orders', first + k));
  }
  peaks.set(plan, peak);
  return peak;
}
