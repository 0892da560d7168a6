/** Promotions, reviews, the inventory log and the business events: each fits the orders it follows. */
import pg from 'pg';
import { CHANGE_EVENT_TYPES } from '../../generate/registry.js';
import { REVIEW_AFTER_REFUND, REVIEW_MIN_HOURS } from '../../generate/review-vocab.js';
import { CURRENCIES } from '../../model/currencies.js';
import { type CheckDef, exceptBoth } from '../check.js';

/** the decimals of an amount in the currency named by `column` (0 for JPY, else 2), as SQL */
const WHOLE_UNITS = (column: string): string => {
  const none = CURRENCIES.filter((c) => c.decimals === 0).map((c) => `'${c.code}'`);
  return none.length === 0 ? '2' : `CASE WHEN ${column} IN (${none.join(', ')}) THEN 0 ELSE 2 END`;
};

const promotions: CheckDef = {
  name: 'promotions',
  description:
    "shop_order's promotion is not of its shop, not running or above the order's subtotal (extra_data " +
    "min_basket), or an item's discount is not round(line_total * percent / 100) (to whole units in a " +
    'currency without decimals: JPY)',
  sql: ({ T }) =>
    `SELECT o.id, o.event_time, o.shop_id, pr.shop_id AS promo_shop, pr.starts_at, pr.ends_at,
            pr.discount_percent, i.id AS item_id, i.line_total, i.discount AS item_discount
     FROM ${T('shop_order')} o
     LEFT JOIN ${T('shop_promotion')} pr ON pr.id = o.shop_promotion_id
     LEFT JOIN ${T('shop_order_item')} i ON i.shop_order_id = o.id
     WHERE (o.shop_promotion_id IS NOT NULL
            AND (pr.id IS NULL OR pr.shop_id <> o.shop_id
                 OR NOT (pr.starts_at <= o.event_time AND o.event_time < pr.ends_at)
                 OR o.subtotal < (pr.extra_data->>'min_basket')::numeric))
        OR i.discount <> round(i.line_total * coalesce(pr.discount_percent, 0) / 100,
                               ${WHOLE_UNITS('o.currency')})`,
  // each order, and each of its items there, judged against its promotion (an item of an order not kept is not
  // read; an order without its items is no violation here: order-totals counts them)
  needsWhole: ['shop_promotion'],
};

const promotionAudience: CheckDef = {
  name: 'promotion-audience',
  description:
    "shop_order's promotion is for the newsletter's readers (extra_data audience), or the order came from the " +
    "newsletter (extra_data utm_source), and its buyer's users.extra_data marketing_opt_in is not true",
  sql: ({ T }) =>
    `SELECT o.id, o.event_time, o.shop_promotion_id, o.extra_data->>'utm_source' AS utm_source, o.user_id,
            u.extra_data->'marketing_opt_in' AS opt_in
     FROM ${T('shop_order')} o
     LEFT JOIN ${T('shop_promotion')} pr ON pr.id = o.shop_promotion_id
     LEFT JOIN ${T('users')} u ON u.id = o.user_id
     WHERE (pr.extra_data->>'audience' = 'newsletter' OR o.extra_data->>'utm_source' = 'newsletter')
       AND (u.extra_data->'marketing_opt_in') IS DISTINCT FROM 'true'::jsonb`,
  // each order judged alone against its promotion and its buyer
  needsWhole: ['shop_promotion', 'users'],
};

