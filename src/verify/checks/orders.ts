/**
 * Orders that behave (issue 8 §1, §2): nobody orders, sells or is sold while not active; expired_card only on
 * expired methods; shops that do not ship abroad sell at home; one currency per order, its shop's; refunds after their orders for minus the total; stock
 * never below zero. Each is one pass (joins and aggregates Postgres runs as hash joins, no subquery per row).
 */
import { COUNTRY_CURRENCY } from '../../model/currencies.js';
import { domesticRates, EU_VAT_AREA, TAX_COUNTRIES } from '../../model/tax.js';
import { type CheckDef, H } from '../check.js';

// A row shows its entity's state as of the window end with updated_time = the change that led there: a user,
// shop or product whose final state is not 'active' since at or before an order's time could not take part in it.
const orderParties: CheckDef = {
  name: 'order-parties',
  description:
    "an order by a user, at a shop, or of a product whose final status (not 'active') began at or before the order",
  sql: ({ T }) =>
    `SELECT o.id, o.event_time, u.status AS user_status, u.updated_time AS user_since,
            s.status AS shop_status, s.updated_time AS shop_since, bad.n AS inactive_products
     FROM ${T('shop_order')} o
     JOIN ${T('users')} u ON u.id = o.user_id
     JOIN ${T('shop')} s ON s.id = o.shop_id
     LEFT JOIN (SELECT i.shop_order_id, count(*) AS n
                FROM ${T('shop_order_item')} i JOIN ${T('shop_product')} p ON p.id = i.shop_product_id
                WHERE p.status <> 'active' AND p.updated_time <= i.event_time
                GROUP BY 1) bad ON bad.shop_order_id = o.id
     WHERE (u.status <> 'active' AND u.updated_time <= o.event_time)
        OR (s.status <> 'active' AND s.updated_time <= o.event_time)
        OR bad.n IS NOT NULL`,
  // each order and each item judged alone against its parties (an item of an order not kept is not shown)
  needsWhole: ['users', 'shop', 'shop_product'],
};

/** end of a method's expiry month (it works until then) */
const expiry = `make_timestamptz(m.expires_year, m.expires_month, 1, 0, 0, 0, 'UTC') + interval '1 month'`;

const expiredCards: CheckDef = {
  name: 'expired-cards',
  description:
    'an attempt on a method expired at its time that is not an expired_card failure, or an expired_card failure on a valid method',
  sql: ({ T }) =>
    `SELECT p.id, p.event_time, p.status, p.failure_reason, m.expires_year, m.expires_month
     FROM ${T('shop_order_payment')} p JOIN ${T('user_payment_method')} m ON m.id = p.user_payment_method_id
     WHERE p.status <> 'refunded'
       AND (${expiry} <= p.event_time) <> (p.failure_reason IS NOT DISTINCT FROM 'expired_card')`,
  // each attempt judged alone against its method
  needsWhole: ['user_payment_method'],
};

/** the end of an order's hour less a millisecond: where a derived time with no room left stays (laterInHour) */
const LAST_MS = `${H('o.event_time')} + interval '1 hour' - interval '1 millisecond'`;

// A payment attempt is after the attempt before it (the first after the order), an invoice after its successful
// payment; both in the order's hour, where only its last millisecond may hold two.
const orderTimeline: CheckDef = {
  name: 'order-timeline',
  description:
    'a payment attempt not after the attempt before it (the first: the order) or on the same method after its ' +
    "expired_card failure, or an invoice not after its order's successful payment, or either outside the " +
    "order's hour",
  sql: ({ T }) =>
    `SELECT 'shop_order_payment' AS tbl, p.id, p.event_time, p.prev_time, o.event_time AS order_time
     FROM (SELECT id, shop_order_id, event_time,
                  lag(event_time) OVER w AS prev_time, user_payment_method_id AS method,
                  lag(user_payment_method_id) OVER w AS prev_method, lag(failure_reason) OVER w AS prev_failure
           FROM ${T('shop_order_payment')} WHERE status <> 'refunded'
           WINDOW w AS (PARTITION BY shop_order_id ORDER BY attempt)) p
     JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
     WHERE p.event_time > ${LAST_MS}
        OR NOT (p.event_time > coalesce(p.prev_time, o.event_time) OR p.event_time = ${LAST_MS})
        OR (p.prev_failure = 'expired_card' AND p.method = p.prev_method)
     UNION ALL
     SELECT 'invoice', i.id, i.event_time, p.event_time, o.event_time
     FROM ${T('invoice')} i JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     JOIN ${T('shop_order_payment')} p ON p.shop_order_id = i.shop_order_id AND p.status = 'succeeded'
     WHERE i.event_time > ${LAST_MS} OR NOT (i.event_time > p.event_time OR i.event_time = ${LAST_MS})`,
};

