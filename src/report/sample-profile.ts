/**
 * The data profile of the sample report (sample-report.ts): black-friday's 72 hours as its scenario file
 * describes them (1,500 orders/hour x rhythm x the doorbusters, black-friday, small-business-saturday and
 * weekend-sale events), with mixes of the shape a real load gives. Deterministic: no clock, no Math.random.
 */
import { at } from '../at.js';
import type { DataProfile, ProfileHour, Share } from './types.js';

const START = Date.parse('2026-11-27T00:00:00Z');
const HOUR_MS = 3_600_000;
const RHYTHM = [
  0.6, 0.45, 0.35, 0.3, 0.3, 0.35, 0.5, 0.75, 0.95, 1.1, 1.2, 1.25, 1.3, 1.25, 1.2, 1.2, 1.25, 1.35, 1.5, 1.6,
  1.6, 1.5, 1.25, 0.9,
];

/** black-friday.yaml's events on orders, by hour of the window */
function event(h: number): number {
  if (h < 3) return 4;
  if (h >= 6 && h < 23) return 2.5;
  if (h >= 32 && h < 46) return 1.6;
  if (h >= 48) return 1.4;
  return 1;
}

const jitter = (i: number): number => (i * 0.618_033_988_75) % 1;
const cents = (x: number): number => Math.round(x * 100) / 100;

/** black-friday's busiest hour of orders: its load is 1 */
const PEAK = 1500 * 1.6 * 4;

function hour(h: number): ProfileHour {
  const expectedOrders = 1500 * at(RHYTHM, h % 24) * event(h);
  const orders = Math.round(expectedOrders * (0.95 + 0.1 * jitter(h)));
  const paidOrders = Math.round(orders * (0.84 + 0.02 * jitter(h + 5)));
  const revenue = cents(paidOrders * (96 + 8 * jitter(h + 2)));
  // logged sessions (5% of them): about 12.5 requests per order, humans and bots
  const requests = Math.round(orders * 12.5 * (0.97 + 0.06 * jitter(h + 7)));
  // the API under load: 429s and 5xx rise with the hour's share of the busiest hour's traffic
  const load = expectedOrders / PEAK;
  const rateLimited = Math.round(requests * (0.004 + 0.05 * load ** 3) * (0.9 + 0.2 * jitter(h + 3)));
  const serverErrors = Math.round(requests * (0.001 + 0.012 * load ** 4) * (0.5 + jitter(h + 6)));
  const errors = Math.round(requests * 0.035) + rateLimited + serverErrors;
  return {
    start: new Date(START + h * HOUR_MS).toISOString(),
    expectedOrders,
    plannedOrders: orders,
    orders,
    paidOrders,
    revenue,
    // refunds and returns come 12 h to 14 days later: the window's end sees those of its early orders
    refunded: cents(revenue * 0.03 * Math.max(0, (60 - h) / 60) * (0.8 + 0.4 * jitter(h + 8))),
    requests,
    errors,
    serverErrors,
    rateLimited,
    latencyP50: cents(45 * (1 + 0.6 * load ** 3) + 4 * jitter(h + 1)),
    latencyP95: cents(380 * (1 + 1.5 * load ** 3) + 60 * jitter(h + 4)),
  };
}

const PRODUCTS: [string, number, number][] = [
  ['Wireless Noise-Cancelling Headphones', 41_236.87, 212],
  ['Stainless Steel Espresso Machine', 38_904.51, 151],
  ['Smart 4K Streaming Stick', 35_112.0, 880],
  ['Carbon Road Bike Helmet', 31_877.13, 287],
  ['Merino Wool Running Jacket', 29_640.72, 228],
  ['Cast Iron Dutch Oven', 27_015.49, 311],
  ['Ergonomic Mesh Office Chair', 25_980.05, 95],
  ['Organic Cotton Bath Towels', 24_311.9, 1210],
  ['Compact Dash Cam', 22_764.33, 377],
  ['Leather Chelsea Boots', 21_408.18, 140],
];

