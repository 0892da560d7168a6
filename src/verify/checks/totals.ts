/** Orders, payments and invoices: totals add up, statuses fit their payments, one invoice per paid order. */
import { PRICE_CHANGED } from '../../generate/registry.js';
import type { CheckDef } from '../check.js';
import { TAX_RATES_SQL } from './orders.js';

// The rates with a region (US states, Canadian provinces) are the sales taxes an order's total adds; a VAT rate
// (region NULL) never matches the join below: it is in the price.
const orderTotals: CheckDef = {
  name: 'order-totals',
  description:
    "shop_order subtotal/item_count/discount/total disagree with its items' lines and discounts, or its total " +
    "is not subtotal - discount plus, on a sale inside the US or Canada, the shop's tax_region's sales tax " +
    '(to the cent, half up)',
  sql: ({ T }) =>
    `WITH added(country, region, rate) AS (VALUES ${TAX_RATES_SQL})
     SELECT o.id, o.status, o.subtotal, i.sum_lines, o.item_count, i.n, o.discount, i.sum_discounts, o.total,
            tx.rate AS sales_tax_rate
     FROM ${T('shop_order')} o
     LEFT JOIN (SELECT shop_order_id, sum(line_total) AS sum_lines, sum(discount) AS sum_discounts,
                       count(*) AS n
                FROM ${T('shop_order_item')} GROUP BY shop_order_id) i ON i.shop_order_id = o.id
     LEFT JOIN ${T('shop')} s ON s.id = o.shop_id LEFT JOIN ${T('users')} u ON u.id = o.user_id
     LEFT JOIN added tx ON tx.country = s.country_code AND tx.region = s.extra_data->>'tax_region'
                       AND u.country_code = s.country_code
     WHERE o.subtotal <> coalesce(i.sum_lines, 0) OR o.item_count <> coalesce(i.n, 0)
        OR o.discount <> coalesce(i.sum_discounts, 0)
        OR o.total <> o.subtotal - o.discount + round((o.subtotal - o.discount) * coalesce(tx.rate, 0) / 100, 2)`,
  // a checkout writes the order and its items at one time (shop_order_item.shop_order_id's sameTimeAsTarget)
  sameTime: ['shop_order', 'shop_order_item'],
};

const orderItems: CheckDef = {
  name: 'order-items',
  description:
    "shop_order_item line_total or shop disagree with its order/product, or unit_price is not the product's price at the order's time (its price_changed events, else shop_product.price)",
  // the product's price over time, as intervals: its old price before its first price_changed event, then
  // each event's new price until the next one; a product without events kept shop_product.price
  sql: ({ T }) =>
    `WITH ch AS (
       SELECT entity_id AS product, event_time AS t, (extra_data->>'old_price')::numeric AS old_price,
              (extra_data->>'new_price')::numeric AS new_price,
              lead(event_time) OVER w AS next_t, row_number() OVER w AS k
       FROM ${T('global_event')} WHERE event_type = '${PRICE_CHANGED}'
       WINDOW w AS (PARTITION BY entity_id ORDER BY event_time, id)),
     iv AS (
       SELECT product, NULL::timestamptz AS t_from, t AS t_to, old_price AS price FROM ch WHERE k = 1
       UNION ALL
       SELECT product, t, next_t, new_price FROM ch)
     SELECT i.id, i.quantity, i.unit_price, i.line_total, i.shop_id, o.shop_id AS order_shop,
            p.shop_id AS product_shop, p.price AS product_price, iv.price AS price_then
     FROM ${T('shop_order_item')} i
     LEFT JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     LEFT JOIN ${T('shop_product')} p ON p.id = i.shop_product_id
     LEFT JOIN iv ON iv.product = i.shop_product_id
                 AND (iv.t_from IS NULL OR iv.t_from <= i.event_time)
                 AND (iv.t_to IS NULL OR i.event_time < iv.t_to)
     WHERE i.line_total <> i.quantity * i.unit_price
        OR i.shop_id IS DISTINCT FROM o.shop_id OR p.shop_id IS DISTINCT FROM o.shop_id
        OR i.unit_price IS DISTINCT FROM coalesce(iv.price, p.price)`,
};

