/**
 * The web/API traffic of request_response_log (issue 8 §3): sessions hold together, anonymous and crawler
 * sessions stay signed out, a buying session's requests fit its order, product views are of live products of
 * their shop, and the busy hours fail more. Each is one pass of aggregates and hash joins.
 */
import { type CheckDef, exceptBoth, H } from '../check.js';

const sessions: CheckDef = {
  name: 'traffic-sessions',
  description:
    'a session (extra_data.session) spans two hours, changes or mixes its user, or runs its funnel out of order (cart adds, checkout, payments, order page)',
  sql: ({ T }) =>
    `SELECT extra_data->>'session' AS session, min(event_time) AS first, max(event_time) AS last,
            count(DISTINCT user_id) AS users, count(user_id) AS signed_in, count(*) AS requests
     FROM ${T('request_response_log')} WHERE extra_data ? 'session'
     GROUP BY 1
     HAVING ${H('min(event_time)')} <> ${H('max(event_time)')}
        OR count(DISTINCT user_id) > 1 OR (count(user_id) > 0 AND count(user_id) < count(*))
        OR max(event_time) FILTER (WHERE path = '/api/cart/items')
           > min(event_time) FILTER (WHERE path = '/api/checkout')
        OR max(event_time) FILTER (WHERE path = '/api/checkout')
           > min(event_time) FILTER (WHERE path = '/api/payments')
        OR max(event_time) FILTER (WHERE path = '/api/payments')
           > min(event_time) FILTER (WHERE path = '/api/orders/{id}')`,
};

const signedOut: CheckDef = {
  name: 'traffic-bots',
  description: 'a crawler request (extra_data.bot) is signed in, posts, or names an order',
  sql: ({ T }) =>
    `SELECT id, event_time, user_id, method, path, shop_order_id FROM ${T('request_response_log')}
     WHERE (extra_data->>'bot')::boolean
       AND (user_id IS NOT NULL OR method <> 'GET' OR shop_order_id IS NOT NULL)`,
};

const orders: CheckDef = {
  name: 'traffic-orders',
  description:
    "a request naming an order is not by the order's user at its shop, comes before it, its checkout is not at " +
    "the order's time, or its client (channel, device) or referrer (and campaign) is not the order's",
  sql: ({ T }) =>
    `SELECT r.id, r.event_time, r.path, r.user_id, o.user_id AS order_user, r.shop_id, o.shop_id AS order_shop,
            o.event_time AS order_time
     FROM ${T('request_response_log')} r LEFT JOIN ${T('shop_order')} o ON o.id = r.shop_order_id
     WHERE r.shop_order_id IS NOT NULL
       AND (o.id IS NULL OR r.user_id IS DISTINCT FROM o.user_id OR r.shop_id IS DISTINCT FROM o.shop_id
            OR r.event_time < o.event_time
            OR (r.path = '/api/checkout' AND r.event_time <> o.event_time)
            OR r.extra_data->>'channel' IS DISTINCT FROM o.extra_data->>'channel'
            OR r.extra_data->>'device' IS DISTINCT FROM o.extra_data->>'device'
            OR r.extra_data->>'referrer' IS DISTINCT FROM o.extra_data->>'utm_source'
            OR r.extra_data->>'campaign' IS DISTINCT FROM o.extra_data->>'utm_campaign')`,
};

// A logged buying session posts one payment request per attempt, at the attempt's time: 201 when it
// succeeded, 402 (Payment Required) when it was declined.
const payments: CheckDef = {
  name: 'traffic-payments',
  description: "the payment POSTs of a logged checkout differ from its order's payment attempts",
  sql: ({ T }) =>
    exceptBoth(
      ['shop_order_id', 'event_time', 'status'],
      `SELECT p.shop_order_id, p.event_time, CASE WHEN p.status = 'succeeded' THEN 201 ELSE 402 END AS status
       FROM ${T('shop_order_payment')} p
       -- a refund (status refunded) is the shop's, days later: not a POST of the buyer's session
       WHERE p.status <> 'refunded' AND p.shop_order_id IN (SELECT shop_order_id FROM ${T('request_response_log')}
                                 WHERE path = '/api/checkout')`,
      `SELECT shop_order_id, event_time, status_code::int AS status FROM ${T('request_response_log')}
       WHERE path = '/api/payments'`,
    ),
};

// Products go draft -> active -> archived (src/generate/lifecycle.ts) and a row holds the last state with
// updated_time = when it was entered: active since updated_time, archived since updated_time (active before).
const products: CheckDef = {
  name: 'traffic-products',
  description: "a request names a product of another shop, or one that was not active at the request's time",
  sql: ({ T }) =>
    `SELECT r.id, r.event_time, r.path, r.shop_id, p.shop_id AS product_shop, p.status, p.updated_time
     FROM ${T('request_response_log')} r JOIN ${T('shop_product')} p ON p.id = r.shop_product_id
     WHERE r.shop_id IS DISTINCT FROM p.shop_id OR p.status = 'draft'
        OR (p.status = 'active' AND r.event_time < p.updated_time)
        OR (p.status = 'archived' AND r.event_time >= p.updated_time)`,
  // each request judged alone against its product
  needsWhole: ['shop_product'],
};

// Load proxy: logged requests per hour (a fixed share of all). Judged only on a day or more whose busiest quarter
// of hours has at least LOAD_SPREAD times the requests of its quietest, with at least MIN_5XX 5xx answers in the
// two: a window without a load rhythm, or with too few 5xx to compare shares, has nothing to show. 5xx come in
// incident minutes, and a small population's sessions make its hours' counts clumpy: tiny (flat rhythm: 1.3x at
// --scale 1) reaches 2-3.2x at --scale 0.1-0.15 from clumping alone, where 5xx are 0-42 and their shares noise;
// black-friday and steady-week show 4-8x down to --scale 0.005, with 17-600 5xx in the two quarters.
export const LOAD_SPREAD = 3;
export const MIN_5XX = 20;
const fiveXx: CheckDef = {
  name: 'traffic-5xx-load',
  description: "the busiest quarter of the window's hours has no higher 5xx share than the quietest quarter",
  sql: ({ T }) =>
    `WITH h AS (SELECT ${H('event_time')} AS b, count(*) AS n, count(*) FILTER (WHERE status_code >= 500) AS e
                FROM ${T('request_response_log')} GROUP BY 1),
          q AS (SELECT n, e, ntile(4) OVER (ORDER BY n, b) AS k FROM h),
          s AS (SELECT count(*) AS hours,
                       sum(n) FILTER (WHERE k = 4) AS busy, sum(e) FILTER (WHERE k = 4) AS busy_5xx,
                       sum(n) FILTER (WHERE k = 1) AS quiet, sum(e) FILTER (WHERE k = 1) AS quiet_5xx FROM q)
     SELECT * FROM s
     WHERE hours >= 24 AND busy >= ${LOAD_SPREAD} * quiet AND quiet > 0 AND busy_5xx + quiet_5xx >= ${MIN_5XX}
       AND busy_5xx::float8 / busy <= quiet_5xx::float8 / quiet`,
};

export const TRAFFIC: CheckDef[] = [sessions, signedOut, orders, payments, products, fiveXx];