/** the currency of each shop country, from src/model/currencies.ts (USD for the others) */
const countryCurrency = (): string =>
  `(VALUES ${Object.entries(COUNTRY_CURRENCY)
    .map(([country, code]) => `('${country}', '${code}')`)
    .join(', ')}) AS cc(country_code, currency)`;

const currencies: CheckDef = {
  name: 'order-currency',
  description:
    "an order, its items' products, payments, invoice or invoice payment not in its shop's currency (from the shop's country)",
  sql: ({ T }) =>
    `WITH sc AS (SELECT s.id, coalesce(cc.currency, 'USD') AS currency
                 FROM ${T('shop')} s LEFT JOIN ${countryCurrency()} ON cc.country_code = s.country_code),
          oc AS (SELECT o.id, o.currency, sc.currency AS shop_currency
                 FROM ${T('shop_order')} o JOIN sc ON sc.id = o.shop_id)
     SELECT 'shop_order' AS tbl, id, currency, shop_currency FROM oc WHERE currency <> shop_currency
     UNION ALL
     SELECT 'shop_product', i.id, p.currency, oc.currency
     FROM ${T('shop_order_item')} i JOIN ${T('shop_product')} p ON p.id = i.shop_product_id
     JOIN oc ON oc.id = i.shop_order_id WHERE p.currency <> oc.currency
     UNION ALL
     SELECT 'shop_order_payment', p.id, p.currency, oc.currency
     FROM ${T('shop_order_payment')} p JOIN oc ON oc.id = p.shop_order_id WHERE p.currency <> oc.currency
     UNION ALL
     SELECT 'invoice', i.id, i.currency, oc.currency
     FROM ${T('invoice')} i JOIN oc ON oc.id = i.shop_order_id WHERE i.currency <> oc.currency
     UNION ALL
     SELECT 'invoice_payment', ip.id, ip.currency, i.currency
     FROM ${T('invoice_payment')} ip JOIN ${T('invoice')} i ON i.id = ip.invoice_id
     WHERE ip.currency <> i.currency`,
};

const refunds: CheckDef = {
  name: 'refunds',
  description:
    "a refund payment not after its order's successful payment, not of minus its total, or the order's updated_time is not the refund's time",
  sql: ({ T }) =>
    `SELECT r.id, r.event_time, r.amount, o.total, o.status, o.updated_time, ok.event_time AS paid_time
     FROM ${T('shop_order_payment')} r
     JOIN ${T('shop_order')} o ON o.id = r.shop_order_id
     LEFT JOIN ${T('shop_order_payment')} ok ON ok.shop_order_id = r.shop_order_id AND ok.status = 'succeeded'
     WHERE r.status = 'refunded'
       AND (ok.id IS NULL OR r.event_time <= ok.event_time OR r.amount <> -o.total
            OR o.status NOT IN ('refunded', 'returned') OR o.updated_time <> r.event_time)`,
};

// shop_product.inventory is the stock at the window end, so the stock just before a movement is inventory minus
// every movement from it on: it must never be negative. Movements at the same instant: the generator applies
// restocks and returns before the sales at that time, so they come first here too.
const stock: CheckDef = {
  name: 'stock',
  description:
    'a product whose stock, recovered from shop_product.inventory at the window end and the inventory log, goes below zero',
  sql: ({ T }) =>
    `SELECT p.id, p.inventory, min(p.inventory - l.from_here) AS lowest
     FROM ${T('shop_product')} p
     LEFT JOIN (SELECT shop_product_id,
                       sum(quantity_change) OVER (PARTITION BY shop_product_id
                                                  ORDER BY event_time DESC, quantity_change < 0 DESC
                                                  ROWS UNBOUNDED PRECEDING) AS from_here
                FROM ${T('shop_inventory_log')}) l ON l.shop_product_id = p.id
     GROUP BY p.id, p.inventory
     HAVING p.inventory < 0 OR min(p.inventory - l.from_here) < 0`,
};