// A refunded or returned order was paid first: its refund is one more attempt, after the successful one, for
// minus the total, on the same method; its invoice says 'refunded'.
const orderStatus: CheckDef = {
  name: 'order-status',
  description: "shop_order's payments, refund, invoice and inventory rows do not fit its status",
  sql: ({ T }) =>
    `SELECT o.id, o.status, o.total, p.n, p.n_ok, p.n_failed, p.n_refund, p.max_attempt, p.ok_attempt,
            p.ok_amount, p.refund_attempt, p.refund_amount, p.refund_same_method, inv.n AS invoices,
            inv.status AS invoice_status, il.n AS inventory_rows, il.n_return
     FROM ${T('shop_order')} o
     LEFT JOIN (SELECT shop_order_id, count(*) AS n,
                       count(*) FILTER (WHERE status = 'succeeded') AS n_ok,
                       count(*) FILTER (WHERE status = 'failed') AS n_failed,
                       count(*) FILTER (WHERE status = 'refunded') AS n_refund,
                       max(attempt) AS max_attempt,
                       max(attempt) FILTER (WHERE status = 'succeeded') AS ok_attempt,
                       max(amount) FILTER (WHERE status = 'succeeded') AS ok_amount,
                       max(attempt) FILTER (WHERE status = 'refunded') AS refund_attempt,
                       max(amount) FILTER (WHERE status = 'refunded') AS refund_amount,
                       count(DISTINCT user_payment_method_id)
                         FILTER (WHERE status IN ('succeeded', 'refunded')) = 1 AS refund_same_method
                FROM ${T('shop_order_payment')} GROUP BY shop_order_id) p ON p.shop_order_id = o.id
     LEFT JOIN (SELECT shop_order_id, count(*) AS n, max(status) AS status FROM ${T('invoice')} GROUP BY 1) inv
            ON inv.shop_order_id = o.id
     LEFT JOIN (SELECT shop_order_id, count(*) AS n, count(*) FILTER (WHERE change_type = 'return') AS n_return
                FROM ${T('shop_inventory_log')} GROUP BY 1) il
            ON il.shop_order_id = o.id
     WHERE o.status NOT IN ('paid', 'payment_failed', 'abandoned', 'refunded', 'returned')
        OR p.n_ok + p.n_failed + p.n_refund <> p.n
        OR (o.status IN ('paid', 'refunded', 'returned')
            AND (p.n_ok IS DISTINCT FROM 1 OR p.ok_amount IS DISTINCT FROM o.total
                 OR p.ok_attempt IS DISTINCT FROM p.max_attempt - CASE WHEN o.status = 'paid' THEN 0 ELSE 1 END))
        OR (o.status = 'paid' AND (p.n_refund > 0 OR inv.status IS DISTINCT FROM 'paid'))
        OR (o.status IN ('refunded', 'returned')
            AND (p.n_refund IS DISTINCT FROM 1 OR p.refund_attempt IS DISTINCT FROM p.max_attempt
                 OR p.refund_amount IS DISTINCT FROM -o.total OR NOT p.refund_same_method
                 OR inv.status IS DISTINCT FROM 'refunded'))
        OR (coalesce(il.n_return, 0) > 0) <> (o.status = 'returned')
        OR (o.status = 'payment_failed' AND (coalesce(p.n, 0) < 1 OR p.n_ok > 0 OR p.n_refund > 0))
        OR (o.status = 'abandoned' AND (p.n IS NOT NULL OR inv.n IS NOT NULL OR il.n IS NOT NULL))`,
};

const invoicesPerOrder: CheckDef = {
  name: 'invoices-per-order',
  description:
    'not exactly one invoice per paid (then maybe refunded or returned) order, none for the others',
  sql: ({ T }) =>
    `SELECT o.id, o.status, count(i.id) AS invoices
     FROM ${T('shop_order')} o LEFT JOIN ${T('invoice')} i ON i.shop_order_id = o.id
     GROUP BY o.id, o.status
     HAVING count(i.id) <> CASE WHEN o.status IN ('paid', 'refunded', 'returned') THEN 1 ELSE 0 END`,
};

const invoiceFields: CheckDef = {
  name: 'invoice-fields',
  description: 'invoice amount, user or shop differ from its order',
  sql: ({ T }) =>
    `SELECT i.id, i.amount, o.total, i.user_id, o.user_id AS order_user, i.shop_id, o.shop_id AS order_shop
     FROM ${T('invoice')} i LEFT JOIN ${T('shop_order')} o ON o.id = i.shop_order_id
     WHERE i.amount IS DISTINCT FROM o.total OR i.user_id IS DISTINCT FROM o.user_id
        OR i.shop_id IS DISTINCT FROM o.shop_id`,
};

const invoicePaymentMismatch = `p.id IS NULL OR p.shop_order_id <> i.shop_order_id OR p.status <> 'succeeded'
      OR ip.amount <> p.amount OR ip.amount <> i.amount OR ip.user_payment_method_id <> p.user_payment_method_id`;

const invoicePayments: CheckDef = {
  name: 'invoice-payments',
  description: 'not exactly one invoice_payment per invoice, for the succeeded payment of its order',
  sql: ({ T }) =>
    `SELECT i.id AS invoice_id, count(ip.id) AS n, bool_or(${invoicePaymentMismatch}) AS mismatch
     FROM ${T('invoice')} i
     LEFT JOIN ${T('invoice_payment')} ip ON ip.invoice_id = i.id
     LEFT JOIN ${T('shop_order_payment')} p ON p.id = ip.shop_order_payment_id
     GROUP BY i.id
     HAVING count(ip.id) <> 1 OR bool_or(${invoicePaymentMismatch})`,
};

const paymentUser: CheckDef = {
  name: 'payment-user',
  description: "shop_order_payment's user or payment method is not its order's user's",
  sql: ({ T }) =>
    `SELECT p.id, p.user_id, o.user_id AS order_user, m.user_id AS method_user
     FROM ${T('shop_order_payment')} p
     LEFT JOIN ${T('shop_order')} o ON o.id = p.shop_order_id
     LEFT JOIN ${T('user_payment_method')} m ON m.id = p.user_payment_method_id
     WHERE p.user_id IS DISTINCT FROM o.user_id OR m.user_id IS DISTINCT FROM o.user_id`,
};

export const TOTALS: CheckDef[] = [
  orderTotals,
  orderItems,
  orderStatus,
  invoicesPerOrder,
  invoiceFields,
  invoicePayments,
  paymentUser,
];
