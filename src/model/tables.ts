/**
 * The tables of ../shared/spec/data-model.md, in one place. DDL (sql/schema.sql), COPY column lists,
 * CSV headers and the verification queries are all derived from these definitions; nothing else in the
 * code base spells a column list.
 *
 * Column order here is the CSV/COPY order: the row writers in src/generate write fields in this order,
 * and test/unit/model.test.ts checks every generated row has exactly these fields.
 */

import { col, head, hourly, metric, money, ref, SAME, type Table, tail, text } from './columns.js';
import { ENTITY_TYPES } from './entity-types.js';
import { ORDERS } from './order-comments.js';
import { STATES } from './state-comments.js';
import { TABLE_NAMES, type TableName } from './table-names.js';
import { EXTRA, TEXT } from './text-comments.js';

export type { Granularity, Table } from './columns.js';
export { TABLE_NAMES, type TableName };

/** event_time of the users, shops and products: arrivals in the window, or a snapshot at its start */
const arrival = (what: string): string =>
  `When the ${what} appeared in the window, or the window start for those that existed before it (a snapshot).`;
const existedFor = (days: number): string =>
  `event_time for arrivals in the window; up to ${days} days before the window start for the others.`;
const orderTime = "The order's event_time.";
const ENTITY_TYPE = 'What the entity is: the name of its table (users: user), one of a CHECK-ed list.';