export function sampleProfile(): DataProfile {
  const hours = Array.from({ length: 72 }, (_, h) => hour(h));
  const sum = (f: (h: ProfileHour) => number): number => hours.reduce((a, h) => a + f(h), 0);
  const orders = sum((h) => h.orders);
  const paid = sum((h) => h.paidOrders);
  const revenue = cents(sum((h) => h.revenue));
  const refundedValue = cents(sum((h) => h.refunded));
  const requests = sum((h) => h.requests);
  const rateLimited = sum((h) => h.rateLimited);
  const serverErrors = sum((h) => h.serverErrors);
  const refunded = Math.round(paid * 0.004);
  const returned = Math.round(paid * 0.008);
  const outOfStock = Math.round(orders * 0.012);
  const abandoned = Math.round(orders * 0.1);
  const failedOrders = orders - paid - abandoned - outOfStock;
  const attempts = paid + Math.round((orders - abandoned - outOfStock) * 0.07);
  const failed = attempts - paid;
  const topRevenue = PRODUCTS.reduce((a, [, r]) => a + r, 0);
  const share = (name: string, count: number): Share => ({ name, count });
  const part = (n: number, s: number): number => Math.round(n * s);
  // the 4xx other than 402, 404 and 429: api_error_rate, by route
  const clientErrors = Math.round(requests * 0.008);
  const notFound = Math.round(requests * 0.027);
  const declined = failed;
  const ok = requests - clientErrors - notFound - declined - rateLimited - serverErrors;
  const posts = Math.round(ok * 0.14);
  // human sessions of the window: orders / conversion_rate 0.035, 40% more bots, 5% of both logged
  const humans = Math.round(orders / 0.035);
  const sessions = Math.round((humans * 1.4) / 20);
  const botSessions = Math.round((humans * 0.4) / 20);
  const botRequests = Math.round(requests * 0.44);
  return {
    schema: 'data_playground',
    ms: 3_186.4,
    queries: [
      { name: 'orders', ms: 342.4, rows: 3_870 },
      { name: 'payments', ms: 188.9, rows: 6 },
      { name: 'topProducts', ms: 903.1, rows: 10 },
      { name: 'api', ms: 1_027.2, rows: 86 },
      { name: 'funnel', ms: 724.8, rows: 2 },
    ],
    reportingCurrency: 'USD',
    currencies: ['AUD', 'BRL', 'CAD', 'CHF', 'EUR', 'GBP', 'JPY', 'MXN', 'SEK', 'USD'],
    hours,
    orderStatus: [
      share('paid', paid - refunded - returned),
      share('abandoned', abandoned),
      share('payment_failed', failedOrders),
      share('abandoned: out_of_stock', outOfStock),
      share('returned', returned),
      share('refunded', refunded),
    ],
    refunds: [
      { name: 'refunded', count: refunded, value: cents(refundedValue / 3) },
      { name: 'returned', count: returned, value: cents(refundedValue - cents(refundedValue / 3)) },
    ],
    payments: [
      share('succeeded', paid),
      share('failed: card_declined', part(failed, 0.41)),
      share('failed: insufficient_funds', part(failed, 0.3)),
      share('failed: processing_error', part(failed, 0.17)),
      share('refunded', refunded + returned),
      share('failed: expired_card', failed - part(failed, 0.41) - part(failed, 0.3) - part(failed, 0.17)),
    ],
    topProducts: {
      products: PRODUCTS.map(([name, r, units], i) => ({
        id: `0b7c${String(i).padStart(4, '0')}-5a1e-4c3f-9d2b-6f1e8a${String(i).padStart(6, '0')}`,
        name,
        revenue: r,
        units,
      })),
      productsSold: 48_213,
      revenue,
      restRevenue: cents(revenue - topRevenue),
    },
    apiStatus: [
      share('200', ok - posts),
      share('201', posts),
      share('404', notFound),
      share('429', rateLimited),
      share('402', declined),
      share('409', part(clientErrors, 0.45)),
      share('400', part(clientErrors, 0.4)),
      share('503', part(serverErrors, 0.55)),
      share('401', clientErrors - part(clientErrors, 0.45) - part(clientErrors, 0.4)),
      share('500', part(serverErrors, 0.25)),
      share('504', part(serverErrors, 0.12)),
      share(
        '502',
        serverErrors - part(serverErrors, 0.55) - part(serverErrors, 0.25) - part(serverErrors, 0.12),
      ),
    ],
    funnel: [
      share('human sessions', humans),
      share('viewed a product', part(humans, 0.83)),
      share('added to a cart', part(humans, 0.13)),
      share('reached checkout', orders),
      share('paid', paid),
    ],
    traffic: { sampleRate: 0.05, sessions, botSessions, requests, botRequests },
  };
}