const reviews: CheckDef = {
  name: 'reviews',
  description:
    'shop_review is not of a paid (maybe since refunded or returned) order of the reviewer containing the ' +
    'product, not after the order, rated outside 1-5, or not the only review of its order',
  sql: ({ T }) =>
    `SELECT r.id, r.event_time, o.event_time AS order_time, o.status, r.user_id, o.user_id AS order_user,
            r.shop_id, o.shop_id AS order_shop, r.shop_product_id, r.rating, twice.n AS reviews_of_order
     FROM ${T('shop_review')} r LEFT JOIN ${T('shop_order')} o ON o.id = r.shop_order_id
     LEFT JOIN (SELECT shop_order_id, count(*) AS n FROM ${T('shop_review')} GROUP BY 1 HAVING count(*) > 1) twice
            ON twice.shop_order_id = r.shop_order_id
     -- the (order, product) pairs of the items, once each: a hash join, where a NOT EXISTS under OR is a
     -- subquery per review
     LEFT JOIN (SELECT DISTINCT shop_order_id, shop_product_id FROM ${T('shop_order_item')}) i
            ON i.shop_order_id = r.shop_order_id AND i.shop_product_id = r.shop_product_id
     WHERE o.id IS NULL OR o.status NOT IN ('paid', 'refunded', 'returned') OR o.user_id <> r.user_id OR o.shop_id <> r.shop_id
        OR r.event_time <= o.event_time OR r.rating NOT BETWEEN 1 AND 5 OR i.shop_order_id IS NULL
        OR twice.n IS NOT NULL`,
};

// A review says nothing that needs more time than passed since its order ("Delivery took almost three weeks" a
// day after it), nor a refund or return that had not happened when it was written: the generator's tables of such
// phrases (REVIEW_MIN_HOURS, REVIEW_AFTER_REFUND; {n}, the product's noun, matches anything), in title and body.
/** a LIKE pattern of a phrase anywhere in a text, {n} matching anything, as an SQL literal */
const like = (phrase: string): string =>
  pg.escapeLiteral(`%${phrase.replace(/[%_\\]/g, '\\$&').replaceAll('{n}', '%')}%`);
const CLAIMS = [
  ...Object.entries(REVIEW_MIN_HOURS).map(([phrase, hours]) => `(${like(phrase)}, ${hours}, false)`),
  ...REVIEW_AFTER_REFUND.map((phrase) => `(${like(phrase)}, 0, true)`),
].join(', ');
const reviewClaims: CheckDef = {
  name: 'review-claims',
  description:
    'a review says something that takes longer than the time since its order (a delivery of three weeks, days of ' +
    'use), or a refund or return its order had not had when it was written',
  sql: ({ T }) =>
    `SELECT r.id, r.event_time, o.event_time AS order_time, o.status, o.updated_time AS status_since, c.pattern
     FROM ${T('shop_review')} r JOIN ${T('shop_order')} o ON o.id = r.shop_order_id
     JOIN (VALUES ${CLAIMS}) AS c(pattern, hours, refund) ON r.title || ' ' || r.body LIKE c.pattern
     WHERE r.event_time < o.event_time + c.hours * interval '1 hour'
        OR (c.refund AND NOT (o.status IN ('refunded', 'returned') AND o.updated_time <= r.event_time))`,
  // each review judged alone against its order
  needsWhole: [],
};

// A paid order sold its items at its time (later refunded or returned orders too); a returned one puts them back
// at the time of its refund payment.
const inventorySales: CheckDef = {
  name: 'inventory-sales',
  description:
    "shop_inventory_log 'sale'/'return' rows do not match the items of paid/returned orders one to one, at their times",
  sql: ({ T }) =>
    exceptBoth(
      ['change_type', 'shop_order_id', 'shop_product_id', 'shop_id', 'quantity_change', 'event_time'],
      `SELECT 'sale' AS change_type, i.shop_order_id, i.shop_product_id, i.shop_id, -i.quantity::int AS quantity_change,
              o.event_time
       FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
       WHERE o.status IN ('paid', 'refunded', 'returned')
       UNION ALL
       SELECT 'return', i.shop_order_id, i.shop_product_id, i.shop_id, i.quantity::int, p.event_time
       FROM ${T('shop_order_item')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
       JOIN ${T('shop_order_payment')} p ON p.shop_order_id = o.id AND p.status = 'refunded'
       WHERE o.status = 'returned'`,
      `SELECT change_type, shop_order_id, shop_product_id, shop_id, quantity_change, event_time
       FROM ${T('shop_inventory_log')} WHERE change_type IN ('sale', 'return')`,
    ),
};