// A shop is in its owner's country; one that does not ship abroad sells to buyers of its country only; owners
// do not buy at their own shops.
const homeOrders: CheckDef = {
  name: 'home-orders',
  description:
    "a shop's country_code is not its owner's, or a shop that does not ship abroad (extra_data " +
    'ships_international false) has an order from a buyer of another country, or an owner buys at their own shop',
  sql: ({ T }) =>
    `SELECT 'shop' AS tbl, s.id, s.country_code AS shop_country, u.country_code AS user_country
     FROM ${T('shop')} s JOIN ${T('users')} u ON u.id = s.user_id WHERE s.country_code <> u.country_code
     UNION ALL
     SELECT 'shop_order', o.id, s.country_code, u.country_code
     FROM ${T('shop_order')} o JOIN ${T('shop')} s ON s.id = o.shop_id JOIN ${T('users')} u ON u.id = o.user_id
     WHERE (s.extra_data->>'ships_international' = 'false' AND u.country_code <> s.country_code)
        OR o.user_id = s.user_id`,
};

// Tax follows the sale: at home the shop's country's (its state's or province's in the US and Canada), inside the
// EU's VAT area the buyer's country's VAT (OSS), any other sale abroad a zero-rated export (src/model/tax.ts).
const EU = EU_VAT_AREA.map((c) => `'${c}'`).join(', ');
/**
 * every (country, region or NULL, rate) a domestic or OSS invoice may name, as VALUES rows; the rows with a
 * region are the US and Canadian sales taxes an order's total adds (order-totals, totals.ts)
 */
export const TAX_RATES_SQL = TAX_COUNTRIES.flatMap((cc) =>
  domesticRates(cc).map(
    ([region, rate]) => `('${cc}', ${region === null ? 'NULL' : `'${region}'`}, ${rate})`,
  ),
).join(', ');
const invoiceTax: CheckDef = {
  name: 'invoice-tax',
  description:
    "an invoice's tax (extra_data tax_scheme, tax_country, tax_region, tax_rate) is not its sale's: 'domestic' at " +
    "the shop's country's rate at home (its tax_region's in the US and Canada), 'oss' at the buyer's country's " +
    "VAT from one EU country to another, else a 0% 'export'",
  sql: ({ T }) =>
    `WITH rates(country, region, rate) AS (VALUES ${TAX_RATES_SQL})
     SELECT i.id, s.country_code AS shop_country, u.country_code AS buyer_country,
            i.extra_data->>'tax_scheme' AS tax_scheme, i.extra_data->>'tax_country' AS tax_country,
            i.extra_data->>'tax_region' AS tax_region, i.extra_data->>'tax_rate' AS tax_rate
     FROM ${T('invoice')} i JOIN ${T('shop')} s ON s.id = i.shop_id JOIN ${T('users')} u ON u.id = i.user_id
     LEFT JOIN rates r ON r.country = i.extra_data->>'tax_country'
                      AND r.rate = (i.extra_data->>'tax_rate')::numeric
                      AND r.region IS NOT DISTINCT FROM i.extra_data->>'tax_region'
     WHERE CASE
       WHEN u.country_code = s.country_code
         THEN i.extra_data->>'tax_scheme' IS DISTINCT FROM 'domestic'
           OR i.extra_data->>'tax_country' IS DISTINCT FROM s.country_code OR r.country IS NULL
           OR i.extra_data->>'tax_region' IS DISTINCT FROM s.extra_data->>'tax_region'
       WHEN u.country_code IN (${EU}) AND s.country_code IN (${EU})
         THEN i.extra_data->>'tax_scheme' IS DISTINCT FROM 'oss'
           OR i.extra_data->>'tax_country' IS DISTINCT FROM u.country_code OR r.country IS NULL
       ELSE i.extra_data->>'tax_scheme' IS DISTINCT FROM 'export'
         OR i.extra_data->>'tax_country' IS DISTINCT FROM s.country_code OR i.extra_data ? 'tax_region'
         OR coalesce((i.extra_data->>'tax_rate')::numeric, -1) <> 0
     END`,
  // each invoice judged alone against its shop and buyer
  needsWhole: ['shop', 'users'],
};

export const ORDERS: CheckDef[] = [
  orderParties,
  expiredCards,
  orderTimeline,
  homeOrders,
  invoiceTax,
  currencies,
  refunds,
  stock,
];
