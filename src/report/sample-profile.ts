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

function hour(h: number): ProfileHour {
  const expectedOrders = 1500 * at(RHYTHM, h % 24) * event(h);
  const orders = Math.round(expectedOrders * (0.95 + 0.1 * jitter(h)));
  const paidOrders = Math.round(orders * (0.79 + 0.02 * jitter(h + 5)));
  const requests = Math.round(orders * 7.5);
  const errors = Math.round(requests * 0.02 * (0.9 + 0.2 * jitter(h + 9)));
  return {
    start: new Date(START + h * HOUR_MS).toISOString(),
    expectedOrders,
    plannedOrders: orders,
    orders,
    paidOrders,
    revenue: cents(paidOrders * (96 + 8 * jitter(h + 2))),
    requests,
    errors,
    serverErrors: Math.round(errors * 0.43),
    latencyP50: 60 + Math.round(4 * jitter(h + 1)),
    latencyP95: cents(520 + 60 * jitter(h + 4)),
  };
}

const PRODUCTS: [string, number, number][] = [
  ['Handcrafted Steel Keyboard', 41_236.87, 412],
  ['Ergonomic Granite Chair', 38_904.51, 251],
  ['Recycled Gold Fish', 35_112.0, 880],
  ['Luxurious Bamboo Bike', 31_877.13, 87],
  ['Sleek Cotton Shoes', 29_640.72, 528],
  ['Intelligent Plastic Table', 27_015.49, 311],
  ['Oriental Marble Computer', 25_980.05, 95],
  ['Awesome Wooden Soap', 24_311.9, 1210],
  ['Practical Frozen Sausages', 22_764.33, 977],
  ['Modern Silk Gloves', 21_408.18, 640],
];

export function sampleProfile(): DataProfile {
  const hours = Array.from({ length: 72 }, (_, h) => hour(h));
  const orders = hours.reduce((a, h) => a + h.orders, 0);
  const paid = hours.reduce((a, h) => a + h.paidOrders, 0);
  const revenue = cents(hours.reduce((a, h) => a + h.revenue, 0));
  const requests = hours.reduce((a, h) => a + h.requests, 0);
  const abandoned = Math.round(orders * 0.15);
  const failedOrders = orders - paid - abandoned;
  const attempts = paid + Math.round((orders - abandoned) * 0.26);
  const failed = attempts - paid;
  const topRevenue = PRODUCTS.reduce((a, [, r]) => a + r, 0);
  const share = (name: string, count: number): Share => ({ name, count });
  const errorCodes: [string, number][] = [
    ['503', 0.19],
    ['500', 0.15],
    ['404', 0.15],
    ['429', 0.14],
    ['400', 0.14],
    ['409', 0.14],
    ['502', 0.09],
  ];
  const errors = hours.reduce((a, h) => a + h.errors, 0);
  return {
    schema: 'data_playground',
    ms: 2_431.6,
    queries: [
      { name: 'orders', ms: 312.4, rows: 216 },
      { name: 'payments', ms: 188.9, rows: 5 },
      { name: 'topProducts', ms: 903.1, rows: 10 },
      { name: 'api', ms: 1_027.2, rows: 81 },
    ],
    currencies: ['USD'],
    hours,
    orderStatus: [share('paid', paid), share('abandoned', abandoned), share('payment_failed', failedOrders)],
    payments: [
      share('succeeded', paid),
      share('failed: card_declined', Math.round(failed * 0.27)),
      share('failed: insufficient_funds', Math.round(failed * 0.26)),
      share('failed: expired_card', Math.round(failed * 0.24)),
      share(
        'failed: processing_error',
        failed - Math.round(failed * 0.27) - Math.round(failed * 0.26) - Math.round(failed * 0.24),
      ),
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
      share('201', Math.round(requests * 0.55)),
      share('200', requests - Math.round(requests * 0.55) - errors),
      ...errorCodes.map(([code, s]) => share(code, Math.round(errors * s))),
    ],
    funnel: [
      share('carts created', orders),
      share('checkout (payment attempted)', orders - abandoned),
      share('paid', paid),
    ],
  };
}