export const TABLES: readonly Table[] = [
  {
    name: 'global_entity',
    entity: 'GlobalEntity',
    kind: 'registry',
    comment:
      'Registry of every entity (GlobalEntity): a row per user, payment method, shop, product, promotion, ' +
      'order, order item, payment attempt, invoice, invoice payment and review, so that a bare id resolves ' +
      'to its type and to its row (same id and event_time). Logs, events and metrics are not entities.',
    granularity: 'hour',
    idColumn: 'entity_id',
    columns: [
      ...head('hour', "The event_time of the entity's row (with entity_id, its primary key).", 'entity_id'),
      { ...text('entity_type', ENTITY_TYPE), oneOf: ENTITY_TYPES },
      ...tail({
        event: '',
        created: "The entity row's created_time.",
        updated: SAME,
        extra: EXTRA.global_entity,
      }),
    ],
  },
  hourly(
    'global_event',
    'GlobalEvent',
    'event',
    STATES.eventTable,
    { event: STATES.eventTime, extra: `${EXTRA.global_event} ${STATES.eventExtra}` },
    [
      text('event_type', 'What happened (see the table comment).'),
      { ...text('entity_type', ENTITY_TYPE), oneOf: ENTITY_TYPES },
      col('entity_id', 'uuid', 'The entity the event is about (its global_entity.entity_id).'),
      ref('user_id', 'users', STATES.eventUser, true),
      ref('shop_id', 'shop', STATES.eventShop, true),
    ],
  ),
  hourly(
    'users',
    'User',
    'entity',
    'Users (User): buyers, reviewers and shop owners. The population that existed before the window ' +
      '(event_time = window start) and the signups in it.',
    {
      event: arrival('user'),
      created: `Signup time: ${existedFor(730)}`,
      updated: STATES.userUpdated,
      extra: EXTRA.users,
    },
    [
      text(
        'email',
        'Unique: first.last<user number>@<domain>, from full_name (letters only, lower case); the domain by the ' +
          "user's country: gmail.com first, then the country's own webmail and ISPs, a tail of other domains.",
      ),
      text('username', TEXT.username),
      text('full_name', 'First and last name (faker pools of the seed).'),
      text('status', STATES.userStatus),
      text(
        'country_code',
        'ISO 3166-1 alpha-2: US 28%, GB and DE 9%, JP 8%, FR and CA 6%, BR, MX, AU, ES, IT, NL, SE 5% each ' +
          '(exactly so in each block of 64 users by index).',
      ),
    ],
  ),
  hourly(
    'shop',
    'Shop',
    'entity',
    'Shops (Shop), each owned by a user. The shops that existed before the window (event_time = window ' +
      'start) and those opened in it.',
    {
      event: arrival('shop'),
      created: `When the shop opened: ${existedFor(365)} Never before its owner signed up.`,
      updated: STATES.shopUpdated,
      extra: EXTRA.shop,
    },
    [
      ref('user_id', 'users', 'The owner: a user that existed when the shop opened.'),
      text('name', TEXT.shopName),
      text('category', "Department (faker's commerce departments, weighted: Clothing and Home most common)."),
      text('status', STATES.shopStatus),
      text('address_line', 'Street address (faker pool; not tied to city or country).'),
      text('city', 'City (faker pool; not tied to country_code).'),
      text('postal_code', 'Five digits (faker pool; not tied to city).'),
      text('country_code', STATES.shopCountry),
    ],
  ),
  hourly(
    'shop_product',
    'ShopProduct',
    'entity',
    'Products of shops (ShopProduct). Those that existed before the window (event_time = window start) and ' +
      'those listed in it.',
    {
      event: arrival('product'),
      created: `When the product was listed: ${existedFor(365)} Never before its shop opened.`,
      updated: STATES.productUpdated,
      extra: EXTRA.shop_product,
    },
    [
      ref('shop_id', 'shop', 'The shop that sells it.'),
      text('sku', 'Unique: SKU-<shop number>-<product number>.'),
      text('name', TEXT.productName),
      text('category', TEXT.productCategory),
      money('price', STATES.productPrice),
      text('currency', STATES.productCurrency),
      col(
        'inventory',
        'integer',
        'Stock at the window end: the listing stock (scenario initial_stock as a floor, scaled by the ' +
          "product's expected demand when it is restocked) moved by the window's sales, restocks and returns; " +
          'never negative.',
      ),
      text('status', STATES.productStatus),
    ],
  ),
  hourly(
    'shop_order',
    'ShopOrder',
    'entity',
    ORDERS.orderTable,
    {
      event: ORDERS.orderEvent,
      updated: ORDERS.orderUpdated,
      extra: EXTRA.shop_order,
    },
    [
      ref('user_id', 'users', ORDERS.orderUser),
      ref('shop_id', 'shop', ORDERS.orderShop),
      ref(
        'shop_promotion_id',
        'shop_promotion',
        "A promotion of the shop running at event_time whose extra_data min_basket the order's subtotal reaches, or NULL.",
        true,
      ),
      text('status', ORDERS.orderStatus),
      col('item_count', 'smallint', 'Number of its shop_order_item rows (distinct products).'),
      money('subtotal', 'Sum of its items line_total.'),
      money('discount', ORDERS.orderDiscount),
      money('total', ORDERS.orderTotal),
      text('currency', ORDERS.orderCurrency),
    ],
  ),
  hourly(
    'shop_order_item',
    'ShopOrderItem',
    'entity',
    'Lines of orders (ShopOrderItem): one per distinct product of an order (scenario items_per_order, at most 20).',
    { event: orderTime, extra: EXTRA.shop_order_item },
    [
      { ...ref('shop_order_id', 'shop_order', 'The order.'), sameTimeAsTarget: true },
      ref('shop_product_id', 'shop_product', ORDERS.itemProduct),
      ref('shop_id', 'shop', "The order's shop."),
      col('quantity', 'smallint', 'Units.'),
      money(
        'unit_price',
        "The product's price at the order's time (prices change: repricing, deals), in the shop's currency.",
      ),
      money('line_total', 'quantity * unit_price, before the discount.'),
      money(
        'discount',
        "The line's share of the order's promotion: round(line_total * discount_percent / 100); 0 without one.",
      ),
    ],
  ),
  hourly(
    'shop_order_payment',
    'ShopOrderPayment',
    'entity',
    ORDERS.paymentTable,
    {
      event: ORDERS.paymentEvent,
      extra: EXTRA.shop_order_payment,
    },
    [
      ref('shop_order_id', 'shop_order', 'The order.'),
      ref('user_id', 'users', 'The buyer.'),
      ref('user_payment_method_id', 'user_payment_method', ORDERS.paymentMethod),
      col('attempt', 'smallint', ORDERS.paymentAttempt),
      money('amount', ORDERS.paymentAmount),
      text('currency', ORDERS.paymentCurrency),
      text('status', ORDERS.paymentStatus),
      text('failure_reason', ORDERS.failureReason, true),
    ],
  ),
  hourly(
    'invoice',
    'Invoice',
    'entity',
    'Invoices (Invoice): one per paid order, from the shop to the buyer.',
    {
      event:
        "1 s after the order's successful payment, within the order's hour (where less is left of it, at a point of what is left).",
      updated: ORDERS.invoiceUpdated,
      extra: EXTRA.invoice,
    },
    [
      ref('shop_order_id', 'shop_order', 'The paid order.'),
      ref('shop_id', 'shop', "The order's shop."),
      ref('user_id', 'users', 'The buyer.'),
      text('invoice_number', 'Unique: INV-<window hour, 5 digits>-<order number in the hour>.'),
      money('amount', ORDERS.invoiceAmount),
      text('currency', ORDERS.invoiceCurrency),
      text('status', ORDERS.invoiceStatus),
    ],
  ),
  hourly(
    'invoice_payment',
    'InvoicePayment',
    'entity',
    "Payments of invoices (InvoicePayment): one per invoice, the order's successful payment attempt.",
    { event: "The invoice's event_time.", extra: EXTRA.invoice_payment },
    [
      { ...ref('invoice_id', 'invoice', 'The invoice.'), sameTimeAsTarget: true },
      ref('shop_order_payment_id', 'shop_order_payment', 'The successful attempt.'),
      ref('user_payment_method_id', 'user_payment_method', 'The method of that attempt.'),
      money('amount', "The invoice's amount."),
      text('currency', ORDERS.invoicePaymentCurrency),
      text('status', ORDERS.invoicePaymentStatus),
    ],
  ),
  hourly(
    'user_payment_method',
    'UserPaymentMethod',
    'entity',
    'Stored payment methods of users (UserPaymentMethod): cards and wallets, created with their user ' +
      '(scenario payment_methods_per_user).',
    {
      event: "Its user's event_time.",
      created: "Its user's created_time.",
      updated: STATES.methodUpdated,
      extra: EXTRA.user_payment_method,
    },
    [
      ref('user_id', 'users', 'The owner.'),
      text('method_type', 'card (3 in 4) or wallet.'),
      text(
        'provider',
        "By the country it is issued and billed in (extra_data billing_country: the user's, 1 in 20 another), " +
          'in its usual shares: cards visa, mastercard, amex, discover (US), jcb (JP); wallets paypal, apple_pay, ' +
          'google_pay.',
      ),
      text('last4', 'Four digits.'),
      col('expires_month', 'smallint', '1 to 12.'),
      col('expires_year', 'smallint', STATES.methodExpiry),
      col('is_default', 'boolean', "True for the user's first method."),
      text('status', STATES.methodStatus),
    ],
  ),
  hourly(
    'shop_promotion',
    'ShopPromotion',
    'entity',
    'Promotions of shops (ShopPromotion): a percent off a whole order from starts_at to ends_at. Those ' +
      'running at the window start (event_time = window start) and those created in it.',
    {
      event: STATES.promotionEvent,
      created: STATES.promotionCreated,
      updated: STATES.promotionUpdated,
      extra: EXTRA.shop_promotion,
    },
    [
      ref('shop_id', 'shop', 'The shop.'),
      text('name', 'Adjective + Sale, Deal, Days, Weekend, Flash Sale or Doorbuster.'),
      text('code', 'Unique: PROMO<number>X<0 to 999>.'),
      col(
        'discount_percent',
        'smallint',
        'Percent off the order subtotal (scenario promotion_discount_percent).',
      ),
      col('starts_at', 'timestamptz', STATES.promotionStart),
      col('ends_at', 'timestamptz', 'End: starts_at + scenario promotion_duration_hours.'),
      text('status', STATES.promotionStatus),
    ],
  ),
  hourly(
    'shop_review',
    'ShopReview',
    'entity',
    'Product reviews (ShopReview): by the buyer, of one item of a paid order, at most one per order, posted ' +
      'scenario review_delay_hours after it (spread over them as the scenario rhythm of the UTC hour each ' +
      'lands in: reviews follow the day as orders do; none in a window shorter than the minimum delay, fewer ' +
      'in its first review_delay_hours.max hours).',
    { event: 'When it was posted: a keyed time in its hour.', extra: EXTRA.shop_review },
    [
      ref('user_id', 'users', 'The reviewer: the buyer of the order.'),
      ref('shop_id', 'shop', "The order's shop."),
      ref('shop_product_id', 'shop_product', 'The reviewed product: an item of the order.'),
      ref('shop_order_id', 'shop_order', ORDERS.reviewOrder),
      col(
        'rating',
        'smallint',
        '1 to 5 stars, keyed: 5: 55%, 4: 25%, 3: 10%, 2: 5%, 1: 5%; of an order refunded or returned (in the ' +
          'window or later): 1: 50%, 2: 30%, 3: 15%, 4: 5%.',
      ),
      text('title', TEXT.reviewTitle),
      text('body', TEXT.reviewBody),
    ],
  ),
  hourly(
    'shop_inventory_log',
    'ShopInventoryLog',
    'log',
    "Stock movements (ShopInventoryLog): a 'sale' per item of a paid order, a 'restock' when a sale left a " +
      "restocked product (scenario restock_rate) at or below its reorder point, a 'return' per item of a " +
      "returned order. Reorder points and restock sizes follow the product's expected demand (scenario " +
      'reorder_point and restock_quantity are floors).',
    {
      event:
        "sale: the order's time (it reserves the units); restock: scenario restock_lead_hours after the sale " +
        "that triggered it; return: the order's return.",
      extra: EXTRA.shop_inventory_log,
    },
    [
      ref('shop_product_id', 'shop_product', 'The product.'),
      ref('shop_id', 'shop', "The product's shop."),
      ref(
        'shop_order_id',
        'shop_order',
        'sale: the paid order; return: the returned order; restock: NULL.',
        true,
      ),
      text('change_type', 'sale, restock or return.'),
      col(
        'quantity_change',
        'integer',
        'sale: minus the units sold; return: plus the units returned; restock: plus the larger of a keyed ' +
          "scenario restock_quantity and 1 to 7 times restock_lead_hours' max of the product's expected demand.",
      ),
    ],
  ),
  hourly(
    'request_response_log',
    'RequestResponseLog',
    'log',
    "The platform's web/API traffic (RequestResponseLog): the requests of browsing sessions, anonymous and " +
      'signed-in, and of crawlers, with the scenario funnel (conversion_rate, anonymous_share, bot_share, ' +
      'product_views_per_session, cart_add_rate, search_rate); every order is the checkout of one session. ' +
      'A keyed sample of whole sessions is logged (log_sample_rate, also in extra_data.sample_rate).',
    {
      event:
        "When the request arrived: a session's requests follow each other by think times (1 s to 1 min); a " +
        "buying session's checkout is its order's event_time and its payment POSTs its attempts' times. " +
        "A session stays in its hour's partition: requests past the hour's end are not there, the views " +
        'before a checkout early in the hour are squeezed into it.',
      updated: 'event_time + latency_ms when that is still in the hour, else event_time.',
      extra:
        'The session and its client (jsonb): session (uuid shared by the requests of one session), ua, ' +
        'device (mobile, desktop, tablet, bot), channel (web, ios-app, android-app), bot (true for crawlers), ' +
        "referrer (null = direct) and campaign (the newsletter's: the scenario event running in the hour), " +
        'sample_rate (the share of sessions logged); q: the search ' +
        'words of GET /api/search.',
    },
    [
      ref(
        'user_id',
        'users',
        'The signed-in user (a buying session: the buyer); NULL for anonymous sessions and crawlers.',
        true,
      ),
      ref(
        'shop_id',
        'shop',
        'The shop the request is about (its product, cart or order); NULL for home, search, category, ' +
          'login, robots.txt and sitemap requests and for pages not found.',
        true,
      ),
      ref(
        'shop_product_id',
        'shop_product',
        'The product a product-page view or a cart add is about (active at the time, of shop_id); NULL ' +
          'otherwise and for pages not found (404).',
        true,
      ),
      ref(
        'shop_order_id',
        'shop_order',
        "A buying session's order, on its requests from the checkout on (checkout, payments, order page); " +
          'NULL otherwise.',
        true,
      ),
      text('method', 'GET or POST, by route.'),
      text(
        'path',
        'The route template (ids are in the columns): /, /api/categories/{slug}, /api/search, ' +
          '/api/products/{id}, /api/cart/items, /api/checkout, /api/payments, /api/orders/{id}, ' +
          '/api/auth/login, /robots.txt, /sitemap.xml.',
      ),
      col(
        'status_code',
        'smallint',
        'Success 200 (GET, login) or 201 (POST); 402 for a declined payment attempt; 404 for pages not ' +
          "found (more for crawlers); 400/401/409 at scenario api_error_rate; 429 rising with the hour's " +
          'load; 5xx in bursts (incident minutes, likelier the busier the hour).',
      ),
      col(
        'latency_ms',
        'integer',
        "Log-normal at scenario api_latency_ms times the route's cost and a queueing factor that rises with " +
          "the hour's load (requests / api_capacity_per_hour); 429/503 answer fast, 504 after 10-30 s.",
      ),
      col('response_bytes', 'integer', 'Response size by route (errors: 90 to 389).'),
    ],
  ),
  metric('user_metrics_hourly', 'UserMetricsHourly', 'hour', 'user'),
  metric('user_metrics_daily', 'UserMetricsDaily', 'day', 'user'),
  metric('shop_metrics_hourly', 'ShopMetricsHourly', 'hour', 'shop'),
  metric('shop_metrics_daily', 'ShopMetricsDaily', 'day', 'shop'),
  metric('shop_product_metrics_hourly', 'ShopProductMetricsHourly', 'hour', 'product'),
  metric('shop_product_metrics_daily', 'ShopProductMetricsDaily', 'day', 'product'),
];

const byName = new Map<string, Table>(TABLES.map((t) => [t.name, t]));

export function table(name: TableName): Table {
  const t = byName.get(name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}

/** A value for every table, keyed by name: the one place a per-table record is assembled. */
export function perTable<T>(f: (name: TableName) => T): Record<TableName, T> {
  // Object.fromEntries cannot type its keys; TABLE_NAMES is every TableName, so the record is complete
  return Object.fromEntries(TABLE_NAMES.map((n) => [n, f(n)])) as Record<TableName, T>;
}

export function columnNames(t: Table): string[] {
  return t.columns.map((c) => c.name);
}