const inventoryKinds: CheckDef = {
  name: 'inventory-kinds',
  description:
    "shop_inventory_log change_type is not sale/restock/return, or a 'restock' has an order or a non-positive change",
  sql: ({ T }) =>
    `SELECT id, event_time, change_type, shop_order_id, quantity_change FROM ${T('shop_inventory_log')}
     WHERE change_type NOT IN ('sale', 'restock', 'return')
        OR (change_type = 'restock' AND (shop_order_id IS NOT NULL OR quantity_change <= 0))`,
  // each row judged alone
  needsWhole: [],
};

// The population before the window is a snapshot stamped with the window start, not events: only entities
// created after the start have a signup/opened/listed/started event.
const events: CheckDef = {
  name: 'events',
  description: 'global_event differs from the events the entity tables imply',
  sql: ({ T }) =>
    exceptBoth(
      ['event_type', 'entity_type', 'entity_id', 'event_time', 'user_id', 'shop_id'],
      `SELECT CASE WHEN status = 'abandoned' THEN 'cart_abandoned' ELSE 'order_placed' END AS event_type,
              'shop_order' AS entity_type, id AS entity_id, event_time, user_id, shop_id
       FROM ${T('shop_order')}
       UNION ALL
       SELECT 'payment_' || p.status, 'shop_order_payment', p.id, p.event_time, p.user_id, o.shop_id
       FROM ${T('shop_order_payment')} p LEFT JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
       WHERE p.status <> 'refunded'
       UNION ALL
       SELECT CASE WHEN o.status = 'returned' THEN 'order_returned' ELSE 'order_refunded' END, 'shop_order',
              o.id, p.event_time, o.user_id, o.shop_id
       FROM ${T('shop_order_payment')} p JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
       WHERE p.status = 'refunded'
       UNION ALL
       SELECT 'invoice_issued', 'invoice', id, event_time, user_id, shop_id FROM ${T('invoice')}
       UNION ALL
       SELECT 'review_posted', 'shop_review', id, event_time, user_id, shop_id FROM ${T('shop_review')}
       UNION ALL
       SELECT 'user_signed_up', 'user', id, event_time, id, NULL::uuid FROM ${T('users')}
       WHERE event_time > $1::timestamptz
       UNION ALL
       SELECT 'shop_opened', 'shop', id, event_time, user_id, id FROM ${T('shop')}
       WHERE event_time > $1::timestamptz
       UNION ALL
       SELECT 'product_listed', 'shop_product', id, event_time, NULL::uuid, shop_id FROM ${T('shop_product')}
       WHERE event_time > $1::timestamptz
       UNION ALL
       SELECT 'promotion_scheduled', 'shop_promotion', id, event_time, NULL::uuid, shop_id
       FROM ${T('shop_promotion')} WHERE event_time > $1::timestamptz`,
      // state and price changes are not implied by the rows' final state alone: checks/lifecycle.ts
      `SELECT event_type, entity_type, entity_id, event_time, user_id, shop_id FROM ${T('global_event')}
       WHERE event_type NOT IN (${CHANGE_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`,
      '4, 2, 1',
    ),
  params: ({ start }) => [start],
};

const eventEntities: CheckDef = {
  name: 'event-entities',
  description: "global_event's entity is not in global_entity with that type at or before the event",
  sql: ({ T }) =>
    `SELECT e.id, e.event_type, e.entity_type, e.entity_id, e.event_time FROM ${T('global_event')} e
     WHERE NOT EXISTS (SELECT 1 FROM ${T('global_entity')} g WHERE g.entity_id = e.entity_id
                       AND g.entity_type = e.entity_type AND g.event_time <= e.event_time)`,
  // each event judged alone against the registry (a population table: never retired)
  needsWhole: ['global_entity'],
};

export const ACTIVITY: CheckDef[] = [
  promotions,
  promotionAudience,
  reviews,
  reviewClaims,
  inventorySales,
  inventoryKinds,
  events,
  eventEntities,
];
